package graph

import "slices"

// Invalidation: what a change to some files can change in the diagnostics
// of others. One function, Affected, answers it for an edit in the editor
// and for a warm start (the files changed since the cache was written)
// alike.

// Affected returns the paths whose diagnostics in s may differ from those
// they had before changes were made (s holds every change's Now): the
// changed files themselves, and every file that depends on what changed,
// in the old version or the new: definitions sharing an id, documents
// citing it, entities listing it or listed by it, near duplicates, and
// documents whose did-you-mean suggestions could name an id that appeared
// or went. Files no change touches are the same in s as before, so every
// lookup is made in s, for the old versions as for the new.
//
// all is set when a kind that is not built in appeared or went: that
// changes which words are citations in every document, and every file is
// to be diagnosed again.
func (s *Snapshot) Affected(changes []Change) (paths map[string]bool, all bool) {
	paths = map[string]bool{}
	before := make(map[string]int, len(s.kinds))
	for k, n := range s.kinds {
		before[k] = n
	}
	var ids []string
	for _, c := range changes {
		for _, f := range [...]*File{c.Was, c.Now} {
			if f != nil {
				s.dependents(f, c.facets, paths)
			}
		}
		if c.Now != nil && c.Now.Entity != nil {
			before[c.Now.Entity.Kind]--
		}
		if c.Was != nil && c.Was.Entity != nil {
			before[c.Was.Entity.Kind]++
		}
		ids = append(ids, c.ids()...)
	}
	s.suggestionDependents(ids, paths)
	for k, n := range before { // before holds every kind of s
		if (n > 0) != (s.kinds[k] > 0) && !builtinKindSet[k] {
			return paths, true
		}
	}
	return paths, false
}

// Change is the file at one path going from Was to Now (either nil when
// absent), with what it changed worked out once.
type Change struct {
	Was, Now *File
	facets   facet
}

// NewChange compares two versions of a file.
func NewChange(was, now *File) Change { return Change{was, now, changedFacets(was, now)} }

// ids returns the ids whose did-you-mean suggestions c may change (see
// suggestionDependents): both versions' ids when the entity appeared,
// went or had its id line changed; none otherwise.
func (c Change) ids() []string {
	if c.facets&facetIdentity == 0 {
		return nil
	}
	var ids []string
	for _, f := range [...]*File{c.Was, c.Now} {
		if f != nil && f.Entity != nil && f.Entity.ID != "" {
			ids = append(ids, f.Entity.ID)
		}
	}
	return ids
}

// A facet is a part of an entity other files' diagnostics read.
type facet uint8

const (
	// The kind, status and id lines, up to the end of the id: what
	// definitions, citations, near duplicates and listings by any key
	// read (the id and its position in messages and related locations,
	// the kind in resolution, the status in citations).
	facetIdentity   facet = 1 << iota
	facetTitle            // the title's key and words: listings by title, near duplicates
	facetSummary          // the summary's key: listings by summary
	facetNeighbours       // the groups and items: the entities they resolve to
	allFacets       = facetIdentity | facetTitle | facetSummary | facetNeighbours
)

// changedFacets tells which facets differ between two versions of a file.
func changedFacets(was, now *File) facet {
	if was == nil || now == nil || was.Entity == nil || now.Entity == nil {
		return allFacets
	}
	a, b := was.Entity, now.Entity
	var c facet
	if a.IDSpan != b.IDSpan || a.ownText()[:a.IDSpan.End] != b.ownText()[:b.IDSpan.End] ||
		a.Kind != b.Kind || a.Status != b.Status || a.ID != b.ID {
		c |= facetIdentity
	}
	if a.titleKey != b.titleKey || !slices.Equal(a.words, b.words) {
		c |= facetTitle
	}
	if a.summaryKey != b.summaryKey {
		c |= facetSummary
	}
	if !sameNeighbours(was, now) {
		c |= facetNeighbours
	}
	return c
}

// sameNeighbours reports whether two versions of an entity list the same
// neighbours, as resolution reads them: each group's section and count,
// and each item's keys and kind.
func sameNeighbours(was, now *File) bool {
	a, b := was.Entity, now.Entity
	if len(a.Groups) != len(b.Groups) || len(a.items) != len(b.items) {
		return false
	}
	for i := range a.Groups {
		ga, gb := &a.Groups[i], &b.Groups[i]
		if ga.Section != gb.Section || ga.Count != gb.Count || ga.first != gb.first || ga.n != gb.n {
			return false
		}
		ia, ib := a.Items(ga), b.Items(gb)
		for j := range ia {
			if !sameKeys(&ia[j], &ib[j]) {
				return false
			}
		}
	}
	// The other readings, after the groups' items: as many (the arrays
	// and the groups' lengths are equal), in the same order.
	ra, rb := a.items[a.listed():], b.items[b.listed():]
	for j := range ra {
		if !sameKeys(&ra[j], &rb[j]) {
			return false
		}
	}
	return true
}

