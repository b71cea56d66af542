package lsp

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
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
// when complete. The journal in the folder lists the files whose documents
// may differ from the pack's (edits, open buffers); they are re-indexed at
// the next start. Without a cache folder, or when another seedls holds the
// cache, a private index is built in a temporary folder removed at exit.
//
// A whole index is made by build (a child process in the server: see
// childBuilder), updates are applied here: they are coalesced by path,
// never dropped, and applied in the background.
type searcher struct {
	log    *zap.Logger
	build  indexBuilder
	failed func(what string, r any, stack []byte) // told of a panic in the background

	mu      sync.Mutex
	idx     *search.Index
	tmpDir  string  // a private index's folder, or an index being built in the cache
	journal journal // the cache's journal, for a shared index
	ready   bool
	done    bool // the session ended: build nothing more
	// pending holds the documents to change, the latest version of each
	// path (nil: remove it), until the index takes them.
	pending map[string]*graph.File
	wake    chan struct{}
	stop    chan struct{} // closed at close
	// applying is set while a batch is being applied.
	applying bool
	appliers sync.WaitGroup // the goroutine applying updates
}

// indexBuilder makes a complete index of snap's entities at path.
type indexBuilder func(path string, snap *graph.Snapshot) error

// maxHits bounds what the index returns for ranking.
const maxHits = 200

// lockWait is how long opening the cache's index waits for another
// process to let go of it.
const lockWait = time.Second

func newSearcher(log *zap.Logger, build indexBuilder) *searcher {
	return &searcher{log: log, build: build, pending: map[string]*graph.File{}, wake: make(chan struct{}, 1), stop: make(chan struct{})}
}

// inProcessBuilder builds the index in this process.
func inProcessBuilder(path string, snap *graph.Snapshot) error {
	var buf bytes.Buffer
	if err := search.WriteDocs(&buf, snap.Files()); err != nil {
		return err
	}
	return search.Build(path, &buf)
}

// childBuilder builds the index in a child process, `seedls index PATH`
// (command), fed the documents on its stdin: the build's allocations and
// CPU stay out of the server, which keeps its heap and, the child
// running at a lower priority, its cores for requests.
func childBuilder(command []string) indexBuilder {
	return func(path string, snap *graph.Snapshot) error {
		cmd := exec.Command(command[0], append(command[1:], path)...)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		in, err := cmd.StdinPipe()
		if err != nil {
			return err
		}
		if err := cmd.Start(); err != nil {
			return err
		}
		werr := search.WriteDocs(in, snap.Files())
		in.Close()
		if err := cmd.Wait(); err != nil {
			return fmt.Errorf("%v: %s", err, bytes.TrimSpace(stderr.Bytes()))
		}
		return werr
	}
}

