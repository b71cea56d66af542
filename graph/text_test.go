package graph

import (
	"slices"
	"testing"
	"unicode/utf8"
)

func TestLinesPositions(t *testing.T) {
	// 𝔼 is outside the BMP: 4 bytes, 2 UTF-16 units, 1 code point.
	text := "a𝔼b·c\r\n—\rx\n\nend"
	l := NewLines(text)
	if l.Count() != 5 {
		t.Fatalf("lines = %d, want 5", l.Count())
	}
	for i, want := range []string{"a𝔼b·c", "—", "x", "", "end"} {
		if got := l.LineSpan(i).Of(text); got != want {
			t.Errorf("line %d = %q, want %q", i, got, want)
		}
	}
	cases := []struct {
		off          int
		u16, u8, u32 Pos
	}{
		{0, Pos{0, 0}, Pos{0, 0}, Pos{0, 0}},
		{1, Pos{0, 1}, Pos{0, 1}, Pos{0, 1}},             // before 𝔼
		{5, Pos{0, 3}, Pos{0, 5}, Pos{0, 2}},             // after 𝔼
		{6, Pos{0, 4}, Pos{0, 6}, Pos{0, 3}},             // before ·
		{8, Pos{0, 5}, Pos{0, 8}, Pos{0, 4}},             // after ·, before c
		{9, Pos{0, 6}, Pos{0, 9}, Pos{0, 5}},             // end of line 0
		{10, Pos{0, 6}, Pos{0, 9}, Pos{0, 5}},            // inside CRLF: end of line
		{11, Pos{1, 0}, Pos{1, 0}, Pos{1, 0}},            // —
		{14, Pos{1, 1}, Pos{1, 3}, Pos{1, 1}},            // end of line 1
		{15, Pos{2, 0}, Pos{2, 0}, Pos{2, 0}},            // after lone CR
		{len(text), Pos{4, 3}, Pos{4, 3}, Pos{4, 3}},     // end of text
		{len(text) + 9, Pos{4, 3}, Pos{4, 3}, Pos{4, 3}}, // past the end clamps
	}
	for _, c := range cases {
		for _, e := range []struct {
			enc  Encoding
			want Pos
		}{{UTF16, c.u16}, {UTF8, c.u8}, {UTF32, c.u32}} {
			if got := l.Pos(c.off, e.enc); got != e.want {
				t.Errorf("Pos(%d, %d) = %v, want %v", c.off, e.enc, got, e.want)
			}
		}
	}
	// Offsets from positions, including ones no text has: inside a
	// surrogate pair, past a line's end, past the last line, negative.
	offs := []struct {
		p    Pos
		enc  Encoding
		want int
	}{
		{Pos{0, 2}, UTF16, 1},  // between 𝔼's two UTF-16 units: its start
		{Pos{0, 3}, UTF16, 5},  // after 𝔼
		{Pos{0, 3}, UTF8, 1},   // inside 𝔼's bytes: its start
		{Pos{0, 99}, UTF16, 9}, // past the end of the line: its end, not the next line
		{Pos{1, 1}, UTF16, 14},
		{Pos{9, 0}, UTF16, len(text)},
		{Pos{-1, 5}, UTF16, 0},
		{Pos{4, 2}, UTF32, len(text) - 1},
	}
	for _, c := range offs {
		if got := l.Offset(c.p, c.enc); got != c.want {
			t.Errorf("Offset(%v, %d) = %d, want %d", c.p, c.enc, got, c.want)
		}
	}
}

func TestEmptyText(t *testing.T) {
	l := NewLines("")
	if l.Count() != 1 || l.LineSpan(0) != (Span{}) || l.Offset(Pos{3, 3}, UTF16) != 0 || l.Pos(5, UTF16) != (Pos{}) {
		t.Fatal("empty text mishandled")
	}
}

