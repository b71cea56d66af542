package lsp_test

// End-to-end tests: the built seedls binary, started as an editor starts
// it, spoken to over stdio with the lsptest client.

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/seedls/seedls/lsp/lsptest"
)

var seedlsBin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "seedls-e2e")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	seedlsBin = filepath.Join(dir, "seedls")
	args := []string{"build", "-o", seedlsBin}
	if raceEnabled {
		// A data race in the server then fails the test: the server exits
		// with the race detector's code instead of 0.
		args = append(args, "-race")
		os.Setenv("GORACE", "atexit_sleep_ms=0 exitcode=66")
	}
	build := exec.Command("go", append(args, "../cmd/seedls")...)
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "building seedls:", err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

const (
	mainClaim  = "claim:soo-fine-tuning-significantly-reduces-deceptive-behavior-in-llms-while-maintaining-general-task-performance"
	otherClaim = "claim:soo-fine-tuning-s-focus-on-contrastive-self-and-other-referencing-observations-offers-strong-potential-for-generalization-across-ai-architectures"
	mainTitle  = "SOO fine-tuning significantly reduces deceptive behavior in LLMs while maintaining general task performance"
)

// copySeeds copies the sample corpus into a temporary workspace.
func copySeeds(t *testing.T) string {
	t.Helper()
	dst := t.TempDir()
	src := filepath.Join("..", "seeds")
	entries, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dst, e.Name()), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dst
}

// session starts seedls on root, initializes it and waits for the scan.
func session(t *testing.T, root string, caps map[string]any) (*lsptest.Client, context.Context) {
	t.Helper()
	c, ctx := start(t, lsptest.Options{
		Args:     []string{"serve", "--log-level", "debug"},
		Settings: map[string]any{"seedls": map[string]any{"completion": map[string]any{"limit": 20}}},
		Env:      []string{"XDG_CACHE_HOME=" + sessionDir(t, "cache"), "TMPDIR=" + sessionTmp(t)},
	})
	if _, err := c.Initialize(ctx, root, caps, nil); err != nil {
		t.Fatal(err)
	}
	waitIndexed(t, ctx, c)
	return c, ctx
}

// start starts the server with opt (the built binary unless opt.Bin is
// set), killed when the test ends and its stderr logged if it failed, and
// returns it with a context that bounds the test.
func start(t *testing.T, opt lsptest.Options) (*lsptest.Client, context.Context) {
	t.Helper()
	if opt.Bin == "" {
		opt.Bin = seedlsBin
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(cancel)
	c, err := lsptest.Start(opt)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		c.Kill()
		if t.Failed() {
			t.Logf("server stderr:\n%s", c.Stderr())
		}
	})
	return c, ctx
}

// hoverWorks opens the draft and checks that hovering the main claim's
// citation shows it: what the rest of a workspace must keep doing
// whatever else is wrong in it.
func hoverWorks(t *testing.T, ctx context.Context, c *lsptest.Client, root string) {
	t.Helper()
	draft := filepath.Join(root, "draft.md")
	text := openFile(t, c, draft, "markdown")
	var h struct{ Contents struct{ Value string } }
	if err := c.Call(ctx, "textDocument/hover", pos(lsptest.FileURI(draft), lsptest.PositionOf(text, mainClaim, 3)), &h); err != nil || !strings.Contains(h.Contents.Value, "SOO") {
		t.Fatalf("hover: %v %q", err, h.Contents.Value)
	}
}

