package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/seedls/seedls/graph"
	"github.com/seedls/seedls/lsp/lsptest"
)

// lspBench drives the built server as an editor does: spawn to the first
// complete set of workspace diagnostics, request latencies, didChange to
// publishDiagnostics, and the server's peak RSS.
func lspBench(bin, root string, samples int) {
	if _, err := os.Stat(bin); err != nil {
		fmt.Printf("  (no %s: build it to measure the server)\n", bin)
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	// A fresh cache folder: these are the figures of a first start.
	cacheDir, err := os.MkdirTemp("", "seedls-bench-cache-")
	if err != nil {
		fail(err)
	}
	defer os.RemoveAll(cacheDir)
	start := time.Now()
	c, err := lsptest.Start(lsptest.Options{Bin: bin, Args: []string{"serve", "--log-level", "warn"},
		Env: []string{"XDG_CACHE_HOME=" + cacheDir}})
	if err != nil {
		fail(err)
	}
	defer c.Kill()
	if _, err := c.Initialize(ctx, root, benchCaps(), nil); err != nil {
		fail(err)
	}
	// Complete: indexed, and no diagnostics left to make or send.
	waitStatus(ctx, c, func(st map[string]any) bool { return st["indexing"] == false && st["publishing"] == false })
	ready := time.Since(start)
	fmt.Printf("  spawn -> workspace diagnostics %9s  (%d publishDiagnostics)\n", ready.Round(time.Millisecond), len(c.Notifications("textDocument/publishDiagnostics")))
	// Latencies are measured once the search index is built and the cache
	// written: one-time work of a first start, on both cores, kept out of
	// the figures below. Before the index, completion by words scans the
	// snapshot.
	waitStatus(ctx, c, func(st map[string]any) bool { return st["searchIndex"] == true && st["cacheWritten"] == true })
	fmt.Printf("  spawn -> search index ready    %9s  (and the cache written)\n", time.Since(start).Round(time.Millisecond))

	sites := requestSites(root)
	for _, s := range sites {
		openDoc(c, s.uri)
	}
	phase := latencies(ctx, c, sites, samples)
	phase("requests, once the search index is built and the cache written:", true)
	version := 1

	navBench(ctx, c, root, samples)

	// didChange -> publishDiagnostics: an edit that adds an unknown
	// citation, then one that removes it, in an open document.
	target := sites[0].uri
	base, _ := os.ReadFile(strings.TrimPrefix(target, "file://"))
	var ds []time.Duration
	for i := 0; i < samples; i++ {
		marker := "claim:bench-unknown-" + strconv.Itoa(i)
		text := string(base)
		if i%2 == 0 {
			text += "\n" + marker + "\n"
		}
		version++
		t := time.Now()
		c.Notify("textDocument/didChange", map[string]any{"textDocument": map[string]any{"uri": target, "version": version},
			"contentChanges": []any{map[string]any{"text": text}}})
		_, err := c.WaitDiagnostics(ctx, target, func(d []lsptest.Diagnostic) bool {
			has := false
			for _, x := range d {
				has = has || strings.Contains(x.Message, marker)
			}
			return has == (i%2 == 0) && (i%2 == 0 || !strings.Contains(fmt.Sprint(d), "bench-unknown-"))
		})
		if err != nil {
			fail(err)
		}
		ds = append(ds, time.Since(t))
	}
	fmt.Printf("  %-30s p50 %8s  p95 %8s  (%d edits)\n", "didChange -> diagnostics", pct(ds, 50), pct(ds, 95), len(ds))
	fmt.Printf("  server peak RSS              %6.0f MB\n", float64(peakRSS(c.Pid()))/(1<<20))
	if err := c.Shutdown(ctx); err != nil {
		fail(err)
	}
}

func pct(ds []time.Duration, p int) string {
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	i := (len(s)*p + 99) / 100
	if i > 0 {
		i--
	}
	return s[i].Round(10 * time.Microsecond).String()
}

// peakRSS reads VmHWM of a process, in bytes.
func peakRSS(pid int) int64 {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, ln := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(ln, "VmHWM:") {
			f := strings.Fields(ln)
			n, _ := strconv.ParseInt(f[1], 10, 64)
			return n << 10
		}
	}
	return 0
}