// start readies the index for snap. With c (held by this session, j its
// journal), the cache's index is opened and the files of stale and of the
// journal re-indexed (stale nil: unknown, rebuild it), or it is built
// aside and moved into place; otherwise a private index is built.
func (x *searcher) start(snap *graph.Snapshot, c *cache, j journal, stale map[string]bool) {
	var idx *search.Index
	if c != nil {
		x.mu.Lock()
		x.journal = j
		x.mu.Unlock()
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
	x.appliers.Add(1)
	x.mu.Unlock()
	go func() {
		defer x.appliers.Done()
		x.apply(idx)
	}()
	x.poke()
}

// apply gives the index the pending updates, all of them at each wake.
func (x *searcher) apply(idx *search.Index) {
	for {
		select {
		case <-x.stop:
			return
		case <-x.wake:
		}
		x.mu.Lock()
		if x.done {
			x.mu.Unlock()
			return
		}
		pending := x.pending
		x.pending = map[string]*graph.File{}
		x.applying = len(pending) > 0
		x.mu.Unlock()
		if len(pending) == 0 {
			continue
		}
		var add []*graph.File
		var remove []string
		for p, f := range pending {
			remove = append(remove, p)
			if f != nil {
				add = append(add, f)
			}
		}
		if err := x.applyBatch(idx, add, remove); err != nil {
			x.log.Warn("search index update failed: re-indexed at the next start", zap.Error(err))
		}
		x.mu.Lock()
		x.applying = false
		x.mu.Unlock()
	}
}

// applyBatch applies one batch, containing a panic (see Server.goSafe).
func (x *searcher) applyBatch(idx *search.Index, add []*graph.File, remove []string) (err error) {
	defer func() {
		if r := recover(); r != nil {
			if x.failed != nil {
				x.failed("updating the search index", r, debug.Stack())
			}
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	return idx.Update(add, remove)
}

func (x *searcher) poke() {
	select {
	case x.wake <- struct{}{}:
	default:
	}
}

// openShared opens the cache's index and re-indexes what is stale, or
// builds it aside and moves it into place. It returns nil when that
// fails or another process holds the index.
func (x *searcher) openShared(snap *graph.Snapshot, c *cache, stale map[string]bool) *search.Index {
	log := x.log
	dir := c.searchDir()
	j := x.journalOf()
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
			for p := range j.take() {
				stale[p] = true
			}
			if err := reindex(idx, snap, stale); err != nil {
				log.Warn("search index in the cache could not be updated: rebuilding it", zap.Error(err))
				idx.Close()
				os.RemoveAll(dir)
				break
			}
			j.rewrite()
			log.Info("search index reused from the cache", zap.Int("reindexed", len(stale)))
			return idx
		}
	}
	j.take() // the build covers everything noted so far
	tmp, err := os.MkdirTemp(c.dir, "search.tmp-")
	if err != nil {
		log.Warn("search index cannot be built in the cache", zap.Error(err))
		return nil
	}
	// A session that ends mid-build takes its half-built index with it.
	x.mu.Lock()
	x.tmpDir = tmp
	x.mu.Unlock()
	start := time.Now()
	if err := x.build(filepath.Join(tmp, "index"), snap); err != nil {
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
	j.rewrite()
	log.Info("search index built in the cache", zap.String("dir", dir), zap.Duration("took", time.Since(start)))
	return idx
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
		x.log.Warn("search index unavailable", zap.Error(err))
		return nil
	}
	x.mu.Lock()
	x.tmpDir = dir
	x.mu.Unlock()
	path := filepath.Join(dir, "index")
	if err := x.build(path, snap); err != nil {
		x.log.Warn("search index unavailable", zap.Error(err))
		return nil
	}
	idx, err := search.Open(path, lockWait)
	if err != nil {
		x.log.Warn("search index unavailable", zap.Error(err))
		return nil
	}
	x.log.Info("search index built", zap.String("dir", dir))
	return idx
}

// journalOf returns the journal, or one that keeps nothing.
func (x *searcher) journalOf() journal {
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.journal == nil {
		return noJournal{}
	}
	return x.journal
}

type noJournal struct{}

func (noJournal) note([]string)         {}
func (noJournal) take() map[string]bool { return map[string]bool{} }
func (noJournal) rewrite()              {}

// isReady reports whether the index has been built.
func (x *searcher) isReady() bool {
	x.mu.Lock()
	defer x.mu.Unlock()
	return x.ready
}

// update records that files changed from old to new versions (old may
// hold nils), noting them in the journal first.
func (x *searcher) update(old []*graph.File, changed []*graph.File) {
	var touched []string
	x.mu.Lock()
	for _, f := range old {
		if f != nil && f.Entity != nil {
			touched = append(touched, f.Path)
			if _, ok := x.pending[f.Path]; !ok {
				x.pending[f.Path] = nil
			}
		}
	}
	for _, f := range changed {
		if f.Entity != nil {
			x.pending[f.Path] = f
			touched = append(touched, f.Path)
		} else if _, ok := x.pending[f.Path]; ok {
			x.pending[f.Path] = nil
		}
	}
	j := x.journal
	x.mu.Unlock()
	if len(touched) == 0 {
		return
	}
	if j != nil {
		j.note(touched)
	}
	x.poke()
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
		x.log.Warn("search failed", zap.Error(err))
		return snap.CompleteWords(query, limit)
	}
	cands, more := snap.RankWords(paths, query, limit)
	// Hits past maxHits were never ranked: the list is incomplete, and the
	// client asks again as the user types more.
	return cands, more || len(paths) == maxHits
}

// close releases the index, once the update under way is applied; a
// private one's folder is removed.
func (x *searcher) close() {
	x.mu.Lock()
	if !x.done {
		x.done = true
		close(x.stop)
	}
	x.mu.Unlock()
	x.appliers.Wait()
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.idx != nil {
		x.idx.Close()
		x.idx, x.ready = nil, false
	}
	if x.tmpDir != "" {
		os.RemoveAll(x.tmpDir)
	}
}
