package graph

import (
	"cmp"
	"iter"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
)

// CiteRef names one citation: File.Citations[Index].
type CiteRef struct {
	File  *File
	Index int32
}

// Citation returns the citation referred to.
func (r CiteRef) Citation() Citation { return r.File.Citations[r.Index] }

// ItemRef names one neighbour item: File.Entity.Groups[Group].Items[Item].
type ItemRef struct {
	File        *File
	Group, Item int32
}

// GroupOf returns the item's group.
func (r ItemRef) GroupOf() *Group { return &r.File.Entity.Groups[r.Group] }

// ItemOf returns the item referred to.
func (r ItemRef) ItemOf() *Item {
	e := r.File.Entity
	return &e.Items(&e.Groups[r.Group])[r.Item]
}

type owned interface{ owner() *File }

func (e *Entity) owner() *File { return e.file }
func (r CiteRef) owner() *File { return r.File }
func (r ItemRef) owner() *File { return r.File }

// Snapshot is the whole workspace at one moment: immutable, so any number
// of requests can read it while the next one is being made. Every index is
// keyed by what a file says about itself (its ids, its texts, the ids it
// cites, the keys its neighbours would resolve by), never by what another
// file says, so that replacing one file touches only that file's keys.
type Snapshot struct {
	Rev   uint64
	files layered[string, *File]
	defs  entIndex            // idKey(id) -> entities defining it
	texts entIndex            // textKey(title), textKey(summary) -> entities
	near  entIndex            // near-duplicate candidate keys -> entities
	fuzzy entIndex            // did-you-mean partition keys -> entities
	cites multiIndex[CiteRef] // idKey(cited id) -> citations
	lists entIndex            // every key a neighbour item resolves by -> entities listing it
	kinds map[string]int      // kind -> number of entities of that kind
	// ids is the sorted list of ids behind completion by prefix, made on
	// first use and shared by later snapshots until an entity file changes.
	ids *sortedIDs
	// sorted is Files' list, made on first use; from the parent's list
	// when the snapshot came from one that had made it.
	sorted *sortedFiles
	// source gives the texts files do not hold (see File.DropText).
	source TextSource
	// counts caches Counts.
	counts struct {
		once sync.Once
		sum  Summary
	}
}

type sortedFiles struct {
	once sync.Once
	done atomic.Pointer[[]*File]
	// What the list derives from: the parent's list, and what replaced
	// or removed files in it.
	parent           []*File
	changed, removed []string
}

type sortedIDs struct {
	once sync.Once
	done atomic.Bool
	ids  []*Entity // sorted by id, then path
	// masks holds each entity's title and summary word masks, in the
	// order of ids: completion by words scans them all, and one array is
	// read in order where entity pointers would be a cache miss each.
	masks [][2]wordMask
	// What the list derives from, when made from an earlier snapshot's:
	// that list, without the entities gone, with those added: merged, not
	// sorted again, so that an edit costs a pass over the list.
	parent *sortedIDs
	gone   map[*Entity]bool
	add    []*Entity
}

// idsAfter is the id list of a snapshot made from one with list p, the
// entities of gone gone and those of add added.
func idsAfter(p *sortedIDs, gone map[*Entity]bool, add []*Entity) *sortedIDs {
	switch {
	case p.done.Load():
		return &sortedIDs{parent: p, gone: gone, add: add}
	case p.parent != nil:
		// The parent's list was never made: derive from its own parent,
		// with both changes.
		all := make(map[*Entity]bool, len(p.gone)+len(gone))
		for e := range p.gone {
			all[e] = true
		}
		var both []*Entity
		for _, e := range p.add {
			if gone[e] {
				delete(gone, e)
			} else {
				both = append(both, e)
			}
		}
		for e := range gone {
			all[e] = true
		}
		return &sortedIDs{parent: p.parent, gone: all, add: append(both, add...)}
	}
	return &sortedIDs{}
}

// What each file files under each index's keys.

func defsOf(f *File, add func(uint64, *Entity)) {
	if e := f.Entity; e != nil && e.ID != "" {
		add(e.idKey, e)
	}
}

