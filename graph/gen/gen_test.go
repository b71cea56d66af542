package gen_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/seedls/seedls/graph/gen"
)

// slugOf is the id rule, written independently of the generator's: ASCII
// letters lower-cased, every run of other characters replaced by one '-',
// '-' trimmed.
func slugOf(title string) string {
	var b strings.Builder
	pending := false
	for _, c := range []byte(title) {
		switch {
		case c >= 'A' && c <= 'Z':
			c += 'a' - 'A'
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
		default:
			pending = b.Len() > 0
			continue
		}
		if pending {
			b.WriteByte('-')
			pending = false
		}
		b.WriteByte(c)
	}
	return b.String()
}

func collect(t *testing.T, opt gen.Options) []gen.File {
	t.Helper()
	var files []gen.File
	if err := gen.Generate(opt, func(f gen.File) error {
		files = append(files, f)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return files
}

func digest(t *testing.T, opt gen.Options) (string, int) {
	t.Helper()
	h := sha256.New()
	n := 0
	if err := gen.Generate(opt, func(f gen.File) error {
		fmt.Fprintf(h, "%s\x00%d\x00", f.Name, len(f.Data))
		h.Write(f.Data)
		n++
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("%x", h.Sum(nil)), n
}

func TestDeterministic(t *testing.T) {
	opt := gen.Options{Entities: 1500, Documents: 30, Seed: 7}
	a, na := digest(t, opt)
	b, nb := digest(t, opt)
	if a != b || na != nb {
		t.Fatalf("two runs differ: %s (%d files) vs %s (%d files)", a, na, b, nb)
	}
	opt.Seed = 8
	if c, _ := digest(t, opt); c == a {
		t.Fatal("another seed gives the same corpus")
	}
	// Seed 0 means seed 1.
	d0, _ := digest(t, gen.Options{Entities: 200})
	d1, _ := digest(t, gen.Options{Entities: 200, Seed: 1})
	if d0 != d1 {
		t.Fatal("Seed 0 is not the default seed 1")
	}
}

func TestDocumentsDoNotChangeEntities(t *testing.T) {
	ents := func(docs int) string {
		h := sha256.New()
		for _, f := range collect(t, gen.Options{Entities: 500, Documents: docs}) {
			if strings.HasPrefix(f.Name, "entities/") {
				h.Write([]byte(f.Name))
				h.Write(f.Data)
			}
		}
		return fmt.Sprintf("%x", h.Sum(nil))
	}
	if ents(1) != ents(40) {
		t.Fatal("the number of documents changes the entity files")
	}
}

func TestDefaults(t *testing.T) {
	for _, c := range []struct{ n, docs, want int }{
		{50, 0, 1}, {250, 0, 2}, {1000, 0, 10}, {100, 3, 3}, {100, -1, 0},
	} {
		files := collect(t, gen.Options{Entities: c.n, Documents: c.docs})
		if got := len(files) - c.n; got != c.want {
			t.Errorf("Entities %d, Documents %d: %d documents, want %d", c.n, c.docs, got, c.want)
		}
	}
	if err := gen.Generate(gen.Options{}, func(gen.File) error { return nil }); err == nil {
		t.Error("Entities 0 accepted")
	}
	stop := errors.New("stop")
	calls := 0
	err := gen.Generate(gen.Options{Entities: 100}, func(gen.File) error { calls++; return stop })
	if !errors.Is(err, stop) || calls != 1 {
		t.Errorf("emit error: got %v after %d calls", err, calls)
	}
	// A one-entity corpus still works.
	collect(t, gen.Options{Entities: 1})
}

var (
	kinds       = []string{"claim", "finding", "paper", "concept", "question", "hypothesis", "method", "dataset"}
	statusSet   = map[string]bool{"active": true, "deprecated": true, "retracted": true, "draft": true, "merged": true}
	entityName  = regexp.MustCompile(`^entities/(\d{3})/(\d{6})_[0-9a-f]{16}\.txt$`)
	docName     = regexp.MustCompile(`^docs/\d{5}_[a-z0-9-]+\.(md|tex)$`)
	groupHeader = regexp.MustCompile(`^(Papers|Findings|Claims|Hypotheses|Concepts|Questions) \((\d+)\)$`)
	citation    = regexp.MustCompile(`(?:^|[^A-Za-z0-9_])((?:claim|finding|paper|concept|question|hypothesis|method|dataset):[a-z0-9]+(?:-[a-z0-9]+)*)`)
	relWords    = []string{"associated_with", "extracted_from", "contradicts", "supports", "extends", "refines", "about"}
	groupKind   = map[string]string{"Papers": "paper", "Findings": "finding", "Claims": "claim", "Hypotheses": "hypothesis", "Concepts": "concept", "Questions": "question"}
)

const (
	neighbourhood = "Neighborhood — ranked by edge-count"
	similarNote   = "cosine ≥ 0.65 · no typed edgeEntities in the same semantic neighborhood but without a typed relation to this one — candidates for new edges or unrecognized duplicates."
	restatedNote  = "cosine ≥ 0.90Other entities that say roughly the same thing. May be merge candidates or independent restatements across papers."
)

// splitIDLine returns every split of an id line into KIND:SLUG + TITLE with
// SLUG == slug(TITLE).
func splitIDLine(kind, line string) []int {
	var splits []int
	for p := len(kind) + 2; p <= len(line); p++ {
		c := line[p-1]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			break
		}
		if slugOf(line[p:]) == line[len(kind)+1:p] {
			splits = append(splits, p)
		}
	}
	return splits
}

type ent struct {
	kind, status, id, title, summary string
}

func TestCorpus(t *testing.T) {
	const n, ndocs = 4000, 100
	files := collect(t, gen.Options{Entities: n, Documents: ndocs, Seed: 3})
	if len(files) != n+ndocs {
		t.Fatalf("%d files, want %d", len(files), n+ndocs)
	}
	var ents []ent
	var entFiles [][]string
	total := 0
	shard := map[string]int{}
	for i, f := range files {
		if len(f.Data) == 0 || f.Data[len(f.Data)-1] == '\n' {
			t.Errorf("%s: empty or ends with a newline", f.Name)
		}
		if !utf8.Valid(f.Data) {
			t.Errorf("%s: not UTF-8", f.Name)
		}
		if i >= n {
			if !docName.MatchString(f.Name) {
				t.Errorf("document name %q", f.Name)
			}
			continue
		}
		m := entityName.FindStringSubmatch(f.Name)
		if m == nil {
			t.Fatalf("entity name %q", f.Name)
		}
		if idx, _ := strconv.Atoi(m[2]); idx != i || m[1] != fmt.Sprintf("%03d", i/1000) {
			t.Errorf("%s: index or shard does not match position %d", f.Name, i)
		}
		shard[m[1]]++
		total += len(f.Data)
		lines := strings.Split(string(f.Data), "\n")
		entFiles = append(entFiles, lines)
		if len(lines) < 10 {
			t.Fatalf("%s: %d lines", f.Name, len(lines))
		}
		kind, line := lines[0], lines[2]
		if !strings.HasPrefix(line, kind+":") || !slicesContains(kinds, kind) {
			t.Fatalf("%s: kind %q, id line %q", f.Name, kind, line)
		}
		if !statusSet[lines[1]] {
			t.Errorf("%s: status %q", f.Name, lines[1])
		}
		splits := splitIDLine(kind, line)
		if len(splits) != 1 {
			t.Fatalf("%s: id line %q has %d splits", f.Name, line, len(splits))
		}
		title := line[splits[0]:]
		if w := len(strings.Fields(title)); kind == "concept" && (w < 1 || w > 4) || kind != "concept" && (w < 6 || w > 25) {
			t.Errorf("%s: %d words in title %q", f.Name, w, title)
		}
		if w := len(strings.Fields(lines[3])); w < 8 || w > 20 || lines[3][0] < 'A' || lines[3][0] > 'Z' {
			t.Errorf("%s: summary %q", f.Name, lines[3])
		}
		if lines[4] != "Source paper" || !strings.HasPrefix(lines[5], "extracted_from(") || lines[6] != neighbourhood {
			t.Errorf("%s: header lines %q", f.Name, lines[4:7])
		}
		ents = append(ents, ent{kind, lines[1], line[:splits[0]], title, lines[3]})
	}
	for s, c := range shard {
		if c > 1000 {
			t.Errorf("shard %s holds %d files", s, c)
		}
	}
	avg := float64(total) / n
	t.Logf("average entity file: %.0f bytes", avg)
	if avg < 1500 || avg > 3000 {
		t.Errorf("average entity file %.0f bytes, want 1.5 to 3 KB", avg)
	}

	// Rates of statuses, duplicates, near-duplicates.
	inactive := 0
	ids := map[string]int{}
	titles := map[string]map[string]bool{}
	summaries := map[string]map[string]bool{}
	for _, e := range ents {
		if e.status != "active" {
			inactive++
		}
		ids[e.id]++
		if titles[e.kind] == nil {
			titles[e.kind], summaries[e.kind] = map[string]bool{}, map[string]bool{}
		}
		titles[e.kind][e.title] = true
		summaries[e.kind][e.summary] = true
	}
	between(t, "inactive status", inactive, n, 0.01, 0.035)
	between(t, "exact duplicate ids", n-len(ids), n, 0.001, 0.004)
	between(t, "near-duplicates", nearDuplicates(ents), n, 0.003, 0.008)

	// Symbols the real exports carry, and some outside the BMP.
	for _, sym := range []string{"·", "—", "±", "≥", "ρ"} {
		c := 0
		for _, e := range ents {
			if strings.Contains(e.title, sym) {
				c++
			}
		}
		if c < n/100 {
			t.Errorf("only %d titles hold %q", c, sym)
		}
	}
	astral := 0
	for _, e := range ents {
		for _, r := range e.title {
			if r > 0xFFFF {
				astral++
				break
			}
		}
	}
	if astral == 0 || astral > n/20 {
		t.Errorf("%d titles hold a character outside the BMP", astral)
	}

	// Sections: typed groups, similarity, restated.
	var items, resolved, unlinked, claims, restated, short int
	for fi, lines := range entFiles {
		section, groups, count, got := "", 0, 0, 0
		flush := func() {
			if got > count {
				t.Errorf("entity %d: a group announces %d items and lists %d", fi, count, got)
			}
			if got < count {
				short++
			}
		}
		for i := 7; i < len(lines); i++ {
			ln := lines[i]
			if m := groupHeader.FindStringSubmatch(ln); m != nil {
				flush()
				if section != "" {
					t.Fatalf("entity %d: typed group after %s", fi, section)
				}
				if lines[i+1] != groupKind[m[1]] {
					t.Fatalf("entity %d: group %s has item kind %q", fi, m[1], lines[i+1])
				}
				groups++
				count, _ = strconv.Atoi(m[2])
				got = 0
				i++
				continue
			}
			if strings.HasPrefix(ln, "Related by similarity (") || strings.HasPrefix(ln, "Restated by (") {
				flush()
				note := similarNote
				section = "similar"
				if strings.HasPrefix(ln, "Restated") {
					note, section = restatedNote, "restated"
					restated++
				}
				if i+1 >= len(lines) || lines[i+1] != note {
					t.Fatalf("entity %d: %q is not followed by its note", fi, ln)
				}
				count, _ = strconv.Atoi(strings.TrimSuffix(ln[strings.LastIndexByte(ln, '(')+1:], ")"))
				got = 0
				i++
				continue
			}
			if !strings.HasPrefix(ln, "- ") {
				t.Fatalf("entity %d: unexpected line %q", fi, ln)
			}
			got++
			if section == "" {
				kind := lines[lastGroupKindLine(lines, i)]
				items++
				if resolves(ln[2:], titles[kind], summaries[kind]) {
					resolved++
				}
			}
		}
		flush()
		if ents[fi].kind == "claim" {
			claims++
			if groups == 0 {
				unlinked++
			}
		}
		if groups > 4 {
			t.Errorf("entity %d: %d typed groups", fi, groups)
		}
	}
	between(t, "typed items naming corpus entities", resolved, items, 0.7, 0.9)
	between(t, "unlinked claims", unlinked, claims, 0.01, 0.06)
	between(t, "Restated by sections", restated, n, 0.03, 0.08)
	if short == 0 {
		t.Error("no group announces more items than it lists")
	}

	// Documents.
	var cites, exist, misspelt, missing, md, tex int
	for _, f := range files[n:] {
		text := string(f.Data)
		if strings.HasSuffix(f.Name, ".tex") {
			tex++
			if !strings.HasPrefix(text, `\documentclass`) || !strings.HasSuffix(text, `\end{document}`) {
				t.Errorf("%s: not a LaTeX document", f.Name)
			}
		} else {
			md++
			if !strings.HasPrefix(text, "# ") {
				t.Errorf("%s: no Markdown title", f.Name)
			}
		}
		found := citation.FindAllStringSubmatch(text, -1)
		if len(found) < 5 || len(found) > 30 {
			t.Errorf("%s: %d citations", f.Name, len(found))
		}
		for _, m := range found {
			id := m[1]
			cites++
			switch {
			case ids[id] > 0:
				exist++
			case oneOff(id, ids):
				misspelt++
			default:
				missing++
			}
		}
	}
	if md == 0 || tex == 0 {
		t.Errorf("%d Markdown and %d LaTeX documents", md, tex)
	}
	all := strings.Join(docTexts(files[n:]), "\n")
	for _, form := range []string{"[[", "](", `\texttt{`} {
		if !strings.Contains(all, form) {
			t.Errorf("no citation written as %q", form)
		}
	}
	between(t, "citations of existing ids", exist, cites, 0.93, 0.99)
	between(t, "misspelt citations", misspelt, cites, 0.015, 0.05)
	between(t, "citations of unknown ids", missing, cites, 0.003, 0.025)
}

func docTexts(files []gen.File) []string {
	var s []string
	for _, f := range files {
		s = append(s, string(f.Data))
	}
	return s
}

func between(t *testing.T, what string, got, of int, lo, hi float64) {
	t.Helper()
	r := float64(got) / float64(of)
	t.Logf("%s: %d of %d (%.2f%%)", what, got, of, 100*r)
	if r < lo || r > hi {
		t.Errorf("%s: %.2f%%, want %.1f%% to %.1f%%", what, 100*r, 100*lo, 100*hi)
	}
}

func slicesContains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// lastGroupKindLine is the index of the item-kind line of the group that
// item line i belongs to.
func lastGroupKindLine(lines []string, i int) int {
	for j := i; j > 0; j-- {
		if groupHeader.MatchString(lines[j]) {
			return j + 1
		}
	}
	return 0
}

// resolves reports whether a typed item names an entity: its whole text is a
// known summary, or it starts with a known title followed by relation words.
func resolves(item string, titles, summaries map[string]bool) bool {
	if summaries[item] {
		return true
	}
	for p := 1; p < len(item); p++ {
		for _, r := range relWords {
			if strings.HasPrefix(item[p:], r) && titles[item[:p]] {
				return true
			}
		}
	}
	return false
}

// oneOff reports whether id differs from a known id in exactly one byte.
func oneOff(id string, ids map[string]int) bool {
	for known := range ids {
		if len(known) != len(id) {
			continue
		}
		d := 0
		for i := 0; i < len(id) && d < 2; i++ {
			if id[i] != known[i] {
				d++
			}
		}
		if d == 1 {
			return true
		}
	}
	return false
}

// nearDuplicates counts entities whose title is one word (inserted, deleted
// or substituted) away from an earlier title of the same kind, among titles
// of at least six words.
func nearDuplicates(ents []ent) int {
	full := map[string]int{} // kind + title -> first entity
	del := map[string][]int{}
	sub := map[string][]int{}
	for i, e := range ents {
		w := strings.Split(e.title, " ")
		if len(w) < 6 {
			continue
		}
		if _, ok := full[e.kind+"\x00"+e.title]; !ok {
			full[e.kind+"\x00"+e.title] = i
		}
		for j := range w {
			rest := e.kind + "\x00" + strings.Join(append(append([]string{}, w[:j]...), w[j+1:]...), " ")
			del[rest] = append(del[rest], i)
			sub[strconv.Itoa(j)+"\x00"+rest] = append(sub[strconv.Itoa(j)+"\x00"+rest], i)
		}
	}
	near := map[int]bool{}
	mark := func(a, b int) {
		if a != b && ents[a].title != ents[b].title {
			near[max(a, b)] = true
		}
	}
	for i, e := range ents {
		// e is one word shorter than others: they are e with a word inserted.
		for _, j := range del[e.kind+"\x00"+e.title] {
			mark(i, j)
		}
	}
	for _, list := range sub {
		for _, a := range list {
			for _, b := range list {
				mark(a, b)
			}
		}
	}
	return len(near)
}

func TestWriteDir(t *testing.T) {
	dir := t.TempDir()
	opt := gen.Options{Entities: 1200, Documents: 5, Seed: 11}
	if err := gen.WriteDir(dir, opt); err != nil {
		t.Fatal(err)
	}
	files := collect(t, opt)
	for _, f := range files {
		data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(f.Name)))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(data, f.Data) {
			t.Fatalf("%s differs on disk", f.Name)
		}
	}
	shards, _ := os.ReadDir(filepath.Join(dir, "entities"))
	if len(shards) != 2 {
		t.Errorf("%d shard folders for 1200 entities", len(shards))
	}
}

// The seeds themselves pass the id-line check the generated files pass.
func TestSeedsSplit(t *testing.T) {
	seeds, _ := filepath.Glob("../../seeds/*.txt")
	for _, p := range seeds {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(string(data), "\n")
		if got := splitIDLine(lines[0], lines[2]); len(got) != 1 {
			t.Errorf("%s: %d splits", p, len(got))
		}
	}
}

// TestDefaultUnchanged: the default corpus is byte for byte what it was
// before the truth mode existed. Benchmark corpora are cached by their
// options and `seedls check` output on them is compared across versions:
// a new option must leave the default alone.
func TestDefaultUnchanged(t *testing.T) {
	for _, c := range []struct {
		opt  gen.Options
		want string
	}{
		{gen.Options{Entities: 1000}, "06c945fb8d53d2273f0b5e2fc5bbe9c1b6ed51851742ba2107d2ea1282674f9e"},
		{gen.Options{Entities: 3000, Documents: 50, Seed: 9}, "4402110336bb125b0e8cabce670d62ab303a8e6e362c4de401ff028e794b0126"},
	} {
		if got, _ := digest(t, c.opt); got != c.want {
			t.Errorf("%+v: digest %s, was %s", c.opt, got, c.want)
		}
	}
}

// TestTruth: the truth mode's corpus is the default one's format plus
// truth.json, whose every item names what it was written for (and
// whatever cannot be told from it), and which plants each hard case.
func TestTruth(t *testing.T) {
	files := collect(t, gen.Options{Entities: 4000, Seed: 5, Truth: true})
	last := files[len(files)-1]
	if last.Name != gen.TruthName {
		t.Fatalf("last file %s, want %s", last.Name, gen.TruthName)
	}
	var tr gen.Truth
	if err := json.Unmarshal(last.Data, &tr); err != nil {
		t.Fatal(err)
	}
	if len(tr.Files) != len(files)-1 {
		t.Fatalf("truth of %d files, %d generated", len(tr.Files), len(files)-1)
	}
	text := map[string][]string{}
	for _, f := range files[:len(files)-1] {
		text[f.Name] = strings.Split(string(f.Data), "\n")
	}
	ids := map[string]int{}
	for _, f := range tr.Files {
		if f.ID != "" {
			ids[f.ID]++
		}
	}
	count := map[string]int{}
	for _, f := range tr.Files {
		lines := text[f.Path]
		if lines == nil {
			t.Fatalf("%s: in the truth, not generated", f.Path)
		}
		for _, it := range f.Items {
			line := lines[it.Line-1]
			if !strings.HasPrefix(line, "- "+it.Title) {
				t.Fatalf("%s:%d: %q does not start with the title %q", f.Path, it.Line, line, it.Title)
			}
			if it.Meant != "" && !slicesContains(it.Names, it.Meant) {
				t.Errorf("%s:%d: names %v, not the entity it was written for, %s", f.Path, it.Line, it.Names, it.Meant)
			}
			if it.Meant == "" && len(it.Names) > 0 {
				count["made-up neighbours that name an entity"]++
			}
			if it.Title != "" && endsInRelation(it.Title) {
				if it.Meant != "" {
					count["real titles ending in a relation word"]++
				} else {
					count["made-up titles ending in a relation word"]++
				}
			}
			if it.Title != "" && it.Meant != "" && len(it.Names) == 1 && ids[kindOf(f, it, lines)+":"+slugOf(it.Title)] > 1 {
				count["duplicated ids told apart by their summary"]++
			}
		}
		for _, d := range f.Diagnostics {
			count[d.Code]++
		}
	}
	t.Logf("%v", count)
	for _, what := range []string{"real titles ending in a relation word", "made-up titles ending in a relation word",
		"duplicated ids told apart by their summary", "duplicate-id", "near-duplicate", "restated", "unlinked-claim",
		"unresolved-neighbour", "unknown-reference", "inactive-reference"} {
		if count[what] == 0 {
			t.Errorf("no %s", what)
		}
	}
	// Without Truth, the same options make no truth and no planted title.
	for _, f := range collect(t, gen.Options{Entities: 300, Seed: 5}) {
		if f.Name == gen.TruthName {
			t.Fatal("a truth without the truth mode")
		}
	}
}

// endsInRelation reports whether a title's last word ends in a relation
// word the truth mode plants.
func endsInRelation(title string) bool {
	for _, r := range []string{"generalizes", "supports", "measures", "tests", "uses", "cites", "extends", "refines",
		"answers", "addresses", "motivates", "proposes", "evaluates", "depends", "related", "about"} {
		if strings.HasSuffix(title, r) {
			return true
		}
	}
	return false
}

// kindOf is the kind an item names: its typed group's kind line, or the
// kind glued before its score.
func kindOf(f gen.FileTruth, it gen.ItemTruth, lines []string) string {
	if it.Section == "typed" {
		for i := it.Line - 2; i >= 0; i-- {
			if !strings.HasPrefix(lines[i], "- ") {
				return lines[i]
			}
		}
	}
	rest := strings.TrimPrefix(lines[it.Line-1], "- "+it.Title)
	for _, k := range kinds {
		if strings.HasPrefix(rest, k) {
			return k
		}
	}
	return ""
}
