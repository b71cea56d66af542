package graph_test

import (
	"slices"
	"testing"

	"github.com/seedls/seedls/graph"
)

// resolves is ResolveItem without its answer: they must agree on every
// neighbour of a generated workspace (duplicates, near duplicates and
// restatements included).
func TestResolvesAsResolveItem(t *testing.T) {
	files := graph.GeneratedFiles(t, 3000, 3)
	s := graph.Build(files)
	listed := map[*graph.Entity][]graph.ItemRef{} // by brute force
	yes, no := 0, 0
	for _, f := range files {
		e := f.Entity
		if e == nil {
			continue
		}
		for gi := range e.Groups {
			g := &e.Groups[gi]
			items := e.Items(g)
			for ii := range items {
				targets := s.ResolveItem(f, g, &items[ii])
				for _, x := range targets {
					listed[x] = append(listed[x], graph.ItemRef{File: f, Group: int32(gi), Item: int32(ii)})
				}
				want := len(targets) > 0
				if got := s.Resolves(f, g, &items[ii]); got != want {
					t.Fatalf("%s item %d of group %d: resolves %v, ResolveItem %v", f.Path, ii, gi, got, want)
				}
				for _, x := range append(targets, e) {
					if got, want := s.ResolvesTo(f, g, &items[ii], x), slices.Contains(targets, x); got != want {
						t.Fatalf("%s item %d of group %d: resolvesTo(%s) %v, ResolveItem says %v", f.Path, ii, gi, x.ID, got, want)
					}
				}
				if want {
					yes++
				} else {
					no++
				}
			}
		}
	}
	if yes == 0 || no == 0 {
		t.Fatalf("%d resolved, %d not: the test compares only one side", yes, no)
	}
	for _, f := range files {
		if e := f.Entity; e != nil {
			if got, want := s.ListedBy(e), listed[e]; !slices.Equal(got, want) {
				t.Fatalf("%s: ListedBy %d items, %d by brute force", e.ID, len(got), len(want))
			}
		}
	}
	with, without := 0, 0
	for _, f := range files {
		if e := f.Entity; e != nil {
			got, want := s.HasTypedEdge(e), s.HasTypedEdgeByListedBy(e)
			if got != want {
				t.Fatalf("%s: hasTypedEdge %v, through ListedBy %v", e.ID, got, want)
			}
			if got {
				with++
			} else {
				without++
			}
		}
	}
	if without == 0 {
		t.Fatal("every entity has a typed edge: the test compares only one side")
	}
}
