package gen

import (
	"bytes"
	"encoding/json"
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The truth mode (Options.Truth) plants, on top of the default corpus,
// what a neighbour's resolution finds hard, and writes down what each
// item was written to name:
//   - titles ending in a relation word, as a whole word ("… that the
//     method generalizes") or as a word's tail ("… and their causes",
//     "… are strongly correlated"), for entities and made-up neighbours;
//   - relation words glued two at a time before real neighbours
//     ("supportsabout"), so that the longer reading of the title is not
//     the right one and only resolution can tell;
//   - more duplicate ids (truthExactRate), listed by title and summary in
//     typed groups and "Restated by" sections, so that the summary tells
//     which of the two files an item names;
//   - "lonely" twins: a claim copying another's id, with no typed group,
//     that no typed group lists: unlinked, though items name its id.
//
// Made-up neighbours get only the relation words the default corpus
// glues (one, or associated_with and one): an item naming nothing
// cannot say where its title ends, and seedls takes the longest title
// then; a made-up "…supportsabout" would be read differently from how
// it was written, and nothing in the file could tell.
//
// The truth is computed from what the generator knows (each item's
// title, summary and the entity it was written for), by the rules the
// README states, independently of seedls' code: which entities an item
// names, and so every diagnostic of every file.

// TruthName is the file the truth mode writes last, at the corpus root
// (seedls reads no .json file).
const TruthName = "truth.json"

const truthExactRate = 0.01 // second files with an existing id, in the truth mode

// Truth is what a corpus was written to say.
type Truth struct {
	Files []FileTruth `json:"files"`
}

// FileTruth is one file's items (entity files) and the diagnostics it
// should get. Paths are slash-separated and relative to the corpus root.
type FileTruth struct {
	Path        string            `json:"path"`
	ID          string            `json:"id,omitempty"` // an entity file's id
	Items       []ItemTruth       `json:"items,omitempty"`
	Diagnostics []DiagnosticTruth `json:"diagnostics,omitempty"`
}

// ItemTruth is one neighbour item.
type ItemTruth struct {
	Line    int    `json:"line"`    // 1-based
	Section string `json:"section"` // typed, similar or restated
	// Title is the title as written, "" when the item is one text.
	Title string `json:"title,omitempty"`
	// Meant is the entity file the item was written for, "" for a
	// made-up neighbour.
	Meant string `json:"meant,omitempty"`
	// Names are the entity files the item names: Meant, and every other
	// entity that its text cannot be told from (a near duplicate sharing
	// the summary an item consists of; a duplicated id whose summaries do
	// not decide).
	Names []string `json:"names"`
}

// DiagnosticTruth is a diagnostic as `seedls check` reports it: 1-based
// lines and columns counted in characters, the end exclusive.
type DiagnosticTruth struct {
	Line      int    `json:"line"`
	Column    int    `json:"column"`
	EndLine   int    `json:"endLine"`
	EndColumn int    `json:"endColumn"`
	Code      string `json:"code"`
	// Related are the other files the diagnostic names (duplicates, near
	// duplicates, restating entities, the definitions cited).
	Related []string `json:"related,omitempty"`
}

type section uint8

const (
	typed section = iota
	similar
	restated
)

var sectionNames = [...]string{"typed", "similar", "restated"}

type truth struct {
	twins  [kindCount][]int32 // entities whose id another file shares
	lonely map[int32]bool     // twins no typed group lists
	ents   []entityTruth
	docs   []docTruth
}

type entityTruth struct {
	items []itemTruth
	typed bool // has a typed group
}

type itemTruth struct {
	line   int32
	sec    section
	kind   kind // the group's kind (typed), or the kind glued before the score
	titled bool // written with its title
	nb     neighbour
}

type docTruth struct {
	name, text string
	ids        []string // cited, in order
}

func (t *truth) item(i, line int, sec section, k kind, nb neighbour, titled bool) {
	e := &t.ents[i]
	e.items = append(e.items, itemTruth{line: int32(line), sec: sec, kind: k, titled: titled, nb: nb})
}

// planTwin notes a second file with an existing id, and makes half of
// the claims among them lonely.
func (c *corpus) planTwin(i int, e *entity) {
	t := c.truth
	if len(t.twins[e.kind]) == 0 || !slices.Contains(t.twins[e.kind], e.of) {
		t.twins[e.kind] = append(t.twins[e.kind], e.of)
	}
	t.twins[e.kind] = append(t.twins[e.kind], int32(i))
	if e.kind == claim && chance(c.fid, 0.5) {
		t.lonely[int32(i)] = true
	}
}

func (c *corpus) lonely(i int) bool { return c.truth.lonely[int32(i)] }

// pickTwin names, now and then, an entity whose id another file shares,
// by title and summary.
func (c *corpus) pickTwin(k kind, i int, seen *[]int32, sec section) (neighbour, bool) {
	p := 0.04
	if sec == restated {
		p = 0.3
	}
	list := c.truth.twins[k]
	if len(list) == 0 || !chance(c.fid, p) {
		return neighbour{}, false
	}
	j := list[c.fid.IntN(len(list))]
	if int(j) == i || sec == typed && c.lonely(int(j)) || slices.Contains(*seen, j) {
		return neighbour{}, false
	}
	*seen = append(*seen, j)
	nb := c.real(j)
	nb.titled = true
	return nb, true
}

// relationEndings end a title in a relation word: whole, or as the tail
// of a longer word.
var relationEndings = []string{
	"while generalizes", "that the method generalizes", "that this result supports",
	"that the benchmark measures", "that the probe tests", "that the agent uses",
	"that the survey cites", "that the follow-up extends", "that the ablation refines",
	"that the study answers", "that the analysis addresses", "that the result motivates",
	"that the framework proposes", "that the metric evaluates", "whatever it depends",
	"and their causes", "and its misuses", "are strongly correlated", "remain unrelated",
	"across contests", "in pretests", "despite protests", "that it recites", "by a roundabout",
}

// relationEnding gives some titles of kinds listed in typed groups a
// relation word at their end.
func (c *corpus) relationEnding(t string, k kind) string {
	if k == concept || k == question || !chance(c.fid, 0.03) {
		return t
	}
	return t + " " + pick(c.fid, relationEndings)
}

// chainHeads are relation words glued before another before real
// neighbours.
var chainHeads = []string{"supports", "extends", "uses", "tests", "refines"}

func (c *corpus) relationChain(rel string, nb neighbour) string {
	if nb.of < 0 || !chance(c.fid, 0.1) {
		return rel
	}
	return pick(c.fid, chainHeads) + rel
}

// truthJSON works out what every item names and what every file should
// be told.
func (c *corpus) truthJSON() []byte {
	t := c.truth
	n := len(c.ents)
	paths := make([]string, n)
	ids := map[string][]int32{}
	texts := map[string][]int32{}
	for i := range c.ents {
		e := &c.ents[i]
		paths[i] = c.entityName(i)
		ids[e.id] = append(ids[e.id], int32(i))
		tt, st := norm(e.title), norm(e.summary)
		texts[tt] = append(texts[tt], int32(i))
		if st != tt {
			texts[st] = append(texts[st], int32(i))
		}
	}
	ofKind := func(list []int32, k string) []int32 {
		var out []int32
		for _, j := range list {
			if k == "" || kindNames[c.ents[j].kind] == k {
				out = append(out, j)
			}
		}
		return out
	}
	// bySummary keeps, of several, those with the item's summary: unless
	// none has it.
	bySummary := func(list []int32, summary string) []int32 {
		if len(list) < 2 || summary == "" {
			return list
		}
		var out []int32
		for _, j := range list {
			if norm(c.ents[j].summary) == norm(summary) {
				out = append(out, j)
			}
		}
		if len(out) == 0 {
			return list
		}
		return out
	}
	// names applies the README's resolution to an item as written: by
	// id (KIND:slug of the title, or of the whole text), else by the
	// title's (or the text's) text, else by the summary's text; among
	// several, the summary decides.
	names := func(it *itemTruth) []int32 {
		k := kindNames[it.kind]
		if !it.titled {
			if it.sec != typed {
				k = ""
			}
			text := it.nb.summary
			if k != "" {
				if l := ids[k+":"+slug(text)]; len(l) > 0 {
					return l
				}
			}
			return ofKind(texts[norm(text)], k)
		}
		if l := ids[k+":"+slug(it.nb.title)]; len(l) > 0 {
			return bySummary(l, it.nb.summary)
		}
		if l := ofKind(texts[norm(it.nb.title)], k); len(l) > 0 {
			return bySummary(l, it.nb.summary)
		}
		return ofKind(texts[norm(it.nb.summary)], k)
	}

	out := Truth{Files: make([]FileTruth, 0, n+len(t.docs))}
	resolved := make([][][]int32, n)
	listedTyped := make([]bool, n) // by a typed item of another entity
	for i := range c.ents {
		resolved[i] = make([][]int32, len(t.ents[i].items))
		for ii := range t.ents[i].items {
			it := &t.ents[i].items[ii]
			r := names(it)
			resolved[i][ii] = r
			if it.sec == typed {
				for _, j := range r {
					if int(j) != i {
						listedTyped[j] = true
					}
				}
			}
		}
	}
	near := c.nearDuplicates()
	pathsOf := func(list []int32) []string {
		out := make([]string, 0, len(list))
		for _, j := range list {
			out = append(out, paths[j])
		}
		sort.Strings(out)
		return out
	}
	for i := range c.ents {
		e := &c.ents[i]
		ft := FileTruth{Path: paths[i], ID: e.id}
		idSpan := func(code string, related []int32) {
			ft.Diagnostics = append(ft.Diagnostics, DiagnosticTruth{Line: 3, Column: 1, EndLine: 3, EndColumn: 1 + len(e.id), Code: code, Related: pathsOf(related)})
		}
		if defs := ids[e.id]; len(defs) > 1 {
			idSpan("duplicate-id", without(defs, int32(i)))
		}
		if len(near[i]) > 0 {
			idSpan("near-duplicate", near[i])
		}
		if e.kind == claim && !t.ents[i].typed && !listedTyped[i] {
			idSpan("unlinked-claim", nil)
		}
		for ii := range t.ents[i].items {
			it := &t.ents[i].items[ii]
			r := resolved[i][ii]
			name := it.nb.summary
			if it.titled {
				name = it.nb.title
			}
			ix := ItemTruth{Line: int(it.line), Section: sectionNames[it.sec], Names: pathsOf(r)}
			if it.titled {
				ix.Title = it.nb.title
			}
			if it.nb.of >= 0 {
				ix.Meant = paths[it.nb.of]
			}
			ft.Items = append(ft.Items, ix)
			d := DiagnosticTruth{Line: int(it.line), Column: 3, EndLine: int(it.line), EndColumn: 3 + utf8.RuneCountInString(name)}
			switch others := without(r, int32(i)); {
			case len(r) == 0:
				d.Code = "unresolved-neighbour"
			case it.sec == restated && len(others) > 0:
				d.Code, d.Related = "restated", pathsOf(others)
			default:
				continue
			}
			ft.Diagnostics = append(ft.Diagnostics, d)
		}
		sortDiagnostics(ft.Diagnostics)
		out.Files = append(out.Files, ft)
	}
	for _, d := range t.docs {
		out.Files = append(out.Files, c.docTruth(d, ids, pathsOf))
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", " ")
	enc.Encode(out)
	return b.Bytes()
}

// docTruth finds each citation in the document's text, in order, and
// tells what it should get: unknown-reference for an id no file defines,
// inactive-reference for one whose every definition is inactive.
func (c *corpus) docTruth(d docTruth, ids map[string][]int32, pathsOf func([]int32) []string) FileTruth {
	ft := FileTruth{Path: d.name}
	at, line, col := 0, 1, 1
	for _, id := range d.ids {
		k := strings.Index(d.text[at:], id)
		if k < 0 {
			panic("gen: citation " + id + " not found in " + d.name)
		}
		for _, r := range d.text[at : at+k] {
			if r == '\n' {
				line, col = line+1, 1
			} else {
				col++
			}
		}
		at += k
		defs := ids[id]
		dt := DiagnosticTruth{Line: line, Column: col, EndLine: line, EndColumn: col + len(id)}
		active := false
		for _, j := range defs {
			active = active || c.ents[j].status == 0
		}
		switch {
		case len(defs) == 0:
			dt.Code = "unknown-reference"
		case !active:
			dt.Code, dt.Related = "inactive-reference", pathsOf(defs)
		}
		if dt.Code != "" {
			ft.Diagnostics = append(ft.Diagnostics, dt)
		}
		at += len(id)
		col += len(id)
	}
	sortDiagnostics(ft.Diagnostics)
	return ft
}

func sortDiagnostics(ds []DiagnosticTruth) {
	sort.Slice(ds, func(a, b int) bool {
		x, y := ds[a], ds[b]
		if x.Line != y.Line {
			return x.Line < y.Line
		}
		if x.Column != y.Column {
			return x.Column < y.Column
		}
		return x.Code < y.Code
	})
}

func without(list []int32, i int32) []int32 {
	var out []int32
	for _, j := range list {
		if j != i {
			out = append(out, j)
		}
	}
	return out
}

// norm is the text comparison of the README: ASCII case and runs of
// spaces ignored.
func norm(s string) string {
	var b strings.Builder
	space := false
	for i := 0; i < len(s); i++ {
		ch := s[i]
		if ch == ' ' || ch == '\t' {
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		if ch >= 'A' && ch <= 'Z' {
			ch += 'a' - 'A'
		}
		b.WriteByte(ch)
	}
	return b.String()
}

// titleWords splits a title on non-alphanumerics into lower-cased words.
func titleWords(title string) []string {
	return strings.FieldsFunc(strings.ToLower(title), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
}

// nearDuplicates finds, for each entity, the others of its kind, with
// another id, whose title words are equal to its own, or one word
// inserted or deleted, or one substituted in titles of three words or
// more: every title files itself under its words, each of its one-word
// deletions and each of its one-word wildcards, and two titles are near
// when one's words are a key of the other.
func (c *corpus) nearDuplicates() [][]int32 {
	type bucket = map[string][]int32
	whole, deleted, wild := bucket{}, bucket{}, bucket{}
	key := func(k kind, tag string, ws []string) string {
		return kindNames[k] + "\x00" + tag + "\x00" + strings.Join(ws, "\x01")
	}
	words := make([][]string, len(c.ents))
	for i := range c.ents {
		e := &c.ents[i]
		ws := titleWords(e.title)
		words[i] = ws
		if len(ws) == 0 {
			continue
		}
		whole[key(e.kind, "", ws)] = append(whole[key(e.kind, "", ws)], int32(i))
		for p := range ws {
			d := slices.Concat(ws[:p], ws[p+1:])
			if len(d) > 0 {
				k := key(e.kind, "", d)
				deleted[k] = append(deleted[k], int32(i))
			}
			if len(ws) >= 3 {
				w := slices.Clone(ws)
				w[p] = "\x02"
				k := key(e.kind, "*", w)
				wild[k] = append(wild[k], int32(i))
			}
		}
	}
	out := make([][]int32, len(c.ents))
	add := func(a, b int32) {
		if a == b || c.ents[a].id == c.ents[b].id || slices.Contains(out[a], b) {
			return
		}
		out[a] = append(out[a], b)
		out[b] = append(out[b], a)
	}
	for i := range c.ents {
		if len(words[i]) == 0 {
			continue
		}
		k := key(c.ents[i].kind, "", words[i])
		for _, j := range whole[k] {
			add(int32(i), j)
		}
		for _, j := range deleted[k] { // j is i with a word inserted
			add(int32(i), j)
		}
	}
	for _, list := range wild {
		for a := range list {
			for b := a + 1; b < len(list); b++ {
				add(list[a], list[b])
			}
		}
	}
	return out
}
