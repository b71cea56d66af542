package graph

import "slices"

// layered is an immutable map made of a large base, built once, and a small
// overlay that shadows it. A new snapshot after an edit copies only the
// overlay, so an edit costs what it touches, not the size of the workspace;
// when the overlay grows past a fraction of the base, the two are merged
// into a new base. A zero value in the overlay hides the base's entry, which
// is how keys are deleted.
type layered[K comparable, V any] struct {
	base map[K]V
	over map[K]V
	// isZero tells an empty value (deleted) from a present one.
	isZero func(V) bool
}

func newLayered[K comparable, V any](base map[K]V, isZero func(V) bool) layered[K, V] {
	return layered[K, V]{base: base, isZero: isZero}
}

func (m layered[K, V]) get(k K) V {
	if v, ok := m.over[k]; ok {
		return v
	}
	return m.base[k]
}

// edit returns a copy of m with the overlay changed by f; m is unchanged.
func (m layered[K, V]) edit(f func(set func(K, V), get func(K) V)) layered[K, V] {
	over := make(map[K]V, len(m.over)+8)
	for k, v := range m.over {
		over[k] = v
	}
	n := layered[K, V]{base: m.base, over: over, isZero: m.isZero}
	f(func(k K, v V) { over[k] = v }, n.get)
	if len(over) > 1024 && len(over) > len(m.base)/8 {
		n = n.compact()
	}
	return n
}

// compact merges the overlay into a new base.
func (m layered[K, V]) compact() layered[K, V] {
	base := make(map[K]V, len(m.base)+len(m.over))
	for k, v := range m.base {
		base[k] = v
	}
	for k, v := range m.over {
		if m.isZero(v) {
			delete(base, k)
		} else {
			base[k] = v
		}
	}
	return layered[K, V]{base: base, isZero: m.isZero}
}

// each calls f for every present entry, in no particular order.
func (m layered[K, V]) each(f func(K, V)) {
	for k, v := range m.base {
		if _, ok := m.over[k]; !ok {
			f(k, v)
		}
	}
	for k, v := range m.over {
		if !m.isZero(v) {
			f(k, v)
		}
	}
}

// size counts the present entries.
func (m layered[K, V]) size() int {
	n := len(m.base)
	for k, v := range m.over {
		_, inBase := m.base[k]
		switch {
		case inBase && m.isZero(v):
			n--
		case !inBase && !m.isZero(v):
			n++
		}
	}
	return n
}

// multiIndex maps a 64-bit key to the values filed under it, with the same
// base-plus-overlay scheme as layered. Its base is two parallel slices
// sorted by key rather than a map: at 100k entities the neighbour index
// holds two million entries, mostly one value per key, and a map of slices
// would cost three times the memory. A lookup returns a sub-slice, with no
// allocation.
//
// The keys are hashes, spread evenly over 64 bits, so their top bits say
// almost where a key sits: dir[t] is the first position whose key's top
// bits are at least t, and a lookup searches only dir[t]..dir[t+1], a few
// entries, instead of binary-searching two million (21 cache misses a
// lookup, and a diagnosis makes millions).
type multiIndex[V owned] struct {
	sortedKeys
	vals []V
	over overlay[V] // shadows the base
}

// sortedKeys is an index's sorted keys and their directory.
type sortedKeys struct {
	keys []uint64
	dir  []uint32 // len 1<<bits + 1
	bits uint8
}

// newSortedKeys makes the directory of sorted keys.
func newSortedKeys(keys []uint64) sortedKeys {
	s := sortedKeys{keys: keys}
	// About four keys per slot: 2 MB of directory for two million keys.
	for len(keys)>>(s.bits+2) > 0 && s.bits < 24 {
		s.bits++
	}
	s.dir = make([]uint32, 1<<s.bits+1)
	i := 0
	for t := range s.dir {
		for i < len(keys) && keys[i]>>(64-s.bits) < uint64(t) {
			i++
		}
		s.dir[t] = uint32(i)
	}
	return s
}

// find returns the positions [lo, end) of k; empty when k is absent.
func (s sortedKeys) find(k uint64) (lo, end int) {
	if len(s.keys) == 0 {
		return 0, 0
	}
	// (A shift by 64 is 0 in Go: with no bits, one slot holds every key.)
	t := k >> (64 - s.bits)
	lo, hi := int(s.dir[t]), int(s.dir[t+1])
	i, found := slices.BinarySearch(s.keys[lo:hi], k)
	if !found {
		return 0, 0
	}
	lo += i
	end = lo + 1
	for end < len(s.keys) && s.keys[end] == k {
		end++
	}
	return lo, end
}

type kv[V any] struct {
	k uint64
	v V
}

// newMultiIndex sorts keys and values together by key. The order of
// values under one key is unspecified: every query sorts what it returns.
// The slices are sorted in place and kept: building the neighbour index of
// 100k entities must not hold a second copy of its two million entries.
func newMultiIndex[V owned](keys []uint64, vals []V) multiIndex[V] {
	radixSort(keys, vals, 56)
	return multiIndex[V]{sortedKeys: newSortedKeys(keys), vals: vals}
}

