package graph

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/seedls/seedls/graph/gen"
)

// TestNavFixtures: each testdata/nav/*.txtar is a small workspace, a
// "queries" section (one navigation query a line) and what they answer.
// Positions are given by a needle, «text»+N: N bytes into the first
// occurrence of text in the file. Spans print as 1-based line:column
// (UTF-16 columns, as editors count) and the text they cover.
//
//	at FILE «needle»+N        what stands there, as navigation nodes
//	incoming ID | outgoing ID the evidence links of an entity
//	outgoing doc FILE         what a document cites
//	support ID                supporting and contradicting neighbours
//	hints FILE                inlay hints after its citations
//	tokens FILE               semantic tokens
//	folds FILE                folding spans
//	select FILE «needle»+N    growing selection spans
//	highlight FILE «needle»+N spans naming the same thing
//	graph|dot|mermaid DEPTH ID...  the neighbourhood
func TestNavFixtures(t *testing.T) {
	eachFixture(t, "nav", func(t *testing.T, a archive) string {
		var queries string
		ws := archive{}
		for _, f := range a.Files {
			if f.Name == "queries" {
				queries = f.Data
			} else {
				ws.Files = append(ws.Files, f)
			}
		}
		// As a scan leaves them: files without their texts, which the
		// snapshot reads again through its TextSource.
		files := fixtureFiles(ws)
		texts := map[string]string{}
		for _, f := range files {
			texts[f.Path], _ = f.Text()
			f.DropText()
		}
		s := Build(files)
		s.UseTexts(func(f *File) (string, bool) { text, ok := texts[f.Path]; return text, ok })
		if queries == "" {
			t.Fatal("no \"queries\" section")
		}
		var b strings.Builder
		for _, q := range strings.Split(strings.TrimSpace(queries), "\n") {
			fmt.Fprintf(&b, "> %s\n", q)
			b.WriteString(navQuery(t, s, q))
		}
		return b.String()
	})
}

var needleRE = regexp.MustCompile(`«(.*?)»(?:\+(\d+))?`)

func navQuery(t *testing.T, s *Snapshot, q string) string {
	t.Helper()
	f := strings.Fields(q)
	file := func(name string) *File {
		fl := s.File("/ws/" + name)
		if fl == nil {
			t.Fatalf("%s: no file %s", q, name)
		}
		return fl
	}
	offset := func(fl *File) int {
		m := needleRE.FindStringSubmatch(q)
		if m == nil {
			t.Fatalf("%s: no «needle»", q)
		}
		text, _ := s.Text(fl)
		i := strings.Index(text, m[1])
		if i < 0 {
			t.Fatalf("%s: %q not in %s", q, m[1], fl.Path)
		}
		n, _ := strconv.Atoi(m[2])
		return i + n
	}
	entity := func(id string) *Entity {
		e := s.Entity(id)
		if e == nil {
			t.Fatalf("%s: no entity %s", q, id)
		}
		return e
	}
	var b strings.Builder
	switch f[0] {
	case "at":
		fl := file(f[1])
		for _, n := range s.NodesAt(fl, offset(fl)) {
			b.WriteString(fmtNode(s, n) + "\n")
		}
	case "incoming", "outgoing":
		var n Node
		if f[1] == "doc" {
			n = DocumentNodeOf(file(f[2]))
		} else {
			n = EntityNodeOf(entity(f[1]))
		}
		arcs := s.Incoming(n)
		if f[0] == "outgoing" {
			arcs = s.Outgoing(n)
		}
		for _, a := range arcs {
			fmt.Fprintf(&b, "%s rel=%v group=%q\n", fmtNode(s, a.Node), a.Relations, a.Group)
			for _, sp := range a.Spans {
				b.WriteString("    " + fmtSpan(s, a.In, sp) + "\n")
			}
		}
	case "support":
		sup := s.Support(entity(f[1]))
		fmt.Fprintf(&b, "for %d against %d\n", sup.For, sup.Against)
	case "hints":
		fl := file(f[1])
		for _, h := range s.Hints(fl, 0, fl.Len) {
			p := fl.Lines().Pos(h.At, UTF16)
			fmt.Fprintf(&b, "%d:%d %q tooltip=%q\n", p.Line+1, p.Col+1, h.Label, h.Tooltip)
		}
	case "tokens":
		fl := file(f[1])
		names := [...]string{"kind", "status", "id", "header", "relation", "number", "note"}
		for _, tk := range s.Tokens(fl) {
			mods := ""
			if tk.Mods&ModDeclaration != 0 {
				mods += " declaration"
			}
			if tk.Mods&ModDeprecated != 0 {
				mods += " deprecated"
			}
			fmt.Fprintf(&b, "%s %s%s\n", fmtSpan(s, fl, tk.Span), names[tk.Type], mods)
		}
	case "folds":
		fl := file(f[1])
		for _, sp := range s.Folds(fl) {
			r := fl.Lines().Range(sp, UTF16)
			fmt.Fprintf(&b, "lines %d-%d\n", r.Start.Line+1, r.End.Line+1)
		}
	case "select":
		fl := file(f[1])
		for _, sp := range s.Selection(fl, offset(fl)) {
			b.WriteString(fmtSpan(s, fl, sp) + "\n")
		}
	case "highlight":
		fl := file(f[1])
		for _, h := range s.Highlights(fl, offset(fl)) {
			decl := ""
			if h.Declaration {
				decl = " declaration"
			}
			b.WriteString(fmtSpan(s, fl, h.Span) + decl + "\n")
		}
	case "graph", "dot", "mermaid":
		depth, _ := strconv.Atoi(f[1])
		var roots []*Entity
		for _, id := range f[2:] {
			roots = append(roots, entity(id))
		}
		n := s.Neighbourhood(roots, depth)
		switch f[0] {
		case "dot":
			b.WriteString(n.DOT())
		case "mermaid":
			b.WriteString(n.Mermaid())
		default:
			fmt.Fprintf(&b, "roots %v depth %d\n", n.Roots, n.Depth)
			for _, nd := range n.Nodes {
				where := "unresolved"
				if nd.Resolved() {
					where = fmt.Sprintf("%s:%d status=%s", strings.TrimPrefix(nd.Entity.File().Path, "/ws/"),
						nd.Entity.File().Lines().LineOf(int(nd.Entity.IDSpan.Start)), nd.Entity.Status)
				}
				fmt.Fprintf(&b, "node %s kind=%s root=%v depth=%d %s title=%q\n", nd.Key, nd.Kind, nd.Root, nd.Depth, where, nd.Title)
			}
			for _, e := range n.Edges {
				fmt.Fprintf(&b, "edge %s -> %s %v %q\n", e.From, e.To, e.Relations, e.Group)
			}
		}
	default:
		t.Fatalf("unknown query %q", q)
	}
	return b.String()
}

