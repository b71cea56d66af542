package lsp

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"go.uber.org/zap"

	"github.com/seedls/seedls/graph"
	"github.com/seedls/seedls/graph/search"
)

// searcher keeps the full-text index in step with the snapshots. Until
// it is ready, and whenever it fails, queries fall back to a scan of the
// snapshot, so nobody waits for it.
//
// With a cache folder the index lives there across sessions: it is opened
// and brought up to date at start, or built aside and moved into place
// when complete. A journal in the folder lists the files whose documents
// may differ from the pack's texts (edits, open buffers); they are
// re-indexed at the next start. Without a cache folder, or when another
// seedls holds the cache (see cache.acquire), a private index is built in
// a temporary folder removed at exit.
type searcher struct {
	s       *Server
	mu      sync.Mutex
	idx     *search.Index
	tmpDir  string          // a private index's folder, or an index being built in the cache
	journal *os.File        // the cache's journal, for a shared index
	noted   map[string]bool // paths noted in the journal since it was last read
	ready   bool
	done    bool // the session ended: build nothing more
	queue   chan func(*search.Index) error
}

// maxHits bounds what the index returns for ranking.
const maxHits = 200

// lockWait is how long opening the cache's index waits for another
// process to let go of it.
const lockWait = time.Second

func newSearcher(s *Server) *searcher {
	x := &searcher{s: s, queue: make(chan func(*search.Index) error, 1024)}
	return x
}

// useJournal opens the cache's journal, for a session that holds the
// cache: from then on every change to the index is noted there first.
func (x *searcher) useJournal(c *cache) error {
	j, err := os.OpenFile(c.journalPath(), os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return err
	}
	x.mu.Lock()
	x.journal, x.noted = j, map[string]bool{}
	x.mu.Unlock()
	return nil
}

// start readies the index for snap. With c (held by this session, its
// journal in use), the cache's index is opened and the files of stale and
// of the journal re-indexed (stale nil: unknown, rebuild it), or it is
// built aside and moved into place; otherwise a private index is built.
func (x *searcher) start(snap *graph.Snapshot, c *cache, stale map[string]bool) {
	var idx *search.Index
	if c != nil {
		idx = x.openShared(snap, c, stale)
	}
	if idx == nil {
		idx = x.buildPrivate(snap)
		if idx == nil {
			return
		}
	}
	x.mu.Lock()
	if x.done {
		x.mu.Unlock()
		idx.Close()
		return
	}
	x.idx, x.ready = idx, true
	x.mu.Unlock()
	go func() {
		for f := range x.queue {
			if err := f(idx); err != nil {
				x.s.log.Warn("search index update failed", zap.Error(err))
			}
		}
	}()
}

// openShared opens the cache's index and re-indexes what is stale, or
// builds it aside and moves it into place. It returns nil when that
// fails or another process holds the index.
func (x *searcher) openShared(snap *graph.Snapshot, c *cache, stale map[string]bool) *search.Index {
	log := x.s.log
	dir := c.searchDir()
	if _, err := os.Stat(dir); err == nil {
		idx, err := search.Open(dir, lockWait)
		switch {
		case errors.Is(err, search.ErrLocked):
			log.Info("search index held by another process: using a private one", zap.String("dir", dir))
			return nil
		case err != nil:
			log.Warn("search index in the cache unreadable: rebuilding it", zap.String("dir", dir), zap.Error(err))
			os.RemoveAll(dir)
		case stale == nil:
			log.Info("search index cannot be checked against the workspace: rebuilding it")
			idx.Close()
			os.RemoveAll(dir)
		default:
			for p := range x.takeJournal(c) {
				stale[p] = true
			}
			if err := reindex(idx, snap, stale); err != nil {
				log.Warn("search index in the cache could not be updated: rebuilding it", zap.Error(err))
				idx.Close()
				os.RemoveAll(dir)
				break
			}
			x.rewriteJournal()
			log.Info("search index reused from the cache", zap.Int("reindexed", len(stale)))
			return idx
		}
	}
	x.takeJournal(c) // the build covers everything noted so far
	tmp, err := os.MkdirTemp(c.dir, "search.tmp-")
	if err != nil {
		log.Warn("search index cannot be built in the cache", zap.Error(err))
		return nil
	}
	// A session that ends mid-build takes its half-built index with it.
	x.mu.Lock()
	x.tmpDir = tmp
	x.mu.Unlock()
	if err := buildInto(filepath.Join(tmp, "index"), snap); err != nil {
		os.RemoveAll(tmp)
		log.Warn("search index cannot be built in the cache", zap.Error(err))
		return nil
	}
	if err := os.Rename(filepath.Join(tmp, "index"), dir); err != nil {
		os.RemoveAll(tmp)
		log.Info("search index not moved into place", zap.Error(err))
		return nil
	}
	x.mu.Lock()
	x.tmpDir = ""
	x.mu.Unlock()
	os.RemoveAll(tmp)
	idx, err := search.Open(dir, lockWait)
	if err != nil {
		log.Info("search index built but not opened", zap.Error(err))
		return nil
	}
	x.rewriteJournal()
	log.Info("search index built in the cache", zap.String("dir", dir))
	return idx
}

// takeJournal returns the paths in the journal, and starts collecting
// anew what is noted from now on.
func (x *searcher) takeJournal(c *cache) map[string]bool {
	x.mu.Lock()
	defer x.mu.Unlock()
	x.noted = map[string]bool{}
	return c.readJournal()
}

