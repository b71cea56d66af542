package lsp

import (
	"os"
	"path/filepath"
	"sync"

	"go.uber.org/zap"

	"github.com/seedls/seedls/graph"
)

// searcher keeps the full-text index in step with the snapshots. It is
// built in the background after the scan; until then, and whenever it
// fails, queries fall back to a scan of the snapshot.
type searcher struct {
	s     *Server
	mu    sync.Mutex
	idx   *graph.Search
	dir   string // the index's temporary folder
	ready bool
	done  bool // the session ended: build nothing more
	queue chan func(*graph.Search) error
}

// maxHits bounds what the index returns for ranking.
const maxHits = 400

func newSearcher(s *Server) *searcher {
	x := &searcher{s: s, queue: make(chan func(*graph.Search) error, 1024)}
	return x
}

// build indexes every entity of snap, then applies queued updates in order.
// The index lives on disk in a temporary folder, removed when the session
// ends: bleve in memory never merges its segments and holds about 200 MB
// at 100k entities. (Keeping it across sessions is the warm-start work.)
func (x *searcher) build(snap *graph.Snapshot) {
	dir, err := os.MkdirTemp("", "seedls-search-")
	if err != nil {
		x.s.log.Warn("search index unavailable", zap.Error(err))
		return
	}
	idx, err := graph.NewSearch(filepath.Join(dir, "index"))
	if err != nil {
		os.RemoveAll(dir)
		x.s.log.Warn("search index unavailable", zap.Error(err))
		return
	}
	x.mu.Lock()
	x.dir = dir
	x.mu.Unlock()
	var batch []*graph.Entity
	snap.Entities(func(e *graph.Entity) { batch = append(batch, e) })
	for i := 0; i < len(batch); i += 2000 {
		if err := idx.Update(batch[i:min(i+2000, len(batch))], nil); err != nil {
			x.s.log.Warn("search index build failed", zap.Error(err))
			return
		}
	}
	x.mu.Lock()
	if x.done {
		x.mu.Unlock()
		idx.Close()
		os.RemoveAll(dir)
		return
	}
	x.idx, x.ready = idx, true
	x.mu.Unlock()
	x.s.log.Info("search index built", zap.Int("entities", len(batch)))
	go func() {
		for f := range x.queue {
			if err := f(idx); err != nil {
				x.s.log.Warn("search index update failed", zap.Error(err))
			}
		}
	}()
}

// isReady reports whether the index has been built.
func (x *searcher) isReady() bool {
	x.mu.Lock()
	defer x.mu.Unlock()
	return x.ready
}

// update records that files changed from old to new versions.
func (x *searcher) update(old []*graph.File, changed []*graph.File) {
	var add []*graph.Entity
	var remove []string
	for _, f := range old {
		if f != nil && f.Entity != nil {
			remove = append(remove, f.Entity.ID)
		}
	}
	for _, f := range changed {
		if f.Entity != nil {
			add = append(add, f.Entity)
		}
	}
	if len(add) == 0 && len(remove) == 0 {
		return
	}
	select {
	case x.queue <- func(idx *graph.Search) error { return idx.Update(add, remove) }:
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
	ids, err := idx.Find(words, maxHits)
	if err != nil {
		x.s.log.Warn("search failed", zap.Error(err))
		return snap.CompleteWords(query, limit)
	}
	cands, more := snap.RankWords(ids, query, limit)
	// Hits past maxHits were never ranked: the list is incomplete, and the
	// client asks again as the user types more.
	return cands, more || len(ids) == maxHits
}

// close releases the index and removes its folder.
func (x *searcher) close() {
	x.mu.Lock()
	defer x.mu.Unlock()
	x.done = true
	if x.idx != nil {
		x.idx.Close()
		x.idx, x.ready = nil, false
	}
	if x.dir != "" {
		os.RemoveAll(x.dir)
	}
}