// FuzzLines: converting any character boundary to a position and back
// returns it, in every encoding; no position makes an offset out of range.
func FuzzLines(f *testing.F) {
	for _, s := range []string{"", "a\nb", "a𝔼b·c\r\n—\rx\n\nend", "\r\r\n\n", "ρ≥±—·🧪"} {
		f.Add(s, 3, 7)
	}
	f.Fuzz(func(t *testing.T, text string, line, col int) {
		if len(text) > 4096 {
			return // the round trip below is quadratic in the text
		}
		l, want := NewLines(text), newTextLines(text)
		if l.Count() != want.Count() {
			t.Fatalf("%d lines, the text says %d", l.Count(), want.Count())
		}
		for i := 0; i < l.Count(); i++ {
			if l.LineSpan(i) != want.LineSpan(i) {
				t.Fatalf("line %d: %v, the text says %v", i, l.LineSpan(i), want.LineSpan(i))
			}
		}
		for _, enc := range []Encoding{UTF16, UTF8, UTF32} {
			if off := l.Offset(Pos{line, col}, enc); off < 0 || off > len(text) {
				t.Fatalf("Offset(%d,%d) = %d out of range", line, col, off)
			}
			if utf8.ValidString(text) {
				// Without the text, every answer as from the text.
				for ln := -1; ln <= l.Count(); ln++ {
					for c := -1; c <= 12; c++ {
						if got, w := l.Offset(Pos{ln, c}, enc), want.Offset(Pos{ln, c}, enc); got != w {
							t.Fatalf("enc %d: Offset(%d,%d) = %d, the text says %d, in %q", enc, ln, c, got, w, text)
						}
					}
				}
				for off := -1; off <= len(text)+1; off++ {
					if off > 0 && off < len(text) && !utf8.RuneStart(text[off]) {
						// The text's table miscounted these (a column for
						// each byte of the character so far); Lines moves
						// them to the character's start, as documented.
						if p := l.Pos(off, enc); p != l.Pos(off-1, enc) && utf8.RuneStart(text[off-1]) {
							t.Fatalf("enc %d: Pos(%d) inside a character is %v, not at its start", enc, off, p)
						}
						continue
					}
					if got, w := l.Pos(off, enc), want.Pos(off, enc); got != w {
						t.Fatalf("enc %d: Pos(%d) = %v, the text says %v, in %q", enc, off, got, w, text)
					}
				}
			}
			for off := 0; off <= len(text); off++ {
				if off < len(text) && !utf8.RuneStart(text[off]) {
					continue
				}
				if off > 0 && off < len(text) && text[off-1] == '\r' && text[off] == '\n' {
					continue // inside a CRLF
				}
				if !utf8.ValidString(text) && enc != UTF8 {
					continue // invalid bytes count differently per reader
				}
				p := l.Pos(off, enc)
				if back := l.Offset(p, enc); back != off {
					t.Fatalf("enc %d: offset %d -> %v -> %d in %q", enc, off, p, back, text)
				}
			}
		}
	})
}

func TestSlug(t *testing.T) {
	for _, c := range [][2]string{
		{"SOO fine-tuning's focus", "soo-fine-tuning-s-focus"},
		{"  --Hello,  World!-- ", "hello-world"},
		{"café au lait", "caf-au-lait"},
		{"ρ ≥ 0.95 — 𝔼[x]", "0-95-x"},
		{"李雷", ""},
	} {
		if got := Slug(c[0]); got != c[1] {
			t.Errorf("Slug(%q) = %q, want %q", c[0], got, c[1])
		}
		if !slugIs(c[0], c[1]) {
			t.Errorf("slugIs(%q, %q) = false", c[0], c[1])
		}
		if id, text := nameKeys("claim", c[0]); id != idKey("claim:"+c[1]) || text != textKey(c[0]) {
			t.Errorf("nameKeys(%q) differs from idKey of its slug or from textKey", c[0])
		}
	}
}

func TestTextKey(t *testing.T) {
	if textKey("ab") == textKey("a b") || textKey("a") == textKey("ab") {
		t.Fatal("textKey equal for different texts")
	}
	if textKey("  Open  concern\tabout X ") != textKey("open concern about x") {
		t.Fatal("textKey differs for equal normalised texts")
	}
}

// splitLines against the plain byte loop it replaced, on every mix of
// line ends.
func TestSplitLinesEnds(t *testing.T) {
	ref := func(text string) []Span {
		var out []Span
		start := 0
		for i := 0; i < len(text); i++ {
			c := text[i]
			if c != '\n' && c != '\r' {
				continue
			}
			out = append(out, Span{int32(start), int32(i)})
			if c == '\r' && i+1 < len(text) && text[i+1] == '\n' {
				i++
			}
			start = i + 1
		}
		return append(out, Span{int32(start), int32(len(text))})
	}
	alphabet := []string{"a", "é", "\n", "\r", "\r\n", "\n\r", "𝑥"}
	var gen func(prefix string, depth int)
	gen = func(prefix string, depth int) {
		var got []Span
		splitLines(prefix, func(_ int, sp Span) { got = append(got, sp) })
		if want := ref(prefix); !slices.Equal(got, want) {
			t.Fatalf("%q: %v, want %v", prefix, got, want)
		}
		if depth == 0 {
			return
		}
		for _, a := range alphabet {
			gen(prefix+a, depth-1)
		}
	}
	gen("", 5)
}