func fuzzyOf(f *File, add func(uint64, *Entity)) {
	if e := f.Entity; e != nil && e.ID != "" {
		for _, k := range fuzzyKeys(e.ID) {
			add(k, e)
		}
	}
}

func textsOf(f *File, add func(uint64, *Entity)) {
	if e := f.Entity; e != nil {
		if e.titleKey != 0 {
			add(e.titleKey, e)
		}
		if e.summaryKey != 0 && e.summaryKey != e.titleKey {
			add(e.summaryKey, e)
		}
	}
}

func nearOf(f *File, add func(uint64, *Entity)) {
	if e := f.Entity; e != nil {
		var buf [8]uint64
		for _, k := range nearKeys(e, buf[:0]) {
			add(k, e)
		}
	}
}

func citesOf(f *File, add func(uint64, CiteRef)) {
	for i, c := range f.Citations {
		add(idKey(c.ID), CiteRef{f, int32(i)})
	}
}

// listsOf files the entity under every key its neighbour items resolve by.
// The index holds the listing entity (as a number, see entIndex), not the
// item, and ListedBy finds the items again among its few.
func listsOf(f *File, add func(uint64, *Entity)) {
	e := f.Entity
	if e == nil {
		return
	}
	for gi := range e.Groups {
		g := &e.Groups[gi]
		items := e.Items(g)
		for ii := range items {
			it := &items[ii]
			for i, k := range [...]uint64{it.idKey, it.nameKey, it.summaryKey} {
				if k != 0 && (i == 0 || k != it.idKey) && (i < 2 || k != it.nameKey) {
					add(k, e)
				}
			}
		}
	}
	// The other readings' titles: an entity with one of them changes
	// which reading is chosen. (Their summary is their item's.)
	alts := e.items[e.listed():]
	for i := range alts {
		for _, k := range [...]uint64{alts[i].idKey, alts[i].nameKey} {
			if k != 0 {
				add(k, e)
			}
		}
	}
}

// collect gathers what files file under one index.
func collect[V any](files []*File, of func(*File, func(uint64, V))) []kv[V] {
	var out []kv[V]
	for _, f := range files {
		of(f, func(k uint64, v V) { out = append(out, kv[V]{k, v}) })
	}
	return out
}

// index builds one index of files (the citations'; entities have
// entIndex), counted first so that its slices are allocated once.
func index[V owned](files []*File, of func(*File, func(uint64, V))) multiIndex[V] {
	n := 0
	for _, f := range files {
		of(f, func(uint64, V) { n++ })
	}
	keys, vals := make([]uint64, 0, n), make([]V, 0, n)
	for _, f := range files {
		of(f, func(k uint64, v V) { keys, vals = append(keys, k), append(vals, v) })
	}
	return newMultiIndex(keys, vals)
}

// Build makes a snapshot of files from scratch. The indexes are independent,
// so they are built at once, the large neighbour index beside the rest.
func Build(files []*File) *Snapshot {
	s, tab := newSnapshotOf(files, false)
	var wg sync.WaitGroup
	run := func(f func()) { wg.Add(1); go func() { defer wg.Done(); f() }() }
	run(func() { s.lists = newEntIndex(tab, listsOf, 0) })
	run(func() {
		s.defs = newEntIndex(tab, defsOf, 0)
		s.texts = newEntIndex(tab, textsOf, 0)
		s.near = newEntIndex(tab, nearOf, 5)
		s.fuzzy = newEntIndex(tab, fuzzyOf, 3)
		s.cites = index(files, citesOf)
	})
	wg.Wait()
	return s
}

