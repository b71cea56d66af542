package graph

import (
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// Section says which part of an entity file a group belongs to.
type Section uint8

const (
	Typed    Section = iota // a typed neighbourhood group (Findings, Papers, ...)
	Similar                 // "Related by similarity"
	Restated                // "Restated by": the upstream graph's merge candidates
)

// Entity is one parsed entity file. Strings are substrings of the file's
// text; spans are byte ranges in it.
type Entity struct {
	file                                                 *File    // the file that defines it
	words                                                []uint32 // hashes of the title's lower-cased words, for near duplicates
	idKey                                                uint64   // idKey(ID), hashed once at parse
	titleKey, summaryKey                                 uint64   // textKey of title and summary, 0 when blank
	kindKey                                              uint64   // kindKey(Kind)
	titleBits, summaryBits                               wordMask // the title's and the summary's words' first characters
	Kind, Status, ID, Title, Summary                     string   // substrings of the text, or of head once it is dropped
	head                                                 string   // the text up to the end of the last of these lines, once the text is dropped
	KindSpan, StatusSpan, IDSpan, TitleSpan, SummarySpan Span
	Provenance                                           *Provenance
	Groups                                               []Group // in file order, all sections
	// items are every group's items, in file order, then the other
	// readings of items whose title may end in a relation word (see
	// splitTypedItem): kept in the same array, so that they cost nothing
	// to the many entities without any and travel with the items.
	items []Item
}

// Items returns the items of g, one of e's groups.
func (e *Entity) Items(g *Group) []Item { return e.items[g.first : g.first+g.n : g.first+g.n] }

// listed is how many of e.items are groups' items; other readings follow.
func (e *Entity) listed() int {
	if len(e.Groups) == 0 {
		return 0
	}
	g := &e.Groups[len(e.Groups)-1]
	return int(g.first + g.n)
}

// readings returns the other readings of it, one of e's items, with
// shorter titles, longest first: none for all but a few items.
func (e *Entity) readings(it *Item) []Item {
	alts := e.items[e.listed():]
	for i := range alts {
		if alts[i].Span.Start == it.Span.Start {
			j := i + 1
			for j < len(alts) && alts[j].Span.Start == it.Span.Start {
				j++
			}
			return alts[i:j]
		}
	}
	return nil
}

// File returns the file that defines the entity.
func (e *Entity) File() *File { return e.file }

// Slug returns the part of the id after the colon.
func (e *Entity) Slug() string { return e.ID[min(len(e.Kind)+1, len(e.ID)):] }

// Provenance is the "Source paper" block: RELATION(YEAR) · AUTHOR · ... +N.
type Provenance struct {
	Span         Span // the whole provenance line
	Relation     string
	RelationSpan Span
	Year         int
	YearSpan     Span
	Authors      []Span
	More         int // the "+N" more authors not listed
}

// Group is a neighbourhood group: a header "Label (N)", for typed groups an
// item-kind line, for similarity groups a threshold line, then items.
type Group struct {
	Section    Section
	HeaderSpan Span // "Findings (6)"
	LabelSpan  Span // "Findings"
	Count      int  // the N the header announces; may exceed the items listed
	KindSpan   Span // the item-kind line of a typed group
	NoteSpan   Span // the "cosine ≥ ..." line of a similarity group
	// The group's items are Entity.Items(g): positions in the entity's one
	// item array rather than a slice of it, so that groups hold no pointer
	// for the collector to follow (half a million at 100k entities).
	first, n int32
}

// Item is one neighbour line "- ...". It keeps two split points rather
// than a span per part: an entity has dozens of items and a workspace
// millions, and every byte here is megabytes there.
//
// A title that ends in a relation word ("… while generalizes" glued to
// "about") can be read more than one way; the item holds the reading
// with the longest title, and the entity keeps the others (readings), for
// resolution to choose among: the file alone cannot tell, and a file's
// parse never depends on another file. Snapshot.Reading gives the reading
// chosen.
type Item struct {
	Span Span // the text after "- "
	// The two split points, with the shape in mid1's top two bits and
	// the stance of the relation words (see stance) in mid2's: eight
	// bytes an item, sixteen megabytes at 100k entities.
	// (Offsets stay under 1 GiB: files are limited to a few MiB.)
	mid1 uint32
	mid2 int32

	// Resolution keys, hashed once while the file is read (in parallel)
	// rather than at every build and every diagnosis: idKey of KIND:slug of
	// the title (or of the whole text), textKey of the title (or text) and
	// of the summary, kindKey of the kind it names (KindName reads it
	// back); 0 where there is none.
	idKey, nameKey, summaryKey, kindKey uint64
}

const shapeShift = 30

func (it *Item) shape() itemShape { return itemShape(it.mid1 >> shapeShift) }

// m1 is the first split point without the shape.
func (it *Item) m1() int32 { return int32(it.mid1 &^ (3 << shapeShift)) }

// m2 is the second split point without the stance.
func (it *Item) m2() int32 { return int32(uint32(it.mid2) &^ (3 << shapeShift)) }

func (it *Item) split(shape itemShape, mid1, mid2 int32) {
	it.mid1, it.mid2 = uint32(mid1)|uint32(shape)<<shapeShift, mid2
}

// itemShape says how an item's text splits.
type itemShape uint8

const (
	oneText itemShape = iota // one text, no split
	titled                   // TITLE [mid1] relations [mid2] SUMMARY
	scored                   // TITLE [mid1] KIND [mid2] SCORE SUMMARY
)

// TitleSpan is the neighbour's title, empty for a one-text item.
func (it *Item) TitleSpan() Span {
	if it.shape() == oneText {
		return Span{}
	}
	return Span{it.Span.Start, it.m1()}
}

// RelSpan covers the relation words glued after the title; see Relations.
func (it *Item) RelSpan() Span {
	if it.shape() != titled {
		return Span{}
	}
	return Span{it.m1(), it.m2()}
}

// KindSpan is the kind glued before a similarity score.
func (it *Item) KindSpan() Span {
	if it.shape() != scored {
		return Span{}
	}
	return Span{it.m1(), it.m2()}
}

// ScoreSpan is the similarity score ("0.826").
func (it *Item) ScoreSpan() Span {
	if it.shape() != scored {
		return Span{}
	}
	return Span{it.m2(), it.m2() + 5}
}

// SummarySpan is the neighbour's summary, empty for a one-text item.
func (it *Item) SummarySpan() Span {
	switch it.shape() {
	case titled:
		return Span{it.m2(), it.Span.End}
	case scored:
		return Span{it.m2() + 5, it.Span.End}
	}
	return Span{}
}

// NameSpan is what names the neighbour: its title, or its whole text.
func (it *Item) NameSpan() Span {
	if it.shape() == oneText {
		return it.Span
	}
	return it.TitleSpan()
}

// Problem is something wrong found while reading one file.
type Problem struct {
	Span     Span
	Code     Code
	Severity Severity
	Message  string
}

// Header lines, byte for byte as the exports write them.
const (
	provenanceHeader   = "Source paper"
	neighbourhoodTitle = "Neighborhood — ranked by edge-count"
	similarLabel       = "Related by similarity"
	restatedLabel      = "Restated by"
)

// BuiltinKinds are the kinds citations are recognised for before any entity
// file is seen; the kinds of the workspace's entities are added to them.
var BuiltinKinds = []string{
	"claim", "finding", "paper", "concept", "question", "hypothesis",
	"method", "dataset", "model", "result", "experiment", "theory",
	"observation", "definition", "evidence", "task", "metric", "author",
}

// knownRelations are the relation words the splitter recognises when they
// are glued between a neighbour's title and its summary, longest first so
// "associated_with" is tried before any shorter suffix.
var knownRelations = []string{
	"contradicted_by", "associated_with", "extracted_from", "supported_by",
	"derived_from", "generalizes", "instance_of", "addresses", "motivates",
	"contradicts", "specializes", "replicates", "evaluates", "part_of",
	"supports", "measures", "proposes", "extends", "refines", "answers",
	"depends", "related", "uses", "cites", "about", "tests",
}

var builtinKindSet = func() map[string]bool {
	m := map[string]bool{}
	for _, k := range BuiltinKinds {
		m[k] = true
	}
	return m
}()

// LooksLikeEntity reports whether text is an entity file, by content: a kind
// word on line 1 and line 3 starting with "KIND:". A file that starts with a
// built-in kind and a status word, or that holds the neighbourhood header,
// is taken for a truncated or broken entity file, so that it is reported
// rather than silently read as prose.
func LooksLikeEntity(text string) bool {
	text = strings.TrimPrefix(text, bom)
	first := firstLines(text, 3)
	if len(first) == 3 && isKindWord(first[0]) && strings.HasPrefix(first[2], first[0]+":") {
		return true
	}
	if len(first) > 0 && builtinKindSet[first[0]] && (len(first) < 2 || isKindWord(first[1])) {
		return true
	}
	return strings.Contains(text, "\n"+neighbourhoodTitle)
}

const bom = "\uFEFF"

// firstLines returns up to max leading lines of text.
func firstLines(text string, max int) []string {
	var out []string
	for len(out) < max && text != "" {
		i := strings.IndexAny(text, "\r\n")
		if i < 0 {
			return append(out, text)
		}
		out = append(out, text[:i])
		if text[i] == '\r' && i+1 < len(text) && text[i+1] == '\n' {
			i++
		}
		text = text[i+1:]
	}
	return out
}

// ParseEntity reads an entity file. It never fails: whatever can be read is
// returned, with a Problem for each thing that could not.
func ParseEntity(text string) (*Entity, []Problem) {
	// Line tables are reused from file to file rather than grown by
	// append for each.
	lines := linePool.Get().(*[]Span)
	p := entityParser{text: text, lines: (*lines)[:0]}
	splitLines(text, func(_ int, sp Span) { p.lines = append(p.lines, sp) })
	p.parse()
	*lines = p.lines[:0]
	linePool.Put(lines)
	// Copy the entity out: a pointer into the parser would keep its line
	// table alive for as long as the entity lives.
	e := p.e
	e.words = titleWordHashes(e.Title)
	e.idKey = idKey(e.ID)
	e.kindKey = kindKey(e.Kind)
	e.titleBits.addWords(e.Title)
	e.summaryBits.addWords(e.Summary)
	if strings.TrimSpace(e.Title) != "" {
		e.titleKey = textKey(e.Title)
	}
	if strings.TrimSpace(e.Summary) != "" {
		e.summaryKey = textKey(e.Summary)
	}
	for gi := range e.Groups {
		g := &e.Groups[gi]
		items := e.Items(g)
		var groupKind uint64 // the group's kind, registered once
		if g.KindSpan.Len() > 0 {
			groupKind = registerKind(g.ItemKind(text))
		}
		for ii := range items {
			items[ii].hashKeys(text, g, groupKind)
		}
	}
	return &e, p.problems
}

// ownText returns the text of the entity's own lines and what precedes
// them (see keepHead): its head once the text is dropped, else the text.
func (e *Entity) ownText() string {
	if e.head != "" || e.file == nil {
		return e.head
	}
	return e.file.text
}

// keepHead copies the entity's own lines (kind, status, id and title,
// summary, provenance) out of text, for a file letting its text go.
func (e *Entity) keepHead(text string) { e.setHead(strings.Clone(text[:e.headEnd()])) }

// setHead makes head, the text up to the end of the entity's own lines,
// the string its own fields are cut from.
func (e *Entity) setHead(head string) {
	e.head = head
	e.Kind, e.Status, e.ID = e.KindSpan.Of(head), e.StatusSpan.Of(head), e.IDSpan.Of(head)
	e.Title, e.Summary = e.TitleSpan.Of(head), e.SummarySpan.Of(head)
	if p := e.Provenance; p != nil {
		p.Relation = p.RelationSpan.Of(head)
	}
}

var linePool = sync.Pool{New: func() any { return new([]Span) }}

type entityParser struct {
	text     string
	lines    []Span
	e        Entity
	problems []Problem
}

func (p *entityParser) line(i int) string { return p.lines[i].Of(p.text) }

func (p *entityParser) problem(sp Span, code Code, sev Severity, msg string) {
	p.problems = append(p.problems, Problem{Span: sp, Code: code, Severity: sev, Message: msg})
}

func (p *entityParser) malformed(sp Span, msg string) {
	p.problem(sp, CodeMalformed, SeverityError, msg)
}

func (p *entityParser) parse() {
	e := &p.e
	// A BOM is fine; skip it without moving offsets, so that positions stay
	// those of the text the editor has.
	if strings.HasPrefix(p.text, bom) {
		p.lines[0].Start += int32(len(bom))
	}
	n := len(p.lines)
	// An entity's lines end at the file's end; trailing blank lines are
	// tolerated (an editor may add one), but they carry nothing.
	for n > 0 && strings.TrimSpace(p.line(n-1)) == "" {
		n--
	}
	if n == 0 {
		p.malformed(Span{}, "empty entity file: expected a kind on line 1")
		return
	}
	e.KindSpan = trimSpan(p.text, p.lines[0])
	e.Kind = e.KindSpan.Of(p.text)
	if !isKindWord(e.Kind) {
		p.malformed(p.lines[0], "line 1 should be the entity's kind, a lower-case word such as \"claim\"")
	}
	if n < 2 {
		p.malformed(endOf(p.lines[0]), "entity file ends after its kind: expected a status on line 2")
		return
	}
	e.StatusSpan = trimSpan(p.text, p.lines[1])
	e.Status = e.StatusSpan.Of(p.text)
	if !isKindWord(e.Status) {
		p.malformed(p.lines[1], "line 2 should be the entity's status, a lower-case word such as \"active\"")
	}
	if n < 3 {
		p.malformed(endOf(p.lines[1]), "entity file ends after its status: expected \"KIND:slug\" and the title on line 3")
		return
	}
	p.parseIDLine(p.lines[2])
	if n < 4 {
		p.malformed(endOf(p.lines[2]), "entity file ends after its id: expected a one-line summary on line 4")
		return
	}
	e.SummarySpan = trimSpan(p.text, p.lines[3])
	e.Summary = e.SummarySpan.Of(p.text)
	p.parseBody(4, n)
}

// maxTitleLead bounds how many lower-case bytes a title may start with.
const maxTitleLead = 256

// parseIDLine splits "KIND:SLUG" + TITLE, glued. The split point is where
// the rest after it slugs to the part before it; a line where no split
// satisfies that rule keeps the longest slug-like run as the id and gets an
// id-title-mismatch warning.
func (p *entityParser) parseIDLine(ln Span) {
	e := &p.e
	ln = trimSpan(p.text, ln)
	s := ln.Of(p.text)
	colon := strings.IndexByte(s, ':')
	if colon <= 0 || !isKindWord(s[:colon]) {
		p.malformed(ln, "line 3 should start with the entity's id, \"KIND:slug\", followed by its title")
		e.TitleSpan = ln
		e.Title = s
		return
	}
	if s[:colon] != e.Kind && isKindWord(e.Kind) {
		p.malformed(Span{ln.Start, ln.Start + int32(colon)}, "the id's kind \""+s[:colon]+"\" differs from the kind on line 1, \""+e.Kind+"\"")
	}
	rest := s[colon+1:]
	run := 0
	for run < len(rest) && isSlugByte(rest[run]) {
		run++
	}
	// The title's first word may itself be lower-case and so part of the
	// run; trying every split of an absurdly long run would be quadratic,
	// so only the last maxTitleLead bytes of the run are tried.
	split := -1
	for i := run; i > 0 && i >= run-maxTitleLead; i-- {
		if slugIs(rest[i:], rest[:i]) {
			split = i
			break
		}
	}
	mismatch := split < 0
	if mismatch {
		split = run
	}
	idEnd := ln.Start + int32(colon+1+split)
	e.IDSpan = Span{ln.Start, idEnd}
	e.ID = e.IDSpan.Of(p.text)
	e.TitleSpan = Span{idEnd, ln.End}
	e.Title = e.TitleSpan.Of(p.text)
	switch {
	case split == 0:
		p.malformed(e.IDSpan, "the id has no slug after \""+s[:colon+1]+"\"")
	case e.Title == "":
		p.malformed(e.IDSpan, "the id is not followed by a title")
	case mismatch:
		p.problem(e.IDSpan, CodeIDTitleMismatch, SeverityWarning,
			"id does not follow the title: expected "+s[:colon+1]+Slug(e.Title))
	}
}

func (p *entityParser) parseBody(from, n int) {
	e := &p.e
	var g *Group
	// All items of the entity share one exactly sized array: at 100k
	// entities, growing a slice per group wastes a fifth of the item memory.
	items := 0
	for i := from; i < n; i++ {
		if s := p.line(i); strings.HasPrefix(s, "-") {
			items++
		}
	}
	all := make([]Item, 0, items)
	var alts []Item // other readings, kept after the groups' items
	for i := from; i < n; i++ {
		ln := p.lines[i]
		s := ln.Of(p.text)
		switch {
		case strings.HasPrefix(s, "- ") || s == "-":
			if g == nil {
				p.malformed(ln, "neighbour item outside any group")
				continue
			}
			item := Item{Span: trimSpan(p.text, Span{ln.Start + 1, ln.End})}
			if g.Section == Typed {
				n := len(alts)
				alts = splitTypedItem(p.text, &item, alts)
				for a := n; a < len(alts); a++ {
					alts[a].hashKeys(p.text, g, registerKind(g.ItemKind(p.text)))
				}
			} else {
				splitSimilarItem(p.text, &item)
			}
			all = append(all, item)
			g.n++
		case s == provenanceHeader:
			if e.Provenance != nil {
				p.malformed(ln, "a second \"Source paper\" block")
			}
			pv := &Provenance{}
			if i+1 < n && !isHeaderLine(p.line(i+1)) {
				i++
				p.parseProvenance(p.lines[i], pv)
			} else {
				p.malformed(ln, "\"Source paper\" is not followed by a provenance line")
			}
			e.Provenance = pv
		case s == neighbourhoodTitle:
			g = nil
		case strings.TrimSpace(s) == "":
			// Blank lines inside the body carry nothing.
		default:
			label, count, ok := parseGroupHeader(s)
			if !ok {
				p.malformed(ln, "unrecognised line: expected a group header \"Label (N)\", an item \"- ...\" or a section header")
				continue
			}
			e.Groups = append(e.Groups, Group{
				HeaderSpan: ln,
				LabelSpan:  Span{ln.Start, ln.Start + int32(len(label))},
				Count:      count,
			})
			g = &e.Groups[len(e.Groups)-1]
			g.first = int32(len(all))
			switch label {
			case similarLabel:
				g.Section = Similar
			case restatedLabel:
				g.Section = Restated
			}
			next := ""
			if i+1 < n {
				next = p.line(i + 1)
			}
			if g.Section == Typed {
				if isKindWord(next) {
					i++
					g.KindSpan = p.lines[i]
				} else {
					p.malformed(ln, "group \""+label+"\" is not followed by the kind of its items")
				}
			} else if strings.HasPrefix(next, "cosine") {
				i++
				g.NoteSpan = p.lines[i]
			}
		}
	}
	if len(alts) > 0 {
		all = append(all, alts...)
	}
	if len(all) > 0 {
		e.items = all
	}
	// Fewer items than announced is how the exports cut long groups; more
	// items than announced means the file was edited or mangled.
	for i := range e.Groups {
		if g := &e.Groups[i]; int(g.n) > g.Count {
			p.problem(g.HeaderSpan, CodeMalformed, SeverityWarning,
				"group announces "+strconv.Itoa(g.Count)+" items but lists "+strconv.Itoa(int(g.n)))
		}
	}
}

// isHeaderLine reports whether s opens a new part of the body.
func isHeaderLine(s string) bool {
	if s == neighbourhoodTitle || s == provenanceHeader || strings.HasPrefix(s, "- ") {
		return true
	}
	_, _, ok := parseGroupHeader(s)
	return ok
}

// parseGroupHeader reads "Label (N)".
func parseGroupHeader(s string) (label string, count int, ok bool) {
	if !strings.HasSuffix(s, ")") {
		return "", 0, false
	}
	open := strings.LastIndex(s, " (")
	if open <= 0 {
		return "", 0, false
	}
	digits := s[open+2 : len(s)-1]
	if digits == "" || len(digits) > 9 {
		return "", 0, false
	}
	for i := 0; i < len(digits); i++ {
		if digits[i] < '0' || digits[i] > '9' {
			return "", 0, false
		}
	}
	c, _ := strconv.Atoi(digits)
	return s[:open], c, true
}

// parseProvenance reads RELATION(YEAR) · AUTHOR · AUTHOR ... +N.
func (p *entityParser) parseProvenance(ln Span, pv *Provenance) {
	pv.Span = ln
	s := ln.Of(p.text)
	const sep = " · "
	parts := strings.Split(s, sep)
	off := ln.Start
	for k, part := range parts {
		sp := Span{off, off + int32(len(part))}
		off += int32(len(part) + len(sep))
		if k == 0 {
			open := strings.IndexByte(part, '(')
			if open > 0 && strings.HasSuffix(part, ")") {
				pv.RelationSpan = Span{sp.Start, sp.Start + int32(open)}
				pv.YearSpan = Span{sp.Start + int32(open+1), sp.End - 1}
				y, err := strconv.Atoi(pv.YearSpan.Of(p.text))
				if err != nil {
					p.malformed(pv.YearSpan, "provenance year is not a number")
				}
				pv.Year = y
			} else {
				pv.RelationSpan = sp
			}
			pv.Relation = pv.RelationSpan.Of(p.text)
			continue
		}
		if k == len(parts)-1 {
			if j := strings.LastIndex(part, " +"); j >= 0 {
				if m, err := strconv.Atoi(part[j+2:]); err == nil {
					pv.More = m
					sp.End = sp.Start + int32(j)
				}
			} else if strings.HasPrefix(part, "+") {
				if m, err := strconv.Atoi(part[1:]); err == nil {
					pv.More = m
					continue
				}
			}
		}
		if sp.Len() > 0 {
			pv.Authors = append(pv.Authors, sp)
		}
	}
}

// splitTypedItem splits TITLE + relation words + SUMMARY, glued. The glue
// point is a lower-case letter or '_' followed by an upper-case letter (the
// summary's start); from there, known relation words are peeled off the end
// of what precedes, and the title may end where any of them starts, right
// before it with no space, as the exporter glues it. Unknown relation words
// are accepted when they are snake_case and stand alone after a non-letter
// ("98.4%related_toThe ...").
//
// A title may itself end in a relation word ("… while generalizes" +
// "about"), or in a word ending like one ("… causes": "ca" + "uses"), so
// every place the title may end is a reading: the item takes the longest
// title, and the others are appended to alts for resolution to choose
// from (see Snapshot.Reading). A snake_case relation word ends a title
// only as a word of its own: "fine-tuningassociated_withsupports" is
// "fine-tuning" + two relation words, never a title ending in
// "tuningassociated_with".
func splitTypedItem(text string, it *Item, alts []Item) []Item {
	s := it.Span.Of(text)
	base := it.Span.Start
	for p := 1; p < len(s); p++ {
		if !isLowerOrUnderscore(s[p-1]) || !startsUpper(s[p:]) {
			continue
		}
		var ends [maxRelations]int // where each peeled relation word starts
		n := 0
		for q := p; n < len(ends); n++ {
			r := relationSuffix(s[:q])
			if r == 0 {
				break
			}
			q -= r
			ends[n] = q
		}
		if n == 0 {
			// An unknown snake_case relation, standing alone.
			q := p
			for q > 0 && isLowerOrUnderscore(s[q-1]) {
				q--
			}
			if q == 0 || !strings.Contains(s[q:p], "_") || isASCIILetter(s[q-1]) || s[q-1] == ' ' {
				continue
			}
			it.split(titled, base+int32(q), base+int32(p))
			return alts
		}
		found := false
		for k := 0; k < n; k++ {
			q := ends[k]
			if q == 0 || s[q-1] == ' ' {
				continue
			}
			if k+1 < n {
				// The title would end in the next relation word.
				w := ends[k+1]
				if strings.IndexByte(s[w:q], '_') >= 0 && w > 0 && s[w-1] != ' ' {
					continue
				}
			}
			if !found {
				it.split(titled, base+int32(q), base+int32(p))
				found = true
				continue
			}
			alt := *it
			alt.split(titled, base+int32(q), base+int32(p))
			alts = append(alts, alt)
		}
		if found {
			return alts
		}
	}
	return alts
}

// maxRelations bounds the relation words peeled off one item: a line of
// "usesusesuses…" must not make a reading per word.
const maxRelations = 8

// Relations splits an item's relation words ("associated_withsupports")
// into words, in reading order.
func (it *Item) Relations(text string) []string {
	s := it.RelSpan().Of(text)
	var out []string
	for s != "" {
		r := relationSuffix(s)
		if r == 0 {
			// An unknown relation word stands alone.
			out = append(out, s)
			break
		}
		out = append(out, s[len(s)-r:])
		s = s[:len(s)-r]
	}
	slices.Reverse(out)
	return out
}

// hashKeys computes the keys the item resolves by; groupKind is the key
// of its group's kind line.
func (it *Item) hashKeys(text string, g *Group, groupKind uint64) {
	kind := itemKind(text, g, it)
	name := it.Name(text)
	it.kindKey = groupKind
	if it.shape() == scored {
		it.kindKey = registerKind(kind)
	}
	if kind != "" {
		it.idKey, it.nameKey = nameKeys(kind, name)
	} else {
		it.nameKey = textKey(name)
	}
	if sp := it.SummarySpan(); sp.Len() > 0 {
		it.summaryKey = textKey(sp.Of(text))
	}
	it.setStance(text)
}

// Name is what names the neighbour: its title, or its whole text.
func (it *Item) Name(text string) string {
	return it.NameSpan().Of(text)
}

// itemKind is the kind an item names: the kind glued before a similarity
// score, or its group's item kind.
func itemKind(text string, g *Group, it *Item) string {
	if it.shape() == scored {
		return it.KindSpan().Of(text)
	}
	return g.KindSpan.Of(text)
}

// relationSuffix returns the length of the known relation word s ends with.
func relationSuffix(s string) int {
	for _, r := range knownRelations {
		if strings.HasSuffix(s, r) {
			return len(r)
		}
	}
	return 0
}

// splitSimilarItem splits TITLE + KIND + SCORE + SUMMARY: the anchor is a
// kind directly followed by a three-decimal score ("question0.800").
func splitSimilarItem(text string, it *Item) {
	s := it.Span.Of(text)
	base := it.Span.Start
	for p := 1; p+5 <= len(s); p++ {
		if !isScore(s[p:p+5]) || !isLowerASCII(s[p-1]) {
			continue
		}
		k := kindSuffix(s[:p])
		if k == 0 {
			q := p
			for q > 0 && isLowerASCII(s[q-1]) {
				q--
			}
			if q > 0 && isASCIILetter(s[q-1]) {
				continue
			}
			k = p - q
		}
		it.split(scored, base+int32(p-k), base+int32(p))
		return
	}
}

// kindSuffix returns the length of the built-in kind s ends with.
func kindSuffix(s string) int {
	best := 0
	for _, k := range BuiltinKinds {
		if len(k) > best && strings.HasSuffix(s, k) {
			best = len(k)
		}
	}
	return best
}

// isScore matches d.ddd.
func isScore(s string) bool {
	return len(s) == 5 && isDigit(s[0]) && s[1] == '.' && isDigit(s[2]) && isDigit(s[3]) && isDigit(s[4])
}

// Score returns the item's similarity score, or 0.
func (it *Item) Score(text string) float64 {
	f, _ := strconv.ParseFloat(it.ScoreSpan().Of(text), 64)
	return f
}

// Label returns the group's label, e.g. "Findings".
func (g *Group) Label(text string) string { return g.LabelSpan.Of(text) }

// ItemKind returns the kind of a group's items: the kind line of a typed
// group, empty otherwise.
func (g *Group) ItemKind(text string) string { return g.KindSpan.Of(text) }

func isDigit(c byte) bool             { return c >= '0' && c <= '9' }
func isLowerASCII(c byte) bool        { return c >= 'a' && c <= 'z' }
func isLowerOrUnderscore(c byte) bool { return isLowerASCII(c) || c == '_' }
func isASCIILetter(c byte) bool       { return isLowerASCII(c) || c >= 'A' && c <= 'Z' }

func startsUpper(s string) bool {
	if s == "" {
		return false
	}
	if s[0] < utf8.RuneSelf {
		return s[0] >= 'A' && s[0] <= 'Z'
	}
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsUpper(r)
}

// trimSpan shrinks sp to exclude surrounding spaces and tabs.
func trimSpan(text string, sp Span) Span {
	for sp.Start < sp.End && (text[sp.Start] == ' ' || text[sp.Start] == '\t') {
		sp.Start++
	}
	for sp.End > sp.Start && (text[sp.End-1] == ' ' || text[sp.End-1] == '\t') {
		sp.End--
	}
	return sp
}

// endOf is the empty span at the end of sp, where something is missing.
func endOf(sp Span) Span { return Span{sp.End, sp.End} }
