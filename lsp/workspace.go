package lsp

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	fastjson "github.com/segmentio/encoding/json"
	"go.lsp.dev/protocol"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/seedls/seedls/graph"
	"github.com/seedls/seedls/graph/pack"
	"github.com/seedls/seedls/graph/scan"
)

// workspace owns the current snapshot: the single writer that turns text
// changes, file events and scans into new snapshots. Readers take the
// current snapshot without a lock and keep it for the whole request.
type workspace struct {
	s   *Server
	enc graph.Encoding

	snap atomic.Pointer[graph.Snapshot]
	// read and found count the files of the initial scan, for an answer
	// that cannot wait for it.
	read, found atomic.Int64

	mu       sync.Mutex // serialises every change to the snapshot and the fields below
	roots    []string   // real paths (see paths)
	settings Settings
	sevs     graph.Severities
	matcher  *scan.Matcher
	docs     map[string]*openDoc // open documents by key
	scanned  bool                // the initial scan is done
	// scans numbers the scans started, so that one that finishes after a
	// newer one started (settings changed meanwhile) is dropped.
	scans    int
	scanning int // scans running
	// seen holds the keys of file events that arrived while a scan was
	// running: the scan may have listed or read those files before they
	// changed, so they are read again once its snapshot is in place.
	seen  map[string]bool
	stats indexStats
	// ready is closed when the initial scan is done.
	ready chan struct{}
	// events holds file events waiting to be applied (see watched).
	events struct {
		sync.Mutex
		raw     []json.RawMessage
		running bool
	}
	// beforeStore, when set, is called by a scan, with its number, before it
	// puts its snapshot in place: a test's seam for overlapping scans.
	beforeStore func(number int)
}

type openDoc struct {
	version int32
}

type indexStats struct {
	started, finished time.Time
}

func newWorkspace(s *Server) *workspace {
	w := &workspace{s: s, docs: map[string]*openDoc{}, settings: defaultSettings(), seen: map[string]bool{}, ready: make(chan struct{})}
	empty := graph.Build(nil)
	empty.UseTexts(w.readText)
	w.snap.Store(empty)
	w.matcher, _ = scan.NewMatcher(nil, scan.DefaultExclude)
	return w
}

// current is the snapshot requests answer from.
func (w *workspace) current() *graph.Snapshot { return w.snap.Load() }

// configure takes the roots (real paths), the encoding and the initial
// settings.
func (w *workspace) configure(roots []string, enc graph.Encoding, initOptions json.RawMessage) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.roots = roots
	w.enc = enc
	w.applySettingsLocked(initOptions)
}

// applySettingsLocked parses and applies settings; it reports whether the
// file selection changed (which needs a rescan).
func (w *workspace) applySettingsLocked(raw json.RawMessage) bool {
	st, err := parseSettings(raw)
	if err != nil {
		w.s.showWarning("seedls: " + err.Error())
		return false
	}
	sevs, problems := st.severities()
	for _, p := range append(problems, st.removed...) {
		w.s.showWarning("seedls: " + p)
	}
	if w.s.level != nil {
		var lvl zapcore.Level
		if st.LogLevel != "" && lvl.Set(st.LogLevel) == nil {
			w.s.level.SetLevel(lvl)
		}
	}
	m, err := scan.NewMatcher(st.Files.Include, excludeOrDefault(st.Files.Exclude))
	if err != nil {
		w.s.showWarning("seedls: seedls.files: " + err.Error())
		m = w.matcher
	}
	filesChanged := fmt.Sprint(st.Files) != fmt.Sprint(w.settings.Files)
	w.settings, w.sevs, w.matcher = st, sevs, m
	w.s.navSettingsApplied(st)
	return filesChanged
}

func excludeOrDefault(ex []string) []string {
	if ex == nil {
		return scan.DefaultExclude
	}
	return ex
}

