package graph

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"unsafe"
)

// A record keeps what ParseFile made of a text, so that a warm start
// decodes 100,000 files instead of parsing them again (parsing was half
// of a warm start's work). It is a small head of offsets and keys, plus
// the entity's word hashes, groups, items and author spans as raw arrays.
// The arrays are meant to be used in place, in the buffer they were read
// into: they hold no pointers, and copying them would double the largest
// part of the graph. Whoever keeps records (graph/pack) treats them as
// bytes: the layout is graph's alone.
//
// Raw arrays are only as good as the layout that wrote them, and a head
// only as good as the parser that made it: records must only be read by
// the same build of seedls that wrote them, and a file whose parse did not
// come out as plain substrings of its text (a problem to report, a
// replaced byte) gets no record and is parsed again.

// RecordLayout names the memory layout records are written in: part of
// what a keeper of records must match before reading them.
func RecordLayout() string {
	return fmt.Sprintf("parsed 1|item %d group %d span %d",
		unsafe.Sizeof(Item{}), unsafe.Sizeof(Group{}), unsafe.Sizeof(Span{}))
}

// RecordWriter makes records: each head appended to Heads, the arrays
// streamed to Arrays as they come (they are most of a record), or only
// counted when Arrays is nil.
type RecordWriter struct {
	Heads  []byte
	Arrays *bufio.Writer
	N      int // bytes written (or counted) to Arrays
}

// Add appends f's record's head to w.Heads and returns its length, or ok
// false when f is not one to keep.
func (w *RecordWriter) Add(f *File) (n int, ok bool) {
	if f == nil || f.Lossy || len(f.Problems) > 0 || f.Kind == UnreadableFile {
		return 0, false
	}
	h := recordHead{buf: w.Heads, text: f.Text, w: w}
	start := len(h.buf)
	h.buf = append(h.buf, byte(f.Kind))
	switch f.Kind {
	case DocumentFile:
		h.u32(uint32(len(f.Citations)))
		for _, c := range f.Citations {
			h.span(c.Span)
			h.str(c.ID)
			h.buf = append(h.buf, byte(c.Form))
		}
	case EntityFile:
		e := f.Entity
		for _, s := range [...]string{e.Kind, e.Status, e.ID, e.Title, e.Summary} {
			h.str(s)
		}
		for _, sp := range [...]Span{e.KindSpan, e.StatusSpan, e.IDSpan, e.TitleSpan, e.SummarySpan} {
			h.span(sp)
		}
		h.u64(e.idKey)
		h.u64(e.titleKey)
		h.u64(e.summaryKey)
		h.array(unsafe.Pointer(unsafe.SliceData(e.words)), len(e.words), 4)
		h.array(unsafe.Pointer(unsafe.SliceData(e.Groups)), len(e.Groups), int(unsafe.Sizeof(Group{})))
		h.array(unsafe.Pointer(unsafe.SliceData(e.items)), len(e.items), int(unsafe.Sizeof(Item{})))
		if p := e.Provenance; p == nil {
			h.buf = append(h.buf, 0)
		} else {
			h.buf = append(h.buf, 1)
			h.span(p.Span)
			h.str(p.Relation)
			h.span(p.RelationSpan)
			h.u64(uint64(p.Year))
			h.span(p.YearSpan)
			h.u64(uint64(p.More))
			h.array(unsafe.Pointer(unsafe.SliceData(p.Authors)), len(p.Authors), int(unsafe.Sizeof(Span{})))
		}
	}
	if h.bad {
		return 0, false // w.Heads keeps its length; the arrays written are never pointed to
	}
	w.Heads = h.buf
	return len(h.buf) - start, true
}

// recordHead writes one head. Strings are kept as offsets into the text,
// which they are substrings of; one that is not makes the record bad.
type recordHead struct {
	buf  []byte
	text string
	w    *RecordWriter
	bad  bool
}

func (h *recordHead) u32(v uint32) { h.buf = binary.LittleEndian.AppendUint32(h.buf, v) }
func (h *recordHead) u64(v uint64) { h.buf = binary.LittleEndian.AppendUint64(h.buf, v) }
func (h *recordHead) span(s Span)  { h.u32(uint32(s.Start)); h.u32(uint32(s.End)) }

