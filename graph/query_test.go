package graph

import (
	"fmt"
	"strings"
	"testing"
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