// start runs after `initialized`: the client is asked for its settings
// (they say where the cache is and which files to read), then the
// workspace is read in the background; file watching is registered
// meanwhile.
func (w *workspace) start() {
	w.s.goSafe("reading the workspace", func() {
		w.fetchConfiguration()
		w.scan()
	})
	w.s.goSafe("asking the client", w.registerWatchers)
}

// fetchConfiguration asks the client for the settings; it reports whether
// they select other files than before (a rescan is due once scanned).
func (w *workspace) fetchConfiguration() (rescan bool) {
	if !w.s.caps.configuration {
		return false
	}
	var res []json.RawMessage
	err := w.s.callTimeout("workspace/configuration", protocol.ConfigurationParams{
		Items: []protocol.ConfigurationItem{{Section: "seedls"}},
	}, &res)
	if err != nil || len(res) == 0 || string(res[0]) == "null" {
		return false
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.applySettingsLocked(res[0])
}

// settingsChanged reads the workspace again when new settings select
// other files, and diagnoses every file again.
func (w *workspace) settingsChanged(rescan bool) {
	w.mu.Lock()
	started := w.scans > 0
	w.mu.Unlock()
	if rescan && started {
		w.s.goSafe("reading the workspace", w.scan)
	}
	w.s.pub.all()
}

func (w *workspace) registerWatchers() {
	if !w.s.caps.watchDynamic {
		return
	}
	err := w.s.callTimeout("client/registerCapability", protocol.RegistrationParams{
		Registrations: []protocol.Registration{{
			ID:     "seedls-watch",
			Method: "workspace/didChangeWatchedFiles",
			RegisterOptions: protocol.DidChangeWatchedFilesRegistrationOptions{
				Watchers: []protocol.FileSystemWatcher{{GlobPattern: "**/*"}},
			},
		}},
	}, nil)
	if err != nil {
		w.s.log.Info("file watching not registered", zap.Error(err))
	}
}

// scan reads every root and replaces the snapshot with the result, keeping
// the open documents' text over what is on disk. The first scan of a
// session is a warm start when the cache has a pack (see warmStart); a
// rescan (the roots or the file settings changed) reads everything.
func (w *workspace) scan() {
	w.mu.Lock()
	w.scans++
	number := w.scans
	roots := append([]string(nil), w.roots...)
	opt := w.settings.scanOptions()
	cacheSetting := w.settings.CacheDirectory
	// The session's first scan starts from the cache (see warmStart).
	warmable := number == 1
	started := time.Now()
	w.stats.started = started
	w.scanning++
	w.mu.Unlock()
	heapDone := w.s.heap.Scan()
	prog := w.s.beginProgress("seedls: indexing", fmt.Sprintf("%d folder(s)", len(roots)))
	opt.Progress = func(read, found int) {
		w.read.Store(int64(read))
		w.found.Store(int64(found))
		prog.report(fmt.Sprintf("%d/%d files", read, found), read*100/max(found, 1))
	}
	warm := w.s.warm
	if warmable {
		opt.Known = warm.open(roots, cacheSetting)
	}
	// A folder that cannot be read is reported; the others are read.
	var readable []string
	for _, r := range roots {
		if _, err := os.Stat(r); err != nil {
			w.s.log.Warn("cannot read workspace folder", zap.String("root", r), zap.Error(err))
			continue
		}
		readable = append(readable, r)
	}
	res := &scan.Result{}
	if len(readable) > 0 {
		var err error
		if res, err = scan.Scan(readable, opt); err != nil {
			w.s.log.Warn("cannot read the workspace", zap.Error(err))
			res = &scan.Result{}
		}
	}
	for _, n := range res.Notes {
		w.s.log.Info("scan", zap.String("note", n))
	}
	w.s.log.Debug("files read", zap.Int("files", len(res.Files)), zap.Duration("since start", time.Since(started)))
	fp := w.fingerprint()
	// From a pack whose diagnostics hold, what the scan keeps is read: the
	// heap's budget is set from it while the graph is made (a collection
	// now, beside it, rather than letting the first diagnostics double a
	// heap that holds the pack). A scan that parsed every file, or whose
	// every file is to be diagnosed, still has its indexes or a whole
	// round to make: a budget set now would be too tight for them, so it
	// is set after.
	budgetNow := warmable && warm.holds(fp)
	if budgetNow {
		go heapDone(true)
	}
	early := func() {}
	var snap *graph.Snapshot
	if warmable {
		early = warm.publishEarly(w.s.pub, fp, len(res.Files), res.Known, w.openSet(), started)
		snap = warm.snapshot(res.Files, res.Known)
	}
	// The graph is made outside the lock, so that requests (the status
	// among them) are answered meanwhile.
	if snap == nil {
		snap = graph.Build(res.Files)
		w.s.log.Debug("snapshot built", zap.Duration("since start", time.Since(started)))
	}
	snap.UseTexts(w.readText)
	early()
	if w.beforeStore != nil {
		w.beforeStore(number)
	}
	w.mu.Lock()
	w.scanning--
	if number != w.scans {
		// A newer scan started meanwhile, with newer settings or roots:
		// its snapshot is the one to keep.
		w.mu.Unlock()
		w.s.log.Info("scan superseded by a newer one: dropped")
		if warmable {
			// What it read of the cache is not what the workspace is now.
			warm.dropPack()
			warm.stopRecording()
		}
		prog.end("superseded")
		if !budgetNow {
			heapDone(false)
		}
		return
	}
	// The first scan to finish readies the search index and the cache.
	first := !w.scanned
	prev := w.current()
	var open []*graph.File
	for key := range w.docs {
		if f := prev.File(key); f != nil {
			open = append(open, f) // the buffer's text, as last parsed
		}
	}
	if len(open) > 0 {
		snap = snap.With(open, nil)
	}
	snap.Rev = prev.Rev + 1
	w.snap.Store(snap)
	// The id list completion reads is made beside the first diagnostics,
	// not by the first completion.
	w.s.goSafe("warming the snapshot", snap.Warm)
	if !first {
		w.s.search.update(prev.Files(), snap.Files())
	}
	if w.scanning == 0 && len(w.seen) > 0 {
		keys := w.seen
		w.seen = map[string]bool{}
		w.s.log.Info("re-reading files changed during the scan", zap.Int("files", len(keys)))
		w.applyEventsLocked(keys)
	}
	var stale map[string]bool
	hadPack, racy := false, false
	if warmable {
		if pk := warm.pack(); pk != nil {
			hadPack, racy = true, pk.Racy()
			stale = warm.compare(w.current(), fp, w.openKeysLocked())
		}
		warm.dropPack()
	}
	// Marked for diagnosis before the scan counts as done, so that no one
	// sees "indexed, nothing to publish" in between.
	w.s.pub.all()
	if !w.scanned {
		w.scanned = true
		close(w.ready)
	}
	w.stats.finished = time.Now()
	w.mu.Unlock()
	w.s.log.Info("workspace indexed", zap.Int("files", snap.FileCount()), zap.Duration("took", time.Since(started)))
	prog.end(fmt.Sprintf("%d files", snap.FileCount()))
	if !budgetNow {
		heapDone(false)
	}
	if !first {
		return
	}
	// The pack and the search index come once the first diagnostics are
	// out: on two cores, working alongside would delay them, and
	// completion by words falls back to a scan of the snapshot meanwhile.
	w.s.goSafe("writing the cache and the search index", func() {
		for w.s.pub.pending() {
			time.Sleep(20 * time.Millisecond)
		}
		c := warm.hold()
		if c != nil {
			// The files the pack to come changes are noted in the journal
			// first, so that the index catches up with it even if this
			// session ends before the index is done.
			var paths []string
			for p := range stale {
				paths = append(paths, p)
			}
			warm.journalOf().note(append(paths, w.openKeys()...))
		}
		warm.startSaving(c, hadPack, stale, racy, w, w.s.pub, w.s.goSafe)
		if !hadPack {
			stale = nil // nothing to check the cache's index against
		}
		w.s.search.start(w.current(), c, warm.journalOf(), stale)
	})
}

// readText reads the text of a file that does not hold it (see
// graph.File.DropText) from disk, if it is still the text the file was
// parsed from.
func (w *workspace) readText(f *graph.File) (string, bool) {
	if f.Kind == graph.UnreadableFile || !filepath.IsAbs(f.Path) {
		return "", false
	}
	text, err := scan.ReadText(f.Path, int64(f.Len)+4)
	if err != nil || len(text) != f.Len || graph.HashText(text) != f.Hash {
		return "", false
	}
	return text, true
}

func (w *workspace) openKeys() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.openKeysLocked()
}

