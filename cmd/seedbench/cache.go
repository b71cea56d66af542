package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/seedls/seedls/graph"
	"github.com/seedls/seedls/lsp/lsptest"
)

// cacheBench measures starts with the persistent cache: cold (no cache),
// warm after a session that ended before the search index was built,
// warm with nothing changed, warm with 1% of the entity files changed.
// Request latencies are measured where a writer starts waiting: right
// after the workspace diagnostics are complete, while the server writes
// its cache and builds its search index, in the cold start and in the
// warm start without an index; and once that work is done. In the last
// session it times didChange to diagnostics for an edit that makes an
// entity's title a duplicate of another file's and one that takes it
// back, alone and after 10,000 file events outside the workspace's files
// (a checkout's .git). It prints each session's peak RSS and the cache's
// size.
func cacheBench(bin, root string, samples int) {
	cacheDir, err := os.MkdirTemp("", "seedls-bench-cache-")
	if err != nil {
		fail(err)
	}
	defer os.RemoveAll(cacheDir)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()

	session := func(label string) *lsptest.Client {
		start := time.Now()
		c, err := lsptest.Start(lsptest.Options{Bin: bin, Args: []string{"serve", "--log-level", "warn"},
			Env: []string{"XDG_CACHE_HOME=" + cacheDir}})
		if err != nil {
			fail(err)
		}
		if _, err := c.Initialize(ctx, root, nil, nil); err != nil {
			fail(err)
		}
		// Complete diagnostics: all published, either from the cache
		// before the graph is built (nothing changed) or by the first
		// round; the graph is ready once the scan is done.
		var diagnosed time.Duration
		st := waitStatus(ctx, c, func(st map[string]any) bool {
			complete := st["indexing"] == false && st["publishing"] == false
			if _, early := st["keptPublishedInMs"]; diagnosed == 0 && (early || complete) {
				diagnosed = time.Since(start)
			}
			return complete
		})
		fmt.Printf("  %-40s %9s  (graph ready %s; %d publishDiagnostics, %v files changed since the cache, %v files' diagnostics kept)\n",
			label+" -> diagnostics", diagnosed.Round(time.Millisecond), time.Since(start).Round(time.Millisecond), len(c.Notifications("textDocument/publishDiagnostics")),
			st["changedSinceCache"], st["keptDiagnostics"])
		return c
	}
	settled := func(c *lsptest.Client, waitCache bool) {
		// Everything a start does: the search index ready and, when the
		// session has one to write, the pack written.
		waitStatus(ctx, c, func(st map[string]any) bool {
			return st["searchIndex"] == true && (!waitCache || st["cacheWritten"] == true)
		})
	}
	end := func(c *lsptest.Client, waitCache bool) {
		settled(c, waitCache)
		fmt.Printf("  %-40s %6.0f MB\n", "  session peak RSS", float64(peakRSS(c.Pid()))/(1<<20))
		if err := c.Shutdown(ctx); err != nil {
			fail(err)
		}
	}

	sites := requestSites(root)
	opened := func(c *lsptest.Client) func(string, bool) {
		for _, s := range sites {
			openDoc(c, s.uri)
		}
		return latencies(ctx, c, sites, samples)
	}
	c := session("cold start (no cache)")
	phase := opened(c)
	phase("cold start, right after workspace diagnostics (index and cache being made):", false)
	settled(c, true)
	phase("cold start, after all background work:", false)
	end(c, true)
	fmt.Printf("  %-40s %6.0f MB\n", "cache on disk", float64(duBytes(cacheDir))/(1<<20))
	// A session that ended before its search index was built leaves a
	// pack and no index: the next start builds the index.
	indexes, _ := filepath.Glob(filepath.Join(cacheDir, "seedls", "*", "*", "search"))
	for _, dir := range indexes {
		os.RemoveAll(dir)
	}
	c = session("warm start, no search index")
	opened(c)("warm start without a search index, right after workspace diagnostics:", false)
	end(c, false)
	c = session("warm start (nothing changed)")
	end(c, false)

	// 1% of the entity files get a revised summary; they are put back
	// afterwards, so the corpus stays what the other figures measure.
	paths, _ := filepath.Glob(filepath.Join(root, "entities", "*", "*"))
	if len(paths) == 0 {
		paths, _ = filepath.Glob(filepath.Join(root, "entities", "*"))
	}
	sort.Strings(paths)
	originals := map[string][]byte{}
	for i := 0; i < len(paths); i += 100 {
		data, err := os.ReadFile(paths[i])
		if err != nil {
			continue
		}
		originals[paths[i]] = data
		lines := strings.SplitAfterN(string(data), "\n", 5)
		if len(lines) == 5 {
			lines[3] = strings.TrimSuffix(lines[3], "\n") + " (revised)\n"
		}
		os.WriteFile(paths[i], []byte(strings.Join(lines, "")), 0o644)
	}
	defer func() {
		for p, data := range originals {
			os.WriteFile(p, data, 0o644)
		}
	}()
	c = session(fmt.Sprintf("warm start (%d files changed)", len(originals)))
	waitStatus(ctx, c, func(st map[string]any) bool { return st["searchIndex"] == true })
	version := duplicateEdits(ctx, c, root, paths, samples, 0, 1)
	duplicateEdits(ctx, c, root, paths, 40, 10000, version)
	end(c, false)
	fmt.Printf("  %-40s %6.0f MB\n", "cache on disk", float64(duBytes(cacheDir))/(1<<20))
}

