package graph

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"slices"
	"unsafe"
)

// A record keeps what ParseFile made of a text, so that a warm start
// decodes its files instead of reading and parsing them again, and
// without their texts, which files
// do not keep (see File.DropText). It is a small head of spans, keys and
// counts, plus raw arrays: the entity's own lines as text, its word
// hashes, groups, items and author spans, the line table, and the
// strings of problems and citations. The arrays are meant to be used in
// place, in the buffer they were read into: they hold no pointers, and
// copying them would double the largest part of the graph. Whoever keeps
// records (graph/pack) treats them as bytes: the layout is graph's alone.
//
// Raw arrays are only as good as the layout that wrote them, and a head
// only as good as the parser that made it: records must only be read by
// the same build of seedls that wrote them (RecordLayout and a keeper's
// build stamp), and are checked against what they describe when read.

// RecordLayout names the memory layout records are written in: part of
// what a keeper of records must match before reading them.
func RecordLayout() string {
	return fmt.Sprintf("parsed 4|item %d group %d span %d cite %d",
		unsafe.Sizeof(Item{}), unsafe.Sizeof(Group{}), unsafe.Sizeof(Span{}), unsafe.Sizeof(citeRecord{}))
}

// RecordWriter makes records: each head appended to Heads, the arrays
// streamed to Arrays as they come (they are most of a record), or only
// counted when Arrays is nil.
type RecordWriter struct {
	Heads  []byte
	Arrays *bufio.Writer
	N      int // bytes written (or counted) to Arrays
	// Scratch space reused from record to record: a pack is written
	// beside requests, and its garbage would bring collections on them.
	strs  []byte
	cites []citeRecord
}

// citeRecord is a citation without its id's string: n bytes of the
// record's strings.
type citeRecord struct {
	Span Span
	N    uint32
	Form Form
}

// Add appends f's record's head to w.Heads and returns its length, or ok
// false when f is not one to keep (an unreadable file is read again).
func (w *RecordWriter) Add(f *File) (n int, ok bool) {
	if f == nil || f.Kind == UnreadableFile || f.lines == nil {
		return 0, false
	}
	h := recordHead{buf: w.Heads, w: w}
	start := len(h.buf)
	h.buf = append(h.buf, byte(f.Kind))
	h.u64(f.Hash)
	h.u64(uint64(f.Len))
	h.flag(f.Lossy)
	h.array(unsafe.Pointer(unsafe.SliceData(f.lines.starts)), len(f.lines.starts), 4)
	h.array(unsafe.Pointer(unsafe.SliceData(f.lines.wide)), len(f.lines.wide), 4)
	// Every string of the record, one after the other: the entity's own
	// lines, the problems' messages, the citations' ids.
	strs := w.strs[:0]
	var head string
	if e := f.Entity; e != nil {
		head = e.ownText()[:e.headEnd()]
		strs = append(strs, head...)
	}
	h.u32(uint32(len(f.Problems)))
	for _, p := range f.Problems {
		h.span(p.Span)
		h.buf = append(h.buf, byte(codeIndex(p.Code)), byte(p.Severity))
		h.u32(uint32(len(p.Message)))
		strs = append(strs, p.Message...)
	}
	cites := w.cites[:0]
	for _, c := range f.Citations {
		cites = append(cites, citeRecord{Span: c.Span, N: uint32(len(c.ID)), Form: c.Form})
		strs = append(strs, c.ID...)
	}
	w.strs, w.cites = strs, cites
	h.array(unsafe.Pointer(unsafe.SliceData(strs)), len(strs), 1)
	h.array(unsafe.Pointer(unsafe.SliceData(cites)), len(cites), int(unsafe.Sizeof(citeRecord{})))
	if e := f.Entity; e != nil {
		h.u32(uint32(len(head)))
		for _, sp := range [...]Span{e.KindSpan, e.StatusSpan, e.IDSpan, e.TitleSpan, e.SummarySpan} {
			h.span(sp)
		}
		h.u64(e.idKey)
		h.u64(e.titleKey)
		h.u64(e.summaryKey)
		for _, w := range append(e.titleBits[:], e.summaryBits[:]...) {
			h.u64(w)
		}
		h.array(unsafe.Pointer(unsafe.SliceData(e.words)), len(e.words), 4)
		h.array(unsafe.Pointer(unsafe.SliceData(e.Groups)), len(e.Groups), int(unsafe.Sizeof(Group{})))
		h.array(unsafe.Pointer(unsafe.SliceData(e.items)), len(e.items), int(unsafe.Sizeof(Item{})))
		if p := e.Provenance; p == nil {
			h.flag(false)
		} else {
			h.flag(true)
			h.span(p.Span)
			h.span(p.RelationSpan)
			h.u64(uint64(p.Year))
			h.span(p.YearSpan)
			h.u64(uint64(p.More))
			h.array(unsafe.Pointer(unsafe.SliceData(p.Authors)), len(p.Authors), int(unsafe.Sizeof(Span{})))
		}
	}
	w.Heads = h.buf
	return len(h.buf) - start, true
}