func fmtNode(s *Snapshot, n Node) string {
	kind := [...]string{"entity", "document", "neighbour"}[n.Kind]
	out := fmt.Sprintf("%s %q kind=%s", kind, n.Name, n.ItemKind)
	if n.Kind != DocumentNode {
		out += " at " + fmtSpan(s, n.File, n.Span)
	} else {
		out += " " + strings.TrimPrefix(n.File.Path, "/ws/")
	}
	return out
}

func fmtSpan(s *Snapshot, f *File, sp Span) string {
	text, _ := s.Text(f)
	r := f.Lines().Range(sp, UTF16)
	return fmt.Sprintf("%s:%d:%d-%d:%d %q", strings.TrimPrefix(f.Path, "/ws/"), r.Start.Line+1, r.Start.Col+1, r.End.Line+1, r.End.Col+1, truncate(sp.Of(text), 60))
}

// TestNavInvariants runs every navigation query over a generated
// workspace and the seeds, at offsets all through each file, and checks
// what editors rely on: spans inside their file, tokens in order, apart
// and on one line, selections growing around the offset, edges between
// nodes of the neighbourhood.
func TestNavInvariants(t *testing.T) {
	var files []*File
	if err := gen.Generate(gen.Options{Entities: 300, Seed: 5}, func(f gen.File) error {
		files = append(files, ParseFile("/gen/"+f.Name, string(f.Data)))
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	seeds, _ := filepath.Glob(filepath.Join("..", "seeds", "*"))
	for _, p := range seeds {
		data, _ := os.ReadFile(p)
		files = append(files, ParseFile(p, string(data)))
	}
	texts := map[string]string{}
	for _, f := range files {
		texts[f.Path], _ = f.Text()
		f.DropText()
	}
	s := Build(files)
	s.UseTexts(func(f *File) (string, bool) { text, ok := texts[f.Path]; return text, ok })
	in := func(f *File, sp Span, what string) {
		t.Helper()
		if sp.Start < 0 || sp.Start > sp.End || int(sp.End) > f.Len {
			t.Fatalf("%s: %s span %v outside the file (%d bytes)", f.Path, what, sp, f.Len)
		}
	}
	for i, f := range files {
		lines := f.Lines()
		last := Span{-1, -1}
		for _, tk := range s.Tokens(f) {
			in(f, tk.Span, "token")
			if tk.Span.Start < last.End || tk.Span.Len() == 0 || lines.LineOf(int(tk.Span.Start)) != lines.LineOf(int(tk.Span.End)) {
				t.Fatalf("%s: token %v after %v", f.Path, tk.Span, last)
			}
			last = tk.Span
		}
		for _, sp := range s.Folds(f) {
			in(f, sp, "fold")
		}
		for _, h := range s.Hints(f, 0, f.Len) {
			in(f, Span{int32(h.At), int32(h.At)}, "hint")
		}
		step := 1
		if i%30 != 0 {
			step = 41 // every offset of one file in thirty
		}
		walked := false
		for off := 0; off <= f.Len; off += step {
			sel := s.Selection(f, off)
			for j, sp := range sel {
				in(f, sp, "selection")
				if !sp.Contains(off) || j > 0 && (sp == sel[j-1] || sp.Start > sel[j-1].Start || sp.End < sel[j-1].End) {
					t.Fatalf("%s at %d: selection %v", f.Path, off, sel)
				}
			}
			for _, h := range s.Highlights(f, off) {
				in(f, h.Span, "highlight")
			}
			for _, n := range s.NodesAt(f, off) {
				for _, a := range append(s.Incoming(n), s.Outgoing(n)...) {
					for _, sp := range a.Spans {
						in(a.In, sp, "arc")
					}
				}
				if n.Kind == EntityNode && !walked {
					walked = true
					nb := s.Neighbourhood([]*Entity{n.Entity}, 2)
					keys := map[string]bool{}
					for _, nd := range nb.Nodes {
						keys[nd.Key] = true
					}
					for _, e := range nb.Edges {
						if !keys[e.From] || !keys[e.To] {
							t.Fatalf("%s: edge %v outside the nodes", f.Path, e)
						}
					}
				}
			}
		}
	}
}
