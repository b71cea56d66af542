package lsp_test

// End-to-end tests of graph navigation: call hierarchy, inlay hints,
// semantic tokens, folding, selection, highlights and the neighbourhood
// command, driven over stdio against the built binary as editors drive
// them.

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/seedls/seedls/lsp/lsptest"
)

const (
	mainFile   = "001_4aa8ef8dd5eaa303.txt"
	otherFile  = "000_e859c4d48ab37d79.txt"
	findingID  = "finding:soo-fine-tuning-had-negligible-impact-on-mistral-7b-general-capabilities"
	hypothesis = "hypothesis:soo-generalizes-to-all-transformer-architectures-without-retuning"
)

// navCaps are VS Code's capabilities for the navigation features, beside
// lsptest's defaults: call hierarchy, inlay hints (with refresh),
// semantic tokens, folding and selection ranges.
func navCaps(enc string) map[string]any {
	caps := lsptest.DefaultCapabilities()
	td := caps["textDocument"].(map[string]any)
	td["callHierarchy"] = map[string]any{"dynamicRegistration": true}
	td["inlayHint"] = map[string]any{"dynamicRegistration": true, "resolveSupport": map[string]any{"properties": []string{"tooltip"}}}
	td["semanticTokens"] = map[string]any{
		"dynamicRegistration": true,
		"requests":            map[string]any{"range": true, "full": map[string]any{"delta": true}},
		"tokenTypes":          []string{"namespace", "type", "class", "enum", "interface", "struct", "typeParameter", "parameter", "variable", "property", "enumMember", "event", "function", "method", "macro", "keyword", "modifier", "comment", "string", "number", "regexp", "operator", "decorator"},
		"tokenModifiers":      []string{"declaration", "definition", "readonly", "static", "deprecated", "abstract", "async", "modification", "documentation", "defaultLibrary"},
		"formats":             []string{"relative"},
	}
	td["foldingRange"] = map[string]any{"dynamicRegistration": true, "rangeLimit": 5000, "lineFoldingOnly": true}
	td["selectionRange"] = map[string]any{"dynamicRegistration": true}
	caps["workspace"].(map[string]any)["inlayHint"] = map[string]any{"refreshSupport": true}
	if enc != "" {
		caps["general"] = map[string]any{"positionEncodings": []string{enc}}
	}
	return caps
}

// navSession starts seedls on root with caps, answers the server's
// refresh requests as VS Code does, waits for the scan and returns the
// initialize result too.
func navSession(t *testing.T, root string, caps map[string]any, settings map[string]any) (*lsptest.Client, context.Context, json.RawMessage) {
	t.Helper()
	if settings == nil {
		settings = map[string]any{}
	}
	c, ctx := start(t, lsptest.Options{
		Args:     []string{"serve", "--log-level", "debug"},
		Settings: map[string]any{"seedls": settings},
		Env:      []string{"XDG_CACHE_HOME=" + sessionDir(t, "cache"), "TMPDIR=" + sessionTmp(t)},
		Handler: func(method string, _ json.RawMessage) (any, bool, error) {
			if strings.HasSuffix(method, "/refresh") {
				return nil, true, nil
			}
			return nil, false, nil
		},
	})
	res, err := c.Initialize(ctx, root, caps, map[string]any{"seedls": settings})
	if err != nil {
		t.Fatal(err)
	}
	waitIndexed(t, ctx, c)
	return c, ctx, res
}

type callItem struct {
	Name           string
	Kind           int
	Tags           []int
	Detail         string
	URI            string
	Range          lsptest.Range
	SelectionRange lsptest.Range
	Data           json.RawMessage
}

type call struct {
	From, To   *callItem
	FromRanges []lsptest.Range
}

func (c call) item() *callItem {
	if c.From != nil {
		return c.From
	}
	return c.To
}

// callsByFile indexes calls by the base name of the other end's file.
func callsByFile(calls []call) map[string][]call {
	out := map[string][]call{}
	for _, c := range calls {
		name := filepath.Base(c.item().URI)
		out[name] = append(out[name], c)
	}
	return out
}