// newSnapshotOf makes a snapshot of files without its indexes, and the
// table of their entities, in the files' order; sorted says the files
// are known to be in path order, each path once.
func newSnapshotOf(files []*File, sorted bool) (*Snapshot, []*Entity) {
	s := &Snapshot{kinds: map[string]int{}}
	fm := make(map[string]*File, len(files))
	for _, f := range files {
		fm[f.Path] = f
		if f.Entity != nil {
			s.kinds[f.Entity.Kind]++
		}
	}
	s.files = newLayered(fm, func(f *File) bool { return f == nil })
	s.ids = &sortedIDs{}
	s.sorted = &sortedFiles{}
	// A scan reads files in path order, mostly: then the order is used
	// as it is rather than sorted again (long shared prefixes make string
	// comparisons costly).
	if sorted || slices.IsSortedFunc(files, func(a, b *File) int { return cmp.Compare(a.Path, b.Path) }) && len(fm) == len(files) {
		sorted := slices.Clip(files)
		s.sorted.done.Store(&sorted)
	}
	var tab []*Entity
	for _, f := range files {
		if f.Entity != nil {
			tab = append(tab, f.Entity)
		}
	}
	return s, tab
}

// entityCount is the number of entities.
func (s *Snapshot) entityCount() int {
	n := 0
	for _, c := range s.kinds {
		n += c
	}
	return n
}

// With returns a new snapshot where each file in changed replaces the file
// of the same path (or is added), and each path in removed is gone. The
// receiver is unchanged.
func (s *Snapshot) With(changed []*File, removed []string) *Snapshot {
	n := &Snapshot{Rev: s.Rev + 1, kinds: make(map[string]int, len(s.kinds)), ids: s.ids, source: s.source}
	for k, v := range s.kinds {
		n.kinds[k] = v
	}
	var olds []*File
	gone := map[*File]bool{}
	drop := func(path string) {
		if f := s.files.get(path); f != nil && !gone[f] {
			gone[f] = true
			olds = append(olds, f)
			if f.Entity != nil {
				if n.kinds[f.Entity.Kind]--; n.kinds[f.Entity.Kind] <= 0 {
					delete(n.kinds, f.Entity.Kind)
				}
			}
		}
	}
	for _, p := range removed {
		drop(p)
	}
	for _, f := range changed {
		drop(f.Path)
		if f.Entity != nil {
			n.kinds[f.Entity.Kind]++
		}
	}
	var goneIDs map[*Entity]bool
	var addIDs []*Entity
	for _, f := range olds {
		if f.Entity != nil && f.Entity.ID != "" {
			if goneIDs == nil {
				goneIDs = map[*Entity]bool{}
			}
			goneIDs[f.Entity] = true
		}
	}
	for _, f := range changed {
		if f.Entity != nil && f.Entity.ID != "" {
			addIDs = append(addIDs, f.Entity)
		}
	}
	if goneIDs != nil || addIDs != nil {
		n.ids = idsAfter(s.ids, goneIDs, addIDs)
	}
	n.files = s.files.edit(func(set func(string, *File), _ func(string) *File) {
		for _, p := range removed {
			set(p, nil)
		}
		for _, f := range changed {
			set(f.Path, f)
		}
	})
	n.sorted = &sortedFiles{}
	if made := s.sorted.done.Load(); made != nil {
		n.sorted.parent = *made
		for _, f := range changed {
			n.sorted.changed = append(n.sorted.changed, f.Path)
		}
		n.sorted.removed = removed
	}
	n.defs = s.defs.edit(collect(olds, defsOf), collect(changed, defsOf), gone)
	n.texts = s.texts.edit(collect(olds, textsOf), collect(changed, textsOf), gone)
	n.near = s.near.edit(collect(olds, nearOf), collect(changed, nearOf), gone)
	n.fuzzy = s.fuzzy.edit(collect(olds, fuzzyOf), collect(changed, fuzzyOf), gone)
	n.cites = s.cites.edit(collect(olds, citesOf), collect(changed, citesOf), gone)
	n.lists = s.lists.edit(collect(olds, listsOf), collect(changed, listsOf), gone)
	return n
}

// TextSource gives the text of a file that does not hold it, if the file
// still has the text it was parsed from (its Hash and Len): whoever reads
// files (the server, through graph/scan) reads it again.
type TextSource func(f *File) (string, bool)

// UseTexts sets where s and the snapshots made from it with With find
// the texts files do not hold; s must not be shared yet.
func (s *Snapshot) UseTexts(src TextSource) { s.source = src }

// Text returns f's text: the one it holds, else its text from the
// snapshot's TextSource; false when neither has it.
func (s *Snapshot) Text(f *File) (string, bool) {
	if text, ok := f.Text(); ok {
		return text, true
	}
	if s.source == nil {
		return "", false
	}
	return s.source(f)
}

