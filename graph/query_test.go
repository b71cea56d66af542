package graph

import (
	"fmt"
	"github.com/seedls/seedls/graph/gen"
	"strings"
	"testing"
	"unicode"
)

// TestCompleteIDsRanking: cited entities first (most cited first), then
// the rest by id; a duplicated id once; more set only when the limit cut
// something.
func TestCompleteIDsRanking(t *testing.T) {
	var files []*File
	entity := func(path, slug string) {
		files = append(files, ParseFile(path, fmt.Sprintf("claim\nactive\nclaim:%s%s\nA summary\n", slug, strings.ReplaceAll(slug, "-", " "))))
	}
	entity("/w/a.txt", "rank-a")
	entity("/w/a2.txt", "rank-a") // a duplicate id
	entity("/w/b.txt", "rank-b")
	entity("/w/c.txt", "rank-c")
	entity("/w/d.txt", "rank-d")
	entity("/w/e.txt", "other")
	files = append(files, ParseFile("/w/doc.md", "claim:rank-c claim:rank-c claim:rank-d claim:rank-b claim:rank-b claim:rank-b\n"))
	s := Build(files)
	ids := func(cs []Candidate) string {
		var out []string
		for _, c := range cs {
			out = append(out, fmt.Sprintf("%s/%d", c.Entity.ID, c.Cited))
		}
		return strings.Join(out, " ")
	}
	for _, tc := range []struct {
		limit int
		want  string
		more  bool
	}{
		{10, "claim:rank-b/3 claim:rank-c/2 claim:rank-d/1 claim:rank-a/0", false},
		{4, "claim:rank-b/3 claim:rank-c/2 claim:rank-d/1 claim:rank-a/0", false},
		{3, "claim:rank-b/3 claim:rank-c/2 claim:rank-d/1", true},
	} {
		got, more := s.CompleteIDs("claim", "rank", tc.limit)
		if ids(got) != tc.want || more != tc.more {
			t.Errorf("limit %d: %s (more %v), want %s (more %v)", tc.limit, ids(got), more, tc.want, tc.more)
		}
	}
	// Words, in no order from the index, rank the same way.
	got, _ := s.RankWords([]string{"/w/d.txt", "/w/a2.txt", "/w/c.txt", "/w/a.txt", "/w/b.txt"}, "rank", 10)
	if ids(got) != "claim:rank-b/3 claim:rank-c/2 claim:rank-d/1 claim:rank-a/0" {
		t.Errorf("words: %s", ids(got))
	}
}

// Words are read as typed: the last one may be the start of a word, the
// ones before it are whole words.
func TestMatchesTyped(t *testing.T) {
	title := "SOO fine-tuning reduces deceptive behaviour ±1.5%"
	for q, want := range map[string]bool{
		"soo fine":      true,
		"soo fi":        true,
		"so fine":       false,
		"fine tun":      true,
		"tuning red":    true,
		"reduces dec":   true,
		"reduce dec":    false,
		"deceptive 1":   true,
		"behaviour 1 5": true,
		"":              true,
		"xyz":           false,
	} {
		if got := matchesTyped(title, TitleWords(q)); got != want {
			t.Errorf("%q: %v, want %v", q, got, want)
		}
	}
}

// hasWord's ASCII shortcut agrees with unicode on every ASCII character.
func TestHasWordASCII(t *testing.T) {
	for c := 0; c < 128; c++ {
		text := "x" + string(rune(c)) + "ab"
		want := !(unicode.IsLetter(rune(c)) || unicode.IsDigit(rune(c)))
		if got := hasWord(text, "ab", true); got != want {
			t.Errorf("%q: hasWord(ab) = %v, want %v", text, got, want)
		}
	}
}

// hasWord agrees with the rune-by-rune scan on every short mix of letters,
// digits, separators and non-ASCII letters.
func TestHasWordFast(t *testing.T) {
	parts := []string{"a", "B", "ab", "é", "É", "1", " ", "-", "\x15", "·", "𝔼"}
	var texts []string
	var gen func(s string, n int)
	gen = func(s string, n int) {
		texts = append(texts, s)
		if n > 0 {
			for _, p := range parts {
				gen(s+p, n-1)
			}
		}
	}
	gen("", 4)
	for _, q := range []string{"a", "ab", "b", "1", "a1", "A", "é", "-", "\x15"} {
		for _, text := range texts {
			for _, whole := range []bool{false, true} {
				if got, want := hasWord(text, q, whole), hasWordSlow(text, q, whole); got != want {
					t.Fatalf("hasWord(%q, %q, %v) = %v, want %v", text, q, whole, got, want)
				}
			}
		}
	}
}