// headEnd is where the entity's own lines end in its text (see keepHead).
func (e *Entity) headEnd() int32 {
	end := max(e.KindSpan.End, e.StatusSpan.End, e.IDSpan.End, e.TitleSpan.End, e.SummarySpan.End)
	if p := e.Provenance; p != nil {
		end = max(end, p.Span.End)
	}
	return end
}

func codeIndex(c Code) int {
	for i, x := range Codes {
		if x.Code == c {
			return i
		}
	}
	return 255
}

// recordHead writes one head.
type recordHead struct {
	buf []byte
	w   *RecordWriter
}

func (h *recordHead) u32(v uint32) { h.buf = binary.LittleEndian.AppendUint32(h.buf, v) }
func (h *recordHead) u64(v uint64) { h.buf = binary.LittleEndian.AppendUint64(h.buf, v) }
func (h *recordHead) span(s Span)  { h.u32(uint32(s.Start)); h.u32(uint32(s.End)) }
func (h *recordHead) flag(b bool) {
	if b {
		h.buf = append(h.buf, 1)
	} else {
		h.buf = append(h.buf, 0)
	}
}

// pad aligns the arrays to 8 bytes.
func (w *RecordWriter) pad() {
	for w.N%8 != 0 {
		if w.Arrays != nil {
			w.Arrays.WriteByte(0)
		}
		w.N++
	}
}

// array writes n elements of size bytes at p to the arrays, 8-aligned,
// and notes where.
func (h *recordHead) array(p unsafe.Pointer, n, size int) {
	w := h.w
	w.pad()
	h.u64(uint64(w.N))
	h.u32(uint32(n))
	if n > 0 {
		if w.Arrays != nil {
			w.Arrays.Write(unsafe.Slice((*byte)(p), n*size))
		}
		w.N += n * size
	}
}

// recordReader decodes one head, failing softly: a record that does not
// fit its arrays or itself is not used, and the file is read instead.
type recordReader struct {
	b      []byte
	off    int
	arrays []byte
	n      int // the text's length, which spans must lie in
	bad    bool
}

func (r *recordReader) next(n int) []byte {
	if r.bad || n > len(r.b)-r.off {
		r.bad = true
		return make([]byte, n)
	}
	b := r.b[r.off : r.off+n]
	r.off += n
	return b
}

func (r *recordReader) u8() byte    { return r.next(1)[0] }
func (r *recordReader) u32() uint32 { return binary.LittleEndian.Uint32(r.next(4)) }
func (r *recordReader) u64() uint64 { return binary.LittleEndian.Uint64(r.next(8)) }
func (r *recordReader) flag() bool  { return r.u8() == 1 }

func (r *recordReader) span() Span {
	s := Span{int32(r.u32()), int32(r.u32())}
	if s.Start < 0 || s.End < s.Start || int(s.End) > r.n {
		r.bad = true
	}
	return s
}

// array returns the next array's n elements of size bytes and alignment
// align, in place in the arrays buffer, or nil.
func (r *recordReader) array(size, align uintptr) (unsafe.Pointer, int) {
	off, n := r.u64(), int(r.u32())
	if r.bad || n == 0 {
		return nil, 0
	}
	end := off + uint64(n)*uint64(size)
	if off > uint64(len(r.arrays)) || end > uint64(len(r.arrays)) || end < off {
		r.bad = true
		return nil, 0
	}
	p := unsafe.Pointer(&r.arrays[off])
	if uintptr(p)%align != 0 {
		r.bad = true
		return nil, 0
	}
	return p, n
}

func arrayOf[T any](r *recordReader) []T {
	var zero T
	p, n := r.array(unsafe.Sizeof(zero), unsafe.Alignof(zero))
	if n == 0 {
		return nil
	}
	return unsafe.Slice((*T)(p), n)
}

// take cuts n bytes off the front of *strs, or fails the record.
func (r *recordReader) take(strs *string, n uint32) string {
	if r.bad || uint64(n) > uint64(len(*strs)) {
		r.bad = true
		return ""
	}
	s := (*strs)[:n]
	*strs = (*strs)[n:]
	return s
}