func (w *workspace) openKeysLocked() []string {
	out := make([]string, 0, len(w.docs))
	for k := range w.docs {
		out = append(out, k)
	}
	return out
}

func (w *workspace) openSet() map[string]bool {
	out := map[string]bool{}
	for _, k := range w.openKeys() {
		out[k] = true
	}
	return out
}

// fingerprint names everything published diagnostics depend on besides
// the files: seedls itself, the settings, the position encoding and what
// the client was sent.
func (w *workspace) fingerprint() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.fingerprintLocked()
}

func (w *workspace) fingerprintLocked() string {
	st := w.settings
	settings, _ := json.Marshal(struct {
		D, F any
	}{st.Diagnostics, st.Files})
	return fmt.Sprintf("seedls %s %s|schema %d|enc %d|related %v|%s", w.s.version, executableStamp(), cacheSchema, w.enc, w.s.caps.related, settings)
}

// packEntries is what the pack to write says of snap's files, with the
// diagnostics published for each closed file (blobs), and the
// fingerprint they hold for (savedState).
func (w *workspace) packEntries(snap *graph.Snapshot, blobs map[string][]byte) ([]pack.Entry, string) {
	// What is read under the lock is copied out: an edit must not wait
	// for 100,000 entries to be made.
	w.mu.Lock()
	open := make(map[string]bool, len(w.docs))
	for k := range w.docs {
		open[k] = true
	}
	// A time this close to the scan could hide a change made within the
	// file system's time resolution: such files are compared by content.
	racy := w.stats.started.Add(-2 * time.Second).UnixNano()
	fingerprint := w.fingerprintLocked()
	maxSize := w.settings.scanOptions().MaxSize
	w.mu.Unlock()
	entries := make([]pack.Entry, 0, snap.FileCount())
	for i, f := range snap.Files() {
		if i%1024 == 1023 {
			w.pace()
		}
		if !filepath.IsAbs(f.Path) {
			continue // a buffer without a file (untitled:): no next session has it
		}
		e := pack.Entry{Path: f.Path, Size: f.Size, ModTime: f.ModTime, Hash: f.Hash, Len: f.Len, Lossy: f.Lossy, File: f}
		isOpen := open[f.Path]
		if isOpen {
			// A buffer that matches its file is kept as the file, without
			// diagnostics (those sent to an editor are not those of a
			// closed file); one that does not is kept as a buffer.
			e.Size, e.ModTime = -1, -1
			if disk, _ := scan.ReadFile(f.Path, maxSize); disk != nil && disk.Kind != graph.UnreadableFile && disk.Hash == f.Hash && disk.Len == f.Len {
				e.Size, e.ModTime = disk.Size, disk.ModTime
			}
		}
		switch {
		case f.Kind == graph.UnreadableFile:
			e = pack.Entry{Path: f.Path, Unreadable: true}
		case f.Lossy || e.ModTime == 0:
			e.Size, e.ModTime = -1, -1
		case e.ModTime >= racy:
			e.Size, e.ModTime, e.Racy = -1, -1, true
		}
		if b, ok := blobs[f.Path]; ok && !isOpen && f.Kind != graph.UnreadableFile {
			e.Blob, e.HasBlob = b, true
		}
		entries = append(entries, e)
	}
	return entries, fingerprint
}