// File returns the file at path, or nil.
func (s *Snapshot) File(path string) *File { return s.files.get(path) }

// Files returns every file, sorted by path.
func (s *Snapshot) Files() []*File { return slices.Clone(s.fileList()) }

// fileList is Files without the copy, for queries that only read it.
func (s *Snapshot) fileList() []*File {
	l := s.sorted
	l.once.Do(func() {
		var files []*File
		switch {
		case l.done.Load() != nil:
			return
		case l.parent != nil:
			files = s.mergeFiles(l.parent, l.changed, l.removed)
		default:
			files = make([]*File, 0, s.files.size())
			s.files.each(func(_ string, f *File) { files = append(files, f) })
			slices.SortFunc(files, func(a, b *File) int { return cmp.Compare(a.Path, b.Path) })
		}
		l.done.Store(&files)
		l.parent, l.changed, l.removed = nil, nil, nil
	})
	return *l.done.Load()
}

// mergeFiles is the parent's sorted list with the paths changed or
// removed since taken out and the changed files, as s has them, put in.
func (s *Snapshot) mergeFiles(parent []*File, changed, removed []string) []*File {
	out := make([]*File, 0, s.files.size())
	touched := make(map[string]bool, len(changed)+len(removed))
	var add []*File
	for _, p := range append(slices.Clip(changed), removed...) {
		if !touched[p] {
			touched[p] = true
			if f := s.files.get(p); f != nil {
				add = append(add, f)
			}
		}
	}
	slices.SortFunc(add, func(a, b *File) int { return cmp.Compare(a.Path, b.Path) })
	for _, f := range parent {
		for len(add) > 0 && add[0].Path < f.Path {
			out, add = append(out, add[0]), add[1:]
		}
		if !touched[f.Path] {
			out = append(out, f)
		}
	}
	return append(out, add...)
}

// FileCount is the number of files.
func (s *Snapshot) FileCount() int { return s.files.size() }

// IsKind reports whether k is a kind citations are recognised for.
func (s *Snapshot) IsKind(k string) bool { return builtinKindSet[k] || s.kinds[k] > 0 }

