// Command seedbench measures seedls on generated corpora: the figures
// `make bench` prints. Corpora are generated once per size and seed into a
// cache folder and reused, so a run measures seedls, not the generator.
package main

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/seedls/seedls/graph"
	"github.com/seedls/seedls/graph/gen"
	"github.com/seedls/seedls/graph/scan"
)

func main() {
	sizes := flag.String("sizes", "1000,10000,100000", "entity counts, comma-separated")
	dir := flag.String("dir", filepath.Join(os.TempDir(), "seedls-bench"), "where generated corpora are kept")
	bin := flag.String("bin", "bin/seedls", "the seedls binary measured end to end")
	runs := flag.Int("runs", 3, "runs of each end-to-end measurement (the median is printed)")
	lspSizes := flag.String("lsp-sizes", "10000,100000", "sizes at which the language server is measured")
	cacheSizes := flag.String("cache-sizes", "100000", "sizes at which cold and warm starts with the cache are measured")
	samples := flag.Int("samples", 1000, "requests per latency figure")
	flag.Parse()
	fmt.Printf("seedbench: %s/%s, %d CPUs, %s\n", runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), runtime.Version())
	for _, s := range strings.Split(*sizes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil {
			fail(err)
		}
		root, err := corpus(*dir, n)
		if err != nil {
			fail(err)
		}
		fmt.Printf("\n== %d entity files (+%d documents) in %s\n", n, docs(n), root)
		// The binary first: a child's peak RSS as the kernel counts it
		// (rusage) includes what this process held when it forked.
		debug.FreeOSMemory()
		checkBinary(*bin, root, *runs)
		phases(root)
		debug.FreeOSMemory()
		if strings.Contains(","+*lspSizes+",", ","+strconv.Itoa(n)+",") {
			lspBench(*bin, root, *samples)
		}
		if strings.Contains(","+*cacheSizes+",", ","+strconv.Itoa(n)+",") {
			fmt.Println("  -- with the persistent cache")
			cacheBench(*bin, root, *samples)
		}
	}
}

func docs(n int) int { return max(1, n/100) }

// corpus generates the corpus of n entities once, marking it complete.
func corpus(dir string, n int) (string, error) {
	root := filepath.Join(dir, fmt.Sprintf("corpus-%d-seed1", n))
	done := filepath.Join(root, ".complete")
	if _, err := os.Stat(done); err == nil {
		return root, nil
	}
	os.RemoveAll(root)
	t := time.Now()
	if err := gen.WriteDir(root, gen.Options{Entities: n, Seed: 1}); err != nil {
		return "", err
	}
	fmt.Fprintf(os.Stderr, "generated %d entities in %v\n", n, time.Since(t).Round(time.Millisecond))
	return root, os.WriteFile(done, nil, 0o644)
}

// phases times each stage in this process, after one warm-up read so the
// page cache is warm, and reports allocations per stage.
func phases(root string) {
	if _, err := scan.Scan([]string{root}, scan.Options{}); err != nil {
		fail(err)
	}
	var floor time.Duration
	{
		// The floor: reading every file and splitting it into lines.
		res, _ := scan.Scan([]string{root}, scan.Options{Include: []string{"**"}})
		t := time.Now()
		var wg sync.WaitGroup
		workers := runtime.GOMAXPROCS(0)
		for w := 0; w < workers; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := w; i < len(res.Files); i += workers {
					if data, err := os.ReadFile(res.Files[i].Path); err == nil {
						_ = strings.Split(string(data), "\n")
					}
				}
			}()
		}
		wg.Wait()
		floor = time.Since(t)
	}
	measure := func(name string, f func()) {
		runtime.GC()
		var a, b runtime.MemStats
		runtime.ReadMemStats(&a)
		t := time.Now()
		f()
		d := time.Since(t)
		runtime.ReadMemStats(&b)
		fmt.Printf("  %-26s %9s  %8.1f MB allocated  %9d allocations\n", name, d.Round(time.Millisecond),
			float64(b.TotalAlloc-a.TotalAlloc)/(1<<20), b.Mallocs-a.Mallocs)
	}
	fmt.Printf("  %-26s %9s  (read and split every file into lines, one goroutine per CPU)\n", "floor: read", floor.Round(time.Millisecond))
	var res *scan.Result
	var snap *graph.Snapshot
	var diags []graph.Diagnostic
	measure("scan + parse", func() { res, _ = scan.Scan([]string{root}, scan.Options{}) })
	measure("resolve (build indexes)", func() { snap = graph.Build(res.Files) })
	measure("diagnose", func() { diags = snap.DiagnoseAll() })
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	sum := snap.Summarize(diags)
	fmt.Printf("  live heap after diagnosis  %6.0f MB; %d files, %d entities, %d diagnostics\n",
		float64(ms.HeapAlloc)/(1<<20), sum.Files, sum.Entities, len(diags))
	codes := make([]string, 0, len(sum.ByCode))
	for c, n := range sum.ByCode {
		codes = append(codes, fmt.Sprintf("%s=%d", c, n))
	}
	sort.Strings(codes)
	fmt.Printf("  %s\n", strings.Join(codes, " "))
}

// checkBinary runs `seedls check` as a user does and reports wall time and
// peak resident memory (the median run).
func checkBinary(bin, root string, runs int) {
	if _, err := os.Stat(bin); err != nil {
		fmt.Printf("  (no %s: build it to measure the binary)\n", bin)
		return
	}
	type run struct {
		wall time.Duration
		rss  int64
	}
	var rs []run
	for i := 0; i < runs; i++ {
		cmd := exec.Command(bin, "check", "--format", "json", root)
		t := time.Now()
		err := cmd.Run()
		wall := time.Since(t)
		if ee, ok := err.(*exec.ExitError); err != nil && (!ok || ee.ExitCode() != 1) {
			fail(fmt.Errorf("seedls check: %v", err))
		}
		rs = append(rs, run{wall, childPeakRSS(cmd.ProcessState)})
	}
	sort.Slice(rs, func(i, j int) bool { return rs[i].wall < rs[j].wall })
	m := rs[len(rs)/2]
	fmt.Printf("  seedls check (binary)      %9s  peak RSS %.0f MB  (median of %d)\n", m.wall.Round(time.Millisecond), float64(m.rss)/(1<<20), runs)
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "seedbench:", err)
	os.Exit(1)
}
