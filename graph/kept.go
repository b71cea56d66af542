package graph

import (
	"cmp"
	"encoding/binary"
	"slices"
	"unsafe"
)

// Kept indexes: the pack also keeps the snapshot's entity indexes (sorted
// keys and entity numbers), so that a warm start makes its snapshot from
// them instead of building them (a quarter of a second at 100k files, on
// both CPUs), then applies what changed since as an edit would. Entities
// are numbered in the pack's order (by path): the same files, made again
// from the pack, get the same numbers, and each key yields the same
// entities in the same order as in the snapshot written.

// keptIndexCount is the number of entity indexes kept, in the order of
// Snapshot.entIndexes.
const keptIndexCount = 5

func (s *Snapshot) entIndexes() [keptIndexCount]*entIndex {
	return [...]*entIndex{&s.defs, &s.texts, &s.near, &s.fuzzy, &s.lists}
}

// keptIndex is one index as read back: keys sorted, ords into the pack's
// entities.
type keptIndex struct {
	keys []uint64
	ords []uint32
}

// writeKeptIndexes writes snap's entity indexes to the arrays, entities
// numbered by pos, and returns where each lies: (keys offset, count, ords
// offset). ok is false, with nothing usable written, when an entity of an
// index has no number: the pack would not make the same snapshot.
func writeKeptIndexes(w *recordWriter, snap *Snapshot, pos map[*Entity]uint32) (dir [keptIndexCount][3]uint64, ok bool) {
	var buf [8]byte
	for x, m := range snap.entIndexes() {
		posOf := make([]uint32, len(m.tab))
		for i, e := range m.tab {
			p, found := pos[e]
			if !found {
				p = ^uint32(0) // reachable only if shadowed by the overlay
			}
			posOf[i] = p
		}
		pad := func() {
			for w.n%8 != 0 {
				w.arrays.WriteByte(0)
				w.n++
			}
		}
		pad()
		keysOff, n := w.n, 0
		if !keptEntries(m, pos, posOf, func(k uint64, _ uint32) {
			binary.LittleEndian.PutUint64(buf[:], k)
			w.arrays.Write(buf[:8])
			w.n += 8
			n++
		}) {
			return dir, false
		}
		pad()
		ordsOff := w.n
		keptEntries(m, pos, posOf, func(_ uint64, p uint32) {
			binary.LittleEndian.PutUint32(buf[:], p)
			w.arrays.Write(buf[:4])
			w.n += 4
		})
		dir[x] = [3]uint64{uint64(keysOff), uint64(n), uint64(ordsOff)}
	}
	return dir, true
}

// keptEntries yields every (key, entity number) of m, base and overlay
// merged, sorted by key and, under one key, in the order m yields them.
// It returns false when an entity has no number.
func keptEntries(m *entIndex, pos map[*Entity]uint32, posOf []uint32, yield func(uint64, uint32)) bool {
	over := make([]uint64, 0, m.over.size())
	m.over.each(func(k uint64, _ []*Entity) { over = append(over, k) })
	slices.Sort(over)
	var run []uint32
	emit := func(k uint64) {
		for _, p := range run {
			yield(k, p)
		}
		run = run[:0]
	}
	i, j := 0, 0
	for i < len(m.keys) || j < len(over) {
		if j < len(over) && (i == len(m.keys) || over[j] <= m.keys[i]) {
			k := over[j]
			j++
			shadow, _ := m.over.lookup(k)
			for _, e := range shadow {
				p, found := pos[e]
				if !found {
					return false
				}
				run = append(run, p)
			}
			emit(k)
			for i < len(m.keys) && m.keys[i] == k {
				i++ // shadowed
			}
			continue
		}
		k := m.keys[i]
		for ; i < len(m.keys) && m.keys[i] == k; i++ {
			p := posOf[m.ords[i]]
			if p == ^uint32(0) {
				return false
			}
			run = append(run, p)
		}
		emit(k)
	}
	return true
}

