package graph

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// dumpFile renders everything the parser read, with UTF-16 positions, so a
// golden file shows every field and span of an entity.
func dumpFile(f *File) string {
	var b strings.Builder
	ln := f.Lines()
	pos := func(sp Span) string {
		r := ln.Range(sp, UTF16)
		return fmt.Sprintf("%d:%d-%d:%d", r.Start.Line+1, r.Start.Col+1, r.End.Line+1, r.End.Col+1)
	}
	field := func(indent, name string, sp Span) {
		if sp.Len() == 0 {
			return
		}
		fmt.Fprintf(&b, "%s%-9s %-11s %q\n", indent, name, pos(sp), sp.Of(f.text))
	}
	switch f.Kind {
	case UnreadableFile:
		b.WriteString("unreadable\n")
	case DocumentFile:
		b.WriteString("document\n")
		for _, c := range f.Citations {
			field("", [...]string{"bare", "wiki", "link"}[c.Form], c.Span)
		}
	case EntityFile:
		e := f.Entity
		field("", "kind", e.KindSpan)
		field("", "status", e.StatusSpan)
		field("", "id", e.IDSpan)
		field("", "title", e.TitleSpan)
		field("", "summary", e.SummarySpan)
		if p := e.Provenance; p != nil {
			field("", "source", p.Span)
			field("  ", "relation", p.RelationSpan)
			field("  ", "year", p.YearSpan)
			for _, a := range p.Authors {
				field("  ", "author", a)
			}
			fmt.Fprintf(&b, "  year=%d more=%d\n", p.Year, p.More)
		}
		for _, g := range e.Groups {
			fmt.Fprintf(&b, "group %s count=%d items=%d\n", [...]string{"typed", "similar", "restated"}[g.Section], g.Count, len(e.Items(&g)))
			field("  ", "label", g.LabelSpan)
			field("  ", "kind", g.KindSpan)
			field("  ", "note", g.NoteSpan)
			for _, it := range e.Items(&g) {
				field("  ", "item", it.Span)
				field("    ", "title", it.TitleSpan())
				field("    ", "relations", it.RelSpan())
				if it.RelSpan().Len() > 0 {
					fmt.Fprintf(&b, "      words %q\n", it.Relations(f.text))
				}
				field("    ", "kind", it.KindSpan())
				field("    ", "score", it.ScoreSpan())
				field("    ", "summary", it.SummarySpan())
				// The other readings resolution may choose, longest first.
				for _, r := range e.readings(&it) {
					field("    ", "or title", r.TitleSpan())
					fmt.Fprintf(&b, "      words %q\n", r.Relations(f.text))
				}
			}
		}
	}
	for _, p := range f.Problems {
		fmt.Fprintf(&b, "problem %s %s %s: %s\n", pos(p.Span), p.Severity, p.Code, p.Message)
	}
	return b.String()
}

// TestParseRealSeeds: the two real entity files parse with every field, and
// without a single problem.
func TestParseRealSeeds(t *testing.T) {
	for _, name := range []string{"000_e859c4d48ab37d79.txt", "001_4aa8ef8dd5eaa303.txt"} {
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("..", "seeds", name))
			if err != nil {
				t.Fatal(err)
			}
			f := ParseFile(name, string(data))
			if f.Kind != EntityFile {
				t.Fatalf("not read as an entity file")
			}
			if len(f.Problems) > 0 {
				t.Errorf("problems in a real seed: %+v", f.Problems)
			}
			checkGolden(t, filepath.Join("testdata", "parse", strings.TrimSuffix(name, ".txt")+".golden"), dumpFile(f))
		})
	}
}

// TestParseFixtures: each testdata/parse/*.txtar holds one input file and
// the expected dump.
func TestParseFixtures(t *testing.T) {
	eachFixture(t, "parse", func(t *testing.T, a archive) string {
		if len(a.Files) != 2 || a.Files[1].Name != "want" {
			t.Fatalf("want one input file and a \"want\" section")
		}
		in := a.Files[0].Data
		// A fixture cannot hold a file without a final newline or with
		// CRLF; these markers stand for them.
		in = strings.TrimSuffix(in, "\n")
		in = strings.ReplaceAll(in, "<CR>", "\r")
		in = strings.ReplaceAll(in, "<BOM>", "\uFEFF")
		in = strings.ReplaceAll(in, "<NUL>", "\x00")
		in = strings.ReplaceAll(in, "<FF>", "\xff")
		return dumpFile(ParseFile(a.Files[0].Name, in))
	})
}
