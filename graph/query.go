package graph

import (
	"cmp"
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
	ids.sort(s)
	return ids.ids
}

// sort makes the list, once: merged from the parent's when it derives
// from one, else sorted.
func (l *sortedIDs) sort(s *Snapshot) {
	l.once.Do(func() {
		defer l.done.Store(true)
		if l.parent != nil {
			l.ids, l.masks = mergeIDs(l.parent, l.gone, l.add)
			l.parent, l.gone, l.add = nil, nil, nil
			return
		}
		var es []*Entity
		s.Entities(func(e *Entity) {
			if e.ID != "" {
				es = append(es, e)
			}
		})
		slices.SortFunc(es, compareIDs)
		l.ids = es
		l.masks = make([][2]wordMask, len(es))
		for i, e := range es {
			l.masks[i] = [2]wordMask{e.titleBits, e.summaryBits}
		}
	})
}

// idMasks returns the sorted ids and their word masks.
func (s *Snapshot) idMasks() ([]*Entity, [][2]wordMask) {
	ids := s.sortedIDs()
	return ids, s.ids.masks
}

// mergeIDs is base's list without gone's entities and with add's, in
// order, with their masks.
func mergeIDs(base *sortedIDs, gone map[*Entity]bool, add []*Entity) ([]*Entity, [][2]wordMask) {
	add = slices.Clone(add)
	slices.SortFunc(add, compareIDs)
	out := make([]*Entity, 0, len(base.ids)+len(add))
	masks := make([][2]wordMask, 0, len(base.ids)+len(add))
	put := func(e *Entity) {
		out = append(out, e)
		masks = append(masks, [2]wordMask{e.titleBits, e.summaryBits})
	}
	for i, e := range base.ids {
		if gone[e] {
			continue
		}
		for len(add) > 0 && compareIDs(add[0], e) < 0 {
			put(add[0])
			add = add[1:]
		}
		out = append(out, e)
		masks = append(masks, base.masks[i])
	}
	for _, e := range add {
		put(e)
	}
	return out, masks
}

// compareIDs orders entities by id, then path: a duplicated id's copies
// in a stable order.
func compareIDs(a, b *Entity) int {
	return cmp.Or(strings.Compare(a.ID, b.ID), strings.Compare(a.file.Path, b.file.Path))
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
	slices.SortFunc(cited, func(a, b Candidate) int {
		return cmp.Or(b.Cited-a.Cited, compareIDs(a.Entity, b.Entity))
	})
	byID := func(a, b Candidate) int { return compareIDs(a.Entity, b.Entity) }
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

// CompleteWords finds, without the search index, entities whose title or
// summary has a word starting with each word of query, ranked as RankWords
// does. The server uses it until its index is built, so it allocates
// nothing per entity.
func (s *Snapshot) CompleteWords(query string, limit int) ([]Candidate, bool) {
	qs := TitleWords(query)
	q := queryMask(qs)
	ids, masks := s.idMasks()
	// The list is scanned in two halves at once (a keystroke's worth of
	// work, on the cores the server has); each half in id order, so that
	// what is not cited comes ranked, and the first half's matches come
	// before the second's.
	var parts [2]wordMatches
	half := (len(ids) + 1) / 2
	Parallel(2, 0, func(p int) {
		lo, hi := p*half, min(len(ids), (p+1)*half)
		parts[p] = s.matchWords(ids[lo:hi], masks[lo:hi], qs, &q, limit)
	})
	var title, summary []Candidate
	for _, p := range parts {
		title = append(append(title, p.titleCited...), p.titleRest...)
	}
	for _, p := range parts {
		summary = append(summary, p.summary...)
	}
	return s.rankTwo(title, summary, limit)
}

// wordMatches are the entities of a stretch of the sorted ids whose title
// or summary has the words typed.
type wordMatches struct {
	titleCited, titleRest, summary []Candidate
}

// matchWords finds, in ids (sorted) with their masks, what CompleteWords
// may show: every cited match, and the uncited ones up to limit+1 of a
// kind. Entities skipped by their masks are never read. Once the uncited
// title matches alone overflow the list, nothing later can enter it but a
// cited title match, and the scan goes on for those only.
func (s *Snapshot) matchWords(ids []*Entity, masks [][2]wordMask, qs []string, q *wordMask, limit int) wordMatches {
	var out wordMatches
	summaryRest := 0
	full := false
	for i := range masks {
		m := &masks[i]
		if m[0].holds(q) && matchesTyped(ids[i].Title, qs) {
			e := ids[i]
			switch {
			case len(s.cites.get(e.idKey)) > 0:
				out.titleCited = append(out.titleCited, Candidate{Entity: e})
			case !full:
				out.titleRest = append(out.titleRest, Candidate{Entity: e})
				full = limit > 0 && len(out.titleRest) > limit
			}
			continue
		}
		if full || !m[1].holds(q) {
			continue
		}
		e := ids[i]
		cited := len(s.cites.get(e.idKey)) > 0
		// Beyond limit+1 an uncited summary match is never shown: its
		// summary need not be read.
		if !cited && limit > 0 && summaryRest > limit || !matchesTyped(e.Summary, qs) {
			continue
		}
		out.summary = append(out.summary, Candidate{Entity: e})
		if !cited {
			summaryRest++
		}
	}
	return out
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

// RankWords turns the paths found for query into ranked candidates:
// entities of the snapshot whose title has the query's words first, then
// those matched by their summary, each by citations. Every hit is checked
// against the snapshot, so an index that lags behind an edit never puts a
// stale entity in the list.
func (s *Snapshot) RankWords(paths []string, query string, limit int) ([]Candidate, bool) {
	qs := TitleWords(query)
	var inTitle, inSummary []Candidate
	for _, p := range paths {
		f := s.File(p)
		if f == nil || f.Entity == nil || f.Entity.ID == "" {
			continue
		}
		switch e := f.Entity; {
		case matchesTyped(e.Title, qs):
			inTitle = append(inTitle, Candidate{Entity: e})
		case matchesTyped(e.Summary, qs):
			inSummary = append(inSummary, Candidate{Entity: e})
		}
	}
	return s.rankTwo(inTitle, inSummary, limit)
}

// rankTwo ranks the entities matched by title before those matched by
// summary.
func (s *Snapshot) rankTwo(inTitle, inSummary []Candidate, limit int) ([]Candidate, bool) {
	a, moreA := s.rank(inTitle, limit)
	if moreA {
		return a, true
	}
	b, moreB := s.rank(inSummary, limit-len(a))
	return append(a, b...), moreB
}