// radixSort sorts keys, and vals alongside, in place by the byte of the
// keys at shift and then, within each bucket, by the bytes below it (an
// American flag sort). Hash keys split evenly, so two or three passes
// leave buckets small enough for insertion sort: several times faster than
// a comparison sort through an interface.
func radixSort[V any](k []uint64, v []V, shift uint) {
	if len(k) <= 32 {
		for i := 1; i < len(k); i++ {
			for j := i; j > 0 && k[j] < k[j-1]; j-- {
				k[j], k[j-1] = k[j-1], k[j]
				v[j], v[j-1] = v[j-1], v[j]
			}
		}
		return
	}
	var count [256]int
	for _, x := range k {
		count[byte(x>>shift)]++
	}
	var next, end [256]int
	sum := 0
	for b := range count {
		next[b] = sum
		sum += count[b]
		end[b] = sum
	}
	for b := range next {
		for i := next[b]; i < end[b]; i = next[b] {
			d := byte(k[i] >> shift)
			if int(d) == b {
				next[b]++
				continue
			}
			j := next[d]
			next[d]++
			k[i], k[j] = k[j], k[i]
			v[i], v[j] = v[j], v[i]
		}
	}
	if shift == 0 {
		return
	}
	lo := 0
	for b := range end {
		if end[b]-lo > 1 {
			radixSort(k[lo:end[b]], v[lo:end[b]], shift-8)
		}
		lo = end[b]
	}
}

func (m multiIndex[V]) get(k uint64) []V {
	if v, ok := m.over.lookup(k); ok {
		return v
	}
	return m.base(k)
}

// base is get without the overlay.
func (m multiIndex[V]) base(k uint64) []V {
	lo, end := m.find(k)
	if lo == end {
		return nil
	}
	return m.vals[lo:end:end]
}

// edit returns a copy of m without the values of gone files under old keys
// and with the added values; m is unchanged.
func (m multiIndex[V]) edit(old, add []kv[V], gone map[*File]bool) multiIndex[V] {
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

// overlay is what edits put over an index's base: a frozen layer, shared
// by every snapshot since it was frozen, under a small top layer that
// each edit copies. When the top outgrows freezeAt keys it is merged into
// a new frozen layer, so that an edit costs what its own keys cost, not
// what a large overlay (a warm start's thousand changed files) would if
// it were copied at every keystroke.
type overlay[V any] struct {
	top, frozen map[uint64][]V // an empty slice hides a key of the base
}

const freezeAt = 1024

func (o overlay[V]) lookup(k uint64) ([]V, bool) {
	if v, ok := o.top[k]; ok {
		return v, true
	}
	v, ok := o.frozen[k]
	return v, ok
}

// size is about the number of keys the overlay shadows (keys in both
// layers count twice).
func (o overlay[V]) size() int { return len(o.top) + len(o.frozen) }

// outgrows reports whether the overlay is to be merged into a new base of
// an index with this many keys: past a thousand keys and an eighth of
// the base.
func (o overlay[V]) outgrows(keys int) bool { return o.size() > 1024 && o.size() > keys/8 }

// each calls f for every key the overlay shadows, with its values.
func (o overlay[V]) each(f func(uint64, []V)) {
	for k, v := range o.top {
		f(k, v)
	}
	for k, v := range o.frozen {
		if _, ok := o.top[k]; !ok {
			f(k, v)
		}
	}
}

// editOverlay returns a copy of an index's overlay in which old keys lose
// the values of gone files and add's values are appended; base reads the
// index's base, which the overlay shadows.
func editOverlay[V owned](prev overlay[V], base func(uint64) []V, old, add []kv[V], gone map[*File]bool) overlay[V] {
	top := make(map[uint64][]V, len(prev.top)+len(old)+len(add))
	for k, v := range prev.top {
		top[k] = v
	}
	get := func(k uint64) []V {
		if v, ok := top[k]; ok {
			return v
		}
		if v, ok := prev.frozen[k]; ok {
			return v
		}
		return base(k)
	}
	for _, e := range old {
		cur := get(e.k)
		kept := make([]V, 0, len(cur))
		for _, v := range cur {
			if !gone[v.owner()] {
				kept = append(kept, v)
			}
		}
		top[e.k] = kept
	}
	for _, e := range add {
		cur := get(e.k)
		next := make([]V, len(cur), len(cur)+1)
		copy(next, cur)
		top[e.k] = append(next, e.v)
	}
	if len(top) <= freezeAt {
		return overlay[V]{top: top, frozen: prev.frozen}
	}
	frozen := make(map[uint64][]V, len(prev.frozen)+len(top))
	for k, v := range prev.frozen {
		frozen[k] = v
	}
	for k, v := range top {
		frozen[k] = v
	}
	return overlay[V]{frozen: frozen}
}

// compact merges the overlay into a new sorted base.
func (m multiIndex[V]) compact() multiIndex[V] {
	keys := make([]uint64, 0, len(m.keys)+m.over.size())
	vals := make([]V, 0, len(m.keys)+m.over.size())
	for i, k := range m.keys {
		if _, ok := m.over.lookup(k); !ok {
			keys, vals = append(keys, k), append(vals, m.vals[i])
		}
	}
	m.over.each(func(k uint64, vs []V) {
		for _, v := range vs {
			keys, vals = append(keys, k), append(vals, v)
		}
	})
	return newMultiIndex(keys, vals)
}