func TestCallHierarchy(t *testing.T) {
	root := copySeeds(t)
	c, ctx, _ := navSession(t, root, navCaps(""), nil)
	draft := filepath.Join(root, "draft.md")
	text := openFile(t, c, draft, "markdown")
	uri := lsptest.FileURI(draft)
	mainText, _ := os.ReadFile(filepath.Join(root, mainFile))
	// Each answer is decoded afresh: items are sent back as they came.
	prepare := func(uri string, p lsptest.Position) []callItem {
		t.Helper()
		var items []callItem
		if err := c.Call(ctx, "textDocument/prepareCallHierarchy", pos(uri, p), &items); err != nil {
			t.Fatal(err)
		}
		return items
	}
	calls := func(method string, item callItem) []call {
		t.Helper()
		var out []call
		if err := c.Call(ctx, method, map[string]any{"item": item}, &out); err != nil {
			t.Fatal(err)
		}
		return out
	}

	// On a citation: one item, the claim's, at its id line.
	items := prepare(uri, lsptest.PositionOf(text, mainClaim, 4))
	if len(items) != 1 || items[0].Name != mainTitle || filepath.Base(items[0].URI) != mainFile ||
		items[0].SelectionRange.Start != (lsptest.Position{Line: 2}) || !strings.Contains(string(items[0].Data), mainClaim) {
		t.Fatalf("prepare on a citation: %+v", items)
	}
	claim := items[0]

	// Incoming: the entities listing it in a typed group, with the
	// relation words and the listing items; the draft citing it. The near
	// duplicate lists it under "Restated by" and the other seed under
	// "Related by similarity": neither is an edge.
	in := calls("callHierarchy/incomingCalls", claim)
	got := callsByFile(in)
	if len(in) != 3 || len(got["003_finding_capabilities.txt"]) != 1 || len(got["004_question_self_deception.txt"]) != 1 || len(got["draft.md"]) != 1 {
		t.Fatalf("incoming calls: %+v", in)
	}
	finding := got["003_finding_capabilities.txt"][0]
	if finding.From.Detail != "supports" || finding.From.Name != "SOO fine-tuning had negligible impact on Mistral-7B general capabilities" ||
		len(finding.FromRanges) != 1 || finding.FromRanges[0].Start != (lsptest.Position{Line: 9, Character: 2}) {
		t.Errorf("incoming from the finding: %+v", finding)
	}
	if q := got["004_question_self_deception.txt"][0]; q.From.Detail != "listed in Claims" {
		t.Errorf("incoming from the question: %+v", q)
	}
	doc := got["draft.md"][0]
	if doc.From.Kind != 1 || len(doc.FromRanges) != 1 || doc.FromRanges[0].Start != lsptest.PositionOf(text, mainClaim, 0) {
		t.Errorf("incoming from the draft: %+v", doc)
	}

	// Outgoing: what its typed groups list, at its items; neighbours
	// outside the workspace stay, pointing at their item.
	out := calls("callHierarchy/outgoingCalls", claim)
	got = callsByFile(out)
	if len(out) != 9 || len(got["003_finding_capabilities.txt"]) != 1 || len(got["004_question_self_deception.txt"]) != 1 || len(got[mainFile]) != 7 {
		t.Fatalf("outgoing calls (%d): %+v", len(out), out)
	}
	itemPos := lsptest.PositionOf(string(mainText), "SOO fine-tuning had negligible impact", 0)
	if f := got["003_finding_capabilities.txt"][0]; f.FromRanges[0].Start != itemPos || f.To.SelectionRange.Start.Line != 2 {
		t.Errorf("outgoing to the finding: %+v (item at %v)", f, itemPos)
	}
	var mistral *call
	for i, o := range got[mainFile] {
		if o.To.Kind != 8 || !strings.HasSuffix(o.To.Detail, "not in the workspace") {
			t.Errorf("neighbour outside the workspace: %+v", o.To)
		}
		if strings.HasPrefix(o.To.Name, "Mistral-7B-Instruct") {
			mistral = &got[mainFile][i]
		}
	}
	if mistral == nil || mistral.To.Detail != "associated_with, supports · finding not in the workspace" {
		t.Errorf("the Mistral finding: %+v", mistral)
	}
	for _, o := range out {
		if strings.HasPrefix(o.To.Name, "Claim supported by Perspectives") {
			t.Errorf("a similarity neighbour is an edge: %+v", o)
		}
	}

	// The draft, as a caller, calls what it cites; nothing calls it.
	if out := calls("callHierarchy/outgoingCalls", *doc.From); len(out) != 5 {
		t.Errorf("the draft's outgoing calls: %+v", out)
	}
	if in := calls("callHierarchy/incomingCalls", *doc.From); len(in) != 0 {
		t.Errorf("the draft's incoming calls: %+v", in)
	}

	// An item whose data a client dropped is found by its URI and
	// selection range; from the id line and from a neighbour item too.
	bare := claim
	bare.Data = nil
	if in := calls("callHierarchy/incomingCalls", bare); len(in) != 3 {
		t.Errorf("incoming calls without data: %+v", in)
	}
	seed := lsptest.FileURI(filepath.Join(root, mainFile))
	if items := prepare(seed, lsptest.Position{Line: 2, Character: 200}); len(items) != 1 || items[0].Name != mainTitle {
		t.Errorf("prepare on the id line: %+v", items)
	}
	if items := prepare(seed, itemPos); len(items) != 1 || !strings.HasSuffix(items[0].URI, "003_finding_capabilities.txt") {
		t.Errorf("prepare on a neighbour item: %+v", items)
	}
	// A deprecated entity is tagged so.
	if items := prepare(uri, lsptest.PositionOf(text, hypothesis, 3)); len(items) != 1 || !reflect.DeepEqual(items[0].Tags, []int{1}) {
		t.Errorf("prepare on a deprecated hypothesis: %+v", items)
	}
	// Nothing there, or an unknown id: null (Neovim 0.7 would ask the
	// user to pick from an empty list).
	for _, p := range []lsptest.Position{{Line: 0, Character: 3}, lsptest.PositionOf(text, "claim:soo-works-on-sleeper-agents", 3)} {
		raw, err := c.CallRaw(ctx, "textDocument/prepareCallHierarchy", pos(uri, p))
		if err != nil || string(raw) != "null" {
			t.Errorf("prepare at %v: %v %s", p, err, raw)
		}
	}
	// After an edit that moves the claim's lines, its item still finds it.
	mainURI := lsptest.FileURI(filepath.Join(root, mainFile))
	openFile(t, c, filepath.Join(root, mainFile), "plaintext")
	edit(t, c, mainURI, 2, strings.Replace(string(mainText), "Source paper\n", "Source paper\n\n\n", 1))
	if f := callsByFile(calls("callHierarchy/outgoingCalls", claim))["003_finding_capabilities.txt"]; len(f) != 1 || f[0].FromRanges[0].Start.Line != itemPos.Line+2 {
		t.Errorf("outgoing calls after an edit: %+v", f)
	}
	if err := c.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
}

