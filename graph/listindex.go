package graph

// listIndex is the neighbour index: every key a neighbour item resolves
// by, to the entities whose items carry it. It is a multiIndex whose base
// holds 32-bit numbers into a table of entities instead of pointers: at
// 100k entities it has two million entries, half the pointers of the whole
// heap, and every collection had to follow each of them. Lookups (who
// lists an entity, what an edit affects) are rare enough to pay for the
// small slice get returns.
type listIndex struct {
	sortedKeys
	ords []uint32
	tab  []*Entity
	over map[uint64][]*Entity // shadows the base; an empty slice hides a key
}

// newListIndex files the entities of files under their items' keys.
func newListIndex(files []*File) listIndex {
	var tab []*Entity
	n := 0
	for _, f := range files {
		if f.Entity != nil {
			tab = append(tab, f.Entity)
			listsOf(f, func(uint64, *Entity) { n++ })
		}
	}
	keys, ords := make([]uint64, 0, n), make([]uint32, 0, n)
	for i, e := range tab {
		listsOf(e.file, func(k uint64, _ *Entity) { keys, ords = append(keys, k), append(ords, uint32(i)) })
	}
	return newListIndexOf(keys, ords, tab)
}

func newListIndexOf(keys []uint64, ords []uint32, tab []*Entity) listIndex {
	radixSort(keys, ords, 56)
	return listIndex{sortedKeys: newSortedKeys(keys), ords: ords, tab: tab}
}

func (m listIndex) get(k uint64) []*Entity {
	if v, ok := m.over[k]; ok {
		return v
	}
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

// edit is multiIndex.edit for the neighbour index.
func (m listIndex) edit(old, add []kv[*Entity], gone map[*File]bool) listIndex {
	if len(old) == 0 && len(add) == 0 {
		return m
	}
	over := make(map[uint64][]*Entity, len(m.over)+len(old)+len(add))
	for k, v := range m.over {
		over[k] = v
	}
	n := m
	n.over = over
	for _, e := range old {
		cur := n.get(e.k)
		kept := make([]*Entity, 0, len(cur))
		for _, v := range cur {
			if !gone[v.file] {
				kept = append(kept, v)
			}
		}
		over[e.k] = kept
	}
	for _, e := range add {
		cur := n.get(e.k)
		next := make([]*Entity, len(cur), len(cur)+1)
		copy(next, cur)
		over[e.k] = append(next, e.v)
	}
	if len(over) > 1024 && len(over) > len(m.keys)/8 {
		return n.compact()
	}
	return n
}

// compact merges the overlay into a new base with a new table.
func (m listIndex) compact() listIndex {
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
	keys := make([]uint64, 0, len(m.keys)+len(m.over))
	ords := make([]uint32, 0, len(m.keys)+len(m.over))
	for i, k := range m.keys {
		if _, ok := m.over[k]; !ok {
			keys, ords = append(keys, k), append(ords, ord(m.tab[m.ords[i]]))
		}
	}
	for k, vs := range m.over {
		for _, v := range vs {
			keys, ords = append(keys, k), append(ords, ord(v))
		}
	}
	return newListIndexOf(keys, ords, tab)
}