// pace holds background work while requests are coming: it returns once
// the client has been quiet for a moment, or after a second at most, so
// that the work goes on, slowly, under steady typing.
func (w *workspace) pace() {
	for i := 0; i < 100 && w.s.recentlyHeard(100*time.Millisecond); i++ {
		time.Sleep(10 * time.Millisecond)
	}
	runtime.Gosched()
}

// updateLocked replaces or removes files and tells the publisher what to
// re-diagnose: what graph.Snapshot.Affected says the changes reach.
func (w *workspace) updateLocked(changed []*graph.File, removed []string) {
	old := w.current()
	snap := old.With(changed, removed)
	w.snap.Store(snap)
	var olds []*graph.File
	var changes []graph.Change
	for _, f := range changed {
		of := old.File(f.Path)
		olds = append(olds, of)
		changes = append(changes, graph.NewChange(of, f))
	}
	for _, p := range removed {
		if of := old.File(p); of != nil {
			olds = append(olds, of)
			changes = append(changes, graph.NewChange(of, nil))
		}
	}
	w.s.search.update(olds, changed)
	affected, all := snap.Affected(changes)
	if all {
		w.s.pub.all()
		return
	}
	w.s.pub.files(affected)
}

// setText takes a buffer's text (didOpen and didChange alike).
func (w *workspace) setText(key string, version int32, text string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.docs[key] = &openDoc{version: version}
	w.updateLocked([]*graph.File{graph.ParseFile(key, text)}, nil)
}

