// Package heap keeps a long-lived process's heap near what it holds: the
// language server's budget, and the checker's once its graph is built.
package heap

import (
	"context"
	"math"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"
	"time"

	"go.uber.org/zap"
)

// Budget keeps a long-lived server's heap near what its workspace
// needs. Go's default (GOGC=100) lets the heap grow to twice what is live
// before it collects: at 100k entities, 450 MB of graph became a gigabyte
// of resident memory while the search index was built. Once a scan is
// done, GOGC is set so that the heap grows to what is live plus a fifth
// (at least 96 MiB): about 20 at 100k entities, 100 in small workspaces;
// and a memory limit a quarter as far again stops a burst of allocation
// (the index build's) from running past it while a collection is under way.
// Both are re-read every few seconds so that a growing workspace moves
// them. While a scan runs, GOGC is 100 and there is no limit: the scan
// allocates fast and keeps nearly all of it, and collecting more often
// would only slow it down. GOGC or GOMEMLIMIT in the environment turn
// this off.
//
// The price is a collection every second or so while requests allocate:
// at 100k entities, completion's 99th percentile rises by a few
// milliseconds (make bench; see the README).
type Budget struct {
	log *zap.Logger

	mu       sync.Mutex
	scanning int
	target   int64  // the heap GOGC lets grow to: live plus headroom
	cycles   uint64 // collections counted at the last settle
}

// New makes a budget, or returns nil when GOGC or GOMEMLIMIT is set:
// then the environment decides.
func New(log *zap.Logger) *Budget {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		return nil
	}
	return &Budget{log: log, target: math.MaxInt64}
}

// Run re-reads the live heap until ctx ends.
func (b *Budget) Run(ctx context.Context) {
	if b == nil {
		return
	}
	t := time.NewTicker(3 * time.Second)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			b.settle(false, false)
		}
	}
}

// Scan restores GOGC=100 and lifts the limit until the returned function
// is called, when the budget is set from the new live heap: collected
// first when collect is set (the heap is mostly a pack's buffers, quick
// to mark, and the collection runs beside other work), else estimated
// from every object in the heap, garbage included (a collection of a
// freshly parsed heap, beside the first diagnostics, slowed them by a
// third of a second).
func (b *Budget) Scan() (done func(collect bool)) {
	if b == nil {
		return func(bool) {}
	}
	b.mu.Lock()
	b.scanning++
	b.target = math.MaxInt64
	debug.SetGCPercent(100)
	debug.SetMemoryLimit(math.MaxInt64)
	b.mu.Unlock()
	return func(collect bool) {
		b.mu.Lock()
		b.scanning--
		b.mu.Unlock()
		if collect {
			runtime.GC()
		}
		b.settle(collect, !collect)
	}
}

// settle sets GOGC and the limit from the heap live at the last
// collection, or, right after a scan that did not collect (estimate),
// from every object in the heap: the last collection's figure is stale
// then, and a budget below what is really live would make the collector
// run far too often.
func (b *Budget) settle(fresh, estimate bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.scanning > 0 {
		return
	}
	s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}, {Name: "/memory/classes/heap/objects:bytes"}, {Name: "/gc/cycles/total:gc-cycles"}}
	metrics.Read(s)
	for _, x := range s {
		if x.Value.Kind() != metrics.KindUint64 {
			return
		}
	}
	base, cycles := s[0].Value.Uint64(), s[2].Value.Uint64()
	switch {
	case estimate:
		base = s[1].Value.Uint64()
	case cycles == b.cycles && !fresh:
		return // no collection since: nothing new is known
	}
	b.cycles = cycles
	live := int64(base)
	target := live + headroom(live)
	// Small changes are not worth a log line or a call.
	if d := target - b.target; d > -16<<20 && d < 16<<20 {
		return
	}
	b.target = target
	pct := gcPercent(live)
	limit := live + headroom(live)*5/4
	debug.SetGCPercent(pct)
	debug.SetMemoryLimit(limit)
	b.log.Debug("heap budget", zap.Int64("live MB", live>>20), zap.Int("GOGC", pct), zap.Int64("limit MB", limit>>20))
}

// headroom is what the heap may grow beyond live before a collection.
func headroom(live int64) int64 { return max(96<<20, live/5) }

// gcPercent is the GOGC that gives live its headroom.
func gcPercent(live int64) int { return int(max(10, min(100, headroom(live)*100/max(live, 1)))) }

// Tighten sets GOGC for a process that has read what it will keep and
// goes on to work on it (the checker, once its graph is built): the heap
// may then grow by the budget's headroom, not double. Without GOGC or
// GOMEMLIMIT in the environment only.
func Tighten() {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		return
	}
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(s)
	if s[0].Value.Kind() == metrics.KindUint64 {
		debug.SetGCPercent(gcPercent(int64(s[0].Value.Uint64())))
	}
}
