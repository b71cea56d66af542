package graph

import (
	"unicode"
	"unicode/utf8"
)

// A word mask lets completion by words (CompleteWords, used until the
// search index is built) skip most entities without reading their text:
// for each word of a title (or a summary), two bits for its first two
// characters (case folded) and two for its first three are set, and a
// text can only have a word starting with q if its mask holds the bits of
// q's first min(3, len(q)) characters (a one-letter word filters
// nothing). Reading every title and summary at each keystroke is too
// slow in a large workspace; the masks leave a few thousand to read. Two
// bits a key keep a common key's bit, shared by chance with a rare one,
// from letting every text through for the rare one.
type wordMask [4]uint64

// addWords sets the bits of every word of text.
func (m *wordMask) addWords(text string) {
	var prefix [3]rune
	n, inWord := 0, false
	for _, r := range text {
		if !isAlnum(r) {
			inWord = false
			continue
		}
		if !inWord {
			inWord, n = true, 0
		}
		if n < 3 {
			prefix[n] = foldRune(r)
			n++
			if n >= 2 {
				m.set(prefix[:n])
			}
		}
	}
}

// query returns the mask every entity with a word starting with each of
// words (lower case, as TitleWords makes them) holds.
func queryMask(words []string) wordMask {
	var m wordMask
	for _, w := range words {
		var prefix [3]rune
		n := 0
		for _, r := range w {
			if n == 3 {
				break
			}
			prefix[n] = foldRune(r)
			n++
		}
		if n >= 2 {
			m.set(prefix[:n])
		}
	}
	return m
}

// set sets the two bits of a word's first characters.
func (m *wordMask) set(prefix []rune) {
	h := newHasher().byte(byte(len(prefix)))
	for _, r := range prefix {
		h = h.str(string(r))
	}
	x := uint64(h) * 0x9E3779B97F4A7C15 // FNV's low bits mix poorly
	for _, b := range [2]uint64{x >> 56, x >> 48 & 0xff} {
		m[b/64] |= 1 << (b % 64)
	}
}

// holds reports whether m has every bit of q.
func (m *wordMask) holds(q *wordMask) bool {
	return m[0]&q[0] == q[0] && m[1]&q[1] == q[1] && m[2]&q[2] == q[2] && m[3]&q[3] == q[3]
}

// foldRune maps r to the smallest rune of its case-folding orbit, so that
// runes strings.EqualFold takes for equal fold alike (K, k and the Kelvin
// sign among them).
func foldRune(r rune) rune {
	if r < utf8.RuneSelf {
		if r >= 'A' && r <= 'Z' {
			r += 'a' - 'A'
		}
		if r != 'k' && r != 's' {
			return r
		}
	}
	min := r
	for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
		if f < min {
			min = f
		}
	}
	return min
}
