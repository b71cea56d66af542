package graph

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// Parallel calls f(i) for every i in [0, n) on `workers` goroutines (one
// per CPU when workers <= 0) and returns when all calls have.
func Parallel(n, workers int, f func(i int)) {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := 0; w < min(workers, n); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				f(i)
			}
		}()
	}
	wg.Wait()
}
