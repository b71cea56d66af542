package lsp_test

// Graph fidelity: a generated corpus that knows what each neighbour item
// was written to name and which diagnostics each file should get
// (gen.Options.Truth), checked against `seedls check` and against the
// diagnostics the server pushes.

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/seedls/seedls/graph"
	"github.com/seedls/seedls/graph/gen"
	"github.com/seedls/seedls/lsp/lsptest"
)

// fidelitySize is the corpus the issue measured on.
const fidelitySize = 10000

var fidelity struct {
	once  sync.Once
	root  string
	truth *gen.Truth
	err   error
}

// fidelityCorpus writes the truth-mode corpus once per test binary, beside
// the built server (removed with it).
func fidelityCorpus(t *testing.T) (string, *gen.Truth) {
	t.Helper()
	fidelity.once.Do(func() {
		root := filepath.Join(filepath.Dir(seedlsBin), "fidelity")
		if err := gen.WriteDir(root, gen.Options{Entities: fidelitySize, Seed: 15, Truth: true}); err != nil {
			fidelity.err = err
			return
		}
		data, err := os.ReadFile(filepath.Join(root, gen.TruthName))
		if err != nil {
			fidelity.err = err
			return
		}
		var tr gen.Truth
		fidelity.err = json.Unmarshal(data, &tr)
		fidelity.root, fidelity.truth = root, &tr
	})
	if fidelity.err != nil {
		t.Fatal(fidelity.err)
	}
	return fidelity.root, fidelity.truth
}

// diagKey is a diagnostic's file (slash-separated, relative to the
// corpus), code and range: 1-based lines and columns in characters.
type diagKey struct {
	Path                             string
	Line, Column, EndLine, EndColumn int
	Code                             string
}

func (k diagKey) String() string {
	return fmt.Sprintf("%s:%d:%d-%d:%d %s", k.Path, k.Line, k.Column, k.EndLine, k.EndColumn, k.Code)
}

// agreement compares diagnostics with the truth: each diagnostic's
// range and code, and what it names (named: ids, base names or paths,
// as the channel tells them).
type agreement struct {
	want, got map[diagKey][]string
	twice     []diagKey // the same code at the same place more than once
}

func newAgreement() *agreement {
	return &agreement{want: map[diagKey][]string{}, got: map[diagKey][]string{}}
}

func (a *agreement) add(k diagKey, named []string) {
	if _, ok := a.got[k]; ok {
		a.twice = append(a.twice, k)
	}
	a.got[k] = named
}

// report counts agreement by diagnostic and by (file, code) pair: a pair
// agrees when the file's diagnostics of that code are exactly the truth's.
func (a *agreement) report(t *testing.T, what string) {
	t.Helper()
	type pair struct{ path, code string }
	pairs := map[pair]bool{} // -> agrees
	var wrong []string
	agreed := 0
	note := func(k diagKey, ok bool) {
		p := pair{k.Path, k.Code}
		if _, seen := pairs[p]; !seen {
			pairs[p] = true
		}
		pairs[p] = pairs[p] && ok
	}
	for k, w := range a.want {
		g, ok := a.got[k]
		switch {
		case !ok:
			wrong = append(wrong, "missing "+k.String()+" "+strings.Join(w, " "))
		case !slices.Equal(w, g):
			wrong = append(wrong, "wrong "+k.String()+": names "+strings.Join(g, " ")+", want "+strings.Join(w, " "))
			ok = false
		default:
			agreed++
		}
		note(k, ok)
	}
	for k, g := range a.got {
		if _, ok := a.want[k]; !ok {
			wrong = append(wrong, "unexpected "+k.String()+" "+strings.Join(g, " "))
			note(k, false)
		}
	}
	good := 0
	for _, ok := range pairs {
		if ok {
			good++
		}
	}
	t.Logf("%s: %d of %d (file, code) pairs agree; %d of %d diagnostics as the truth has them, %d others; %d repeated at one place",
		what, good, len(pairs), agreed, len(a.want), len(a.got)-agreed-countWrong(a), len(a.twice))
	sort.Strings(wrong)
	// FIDELITY_DUMP=PREFIX writes every disagreement to PREFIX.check and
	// PREFIX.server, where the log shows the first few.
	if f := os.Getenv("FIDELITY_DUMP"); f != "" {
		os.WriteFile(f+"."+what, []byte(strings.Join(wrong, "\n")), 0o644)
	}
	for i, w := range wrong {
		if i == 25 {
			t.Errorf("… and %d more", len(wrong)-i)
			break
		}
		t.Error(w)
	}
	for i, k := range a.twice {
		if i == 10 {
			break
		}
		t.Errorf("%s more than once", k)
	}
}

