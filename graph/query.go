package graph

import (
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The queries behind the editor features: pure functions of a snapshot and
// byte offsets, so the lsp package only converts positions and results.

// TargetKind says what stands under a cursor.
type TargetKind uint8

const (
	NoTarget   TargetKind = iota
	CiteTarget            // a citation in a document
	ItemTarget            // a neighbour item in an entity file
	IDTarget              // an entity's own id (its line 3)
)

// Target is what stands at an offset, and the entities it names.
type Target struct {
	Kind     TargetKind
	Span     Span      // the id, item name or citation under the cursor
	ID       string    // the cited or defined id; for items, "" unless resolved
	Entities []*Entity // what it resolves to (several for a duplicated id)
	Item     *ItemRef  // for ItemTarget
}

// At returns what stands at byte offset off of f.
func (s *Snapshot) At(f *File, off int) Target {
	for _, c := range f.Citations {
		if c.Span.Contains(off) {
			if ok, defs := s.Cites(c); ok {
				return Target{Kind: CiteTarget, Span: c.Span, ID: c.ID, Entities: defs}
			}
			return Target{}
		}
		if int(c.Span.Start) > off {
			break
		}
	}
	e := f.Entity
	if e == nil {
		return Target{}
	}
	line := f.Lines().LineSpan(f.Lines().LineOf(off))
	if e.IDSpan.Len() > 0 && e.IDSpan.Start >= line.Start && e.IDSpan.End <= line.End {
		return Target{Kind: IDTarget, Span: e.IDSpan, ID: e.ID, Entities: s.Defs(e.ID)}
	}
	for gi := range e.Groups {
		g := &e.Groups[gi]
		items := e.Items(g)
		for ii := range items {
			it := &items[ii]
			if it.Span.Start >= line.Start && it.Span.End <= line.End {
				ref := ItemRef{f, int32(gi), int32(ii)}
				sp := s.Reading(f, g, it).NameSpan()
				t := Target{Kind: ItemTarget, Span: sp, Item: &ref, Entities: s.ResolveItem(f, g, it)}
				if len(t.Entities) > 0 {
					t.ID = t.Entities[0].ID
				}
				return t
			}
		}
	}
	return Target{}
}

// Definition returns where the entity at off is defined: every definition
// of a duplicated id.
func (s *Snapshot) Definition(f *File, off int) []Location {
	return locations(s.At(f, off).Entities)
}

// References returns every citation of e and every neighbour item that
// resolves to e, and e's own id when includeDecl is set.
func (s *Snapshot) References(e *Entity, includeDecl bool) []Location {
	var out []Location
	if includeDecl {
		out = append(out, locations(s.Defs(e.ID))...)
	}
	for _, r := range s.CitedBy(e) {
		out = append(out, Location{r.File.Path, r.Citation().Span})
	}
	for _, r := range s.ListedBy(e) {
		sp := s.Reading(r.File, r.GroupOf(), r.ItemOf()).NameSpan()
		out = append(out, Location{r.File.Path, sp})
	}
	return out
}

// Typing is the partial reference before a cursor: "claim:soo-fi",
// "[[deceptive be", "claim:" or "".
type Typing struct {
	Span   Span   // what a completion replaces: the whole partial id or words
	Kind   string // the kind before the colon, if any
	Prefix string // what follows the colon (or the words after "[[")
	Wiki   bool   // inside "[[" with free words
}

// TypingAt finds the partial reference that ends at off.
func TypingAt(text string, off int) Typing {
	if off > len(text) {
		off = len(text)
	}
	// A wiki link being typed: "[[" then anything but "]" on this line.
	ls := strings.LastIndexAny(text[:off], "\n\r") + 1
	if w := strings.LastIndex(text[ls:off], "[["); w >= 0 {
		inner := text[ls+w+2 : off]
		if !strings.Contains(inner, "]") {
			end := off
			for end < len(text) && isSlugByte(text[end]) || end < len(text) && text[end] == ':' {
				end++
			}
			t := Typing{Span: Span{int32(ls + w + 2), int32(end)}, Prefix: inner, Wiki: true}
			if k, rest, ok := strings.Cut(inner, ":"); ok && isKindWord(k) && !strings.ContainsAny(rest, " \t") {
				t.Kind, t.Prefix, t.Wiki = k, rest, false
			}
			return t
		}
	}
	start := off
	for start > 0 && (isSlugByte(text[start-1]) || text[start-1] == ':' || text[start-1] == '_') {
		start--
	}
	// The id extends past the cursor when completing in the middle of one.
	end := off
	for end < len(text) && isSlugByte(text[end]) {
		end++
	}
	word := text[start:off]
	t := Typing{Span: Span{int32(start), int32(end)}}
	if k, rest, ok := strings.Cut(word, ":"); ok {
		t.Kind, t.Prefix = k, rest
	} else {
		t.Prefix = word
	}
	return t
}

// Candidate is an entity offered by completion.
type Candidate struct {
	Entity *Entity
	Cited  int // how often it is cited: the tie-break of the ranking
}

// CompleteIDs returns the entities of kind whose slug starts with prefix,
// ranked by how often they are cited, then by id; more reports whether
// the list was cut at limit.
func (s *Snapshot) CompleteIDs(kind, prefix string, limit int) (out []Candidate, more bool) {
	sorted := s.sortedIDs()
	want := kind + ":" + prefix
	i := sort.Search(len(sorted), func(i int) bool { return sorted[i].ID >= want })
	for ; i < len(sorted) && strings.HasPrefix(sorted[i].ID, want); i++ {
		if sorted[i].Kind == kind {
			out = append(out, Candidate{Entity: sorted[i]})
		}
	}
	return s.rank(out, limit)
}

// sortedIDs returns every entity sorted by id, made once per generation of
// entity files.
func (s *Snapshot) sortedIDs() []*Entity {
	ids := s.ids
	if ids == nil {
		ids = &sortedIDs{} // a zero Snapshot: nothing to share
	}
	ids.once.Do(func() {
		var es []*Entity
		s.Entities(func(e *Entity) {
			if e.ID != "" {
				es = append(es, e)
			}
		})
		sort.Slice(es, func(i, j int) bool { return es[i].ID < es[j].ID })
		ids.ids = es
	})
	return ids.ids
}

// rank orders candidates by citations, then id, one per id, and cuts them
// at limit. Most entities are never cited: those are taken in id order,
// without a sort when they come sorted (completion by prefix walks the
// sorted ids), so a prefix matching thousands costs a pass, not a sort.
func (s *Snapshot) rank(cands []Candidate, limit int) ([]Candidate, bool) {
	var cited, rest []Candidate
	for _, c := range cands {
		if c.Cited = len(s.cites.get(c.Entity.idKey)); c.Cited > 0 {
			cited = append(cited, c)
		} else {
			rest = append(rest, c)
		}
	}
	sort.Slice(cited, func(i, j int) bool {
		if cited[i].Cited != cited[j].Cited {
			return cited[i].Cited > cited[j].Cited
		}
		return cited[i].Entity.ID < cited[j].Entity.ID
	})
	byID := func(a, b Candidate) int { return strings.Compare(a.Entity.ID, b.Entity.ID) }
	if !slices.IsSortedFunc(rest, byID) {
		slices.SortFunc(rest, byID)
	}
	// A duplicated id is offered once: its copies share a count, so they
	// sit side by side in either list.
	out := make([]Candidate, 0, min(len(cands), max(limit, 0)+1))
	n := 0
	for _, list := range [][]Candidate{cited, rest} {
		for i, c := range list {
			if i > 0 && list[i-1].Entity.ID == c.Entity.ID {
				continue
			}
			n++
			if limit <= 0 || len(out) < limit {
				out = append(out, c)
			}
		}
	}
	return out, limit > 0 && n > limit
}

// Dependents returns the paths of files whose diagnostics may change when
// f changes (f's own path included): definitions sharing its id, documents
// citing it, entities listing it or listed by it, near duplicates. Called
// on the old and the new snapshot with the old and the new file, it gives
// everything an edit can affect; ChangeDependents gives less, when it can
// tell what the edit left alone.
func (s *Snapshot) Dependents(f *File) map[string]bool {
	out := map[string]bool{}
	s.dependents(f, allFacets, out)
	return out
}

// Change is the file at one path going from Was to Now (either nil when
// absent), with what it changed worked out once.
type Change struct {
	Was, Now *File
	facets   facet
}

// NewChange compares two versions of a file.
func NewChange(was, now *File) Change { return Change{was, now, changedFacets(was, now)} }

// ChangeDependents adds to out the paths whose diagnostics in s may
// depend on what c changed, looked up by f: c.Was or c.Now, whichever s
// holds (or stands for).
func (s *Snapshot) ChangeDependents(c Change, f *File, out map[string]bool) {
	s.dependents(f, c.facets, out)
}

// IDs returns the ids whose did-you-mean suggestions c may change (see
// SuggestionDependents): both versions' ids when the entity appeared,
// went or had its id line changed; none otherwise.
func (c Change) IDs() []string {
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
	if a.IDSpan != b.IDSpan || was.Text[:a.IDSpan.End] != now.Text[:b.IDSpan.End] ||
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
// neighbours, as resolution reads them: each group's section, count and
// kind line, and each item's keys and kind.
func sameNeighbours(was, now *File) bool {
	a, b := was.Entity, now.Entity
	if len(a.Groups) != len(b.Groups) || len(a.items) != len(b.items) {
		return false
	}
	for i := range a.Groups {
		ga, gb := &a.Groups[i], &b.Groups[i]
		if ga.Section != gb.Section || ga.Count != gb.Count || ga.first != gb.first || ga.n != gb.n ||
			ga.KindSpan.Of(was.Text) != gb.KindSpan.Of(now.Text) {
			return false
		}
		ia, ib := a.Items(ga), b.Items(gb)
		for j := range ia {
			x, y := &ia[j], &ib[j]
			if x.idKey != y.idKey || x.nameKey != y.nameKey || x.summaryKey != y.summaryKey ||
				x.shape() != y.shape() || itemKind(was.Text, ga, x) != itemKind(now.Text, gb, y) {
				return false
			}
		}
	}
	return true
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
	// an id or title only when it equals the item's summary: those items
	// are found by the summary's key, old or new.)
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
	if changed&(facetIdentity|facetNeighbours) != 0 {
		for gi := range e.Groups {
			if g := &e.Groups[gi]; g.Section == Typed {
				items := e.Items(g)
				for ii := range items {
					s.mayListClaims(e, g, &items[ii], out)
				}
			}
		}
	}
}

// listedClaims adds the claims that typed items of l naming e in any
// reading may resolve to: an edit to e can move such an item from one
// claim to another (a reading or a summary that now decides, an id that
// now resolves first), and a claim's unlinked-claim follows its listers.
func (s *Snapshot) listedClaims(l, e *Entity, out map[string]bool) {
	for gi := range l.Groups {
		if g := &l.Groups[gi]; g.Section == Typed {
			items := l.Items(g)
			for ii := range items {
				if it := &items[ii]; l.mayName(it, e) {
					s.mayListClaims(l, g, it, out)
				}
			}
		}
	}
}

// mayListClaims adds every claim a typed item of l could resolve to in
// any state of the rest of the workspace: every claim one of its keys
// finds, in any reading. The claims it resolves to in another snapshot
// are among them whatever else changed, as long as they did not change
// themselves (and what changed is re-diagnosed anyway).
func (s *Snapshot) mayListClaims(l *Entity, g *Group, it *Item, out map[string]bool) {
	if k := itemKind(l.file.Text, g, it); k != "claim" && k != "" {
		return
	}
	add := func(e *Entity) {
		if e.Kind == "claim" {
			out[e.file.Path] = true
		}
	}
	alts := l.readings(it)
	for r := -1; r < len(alts); r++ {
		x := it
		if r >= 0 {
			x = &alts[r]
		}
		for e := range s.defs.each(x.idKey) {
			add(e)
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

// CompleteWords finds, without the search index, entities whose title or
// summary has a word starting with each word of query, ranked as RankWords
// does. The server uses it until its index is built, so it allocates
// nothing per entity.
func (s *Snapshot) CompleteWords(query string, limit int) ([]Candidate, bool) {
	qs := TitleWords(query)
	var paths []string
	s.Entities(func(e *Entity) {
		if matchesTyped(e.Title, qs) || matchesTyped(e.Summary, qs) {
			paths = append(paths, e.file.Path)
		}
	})
	return s.RankWords(paths, query, limit)
}

// matchesTyped reports whether text has every (lower-case) query word, as
// search-as-you-type reads what is typed: the last word as the start of a
// word of text, the ones before it whole, case-insensitively.
func matchesTyped(text string, query []string) bool {
	for i, q := range query {
		if !hasWord(text, q, i < len(query)-1) {
			return false
		}
	}
	return true
}

// hasWord reports whether a word of text starts with q, case-insensitively;
// whole asks for the whole word. It runs over the title and summary of
// every hit of every keystroke's completion, so when q starts with an ASCII
// letter or digit it jumps between that character's occurrences
// (vectorised) instead of decoding every rune.
func hasWord(text, q string, whole bool) bool {
	if q == "" || q[0] >= utf8.RuneSelf || !isAlnumASCII(q[0]) {
		return hasWordSlow(text, q, whole)
	}
	for _, c := range [2]byte{q[0] | 0x20, q[0] &^ 0x20} {
		if c < 'A' && c != q[0] {
			continue // a digit has one case
		}
		for i := 0; ; {
			j := strings.IndexByte(text[i:], c)
			if j < 0 {
				break
			}
			p := i + j
			i = p + 1
			if p > 0 {
				if prev, _ := utf8.DecodeLastRuneInString(text[:p]); isAlnum(prev) {
					continue
				}
			}
			if len(text)-p < len(q) || !strings.EqualFold(text[p:p+len(q)], q) {
				continue
			}
			if !whole {
				return true
			}
			if next, _ := utf8.DecodeRuneInString(text[p+len(q):]); p+len(q) == len(text) || !isAlnum(next) {
				return true
			}
		}
	}
	return false
}

func isAlnumASCII(c byte) bool {
	if c >= '0' && c <= '9' {
		return true
	}
	c |= 0x20
	return c >= 'a' && c <= 'z'
}

func isAlnum(r rune) bool {
	if r < utf8.RuneSelf {
		return isAlnumASCII(byte(r))
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

// hasWordSlow is hasWord rune by rune, for queries that start elsewhere.
func hasWordSlow(text, q string, whole bool) bool {
	prevAlnum := false
	for i, r := range text {
		alnum := isAlnum(r)
		if alnum && !prevAlnum && len(text)-i >= len(q) && strings.EqualFold(text[i:i+len(q)], q) {
			if !whole {
				return true
			}
			next, _ := utf8.DecodeRuneInString(text[i+len(q):])
			if i+len(q) == len(text) || !isAlnum(next) {
				return true
			}
		}
		prevAlnum = alnum
	}
	return false
}

// CitationsOf returns every citation of id, sorted by file and position.
func (s *Snapshot) CitationsOf(id string) []Location {
	var out []Location
	for _, r := range s.cites.get(idKey(id)) {
		if c := r.Citation(); c.ID == id {
			out = append(out, Location{r.File.Path, c.Span})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Path != out[j].Path {
			return out[i].Path < out[j].Path
		}
		return out[i].Span.Start < out[j].Span.Start
	})
	return out
}

// Warm makes the lazily built parts of the snapshot (the sorted id list)
// now, so that the first completion after a scan does not pay for them.
func (s *Snapshot) Warm() { s.sortedIDs() }
