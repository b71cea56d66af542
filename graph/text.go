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
// "\r\n" and a lone "\r", as LSP defines them. It does not hold the
// text: a workspace keeps the line tables of 100,000 files, not their
// texts, so it keeps where lines start and where the characters of more
// than one byte are, which is all a column count needs.
type Lines struct {
	n int32 // the text's length
	// starts holds each line's first byte, shifted left by two, with the
	// length of the line's break (0, 1 or 2) in the low bits.
	starts []uint32
	// wide holds each character of more than one byte in order: its
	// offset shifted left by two, with its length less one in the low
	// bits. Invalid bytes are not in it: they count as one column, as
	// one-byte characters do.
	wide []uint32
}

// NewLines builds the line table of text.
func NewLines(text string) *Lines {
	l := &Lines{n: int32(len(text))}
	lines, wide := 1, 0
	for i := 0; i < len(text); i++ {
		switch c := text[i]; {
		case c == '\n' || c == '\r' && (i+1 == len(text) || text[i+1] != '\n'):
			lines++
		case c >= 0xC0:
			wide++
		}
	}
	l.starts = make([]uint32, 1, lines)
	l.wide = make([]uint32, 0, wide)
	for i := 0; i < len(text); {
		c := text[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '\n':
				l.starts[len(l.starts)-1] |= 1
				l.starts = append(l.starts, uint32(i+1)<<2)
			case c == '\r' && i+1 < len(text) && text[i+1] == '\n':
				l.starts[len(l.starts)-1] |= 2
				l.starts = append(l.starts, uint32(i+2)<<2)
				i++
			case c == '\r':
				l.starts[len(l.starts)-1] |= 1
				l.starts = append(l.starts, uint32(i+1)<<2)
			}
			i++
			continue
		}
		_, size := utf8.DecodeRuneInString(text[i:])
		if size > 1 {
			l.wide = append(l.wide, uint32(i)<<2|uint32(size-1))
		}
		i += size
	}
	if len(l.wide) == 0 {
		l.wide = nil // as a record gives it back
	}
	return l
}

// Count is the number of lines; an empty text has one empty line.
func (l *Lines) Count() int { return len(l.starts) }

// LineSpan returns the byte span of line i without its line break.
func (l *Lines) LineSpan(i int) Span {
	s, e := l.bounds(i)
	return Span{int32(s), int32(e)}
}

// bounds returns the byte range of line i, excluding the line break.
func (l *Lines) bounds(i int) (int, int) {
	if i < 0 || i >= len(l.starts) {
		return int(l.n), int(l.n)
	}
	s := int(l.starts[i] >> 2)
	e := int(l.n)
	if i+1 < len(l.starts) {
		e = int(l.starts[i+1]>>2) - int(l.starts[i]&3)
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
		if int(l.starts[mid]>>2) <= off {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return lo
}

// wideFrom returns the index of the first wide character at or after
// byte offset off.
func (l *Lines) wideFrom(off int) int {
	lo, hi := 0, len(l.wide)
	for lo < hi {
		mid := (lo + hi) / 2
		if int(l.wide[mid]>>2) < off {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	return lo
}

// width is the number of columns a character of size bytes takes in enc.
func width(size int, enc Encoding) int {
	switch {
	case enc == UTF8:
		return size
	case enc == UTF16 && size == 4:
		return 2
	}
	return 1
}

// Pos converts a byte offset to a position. An offset inside a multi-byte
// character, or inside a line break, is moved back to the character's start.
func (l *Lines) Pos(off int, enc Encoding) Pos {
	off = max(0, min(off, int(l.n)))
	line := l.LineOf(off)
	s, e := l.bounds(line)
	off = min(off, e)
	col := off - s
	for k := l.wideFrom(s); k < len(l.wide); k++ {
		o, size := int(l.wide[k]>>2), int(l.wide[k]&3)+1
		if o >= off {
			break
		}
		if o+size > off { // inside this character: at its start
			col -= off - o
			break
		}
		col -= size - width(size, enc)
	}
	return Pos{Line: line, Col: col}
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
		return int(l.n)
	}
	s, e := l.bounds(p.Line)
	if p.Col <= 0 {
		return s
	}
	at, col := s, 0 // a byte offset and its column
	for k := l.wideFrom(s); k < len(l.wide); k++ {
		o, size := int(l.wide[k]>>2), int(l.wide[k]&3)+1
		if o >= e {
			break
		}
		if col+(o-at) >= p.Col { // among the one-byte characters before it
			return at + (p.Col - col)
		}
		col += o - at
		w := width(size, enc)
		if col+w > p.Col { // inside it: at its start
			return o
		}
		at, col = o+size, col+w
	}
	return min(at+(p.Col-col), e)
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
