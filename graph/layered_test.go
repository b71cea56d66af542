package graph

import (
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