type inlayHint struct {
	Position    lsptest.Position
	Label       string
	Tooltip     string
	PaddingLeft bool
}

func TestInlayHints(t *testing.T) {
	root := copySeeds(t)
	c, ctx, res := navSession(t, root, navCaps(""), nil)
	if !strings.Contains(string(res), `"inlayHintProvider"`) {
		t.Fatalf("inlay hints not advertised: %s", res)
	}
	draft := filepath.Join(root, "draft.md")
	text := openFile(t, c, draft, "markdown")
	uri := lsptest.FileURI(draft)
	all := lsptest.Range{End: lsptest.Position{Line: 100}}
	hints := func(r lsptest.Range) []inlayHint {
		t.Helper()
		var hs []inlayHint
		if err := c.Call(ctx, "textDocument/inlayHint", map[string]any{"textDocument": map[string]any{"uri": uri}, "range": r}, &hs); err != nil {
			t.Fatal(err)
		}
		return hs
	}
	// The main claim: three of its findings "supports" it in its file and
	// the capabilities finding in its own; the other claim has two; the
	// hypothesis is deprecated and unsupported; the finding and the
	// question have nothing to say, the unknown citations no hint.
	want := []inlayHint{
		{lsptest.PositionOf(text, mainClaim, len(mainClaim)), "4 supporting", "", true},
		{lsptest.PositionOf(text, otherClaim+"]]", len(otherClaim)+2), "2 supporting", "", true},
		{lsptest.PositionOf(text, hypothesis+")", len(hypothesis)+1), "deprecated · 0 supporting", "", true},
	}
	got := hints(all)
	for i := range got {
		if !strings.Contains(got[i].Tooltip, "supported by") {
			t.Errorf("hint %d tooltip %q", i, got[i].Tooltip)
		}
		got[i].Tooltip = ""
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("hints:\n got %+v\nwant %+v", got, want)
	}
	// A range asks for the citations in it only.
	line := lsptest.PositionOf(text, hypothesis, 0).Line
	if got := hints(lsptest.Range{Start: lsptest.Position{Line: line}, End: lsptest.Position{Line: line + 1}}); len(got) != 1 || got[0].Label != want[2].Label {
		t.Errorf("hints of line %d: %+v", line, got)
	}
	// Positions count UTF-16 code units after characters outside the BMP.
	astral := filepath.Join(root, "astral.md")
	atext := "𝔼🧪·— ρ≥ [[" + mainClaim + "]] ok"
	os.WriteFile(astral, []byte(atext), 0o644)
	openFile(t, c, astral, "markdown")
	var hs []inlayHint
	c.Call(ctx, "textDocument/inlayHint", map[string]any{"textDocument": map[string]any{"uri": lsptest.FileURI(astral)}, "range": all}, &hs)
	if len(hs) != 1 || hs[0].Position != (lsptest.Position{Line: 0, Character: 10 + len(mainClaim) + 4}) {
		t.Errorf("hints after astral characters: %+v", hs)
	}
	// An edit of an entity file counts again: the finding now contradicts
	// the main claim instead of supporting it, and so is contradicted.
	findingPath := filepath.Join(root, "003_finding_capabilities.txt")
	ftext := openFile(t, c, findingPath, "plaintext")
	edit(t, c, lsptest.FileURI(findingPath), 2, strings.Replace(ftext, "performancesupportsCentral", "performancecontradictsCentral", 1))
	if got := hints(all); len(got) != 4 || got[0].Label != "3 supporting · 1 contradicting" || got[3].Label != "1 contradicting" ||
		got[3].Position != lsptest.PositionOf(text, findingID+")", len(findingID)+1) {
		t.Errorf("hints after the finding turned against the claim: %+v", got)
	}
	// The setting turns them off, and the client is asked to refresh.
	c.SetSettings(map[string]any{"seedls": map[string]any{"inlayHints": map[string]any{"enable": false}}})
	c.Notify("workspace/didChangeConfiguration", map[string]any{"settings": map[string]any{"seedls": map[string]any{"inlayHints": map[string]any{"enable": false}}}})
	if _, err := c.WaitServerRequest(ctx, "workspace/inlayHint/refresh", nil); err != nil {
		t.Fatal(err)
	}
	if got := hints(all); len(got) != 0 {
		t.Errorf("hints with seedls.inlayHints.enable false: %+v", got)
	}
	if err := c.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
}

