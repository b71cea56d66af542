package lsp

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"go.lsp.dev/protocol"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/seedls/seedls/graph"
	"github.com/seedls/seedls/graph/pack"
	"github.com/seedls/seedls/graph/scan"
)

// workspace owns the current snapshot: the single writer that turns text
// changes, file events and the initial scan into new snapshots. Readers
// take the current snapshot without a lock and keep it for the whole
// request.
type workspace struct {
	s   *Server
	enc graph.Encoding

	snap atomic.Pointer[graph.Snapshot]

	mu       sync.Mutex // serialises every change to the snapshot and the fields below
	roots    []string
	settings Settings
	sevs     graph.Severities
	matcher  *scan.Matcher
	docs     map[string]*openDoc // open documents by key
	scanned  bool                // the initial scan is done
	scanning int                 // scans running
	// seen holds the keys of file events that arrived while a scan was
	// running: the scan may have listed or read those files before they
	// changed, so they are read again once its snapshot is in place.
	seen  map[string]bool
	stats indexStats
	// ready is closed when the initial scan is done.
	ready chan struct{}
	// saving is closed when the pk being written is written or given
	// up; stopSaving gives it up (see stopPack).
	saving     chan struct{}
	stopSaving context.CancelFunc
	// held is the cache this session owns, kept referenced: its lock is
	// an open file, and a collected file closes and unlocks.
	held *cache
}

type openDoc struct {
	version int32
	text    string
}

type indexStats struct {
	started, finished time.Time
	files             int
	kept              bool // the first diagnostics came from the cache
	changed           int  // files changed since the cache's pk; -1: no pk
	cacheWritten      bool // this session wrote the cache's pk
	// early is when the kept diagnostics of an unchanged workspace were
	// all published, from the start of the scan; 0 if they were not.
	early time.Duration
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

// configure takes the roots, the encoding and the initial settings.
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
		w.s.showWarning("seedls: bad file glob: " + err.Error())
		m = w.matcher
	}
	filesChanged := fmt.Sprint(st.Files) != fmt.Sprint(w.settings.Files)
	w.settings, w.sevs, w.matcher = st, sevs, m
	return filesChanged
}

func excludeOrDefault(ex []string) []string {
	if ex == nil {
		return scan.DefaultExclude
	}
	return ex
}

// start runs after `initialized`: fetch settings, watch files, and scan
// the roots in the background with progress. Until the scan is done,
// requests are answered from the open documents alone.
func (w *workspace) start() {
	go func() {
		w.fetchConfiguration()
		w.registerWatchers()
		w.scan()
	}()
}

