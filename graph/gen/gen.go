// Package gen generates synthetic benchmark corpora for seedls: entity
// files in the format of the real exports (see seeds/) and writer documents
// (Markdown and LaTeX) that cite them.
//
// A corpus is a pure function of its Options: the same Options give the same
// files, byte for byte, in the same order, on every platform.
//
// Layout:
//
//	entities/000/000000_3f2a9c1b5d7e8f01.txt   at most 1000 files a folder
//	entities/001/001000_...txt
//	docs/00000_towards-honest-agents.md        Markdown and LaTeX drafts
//	docs/00001_....tex
//
// Decisions the two real files leave open, as this generator takes them:
//   - Typed groups come in a fixed order (Papers, Findings, Claims,
//     Hypotheses, Concepts, Questions), as in the seeds, whose order is not
//     by count despite the "ranked by edge-count" header.
//   - An unlinked entity keeps the "Neighborhood — ranked by edge-count"
//     line, with no group under it.
//   - "Related by similarity" is always present; "Restated by" only on some
//     entities (the first seed has none) and always last.
//   - Paper items in a "Papers" group use the relation word extracted_from,
//     which the seeds show in provenance lines.
//   - Titles never end in a relation word or a kind ("…reward model"), so
//     that every glued item has one reading; non-ASCII letters in titles
//     (ρ, ö, 𝔼) are dropped by the slug rule like any other separator.
//   - A near-duplicate (one title word inserted, deleted or substituted) and
//     a second file with an existing id both list the entity they copy under
//     "Restated by"; other Restated sections name random entities.
//   - Half the "Papers" groups list no item under their count, like the
//     seed's "Papers (1)"; about a tenth of other groups announce one or two
//     items more than they list.
//   - Writer documents lie flat under docs/ and, like entity files, end
//     without a newline.
package gen

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// Options controls a corpus; the same Options always give byte-identical output.
type Options struct {
	Entities  int    // number of entity files
	Documents int    // number of writer documents (Markdown and LaTeX); 0: Entities/100, at least 1; negative: none
	Seed      uint64 // 0: 1
	// Truth plants the cases resolution finds hard (see truth.go) and
	// emits truth.json last: what each neighbour item was written to
	// name and the diagnostics each file should get. Without it a corpus
	// is byte for byte what earlier versions wrote: benchmark corpora are
	// cached by their options.
	Truth bool
}

// File is one generated file. Name is a slash-separated relative path. The
// receiver owns Data.
type File struct {
	Name string
	Data []byte
}

type kind uint8

const (
	claim kind = iota
	finding
	paper
	concept
	question
	hypothesis
	method
	dataset
	kindCount
)

var kindNames = [kindCount]string{"claim", "finding", "paper", "concept", "question", "hypothesis", "method", "dataset"}

// kindWeights in percent.
var kindWeights = [kindCount]int{38, 30, 6, 7, 6, 6, 4, 3}

// groupOrder is the order of typed groups in a file, with their labels.
var groupOrder = []kind{paper, finding, claim, hypothesis, concept, question}

var groupLabels = [kindCount]string{
	claim: "Claims", finding: "Findings", paper: "Papers", concept: "Concepts",
	question: "Questions", hypothesis: "Hypotheses",
}

var statuses = []string{"active", "deprecated", "retracted", "draft", "merged"}

// Rates.
const (
	nearRate     = 0.005 // near-duplicate titles
	exactRate    = 0.002 // second files with an existing id
	fakeTyped    = 0.20  // typed neighbours that are not in the corpus
	fakeSimilar  = 0.10  // similarity neighbours that are not in the corpus
	unlinkedRate = 0.03  // claims without typed groups
	restatedRate = 0.045 // Restated by sections besides the duplicates'
	inactiveRate = 0.02  // status other than active
	misspeltRate = 0.03  // citations with one slug character changed
	missingRate  = 0.01  // citations of ids that do not exist
)

// Header lines, byte for byte as in the seeds.
const (
	provenanceHeader = "Source paper"
	neighbourhood    = "Neighborhood — ranked by edge-count"
	similarHeader    = "Related by similarity"
	similarNote      = "cosine ≥ 0.65 · no typed edgeEntities in the same semantic neighborhood but without a typed relation to this one — candidates for new edges or unrecognized duplicates."
	restatedHeader   = "Restated by"
	restatedNote     = "cosine ≥ 0.90Other entities that say roughly the same thing. May be merge candidates or independent restatements across papers."
)

