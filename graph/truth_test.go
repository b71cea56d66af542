package graph

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/seedls/seedls/graph/gen"
)

// TestGroundTruth: on a generated corpus that knows what each neighbour
// item was written to name (gen.Options.Truth: titles ending in relation
// words, duplicated ids told apart by summaries, lonely twins …), every
// item resolves to what the truth names, with the title it was written
// with, and every file gets exactly the truth's diagnostics. The lsp
// package's TestFidelity* check the same through the binary and the
// server; this is the quick loop.
func TestGroundTruth(t *testing.T) {
	n := 3000
	if testing.Short() {
		n = 800
	}
	var files []*File
	var truth gen.Truth
	err := gen.Generate(gen.Options{Entities: n, Seed: 21, Truth: true}, func(f gen.File) error {
		if f.Name == gen.TruthName {
			return json.Unmarshal(f.Data, &truth)
		}
		files = append(files, ParseFile("/c/"+f.Name, string(f.Data)))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	s := Build(files)
	rel := func(p string) string { return strings.TrimPrefix(p, "/c/") }
	bad := 0
	fail := func(format string, args ...any) {
		if bad++; bad <= 20 {
			t.Errorf(format, args...)
		}
	}
	var several, shorter, twins int // what the corpus exercised
	for _, ft := range truth.Files {
		f := s.File("/c/" + ft.Path)
		if f == nil {
			t.Fatalf("%s: not generated", ft.Path)
		}
		byLine := map[int]gen.ItemTruth{}
		for _, it := range ft.Items {
			byLine[it.Line] = it
		}
		if e := f.Entity; e != nil {
			for gi := range e.Groups {
				g := &e.Groups[gi]
				items := e.Items(g)
				for ii := range items {
					it := &items[ii]
					line := f.Lines().LineOf(int(it.Span.Start)) + 1
					want, ok := byLine[line]
					if !ok {
						fail("%s:%d: an item the truth does not know", ft.Path, line)
						continue
					}
					var got []string
					for _, x := range s.ResolveItem(f, g, it) {
						got = append(got, rel(x.file.Path))
					}
					sort.Strings(got)
					if !slices.Equal(got, want.Names) {
						fail("%s:%d: resolves to %v, want %v", ft.Path, line, got, want.Names)
					}
					r := s.Reading(f, g, it)
					if title := r.TitleSpan().Of(f.text); title != want.Title {
						fail("%s:%d: read with title %q, written with %q", ft.Path, line, title, want.Title)
					}
					if len(e.readings(it)) > 0 {
						several++
					}
					if r != it {
						shorter++
					}
					if want.Title != "" && len(want.Names) == 1 && len(s.Defs(KindName(it.kindKey)+":"+Slug(want.Title))) > 1 {
						twins++
					}
				}
			}
		}
		var wantDiags, gotDiags []string
		for _, d := range ft.Diagnostics {
			wantDiags = append(wantDiags, fmt.Sprintf("%d:%d-%d:%d %s %v", d.Line, d.Column, d.EndLine, d.EndColumn, d.Code, d.Related))
		}
		for _, d := range s.Diagnose(f) {
			r := f.Lines().Range(d.Span, UTF32)
			var related []string
			for _, l := range d.Related {
				related = append(related, rel(l.Path))
			}
			sort.Strings(related)
			gotDiags = append(gotDiags, fmt.Sprintf("%d:%d-%d:%d %s %v", r.Start.Line+1, r.Start.Col+1, r.End.Line+1, r.End.Col+1, d.Code, related))
		}
		sort.Strings(wantDiags)
		sort.Strings(gotDiags)
		if !slices.Equal(gotDiags, wantDiags) {
			fail("%s: diagnostics\n%s\nwant\n%s", ft.Path, strings.Join(gotDiags, "\n"), strings.Join(wantDiags, "\n"))
		}
	}
	if bad > 20 {
		t.Errorf("… %d disagreements in all", bad)
	}
	t.Logf("%d items with several readings, %d read with a shorter title; %d told from a duplicated id by their summary", several, shorter, twins)
	if several == 0 || shorter == 0 || twins == 0 {
		t.Error("the corpus no longer exercises what it was made for")
	}
}