// Kinds returns the known kinds, sorted.
func (s *Snapshot) Kinds() []string {
	seen := map[string]bool{}
	for _, k := range BuiltinKinds {
		seen[k] = true
	}
	for k := range s.kinds {
		seen[k] = true
	}
	out := make([]string, 0, len(seen))
	for k := range seen {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Defs returns the entities that define id, sorted by path.
func (s *Snapshot) Defs(id string) []*Entity { return s.defsBy(idKey(id), id) }

// defsBy is Defs with the id's key already known.
func (s *Snapshot) defsBy(key uint64, id string) []*Entity {
	var out []*Entity
	for e := range s.defs.each(key) {
		if e.ID == id {
			out = append(out, e)
		}
	}
	sortEntities(out)
	return out
}

// Entity returns the first definition of id, or nil.
func (s *Snapshot) Entity(id string) *Entity {
	if d := s.Defs(id); len(d) > 0 {
		return d[0]
	}
	return nil
}

func sortEntities(es []*Entity) {
	if len(es) > 1 {
		slices.SortFunc(es, func(a, b *Entity) int { return strings.Compare(a.file.Path, b.file.Path) })
	}
}

// Cites returns whether c is a citation of a known kind, and what it cites.
func (s *Snapshot) Cites(c Citation) (bool, []*Entity) {
	if !s.IsKind(c.Kind()) {
		return false, nil
	}
	return true, s.Defs(c.ID)
}

// ResolveItem returns the entities a neighbour item names: by id
// ("KIND:" + slug of its title, or of its whole text), else by title or
// summary text; where several entities share the title or id, the
// item's summary tells which it names. When that leaves several, all are
// returned.
func (s *Snapshot) ResolveItem(f *File, g *Group, it *Item) []*Entity {
	var out []*Entity
	s.resolution(f, g, it, func(e *Entity) bool { out = append(out, e); return true })
	sortEntities(out)
	return out
}

// resolves reports whether ResolveItem would find anything: the
// unresolved-neighbour rule asks it of every neighbour of the workspace.
func (s *Snapshot) resolves(f *File, g *Group, it *Item) bool {
	any := false
	s.resolution(f, g, it, func(*Entity) bool { any = true; return false })
	return any
}

// resolvesTo reports whether ResolveItem's answer holds e.
func (s *Snapshot) resolvesTo(f *File, g *Group, it *Item, e *Entity) bool {
	holds := false
	s.resolution(f, g, it, func(x *Entity) bool { holds = x == e; return !holds })
	return holds
}

// Reading returns the reading of an item of f that resolution takes: it
// itself, or, when its title may end in a relation word, the first of
// its readings (longest title first) whose title resolves, by id or by
// text; the longest when none does. Whatever shows an item (its range in
// diagnostics, hover, symbols, references) shows this reading.
func (s *Snapshot) Reading(f *File, g *Group, it *Item) *Item {
	if f.Entity == nil {
		return it
	}
	alts := f.Entity.readings(it)
	if len(alts) == 0 {
		return it
	}
	kind := it.kindKey
	if s.titleResolves(kind, it) {
		return it
	}
	for i := range alts {
		if s.titleResolves(kind, &alts[i]) {
			return &alts[i]
		}
	}
	return it
}

// titleResolves reports whether the item's title (or whole text) names
// an entity, by id or by text.
func (s *Snapshot) titleResolves(kind uint64, it *Item) bool {
	if it.idKey != 0 {
		for e := range s.defs.each(it.idKey) {
			if e.kindKey == kind {
				return true
			}
		}
	}
	if it.nameKey != 0 {
		for e := range s.texts.each(it.nameKey) {
			if (kind == 0 || e.kindKey == kind) && (e.titleKey == it.nameKey || e.summaryKey == it.nameKey) {
				return true
			}
		}
	}
	return false
}

// resolution gives yield, unsorted and without allocating, what an item
// resolves to, until yield returns false: the entities of the first of
// these that has any. (A function rather than an iter.Seq: the returned
// closure escaped, three allocations a neighbour.)
//   - By id: the key is that of KIND:slug(name), as an id's is of the id,
//     so equal keys are taken for equal ids (see hash.go for the odds);
//     the kind line must agree.
//   - By title or summary text, then by the item's summary text: entities
//     (of the item's kind, if it has one) whose title or summary normalise
//     to it. The 64-bit keys are compared instead of the texts (see
//     hash.go for why, and for the odds).
//
// By id and by title, several entities (a duplicated id, a title two
// entities share) are narrowed to those with the item's summary, unless
// none has it. The name is that of the item's Reading.
func (s *Snapshot) resolution(f *File, g *Group, it *Item, yield func(*Entity) bool) {
	kind := it.kindKey
	r := s.Reading(f, g, it)
	sum := it.summaryKey
	if r.idKey != 0 {
		switch n, one := s.countDefs(kind, r.idKey, sum); {
		case n.all == 1:
			yield(one)
			return
		case n.all > 1:
			for e := range s.defs.each(r.idKey) {
				if e.kindKey == kind && (n.withSummary == 0 || e.summaryKey == sum) && !yield(e) {
					return
				}
			}
			return
		}
	}
	for i, key := range [...]uint64{r.nameKey, sum} {
		if key == 0 {
			continue
		}
		n, one := s.countTexts(kind, key, sum)
		if i == 1 {
			n.withSummary = 0 // the summary is what matched
		}
		switch {
		case n.all == 1:
			yield(one)
			return
		case n.all > 1:
			for e := range s.texts.each(key) {
				if (kind == 0 || e.kindKey == kind) && (e.titleKey == key || e.summaryKey == key) &&
					(n.withSummary == 0 || e.summaryKey == sum) && !yield(e) {
					return
				}
			}
			return
		}
	}
}

// matches counts the entities a key finds, and those of them with the
// item's summary.
type matches struct{ all, withSummary int }

// countDefs counts the entities of kind defining the id of key; one is
// the last of them.
func (s *Snapshot) countDefs(kind, key, sum uint64) (n matches, one *Entity) {
	for e := range s.defs.each(key) {
		if e.kindKey == kind {
			n.all++
			one = e
			if sum != 0 && e.summaryKey == sum {
				n.withSummary++
			}
		}
	}
	return n, one
}

// countTexts counts the entities (of kind, unless it is 0) whose title
// or summary has the text of key.
func (s *Snapshot) countTexts(kind, key, sum uint64) (n matches, one *Entity) {
	for e := range s.texts.each(key) {
		if (kind == 0 || e.kindKey == kind) && (e.titleKey == key || e.summaryKey == key) {
			n.all++
			one = e
			if sum != 0 && e.summaryKey == sum {
				n.withSummary++
			}
		}
	}
	return n, one
}

// CitedBy returns every citation of e's id in the workspace's documents,
// sorted by file and position.
func (s *Snapshot) CitedBy(e *Entity) []CiteRef {
	if !s.IsKind(e.Kind) {
		return nil
	}
	var out []CiteRef
	for _, r := range s.cites.get(e.idKey) {
		if r.Citation().ID == e.ID {
			out = append(out, r)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].File.Path != out[j].File.Path {
			return out[i].File.Path < out[j].File.Path
		}
		return out[i].Index < out[j].Index
	})
	return out
}

// ListedBy returns every neighbour item, in any entity file, that resolves
// to e, sorted by file and position.
func (s *Snapshot) ListedBy(e *Entity) []ItemRef {
	var out []ItemRef
	for r := range s.listings(e, nil) {
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.File.Path != b.File.Path {
			return a.File.Path < b.File.Path
		}
		if a.Group != b.Group {
			return a.Group < b.Group
		}
		return a.Item < b.Item
	})
	return out
}

