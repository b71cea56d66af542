package graph

import (
	"runtime"
	"sort"
	"sync"
)

// DiagnoseAll diagnoses every file of the snapshot on all CPUs and returns
// the diagnostics sorted by path, then position.
func (s *Snapshot) DiagnoseAll() []Diagnostic {
	files := s.Files()
	per := make([][]Diagnostic, len(files))
	var wg sync.WaitGroup
	workers := runtime.GOMAXPROCS(0)
	next := make(chan int, workers)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				per[i] = s.Diagnose(files[i])
			}
		}()
	}
	for i := range files {
		next <- i
	}
	close(next)
	wg.Wait()
	var out []Diagnostic
	for _, d := range per {
		out = append(out, d...)
	}
	return out
}

// Summary counts diagnostics per code and per severity.
type Summary struct {
	Files      int            `json:"files"`
	Entities   int            `json:"entities"`
	Documents  int            `json:"documents"`
	Citations  int            `json:"citations"`
	ByCode     map[Code]int   `json:"byCode"`
	BySeverity map[string]int `json:"bySeverity"`
}

// Summarize counts what a snapshot holds and what its diagnostics say.
func (s *Snapshot) Summarize(diags []Diagnostic) Summary {
	sum := Summary{ByCode: map[Code]int{}, BySeverity: map[string]int{}}
	s.files.each(func(_ string, f *File) {
		sum.Files++
		switch f.Kind {
		case EntityFile:
			sum.Entities++
		case DocumentFile:
			sum.Documents++
			for _, c := range f.Citations {
				if s.IsKind(c.Kind()) {
					sum.Citations++
				}
			}
		}
	})
	for _, d := range diags {
		sum.ByCode[d.Code]++
		sum.BySeverity[d.Severity.String()]++
	}
	return sum
}

// SortDiagnostics orders diagnostics by path, then position, then code.
func SortDiagnostics(ds []Diagnostic) {
	sort.SliceStable(ds, func(i, j int) bool {
		a, b := ds[i], ds[j]
		if a.Path != b.Path {
			return a.Path < b.Path
		}
		if a.Span.Start != b.Span.Start {
			return a.Span.Start < b.Span.Start
		}
		return a.Code < b.Code
	})
}