func countWrong(a *agreement) int {
	n := 0
	for k, w := range a.want {
		if g, ok := a.got[k]; ok && !slices.Equal(w, g) {
			n++
		}
	}
	return n
}

var (
	idsInMessage   = regexp.MustCompile(`\b[a-z]+:[a-z0-9]+(?:-[a-z0-9]+)*`)
	filesInMessage = regexp.MustCompile(`\b[0-9]+_[0-9a-f]+\.txt\b`)
)

// TestFidelityCheck: `seedls check --format json` on the truth corpus
// reports exactly the diagnostics the truth holds, none twice, each
// naming what the truth names.
func TestFidelityCheck(t *testing.T) {
	if testing.Short() {
		t.Skip("generates a 10k corpus")
	}
	root, truth := fidelityCorpus(t)
	cmd := exec.Command(seedlsBin, "check", "--format", "json", "--severity", "hint", root)
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if ee, ok := err.(*exec.ExitError); err != nil && !(ok && ee.ExitCode() == 1) {
		t.Fatalf("check: %v", err)
	}
	var res struct {
		Diagnostics []struct {
			Path                             string
			Line, Column, EndLine, EndColumn int
			Code, Message                    string
		}
	}
	if err := json.Unmarshal(out, &res); err != nil {
		t.Fatal(err)
	}
	ids := map[string]string{}
	for _, f := range truth.Files {
		ids[f.Path] = f.ID
	}
	// What a message can name: ids for restated and near-duplicate (at
	// most three, in path order, as the message lists them), base names
	// for duplicate-id.
	named := func(code string, related []string) []string {
		var out []string
		switch code {
		case "restated", "near-duplicate":
			for _, p := range related {
				if id := ids[p]; !slices.Contains(out, id) {
					out = append(out, id)
				}
			}
			out = out[:min(len(out), 3)]
		case "duplicate-id":
			for _, p := range related {
				out = append(out, filepath.Base(p))
			}
		}
		sort.Strings(out)
		return out
	}
	a := newAgreement()
	for _, f := range truth.Files {
		for _, d := range f.Diagnostics {
			a.want[diagKey{f.Path, d.Line, d.Column, d.EndLine, d.EndColumn, d.Code}] = named(d.Code, d.Related)
		}
	}
	for _, d := range res.Diagnostics {
		rel, err := filepath.Rel(root, d.Path)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		switch d.Code {
		case "restated", "near-duplicate":
			for _, id := range idsInMessage.FindAllString(d.Message, -1) {
				if !slices.Contains(names, id) {
					names = append(names, id)
				}
			}
		case "duplicate-id":
			names = filesInMessage.FindAllString(d.Message, -1)
		}
		sort.Strings(names)
		a.add(diagKey{filepath.ToSlash(rel), d.Line, d.Column, d.EndLine, d.EndColumn, d.Code}, names)
	}
	a.report(t, "check")
}

// TestFidelityServer: the diagnostics the server pushes for every file of
// the truth corpus, with unresolved-neighbour raised to information so
// that closed files get them too, are the truth's, with related
// information naming each file the truth names.
func TestFidelityServer(t *testing.T) {
	if testing.Short() {
		t.Skip("generates a 10k corpus")
	}
	root, truth := fidelityCorpus(t)
	c, _ := start(t, lsptest.Options{
		Args: []string{"serve"},
		Settings: map[string]any{"seedls": map[string]any{
			"diagnostics": map[string]any{"severity": map[string]any{"unresolved-neighbour": "information"}},
		}},
		Env: []string{"XDG_CACHE_HOME=" + sessionDir(t, "cache"), "TMPDIR=" + sessionTmp(t)},
	})
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	if _, err := c.Initialize(ctx, root, nil, nil); err != nil {
		t.Fatal(err)
	}
	waitStatus(t, ctx, c, func(st map[string]any) bool { return st["indexing"] == false && st["publishing"] == false })

	a := newAgreement()
	for _, f := range truth.Files {
		for _, d := range f.Diagnostics {
			a.want[diagKey{f.Path, d.Line, d.Column, d.EndLine, d.EndColumn, d.Code}] = slices.Clone(d.Related)
		}
		path := filepath.Join(root, filepath.FromSlash(f.Path))
		_, ds, ok := c.Diagnostics(lsptest.FileURI(path))
		if !ok {
			continue // nothing was published for it
		}
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(string(data), "\n")
		for _, d := range ds {
			code, _ := d.Code.(string)
			k := diagKey{f.Path, d.Range.Start.Line + 1, charColumn(lines, d.Range.Start), d.Range.End.Line + 1, charColumn(lines, d.Range.End), code}
			var rel []struct{ Location struct{ URI string } }
			if len(d.RelatedInformation) > 0 {
				if err := json.Unmarshal(d.RelatedInformation, &rel); err != nil {
					t.Fatal(err)
				}
			}
			var names []string
			for _, r := range rel {
				u, err := url.Parse(r.Location.URI)
				if err != nil {
					t.Fatal(err)
				}
				p, err := filepath.Rel(root, filepath.FromSlash(u.Path))
				if err != nil {
					t.Fatal(err)
				}
				names = append(names, filepath.ToSlash(p))
			}
			sort.Strings(names)
			a.add(k, names)
		}
	}
	a.report(t, "server")

	t.Run("a shorter reading appears", func(t *testing.T) {
		shorterReadingAppears(t, ctx, c, root, truth)
	})
}

