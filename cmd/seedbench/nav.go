package main

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/seedls/seedls/lsp/lsptest"
)

// benchCaps are lsptest's default capabilities with those of the
// navigation features, as VS Code declares them: without them the server
// advertises no inlay hints and no semantic tokens.
func benchCaps() map[string]any {
	caps := lsptest.DefaultCapabilities()
	td := caps["textDocument"].(map[string]any)
	td["callHierarchy"] = map[string]any{"dynamicRegistration": true}
	td["inlayHint"] = map[string]any{"dynamicRegistration": true}
	td["semanticTokens"] = map[string]any{"requests": map[string]any{"range": true, "full": true}, "formats": []string{"relative"},
		"tokenTypes": []string{}, "tokenModifiers": []string{}}
	return caps
}

// navBench measures graph navigation over stdio: call hierarchy on
// citations of the documents (prepare, then incoming and outgoing calls
// of the items prepared), inlay hints of a document of 200 citations, and
// semantic tokens of entity files.
func navBench(ctx context.Context, c *lsptest.Client, root string, samples int) {
	rng := rand.New(rand.NewPCG(2, 2))
	sites := citationSites(root)
	measure := func(name string, n int, f func() error) {
		var ds []time.Duration
		for i := 0; i < n; i++ {
			t := time.Now()
			if err := f(); err != nil {
				fail(fmt.Errorf("%s: %v", name, err))
			}
			ds = append(ds, time.Since(t))
		}
		fmt.Printf("  %-30s p50 %8s  p99 %8s  (%d requests)\n", name, pct(ds, 50), pct(ds, 99), len(ds))
	}
	// The items the hierarchy then asks about: prepared once per site.
	var items []json.RawMessage
	prepare := func(s site) (json.RawMessage, error) {
		return c.CallRaw(ctx, "textDocument/prepareCallHierarchy", map[string]any{"textDocument": map[string]any{"uri": s.uri}, "position": s.pos})
	}
	measure("prepareCallHierarchy", samples, func() error {
		s := sites[rng.IntN(len(sites))]
		raw, err := prepare(s)
		var got []json.RawMessage
		if err == nil && json.Unmarshal(raw, &got) == nil && len(got) > 0 && len(items) < 200 {
			items = append(items, got[0])
		}
		return err
	})
	if len(items) == 0 {
		fail(fmt.Errorf("prepareCallHierarchy found no entity at %d citations", samples))
	}
	for _, method := range []string{"callHierarchy/incomingCalls", "callHierarchy/outgoingCalls"} {
		measure(strings.TrimPrefix(method, "callHierarchy/"), samples, func() error {
			_, err := c.CallRaw(ctx, method, map[string]any{"item": items[rng.IntN(len(items))]})
			return err
		})
	}

	// A draft of 200 citations, of as many entities as the documents cite.
	var b strings.Builder
	perm := rng.Perm(len(sites))
	for i := 0; i < 200; i++ {
		fmt.Fprintf(&b, "As argued in %s, the effect holds (see also the discussion).\n", sites[perm[i%len(perm)]].id)
	}
	hintsURI := "untitled:bench-hints"
	c.Notify("textDocument/didOpen", map[string]any{"textDocument": map[string]any{"uri": hintsURI, "languageId": "markdown", "version": 1, "text": b.String()}})
	hints := func() error {
		raw, err := c.CallRaw(ctx, "textDocument/inlayHint", map[string]any{"textDocument": map[string]any{"uri": hintsURI},
			"range": lsptest.Range{End: lsptest.Position{Line: 201}}})
		if err == nil && len(raw) < 100 {
			err = fmt.Errorf("no hints: %s", raw)
		}
		return err
	}
	// Asked again as the draft is edited (the counts of one generation of
	// entity files are remembered)...
	measure("inlayHint (200 citations)", samples, hints)

	// Semantic tokens of entity files, opened as an editor opens them.
	ents, _ := filepath.Glob(filepath.Join(root, "entities", "*", "*"))
	if len(ents) == 0 {
		fail(fmt.Errorf("no entity files in %s/entities", root))
	}
	var opened []string
	for i := 0; i < 50; i++ {
		p := ents[rng.IntN(len(ents))]
		data, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		uri := lsptest.FileURI(p)
		c.Notify("textDocument/didOpen", map[string]any{"textDocument": map[string]any{"uri": uri, "languageId": "plaintext", "version": 1, "text": string(data)}})
		opened = append(opened, uri)
	}
	measure("semanticTokens/full (entity)", samples, func() error {
		_, err := c.CallRaw(ctx, "textDocument/semanticTokens/full", map[string]any{"textDocument": map[string]any{"uri": opened[rng.IntN(len(opened))]}})
		return err
	})
	// ...and after an entity file changed, which counts them all again:
	// each sample edits an open entity file (a blank line at its end and
	// back, which changes no count), then asks.
	edited, _ := os.ReadFile(strings.TrimPrefix(opened[0], "file://"))
	version := 1
	measure("inlayHint (after entity edit)", max(samples/5, 1), func() error {
		version++
		text := string(edited)
		if version%2 == 0 {
			text += "\n"
		}
		c.Notify("textDocument/didChange", map[string]any{"textDocument": map[string]any{"uri": opened[0], "version": version},
			"contentChanges": []any{map[string]any{"text": text}}})
		return hints()
	})
	for _, uri := range append(opened, hintsURI) {
		c.Notify("textDocument/didClose", map[string]any{"textDocument": map[string]any{"uri": uri}})
	}
}
