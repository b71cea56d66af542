package graph

import "iter"

// entIndex is a multiIndex of entities whose base holds 32-bit numbers
// into a table of entities instead of pointers. At 100k entities the
// indexes have three million entries, more than half the pointers of the
// whole heap, and every collection had to follow each of them. each walks
// a key's entities without allocating.
type entIndex struct {
	sortedKeys
	ords []uint32
	tab  []*Entity
	over overlay[*Entity] // shadows the base
}

// newEntIndex files each entity of tab under the keys of gives it. With
// perEntity > 0, of is called once per entity into slices of that many
// keys an entity (near-duplicate and did-you-mean keys are computed, not
// read, and computing them twice was a sixth of a build); otherwise keys
// are counted first, so that the large neighbour index is allocated once
// at its final size.
func newEntIndex(tab []*Entity, of func(*File, func(uint64, *Entity)), perEntity int) entIndex {
	n := len(tab) * perEntity
	if perEntity <= 0 {
		for _, e := range tab {
			of(e.file, func(uint64, *Entity) { n++ })
		}
	}
	keys, ords := make([]uint64, 0, n), make([]uint32, 0, n)
	for i, e := range tab {
		of(e.file, func(k uint64, _ *Entity) { keys, ords = append(keys, k), append(ords, uint32(i)) })
	}
	return newEntIndexOf(keys, ords, tab)
}

func newEntIndexOf(keys []uint64, ords []uint32, tab []*Entity) entIndex {
	radixSort(keys, ords, 56)
	return entIndex{sortedKeys: newSortedKeys(keys), ords: ords, tab: tab}
}

// each yields the entities filed under k.
func (m entIndex) each(k uint64) iter.Seq[*Entity] {
	return func(yield func(*Entity) bool) {
		if v, ok := m.over.lookup(k); ok {
			for _, e := range v {
				if !yield(e) {
					return
				}
			}
			return
		}
		lo, end := m.find(k)
		for _, o := range m.ords[lo:end] {
			if !yield(m.tab[o]) {
				return
			}
		}
	}
}

// base reads a key in the base alone, as the overlay's edits need.
func (m entIndex) base(k uint64) []*Entity {
	lo, end := m.find(k)
	if lo == end {
		return nil
	}
	out := make([]*Entity, end-lo)
	for i, o := range m.ords[lo:end] {
		out[i] = m.tab[o]
	}
	return out
}

// edit is multiIndex.edit for entities.
func (m entIndex) edit(old, add []kv[*Entity], gone map[*File]bool) entIndex {
	if len(old) == 0 && len(add) == 0 {
		return m
	}
	n := m
	n.over = editOverlay(m.over, m.base, old, add, gone)
	if n.over.outgrows(len(m.keys)) {
		return n.compact()
	}
	return n
}

// compact merges the overlay into a new base with a new table.
func (m entIndex) compact() entIndex {
	num := map[*Entity]uint32{}
	var tab []*Entity
	ord := func(e *Entity) uint32 {
		o, ok := num[e]
		if !ok {
			o = uint32(len(tab))
			num[e] = o
			tab = append(tab, e)
		}
		return o
	}
	keys := make([]uint64, 0, len(m.keys)+m.over.size())
	ords := make([]uint32, 0, len(m.keys)+m.over.size())
	for i, k := range m.keys {
		if _, ok := m.over.lookup(k); !ok {
			keys, ords = append(keys, k), append(ords, ord(m.tab[m.ords[i]]))
		}
	}
	m.over.each(func(k uint64, vs []*Entity) {
		for _, v := range vs {
			keys, ords = append(keys, k), append(ords, ord(v))
		}
	})
	return newEntIndexOf(keys, ords, tab)
}