// TestNavCapabilities: inlay hints and semantic tokens are advertised
// only to clients that declare them; the rest always.
func TestNavCapabilities(t *testing.T) {
	root := copySeeds(t)
	for _, tc := range []struct {
		caps map[string]any
		want bool
	}{{lsptest.DefaultCapabilities(), false}, {navCaps(""), true}} {
		c, ctx, res := navSession(t, root, tc.caps, nil)
		var r struct {
			Capabilities map[string]json.RawMessage
		}
		if err := json.Unmarshal(res, &r); err != nil {
			t.Fatal(err)
		}
		caps := r.Capabilities
		for _, k := range []string{"callHierarchyProvider", "foldingRangeProvider", "selectionRangeProvider", "documentHighlightProvider"} {
			if string(caps[k]) != "true" {
				t.Errorf("%s = %s", k, caps[k])
			}
		}
		if !strings.Contains(string(caps["executeCommandProvider"]), `"seedls.neighbourhood"`) {
			t.Errorf("executeCommandProvider = %s", caps["executeCommandProvider"])
		}
		_, hints := caps["inlayHintProvider"]
		_, tokens := caps["semanticTokensProvider"]
		if hints != tc.want || tokens != tc.want {
			t.Errorf("client declares them: %v; inlayHintProvider %s, semanticTokensProvider %s", tc.want, caps["inlayHintProvider"], caps["semanticTokensProvider"])
		}
		if tc.want {
			var st struct {
				Legend struct{ TokenTypes, TokenModifiers []string }
				Full   bool
				Range  bool
			}
			json.Unmarshal(caps["semanticTokensProvider"], &st)
			if !reflect.DeepEqual(st.Legend.TokenTypes, tokenTypes) || !reflect.DeepEqual(st.Legend.TokenModifiers, []string{"declaration", "deprecated"}) || !st.Full || !st.Range {
				t.Errorf("semanticTokensProvider = %s", caps["semanticTokensProvider"])
			}
		}
		if err := c.Shutdown(ctx); err != nil {
			t.Fatal(err)
		}
	}
}