// rewriteJournal leaves in the journal only what was noted since
// takeJournal: the rest is now in the index.
func (x *searcher) rewriteJournal() {
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.journal == nil {
		return
	}
	var paths []string
	for p := range x.noted {
		paths = append(paths, p)
	}
	if err := x.journal.Truncate(0); err != nil {
		x.s.log.Warn("search index journal not rewritten", zap.Error(err))
		return
	}
	x.writeJournalLocked(paths)
}

// buildInto makes a complete index of snap at path and closes it.
func buildInto(path string, snap *graph.Snapshot) error {
	idx, err := search.New(path)
	if err != nil {
		return err
	}
	var batch []*graph.File
	flush := func() error {
		err := idx.Update(batch, nil)
		batch = batch[:0]
		return err
	}
	for _, f := range snap.Files() {
		if f.Entity == nil {
			continue
		}
		if batch = append(batch, f); len(batch) == 2000 {
			if err := flush(); err != nil {
				idx.Close()
				return err
			}
		}
	}
	if err := flush(); err != nil {
		idx.Close()
		return err
	}
	if err := idx.Merge(context.Background()); err != nil {
		idx.Close()
		return err
	}
	return idx.Close()
}

// reindex replaces the documents of paths with what snap has for them.
func reindex(idx *search.Index, snap *graph.Snapshot, paths map[string]bool) error {
	var add []*graph.File
	var remove []string
	for p := range paths {
		remove = append(remove, p)
		if f := snap.File(p); f != nil && f.Entity != nil {
			add = append(add, f)
		}
	}
	for i := 0; i < len(add) || i < len(remove); i += 2000 {
		if err := idx.Update(add[min(i, len(add)):min(i+2000, len(add))], remove[min(i, len(remove)):min(i+2000, len(remove))]); err != nil {
			return err
		}
	}
	return nil
}

// buildPrivate builds an index in a temporary folder removed at exit.
func (x *searcher) buildPrivate(snap *graph.Snapshot) *search.Index {
	dir, err := os.MkdirTemp("", "seedls-search-")
	if err != nil {
		x.s.log.Warn("search index unavailable", zap.Error(err))
		return nil
	}
	x.mu.Lock()
	x.tmpDir = dir
	x.mu.Unlock()
	path := filepath.Join(dir, "index")
	if err := buildInto(path, snap); err != nil {
		x.s.log.Warn("search index unavailable", zap.Error(err))
		return nil
	}
	idx, err := search.Open(path, lockWait)
	if err != nil {
		x.s.log.Warn("search index unavailable", zap.Error(err))
		return nil
	}
	x.s.log.Info("search index built", zap.String("dir", dir))
	return idx
}

// note records in the journal that the documents of paths are about to
// change, before they do: a session that dies midway leaves them listed.
func (x *searcher) note(paths []string) {
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.journal == nil || len(paths) == 0 {
		return
	}
	// Each path once: a buffer edited all day is one line.
	var fresh []string
	for _, p := range paths {
		if !x.noted[p] {
			x.noted[p] = true
			fresh = append(fresh, p)
		}
	}
	x.writeJournalLocked(fresh)
}

func (x *searcher) writeJournalLocked(paths []string) {
	if len(paths) == 0 {
		return
	}
	if _, err := x.journal.WriteString(strings.Join(paths, "\n") + "\n"); err != nil {
		x.s.log.Warn("search index journal not written", zap.Error(err))
	}
}

// isReady reports whether the index has been built.
func (x *searcher) isReady() bool {
	x.mu.Lock()
	defer x.mu.Unlock()
	return x.ready
}

// update records that files changed from old to new versions.
func (x *searcher) update(old []*graph.File, changed []*graph.File) {
	var add []*graph.File
	var remove, touched []string
	for _, f := range old {
		if f != nil && f.Entity != nil {
			remove = append(remove, f.Path)
		}
	}
	for _, f := range changed {
		touched = append(touched, f.Path)
		if f.Entity != nil {
			add = append(add, f)
		}
	}
	if len(add) == 0 && len(remove) == 0 {
		return
	}
	touched = append(touched, remove...)
	x.note(touched)
	select {
	case x.queue <- func(idx *search.Index) error { return idx.Update(add, remove) }:
	default:
		x.s.log.Warn("search index update dropped: queue full")
	}
}

// find returns ranked candidates for words typed by the user.
func (x *searcher) find(snap *graph.Snapshot, query string, limit int) ([]graph.Candidate, bool) {
	x.mu.Lock()
	idx, ready := x.idx, x.ready
	x.mu.Unlock()
	words := graph.TitleWords(query)
	if !ready || len(words) == 0 {
		return snap.CompleteWords(query, limit)
	}
	paths, err := idx.Find(words, maxHits)
	if err != nil {
		x.s.log.Warn("search failed", zap.Error(err))
		return snap.CompleteWords(query, limit)
	}
	cands, more := snap.RankWords(paths, query, limit)
	// Hits past maxHits were never ranked: the list is incomplete, and the
	// client asks again as the user types more.
	return cands, more || len(paths) == maxHits
}

// close releases the index; a private one's folder is removed.
func (x *searcher) close() {
	x.mu.Lock()
	defer x.mu.Unlock()
	x.done = true
	if x.idx != nil {
		x.idx.Close()
		x.idx, x.ready = nil, false
	}
	if x.journal != nil {
		x.journal.Close()
		x.journal = nil
	}
	if x.tmpDir != "" {
		os.RemoveAll(x.tmpDir)
	}
}