func sameKeys(x, y *Item) bool {
	return x.idKey == y.idKey && x.nameKey == y.nameKey && x.summaryKey == y.summaryKey &&
		x.shape() == y.shape() && x.kindKey == y.kindKey
}

func (s *Snapshot) dependents(f *File, changed facet, out map[string]bool) {
	out[f.Path] = true
	e := f.Entity
	if e == nil || e.ID == "" {
		return
	}
	identity := changed&facetIdentity != 0
	if identity {
		for d := range s.defs.each(e.idKey) {
			out[d.file.Path] = true
		}
		for _, r := range s.cites.get(e.idKey) {
			out[r.File.Path] = true
		}
	}
	// Entities listing e by a key that changed, and the claims their
	// items may list instead. (A summary decides between entities sharing
	// an id or title only when it is the item's summary: such items are
	// found by the summary's key, the old one or the new.)
	for i, k := range [...]uint64{e.idKey, e.titleKey, e.summaryKey} {
		if identity || i == 1 && changed&facetTitle != 0 || i == 2 && changed&facetSummary != 0 {
			for l := range s.lists.each(k) {
				out[l.file.Path] = true
				s.listedClaims(l, e, out)
			}
		}
	}
	if changed&(facetIdentity|facetTitle) != 0 {
		var buf [8]uint64
		for _, k := range nearKeys(e, buf[:0]) {
			for o := range s.near.each(k) {
				out[o.file.Path] = true
			}
		}
	}
	// The claims e's typed items may list: a claim's unlinked-claim
	// follows its listers (nothing else in another file reads e's items).
	if changed&(facetIdentity|facetNeighbours) != 0 {
		for gi := range e.Groups {
			if g := &e.Groups[gi]; g.Section == Typed {
				items := e.Items(g)
				for ii := range items {
					s.mayListClaims(e, &items[ii], out)
				}
			}
		}
	}
}

// listedClaims adds the claims that typed items of l naming e in any
// reading may resolve to: a change to e can move such an item from one
// claim to another (a reading or a summary that now decides, an id that
// now resolves first), and a claim's unlinked-claim follows its listers.
func (s *Snapshot) listedClaims(l, e *Entity, out map[string]bool) {
	for gi := range l.Groups {
		if g := &l.Groups[gi]; g.Section == Typed {
			items := l.Items(g)
			for ii := range items {
				if it := &items[ii]; l.mayName(it, e) {
					s.mayListClaims(l, it, out)
				}
			}
		}
	}
}

var claimKey = kindKey("claim")

// mayListClaims adds every claim a typed item of l could resolve to,
// whatever else the workspace holds: every claim one of its keys finds,
// in any of its readings. Every lookup is made in s, for the old version
// of a change as for the new (see Affected): the claims an item resolved
// to before a change are among those its keys find now, unless they
// changed themselves (and then they are affected anyway).
func (s *Snapshot) mayListClaims(l *Entity, it *Item, out map[string]bool) {
	if it.kindKey != claimKey && it.kindKey != 0 {
		return
	}
	add := func(e *Entity) {
		if e.kindKey == claimKey {
			out[e.file.Path] = true
		}
	}
	alts := l.readings(it)
	for r := -1; r < len(alts); r++ {
		x := it
		if r >= 0 {
			x = &alts[r]
		}
		if x.idKey != 0 {
			for e := range s.defs.each(x.idKey) {
				add(e)
			}
		}
		for _, k := range [...]uint64{x.nameKey, it.summaryKey} {
			if k != 0 {
				for e := range s.texts.each(k) {
					if e.titleKey == k || e.summaryKey == k {
						add(e)
					}
				}
			}
		}
	}
}

// suggestionDependents adds to out the documents whose did-you-mean
// suggestions in s may differ for ids having appeared in s or gone from
// it: those citing an unknown id that Suggest would weigh one of them
// for. dependents cannot see these, which hang on no key of the entity.
func (s *Snapshot) suggestionDependents(ids []string, out map[string]bool) {
	keys := map[uint64]bool{}
	for _, id := range ids {
		for _, k := range fuzzyKeys(id) {
			keys[k] = true
		}
	}
	if len(keys) == 0 {
		return
	}
	s.files.each(func(path string, f *File) {
		if out[path] {
			return
		}
		for _, c := range f.Citations {
			if known, defs := s.Cites(c); !known || len(defs) > 0 {
				continue
			}
			hit := false
			suggestKeys(c.ID, func(k uint64) { hit = hit || keys[k] })
			if hit {
				out[path] = true
				return
			}
		}
	})
}
