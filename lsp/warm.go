package lsp

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"time"

	"go.uber.org/zap"

	"github.com/seedls/seedls/graph"
	"github.com/seedls/seedls/graph/pack"
	"github.com/seedls/seedls/graph/scan"
)

// warmStart is what a session does with what the last one left in the
// cache, and what it leaves for the next: the pack (every file's stat and
// parse, the graph's indexes, the diagnostics published for each closed
// file) and the journal of the search index. One type owns all of it:
// reading the pack while the workspace is listed, publishing its
// diagnostics early when nothing changed, working out which kept
// diagnostics still hold, recording what this session publishes, and
// writing the next pack. The workspace and the publisher see it through
// a handful of methods.
type warmStart struct {
	log *zap.Logger

	mu     sync.Mutex
	cache  *cache            // the workspace's folder in the cache; nil: none
	held   bool              // this session owns the folder (see cache.acquire)
	loaded func() *pack.Pack // the pack being read
	cached *cachedLists      // for the first full round
	// recorded, while not nil, holds every closed file's published list,
	// for the pack this session leaves.
	recorded map[string][]byte
	// journal lists the files whose search documents may differ from the
	// pack's (see searcher): noted since it was last read.
	journal journal
	stats   warmStats
	// saving is closed when the pack being written is written or given
	// up; stopSaving gives it up (see stop).
	saving     chan struct{}
	stopSaving context.CancelFunc
}

// warmStats is what the status reports of the warm start.
type warmStats struct {
	fromCache    bool          // the first diagnostics came from the cache
	changed      int           // files changed since the cache's pack; -1: no pack
	cacheWritten bool          // this session wrote the cache's pack
	early        time.Duration // kept diagnostics all published, from the scan's start; 0: not
	used         *cachedLists  // the kept lists the first full round took
}

// cachedLists are the diagnostics a pack kept for the files nothing changed
// for: the first full round publishes them instead of diagnosing those
// files.
type cachedLists struct {
	pack     *pack.Pack
	affected map[string]bool // files whose kept lists no longer hold
	// early is set when the lists were published before the round (the
	// workspace was found as the pack has it): the round only records
	// them.
	early bool
	used  atomic.Int64 // lists the round published as kept
}

// list returns the list kept for path, if it still holds.
func (k *cachedLists) list(path string) ([]byte, bool) {
	if k.affected[path] {
		return nil, false
	}
	if e, ok := k.pack.Entry(path); ok && e.HasBlob {
		return e.Blob, true
	}
	return nil, false
}

// touched marks paths changed since the lists were compared.
func (k *cachedLists) touched(paths map[string]bool) {
	for p := range paths {
		k.affected[p] = true
	}
}

func newWarmStart(log *zap.Logger) *warmStart {
	return &warmStart{log: log, stats: warmStats{changed: -1}}
}

// open finds the cache folder of roots and starts reading its pack. It
// returns what the scan asks for the files the pack knows (nil without a
// cache), and starts recording published lists for the next pack.
func (w *warmStart) open(roots []string, setting string) func() scan.Known {
	c := openCache(setting, roots, w.log)
	if c == nil {
		return nil
	}
	done := make(chan *pack.Pack, 1)
	go func() {
		t := time.Now()
		p, err := pack.Read(c.packPath())
		switch {
		case errors.Is(err, pack.ErrMissing):
		case errors.Is(err, pack.ErrOtherBuild):
			w.log.Info("cache written by another build of seedls: reading every file, and it will be rewritten")
		case err != nil:
			w.log.Warn("cache unreadable: reading every file, and it will be rewritten", zap.String("pack", c.packPath()), zap.Error(err))
		default:
			w.log.Debug("cache read", zap.Duration("took", time.Since(t)))
		}
		done <- p
	}()
	loaded := sync.OnceValue(func() *pack.Pack { return <-done })
	w.mu.Lock()
	w.cache, w.loaded = c, loaded
	w.recorded = map[string][]byte{}
	w.mu.Unlock()
	return func() scan.Known {
		if p := loaded(); p != nil {
			return p
		}
		return nil
	}
}

// pack returns the pack read at open, nil when there is none (or it is
// let go: see dropPack).
func (w *warmStart) pack() *pack.Pack {
	w.mu.Lock()
	loaded := w.loaded
	w.mu.Unlock()
	if loaded == nil {
		return nil
	}
	return loaded()
}

