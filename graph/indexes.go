package graph

import (
	"cmp"
	"encoding/binary"
	"slices"
	"unsafe"
)

// Stored indexes: the pack also keeps the snapshot's entity indexes (sorted
// keys and entity numbers), so that a warm start makes its snapshot from
// them instead of building them, then applies what changed since as an
// edit would. Entities
// are numbered in the pack's order (by path): the same files, made again
// from the pack, get the same numbers, and each key yields the same
// entities in the same order as in the snapshot written.

// IndexCount is the number of entity indexes kept, in the order of
// Snapshot.entIndexes.
const IndexCount = 5

// IndexDir says where each kept index lies in the arrays: the keys'
// offset, their count, the entity numbers' offset.
type IndexDir [IndexCount][3]uint64

// StoredIndexes are the entity indexes read back, over a number of
// entities.
type StoredIndexes struct {
	idx      []keptIndex
	entities uint64
}

// OK reports whether there are indexes to make a snapshot from.
func (k StoredIndexes) OK() bool { return k.idx != nil }

func (s *Snapshot) entIndexes() [IndexCount]*entIndex {
	return [...]*entIndex{&s.defs, &s.texts, &s.near, &s.fuzzy, &s.lists}
}

// keptIndex is one index as read back: keys sorted, ords into the pack's
// entities.
type keptIndex struct {
	keys []uint64
	ords []uint32
}

// WriteIndexes writes s's entity indexes to w's arrays, entities
// numbered by pos (as the files that will make the snapshot again number
// them, in order), and returns where each lies. ok is false, with nothing
// usable written, when an entity of an index has no number: the indexes
// would not make the same snapshot.
func (s *Snapshot) WriteIndexes(w *RecordWriter, pos map[*Entity]uint32) (dir IndexDir, ok bool) {
	if len(pos) != s.entityCount() {
		return dir, false
	}
	var buf [8]byte
	for x, m := range s.entIndexes() {
		posOf := make([]uint32, len(m.tab))
		for i, e := range m.tab {
			p, found := pos[e]
			if !found {
				p = ^uint32(0) // reachable only if shadowed by the overlay
			}
			posOf[i] = p
		}
		w.pad()
		keysOff, n := w.N, 0
		if !keptEntries(m, pos, posOf, func(k uint64, _ uint32) {
			binary.LittleEndian.PutUint64(buf[:], k)
			w.Arrays.Write(buf[:8])
			w.N += 8
			n++
		}) {
			return dir, false
		}
		w.pad()
		ordsOff := w.N
		keptEntries(m, pos, posOf, func(_ uint64, p uint32) {
			binary.LittleEndian.PutUint32(buf[:], p)
			w.Arrays.Write(buf[:4])
			w.N += 4
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

// ReadIndexes finds the kept indexes in arrays, used in place, or returns
// none when they do not fit: out of range, misaligned, unsorted, or
// numbering more entities than entities.
func ReadIndexes(arrays []byte, dir IndexDir, entities uint64) StoredIndexes {
	out := make([]keptIndex, IndexCount)
	for x, d := range dir {
		keysOff, n, ordsOff := d[0], d[1], d[2]
		if n > uint64(len(arrays))/8 || keysOff > uint64(len(arrays))-n*8 || ordsOff > uint64(len(arrays))-n*4 {
			return StoredIndexes{}
		}
		if n == 0 {
			continue
		}
		kp, op := unsafe.Pointer(&arrays[keysOff]), unsafe.Pointer(&arrays[ordsOff])
		if uintptr(kp)%8 != 0 || uintptr(op)%4 != 0 {
			return StoredIndexes{}
		}
		keys, ords := unsafe.Slice((*uint64)(kp), n), unsafe.Slice((*uint32)(op), n)
		for i := range keys {
			if i > 0 && keys[i] < keys[i-1] || uint64(ords[i]) >= entities {
				return StoredIndexes{}
			}
		}
		out[x] = keptIndex{keys: keys, ords: ords}
	}
	return StoredIndexes{out, entities}
}

// SnapshotOf makes the snapshot of files whose entity indexes were
// written with WriteIndexes, in files' order, or returns nil when they do
// not number the same entities. Files made again from the same records
// are the very files of this snapshot, so that Changes tells them apart
// from the files read again.
func SnapshotOf(files []*File, kept StoredIndexes) *Snapshot {
	if !kept.OK() {
		return nil
	}
	var tab []*Entity
	for _, f := range files {
		if f.Entity != nil {
			tab = append(tab, f.Entity)
		}
	}
	if uint64(len(tab)) != kept.entities {
		return nil
	}
	s, _ := newSnapshotOf(files, true)
	for x, m := range s.entIndexes() {
		k := kept.idx[x]
		*m = entIndex{sortedKeys: newSortedKeys(k.keys), ords: k.ords, tab: tab}
	}
	s.cites = index(files, citesOf)
	return s
}

// Changes returns what differs between s and files, a scan's files: the
// files that are not s's own (read again, or new), and the paths s has
// and the scan has not. Both lists are walked in path order, the files
// compared as pointers first, rather than every path hashed into a map.
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