// listings yields the neighbour items that resolve to e, each once and in
// no order, from the groups keep accepts (all when nil).
func (s *Snapshot) listings(e *Entity, keep func(*Entity, *Group) bool) iter.Seq[ItemRef] {
	return func(yield func(ItemRef) bool) {
		// The listers already walked: usually a handful, kept in a slice;
		// a map once there are many.
		var seen []*Entity
		var seenMap map[*Entity]bool
		walked := func(l *Entity) bool {
			if seenMap != nil {
				if seenMap[l] {
					return true
				}
				seenMap[l] = true
				return false
			}
			if slices.Contains(seen, l) {
				return true
			}
			if seen = append(seen, l); len(seen) > 16 {
				seenMap = map[*Entity]bool{}
				for _, x := range seen {
					seenMap[x] = true
				}
			}
			return false
		}
		for _, k := range [...]uint64{e.idKey, e.titleKey, e.summaryKey} {
			if k == 0 {
				continue
			}
			for l := range s.lists.each(k) {
				if walked(l) {
					continue
				}
				for gi := range l.Groups {
					g := &l.Groups[gi]
					if keep != nil && !keep(l, g) {
						continue
					}
					items := l.Items(g)
					for ii := range items {
						if it := &items[ii]; l.mayName(it, e) && s.resolvesTo(l.file, g, it, e) {
							if !yield(ItemRef{l.file, int32(gi), int32(ii)}) {
								return
							}
						}
					}
				}
			}
		}
	}
}

// mayName reports whether it, one of l's items, has a key e is filed
// under, in any of its readings: the cheap test before resolving it.
func (l *Entity) mayName(it *Item, e *Entity) bool {
	for _, k := range [...]uint64{it.idKey, it.nameKey, it.summaryKey} {
		if k != 0 && (k == e.idKey || k == e.titleKey || k == e.summaryKey) {
			return true
		}
	}
	alts := l.readings(it)
	for i := range alts {
		for _, k := range [...]uint64{alts[i].idKey, alts[i].nameKey} {
			if k != 0 && (k == e.idKey || k == e.titleKey || k == e.summaryKey) {
				return true
			}
		}
	}
	return false
}

// Entities calls f for every entity, in no particular order.
func (s *Snapshot) Entities(f func(*Entity)) {
	s.files.each(func(_ string, file *File) {
		if file.Entity != nil {
			f(file.Entity)
		}
	})
}