// dropPack lets the pack go once compared: its records' heads now, the
// rest once the kept lists are published.
func (w *warmStart) dropPack() {
	if p := w.pack(); p != nil {
		p.DropRecords()
	}
	w.mu.Lock()
	w.loaded = nil
	w.mu.Unlock()
}

// holds reports whether the pack's diagnostics hold for fingerprint.
func (w *warmStart) holds(fingerprint string) bool {
	p := w.pack()
	return p != nil && p.Fingerprint == fingerprint
}

// publishEarly publishes the pack's diagnostics when a scan found the
// workspace as the pack has it (files read, known of them from the pack),
// while the graph is built: hover and the rest wait for the graph as
// usual. The returned function waits until they are out.
func (w *warmStart) publishEarly(pub *publisher, fingerprint string, files, known int, open map[string]bool, started time.Time) (wait func()) {
	p := w.pack()
	if p == nil || p.Fingerprint != fingerprint || !p.Unchanged(files, known) {
		return func() {}
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		n := 0
		for i := range p.Entries {
			e := &p.Entries[i]
			if !e.HasBlob || open[e.Path] {
				continue
			}
			if count, list, err := splitBlob(e.Blob); err == nil {
				pub.publishList(e.Path, count, list, 0, false, true)
				n++
			}
		}
		took := time.Since(started)
		w.mu.Lock()
		w.stats.early = took
		w.mu.Unlock()
		w.log.Info("cache: nothing changed; kept diagnostics published", zap.Int("files", n), zap.Duration("since start", took))
	}()
	return func() { <-done }
}

// snapshot makes the scan's snapshot from the pack's stored indexes and
// what changed since, when the pack has them and little changed (a
// snapshot changed in many places is better built afresh); nil otherwise.
func (w *warmStart) snapshot(files []*graph.File, known int) *graph.Snapshot {
	p := w.pack()
	if p == nil || len(files)-known > len(files)/8 {
		return nil // most files read again: not worth making the pack's snapshot
	}
	base := p.Snapshot()
	if base == nil {
		return nil
	}
	changed, removed := base.Changes(files)
	if len(changed)+len(removed) > len(files)/8 {
		return nil
	}
	w.log.Debug("snapshot made from the cache", zap.Int("changed", len(changed)), zap.Int("removed", len(removed)))
	return base.With(changed, removed)
}

// compare works out what changed since the pack: it returns those files
// (their search documents are stale), and unless the settings or seedls
// changed (fingerprint), keeps for the first full round the lists of
// every file no change reaches, the open ones aside.
func (w *warmStart) compare(snap *graph.Snapshot, fingerprint string, open []string) (stale map[string]bool) {
	p := w.pack()
	if p == nil {
		return nil
	}
	affected, changed, all := p.Affected(snap)
	stale = make(map[string]bool, len(changed))
	for _, path := range changed {
		stale[path] = true
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	w.stats.changed = len(changed)
	switch {
	case all:
		w.log.Info("cache: a kind appeared or went, or a changed file's old version is unknown; diagnosing every file")
	case p.Fingerprint != fingerprint:
		w.log.Info("cache: settings or seedls changed since; diagnosing every file")
	default:
		for _, k := range open {
			affected[k] = true
		}
		w.cached = &cachedLists{pack: p, affected: affected, early: w.stats.early > 0}
		w.stats.fromCache = true
		w.log.Info("cache: publishing kept diagnostics", zap.Int("changed", len(changed)), zap.Int("affected", len(affected)))
	}
	return stale
}

// takeCached, putBack, record and forget are the publisher's (keeper).

func (w *warmStart) takeCached() *cachedLists {
	w.mu.Lock()
	defer w.mu.Unlock()
	k := w.cached
	w.cached = nil
	if k != nil {
		w.stats.used = k
	}
	return k
}

func (w *warmStart) putBack(k *cachedLists) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.cached == nil {
		w.cached = k
	}
}

func (w *warmStart) record(path string, blob []byte) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.recorded != nil {
		w.recorded[path] = blob
	}
}

func (w *warmStart) forget(path string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.recorded != nil {
		delete(w.recorded, path)
	}
}

// stopRecording ends recording, and lets what it held go.
func (w *warmStart) stopRecording() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.recorded = nil
}

// takeRecord returns what was recorded and stops recording.
func (w *warmStart) takeRecord() map[string][]byte {
	w.mu.Lock()
	defer w.mu.Unlock()
	r := w.recorded
	w.recorded = nil
	return r
}

