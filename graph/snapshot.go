package graph

import (
	"sort"
	"strings"
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

// Group returns the item's group.
func (r ItemRef) GroupOf() *Group { return &r.File.Entity.Groups[r.Group] }

// ItemOf returns the item referred to.
func (r ItemRef) ItemOf() *Item { return &r.File.Entity.Groups[r.Group].Items[r.Item] }

type owned interface{ owner() *File }

func (e *Entity) owner() *File { return e.file }
func (r CiteRef) owner() *File { return r.File }
func (r ItemRef) owner() *File { return r.File }

type multi[V owned] = layered[uint64, []V]

func isEmpty[V any](v []V) bool { return len(v) == 0 }

// Snapshot is the whole workspace at one moment: immutable, so any number
// of requests can read it while the next one is being made. Every index is
// keyed by what a file says about itself (its ids, its texts, the ids it
// cites, the keys its neighbours would resolve by), never by what another
// file says, so that replacing one file touches only that file's keys.
type Snapshot struct {
	Rev   uint64
	files layered[string, *File]
	defs  multi[*Entity] // idKey(id) -> entities defining it
	texts multi[*Entity] // textKey(title), textKey(summary) -> entities
	near  multi[*Entity] // near-duplicate candidate keys -> entities
	fuzzy multi[*Entity] // did-you-mean partition keys -> entities
	cites multi[CiteRef] // idKey(cited id) -> citations
	lists multi[ItemRef] // every key a neighbour item resolves by -> items
	kinds map[string]int // kind -> number of entities of that kind
}

// contribution is one entry a file adds to one index.
type contributions struct {
	defs, texts, near, fuzzy []kv[*Entity]
	cites                    []kv[CiteRef]
	lists                    []kv[ItemRef]
}

type kv[V any] struct {
	k uint64
	v V
}

// contribute lists what f adds to the indexes.
func contribute(f *File, c *contributions) {
	if e := f.Entity; e != nil {
		if e.ID != "" {
			c.defs = append(c.defs, kv[*Entity]{idKey(e.ID), e})
			for _, k := range fuzzyKeys(e.ID) {
				c.fuzzy = append(c.fuzzy, kv[*Entity]{k, e})
			}
		}
		for _, t := range [...]string{e.Title, e.Summary} {
			if strings.TrimSpace(t) != "" {
				c.texts = append(c.texts, kv[*Entity]{textKey(t), e})
			}
		}
		for _, k := range nearKeys(e) {
			c.near = append(c.near, kv[*Entity]{k, e})
		}
		for gi := range e.Groups {
			g := &e.Groups[gi]
			for ii := range g.Items {
				var keys [4]uint64
				n := itemKeys(f.Text, g, &g.Items[ii], &keys)
				for _, k := range keys[:n] {
					c.lists = append(c.lists, kv[ItemRef]{k, ItemRef{f, int32(gi), int32(ii)}})
				}
			}
		}
	}
	for i, ct := range f.Citations {
		c.cites = append(c.cites, kv[CiteRef]{idKey(ct.ID), CiteRef{f, int32(i)}})
	}
}

// itemKeys lists the keys an item may resolve by, without duplicates.
func itemKeys(text string, g *Group, it *Item, out *[4]uint64) int {
	n := 0
	add := func(k uint64) {
		for _, x := range out[:n] {
			if x == k {
				return
			}
		}
		out[n] = k
		n++
	}
	kind := itemKind(text, g, it)
	if it.TitleSpan.Len() > 0 {
		title := it.TitleSpan.Of(text)
		if kind != "" {
			add(titleIDKey(kind, title))
		}
		add(textKey(title))
		add(textKey(it.SummarySpan.Of(text)))
	} else {
		s := it.Span.Of(text)
		if kind != "" {
			add(titleIDKey(kind, s))
		}
		add(textKey(s))
	}
	return n
}

// itemKind is the kind an item names: its group's item kind, or the kind
// glued before a similarity score.
func itemKind(text string, g *Group, it *Item) string {
	if it.KindSpan.Len() > 0 {
		return it.KindSpan.Of(text)
	}
	return g.KindSpan.Of(text)
}

// Build makes a snapshot of files from scratch.
func Build(files []*File) *Snapshot {
	s := &Snapshot{kinds: map[string]int{}}
	fm := make(map[string]*File, len(files))
	var c contributions
	for _, f := range files {
		fm[f.Path] = f
		contribute(f, &c)
		if f.Entity != nil {
			s.kinds[f.Entity.Kind]++
		}
	}
	s.files = newLayered(fm, func(f *File) bool { return f == nil })
	s.defs = buildMulti(c.defs)
	s.texts = buildMulti(c.texts)
	s.near = buildMulti(c.near)
	s.fuzzy = buildMulti(c.fuzzy)
	s.cites = buildMulti(c.cites)
	s.lists = buildMulti(c.lists)
	return s
}

func buildMulti[V owned](entries []kv[V]) multi[V] {
	m := make(map[uint64][]V, len(entries))
	for _, e := range entries {
		m[e.k] = append(m[e.k], e.v)
	}
	return newLayered(m, isEmpty[V])
}

// With returns a new snapshot where each file in changed replaces the file
// of the same path (or is added), and each path in removed is gone. The
// receiver is unchanged.
func (s *Snapshot) With(changed []*File, removed []string) *Snapshot {
	n := &Snapshot{Rev: s.Rev + 1, kinds: make(map[string]int, len(s.kinds))}
	for k, v := range s.kinds {
		n.kinds[k] = v
	}
	var old, add contributions
	gone := map[*File]bool{}
	replace := func(path string) {
		if f := s.files.get(path); f != nil {
			gone[f] = true
			contribute(f, &old)
			if f.Entity != nil {
				n.kinds[f.Entity.Kind]--
				if n.kinds[f.Entity.Kind] <= 0 {
					delete(n.kinds, f.Entity.Kind)
				}
			}
		}
	}
	for _, p := range removed {
		replace(p)
	}
	for _, f := range changed {
		replace(f.Path)
		contribute(f, &add)
		if f.Entity != nil {
			n.kinds[f.Entity.Kind]++
		}
	}
	n.files = s.files.edit(func(set func(string, *File), _ func(string) *File) {
		for _, p := range removed {
			set(p, nil)
		}
		for _, f := range changed {
			set(f.Path, f)
		}
	})
	n.defs = editMulti(s.defs, old.defs, add.defs, gone)
	n.texts = editMulti(s.texts, old.texts, add.texts, gone)
	n.near = editMulti(s.near, old.near, add.near, gone)
	n.fuzzy = editMulti(s.fuzzy, old.fuzzy, add.fuzzy, gone)
	n.cites = editMulti(s.cites, old.cites, add.cites, gone)
	n.lists = editMulti(s.lists, old.lists, add.lists, gone)
	return n
}

// editMulti drops the values of gone files under their old keys and adds
// the new files' values.
func editMulti[V owned](m multi[V], old, add []kv[V], gone map[*File]bool) multi[V] {
	if len(old) == 0 && len(add) == 0 {
		return m
	}
	return m.edit(func(set func(uint64, []V), get func(uint64) []V) {
		for _, e := range old {
			cur := get(e.k)
			kept := make([]V, 0, len(cur))
			for _, v := range cur {
				if !gone[v.owner()] {
					kept = append(kept, v)
				}
			}
			set(e.k, kept)
		}
		for _, e := range add {
			cur := get(e.k)
			next := make([]V, len(cur), len(cur)+1)
			copy(next, cur)
			set(e.k, append(next, e.v))
		}
	})
}

// File returns the file at path, or nil.
func (s *Snapshot) File(path string) *File { return s.files.get(path) }

// Files returns every file, sorted by path.
func (s *Snapshot) Files() []*File {
	out := make([]*File, 0, s.files.size())
	s.files.each(func(_ string, f *File) { out = append(out, f) })
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out
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
func (s *Snapshot) Defs(id string) []*Entity {
	var out []*Entity
	for _, e := range s.defs.get(idKey(id)) {
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
	sort.Slice(es, func(i, j int) bool { return es[i].file.Path < es[j].file.Path })
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
// summary text. Several entities may share a text; all are returned.
func (s *Snapshot) ResolveItem(f *File, g *Group, it *Item) []*Entity {
	text := f.Text
	kind := itemKind(text, g, it)
	name := it.TitleSpan.Of(text)
	if it.TitleSpan.Len() == 0 {
		name = it.Span.Of(text)
	}
	if kind != "" {
		var out []*Entity
		for _, e := range s.defs.get(titleIDKey(kind, name)) {
			if e.Kind == kind && strings.HasPrefix(e.ID, kind+":") && slugIs(name, e.ID[len(kind)+1:]) {
				out = append(out, e)
			}
		}
		if len(out) > 0 {
			sortEntities(out)
			return out
		}
	}
	texts := []string{name}
	if it.SummarySpan.Len() > 0 {
		texts = append(texts, it.SummarySpan.Of(text))
	}
	for _, t := range texts {
		var out []*Entity
		for _, e := range s.texts.get(textKey(t)) {
			if (sameText(e.Title, t) || sameText(e.Summary, t)) && (kind == "" || e.Kind == kind) {
				out = append(out, e)
			}
		}
		if len(out) > 0 {
			sortEntities(out)
			return out
		}
	}
	return nil
}

// CitedBy returns every citation of e's id in the workspace's documents,
// sorted by file and position.
func (s *Snapshot) CitedBy(e *Entity) []CiteRef {
	if !s.IsKind(e.Kind) {
		return nil
	}
	var out []CiteRef
	for _, r := range s.cites.get(idKey(e.ID)) {
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
	seen := map[ItemRef]bool{}
	for _, k := range [...]uint64{idKey(e.ID), textKey(e.Title), textKey(e.Summary)} {
		for _, r := range s.lists.get(k) {
			if seen[r] {
				continue
			}
			seen[r] = true
			for _, x := range s.ResolveItem(r.File, r.GroupOf(), r.ItemOf()) {
				if x == e {
					out = append(out, r)
					break
				}
			}
		}
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

// Entities calls f for every entity, in no particular order.
func (s *Snapshot) Entities(f func(*Entity)) {
	s.files.each(func(_ string, file *File) {
		if file.Entity != nil {
			f(file.Entity)
		}
	})
}