var tokenTypes = []string{"type", "enumMember", "variable", "namespace", "keyword", "number", "comment"}

// token is a decoded semantic token.
type token struct {
	Line, Char, Len int
	Type            string
	Mods            int
}

func decodeTokens(t *testing.T, data []int) []token {
	t.Helper()
	if len(data)%5 != 0 {
		t.Fatalf("token data of length %d", len(data))
	}
	var out []token
	line, char := 0, 0
	for i := 0; i < len(data); i += 5 {
		if data[i] > 0 {
			char = 0
		}
		line += data[i]
		char += data[i+1]
		out = append(out, token{line, char, data[i+2], tokenTypes[data[i+3]], data[i+4]})
	}
	return out
}

// tokenText is the text a token covers, counting columns in enc.
func tokenText(text string, tk token, enc string) string {
	line := strings.Split(text, "\n")[tk.Line]
	col := func(n int) int { // a column in enc to a byte offset
		if enc == "utf-8" {
			return n
		}
		units := 0
		for i, r := range line {
			if units >= n {
				return i
			}
			units += len(utf16(string(r)))
		}
		return len(line)
	}
	return line[col(tk.Char):col(tk.Char+tk.Len)]
}

func TestSemanticTokens(t *testing.T) {
	for _, enc := range []string{"utf-16", "utf-8"} {
		t.Run(enc, func(t *testing.T) {
			root := copySeeds(t)
			c, ctx, _ := navSession(t, root, navCaps(enc), nil)
			tokens := func(path string, r *lsptest.Range) (string, []token) {
				t.Helper()
				text := openFile(t, c, path, "plaintext")
				p := map[string]any{"textDocument": map[string]any{"uri": lsptest.FileURI(path)}}
				method := "textDocument/semanticTokens/full"
				if r != nil {
					p["range"], method = r, "textDocument/semanticTokens/range"
				}
				var res struct{ Data []int }
				if err := c.Call(ctx, method, p, &res); err != nil {
					t.Fatal(err)
				}
				return text, decodeTokens(t, res.Data)
			}
			// An entity file: every line kind once, by the text it covers.
			text, tks := tokens(filepath.Join(root, mainFile), nil)
			seen := map[string]bool{}
			for _, tk := range tks {
				seen[tokenText(text, tk, enc)+"|"+tk.Type+"|"+string(rune('0'+tk.Mods))] = true
			}
			for _, want := range []string{"claim|type|0", "active|enumMember|0", mainClaim + "|variable|1", "Source paper|namespace|0",
				"extracted_from|keyword|0", "2024|number|0", "Neighborhood — ranked by edge-count|namespace|0", "Findings|namespace|0",
				"6|number|0", "finding|type|0", "associated_with|keyword|0", "supports|keyword|0", "about|keyword|0",
				"hypothesis|type|0", "0.826|number|0", "Related by similarity|namespace|0"} {
				if !seen[want] {
					t.Errorf("no token %q among %v", want, seen)
				}
			}
			// A deprecated entity's status and id carry the modifier.
			dtext, dtks := tokens(filepath.Join(root, "006_deprecated_hypothesis.txt"), nil)
			if tk := dtks[1]; tokenText(dtext, tk, enc) != "deprecated" || tk.Mods != 2 || dtks[2].Mods != 3 {
				t.Errorf("deprecated entity tokens: %+v", dtks[:3])
			}
			// A document: its known citations, after characters outside the
			// BMP, the deprecated one marked; a range holds only its own.
			doc := filepath.Join(root, "astral.md")
			os.WriteFile(doc, []byte("𝔼🧪·— ρ≥ "+hypothesis+" and [["+mainClaim+"]]\nclaim:soo-works-on-sleeper-agents "+findingID), 0o644)
			dtext, dtks = tokens(doc, nil)
			if len(dtks) != 3 || tokenText(dtext, dtks[0], enc) != hypothesis || dtks[0].Mods != 2 || dtks[0].Type != "variable" ||
				tokenText(dtext, dtks[1], enc) != mainClaim || dtks[1].Mods != 0 || tokenText(dtext, dtks[2], enc) != findingID {
				t.Fatalf("document tokens: %+v", dtks)
			}
			wantCol := 10
			if enc == "utf-8" {
				wantCol = 20
			}
			if dtks[0].Char != wantCol {
				t.Errorf("first citation at column %d, want %d", dtks[0].Char, wantCol)
			}
			_, rtks := tokens(doc, &lsptest.Range{Start: lsptest.Position{Line: 1}, End: lsptest.Position{Line: 2}})
			if len(rtks) != 1 || rtks[0].Line != 1 {
				t.Errorf("range tokens: %+v", rtks)
			}
			if err := c.Shutdown(ctx); err != nil {
				t.Fatal(err)
			}
		})
	}
}

