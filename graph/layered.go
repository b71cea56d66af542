package graph

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