// site is a citation in one of the corpus's documents: where requests
// are sent.
type site struct {
	uri string
	pos lsptest.Position
	id  string
}

// requestSites is the first 50 citations of root's documents: their
// documents are opened, as a writer's drafts are.
func requestSites(root string) []site {
	sites := citationSites(root)
	return sites[:min(len(sites), 50)]
}

// citationSites finds every citation of root's documents.
func citationSites(root string) []site {
	docs, _ := filepath.Glob(filepath.Join(root, "docs", "*"))
	var sites []site
	for _, d := range docs {
		data, err := os.ReadFile(d)
		if err != nil {
			continue
		}
		f := graph.ParseFile(d, string(data))
		for _, ct := range f.Citations {
			p := f.Lines().Pos(int(ct.Span.Start)+2, graph.UTF16)
			sites = append(sites, site{lsptest.FileURI(d), lsptest.Position{Line: p.Line, Character: p.Col}, ct.ID})
		}
	}
	if len(sites) == 0 {
		fail(fmt.Errorf("no citations in %s/docs", root))
	}
	return sites
}

// openDoc opens a document in the editor, as a writer does, once.
func openDoc(c *lsptest.Client, uri string) {
	path := strings.TrimPrefix(uri, "file://")
	data, _ := os.ReadFile(path)
	c.Notify("textDocument/didOpen", map[string]any{"textDocument": map[string]any{"uri": uri, "languageId": "markdown", "version": 1, "text": string(data)}})
}

// latencies returns a function that measures, in one phase of a
// session, samples requests of each kind at the sites (their documents
// open): hover, definition, completion after "KIND:" and after "[[", and
// with references set, references. The label names the phase.
func latencies(ctx context.Context, c *lsptest.Client, sites []site, samples int) func(label string, references bool) {
	rng := rand.New(rand.NewPCG(1, 1))
	measure := func(name string, f func(site) error) {
		var ds []time.Duration
		for i := 0; i < samples; i++ {
			s := sites[rng.IntN(len(sites))]
			t := time.Now()
			if err := f(s); err != nil {
				fail(fmt.Errorf("%s: %v", name, err))
			}
			ds = append(ds, time.Since(t))
		}
		fmt.Printf("    %-28s p50 %8s  p99 %8s  (%d requests)\n", name, pct(ds, 50), pct(ds, 99), len(ds))
	}
	req := func(method string) func(site) error {
		return func(s site) error {
			p := map[string]any{"textDocument": map[string]any{"uri": s.uri}, "position": s.pos}
			if method == "textDocument/references" {
				p["context"] = map[string]any{"includeDeclaration": true}
			}
			_, err := c.CallRaw(ctx, method, p)
			return err
		}
	}
	// Completion: a fresh buffer where "KIND:" and the slug's first
	// characters were typed, then words after "[[".
	comp := fmt.Sprintf("untitled:bench-%d", rng.Int())
	c.Notify("textDocument/didOpen", map[string]any{"textDocument": map[string]any{"uri": comp, "languageId": "markdown", "version": 1, "text": ""}})
	version := 1
	typeText := func(text string) {
		version++
		c.Notify("textDocument/didChange", map[string]any{"textDocument": map[string]any{"uri": comp, "version": version},
			"contentChanges": []any{map[string]any{"text": text}}})
	}
	complete := func(text string) error {
		typeText(text)
		_, err := c.CallRaw(ctx, "textDocument/completion", map[string]any{"textDocument": map[string]any{"uri": comp},
			"position": lsptest.Position{Line: 0, Character: len(text)}})
		return err
	}
	return func(label string, references bool) {
		fmt.Printf("  %s\n", label)
		measure("hover", req("textDocument/hover"))
		measure("definition", req("textDocument/definition"))
		if references {
			measure("references", req("textDocument/references"))
		}
		measure("completion (KIND:pre)", func(s site) error {
			colon := strings.IndexByte(s.id, ':')
			return complete(s.id[:min(len(s.id), colon+4)])
		})
		measure("completion ([[words)", func(s site) error {
			words := strings.Split(s.id[strings.IndexByte(s.id, ':')+1:], "-")
			return complete("[[" + strings.Join(words[:min(2, len(words))], " "))
		})
	}
}
