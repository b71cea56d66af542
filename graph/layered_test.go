package graph

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// The index must find exactly what was filed, whatever the spread of the
// keys: hashes (even), clustered (all in one directory slot), with many
// values under one key, and at sizes around the directory's steps.
func TestMultiIndex(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	gens := map[string]func() uint64{
		"even":      r.Uint64,
		"clustered": func() uint64 { return 0xabcd<<48 | r.Uint64N(50) },
		"small":     func() uint64 { return r.Uint64N(1000) },
		"repeated":  func() uint64 { return []uint64{0, 1, 1 << 63, ^uint64(0)}[r.IntN(4)] },
	}
	for name, gen := range gens {
		for _, n := range []int{0, 1, 2, 3, 31, 33, 255, 257, 1000, 4100, 70000} {
			f := &File{}
			want := map[uint64][]int32{}
			keys := make([]uint64, n)
			vals := make([]CiteRef, n)
			for i := range keys {
				keys[i] = gen()
				vals[i] = CiteRef{f, int32(i)}
				want[keys[i]] = append(want[keys[i]], int32(i))
			}
			m := newMultiIndex(keys, vals)
			if !slices.IsSorted(m.keys) {
				t.Fatalf("%s/%d: keys not sorted", name, n)
			}
			for k, w := range want {
				var got []int32
				for _, v := range m.get(k) {
					got = append(got, v.Index)
				}
				slices.Sort(got)
				if !slices.Equal(got, w) {
					t.Fatalf("%s/%d: get(%#x) = %v, want %v", name, n, k, got, w)
				}
			}
			for range 100 {
				k := gen() ^ r.Uint64()
				if _, ok := want[k]; !ok && len(m.get(k)) > 0 {
					t.Fatalf("%s/%d: get(%#x) found values never filed", name, n, k)
				}
			}
		}
	}
}

// The neighbour index answers as a plain map would, through edits that
// replace and remove files and the compactions they bring.
func TestListIndexEdits(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	keyPool := make([]uint64, 6000)
	for i := range keyPool {
		keyPool[i] = r.Uint64()
	}
	mk := func(path string) *File {
		f := &File{Path: path}
		e := &Entity{file: f, ID: "claim:" + path}
		items := make([]Item, 1+r.IntN(4))
		for i := range items {
			items[i].idKey = keyPool[r.IntN(len(keyPool))]
			items[i].nameKey = keyPool[r.IntN(len(keyPool))]
		}
		e.Groups, e.items = []Group{{n: int32(len(items))}}, items
		f.Entity = e
		return f
	}
	files := map[string]*File{}
	var list []*File
	for i := range 2000 {
		f := mk(fmt.Sprint("f", i))
		files[f.Path] = f
		list = append(list, f)
	}
	idx := newEntIndex(entitiesOf(list), listsOf, 0)
	check := func(round int) {
		want := map[uint64]map[*Entity]int{}
		for _, f := range files {
			listsOf(f, func(k uint64, e *Entity) {
				if want[k] == nil {
					want[k] = map[*Entity]int{}
				}
				want[k][e]++
			})
		}
		for _, k := range keyPool {
			got := map[*Entity]int{}
			for e := range idx.each(k) {
				got[e]++
			}
			if len(got) != len(want[k]) {
				t.Fatalf("round %d: key %#x: %d entities, want %d", round, k, len(got), len(want[k]))
			}
			for e, n := range want[k] {
				if got[e] != n {
					t.Fatalf("round %d: key %#x: %s %d times, want %d", round, k, e.ID, got[e], n)
				}
			}
		}
	}
	check(0)
	compactions, freezes := 0, 0
	for round := 1; round <= 40; round++ {
		var olds, changed []*File
		gone := map[*File]bool{}
		picked := map[string]bool{}
		for range 100 {
			p := fmt.Sprint("f", r.IntN(2500))
			if picked[p] {
				continue // a path once a round, as Snapshot.With is given
			}
			picked[p] = true
			if old := files[p]; old != nil && !gone[old] {
				gone[old] = true
				olds = append(olds, old)
				delete(files, p)
			}
			if r.IntN(3) > 0 {
				f := mk(p)
				files[p] = f
				changed = append(changed, f)
			}
		}
		var oldKV, addKV []kv[*Entity]
		for _, f := range olds {
			listsOf(f, func(k uint64, e *Entity) { oldKV = append(oldKV, kv[*Entity]{k, e}) })
		}
		for _, f := range changed {
			listsOf(f, func(k uint64, e *Entity) { addKV = append(addKV, kv[*Entity]{k, e}) })
		}
		idx = idx.edit(oldKV, addKV, gone)
		if idx.over.size() == 0 {
			compactions++
		}
		if len(idx.over.frozen) > 0 && len(idx.over.top) == 0 {
			freezes++
		}
		check(round)
	}
	if compactions == 0 || freezes == 0 {
		t.Errorf("%d edits compacted the index and %d froze its overlay: the test misses part of it", compactions, freezes)
	}
}

func entitiesOf(files []*File) []*Entity {
	var out []*Entity
	for _, f := range files {
		if f.Entity != nil {
			out = append(out, f.Entity)
		}
	}
	return out
}