// TestReadingShown: what shows an item whose title may end in a relation
// word (the target under the cursor, references, hover, highlights, the
// links out of the entity, relation tokens) shows the reading resolution
// took, and follows it when the entity that decides it comes or goes.
func TestReadingShown(t *testing.T) {
	lister := ParseFile("/w/l.txt", "claim\nactive\nclaim:listerLister\nS\nFindings (1)\nfinding\n- Scaling lawsupportsaboutScaling summary\n")
	law := ParseFile("/w/law.txt", "finding\nactive\nfinding:scaling-lawScaling law\nScaling summary\n")
	at := int(lister.Entity.items[0].Span.Start) + 2
	for _, tc := range []struct {
		files []*File
		name  string // the item's name as shown
		rels  string // its relations in the lister's hover
	}{
		{[]*File{lister}, "Scaling lawsupports", "*about*"},
		{[]*File{lister, law}, "Scaling law", "*supports, about*"},
	} {
		s := Build(tc.files)
		tg := s.At(lister, at)
		if got := tg.Span.Of(lister.text); tg.Kind != ItemTarget || got != tc.name {
			t.Errorf("%d files: target %q, want %q", len(tc.files), got, tc.name)
		}
		if h := s.Hover(lister.Entity); !strings.Contains(h, tc.name+" — "+tc.rels) {
			t.Errorf("%d files: hover\n%s\nwants %q", len(tc.files), h, tc.name+" — "+tc.rels)
		}
		if hs := s.Highlights(lister, at); len(hs) != 1 || hs[0].Span.Of(lister.text) != tc.name {
			t.Errorf("%d files: highlights %v", len(tc.files), hs)
		}
		out := s.Outgoing(EntityNodeOf(lister.Entity))
		if len(out) != 1 || strings.Join(out[0].Relations, ", ") != strings.Trim(tc.rels, "*") {
			t.Errorf("%d files: outgoing %+v", len(tc.files), out)
		} else if n := out[0].Node; n.Kind == NeighbourNode && n.Name != tc.name {
			t.Errorf("%d files: neighbour named %q", len(tc.files), n.Name)
		}
		var rels []string
		for _, tok := range s.Tokens(lister) {
			if tok.Type == TokenRelation {
				rels = append(rels, tok.Span.Of(lister.text))
			}
		}
		if strings.Join(rels, ", ") != strings.Trim(tc.rels, "*") {
			t.Errorf("%d files: relation tokens %q", len(tc.files), rels)
		}
		if len(tc.files) == 2 {
			refs := s.References(law.Entity, false)
			if len(refs) != 1 || refs[0].Span.Of(lister.text) != tc.name {
				t.Errorf("references %v", refs)
			}
			if len(tg.Entities) != 1 || tg.Entities[0] != law.Entity {
				t.Errorf("target names %v", tg.Entities)
			}
		}
	}
}

// CompleteWords skips entities by their word masks: it must find what
// reading every title and summary finds, in the same order.
func TestCompleteWordsAsScan(t *testing.T) {
	files := append(generatedFiles(t, 3000, 5),
		ParseFile("/u/k.txt", "claim\nactive\nclaim:kelvin-scaleKelvin scale \u212a-bands ÉCOLE Straße\nÜber alles déjà vu\n"))
	s := Build(files)
	scan := func(query string, limit int) ([]Candidate, bool) {
		qs := TitleWords(query)
		var paths []string
		for _, f := range s.Files() {
			if e := f.Entity; e != nil && (matchesTyped(e.Title, qs) || matchesTyped(e.Summary, qs)) {
				paths = append(paths, f.Path)
			}
		}
		return s.RankWords(paths, query, limit)
	}
	queries := []string{"a", "mo", "model", "model ed", "scaling pat", "the of", "kelvin", "\u212aelvin", "k-b", "école", "strasse", "straße", "über", "UBER", "déjà v", "x", "zzzz", "1", "7b"}
	for _, f := range files[:200] {
		if e := f.Entity; e != nil {
			w := TitleWords(e.Title)
			queries = append(queries, strings.Join(w[:min(2, len(w))], " "), w[0][:min(2, len(w[0]))])
		}
	}
	found := 0
	for _, q := range queries {
		for _, limit := range []int{5, 50, 100000} {
			got, gmore := s.CompleteWords(q, limit)
			want, wmore := scan(q, limit)
			if gmore != wmore || len(got) != len(want) {
				t.Fatalf("%q (limit %d): %d %v, scanning finds %d %v", q, limit, len(got), gmore, len(want), wmore)
			}
			for i := range got {
				if got[i].Entity != want[i].Entity {
					t.Fatalf("%q (limit %d): #%d is %s, scanning says %s", q, limit, i, got[i].Entity.ID, want[i].Entity.ID)
				}
			}
			found += len(got)
		}
	}
	if found == 0 {
		t.Fatal("nothing found: the test compares nothing")
	}
}

// generatedFiles parses a generated workspace of n entities under /w.
func generatedFiles(t *testing.T, n int, seed uint64) []*File {
	t.Helper()
	var files []*File
	if err := gen.Generate(gen.Options{Entities: n, Seed: seed}, func(f gen.File) error {
		files = append(files, ParseFile("/w/"+f.Name, string(f.Data)))
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return files
}