const (
	roleOriginal uint8 = iota
	roleNear           // title one word away from an earlier entity's
	roleExact          // same id line as an earlier entity
)

type entity struct {
	id, title, summary string
	name               uint64 // the hex part of the file name
	of                 int32  // the earlier entity a duplicate copies, or -1
	cluster            int32  // index of the provenance line
	kind               kind
	status             uint8
	role               uint8
}

type corpus struct {
	n, docs  int
	seed     uint64
	ents     []entity
	byKind   [kindCount][]int32
	slugs    map[string]struct{} // every slug in the corpus, whatever its kind
	clusters []string            // provenance lines
	// fid is the truth mode's own random stream, nil otherwise: every
	// choice only that mode makes draws from it, so that the default
	// corpus draws exactly what it always drew.
	fid   *rand.Rand
	truth *truth
}

// Generate streams the files of a corpus to emit, entity files first (in
// index order), then documents. It stops at emit's first error.
func Generate(opt Options, emit func(File) error) error {
	if opt.Entities < 1 {
		return errors.New("gen: Entities must be at least 1")
	}
	c := &corpus{n: opt.Entities, docs: opt.Documents, seed: opt.Seed}
	if c.seed == 0 {
		c.seed = 1
	}
	switch {
	case c.docs == 0:
		c.docs = max(1, c.n/100)
	case c.docs < 0:
		c.docs = 0
	}
	if opt.Truth {
		c.fid = rand.New(rand.NewPCG(c.seed, 0x5eed1e5000000004))
		c.truth = &truth{lonely: map[int32]bool{}}
	}
	c.plan(rand.New(rand.NewPCG(c.seed, 0x5eed1e5000000001)))
	if c.truth != nil {
		c.truth.ents = make([]entityTruth, c.n)
	}
	if err := c.entities(rand.New(rand.NewPCG(c.seed, 0x5eed1e5000000002)), emit); err != nil {
		return err
	}
	if err := c.documents(rand.New(rand.NewPCG(c.seed, 0x5eed1e5000000003)), emit); err != nil {
		return err
	}
	if c.truth != nil {
		return emit(File{Name: TruthName, Data: c.truthJSON()})
	}
	return nil
}

// WriteDir writes a corpus under dir, creating folders as needed. Files
// already there are overwritten; others are left alone.
func WriteDir(dir string, opt Options) error {
	_, err := WriteDirStats(dir, opt)
	return err
}

// Stats counts what WriteDirStats wrote.
type Stats struct {
	Files int
	Bytes int64
}

// WriteDirStats is WriteDir, also reporting how many files and bytes it
// wrote. One goroutine writes while the next files are generated (more
// writers only contend for the shard folder's lock); what is written does not
// depend on it.
func WriteDirStats(dir string, opt Options) (Stats, error) {
	var (
		st    Stats
		mu    sync.Mutex
		first error // the first write error
		wg    sync.WaitGroup
	)
	failed := func() error {
		mu.Lock()
		defer mu.Unlock()
		return first
	}
	jobs := make(chan File, 64)
	wg.Add(1)
	go func() {
		defer wg.Done()
		for f := range jobs {
			if failed() != nil {
				continue // drain
			}
			if err := os.WriteFile(filepath.Join(dir, filepath.FromSlash(f.Name)), f.Data, 0o644); err != nil {
				mu.Lock()
				if first == nil {
					first = err
				}
				mu.Unlock()
			}
		}
	}()
	made := ""
	err := Generate(opt, func(f File) error {
		if err := failed(); err != nil {
			return err
		}
		if d := filepath.Dir(filepath.Join(dir, filepath.FromSlash(f.Name))); d != made {
			if err := os.MkdirAll(d, 0o755); err != nil {
				return err
			}
			made = d
		}
		jobs <- f
		st.Files++
		st.Bytes += int64(len(f.Data))
		return nil
	})
	close(jobs)
	wg.Wait()
	if err == nil {
		err = failed()
	}
	return st, err
}

func pickKind(r *rand.Rand) kind {
	x := r.IntN(100)
	for k := range kindCount {
		if x < kindWeights[k] {
			return k
		}
		x -= kindWeights[k]
	}
	return claim
}

func pickStatus(r *rand.Rand) uint8 {
	if chance(r, inactiveRate) {
		return uint8(1 + r.IntN(len(statuses)-1))
	}
	return 0
}