type selectionRange struct {
	Range  lsptest.Range
	Parent *selectionRange
}

func TestFoldingSelectionHighlight(t *testing.T) {
	root := copySeeds(t)
	c, ctx, _ := navSession(t, root, navCaps(""), nil)
	seedPath := filepath.Join(root, mainFile)
	text := openFile(t, c, seedPath, "plaintext")
	seed := lsptest.FileURI(seedPath)

	var folds []struct{ StartLine, EndLine int }
	if err := c.Call(ctx, "textDocument/foldingRange", map[string]any{"textDocument": map[string]any{"uri": seed}}, &folds); err != nil {
		t.Fatal(err)
	}
	// Provenance, the neighbourhood (to the last typed group), each group
	// of two lines or more (0-based lines).
	want := []struct{ StartLine, EndLine int }{{4, 5}, {6, 23}, {7, 8}, {9, 16}, {17, 19}, {20, 23}, {24, 33}, {34, 35}}
	if !reflect.DeepEqual(folds, want) {
		t.Errorf("folding ranges:\n got %v\nwant %v", folds, want)
	}

	// From a relation word to the file, one step at a time.
	at := lsptest.PositionOf(text, "associated_withsupports", 3)
	var sel []selectionRange
	if err := c.Call(ctx, "textDocument/selectionRange", map[string]any{"textDocument": map[string]any{"uri": seed}, "positions": []any{at}}, &sel); err != nil || len(sel) != 1 {
		t.Fatalf("selection ranges: %v %+v", err, sel)
	}
	var chain []lsptest.Range
	for s := &sel[0]; s != nil; s = s.Parent {
		chain = append(chain, s.Range)
	}
	word := lsptest.PositionOf(text, "associated_withsupports", 0)
	lines := strings.Count(text, "\n")
	if len(chain) != 7 || chain[0].Start != word || chain[0].End.Character != word.Character+len("associated_with") ||
		chain[1].End.Character != word.Character+len("associated_withsupports") || chain[3].Start.Character != 0 ||
		chain[4].Start.Line != 9 || chain[5].Start.Line != 6 || chain[6].End.Line != lines {
		t.Errorf("selection chain: %+v", chain)
	}

	// Every citation of the same id in a document.
	doc := filepath.Join(root, "twice.md")
	dtext := "𝔼 " + mainClaim + " then " + otherClaim + "\nand again [[" + mainClaim + "]]."
	os.WriteFile(doc, []byte(dtext), 0o644)
	openFile(t, c, doc, "markdown")
	var hl []struct {
		Range lsptest.Range
		Kind  int
	}
	if err := c.Call(ctx, "textDocument/documentHighlight", pos(lsptest.FileURI(doc), lsptest.PositionOf(dtext, mainClaim, 5)), &hl); err != nil {
		t.Fatal(err)
	}
	second := strings.LastIndex(dtext, mainClaim)
	if len(hl) != 2 || hl[0].Range.Start != (lsptest.Position{Line: 0, Character: 3}) || hl[1].Range.Start != lsptest.PositionAt(dtext, second) {
		t.Errorf("highlights: %+v", hl)
	}
	if err := c.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
}