// textLines is the line table as it was before Lines stopped holding its
// text: the oracle Lines is checked against.
// (It was the line table of one text: the one place where byte offsets
// become (line, column) in an encoding and back. Line breaks are "\n",
// "\r\n" and a lone "\r", as LSP defines them.
type textLines struct {
	text   string
	starts []int32 // byte offset of each line's first byte
}

// newTextLines builds the line table of text.
func newTextLines(text string) *textLines {
	n := 1
	for i := 0; i < len(text); i++ {
		if text[i] == '\n' || (text[i] == '\r' && (i+1 == len(text) || text[i+1] != '\n')) {
			n++
		}
	}
	starts := make([]int32, 1, n)
	for i := 0; i < len(text); i++ {
		switch text[i] {
		case '\n':
			starts = append(starts, int32(i+1))
		case '\r':
			if i+1 == len(text) || text[i+1] != '\n' {
				starts = append(starts, int32(i+1))
			}
		}
	}
	return &textLines{text: text, starts: starts}
}

// Count is the number of lines; an empty text has one empty line.
func (l *textLines) Count() int { return len(l.starts) }

// LineSpan returns the byte span of line i without its line break.
func (l *textLines) LineSpan(i int) Span {
	s, e := l.bounds(i)
	return Span{int32(s), int32(e)}
}

// bounds returns the byte range of line i, excluding the line break.
func (l *textLines) bounds(i int) (int, int) {
	if i < 0 || i >= len(l.starts) {
		return len(l.text), len(l.text)
	}
	s := int(l.starts[i])
	e := len(l.text)
	if i+1 < len(l.starts) {
		e = int(l.starts[i+1])
	}
	if e > s && l.text[e-1] == '\n' {
		e--
	}
	if e > s && l.text[e-1] == '\r' {
		e--
	}
	return s, e
}

// LineOf returns the line holding byte offset off (clamped to the text).
func (l *textLines) LineOf(off int) int {
	if off <= 0 {
		return 0
	}
	lo, hi := 0, len(l.starts)-1
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if int(l.starts[mid]) <= off {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return lo
}

// Pos converts a byte offset to a position. An offset inside a multi-byte
// character, or inside a line break, is moved back to the character's start.
func (l *textLines) Pos(off int, enc Encoding) Pos {
	if off > len(l.text) {
		off = len(l.text)
	}
	if off < 0 {
		off = 0
	}
	line := l.LineOf(off)
	s, e := l.bounds(line)
	if off > e {
		off = e
	}
	return Pos{Line: line, Col: textColWidth(l.text[s:off], enc)}
}

// Offset converts a position to a byte offset. Positions past the end of a
// line clamp to the line's end, past the last line to the text's end, and a
// column that falls inside a surrogate pair or a multi-byte character to the
// start of that character: clients send such positions, and they must never
// produce an index out of range.
func (l *textLines) Offset(p Pos, enc Encoding) int {
	if p.Line < 0 {
		return 0
	}
	if p.Line >= len(l.starts) {
		return len(l.text)
	}
	s, e := l.bounds(p.Line)
	if p.Col <= 0 {
		return s
	}
	line := l.text[s:e]
	switch enc {
	case UTF8:
		if p.Col >= len(line) {
			return e
		}
		off := p.Col
		for off > 0 && !utf8.RuneStart(line[off]) {
			off--
		}
		return s + off
	}
	col := 0
	for i, r := range line {
		w := 1
		if enc == UTF16 && r >= 0x10000 {
			w = 2
		}
		if col+w > p.Col {
			return s + i
		}
		col += w
	}
	return e
}

// textColWidth counts the columns of s in enc.
func textColWidth(s string, enc Encoding) int {
	if enc == UTF8 {
		return len(s)
	}
	n := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			n++
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		n++
		if enc == UTF16 && r >= 0x10000 {
			n++
		}
	}
	return n
}