// plan draws every entity's kind, title, summary and provenance: all that
// neighbours and citations refer to.
func (c *corpus) plan(r *rand.Rand) {
	n := c.n
	c.ents = make([]entity, n)
	c.slugs = make(map[string]struct{}, n)
	roles := make([]uint8, n)
	nNear := int(float64(n)*nearRate + 0.5)
	nExact := int(float64(n)*exactRate + 0.5)
	if c.fid != nil {
		nExact = int(float64(n)*truthExactRate + 0.5)
	}
	if n > 1 {
		nNear = min(nNear, (n-1)/3)
		nExact = min(nExact, (n-1)/3)
		for placed := 0; placed < nNear+nExact; {
			p := 1 + r.IntN(n-1)
			if roles[p] != roleOriginal {
				continue
			}
			roles[p] = roleNear
			if placed >= nNear {
				roles[p] = roleExact
			}
			placed++
		}
	}
	left := 0
	for i := range c.ents {
		if left == 0 {
			left = 5 + r.IntN(56)
			c.clusters = append(c.clusters, provenance(r))
		}
		left--
		e := &c.ents[i]
		e.of = -1
		e.cluster = int32(len(c.clusters) - 1)
		switch roles[i] {
		case roleNear:
			c.planNear(r, i, e)
		case roleExact:
			j := c.earlier(r, i, func(o *entity) bool { return true })
			o := &c.ents[j]
			e.role, e.of, e.kind = roleExact, int32(j), o.kind
			e.title, e.id = o.title, o.id
			e.summary = genSummary(r, e.kind)
			e.status = pickStatus(r)
			if chance(r, 0.5) {
				e.status = 4 // merged
			}
			if c.fid != nil {
				c.planTwin(i, e)
			}
		}
		if e.role == roleOriginal {
			e.kind = pickKind(r)
			e.status = pickStatus(r)
			e.title, e.id = c.uniqueTitle(r, e.kind)
			e.summary = genSummary(r, e.kind)
		}
		e.name = r.Uint64()
		c.byKind[e.kind] = append(c.byKind[e.kind], int32(i))
	}
}

// earlier picks an original entity before i that satisfies ok.
func (c *corpus) earlier(r *rand.Rand, i int, ok func(*entity) bool) int {
	for range 100 {
		j := r.IntN(i)
		if o := &c.ents[j]; o.role == roleOriginal && ok(o) {
			return j
		}
	}
	for j := range i {
		if o := &c.ents[j]; o.role == roleOriginal && ok(o) {
			return j
		}
	}
	return -1
}

// planNear makes e a near-duplicate of an earlier entity of the same kind,
// or leaves it an original when no edit works.
func (c *corpus) planNear(r *rand.Rand, i int, e *entity) {
	j := c.earlier(r, i, func(o *entity) bool { return o.kind != concept })
	if j < 0 {
		return
	}
	o := &c.ents[j]
	for range 20 {
		t := nearTitle(r, o.title)
		if t == "" {
			continue
		}
		s := slug(t)
		if _, dup := c.slugs[s]; dup {
			continue
		}
		e.role, e.of, e.kind = roleNear, int32(j), o.kind
		e.title, e.id = t, kindNames[o.kind]+":"+s
		c.slugs[e.id[len(kindNames[o.kind])+1:]] = struct{}{} // shares the id's bytes
		e.status = pickStatus(r)
		if chance(r, 0.4) {
			e.summary = o.summary
		} else {
			e.summary = genSummary(r, e.kind)
		}
		return
	}
}

// uniqueTitle draws titles until one has a slug not yet in the corpus, and
// returns it with its id.
func (c *corpus) uniqueTitle(r *rand.Rand, k kind) (title, id string) {
	for try := 0; ; try++ {
		t := genTitle(r, k)
		if c.fid != nil {
			t = c.relationEnding(t, k)
		}
		if try > 50 {
			// Concepts are short: after many collisions, qualify one.
			t += " " + strconv.Itoa(try)
		}
		s := slug(t)
		if _, dup := c.slugs[s]; dup || s == "" {
			continue
		}
		id := kindNames[k] + ":" + s
		c.slugs[id[len(kindNames[k])+1:]] = struct{}{} // shares the id's bytes
		return t, id
	}
}

