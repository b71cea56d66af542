package graph

import (
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Near duplicates: two entities of one kind whose title words are equal or
// differ by one word inserted or deleted, or substituted in titles of at
// least three words (in one- and two-word titles a substitution replaces
// half the meaning or more: "AI Deception" and "AI Alignment" are different
// concepts, and flagging them would flag every pair of short names).
// Comparing all pairs is out of the question at 100k entities, so each
// entity gets a few keys such that any two near duplicates share one, and
// candidates sharing a key are then compared word by word.
//
// Equal titles share the key of all their words. For a pair of lengths
// (n, n+1) with n <= 2, the longer title files itself under each of its
// one-word deletions, one of which is the shorter title. Otherwise let
// h = n/2 for the pair (n, n) or (n, n+1): a substitution at position i
// leaves the first h words equal when i >= h, else the last n-h words; an
// insertion at j into the shorter title leaves the first h words equal when
// j >= h, else the last n-h words. So an entity files itself, tagged by kind
// and by the shorter length n, under its first h and its last n-h words, as
// the shorter title (n = its length) and as the longer (n = its length - 1).

// minSubstitutionWords is the shortest title where a substituted word still
// makes a near duplicate.
const minSubstitutionWords = 3

// titleWordHashes splits a title on non-alphanumerics into lower-cased
// words and returns their hashes: comparing hashes is all near-duplicate
// detection needs, and it allocates one small slice per entity.
func titleWordHashes(title string) []uint32 {
	var buf [32]uint32
	out := buf[:0]
	h := newHasher()
	in := false
	word := func() {
		// 32 bits a word: titles are compared word by word only after their
		// 64-bit near keys matched, and a 100k workspace holds two million
		// title words.
		out = append(out, uint32(h^h>>32))
		h, in = newHasher(), false
	}
	for _, r := range title {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if r < utf8.RuneSelf {
				h = h.byte(lowerASCII(byte(r)))
			} else {
				h = h.str(string(unicode.ToLower(r)))
			}
			in = true
			continue
		}
		if in {
			word()
		}
	}
	if in {
		word()
	}
	if len(out) == 0 {
		return nil
	}
	return append([]uint32(nil), out...) // at its length, not append's doubling
}

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
			out = append(out, strings.ToLower(title[start:i]))
			start = -1
		}
	}
	if start >= 0 {
		out = append(out, strings.ToLower(title[start:]))
	}
	return out
}

// nearKeys appends e's near-duplicate keys to keys: callers pass a buffer
// on their stack, as every build and every diagnosis asks for them.
func nearKeys(e *Entity, keys []uint64) []uint64 {
	words := e.words
	m := len(words)
	if e.ID == "" || m == 0 {
		return keys
	}
	key := func(n int, tag byte, ws ...[]uint32) {
		h := newHasher().str(e.Kind).byte(0).byte(tag).str(strconv.Itoa(n))
		for _, part := range ws {
			for _, w := range part {
				h = hasher(uint64(h^hasher(w)) * fnvPrime)
			}
		}
		keys = append(keys, uint64(h))
	}
	key(m, 'E', words)
	if m-1 >= 1 && m-1 < minSubstitutionWords {
		for j := 0; j < m; j++ {
			key(m-1, 'E', words[:j], words[j+1:])
		}
	}
	if m >= minSubstitutionWords {
		h := m / 2
		key(m, 'P', words[:h])
		key(m, 'S', words[h:])
	}
	if n := m - 1; n >= minSubstitutionWords {
		h := n / 2
		key(n, 'P', words[:h])
		key(n, 'S', words[m-(n-h):])
	}
	return keys
}

// oneWordApart reports whether a and b are equal, differ by one word
// inserted or deleted, or by one word substituted in titles of at least
// minSubstitutionWords words.
func oneWordApart(a, b []uint32) bool {
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
		return diff == 0 || diff == 1 && len(a) >= minSubstitutionWords
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
	var seen map[*Entity]bool
	var out []*Entity
	var buf [8]uint64
	for _, k := range nearKeys(e, buf[:0]) {
		for o := range s.near.each(k) {
			if o == e || o.Kind != e.Kind || o.ID == e.ID || !oneWordApart(e.words, o.words) {
				continue
			}
			if seen == nil {
				seen = map[*Entity]bool{}
			}
			if !seen[o] {
				seen[o] = true
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
	return uint64(newHasher().str(strconv.Itoa(n)).byte(0).byte(byte('0' + i)).byte(0).str(s))
}

// suggestKeys yields the fuzzy keys Suggest looks id up by: an id within
// two edits of it has a part (see fuzzyKeys) among its substrings of that
// part's length, shifted by at most two.
func suggestKeys(id string, yield func(uint64)) {
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
				yield(fuzzyKey(n, i, id[q:q+l]))
			}
		}
	}
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
	suggestKeys(id, func(k uint64) {
		for e := range s.fuzzy.each(k) {
			if seen[e.ID] {
				continue
			}
			seen[e.ID] = true
			if dist := editDistance(id, e.ID, maxEdits); dist <= maxEdits {
				cands = append(cands, cand{e.ID, dist})
			}
		}
	})
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