func (h *recordHead) str(s string) {
	if s == "" {
		h.u32(0)
		h.u32(0)
		return
	}
	base := uintptr(unsafe.Pointer(unsafe.StringData(h.text)))
	p := uintptr(unsafe.Pointer(unsafe.StringData(s)))
	if len(h.text) == 0 || p < base || p+uintptr(len(s)) > base+uintptr(len(h.text)) {
		h.bad = true
		return
	}
	h.u32(uint32(p - base))
	h.u32(uint32(len(s)))
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

// pad aligns the arrays to 8 bytes.
func (w *RecordWriter) pad() {
	for w.N%8 != 0 {
		if w.Arrays != nil {
			w.Arrays.WriteByte(0)
		}
		w.N++
	}
}

// recordReader decodes one head, failing softly: a record that does not
// fit the text or the arrays is not used, and the file is parsed instead.
type recordReader struct {
	b      []byte
	off    int
	text   string
	arrays []byte
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

func (r *recordReader) span() Span {
	s := Span{int32(r.u32()), int32(r.u32())}
	if s.Start < 0 || s.End < s.Start || int(s.End) > len(r.text) {
		r.bad = true
	}
	return s
}

func (r *recordReader) str() string {
	off, n := int(r.u32()), int(r.u32())
	if off+n > len(r.text) {
		r.bad = true
		return ""
	}
	return r.text[off : off+n]
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

// DecodeRecord makes the File that head records for text, its arrays in
// arrays, or returns nil when the record does not fit them.
func DecodeRecord(path, text string, head, arrays []byte) *File {
	r := recordReader{b: head, text: text, arrays: arrays}
	switch FileKind(r.u8()) {
	case DocumentFile:
		f := &File{Path: path, Text: text, Kind: DocumentFile}
		n := int(r.u32())
		if n > len(head) {
			return nil
		}
		if n > 0 {
			f.Citations = make([]Citation, n)
		}
		for i := range f.Citations {
			f.Citations[i] = Citation{Span: r.span(), ID: r.str(), Form: Form(r.u8())}
		}
		if r.bad || r.off != len(head) {
			return nil
		}
		return f
	case EntityFile:
		// One allocation for the file, its entity and its provenance.
		all := &struct {
			f File
			e Entity
			p Provenance
		}{}
		f, e := &all.f, &all.e
		*f = File{Path: path, Text: text, Kind: EntityFile, Entity: e}
		e.file = f
		e.Kind, e.Status, e.ID, e.Title, e.Summary = r.str(), r.str(), r.str(), r.str(), r.str()
		e.KindSpan, e.StatusSpan, e.IDSpan, e.TitleSpan, e.SummarySpan = r.span(), r.span(), r.span(), r.span(), r.span()
		e.idKey, e.titleKey, e.summaryKey = r.u64(), r.u64(), r.u64()
		if p, n := r.array(4, 4); n > 0 {
			e.words = unsafe.Slice((*uint32)(p), n)
		}
		if p, n := r.array(unsafe.Sizeof(Group{}), unsafe.Alignof(Group{})); n > 0 {
			e.Groups = unsafe.Slice((*Group)(p), n)
		}
		if p, n := r.array(unsafe.Sizeof(Item{}), unsafe.Alignof(Item{})); n > 0 {
			e.items = unsafe.Slice((*Item)(p), n)
		}
		if r.u8() == 1 {
			pv := &all.p
			pv.Span, pv.Relation, pv.RelationSpan = r.span(), r.str(), r.span()
			pv.Year = int(r.u64())
			pv.YearSpan = r.span()
			pv.More = int(r.u64())
			if p, n := r.array(unsafe.Sizeof(Span{}), unsafe.Alignof(Span{})); n > 0 {
				pv.Authors = unsafe.Slice((*Span)(p), n)
			}
			e.Provenance = pv
		}
		if r.bad || r.off != len(head) || !itemsFit(e, len(text)) {
			return nil
		}
		return f
	}
	return nil
}

// itemsFit checks what the arrays hold against the text: the groups'
// item ranges and every span the arrays hold, which queries slice the
// text with.
func itemsFit(e *Entity, n int) bool {
	in := func(s Span) bool { return s.Start >= 0 && s.End >= s.Start && int(s.End) <= n }
	for i := range e.Groups {
		g := &e.Groups[i]
		if g.first < 0 || g.n < 0 || int(g.first)+int(g.n) > len(e.items) ||
			!in(g.HeaderSpan) || !in(g.LabelSpan) || !in(g.KindSpan) || !in(g.NoteSpan) {
			return false
		}
	}
	if p := e.Provenance; p != nil {
		for _, a := range p.Authors {
			if !in(a) {
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
			if it.m1() < it.Span.Start || it.mid2 < it.m1() || it.mid2 > it.Span.End {
				return false
			}
			if it.shape() == scored && it.mid2+5 > it.Span.End {
				return false
			}
		case oneText:
		default:
			return false
		}
	}
	return true
}