func provenance(r *rand.Rand) string {
	var b strings.Builder
	b.WriteString("extracted_from(")
	b.WriteString(strconv.Itoa(2016 + r.IntN(10)))
	b.WriteString(")")
	for i, m := 0, 1+r.IntN(4); i < m; i++ {
		b.WriteString(" · ")
		b.WriteString(pick(r, firstNames))
		b.WriteString(" ")
		b.WriteString(pick(r, lastNames))
	}
	if chance(r, 0.7) {
		b.WriteString(" +")
		b.WriteString(strconv.Itoa(1 + r.IntN(12)))
	}
	return b.String()
}

// neighbour is what an item names: an entity of the corpus or a made-up one.
type neighbour struct {
	kind           kind
	title, summary string
	of             int32 // the entity, or -1 for a made-up one
	titled         bool  // truth mode: write it with its title and summary
}

func (c *corpus) real(j int32) neighbour {
	e := &c.ents[j]
	return neighbour{kind: e.kind, title: e.title, summary: e.summary, of: j}
}

// fake makes a neighbour of kind k that is not in the corpus.
func (c *corpus) fake(r *rand.Rand, k kind) neighbour {
	for {
		t := genTitle(r, k)
		if c.fid != nil {
			t = c.relationEnding(t, k)
		}
		if _, dup := c.slugs[slug(t)]; !dup {
			return neighbour{kind: k, title: t, summary: genSummary(r, k), of: -1}
		}
	}
}

// near picks an entity of kind k other than i, near i in the corpus with
// probability 0.6; -1 if there is none.
func (c *corpus) near(r *rand.Rand, k kind, i int) int32 {
	list := c.byKind[k]
	if len(list) == 0 || len(list) == 1 && int(list[0]) == i {
		return -1
	}
	for {
		var q int
		if chance(r, 0.6) {
			p := sort.Search(len(list), func(x int) bool { return int(list[x]) >= i })
			q = min(max(p+r.IntN(61)-30, 0), len(list)-1)
		} else {
			q = r.IntN(len(list))
		}
		if int(list[q]) != i {
			return list[q]
		}
	}
}

// nearAny picks an entity of any kind other than i, near i with probability 0.6.
func (c *corpus) nearAny(r *rand.Rand, i int) int32 {
	for {
		var j int
		if chance(r, 0.6) {
			j = min(max(i+r.IntN(101)-50, 0), c.n-1)
		} else {
			j = r.IntN(c.n)
		}
		if j != i || c.n == 1 {
			return int32(j)
		}
	}
}

var relations = []string{"supports", "supports", "supports", "supports", "associated_with", "associated_with",
	"about", "contradicts", "refines", "extends"}

func (c *corpus) entities(r *rand.Rand, emit func(File) error) error {
	var b []byte
	for i := range c.ents {
		b = c.render(r, b[:0], i)
		if err := emit(File{Name: c.entityName(i), Data: slices.Clone(b)}); err != nil {
			return err
		}
	}
	return nil
}

func (c *corpus) entityName(i int) string {
	return fmt.Sprintf("entities/%03d/%06d_%016x.txt", i/1000, i, c.ents[i].name)
}