// close drops a buffer: the file on disk takes its place, or, for a buffer
// that was never saved (untitled:, or a deleted file), nothing does.
func (w *workspace) close(key string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	delete(w.docs, key)
	if f := w.readDiskLocked(key); f != nil {
		w.updateLocked([]*graph.File{f}, nil)
	} else if w.current().File(key) != nil {
		w.updateLocked(nil, []string{key})
	}
}

// readDiskLocked reads a file of the workspace from disk, or returns nil
// when it is not there or not one the settings select.
func (w *workspace) readDiskLocked(key string) *graph.File {
	if !filepath.IsAbs(key) || !w.wantedLocked(key) {
		return nil
	}
	if st, err := os.Stat(key); err == nil && st.IsDir() {
		return nil
	}
	f, note := scan.ReadFile(key, w.settings.scanOptions().MaxSize)
	if note != "" {
		w.s.log.Debug("read", zap.String("note", note))
	}
	return f
}

// wantedLocked reports whether path lies under a root and is selected: not
// in a hidden or excluded folder, and included.
func (w *workspace) wantedLocked(path string) bool {
	if !w.mayHoldLocked(path) {
		return false
	}
	for _, r := range w.roots {
		if rel, ok := under(r, path); ok && rel != "" {
			return w.matcher.Wanted(filepath.ToSlash(rel))
		}
	}
	return false
}

// under returns path relative to root, if it lies under it ("" for root
// itself), by prefix: both are clean absolute paths.
func under(root, path string) (string, bool) {
	if path == root {
		return "", true
	}
	sep := string(filepath.Separator)
	prefix := strings.TrimSuffix(root, sep) + sep
	if !strings.HasPrefix(path, prefix) {
		return "", false
	}
	return path[len(prefix):], true
}

// watched takes file events from the client's watcher (the raw params of
// didChangeWatchedFiles), to be applied in the background: a checkout
// sends tens of thousands at once, mostly for files the workspace does not
// hold (.git), and decoding and applying them on the read loop held up the
// edits behind them. Open buffers keep their text whatever happens on disk,
// and for the others the disk has the last word, so their order against
// edits does not matter.
func (w *workspace) watched(params json.RawMessage) {
	w.events.Lock()
	w.events.raw = append(w.events.raw, params)
	start := !w.events.running
	w.events.running = true
	w.events.Unlock()
	if start {
		w.s.goSafe("applying file events", w.applyEvents)
	}
}

