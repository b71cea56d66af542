package lsp_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/seedls/seedls/graph/gen"
	"github.com/seedls/seedls/lsp/lsptest"
)

// TestCancelSlowRequest: requests about the whole workspace wait for the
// initial scan; $/cancelRequest with a numeric or a string id ends the
// wait with RequestCancelled (-32800) at once. The scan is held back by
// leaving the server's workspace/configuration request unanswered, as a
// slow client would.
func TestCancelSlowRequest(t *testing.T) {
	root := copySeeds(t)
	release := make(chan struct{})
	c, ctx := start(t, lsptest.Options{
		Args: []string{"serve"},
		Env:  []string{"XDG_CACHE_HOME=" + t.TempDir(), "TMPDIR=" + sessionTmp(t)},
		Handler: func(method string, _ json.RawMessage) (any, bool, error) {
			if method == "workspace/configuration" {
				select {
				case <-release:
				case <-time.After(30 * time.Second):
				}
			}
			return nil, false, nil
		},
	})
	if _, err := c.Initialize(ctx, root, nil, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := c.WaitServerRequest(ctx, "workspace/configuration", nil); err != nil {
		t.Fatal(err)
	}
	draft := filepath.Join(root, "draft.md")
	text := openFile(t, c, draft, "markdown")
	at := pos(lsptest.FileURI(draft), lsptest.PositionOf(text, mainClaim, 3))
	refs := map[string]any{"textDocument": at["textDocument"], "position": at["position"], "context": map[string]any{"includeDeclaration": true}}
	type answer struct {
		res json.RawMessage
		err error
	}
	slow := map[any]string{901: "textDocument/references", "slow-1": "workspace/symbol", 902: "textDocument/definition", 903: "textDocument/hover"}
	answers := map[any]chan answer{}
	for id, method := range slow {
		params := any(refs)
		switch method {
		case "workspace/symbol":
			params = map[string]any{"query": "fine"}
		case "textDocument/definition", "textDocument/hover":
			params = at
		}
		ch := make(chan answer, 1)
		answers[id] = ch
		go func() {
			res, err := c.CallID(ctx, id, method, params)
			ch <- answer{res, err}
		}()
	}
	// Still waiting for the scan: nothing has been answered.
	time.Sleep(200 * time.Millisecond)
	for id, ch := range answers {
		select {
		case a := <-ch:
			t.Fatalf("%s (id %v) answered before the workspace was read: %s %v", slow[id], id, a.res, a.err)
		default:
		}
	}
	for _, id := range []any{901, "slow-1"} {
		sent := time.Now()
		c.Cancel(id)
		select {
		case a := <-answers[id]:
			var rpcErr *lsptest.RPCError
			if !asRPC(a.err, &rpcErr) || rpcErr.Code != -32800 {
				t.Fatalf("cancelled %s (id %v): %s %v", slow[id], id, a.res, a.err)
			}
			t.Logf("%s (id %v) cancelled in %v", slow[id], id, time.Since(sent))
		case <-time.After(10 * time.Second):
			t.Fatalf("%s (id %v) not answered after $/cancelRequest", slow[id], id)
		}
	}
	// Those not cancelled are answered, correctly, once the scan is done:
	// a hover sent before the workspace was read names the claim, not an
	// unknown reference.
	close(release)
	a := <-answers[902]
	if a.err != nil || !strings.Contains(string(a.res), "001_4aa8ef8dd5eaa303.txt") {
		t.Fatalf("definition after the scan: %s %v", a.res, a.err)
	}
	if a := <-answers[903]; a.err != nil || !strings.Contains(string(a.res), mainTitle) || strings.Contains(string(a.res), "Unknown") {
		t.Fatalf("hover sent while indexing: %s %v", a.res, a.err)
	}
	var locs []json.RawMessage
	if err := c.Call(ctx, "textDocument/references", refs, &locs); err != nil || len(locs) < 2 {
		t.Fatalf("references after the scan: %v %d", err, len(locs))
	}
	if err := c.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
}

// TestFilesChangingDuringScan: files created, renamed and deleted while the
// workspace is being read (after the scan listed them, before it is done)
// end up as they are on disk.
func TestFilesChangingDuringScan(t *testing.T) {
	root, c, ctx := largeSession(t)
	// The first progress report comes once the scan has listed every file
	// and read 1,024 of them.
	_, err := c.WaitNotification(ctx, "$/progress", func(p json.RawMessage) bool {
		return strings.Contains(string(p), `"report"`)
	})
	if err != nil {
		t.Fatal(err)
	}
	created := filepath.Join(root, "created.txt")
	renamedFrom := filepath.Join(root, "001_4aa8ef8dd5eaa303.txt")
	renamedTo := filepath.Join(root, "sub", "renamed.txt")
	deleted := filepath.Join(root, "005_unlinked_claim.txt")
	must(t, os.WriteFile(created, []byte("claim\nactive\nclaim:created-during-the-scanCreated during the scan\nA file made while the server was reading the workspace\n"), 0o644))
	must(t, os.MkdirAll(filepath.Dir(renamedTo), 0o755))
	must(t, os.Rename(renamedFrom, renamedTo))
	must(t, os.Remove(deleted))
	ev := func(path string, typ int) map[string]any {
		return map[string]any{"uri": lsptest.FileURI(path), "type": typ}
	}
	c.Notify("workspace/didChangeWatchedFiles", map[string]any{"changes": []any{
		ev(created, 1), ev(renamedFrom, 3), ev(renamedTo, 1), ev(deleted, 3),
	}})
	st := waitIndexed(t, ctx, c)
	t.Logf("events sent while indexing; status after: files=%v", st["files"])
	// A document citing all three answers from what is on disk now.
	doc := "See claim:created-during-the-scan, " + mainClaim + " and claim:honesty-benchmarks-overstate-the-gains-of-representation-level-fine-tuning.\n"
	uri := "untitled:during-scan"
	c.Notify("textDocument/didOpen", map[string]any{"textDocument": map[string]any{"uri": uri, "languageId": "markdown", "version": 1, "text": doc}})
	for id, want := range map[string]string{"claim:created-during-the-scan": "created.txt", mainClaim: "sub/renamed.txt"} {
		var locs []struct{ URI string }
		if err := c.Call(ctx, "textDocument/definition", pos(uri, lsptest.PositionOf(doc, id, 2)), &locs); err != nil {
			t.Fatal(err)
		}
		if len(locs) != 1 || !strings.HasSuffix(locs[0].URI, want) {
			t.Errorf("definition of %s: %+v, want only %s", id, locs, want)
		}
	}
	if _, err := c.WaitDiagnostics(ctx, uri, hasDiag("unknown-reference", "claim:honesty-benchmarks")); err != nil {
		t.Fatalf("the deleted file's claim is still known: %v", err)
	}
	if err := c.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// TestIndexWaitRunsOut: a request that waits longer than --index-wait for
// the workspace to be read is told so, explicitly: never "unknown".
func TestIndexWaitRunsOut(t *testing.T) {
	root := copySeeds(t)
	release := make(chan struct{})
	defer close(release)
	c, ctx := start(t, lsptest.Options{
		Args: []string{"serve", "--index-wait", "300ms"},
		Env:  []string{"XDG_CACHE_HOME=" + t.TempDir(), "TMPDIR=" + sessionTmp(t)},
		Handler: func(method string, _ json.RawMessage) (any, bool, error) {
			if method == "workspace/configuration" {
				<-release // the scan waits for the settings
			}
			return nil, false, nil
		},
	})
	if _, err := c.Initialize(ctx, root, nil, nil); err != nil {
		t.Fatal(err)
	}
	draft := filepath.Join(root, "draft.md")
	text := openFile(t, c, draft, "markdown")
	at := pos(lsptest.FileURI(draft), lsptest.PositionOf(text, mainClaim, 3))
	var hover struct {
		Contents struct{ Value string } `json:"contents"`
	}
	if err := c.Call(ctx, "textDocument/hover", at, &hover); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(hover.Contents.Value, "indexing the workspace") || strings.Contains(hover.Contents.Value, "Unknown") {
		t.Fatalf("hover while indexing: %q", hover.Contents.Value)
	}
	var rpcErr *lsptest.RPCError
	err := c.Call(ctx, "textDocument/definition", at, nil)
	if !asRPC(err, &rpcErr) || rpcErr.Code != -32803 || !strings.Contains(rpcErr.Message, "indexing the workspace") {
		t.Fatalf("definition while indexing: %v", err)
	}
	var list struct {
		IsIncomplete bool
		Items        []any
	}
	if err := c.Call(ctx, "textDocument/completion", at, &list); err != nil || !list.IsIncomplete || len(list.Items) != 0 {
		t.Fatalf("completion while indexing: %+v %v", list, err)
	}
	// The status answers at once, and says so.
	var st map[string]any
	if err := c.Call(ctx, "workspace/executeCommand", map[string]any{"command": "seedls.indexStatus"}, &st); err != nil || st["indexing"] != true {
		t.Fatalf("status while indexing: %v %v", st, err)
	}
}

// TestHoverInTheFirstMoments: in a workspace large enough that the scan
// is still running when the editor opens a draft and hovers at once (what
// a writer does), the hover names the entity: it waited for the scan
// rather than calling the citation unknown.
func TestHoverInTheFirstMoments(t *testing.T) {
	root, c, ctx := largeSession(t)
	draft := filepath.Join(root, "draft.md")
	text := openFile(t, c, draft, "markdown")
	at := pos(lsptest.FileURI(draft), lsptest.PositionOf(text, mainClaim, 3))
	var st map[string]any
	if err := c.Call(ctx, "workspace/executeCommand", map[string]any{"command": "seedls.indexStatus"}, &st); err != nil {
		t.Fatal(err)
	}
	var hover struct {
		Contents struct{ Value string } `json:"contents"`
	}
	if err := c.Call(ctx, "textDocument/hover", at, &hover); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(hover.Contents.Value, mainTitle) {
		t.Fatalf("hover in the first moments: %q", hover.Contents.Value)
	}
	if st["indexing"] != true {
		t.Logf("the scan was done before the hover was sent: this run did not exercise the wait")
	} else {
		t.Logf("hover sent while indexing (%v of %v files read) named the claim", st["filesRead"], st["filesFound"])
	}
}

// largeSession starts the server, without a cache, on the sample corpus
// beside 8,000 generated entities: enough that reading them takes a while
// after initialize, as in a real workspace.
func largeSession(t *testing.T) (string, *lsptest.Client, context.Context) {
	t.Helper()
	root := copySeeds(t)
	if err := gen.WriteDir(filepath.Join(root, "gen"), gen.Options{Entities: 8000, Documents: -1}); err != nil {
		t.Fatal(err)
	}
	c, ctx := start(t, lsptest.Options{
		Args: []string{"serve"},
		Env:  []string{"XDG_CACHE_HOME=" + t.TempDir(), "TMPDIR=" + sessionTmp(t)},
	})
	if _, err := c.Initialize(ctx, root, nil, nil); err != nil {
		t.Fatal(err)
	}
	return root, c, ctx
}