func (c *corpus) render(r *rand.Rand, b []byte, i int) []byte {
	e := &c.ents[i]
	lineNo := 0
	line := func(s ...string) {
		if len(b) > 0 {
			b = append(b, '\n')
		}
		lineNo++
		for _, x := range s {
			b = append(b, x...)
		}
	}
	// item writes a neighbour item: title, glue (relation words, or a
	// kind and a score) and summary, or its summary alone when glue is "".
	item := func(sec section, k kind, nb neighbour, glue string) {
		if glue == "" {
			line("- ", nb.summary)
		} else {
			line("- ", nb.title, glue, nb.summary)
		}
		if c.truth != nil {
			c.truth.item(i, lineNo, sec, k, nb, glue != "")
		}
	}
	line(kindNames[e.kind])
	line(statuses[e.status])
	line(e.id, e.title)
	line(e.summary)
	line(provenanceHeader)
	line(c.clusters[e.cluster])
	line(neighbourhood)

	// Typed groups.
	ngroups := 0
	if !(e.kind == claim && chance(r, unlinkedRate)) && !(c.fid != nil && c.lonely(i)) {
		switch x := r.IntN(100); {
		case x < 20:
			ngroups = 1
		case x < 55:
			ngroups = 2
		case x < 85:
			ngroups = 3
		default:
			ngroups = 4
		}
	}
	order := [6]int{0, 1, 2, 3, 4, 5}
	for g := range ngroups {
		h := g + r.IntN(6-g)
		order[g], order[h] = order[h], order[g]
	}
	chosen := order[:ngroups]
	slices.Sort(chosen)
	var seen []int32
	for _, g := range chosen {
		k := groupOrder[g]
		items := 0
		switch k {
		case paper:
			items = 1 + r.IntN(2)
		case finding:
			items = 1 + r.IntN(5)
		case claim:
			items = 1 + r.IntN(4)
		default:
			items = 1 + r.IntN(3)
		}
		count := items
		if k == paper && chance(r, 0.5) {
			items = 0
		} else if chance(r, 0.1) {
			count += 1 + r.IntN(2)
		}
		line(groupLabels[k], " (", strconv.Itoa(count), ")")
		line(kindNames[k])
		if c.truth != nil {
			c.truth.ents[i].typed = true
		}
		seen = seen[:0]
		for range items {
			nb := c.pickNeighbour(r, k, i, &seen, fakeTyped, typed)
			if form := r.IntN(100); k == concept && form < 80 || k != concept && form < 50 || nb.titled {
				rel := pick(r, relations)
				switch {
				case k == concept:
					rel = "about"
				case k == paper && chance(r, 0.7):
					rel = "extracted_from"
				}
				if rel != "associated_with" && chance(r, 0.15) {
					rel = "associated_with" + rel // two relation words, as in the seeds
				}
				if c.fid != nil {
					rel = c.relationChain(rel, nb)
				}
				item(typed, k, nb, rel)
			} else {
				item(typed, k, nb, "")
			}
		}
	}

	// Related by similarity.
	count := 3 + r.IntN(7)
	items := count
	switch x := r.IntN(100); {
	case x < 8:
		items = count - 1 - r.IntN(2)
	case x < 10:
		items = 0
	}
	line(similarHeader, " (", strconv.Itoa(count), ")")
	line(similarNote)
	seen = seen[:0]
	hi := 899
	for range items {
		var nb neighbour
		if chance(r, fakeSimilar) {
			nb = c.fake(r, kind(r.IntN(int(kindCount))))
		} else {
			j := c.nearAny(r, i)
			for t := 0; t < 3 && slices.Contains(seen, j); t++ {
				j = c.nearAny(r, i)
			}
			seen = append(seen, j)
			nb = c.real(j)
		}
		if chance(r, 0.25) && hi > 750 {
			hi -= r.IntN(min(30, hi-749))
			item(similar, nb.kind, nb, kindNames[nb.kind]+score(r, hi, hi))
		} else {
			item(similar, nb.kind, nb, "")
		}
	}

	// Restated by.
	switch {
	case e.role != roleOriginal:
		line(restatedHeader, " (1)")
		line(restatedNote)
		o := c.real(e.of)
		s := score(r, 900, 989)
		if e.role == roleExact {
			s = score(r, 990, 999)
		}
		item(restated, o.kind, o, kindNames[o.kind]+s)
	case chance(r, restatedRate):
		items := 0
		switch x := r.IntN(10); {
		case x < 3:
		case x < 8:
			items = 1
		default:
			items = 2
		}
		count := items
		if items == 0 || chance(r, 0.2) {
			count++
		}
		line(restatedHeader, " (", strconv.Itoa(count), ")")
		line(restatedNote)
		seen = seen[:0]
		for range items {
			nb := c.pickNeighbour(r, e.kind, i, &seen, 0.5, restated)
			if chance(r, 0.6) || nb.titled {
				item(restated, nb.kind, nb, kindNames[nb.kind]+score(r, 900, 960))
			} else {
				item(restated, nb.kind, nb, "")
			}
		}
	}
	return b
}

// pickNeighbour names an entity of kind k other than i and not in seen, or,
// with probability fakeP (or when there is none), a made-up one.
func (c *corpus) pickNeighbour(r *rand.Rand, k kind, i int, seen *[]int32, fakeP float64, sec section) neighbour {
	if chance(r, fakeP) {
		return c.fake(r, k)
	}
	j := c.near(r, k, i)
	for t := 0; t < 3 && j >= 0 && slices.Contains(*seen, j); t++ {
		j = c.near(r, k, i)
	}
	if c.fid != nil {
		if nb, ok := c.pickTwin(k, i, seen, sec); ok {
			return nb
		}
		if j >= 0 && sec == typed && c.lonely(int(j)) {
			j = -1 // a lonely twin is listed by no typed group
		}
	}
	if j < 0 {
		return c.fake(r, k)
	}
	*seen = append(*seen, j)
	return c.real(j)
}