// eventChunk is how many events are applied under the lock at a time, so
// that an edit waits for a chunk at most, not for a checkout's worth.
const eventChunk = 256

// applyEvents applies queued file events until none is left.
func (w *workspace) applyEvents() {
	for {
		w.events.Lock()
		raw := w.events.raw
		w.events.raw = nil
		if len(raw) == 0 {
			w.events.running = false
			w.events.Unlock()
			return
		}
		w.events.Unlock()
		var keys []string
		hidden := w.s.paths.hiddenUnderRoot
		for _, params := range raw {
			var p struct {
				Changes []struct {
					URI string `json:"uri"`
				} `json:"changes"`
			}
			if err := fastjson.Unmarshal(params, &p); err != nil {
				w.s.log.Warn("bad notification params", zap.String("method", "workspace/didChangeWatchedFiles"), zap.Error(err))
				continue
			}
			for _, ev := range p.Changes {
				if !hidden(ev.URI) { // a checkout's .git: not even parsed
					keys = append(keys, w.s.keyOf(ev.URI))
				}
			}
		}
		for len(keys) > 0 {
			chunk := keys[:min(eventChunk, len(keys))]
			keys = keys[len(chunk):]
			w.mu.Lock()
			set := make(map[string]bool, len(chunk))
			for _, key := range chunk {
				if !w.mayHoldLocked(key) {
					continue // in no root, or in a hidden or excluded folder
				}
				set[key] = true
				if w.scanning > 0 {
					w.seen[key] = true
				}
			}
			w.applyEventsLocked(set)
			w.mu.Unlock()
		}
	}
}

// mayHoldLocked reports whether the workspace may hold path, or files
// below it: it lies in a root, in no hidden or excluded folder.
func (w *workspace) mayHoldLocked(path string) bool {
	for _, r := range w.roots {
		rel, ok := under(r, path)
		if !ok {
			continue
		}
		if rel == "" {
			return true
		}
		rel = filepath.ToSlash(rel)
		for i := strings.IndexByte(rel, '/'); i >= 0; {
			part := rel[strings.LastIndexByte(rel[:i], '/')+1 : i]
			if strings.HasPrefix(part, ".") || w.matcher.Excluded(rel[:i+1]) {
				return false
			}
			j := strings.IndexByte(rel[i+1:], '/')
			if j < 0 {
				break
			}
			i += j + 1
		}
		return true
	}
	return false
}

// applyEventsLocked brings the files named by keys in line with the disk.
// Whatever an event said, the disk has the last word: a file reported
// created but gone since is removed, one reported deleted but back is read.
// Events are often for what the workspace does not hold (a checkout's
// .git, build output): those cost a prefix test, not a walk of its files.
func (w *workspace) applyEventsLocked(keys map[string]bool) {
	var changed []*graph.File
	var removed []string
	snap := w.current()
	var files []*graph.File // sorted by path, made once for folder events
	for key := range keys {
		if _, open := w.docs[key]; open {
			continue
		}
		if f := w.readDiskLocked(key); f != nil {
			changed = append(changed, f)
			continue
		}
		if snap.File(key) != nil {
			removed = append(removed, key)
			continue
		}
		// A folder that went: everything below it goes.
		if files == nil {
			files = snap.Files()
		}
		prefix := key + string(filepath.Separator)
		i := sort.Search(len(files), func(i int) bool { return files[i].Path >= prefix })
		for ; i < len(files) && strings.HasPrefix(files[i].Path, prefix); i++ {
			if _, open := w.docs[files[i].Path]; !open && !fileExists(files[i].Path) {
				removed = append(removed, files[i].Path)
			}
		}
	}
	if len(changed) > 0 || len(removed) > 0 {
		w.updateLocked(changed, removed)
	}
}

func fileExists(path string) bool {
	_, err := os.Lstat(path)
	return err == nil
}

// errIndexing is what waitScanned returns when its wait ran out.
var errIndexing = errors.New("the workspace is still being read")

