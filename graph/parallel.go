package graph

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"sync"
	"sync/atomic"
)

// Parallel calls f(i) for every i in [0, n) on `workers` goroutines (one
// per CPU when workers <= 0) and returns when all calls have. A panic in
// a call stops the others from taking more and is raised again in the
// caller's goroutine, with the worker's stack, so that whoever guards the
// caller (a request's or a background task's recover) contains it: a
// panic in a worker of its own would take the whole process down.
func Parallel(n, workers int, f func(i int)) {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	var failed atomic.Pointer[WorkerPanic]
	for w := 0; w < min(workers, n); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() {
				if r := recover(); r != nil {
					failed.CompareAndSwap(nil, &WorkerPanic{Value: r, Stack: debug.Stack()})
					next.Store(int64(n)) // the others stop at their next call
				}
			}()
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
	if p := failed.Load(); p != nil {
		panic(p)
	}
}

// WorkerPanic is what Parallel raises again when a call panicked.
type WorkerPanic struct {
	Value any
	Stack []byte
}

func (p *WorkerPanic) Error() string { return fmt.Sprintf("%v (in a parallel worker)", p.Value) }

func (p *WorkerPanic) String() string { return p.Error() + "\n" + string(p.Stack) }
