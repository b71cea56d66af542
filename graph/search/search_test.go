package search_test

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/seedls/seedls/graph"
	"github.com/seedls/seedls/graph/gen"
	"github.com/seedls/seedls/graph/search"
)

// Find walks the query's searcher itself; it must find what bleve's Search
// finds, across segments and deletions, for exact words, prefixes and
// one-letter words, and stop at max.
func TestFindAsSearch(t *testing.T) {
	files := generated(t, 1500, 7)
	idx, err := search.New(filepath.Join(t.TempDir(), "index"))
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	for i := 0; i < len(files); i += 400 {
		if err := idx.Update(files[i:min(i+400, len(files))], nil); err != nil {
			t.Fatal(err)
		}
	}
	var removed []string
	for _, f := range files[:400] {
		if f.Entity != nil && len(removed) < 130 {
			removed = append(removed, f.Path)
		}
	}
	if err := idx.Update(nil, removed); err != nil {
		t.Fatal(err)
	}
	queries := [][]string{{"model"}, {"mo"}, {"m"}, {"robust", "mod"}, {"a", "model"}, {"scaling", "pattern", "in"},
		{"negative", "result"}, {"nothing-like-this"}, {"déjà", "vu"}, {"the", "of", "a"}}
	for _, f := range files[:60] {
		if f.Entity != nil {
			w := graph.TitleWords(f.Entity.Title)
			queries = append(queries, w[:min(3, len(w))], []string{w[0][:min(3, len(w[0]))]})
		}
	}
	found := 0
	for _, q := range queries {
		got, err := idx.Find(q, 100000)
		if err != nil {
			t.Fatal(err)
		}
		want, err := idx.FindQuery(q, 100000)
		if err != nil {
			t.Fatal(err)
		}
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Fatalf("Find(%q): %d paths, Search finds %d", strings.Join(q, " "), len(got), len(want))
		}
		for _, p := range got {
			if slices.Contains(removed, p) {
				t.Fatalf("Find(%q) returned removed %s", strings.Join(q, " "), p)
			}
		}
		found += len(got)
		if few, _ := idx.Find(q, 5); len(few) != min(5, len(got)) {
			t.Fatalf("Find(%q, 5): %d paths of %d", strings.Join(q, " "), len(few), len(got))
		}
	}
	if found == 0 {
		t.Fatal("no query found anything: the test compares nothing")
	}
}

// generated parses a generated workspace of n entities under /w.
func generated(t *testing.T, n int, seed uint64) []*graph.File {
	t.Helper()
	var files []*graph.File
	if err := gen.Generate(gen.Options{Entities: n, Seed: seed}, func(f gen.File) error {
		files = append(files, graph.ParseFile("/w/"+f.Name, string(f.Data)))
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return files
}