// waitScanned blocks until the initial scan is done, ctx ends, or limit
// passes (errIndexing). An answer about the workspace from a half-read
// one would be wrong, not just late: "unknown" for an entity not read yet.
func (w *workspace) waitScanned(ctx context.Context, limit time.Duration) error {
	select {
	case <-w.ready:
		return nil
	default:
	}
	t := time.NewTimer(limit)
	defer t.Stop()
	select {
	case <-w.ready:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return errIndexing
	}
}

// indexingMessage says how far the initial scan is.
func (w *workspace) indexingMessage() string {
	read, found := w.read.Load(), w.found.Load()
	if found == 0 {
		return "seedls is indexing the workspace (listing its files); ask again in a moment"
	}
	return fmt.Sprintf("seedls is indexing the workspace: %d of %d files read; ask again in a moment", read, found)
}

func (w *workspace) configurationChanged(settings json.RawMessage) {
	if w.s.caps.configuration {
		w.s.goSafe("asking the client", func() { w.settingsChanged(w.fetchConfiguration()) })
		return
	}
	w.mu.Lock()
	rescan := w.applySettingsLocked(settings)
	w.mu.Unlock()
	w.settingsChanged(rescan)
}

// setRoots takes new workspace folders (real paths) and reads the
// workspace again: a file still under another folder stays, one under
// none goes.
func (w *workspace) setRoots(roots []string) {
	w.mu.Lock()
	w.roots = roots
	w.mu.Unlock()
	w.s.goSafe("reading the workspace", w.scan)
}

// versions returns the versions of the open documents, by key.
func (w *workspace) versions() map[string]int32 {
	w.mu.Lock()
	defer w.mu.Unlock()
	out := make(map[string]int32, len(w.docs))
	for k, d := range w.docs {
		out[k] = d.version
	}
	return out
}

// indexing reports whether the initial scan is still running.
func (w *workspace) indexing() bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return !w.scanned
}

func (w *workspace) severities() graph.Severities {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.sevs
}

func (w *workspace) completionLimit() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.settings.Completion.Limit
}

// status is what seedls.indexStatus answers.
func (w *workspace) status() map[string]any {
	w.mu.Lock()
	defer w.mu.Unlock()
	snap := w.current() // under the lock, so that it agrees with scanned
	sum := snap.Counts()
	out := map[string]any{
		"version":   w.s.version,
		"roots":     w.roots,
		"files":     sum.Files,
		"entities":  sum.Entities,
		"documents": sum.Documents,
		"citations": sum.Citations,
		"indexing":  !w.scanned,
		"open":      len(w.docs),
		"revision":  snap.Rev,
	}
	if w.scanned {
		out["indexedInMs"] = w.stats.finished.Sub(w.stats.started).Milliseconds()
	} else {
		out["filesRead"], out["filesFound"] = w.read.Load(), w.found.Load()
	}
	out["diagnostics"] = w.s.pub.count()
	out["publishing"] = w.s.pub.pending()
	out["searchIndex"] = w.s.search.isReady()
	w.s.warm.status(out)
	return out
}

// newEntityDir is where "create entity" puts new files: the configured
// folder under the root holding docKey (or the first root).
func (w *workspace) newEntityDir(docKey string) string {
	w.mu.Lock()
	defer w.mu.Unlock()
	root := ""
	for _, r := range w.roots {
		if _, ok := under(r, docKey); ok {
			root = r
			break
		}
	}
	if root == "" && len(w.roots) > 0 {
		root = w.roots[0]
	}
	if root == "" {
		return ""
	}
	return filepath.Join(root, filepath.FromSlash(w.settings.NewEntityFolder))
}

// The publisher's view of the workspace (diagSource).

func (w *workspace) encoding() graph.Encoding { return w.enc }
func (w *workspace) related() bool            { return w.s.caps.related }
func (w *workspace) uri(key string) protocol.DocumentURI {
	return w.s.paths.uri(key)
}