func (w *workspace) fetchConfiguration() {
	if !w.s.caps.configuration {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	var res []json.RawMessage
	err := w.s.call(ctx, "workspace/configuration", protocol.ConfigurationParams{
		Items: []protocol.ConfigurationItem{{Section: "seedls"}},
	}, &res)
	if err != nil || len(res) == 0 || string(res[0]) == "null" {
		return
	}
	w.mu.Lock()
	rescan := w.applySettingsLocked(res[0])
	scanned := w.scanned
	w.mu.Unlock()
	if rescan && scanned {
		go w.scan()
	}
	w.s.pub.all()
}

func (w *workspace) registerWatchers() {
	if !w.s.caps.watchDynamic {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err := w.s.call(ctx, "client/registerCapability", protocol.RegistrationParams{
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
// the open documents' text over what is on disk. With a cache, the pk
// the last session left saves reading files whose stat did not change,
// and its diagnostics are published for every file nothing changed for.
func (w *workspace) scan() {
	w.mu.Lock()
	roots := append([]string(nil), w.roots...)
	opt := w.settings.scanOptions()
	cacheSetting := w.settings.CacheDirectory
	first := !w.scanned
	w.stats.started = time.Now()
	w.scanning++
	w.mu.Unlock()
	heapDone := w.s.heap.Scan()
	prog := w.s.beginProgress("seedls: indexing", fmt.Sprintf("%d folder(s)", len(roots)))
	opt.Progress = func(read, found int) {
		prog.report(fmt.Sprintf("%d/%d files", read, found), read*100/max(found, 1))
	}
	// The cache serves the first scan of a session; a rescan (the file
	// settings changed) reads everything.
	var c *cache
	var loaded func() *pack.Pack
	if first {
		c = openCache(cacheSetting, roots, w.s.log)
		loaded = w.loadPack(c)
		opt.Known = func() scan.Known {
			if p := loaded(); p != nil {
				return p
			}
			return nil
		}
	}
	var files []*graph.File
	var scans []*scan.Result
	for _, r := range roots {
		res, err := scan.Scan([]string{r}, opt)
		if err != nil {
			w.s.log.Warn("cannot scan workspace folder", zap.String("root", r), zap.Error(err))
			continue
		}
		for _, n := range res.Notes {
			w.s.log.Info("scan", zap.String("note", n))
		}
		files = append(files, res.Files...)
		scans = append(scans, res)
	}
	w.s.log.Debug("files read", zap.Int("files", len(files)), zap.Duration("since start", time.Since(w.stats.started)))
	var pk *pack.Pack
	if loaded != nil {
		pk = loaded() // read by now, unless no folder could be listed
	}
	// From a pk whose diagnostics hold, what the scan keeps is read: the
	// heap's budget is set from it while the graph is made (a collection
	// now, beside it, rather than letting the first diagnostics double a
	// heap that holds the pk). A scan that parsed every file, or whose
	// every file is to be diagnosed, still has its indexes or a whole
	// round to make: a budget set now would be too tight for them (the
	// collector ran all through the first round), so it is set after.
	w.mu.Lock()
	budgetNow := pk != nil && pk.Fingerprint == w.fingerprintLocked()
	w.mu.Unlock()
	if budgetNow {
		go heapDone(true)
	}
	early := func() {}
	if pk != nil {
		w.s.log.Debug("files made from the cache", zap.Int64("decoded", pk.Decoded.Load()))
		early = w.publishEarly(pk, scans)
	}
	// The graph is made outside the lock, so that requests (the status
	// among them) are answered meanwhile.
	snap := w.snapshotOf(pk, files, scans)
	snap.UseTexts(w.readText)
	if pk != nil {
		pk.DropRecords()
	}
	early()
	w.mu.Lock()
	prev := w.current()
	var open []*graph.File
	for key, d := range w.docs {
		open = append(open, graph.ParseFile(key, d.text))
	}
	if len(open) > 0 {
		snap = snap.With(open, nil)
	}
	snap.Rev = prev.Rev + 1
	w.snap.Store(snap)
	if !first {
		w.s.search.update(prev.Files(), snap.Files())
	}
	w.scanning--
	if w.scanning == 0 && len(w.seen) > 0 {
		keys := w.seen
		w.seen = map[string]bool{}
		w.s.log.Info("re-reading files changed during the scan", zap.Int("files", len(keys)))
		w.applyEventsLocked(keys)
	}
	stale := w.compareWithPackLocked(pk)
	// The pk is not kept past the scan: its texts and arrays live on in
	// the files, its entries and records need not.
	hadPack, racy := pk != nil, pk != nil && pk.Racy()
	pk = nil
	// Marked for diagnosis before the scan counts as done, so that no one
	// sees "indexed, nothing to publish" in between.
	w.s.pub.all()
	if !w.scanned {
		w.scanned = true
		close(w.ready)
	}
	w.stats.finished = time.Now()
	w.stats.files = snap.FileCount()
	w.mu.Unlock()
	w.s.log.Info("workspace indexed", zap.Int("files", snap.FileCount()), zap.Duration("took", time.Since(w.stats.started)))
	prog.end(fmt.Sprintf("%d files", snap.FileCount()))
	if !budgetNow {
		heapDone(false)
	}
	if !first {
		return
	}
	// The search index and the pk come once the first diagnostics are
	// out: on two cores, working alongside would delay them, and
	// completion by words falls back to a scan of the snapshot meanwhile.
	go func() {
		for w.s.pub.pending() {
			time.Sleep(20 * time.Millisecond)
		}
		held := w.holdCache(c)
		if !held {
			c = nil
		}
		// The pk is what makes the next start fast, and an editor closed
		// soon after opening should still leave it: it is written beside
		// the index build, not after it. The files it changes are noted in
		// the journal first, so the index catches up with it even if this
		// session ends before the index is done.
		if held && (!hadPack || len(stale) > 0 || !w.keptAll() || racy) {
			var paths []string
			for p := range stale {
				paths = append(paths, p)
			}
			w.s.search.note(append(paths, w.openKeys()...))
			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan struct{})
			w.mu.Lock()
			w.saving, w.stopSaving = done, cancel
			w.mu.Unlock()
			go func() {
				defer close(done)
				w.savePack(ctx, c)
			}()
		} else {
			w.s.pub.stopRecording()
			if held {
				w.s.search.note(w.openKeys())
			}
		}
		w.current().Warm()
		if !hadPack {
			stale = nil // nothing to check the cache's index against
		}
		w.s.search.start(w.current(), c, stale)
	}()
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

// loadPack starts reading the cache's pk, while the scan lists the
// workspace, and returns what waits for it (nil when there is none).
func (w *workspace) loadPack(c *cache) func() *pack.Pack {
	if c == nil {
		return func() *pack.Pack { return nil }
	}
	w.s.pub.startRecording()
	done := make(chan *pack.Pack, 1)
	go func() {
		t := time.Now()
		pk, err := pack.Read(c.packPath())
		switch {
		case errors.Is(err, pack.ErrMissing):
		case errors.Is(err, pack.ErrOtherBuild):
			w.s.log.Info("cache written by another build of seedls: reading every file, and it will be rewritten")
		case err != nil:
			w.s.log.Warn("cache unreadable: reading every file, and it will be rewritten", zap.String("pack", c.packPath()), zap.Error(err))
		default:
			w.s.log.Debug("cache read", zap.Duration("took", time.Since(t)))
		}
		done <- pk
	}()
	return sync.OnceValue(func() *pack.Pack { return <-done })
}

// snapshotOf makes the scan's snapshot: from the pk's kept indexes and
// what changed since, when the pk has them and little changed (a
// snapshot changed in many places is better built afresh), else built.
func (w *workspace) snapshotOf(pk *pack.Pack, files []*graph.File, scans []*scan.Result) *graph.Snapshot {
	known := 0
	for _, r := range scans {
		known += r.Known
	}
	if len(files)-known > len(files)/8 {
		pk = nil // most files read again: not worth making the pk's snapshot
	}
	if base := pk.Base(); base != nil {
		changed, removed := base.Changes(files)
		if len(changed)+len(removed) <= len(files)/8 {
			snap := base.With(changed, removed)
			w.s.log.Debug("snapshot made from the cache", zap.Int("changed", len(changed)), zap.Int("removed", len(removed)), zap.Duration("since start", time.Since(w.stats.started)))
			return snap
		}
	}
	snap := graph.Build(files)
	w.s.log.Debug("snapshot built", zap.Duration("since start", time.Since(w.stats.started)))
	return snap
}

// publishEarly publishes the pk's diagnostics when the scans found the
// workspace as the pk has it, while the graph is built (hover and the
// rest wait for the graph as usual). The returned function waits until
// they are out.
func (w *workspace) publishEarly(pk *pack.Pack, scans []*scan.Result) (wait func()) {
	w.mu.Lock()
	fp := w.fingerprintLocked()
	started := w.stats.started
	w.mu.Unlock()
	files, known := 0, 0
	for _, r := range scans {
		files, known = files+len(r.Files), known+r.Known
	}
	if pk.Fingerprint != fp || !pk.Unchanged(files, known) {
		return func() {}
	}
	open := w.openKeys()
	done := make(chan struct{})
	go func() {
		defer close(done)
		n := w.s.pub.publishEarly(pk, open)
		took := time.Since(started)
		w.mu.Lock()
		w.stats.early = took
		w.mu.Unlock()
		w.s.log.Info("cache: nothing changed; kept diagnostics published", zap.Int("files", n), zap.Duration("since start", took))
	}()
	return func() { <-done }
}

// compareWithPackLocked finds what changed since the pk: those files'
// search documents are stale (returned), and unless the settings or
// seedls changed, every file no change reaches keeps its diagnostics.
func (w *workspace) compareWithPackLocked(pk *pack.Pack) map[string]bool {
	w.stats.kept, w.stats.changed = false, -1
	if pk == nil {
		return nil
	}
	affected, changed, all := pk.Affected(w.current())
	stale := make(map[string]bool, len(changed))
	for _, p := range changed {
		stale[p] = true
	}
	w.stats.changed = len(changed)
	switch {
	case all:
		w.s.log.Info("cache: a kind appeared or went; diagnosing every file")
	case pk.Fingerprint != w.fingerprintLocked():
		w.s.log.Info("cache: settings or seedls changed since; diagnosing every file")
	default:
		for k := range w.docs {
			affected[k] = true
		}
		w.s.pub.keep(pk, affected)
		w.stats.kept = true
		w.s.log.Info("cache: publishing kept diagnostics", zap.Int("changed", len(changed)), zap.Int("affected", len(affected)), zap.Duration("since start", time.Since(w.stats.started)))
	}
	return stale
}

// holdCache takes the cache for this session and opens its journal, or
// reports why not.
func (w *workspace) holdCache(c *cache) bool {
	if c == nil {
		return false
	}
	ok, err := c.acquire()
	switch {
	case err != nil:
		w.s.log.Warn("cache not lockable: bypassed", zap.String("dir", c.dir), zap.Error(err))
		return false
	case !ok:
		w.s.log.Info("cache held by another seedls on this workspace: using a private search index and leaving the cache alone", zap.String("dir", c.dir))
		return false
	}
	if err := w.s.search.useJournal(c); err != nil {
		w.s.log.Warn("cache journal unwritable: bypassed", zap.Error(err))
		return false
	}
	w.mu.Lock()
	w.held = c
	w.mu.Unlock()
	return true
}

func (w *workspace) openKeys() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	out := make([]string, 0, len(w.docs))
	for k := range w.docs {
		out = append(out, k)
	}
	return out
}

func (w *workspace) keptAll() bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.stats.kept
}

// fingerprintLocked names everything published diagnostics depend on
// besides the files: seedls itself, the settings, the position encoding
// and what the client was sent.
func (w *workspace) fingerprintLocked() string {
	st := w.settings
	settings, _ := json.Marshal(struct {
		D, F any
	}{st.Diagnostics, st.Files})
	return fmt.Sprintf("seedls %s %s|schema %d|enc %d|related %v|%s", w.s.version, executableStamp(), cacheSchema, w.enc, w.s.caps.related, settings)
}

// savePack leaves the workspace's files and their published diagnostics
// for the next session, once every change so far has been published.
func (w *workspace) savePack(ctx context.Context, c *cache) {
	var blobs map[string][]byte
	var snap *graph.Snapshot
	for tries := 0; ; tries++ {
		snap = w.current()
		var ok bool
		if blobs, ok = w.s.pub.settled(snap); ok {
			break
		}
		if tries == 300 { // a minute of steady edits: try next session
			w.s.log.Info("cache not written: the workspace never settled")
			return
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(200 * time.Millisecond):
		}
	}
	start := time.Now()
	w.mu.Lock()
	// A time this close to the scan could hide a change made within the
	// file system's time resolution: such files are compared by text.
	racy := w.stats.started.Add(-2 * time.Second).UnixNano()
	entries := make([]pack.Entry, 0, snap.FileCount())
	for _, f := range snap.Files() {
		e := pack.Entry{Path: f.Path, Size: f.Size, ModTime: f.ModTime, Hash: f.Hash, Len: f.Len, Lossy: f.Lossy, File: f}
		_, isOpen := w.docs[f.Path]
		if isOpen {
			// A buffer that matches its file is kept as the file, without
			// diagnostics (those sent to an editor are not those of a
			// closed file); one that does not is kept as a buffer.
			e.Size, e.ModTime = -1, -1
			if disk, _ := scan.ReadFile(f.Path, 0); disk != nil && disk.Kind != graph.UnreadableFile && disk.Hash == f.Hash && disk.Len == f.Len {
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
	fp := w.fingerprintLocked()
	w.mu.Unlock()
	if err := pack.Write(ctx, c.packPath(), fp, entries, snap); err != nil {
		w.s.log.Warn("cache not written", zap.String("pack", c.packPath()), zap.Error(err))
		return
	}
	w.s.log.Info("cache written", zap.String("pack", c.packPath()), zap.Int("files", len(entries)), zap.Duration("took", time.Since(start)))
	w.mu.Lock()
	w.stats.cacheWritten = true
	w.mu.Unlock()
}

// stopPack lets a pk being written at exit finish for up to wait, so
// that an editor closed soon after opening still leaves it, then gives
// it up: a half-written pk is removed, never left for the next start.
func (w *workspace) stopPack(wait time.Duration) {
	w.mu.Lock()
	done, stop := w.saving, w.stopSaving
	w.mu.Unlock()
	if done == nil {
		return
	}
	select {
	case <-done:
		return
	case <-time.After(wait):
	}
	stop()
	<-done
	w.s.log.Info("cache not written: the session ended first")
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
func (w *workspace) setText(uri string, version int32, text string) {
	key := keyOf(uri)
	w.mu.Lock()
	defer w.mu.Unlock()
	w.docs[key] = &openDoc{version: version, text: text}
	w.updateLocked([]*graph.File{graph.ParseFile(key, text)}, nil)
}

// close drops a buffer: the file on disk takes its place, or, for a buffer
// that was never saved (untitled:, or a deleted file), nothing does.
func (w *workspace) close(uri string) {
	key := keyOf(uri)
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

// wantedLocked reports whether path lies under a root and is selected.
func (w *workspace) wantedLocked(path string) bool {
	for _, r := range w.roots {
		rel, err := filepath.Rel(r, path)
		if err != nil || rel == "." || strings.HasPrefix(rel, "..") {
			continue
		}
		rel = filepath.ToSlash(rel)
		for _, part := range strings.Split(rel, "/")[:strings.Count(rel, "/")] {
			if strings.HasPrefix(part, ".") {
				return false
			}
		}
		return w.matcher.Wanted(rel)
	}
	return false
}

// watched applies file events from the client's watcher; open buffers keep
// their text whatever happens on disk.
func (w *workspace) watched(events []*protocol.FileEvent) {
	w.mu.Lock()
	defer w.mu.Unlock()
	keys := map[string]bool{}
	for _, ev := range events {
		key := keyOf(string(ev.URI))
		keys[key] = true
		if w.scanning > 0 {
			w.seen[key] = true
		}
	}
	w.applyEventsLocked(keys)
}

// applyEventsLocked brings the files named by keys in line with the disk.
// Whatever an event said, the disk has the last word: a file reported
// created but gone since is removed, one reported deleted but back is read.
func (w *workspace) applyEventsLocked(keys map[string]bool) {
	var changed []*graph.File
	var removed []string
	snap := w.current()
	for key := range keys {
		if _, open := w.docs[key]; open {
			continue
		}
		if f := w.readDiskLocked(key); f != nil {
			changed = append(changed, f)
		} else if snap.File(key) != nil {
			removed = append(removed, key)
		} else {
			// A folder that went: everything below it goes.
			prefix := key + string(filepath.Separator)
			for _, f := range snap.Files() {
				if _, open := w.docs[f.Path]; strings.HasPrefix(f.Path, prefix) && !open && !fileExists(f.Path) {
					removed = append(removed, f.Path)
				}
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

// waitScanned blocks until the initial scan is done or ctx ends. Requests
// whose answer is about the whole workspace (references, rename,
// definition, workspace symbols, quick fixes) wait: an answer from a half
// read workspace would be wrong, not just late.
func (w *workspace) waitScanned(ctx context.Context) error {
	select {
	case <-w.ready:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (w *workspace) configurationChanged(settings json.RawMessage) {
	if w.s.caps.configuration {
		go w.fetchConfiguration()
		return
	}
	w.mu.Lock()
	rescan := w.applySettingsLocked(settings)
	scanned := w.scanned
	w.mu.Unlock()
	if rescan && scanned {
		go w.scan()
	}
	w.s.pub.all()
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
	}
	out["diagnostics"] = w.s.pub.count()
	out["publishing"] = w.s.pub.pending()
	out["searchIndex"] = w.s.search.isReady()
	out["changedSinceCache"] = w.stats.changed
	out["cacheWritten"] = w.stats.cacheWritten
	if w.stats.early > 0 {
		out["keptPublishedInMs"] = w.stats.early.Milliseconds()
	}
	out["keptDiagnostics"] = w.s.pub.reusedCount()
	return out
}

// showWarning tells the user through window/showMessage and the log.
func (s *Server) showWarning(msg string) {
	s.log.Warn(msg)
	s.notify("window/showMessage", protocol.ShowMessageParams{Type: protocol.MessageTypeWarning, Message: msg})
}

// newEntityDir is where "create entity" puts new files: the configured
// folder under the root holding docKey (or the first root).
func (w *workspace) newEntityDir(docKey string) string {
	w.mu.Lock()
	defer w.mu.Unlock()
	root := ""
	for _, r := range w.roots {
		if rel, err := filepath.Rel(r, docKey); err == nil && !strings.HasPrefix(rel, "..") {
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