// readKeptIndexes finds the kept indexes in arrays, or returns nil when
// they do not fit: out of range, misaligned, unsorted, or numbering more
// entities than entities.
func readKeptIndexes(arrays []byte, dir [keptIndexCount][3]uint64, entities uint64) []keptIndex {
	out := make([]keptIndex, keptIndexCount)
	for x, d := range dir {
		keysOff, n, ordsOff := d[0], d[1], d[2]
		if n > uint64(len(arrays))/8 || keysOff > uint64(len(arrays))-n*8 || ordsOff > uint64(len(arrays))-n*4 {
			return nil
		}
		if n == 0 {
			continue
		}
		kp, op := unsafe.Pointer(&arrays[keysOff]), unsafe.Pointer(&arrays[ordsOff])
		if uintptr(kp)%8 != 0 || uintptr(op)%4 != 0 {
			return nil
		}
		keys, ords := unsafe.Slice((*uint64)(kp), n), unsafe.Slice((*uint32)(op), n)
		for i := range keys {
			if i > 0 && keys[i] < keys[i-1] || uint64(ords[i]) >= entities {
				return nil
			}
		}
		out[x] = keptIndex{keys: keys, ords: ords}
	}
	return out
}

// Base returns the snapshot of the pack's files as they were written,
// made from its kept indexes, or nil when it kept none. Files the scan
// took from the pack are the very files of this snapshot, so that
// Changes tells them apart from the files read again.
func (p *Pack) Base() *Snapshot {
	if p == nil || p.kept == nil {
		return nil
	}
	files := make([]*File, 0, len(p.Entries))
	var tab []*Entity
	for i := range p.Entries {
		if p.Entries[i].Unreadable {
			continue
		}
		f := p.fileAt(i)
		files = append(files, f)
		if f.Entity != nil {
			tab = append(tab, f.Entity)
		}
	}
	if uint64(len(tab)) != p.keptEntities {
		return nil
	}
	s, _ := newSnapshotOf(files, true) // the pack's order
	for x, m := range s.entIndexes() {
		k := p.kept[x]
		*m = entIndex{sortedKeys: newSortedKeys(k.keys), ords: k.ords, tab: tab}
	}
	s.cites = index(files, citesOf)
	return s
}

// Changes returns what differs between s and files, a scan's files: the
// files that are not s's own (read again, or new), and the paths s has
// and the scan has not. Both lists are walked in path order, the files
// compared as pointers first: at 100k files, hashing every path into a
// map took a tenth of a second.
func (s *Snapshot) Changes(files []*File) (changed []*File, removed []string) {
	byPath := func(a, b *File) int { return cmp.Compare(a.Path, b.Path) }
	if !slices.IsSortedFunc(files, byPath) {
		files = slices.SortedFunc(slices.Values(files), byPath)
	}
	have := s.Files()
	i, j := 0, 0
	for i < len(have) || j < len(files) {
		switch {
		case i < len(have) && j < len(files) && have[i] == files[j]:
			i, j = i+1, j+1
		case j == len(files) || i < len(have) && have[i].Path < files[j].Path:
			removed = append(removed, have[i].Path)
			i++
		default:
			if i < len(have) && have[i].Path == files[j].Path {
				i++
			}
			changed = append(changed, files[j])
			j++
		}
	}
	return changed, removed
}

// entityNumbers numbers the entities of entries in the pack's order, as
// Base will: nil when an entry's file is missing or not made from its
// text.
func entityNumbers(entries []PackEntry) map[*Entity]uint32 {
	pos := make(map[*Entity]uint32, len(entries))
	for i := range entries {
		e := &entries[i]
		if e.Unreadable {
			continue
		}
		if e.File == nil || e.File.Text != e.Text {
			return nil
		}
		if ent := e.File.Entity; ent != nil {
			pos[ent] = uint32(len(pos))
		}
	}
	return pos
}