func TestNeighbourhoodCommand(t *testing.T) {
	root := copySeeds(t)
	c, ctx, _ := navSession(t, root, navCaps(""), nil)
	draft := filepath.Join(root, "draft.md")
	text := openFile(t, c, draft, "markdown")
	uri := lsptest.FileURI(draft)
	command := func(args map[string]any) json.RawMessage {
		t.Helper()
		raw, err := c.CallRaw(ctx, "workspace/executeCommand", map[string]any{"command": "seedls.neighbourhood", "arguments": []any{args}})
		if err != nil {
			t.Fatal(err)
		}
		return raw
	}
	raw := command(map[string]any{"textDocument": map[string]any{"uri": uri}, "position": lsptest.PositionOf(text, mainClaim, 3)})
	var g struct {
		Roots []string
		Depth int
		Nodes []struct {
			Key, Kind, Status, Title, URI string
			ID                            *string
			Line                          *int
			Root, Resolved                bool
		}
		Edges []struct {
			From, To, Group string
			Relations       []string
		}
	}
	if err := json.Unmarshal(raw, &g); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(g.Roots, []string{mainClaim}) || g.Depth != 1 || len(g.Nodes) == 0 {
		t.Fatalf("neighbourhood: %s", raw)
	}
	if n := g.Nodes[0]; n.Key != mainClaim || *n.ID != mainClaim || !n.Root || !n.Resolved || n.Status != "active" ||
		filepath.Base(n.URI) != mainFile || *n.Line != 2 || n.Title != mainTitle {
		t.Errorf("root node: %+v", n)
	}
	nodes := map[string]int{}
	for i, n := range g.Nodes {
		nodes[n.Key] = i
		if !n.Resolved && (n.ID != nil || n.URI != "" || n.Line != nil || !strings.HasPrefix(n.Key, "?")) {
			t.Errorf("unresolved node: %+v", n)
		}
	}
	for _, k := range []string{findingID, "question:to-what-extent-does-self-deception-in-ai-models-affect-the-effectiveness-of-soo-fine-tuning",
		"?concept:ai-deception", "?finding:scaling-pattern-78b-27b-7b-in-deception-reduction-from-soo-fine-tuning"} {
		if _, ok := nodes[k]; !ok {
			t.Errorf("no node %s", k)
		}
	}
	edges := map[string]string{}
	for _, e := range g.Edges {
		edges[e.From+" -> "+e.To] = e.Group + ":" + strings.Join(e.Relations, ",")
	}
	for e, want := range map[string]string{
		mainClaim + " -> " + findingID:          "Findings:",
		findingID + " -> " + mainClaim:          "Claims:supports",
		mainClaim + " -> ?concept:ai-deception": "Concepts:about",
	} {
		if edges[e] != want {
			t.Errorf("edge %s: %q, want %q", e, edges[e], want)
		}
	}
	// The command answers exactly what `seedls graph --format json` prints
	// (less the paths the command line adds).
	cli := exec.Command(seedlsBin, "graph", "--format", "json", "--root", root, mainClaim)
	cliOut, err := cli.Output()
	if err != nil {
		t.Fatalf("seedls graph: %v", err)
	}
	var fromCLI, fromServer any
	json.Unmarshal(cliOut, &fromCLI)
	json.Unmarshal(raw, &fromServer)
	for _, n := range fromCLI.(map[string]any)["nodes"].([]any) {
		delete(n.(map[string]any), "path")
	}
	if !reflect.DeepEqual(fromCLI, fromServer) {
		t.Errorf("seedls graph --format json differs from the command:\n%s\n%s", cliOut, raw)
	}
	// Depth is capped; nothing at the position gives null.
	raw = command(map[string]any{"textDocument": map[string]any{"uri": uri}, "position": lsptest.PositionOf(text, mainClaim, 3), "depth": 9})
	json.Unmarshal(raw, &g)
	if g.Depth != 3 {
		t.Errorf("depth 9 answered depth %d", g.Depth)
	}
	for _, p := range []lsptest.Position{{Line: 0, Character: 2}, lsptest.PositionOf(text, "claim:soo-works-on-sleeper-agents", 3)} {
		if raw := command(map[string]any{"textDocument": map[string]any{"uri": uri}, "position": p}); string(raw) != "null" {
			t.Errorf("at %v: %s", p, raw)
		}
	}
	if err := c.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
}