func openFile(t *testing.T, c *lsptest.Client, path, lang string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	uri := lsptest.FileURI(path)
	if err := c.Notify("textDocument/didOpen", map[string]any{
		"textDocument": map[string]any{"uri": uri, "languageId": lang, "version": 1, "text": string(data)},
	}); err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func pos(uri string, p lsptest.Position) map[string]any {
	return map[string]any{"textDocument": map[string]any{"uri": uri}, "position": p}
}

func hasDiag(code, needle string) func([]lsptest.Diagnostic) bool {
	return func(ds []lsptest.Diagnostic) bool {
		for _, d := range ds {
			if d.Code == code && strings.Contains(d.Message, needle) {
				return true
			}
		}
		return false
	}
}

func TestEditorSession(t *testing.T) {
	root := copySeeds(t)
	before := treeHash(t, root)
	c, ctx := session(t, root, nil)
	draft := filepath.Join(root, "draft.md")
	text := openFile(t, c, draft, "markdown")
	uri := lsptest.FileURI(draft)

	t.Run("diagnostics", func(t *testing.T) {
		if _, err := c.WaitDiagnostics(ctx, uri, hasDiag("unknown-reference", "claim:soo-works-on-sleeper-agents")); err != nil {
			t.Fatal(err)
		}
		ds, err := c.WaitDiagnostics(ctx, uri, hasDiag("unknown-reference", "did you mean "+mainClaim))
		if err != nil {
			t.Fatal(err)
		}
		if !hasDiag("inactive-reference", "deprecated")(ds) {
			t.Errorf("no inactive-reference in %+v", ds)
		}
		// The workspace's other files are diagnosed too.
		if _, err := c.WaitDiagnostics(ctx, lsptest.FileURI(filepath.Join(root, "005_unlinked_claim.txt")), hasDiag("unlinked-claim", "")); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("progress", func(t *testing.T) {
		// Indexing reports begin, then end, under one string token (Neovim
		// 0.7 indexes its table by the token: an object never matches).
		var kinds []string
		token := ""
		for _, raw := range c.Notifications("$/progress") {
			var p struct {
				Token any
				Value struct{ Kind string }
			}
			json.Unmarshal(raw, &p)
			tok, ok := p.Token.(string)
			if !ok || token != "" && tok != token {
				t.Fatalf("progress token %v", p.Token)
			}
			token = tok
			kinds = append(kinds, p.Value.Kind)
		}
		if len(kinds) < 2 || kinds[0] != "begin" || kinds[len(kinds)-1] != "end" {
			t.Fatalf("progress kinds %v", kinds)
		}
	})

	t.Run("hover", func(t *testing.T) {
		var h struct {
			Contents struct{ Kind, Value string }
			Range    lsptest.Range
		}
		if err := c.Call(ctx, "textDocument/hover", pos(uri, lsptest.PositionOf(text, mainClaim, 3)), &h); err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{mainTitle, "Central empirical claim", "Marc Carauleanu", "2024", "Findings", "Cited 1 time"} {
			if !strings.Contains(strings.ReplaceAll(h.Contents.Value, "\\", ""), want) {
				t.Errorf("hover lacks %q:\n%s", want, h.Contents.Value)
			}
		}
		if h.Range.Start != lsptest.PositionOf(text, mainClaim, 0) {
			t.Errorf("hover range starts at %v", h.Range.Start)
		}
	})

	t.Run("definition", func(t *testing.T) {
		var locs []struct {
			URI   string
			Range lsptest.Range
		}
		if err := c.Call(ctx, "textDocument/definition", pos(uri, lsptest.PositionOf(text, mainClaim, 10)), &locs); err != nil {
			t.Fatal(err)
		}
		if len(locs) != 1 || !strings.HasSuffix(locs[0].URI, "001_4aa8ef8dd5eaa303.txt") || locs[0].Range.Start.Line != 2 {
			t.Fatalf("definition = %+v", locs)
		}
		// From a neighbour item inside an entity file to its entity.
		seed := filepath.Join(root, "001_4aa8ef8dd5eaa303.txt")
		stext := openFile(t, c, seed, "plaintext")
		item := "SOO fine-tuning had negligible impact on Mistral-7B general capabilities"
		if err := c.Call(ctx, "textDocument/definition", pos(lsptest.FileURI(seed), lsptest.PositionOf(stext, item, 5)), &locs); err != nil {
			t.Fatal(err)
		}
		if len(locs) != 1 || !strings.HasSuffix(locs[0].URI, "003_finding_capabilities.txt") {
			t.Fatalf("definition from an item = %+v", locs)
		}
	})

	t.Run("references", func(t *testing.T) {
		var locs []struct{ URI string }
		seed := lsptest.FileURI(filepath.Join(root, "001_4aa8ef8dd5eaa303.txt"))
		p := pos(seed, lsptest.Position{Line: 2, Character: 5})
		p["context"] = map[string]any{"includeDeclaration": true}
		if err := c.Call(ctx, "textDocument/references", p, &locs); err != nil {
			t.Fatal(err)
		}
		var files []string
		for _, l := range locs {
			files = append(files, filepath.Base(l.URI))
		}
		got := strings.Join(files, " ")
		for _, want := range []string{"001_4aa8ef8dd5eaa303.txt", "draft.md", "003_finding_capabilities.txt", "004_question_self_deception.txt"} {
			if !strings.Contains(got, want) {
				t.Errorf("references lack %s: %s", want, got)
			}
		}
	})

	t.Run("completion", func(t *testing.T) {
		edit(t, c, uri, 2, text+"\nclaim:soo")
		lines := strings.Count(text, "\n") + 1
		var list struct {
			IsIncomplete bool
			Items        []struct {
				Label    string
				TextEdit struct {
					Range   lsptest.Range
					NewText string
				}
			}
		}
		at := lsptest.Position{Line: lines, Character: len("claim:soo")}
		if err := c.Call(ctx, "textDocument/completion", pos(uri, at), &list); err != nil {
			t.Fatal(err)
		}
		got := map[string]bool{}
		for _, it := range list.Items {
			got[it.TextEdit.NewText] = true
			if it.TextEdit.Range.Start != (lsptest.Position{Line: lines, Character: 0}) || it.TextEdit.Range.End != at {
				t.Errorf("%s: textEdit range %+v does not cover the typed id", it.Label, it.TextEdit.Range)
			}
		}
		if !got[mainClaim] || !got[otherClaim] {
			t.Errorf("completion of claim:soo = %v", got)
		}
		// By words of the title after "[[".
		edit(t, c, uri, 3, text+"\nsee [[negligible mist")
		at = lsptest.Position{Line: lines, Character: len("see [[negligible mist")}
		if err := c.Call(ctx, "textDocument/completion", pos(uri, at), &list); err != nil {
			t.Fatal(err)
		}
		if len(list.Items) == 0 || list.Items[0].Label != "finding:soo-fine-tuning-had-negligible-impact-on-mistral-7b-general-capabilities" {
			t.Errorf("completion by words = %+v", list.Items)
		}
		edit(t, c, uri, 4, text)
	})

	t.Run("rename", func(t *testing.T) {
		var prep lsptest.Range
		if err := c.Call(ctx, "textDocument/prepareRename", pos(uri, lsptest.PositionOf(text, mainClaim, 2)), &prep); err != nil {
			t.Fatal(err)
		}
		if prep.Start != lsptest.PositionOf(text, mainClaim, 0) {
			t.Errorf("prepareRename = %+v", prep)
		}
		p := pos(uri, lsptest.PositionOf(text, mainClaim, 2))
		p["newName"] = "claim:soo-reduces-deception"
		var we struct {
			Changes map[string][]struct{ NewText string }
		}
		if err := c.Call(ctx, "textDocument/rename", p, &we); err != nil {
			t.Fatal(err)
		}
		if len(we.Changes) != 2 || len(we.Changes[uri]) != 1 || we.Changes[uri][0].NewText != "claim:soo-reduces-deception" {
			t.Errorf("rename edit = %+v", we)
		}
		p["newName"] = "Not An Id!"
		if err := c.Call(ctx, "textDocument/rename", p, &we); err == nil {
			t.Error("rename to a bad id succeeded")
		}
	})

	t.Run("codeAction", func(t *testing.T) {
		ds, _ := c.WaitDiagnostics(ctx, uri, hasDiag("unknown-reference", "did you mean"))
		var fix []lsptest.Diagnostic
		for _, d := range ds {
			if d.Code == "unknown-reference" {
				fix = append(fix, d)
			}
		}
		var actions []struct {
			Title string
			Edit  json.RawMessage
		}
		for _, d := range fix {
			p := map[string]any{"textDocument": map[string]any{"uri": uri}, "range": d.Range, "context": map[string]any{"diagnostics": []any{d}}}
			var got []struct {
				Title string
				Edit  json.RawMessage
			}
			if err := c.Call(ctx, "textDocument/codeAction", p, &got); err != nil {
				t.Fatal(err)
			}
			actions = append(actions, got...)
		}
		var titles []string
		for _, a := range actions {
			titles = append(titles, a.Title)
		}
		all := strings.Join(titles, "\n")
		if !strings.Contains(all, "Replace with "+mainClaim) || !strings.Contains(all, "Create entity file claim_soo-works-on-sleeper-agents.txt") {
			t.Errorf("code actions:\n%s", all)
		}
	})

	t.Run("symbols links lenses", func(t *testing.T) {
		seed := lsptest.FileURI(filepath.Join(root, "001_4aa8ef8dd5eaa303.txt"))
		var syms []struct {
			Name     string
			Children []struct{ Name string }
		}
		if err := c.Call(ctx, "textDocument/documentSymbol", map[string]any{"textDocument": map[string]any{"uri": seed}}, &syms); err != nil {
			t.Fatal(err)
		}
		if len(syms) != 1 || syms[0].Name != mainClaim || len(syms[0].Children) < 5 {
			t.Errorf("document symbols = %+v", syms)
		}
		var ws []struct{ Name, ContainerName string }
		if err := c.Call(ctx, "workspace/symbol", map[string]any{"query": "deceptive behavior"}, &ws); err != nil {
			t.Fatal(err)
		}
		if len(ws) == 0 || ws[0].ContainerName != mainClaim && ws[0].ContainerName != "claim:soo-fine-tuning-substantially-reduces-deceptive-behavior-in-llms-while-maintaining-general-task-performance" {
			t.Errorf("workspace symbols = %+v", ws)
		}
		var links []struct{ Target string }
		if err := c.Call(ctx, "textDocument/documentLink", map[string]any{"textDocument": map[string]any{"uri": uri}}, &links); err != nil {
			t.Fatal(err)
		}
		if len(links) < 4 || !strings.HasSuffix(links[0].Target, "001_4aa8ef8dd5eaa303.txt#L3") {
			t.Errorf("links = %+v", links)
		}
		var lenses []struct{ Command struct{ Title string } }
		if err := c.Call(ctx, "textDocument/codeLens", map[string]any{"textDocument": map[string]any{"uri": seed}}, &lenses); err != nil {
			t.Fatal(err)
		}
		if len(lenses) != 1 || !strings.HasPrefix(lenses[0].Command.Title, "cited 1 time · ") {
			t.Errorf("lenses = %+v", lenses)
		}
		var status map[string]any
		if err := c.Call(ctx, "workspace/executeCommand", map[string]any{"command": "seedls.indexStatus"}, &status); err != nil {
			t.Fatal(err)
		}
		if status["entities"] != float64(7) || status["indexing"] != false {
			t.Errorf("status = %v", status)
		}
	})

	// The search index was built...
	waitSearch(t, ctx, c)
	if err := c.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
	// ...in the cache folder, and nothing in the temporary
	// folder.
	if left, _ := os.ReadDir(sessionTmp(t)); len(left) != 0 {
		t.Errorf("left in the temporary folder: %v", left)
	}
	for _, name := range []string{"search", "journal", "roots"} {
		if got, _ := filepath.Glob(filepath.Join(sessionDir(t, "cache"), "seedls", "*", "*", name)); len(got) != 1 {
			t.Errorf("cache: %s missing (%v)", name, got)
		}
	}
	if after := treeHash(t, root); after != before {
		t.Fatal("the workspace changed during the session: the server must never write a user's file")
	}
}

// sessionTmp is the temporary folder of the test's server, made on first
// use and removed with the test.
func sessionTmp(t *testing.T) string { return sessionDir(t, "tmp") }

// sessionDir is a folder of the test's server (its temporary folder, its
// cache), made on first use and removed with the test.
func sessionDir(t *testing.T, what string) string {
	key := fmt.Sprint(t.Name(), "\x00", what)
	if dir, ok := tmps.Load(key); ok {
		return dir.(string)
	}
	dir := t.TempDir()
	tmps.Store(key, dir)
	t.Cleanup(func() { tmps.Delete(key) })
	return dir
}

var tmps sync.Map // test name and purpose -> folder

// edit replaces a document's whole text (full sync).
func edit(t *testing.T, c *lsptest.Client, uri string, version int, text string) {
	t.Helper()
	if err := c.Notify("textDocument/didChange", map[string]any{
		"textDocument":   map[string]any{"uri": uri, "version": version},
		"contentChanges": []any{map[string]any{"text": text}},
	}); err != nil {
		t.Fatal(err)
	}
}

// TestEditUpdatesOtherFiles: fixing a near duplicate in one file clears
// the warning in the other; an unknown reference resolves when a file that
// defines it appears on disk, and suggests an id one letter away while one
// is there.
func TestEditUpdatesOtherFiles(t *testing.T) {
	root := copySeeds(t)
	c, ctx := session(t, root, nil)
	seed := lsptest.FileURI(filepath.Join(root, "001_4aa8ef8dd5eaa303.txt"))
	if _, err := c.WaitDiagnostics(ctx, seed, hasDiag("near-duplicate", "substantially")); err != nil {
		t.Fatal(err)
	}
	dup := filepath.Join(root, "002_near_duplicate_claim.txt")
	text := openFile(t, c, dup, "plaintext")
	changed := strings.Replace(text, "SOO fine-tuning substantially reduces deceptive behavior in LLMs while maintaining general task performance",
		"Self-other overlap training lowers deception rates in chat models", 1)
	changed = strings.Replace(changed, "claim:soo-fine-tuning-substantially-reduces-deceptive-behavior-in-llms-while-maintaining-general-task-performance",
		"claim:self-other-overlap-training-lowers-deception-rates-in-chat-models", 1)
	edit(t, c, lsptest.FileURI(dup), 2, changed)
	if _, err := c.WaitDiagnostics(ctx, seed, func(ds []lsptest.Diagnostic) bool { return !hasDiag("near-duplicate", "")(ds) }); err != nil {
		t.Fatal(err)
	}

	draft := lsptest.FileURI(filepath.Join(root, "draft.md"))
	if _, err := c.WaitDiagnostics(ctx, draft, hasDiag("unknown-reference", "claim:soo-works-on-sleeper-agents")); err != nil {
		t.Fatal(err)
	}
	created := filepath.Join(root, "new.txt")
	if err := os.WriteFile(created, []byte("claim\nactive\nclaim:soo-works-on-sleeper-agentsSOO works on sleeper agents\nS\nNeighborhood — ranked by edge-count\nFindings (1)\nfinding\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := c.Notify("workspace/didChangeWatchedFiles", map[string]any{"changes": []any{map[string]any{"uri": lsptest.FileURI(created), "type": 1}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.WaitDiagnostics(ctx, draft, func(ds []lsptest.Diagnostic) bool { return !hasDiag("unknown-reference", "sleeper")(ds) }); err != nil {
		t.Fatal(err)
	}
	os.Remove(created)
	if err := c.Notify("workspace/didChangeWatchedFiles", map[string]any{"changes": []any{map[string]any{"uri": lsptest.FileURI(created), "type": 3}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.WaitDiagnostics(ctx, draft, hasDiag("unknown-reference", "sleeper")); err != nil {
		t.Fatal(err)
	}
	// An entity one letter away appears, then goes: the citation stays
	// unknown, and its did-you-mean follows.
	typo := filepath.Join(root, "typo.txt")
	if err := os.WriteFile(typo, []byte("claim\nactive\nclaim:soo-works-on-sleeper-agentSOO works on sleeper agent\nS\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := c.Notify("workspace/didChangeWatchedFiles", map[string]any{"changes": []any{map[string]any{"uri": lsptest.FileURI(typo), "type": 1}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.WaitDiagnostics(ctx, draft, hasDiag("unknown-reference", "did you mean claim:soo-works-on-sleeper-agent?")); err != nil {
		t.Fatal(err)
	}
	os.Remove(typo)
	if err := c.Notify("workspace/didChangeWatchedFiles", map[string]any{"changes": []any{map[string]any{"uri": lsptest.FileURI(typo), "type": 3}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.WaitDiagnostics(ctx, draft, func(ds []lsptest.Diagnostic) bool {
		return hasDiag("unknown-reference", "sleeper")(ds) && !hasDiag("unknown-reference", "did you mean claim:soo-works-on-sleeper-agent?")(ds)
	}); err != nil {
		t.Fatal(err)
	}
	if err := c.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
}

// TestPositionsOutsideTheBMP: columns are UTF-16 code units by default and
// bytes when the client offers UTF-8.
func TestPositionsOutsideTheBMP(t *testing.T) {
	for _, enc := range []string{"utf-16", "utf-8"} {
		t.Run(enc, func(t *testing.T) {
			root := copySeeds(t)
			caps := lsptest.DefaultCapabilities()
			caps["general"] = map[string]any{"positionEncodings": []string{enc}}
			c, ctx := session(t, root, caps)
			doc := filepath.Join(root, "astral.md")
			line := "𝔼🧪·— ρ≥ " + mainClaim
			if err := os.WriteFile(doc, []byte(line), 0o644); err != nil {
				t.Fatal(err)
			}
			openFile(t, c, doc, "markdown")
			col := strings.Index(line, "claim:") // bytes
			if enc == "utf-16" {
				col = len(utf16(line[:col]))
			}
			var h struct{ Range lsptest.Range }
			if err := c.Call(ctx, "textDocument/hover", pos(lsptest.FileURI(doc), lsptest.Position{Line: 0, Character: col + 1}), &h); err != nil {
				t.Fatal(err)
			}
			if h.Range.Start.Character != col {
				t.Errorf("hover range starts at %d, want %d", h.Range.Start.Character, col)
			}
			c.Shutdown(ctx)
		})
	}
}

func utf16(s string) []uint16 {
	var out []uint16
	for _, r := range s {
		if r >= 0x10000 {
			out = append(out, 0, 0)
		} else {
			out = append(out, 0)
		}
	}
	return out
}

// TestProtocolFaults: bad frames, unknown methods, cancellation with
// numeric and string ids, requests before initialize, odd shutdown params,
// untitled buffers and positions past the end all get the right answer,
// and the server exits cleanly.
func TestProtocolFaults(t *testing.T) {
	root := copySeeds(t)
	c, err := lsptest.Start(lsptest.Options{Bin: seedlsBin, Args: []string{"serve"}})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Kill()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	var rpcErr *lsptest.RPCError
	err = c.Call(ctx, "textDocument/hover", pos("file:///x.md", lsptest.Position{}), nil)
	if !asRPC(err, &rpcErr) || rpcErr.Code != -32002 {
		t.Fatalf("request before initialize: %v", err)
	}
	if _, err := c.Initialize(ctx, root, nil, nil); err != nil {
		t.Fatal(err)
	}
	// A frame that is not JSON, and one whose Content-Length is wrong, are
	// skipped; the next request is answered.
	c.SendRaw([]byte("Content-Length: 9\r\n\r\n{not json"))
	c.SendRaw([]byte("Content-Length: 5\r\n\r\n{\"jsonrpc\":\"2.0\"}"))
	if err := c.Call(ctx, "workspace/executeCommand", map[string]any{"command": "seedls.indexStatus"}, nil); err != nil {
		t.Fatalf("after malformed frames: %v", err)
	}
	err = c.Call(ctx, "textDocument/linkedEditingRange", map[string]any{}, nil)
	if !asRPC(err, &rpcErr) || rpcErr.Code != -32601 {
		t.Fatalf("unknown method: %v", err)
	}
	err = c.Call(ctx, "textDocument/hover", "not an object", nil)
	if !asRPC(err, &rpcErr) || rpcErr.Code != -32602 {
		t.Fatalf("bad params: %v", err)
	}
	// Cancelling finished requests is harmless, with either kind of id.
	for _, id := range []any{12345, "str-id"} {
		if _, err := c.CallID(ctx, id, "workspace/executeCommand", map[string]any{"command": "seedls.indexStatus"}); err != nil {
			t.Fatal(err)
		}
		c.Notify("$/cancelRequest", map[string]any{"id": id})
	}
	waitIndexed(t, ctx, c)
	// An untitled buffer gets completion; positions past the end clamp.
	c.Notify("textDocument/didOpen", map[string]any{"textDocument": map[string]any{"uri": "untitled:Untitled-1", "languageId": "markdown", "version": 1, "text": "claim:soo"}})
	var list struct{ Items []struct{ Label string } }
	if err := c.Call(ctx, "textDocument/completion", pos("untitled:Untitled-1", lsptest.Position{Line: 0, Character: 9}), &list); err != nil || len(list.Items) != 3 {
		t.Fatalf("completion in an untitled buffer: %v %+v", err, list)
	}
	for _, p := range []lsptest.Position{{Line: 0, Character: 999}, {Line: 999, Character: 0}} {
		if err := c.Call(ctx, "textDocument/hover", pos("untitled:Untitled-1", p), nil); err != nil {
			t.Fatalf("hover past the end: %v", err)
		}
	}
	// shutdown and exit with {} params, as lsp-mode sends them.
	if _, err := c.CallRaw(ctx, "shutdown", map[string]any{}); err != nil {
		t.Fatal(err)
	}
	c.Notify("exit", map[string]any{})
	code, err := c.Wait()
	if err != nil || code != 0 {
		t.Fatalf("exit code %d, %v", code, err)
	}
}

// waitStatus asks seedls.indexStatus until done accepts the answer, and
// returns it.
func waitStatus(t *testing.T, ctx context.Context, c *lsptest.Client, done func(map[string]any) bool) map[string]any {
	t.Helper()
	for {
		var st map[string]any
		if err := c.Call(ctx, "workspace/executeCommand", map[string]any{"command": "seedls.indexStatus"}, &st); err != nil {
			t.Fatal(err)
		}
		if done(st) {
			return st
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// waitIndexed waits until the server has read the workspace.
func waitIndexed(t *testing.T, ctx context.Context, c *lsptest.Client) map[string]any {
	t.Helper()
	return waitStatus(t, ctx, c, func(st map[string]any) bool { return st["indexing"] == false })
}

// waitSearch waits until the search index is ready.
func waitSearch(t *testing.T, ctx context.Context, c *lsptest.Client) {
	t.Helper()
	waitStatus(t, ctx, c, func(st map[string]any) bool { return st["searchIndex"] == true })
}

func asRPC(err error, target **lsptest.RPCError) bool {
	e, ok := err.(*lsptest.RPCError)
	if ok {
		*target = e
	}
	return ok
}

// treeHash hashes every file's path and content under root.
func treeHash(t *testing.T, root string) string {
	t.Helper()
	h := sha256.New()
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			data, _ := os.ReadFile(p)
			fmt.Fprintf(h, "%s\x00%x\x00", p, sha256.Sum256(data))
		}
		return nil
	})
	return fmt.Sprintf("%x", h.Sum(nil))
}

// TestChangeBurst: a thousand changes in a burst end in the diagnostics of
// the last text, published with its version, and the server keeps
// answering.
func TestChangeBurst(t *testing.T) {
	root := copySeeds(t)
	c, ctx := session(t, root, nil)
	draft := filepath.Join(root, "draft.md")
	text := openFile(t, c, draft, "markdown")
	uri := lsptest.FileURI(draft)
	for v := 2; v <= 1001; v++ {
		edit(t, c, uri, v, text+fmt.Sprintf("\nclaim:burst-%d\n", v))
	}
	if _, err := c.WaitDiagnostics(ctx, uri, hasDiag("unknown-reference", "claim:burst-1001")); err != nil {
		t.Fatal(err)
	}
	version, ds, _ := c.Diagnostics(uri)
	bursts := 0
	for _, d := range ds {
		if strings.Contains(d.Message, "claim:burst-") {
			bursts++
		}
	}
	if version == nil || *version != 1001 || bursts != 1 {
		t.Fatalf("last publish: version %v, %d burst diagnostics", version, bursts)
	}
	var h struct{ Contents struct{ Value string } }
	if err := c.Call(ctx, "textDocument/hover", pos(uri, lsptest.PositionOf(text, mainClaim, 3)), &h); err != nil || !strings.Contains(h.Contents.Value, "SOO") {
		t.Fatalf("hover after the burst: %v %q", err, h.Contents.Value)
	}
	if err := c.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
}

// TestStdinClosed: a client that goes away mid-session (stdin closed after
// a request) leaves no server behind: it exits, with 1 as LSP asks when no
// shutdown came first.
func TestStdinClosed(t *testing.T) {
	root := copySeeds(t)
	c, ctx := session(t, root, nil)
	if _, err := c.CallID(ctx, 77, "workspace/executeCommand", map[string]any{"command": "seedls.indexStatus"}); err != nil {
		t.Fatal(err)
	}
	c.Notify("textDocument/hover", nil) // a request sent as a notification is ignored
	if err := c.CloseStdin(); err != nil {
		t.Fatal(err)
	}
	done := make(chan int, 1)
	go func() { code, _ := c.Wait(); done <- code }()
	select {
	case code := <-done:
		if code != 1 {
			t.Fatalf("exit code %d, want 1", code)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the server did not exit after its input closed")
	}
}

// TestBadFilesInWorkspace: binary, invalid, oversized and looping files
// are reported through diagnostics while the rest of the workspace works.
func TestBadFilesInWorkspace(t *testing.T) {
	root := copySeeds(t)
	os.WriteFile(filepath.Join(root, "binary.txt"), []byte("claim\x00\x01"), 0o644)
	os.WriteFile(filepath.Join(root, "invalid.txt"), []byte("claim\nactive\nclaim:badBad\n\xff summary"), 0o644)
	huge, _ := os.Create(filepath.Join(root, "huge.md"))
	huge.Truncate(50 << 20) // 50 MB, sparse
	huge.Close()
	os.Symlink("loop.md", filepath.Join(root, "loop.md"))
	seed, _ := os.ReadFile(filepath.Join(root, "000_e859c4d48ab37d79.txt"))
	lines := strings.SplitAfter(string(seed), "\n")
	os.WriteFile(filepath.Join(root, "empty.md"), nil, 0o644)
	os.WriteFile(filepath.Join(root, "first-lines.txt"), []byte(strings.Join(lines[:3], "")), 0o644)
	os.WriteFile(filepath.Join(root, "no-items.txt"), []byte(strings.Join(lines[:8], "")), 0o644)
	os.WriteFile(filepath.Join(root, "long-line.md"), []byte(strings.Repeat("claim:soo-fine-tuning · ", 10000)), 0o644)
	unlinked, _ := os.ReadFile(filepath.Join(root, "005_unlinked_claim.txt"))
	os.Remove(filepath.Join(root, "005_unlinked_claim.txt"))
	os.WriteFile(filepath.Join(root, "crlf.txt"), []byte(strings.ReplaceAll(string(unlinked), "\n", "\r\n")), 0o644)
	os.WriteFile(filepath.Join(root, "bom.txt"), append([]byte("\xef\xbb\xbf"), bytes.Replace(unlinked, []byte("claim:honesty"), []byte("claim:bom-honesty"), 1)...), 0o644)
	c, ctx := session(t, root, nil)
	for file, code := range map[string]string{"binary.txt": "unreadable", "invalid.txt": "malformed", "huge.md": "unreadable", "loop.md": "unreadable",
		"first-lines.txt": "malformed", "no-items.txt": "malformed", "long-line.md": "unknown-reference", "bom.txt": "id-title-mismatch"} {
		if _, err := c.WaitDiagnostics(ctx, lsptest.FileURI(filepath.Join(root, file)), hasDiag(code, "")); err != nil {
			t.Fatalf("%s: %v", file, err)
		}
	}
	// The CRLF file reads cleanly: its claim is known, unlinked, and a
	// near duplicate of the BOM file's (same title), nothing malformed.
	doc := "claim:honesty-benchmarks-overstate-the-gains-of-representation-level-fine-tuning\n"
	c.Notify("textDocument/didOpen", map[string]any{"textDocument": map[string]any{"uri": "untitled:bad-files", "languageId": "markdown", "version": 1, "text": doc}})
	var locs []struct {
		URI   string
		Range lsptest.Range
	}
	if err := c.Call(ctx, "textDocument/definition", pos("untitled:bad-files", lsptest.Position{Character: 3}), &locs); err != nil || len(locs) != 1 || !strings.HasSuffix(locs[0].URI, "crlf.txt") || locs[0].Range.Start.Line != 2 {
		t.Fatalf("definition into the CRLF file: %v %+v", err, locs)
	}
	if _, err := c.WaitDiagnostics(ctx, lsptest.FileURI(filepath.Join(root, "crlf.txt")), func(ds []lsptest.Diagnostic) bool {
		codes := map[string]int{}
		for _, d := range ds {
			codes[fmt.Sprint(d.Code)]++
		}
		return len(ds) == 2 && codes["unlinked-claim"] == 1 && codes["near-duplicate"] == 1
	}); err != nil {
		t.Fatal(err)
	}
	if _, ds, _ := c.Diagnostics(lsptest.FileURI(filepath.Join(root, "empty.md"))); len(ds) != 0 {
		t.Fatalf("empty.md: %+v", ds)
	}
	hoverWorks(t, ctx, c, root)
	if err := c.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
}