// shorterReadingAppears: an entity titled as a shorter reading of an
// unresolved item ("… and their causes" + "about" read as "… and their
// ca" + "usesabout") appears in an unsaved buffer, then goes: the item's
// unresolved-neighbour goes and comes back, though nothing else in the
// listing file names the new entity.
func shorterReadingAppears(t *testing.T, ctx context.Context, c *lsptest.Client, root string, truth *gen.Truth) {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	var lister, title string
	line := 0
	for _, f := range truth.Files {
		for _, it := range f.Items {
			if it.Section == "typed" && len(it.Names) == 0 && lister == "" {
				for _, r := range []string{"uses", "related", "tests", "cites", "about"} {
					if n := len(it.Title) - len(r); n > 0 && strings.HasSuffix(it.Title, r) && it.Title[n-1] != ' ' {
						lister, line, title = f.Path, it.Line, it.Title[:n]
						break
					}
				}
			}
		}
	}
	if lister == "" {
		t.Fatal("the corpus has no unresolved item whose title ends in a word ending like a relation word")
	}
	path := filepath.Join(root, filepath.FromSlash(lister))
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(data), "\n")
	kind := ""
	for i := line - 2; i >= 0 && kind == ""; i-- {
		if !strings.HasPrefix(lines[i], "- ") {
			kind = lines[i] // the group's kind line
		}
	}
	unresolvedAt := func(want bool) func([]lsptest.Diagnostic) bool {
		return func(ds []lsptest.Diagnostic) bool {
			found := false
			for _, d := range ds {
				found = found || d.Code == "unresolved-neighbour" && d.Range.Start.Line == line-1
			}
			return found == want
		}
	}
	uri := lsptest.FileURI(path)
	if _, err := c.WaitDiagnostics(ctx, uri, unresolvedAt(true)); err != nil {
		t.Fatal(err)
	}
	appears := lsptest.FileURI(filepath.Join(root, "appears.txt"))
	text := kind + "\nactive\n" + kind + ":" + graph.Slug(title) + title + "\nA shorter reading of an item's title\n"
	if err := c.Notify("textDocument/didOpen", map[string]any{
		"textDocument": map[string]any{"uri": appears, "languageId": "plaintext", "version": 1, "text": text},
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.WaitDiagnostics(ctx, uri, unresolvedAt(false)); err != nil {
		t.Fatalf("%s:%d still unresolved once %q appeared: %v", lister, line, title, err)
	}
	if err := c.Notify("textDocument/didClose", map[string]any{"textDocument": map[string]any{"uri": appears}}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.WaitDiagnostics(ctx, uri, unresolvedAt(true)); err != nil {
		t.Fatalf("%s:%d resolved after %q went: %v", lister, line, title, err)
	}
}

// charColumn turns an LSP position (UTF-16) into a 1-based column in
// characters.
func charColumn(lines []string, p lsptest.Position) int {
	if p.Line >= len(lines) {
		return p.Character + 1
	}
	units, col := 0, 1
	for _, r := range lines[p.Line] {
		if units >= p.Character {
			break
		}
		units += utf16Len(r)
		col++
	}
	return col
}

func utf16Len(r rune) int {
	if r >= 0x10000 && r <= utf8.MaxRune {
		return 2
	}
	return 1
}