// duplicateEdits opens an entity file and alternates its title between
// its own and another claim's, timing didChange to the other file's
// near-duplicate warning appearing and going.
// With events, each edit comes right after that many file events for
// paths under .git (as a checkout makes), timed from the events. It
// returns the last version sent.
func duplicateEdits(ctx context.Context, c *lsptest.Client, root string, paths []string, samples, events, version int) int {
	var a, b *graph.File
	for _, p := range paths[1:] {
		data, _ := os.ReadFile(p)
		f := graph.ParseFile(p, string(data))
		if f.Entity == nil || f.Entity.Kind != "claim" || len(graph.TitleWords(f.Entity.Title)) < 4 {
			continue
		}
		if a == nil {
			a = f
		} else if f.Entity.Title != a.Entity.Title {
			b = f
			break
		}
	}
	if a == nil || b == nil {
		fmt.Println("  (no two claims to make duplicates of)")
		return version
	}
	uri, other := lsptest.FileURI(a.Path), lsptest.FileURI(b.Path)
	aText, _ := a.Text()
	if version == 1 {
		c.Notify("textDocument/didOpen", map[string]any{"textDocument": map[string]any{"uri": uri, "languageId": "plaintext", "version": 1, "text": aText}})
	}
	// The events' frame is made once: what is timed is the server's work,
	// not this client's encoding of a megabyte of JSON.
	var frame []byte
	if events > 0 {
		var changes []any
		for i := 0; i < events; i++ {
			changes = append(changes, map[string]any{"uri": lsptest.FileURI(filepath.Join(root, ".git", "objects", fmt.Sprintf("%02x", i%256), fmt.Sprintf("%038x", i))), "type": 2})
		}
		body, _ := json.Marshal(map[string]any{"jsonrpc": "2.0", "method": "workspace/didChangeWatchedFiles", "params": map[string]any{"changes": changes}})
		frame = append([]byte(fmt.Sprintf("Content-Length: %d\r\n\r\n", len(body))), body...)
	}
	title := a.Entity.TitleSpan
	dup := aText[:title.Start] + b.Entity.Title + aText[title.End:]
	var ds []time.Duration
	for i := 0; i < samples; i++ {
		text, want := dup, true
		if i%2 == 1 {
			text, want = aText, false
		}
		t := time.Now()
		if events > 0 {
			c.SendRaw(frame)
		}
		version++
		c.Notify("textDocument/didChange", map[string]any{"textDocument": map[string]any{"uri": uri, "version": version},
			"contentChanges": []any{map[string]any{"text": text}}})
		_, err := c.WaitDiagnostics(ctx, other, func(d []lsptest.Diagnostic) bool {
			has := false
			for _, x := range d {
				has = has || x.Code == "near-duplicate" && strings.Contains(x.Message, a.Entity.ID)
			}
			return has == want
		})
		if err != nil {
			fail(err)
		}
		ds = append(ds, time.Since(t))
	}
	label := "didChange -> duplicate in other file"
	if events > 0 {
		label = fmt.Sprintf("the same after %d .git events", events)
	}
	fmt.Printf("  %-40s p50 %8s  p95 %8s  (%d edits)\n", label, pct(ds, 50), pct(ds, 95), len(ds))
	return version
}

func waitStatus(ctx context.Context, c *lsptest.Client, done func(map[string]any) bool) map[string]any {
	for {
		var st map[string]any
		if err := c.Call(ctx, "workspace/executeCommand", map[string]any{"command": "seedls.indexStatus"}, &st); err != nil {
			fail(err)
		}
		if done(st) {
			return st
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func duBytes(dir string) int64 {
	var n int64
	filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if info, err := d.Info(); err == nil {
				n += info.Size()
			}
		}
		return nil
	})
	return n
}