// DecodeRecord makes the File that head records for path, its arrays in
// arrays (used in place: the file keeps them), or returns nil when the
// record does not fit them. The file holds no text.
func DecodeRecord(path string, head, arrays []byte) *File {
	r := recordReader{b: head, arrays: arrays}
	kind := FileKind(r.u8())
	f := &File{Path: path, Kind: kind, Hash: r.u64()}
	length := r.u64()
	if kind != DocumentFile && kind != EntityFile || length >= 1<<31 {
		return nil
	}
	f.Len, r.n = int(length), int(length)
	f.Lossy = r.flag()
	f.lines = &Lines{n: int32(length), starts: arrayOf[uint32](&r), wide: arrayOf[uint32](&r)}
	if r.bad || !f.lines.fits() {
		return nil
	}
	type problem struct {
		span  Span
		code  Code
		sev   Severity
		chars uint32
	}
	probs := make([]problem, min(int(r.u32()), len(head)))
	for i := range probs {
		p := &probs[i]
		p.span = r.span()
		c, sev := int(r.u8()), Severity(r.u8())
		if c >= len(Codes) || sev < SeverityError || sev > SeverityHint {
			return nil
		}
		p.code, p.sev, p.chars = Codes[c].Code, sev, r.u32()
	}
	strs := ""
	if b := arrayOf[byte](&r); len(b) > 0 {
		strs = unsafe.String(&b[0], len(b))
	}
	cites := arrayOf[citeRecord](&r)
	if r.bad {
		return nil
	}
	var e *Entity
	if kind == EntityFile {
		n := r.u32()
		e = &Entity{file: f, head: r.take(&strs, n)}
	}
	for _, p := range probs {
		f.Problems = append(f.Problems, Problem{Span: p.span, Code: p.code, Severity: p.sev, Message: r.take(&strs, p.chars)})
	}
	if len(cites) > 0 {
		f.Citations = make([]Citation, len(cites))
		for i, c := range cites {
			if c.Span.Start < 0 || c.Span.End < c.Span.Start || int(c.Span.End) > f.Len {
				return nil
			}
			f.Citations[i] = Citation{Span: c.Span, ID: r.take(&strs, c.N), Form: c.Form}
		}
	}
	if r.bad || strs != "" {
		return nil
	}
	if e == nil {
		return f
	}
	f.Entity = e
	r.n = len(e.head) // the entity's own spans lie in its head
	e.KindSpan, e.StatusSpan, e.IDSpan, e.TitleSpan, e.SummarySpan = r.span(), r.span(), r.span(), r.span(), r.span()
	e.idKey, e.titleKey, e.summaryKey = r.u64(), r.u64(), r.u64()
	for _, m := range []*wordMask{&e.titleBits, &e.summaryBits} {
		for i := range m {
			m[i] = r.u64()
		}
	}
	e.words = arrayOf[uint32](&r)
	e.Groups = arrayOf[Group](&r)
	e.items = arrayOf[Item](&r)
	if r.flag() {
		pv := &Provenance{Span: r.span(), RelationSpan: r.span()}
		pv.Year = int(r.u64())
		pv.YearSpan = r.span()
		pv.More = int(r.u64())
		pv.Authors = arrayOf[Span](&r)
		e.Provenance = pv
	}
	if r.bad || r.off != len(head) || !e.fits(f.Len) {
		return nil
	}
	e.setHead(e.head)
	e.kindKey = kindKey(e.Kind)
	return f
}

// fits checks a line table read back: lines in order within the text,
// wide characters in order and within it.
func (l *Lines) fits() bool {
	if len(l.starts) == 0 || l.starts[0]>>2 != 0 {
		return false
	}
	for i := 1; i < len(l.starts); i++ {
		if l.starts[i]>>2 < l.starts[i-1]>>2+l.starts[i-1]&3 || l.starts[i]>>2 > uint32(l.n) {
			return false
		}
	}
	return slices.IsSortedFunc(l.wide, func(a, b uint32) int { return int(a>>2) - int(b>>2) }) &&
		(len(l.wide) == 0 || l.wide[len(l.wide)-1]>>2+l.wide[len(l.wide)-1]&3 < uint32(l.n))
}

// fits checks what the arrays hold against a text of n bytes: the groups'
// item ranges and every span the arrays hold, which queries slice texts
// with, and the provenance's spans against the entity's own lines.
func (e *Entity) fits(n int) bool {
	in := func(s Span) bool { return s.Start >= 0 && s.End >= s.Start && int(s.End) <= n }
	for i := range e.Groups {
		g := &e.Groups[i]
		if g.first < 0 || g.n < 0 || int(g.first)+int(g.n) > len(e.items) ||
			!in(g.HeaderSpan) || !in(g.LabelSpan) || !in(g.KindSpan) || !in(g.NoteSpan) {
			return false
		}
	}
	if p := e.Provenance; p != nil {
		own := func(s Span) bool { return s.Start >= 0 && s.End >= s.Start && int(s.End) <= len(e.head) }
		if !own(p.Span) || !own(p.RelationSpan) || !own(p.YearSpan) {
			return false
		}
		for _, a := range p.Authors {
			if !own(a) {
				return false
			}
		}
	}
	for i := range e.items {
		it := &e.items[i]
		if !in(it.Span) {
			return false
		}
		switch it.shape() {
		case titled, scored:
			if it.m1() < it.Span.Start || it.m2() < it.m1() || it.m2() > it.Span.End {
				return false
			}
			if it.shape() == scored && it.m2()+5 > it.Span.End {
				return false
			}
		case oneText:
		default:
			return false
		}
	}
	return true
}
