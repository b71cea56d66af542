package graph

import (
	"sort"
	"unicode"
	"unicode/utf8"
)

// Near duplicates: two entities of one kind whose title words are equal or
// differ by one word inserted, deleted or substituted. Comparing all pairs
// is out of the question at 100k entities, so each entity gets four keys
// such that any two near duplicates share one, and candidates sharing a key
// are then checked word by word.
//
// For a pair of lengths (n, n) or (n, n+1), let h = n/2. A substitution at
// position i leaves the first h words equal when i >= h, else the last n-h
// words; an insertion at j into the shorter title leaves the first h words
// equal when j >= h, else the last n-h words. So every entity files itself,
// tagged by kind and by the shorter length n, under its first h words and
// its last n-h words, once as the shorter title (n = its length) and once
// as the longer (n = its length - 1).

// TitleWords splits a title into lower-cased words on non-alphanumerics.
func TitleWords(title string) []string {
	var out []string
	start := -1
	for i, r := range title {
		alnum := unicode.IsLetter(r) || unicode.IsDigit(r)
		switch {
		case alnum && start < 0:
			start = i
		case !alnum && start >= 0:
			out = append(out, lowerWord(title[start:i]))
			start = -1
		}
	}
	if start >= 0 {
		out = append(out, lowerWord(title[start:]))
	}
	return out
}

func lowerWord(w string) string {
	for i := 0; i < len(w); i++ {
		c := w[i]
		if c >= utf8.RuneSelf || c >= 'A' && c <= 'Z' {
			return toLower(w)
		}
	}
	return w
}

func toLower(w string) string {
	b := make([]rune, 0, len(w))
	for _, r := range w {
		b = append(b, unicode.ToLower(r))
	}
	return string(b)
}

func nearKeys(e *Entity) []uint64 {
	if e.ID == "" {
		return nil
	}
	words := TitleWords(e.Title)
	m := len(words)
	if m == 0 {
		return nil
	}
	keys := make([]uint64, 0, 4)
	add := func(n int, tag byte, ws []string) {
		h := newHasher().str(e.Kind).byte(0).byte(tag).str(itoa(n))
		for _, w := range ws {
			h = h.byte(0).str(w)
		}
		keys = append(keys, uint64(h))
	}
	// As the shorter (or equal) title.
	h := m / 2
	add(m, 'P', words[:h])
	add(m, 'S', words[h:])
	// As the longer title, against titles of m-1 words.
	if n := m - 1; n > 0 {
		h := n / 2
		add(n, 'P', words[:h])
		add(n, 'S', words[m-(n-h):])
	}
	return keys
}

// oneWordApart reports whether a and b are equal or differ by one word
// inserted, deleted or substituted.
func oneWordApart(a, b []string) bool {
	if len(a) > len(b) {
		a, b = b, a
	}
	switch len(b) - len(a) {
	case 0:
		diff := 0
		for i := range a {
			if a[i] != b[i] {
				diff++
			}
		}
		return diff <= 1
	case 1:
		i := 0
		for i < len(a) && a[i] == b[i] {
			i++
		}
		for ; i < len(a); i++ {
			if a[i] != b[i+1] {
				return false
			}
		}
		return true
	}
	return false
}

// NearDuplicates returns the other entities of e's kind whose titles are
// one word apart from e's, sorted by path.
func (s *Snapshot) NearDuplicates(e *Entity) []*Entity {
	words := TitleWords(e.Title)
	seen := map[*Entity]bool{e: true}
	var out []*Entity
	for _, k := range nearKeys(e) {
		for _, o := range s.near.get(k) {
			if seen[o] {
				continue
			}
			seen[o] = true
			if o.Kind == e.Kind && o.ID != e.ID && oneWordApart(words, TitleWords(o.Title)) {
				out = append(out, o)
			}
		}
	}
	sortEntities(out)
	return out
}

// Did you mean: ids within edit distance 2 of an unknown one. Each id is
// cut into three parts; two edits leave one part intact, and it stands in
// the misspelt id at most two bytes from its place. An id files itself
// under (its length, part number, part text); a query looks up, for each
// length within 2 of its own, each part at each shift of -2..2.

const maxEdits = 2

func fuzzyKeys(id string) []uint64 {
	if len(id) < 3 {
		return nil
	}
	keys := make([]uint64, 0, 3)
	for i := 0; i < 3; i++ {
		p, l := part(len(id), i)
		keys = append(keys, fuzzyKey(len(id), i, id[p:p+l]))
	}
	return keys
}

// part returns the start and length of part i of a string of length n.
func part(n, i int) (int, int) {
	b := n / 3
	switch i {
	case 0:
		return 0, b
	case 1:
		return b, b
	}
	return 2 * b, n - 2*b
}

func fuzzyKey(n, i int, s string) uint64 {
	return uint64(newHasher().str(itoa(n)).byte(0).byte(byte('0' + i)).byte(0).str(s))
}

// Suggest returns up to max known ids within edit distance 2 of id, nearest
// first, then alphabetically.
func (s *Snapshot) Suggest(id string, max int) []string {
	type cand struct {
		id string
		d  int
	}
	seen := map[string]bool{id: true}
	var cands []cand
	for n := len(id) - maxEdits; n <= len(id)+maxEdits; n++ {
		if n < 3 {
			continue
		}
		for i := 0; i < 3; i++ {
			p, l := part(n, i)
			for d := -maxEdits; d <= maxEdits; d++ {
				q := p + d
				if q < 0 || q+l > len(id) {
					continue
				}
				for _, e := range s.fuzzy.get(fuzzyKey(n, i, id[q:q+l])) {
					if seen[e.ID] {
						continue
					}
					seen[e.ID] = true
					if dist := editDistance(id, e.ID, maxEdits); dist <= maxEdits {
						cands = append(cands, cand{e.ID, dist})
					}
				}
			}
		}
	}
	sort.Slice(cands, func(i, j int) bool {
		if cands[i].d != cands[j].d {
			return cands[i].d < cands[j].d
		}
		return cands[i].id < cands[j].id
	})
	var out []string
	for _, c := range cands {
		if len(out) == max {
			break
		}
		out = append(out, c.id)
	}
	return out
}

// editDistance is the Levenshtein distance of a and b in bytes, or k+1 when
// it exceeds k (ids are ASCII, so bytes are characters).
func editDistance(a, b string, k int) int {
	if d := len(a) - len(b); d > k || -d > k {
		return k + 1
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		best := cur[0]
		for j := 1; j <= len(b); j++ {
			c := prev[j-1]
			if a[i-1] != b[j-1] {
				c++
			}
			c = min(c, prev[j]+1, cur[j-1]+1)
			cur[j] = c
			best = min(best, c)
		}
		if best > k {
			return k + 1
		}
		prev, cur = cur, prev
	}
	return min(prev[len(b)], k+1)
}
