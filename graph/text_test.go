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
		if got := l.Line(i); got != want {
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
	if l.Count() != 1 || l.Line(0) != "" || l.Offset(Pos{3, 3}, UTF16) != 0 || l.Pos(5, UTF16) != (Pos{}) {
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
		l := NewLines(text)
		for _, enc := range []Encoding{UTF16, UTF8, UTF32} {
			if off := l.Offset(Pos{line, col}, enc); off < 0 || off > len(text) {
				t.Fatalf("Offset(%d,%d) = %d out of range", line, col, off)
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