// hold takes the cache for this session and opens its journal, or says
// why not: the pack and the shared search index are then left alone.
func (w *warmStart) hold() *cache {
	w.mu.Lock()
	c := w.cache
	w.mu.Unlock()
	if c == nil {
		return nil
	}
	ok, err := c.acquire()
	switch {
	case err != nil:
		w.log.Warn("cache not lockable: bypassed", zap.String("dir", c.dir), zap.Error(err))
		return nil
	case !ok:
		w.log.Info("cache held by another seedls on this workspace: using a private search index and leaving the cache alone", zap.String("dir", c.dir))
		return nil
	}
	j, err := openJournal(c)
	if err != nil {
		w.log.Warn("cache journal unwritable: bypassed", zap.Error(err))
		return nil
	}
	w.mu.Lock()
	w.held, w.journal = true, j
	w.mu.Unlock()
	return c
}

// journalOf returns the journal of a held cache, or nil.
func (w *warmStart) journalOf() journal {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.journal
}

// savedState is what saving a pack reads of the workspace.
type savedState interface {
	current() *graph.Snapshot
	packEntries(snap *graph.Snapshot, blobs map[string][]byte) ([]pack.Entry, string)
	// pace is called as the pack is written: it holds the writer while
	// requests are coming.
	pace()
}

// save leaves the workspace's files and their published diagnostics for
// the next session, once every change so far has been published; it
// gives up after a minute of steady edits, or when stopped. Recording
// ends either way.
func (w *warmStart) save(ctx context.Context, c *cache, ws savedState, pub *publisher) {
	defer w.stopRecording()
	var snap *graph.Snapshot
	for tries := 0; ; tries++ {
		snap = ws.current()
		if pub.settled(snap) {
			break
		}
		if tries == 300 {
			w.log.Info("cache not written: the workspace never settled")
			return
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(200 * time.Millisecond):
		}
	}
	blobs := w.takeRecord()
	if blobs == nil {
		return
	}
	start := time.Now()
	entries, fingerprint := ws.packEntries(snap, blobs)
	if err := pack.Write(ctx, c.packPath(), fingerprint, entries, snap, ws.pace); err != nil {
		w.log.Warn("cache not written", zap.String("pack", c.packPath()), zap.Error(err))
		return
	}
	w.log.Info("cache written", zap.String("pack", c.packPath()), zap.Int("files", len(entries)), zap.Duration("took", time.Since(start)))
	w.mu.Lock()
	w.stats.cacheWritten = true
	w.mu.Unlock()
}

// startSaving writes the pack in the background (see save), when the
// session holds the cache and the pack is worth writing: there was none,
// files changed since, its diagnostics did not hold, or it kept files too
// recent to trust by their stat.
func (w *warmStart) startSaving(c *cache, hadPack bool, stale map[string]bool, racy bool, ws savedState, pub *publisher, safe func(string, func())) {
	w.mu.Lock()
	kept := w.stats.fromCache
	w.mu.Unlock()
	if c == nil || hadPack && len(stale) == 0 && kept && !racy {
		w.stopRecording()
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	w.mu.Lock()
	w.saving, w.stopSaving = done, cancel
	w.mu.Unlock()
	go safe("writing the cache", func() {
		defer close(done)
		w.save(ctx, c, ws, pub)
	})
}

// stop lets a pack being written at exit finish for up to wait, so that
// an editor closed soon after opening still leaves it, then gives it up:
// a half-written pack is removed, never left for the next start.
func (w *warmStart) stop(wait time.Duration) {
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
	w.log.Info("cache not written: the session ended first")
}

// status adds the warm start's figures to the index status.
func (w *warmStart) status(out map[string]any) {
	w.mu.Lock()
	defer w.mu.Unlock()
	out["changedSinceCache"] = w.stats.changed
	out["cacheWritten"] = w.stats.cacheWritten
	if w.stats.early > 0 {
		out["keptPublishedInMs"] = w.stats.early.Milliseconds()
	}
	reused := int64(0)
	if w.stats.used != nil {
		reused = w.stats.used.used.Load()
	}
	out["keptDiagnostics"] = reused
}

// close releases the journal.
func (w *warmStart) close() {
	w.mu.Lock()
	j := w.journal
	w.mu.Unlock()
	if fj, ok := j.(*fileJournal); ok {
		fj.close()
	}
}
