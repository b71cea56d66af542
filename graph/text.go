package graph

import (
	"strings"
	"unicode/utf8"
)

// Span is a half-open byte range [Start, End) in a file's text. int32 keeps
// the parsed model of 100k files small; files over 2 GiB are never read.
type Span struct {
	Start, End int32
}

// Of returns the text the span covers.
func (s Span) Of(text string) string {
	if s.Start < 0 || s.End > int32(len(text)) || s.Start > s.End {
		return ""
	}
	return text[s.Start:s.End]
}

// Contains reports whether byte offset off lies in the span; the end is
// included so that a cursor just after an id still finds it.
func (s Span) Contains(off int) bool { return int32(off) >= s.Start && int32(off) <= s.End }

// Len is the span's length in bytes.
func (s Span) Len() int { return int(s.End - s.Start) }

// Encoding is how a client counts columns (LSP's PositionEncodingKind).
type Encoding int

const (
	UTF16 Encoding = iota // LSP's default and VS Code's only choice
	UTF8                  // bytes
	UTF32                 // code points
)

// Pos is a zero-based line and column, the column counted in some Encoding.
type Pos struct {
	Line, Col int
}

// Lines is the line table of one text: the one place where byte offsets
// become (line, column) in an encoding and back. Line breaks are "\n",
// "\r\n" and a lone "\r", as LSP defines them.
type Lines struct {
	text   string
	starts []int32 // byte offset of each line's first byte
}

// NewLines builds the line table of text.
func NewLines(text string) *Lines {
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
	return &Lines{text: text, starts: starts}
}

// Count is the number of lines; an empty text has one empty line.
func (l *Lines) Count() int { return len(l.starts) }

// Line returns line i without its line break.
func (l *Lines) Line(i int) string {
	s, e := l.bounds(i)
	return l.text[s:e]
}

// LineSpan returns the byte span of line i without its line break.
func (l *Lines) LineSpan(i int) Span {
	s, e := l.bounds(i)
	return Span{int32(s), int32(e)}
}

// bounds returns the byte range of line i, excluding the line break.
func (l *Lines) bounds(i int) (int, int) {
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
func (l *Lines) LineOf(off int) int {
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
func (l *Lines) Pos(off int, enc Encoding) Pos {
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
	return Pos{Line: line, Col: colWidth(l.text[s:off], enc)}
}

// Offset converts a position to a byte offset. Positions past the end of a
// line clamp to the line's end, past the last line to the text's end, and a
// column that falls inside a surrogate pair or a multi-byte character to the
// start of that character: clients send such positions, and they must never
// produce an index out of range.
func (l *Lines) Offset(p Pos, enc Encoding) int {
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

// colWidth counts the columns of s in enc.
func colWidth(s string, enc Encoding) int {
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

// Range is a start and end position.
type Range struct {
	Start, End Pos
}

// Range converts a span to positions.
func (l *Lines) Range(s Span, enc Encoding) Range {
	return Range{l.Pos(int(s.Start), enc), l.Pos(int(s.End), enc)}
}

// splitLines calls f for every line of text with its byte span, using the
// same line breaks as Lines.
func splitLines(text string, f func(i int, sp Span)) {
	// Each end is found with IndexByte (vectorised) rather than a byte
	// loop: a line ends at its first '\n' or '\r', and "\r\n" is one end.
	start, n := 0, 0
	for {
		rest := text[start:]
		end := strings.IndexByte(rest, '\n')
		lim := end
		if lim < 0 {
			lim = len(rest)
		}
		if cr := strings.IndexByte(rest[:lim], '\r'); cr >= 0 {
			f(n, Span{int32(start), int32(start + cr)})
			n++
			start += cr + 1
			if start < len(text) && text[start] == '\n' {
				start++
			}
			continue
		}
		if end < 0 {
			break
		}
		f(n, Span{int32(start), int32(start + end)})
		n++
		start += end + 1
	}
	f(n, Span{int32(start), int32(len(text))})
}
