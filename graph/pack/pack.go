// Package pack keeps what one session of the server read for the next:
// every file's stat and text, what graph's parser made of it, the
// snapshot's entity indexes, and an opaque blob per file (the server keeps
// the diagnostics it published there).
package pack

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"sync/atomic"
	"unsafe"

	"github.com/seedls/seedls/graph"
)

// Reading one pack is a few sequential reads instead of 100,000 opens,
// and a file whose size and modification time still match is taken from
// it without being read or parsed (graph/scan asks it, as a scan.Known).
//
// Layout: magic and version; the arrays (records', kept indexes'); the
// main part (fingerprint, record stamp, where the kept indexes lie, entry
// count, entries: path, size, mtime, flags, text, blob, where the
// record's head lies); the records' heads;
// the three parts' lengths and a CRC-32C of each, so a truncated or
// corrupt pack is refused as a whole rather than half trusted. The parts
// are read into buffers of their own: texts and arrays stay in use for
// the session, the heads only until the files are made; another build's
// arrays and heads are not read at all.

const (
	packMagic   = "SEEDLSPK"
	packVersion = 4
	packTrailer = 3*8 + 3*4 // the parts' lengths and checksums
)

// Entry is one file of a pack.
type Entry struct {
	Path string
	// Size and ModTime (Unix nanoseconds) are the stat the text was read
	// with; -1 when the text is not the disk's (an editor's buffer) or
	// was read too close to its last change to trust the time.
	Size, ModTime int64
	Unreadable    bool // the file could not be read: always read again
	// Lossy is set when Text is not the bytes read (see graph.File.Lossy): the
	// same text now is not the same file, and was diagnosed as invalid.
	Lossy bool
	// Racy is set when the stat was too close to the read to be trusted:
	// a later session, reading the file again, can keep it with its stat.
	Racy    bool
	Text    string
	Blob    []byte
	HasBlob bool // Blob is meaningful, even when empty
	// File, when writing, is the file parsed from Text, kept so that the
	// next start need not parse it again.
	File *graph.File

	head []byte // the record's head, when read with one
}

// Pack is a pack read back.
type Pack struct {
	Fingerprint string
	Entries     []Entry // sorted by path
	byPath      map[string]int32
	arrays      []byte        // the records' arrays, used in place
	made        []*graph.File // the files made from entries, by entry
	// kept are the snapshot's entity indexes as written; none when the
	// pack has none to trust.
	kept graph.KeptIndexes
	// Decoded and Parsed count the files made from the pack by decoding
	// their records and by parsing their texts.
	Decoded, Parsed atomic.Int64
}

// DropRecords lets the records' heads go once the scan has made its
// files: the entries stay, for their texts and kept diagnostics.
func (p *Pack) DropRecords() {
	for i := range p.Entries {
		p.Entries[i].head = nil
	}
}

// Racy reports whether some file was kept without a stat to trust, only
// for being read too close to its last change: a pack written now would
// let the next start take it without reading it.
func (p *Pack) Racy() bool {
	for i := range p.Entries {
		if p.Entries[i].Racy {
			return true
		}
	}
	return false
}

// Entry returns the entry for path.
func (p *Pack) Entry(path string) (*Entry, bool) {
	if p == nil {
		return nil, false
	}
	i, ok := p.byPath[path]
	if !ok {
		return nil, false
	}
	return &p.Entries[i], true
}

// usable reports whether e's text may stand for the file when its stat
// matches.
func (e *Entry) usable() bool { return !e.Unreadable && e.Size >= 0 }

// fileAt is file for entry i, made once: the scan, Base and Affected
// share it.
func (p *Pack) fileAt(i int) *graph.File {
	if p.made[i] == nil {
		p.made[i] = p.file(&p.Entries[i])
	}
	return p.made[i]
}

// entryIndex returns the index of path's entry.
func (p *Pack) entryIndex(path string) (int, bool) {
	if p == nil {
		return 0, false
	}
	i, ok := p.byPath[path]
	return int(i), ok
}

// file makes the file e holds: from its record when it has one, else by
// parsing its text. Size and ModTime are the entry's.
func (p *Pack) file(e *Entry) *graph.File {
	var f *graph.File
	if e.head != nil {
		f = graph.DecodeRecord(e.Path, e.Text, e.head, p.arrays)
	}
	if f == nil {
		f = graph.ParseFile(e.Path, e.Text)
		p.Parsed.Add(1)
	} else {
		p.Decoded.Add(1)
	}
	f.Size, f.ModTime = e.Size, e.ModTime
	return f
}

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// Write writes entries to path atomically: to a temporary file in the
// same folder, renamed over path when complete. With snap, whose files
// the entries are, the snapshot's entity indexes are kept too. A
// cancelled ctx stops it, leaving path as it was.
func Write(ctx context.Context, path, fingerprint string, entries []Entry, snap *graph.Snapshot) error {
	sort.Slice(entries, func(i, j int) bool { return entries[i].Path < entries[j].Path })
	tmp, err := os.CreateTemp(filepath.Dir(path), ".pack-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // a no-op once renamed
	crc := crc32.New(castagnoli)
	cw := &countingWriter{w: io.MultiWriter(tmp, crc)}
	w := bufio.NewWriterSize(cw, 1<<20)
	written := func() int { return cw.n + w.Buffered() }
	var num [8]byte
	u64 := func(v uint64) { binary.LittleEndian.PutUint64(num[:], v); w.Write(num[:]) }
	str := func(s string) { u64(uint64(len(s))); w.WriteString(s) }
	w.WriteString(packMagic)
	u64(packVersion)
	// Each part has its own checksum, so that a reader can leave out the
	// parts it will not use (another build's records and indexes).
	part := func() uint32 {
		w.Flush()
		sum := crc.Sum32()
		crc.Reset()
		return sum
	}
	part() // the header is compared, not summed
	// The arrays go first, as the records are made, and only the heads'
	// lengths are kept: the entries say where each head lies, and the
	// heads are made a second time after them. Holding 100,000 heads
	// until then was the session's peak of memory.
	type where struct{ off, n int }
	heads := make([]where, len(entries))
	rw := graph.RecordWriter{Arrays: w}
	headsLen := 0
	const none, refused = -1, -2 // no record tried; tried and refused (its arrays are written all the same)
	stamped := recordStamp() != ""
	for i := range entries {
		if i%1024 == 0 && ctx.Err() != nil {
			tmp.Close()
			return ctx.Err()
		}
		e := &entries[i]
		heads[i].n = none
		if stamped && e.File != nil && e.File.Text == e.Text && !e.Unreadable && e.Size >= 0 {
			heads[i].n = refused
			if n, ok := rw.Add(e.File); ok {
				heads[i] = where{headsLen, n}
			}
			headsLen += max(heads[i].n, 0)
		}
		rw.Heads = rw.Heads[:0]
	}
	// Then the snapshot's indexes, when the entries are its files.
	var dir graph.IndexDir
	keptOK := false
	var entities int
	if snap != nil && stamped {
		if pos := entityNumbers(entries); pos != nil {
			dir, keptOK = snap.WriteIndexes(&rw, pos)
			entities = len(pos)
		}
	}
	arraysLen := rw.N
	crcArrays := part()
	mainStart := written()
	str(fingerprint)
	str(recordStamp())
	if keptOK {
		u64(graph.IndexCount)
		u64(uint64(entities))
		for _, d := range dir {
			u64(d[0])
			u64(d[1])
			u64(d[2])
		}
	} else {
		u64(0)
	}
	u64(uint64(len(entries)))
	for i := range entries {
		if i%1024 == 0 && ctx.Err() != nil {
			tmp.Close()
			return ctx.Err()
		}
		e := &entries[i]
		str(e.Path)
		u64(uint64(e.Size))
		u64(uint64(e.ModTime))
		var flags uint64
		if e.Unreadable {
			flags |= 1
		}
		if e.HasBlob {
			flags |= 2
		}
		if heads[i].n >= 0 {
			flags |= 4
		}
		if e.Lossy {
			flags |= 8
		}
		if e.Racy {
			flags |= 16
		}
		u64(flags)
		str(e.Text)
		u64(uint64(len(e.Blob)))
		w.Write(e.Blob)
		if heads[i].n >= 0 {
			u64(uint64(heads[i].off))
			u64(uint64(heads[i].n))
		}
	}
	mainLen := written() - mainStart
	crcMain := part()
	// The same records again, in the same order, so that the arrays'
	// offsets come out the same.
	again := graph.RecordWriter{Heads: rw.Heads} // counts the arrays, writes nothing
	for i := range entries {
		if heads[i].n == none {
			continue
		}
		n, ok := again.Add(entries[i].File)
		if ok != (heads[i].n >= 0) || ok && n != heads[i].n {
			tmp.Close()
			return errors.New("pack record changed while written")
		}
		w.Write(again.Heads)
		again.Heads = again.Heads[:0]
	}
	crcHeads := part()
	u64(uint64(arraysLen))
	u64(uint64(mainLen))
	u64(uint64(headsLen))
	for _, sum := range [...]uint32{crcArrays, crcMain, crcHeads} {
		binary.LittleEndian.PutUint32(num[:4], sum)
		w.Write(num[:4])
	}
	if err := w.Flush(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

type countingWriter struct {
	w io.Writer
	n int
}

func (c *countingWriter) Write(b []byte) (int, error) {
	n, err := c.w.Write(b)
	c.n += n
	return n, err
}

// ErrMissing is returned by Read when there is no pack.
var ErrMissing = errors.New("no pack")

// Read reads a pack. Texts and blobs share one buffer, the main part.
func Read(path string) (*Pack, error) {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, ErrMissing
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	size := st.Size()
	head := make([]byte, len(packMagic)+8)
	if size < int64(len(head)+packTrailer) {
		return nil, errors.New("not a seedls pack")
	}
	if _, err := f.ReadAt(head, 0); err != nil {
		return nil, err
	}
	if string(head[:len(packMagic)]) != packMagic {
		return nil, errors.New("not a seedls pack")
	}
	if v := binary.LittleEndian.Uint64(head[len(packMagic):]); v != packVersion {
		return nil, fmt.Errorf("pack version %d, this seedls reads %d", v, packVersion)
	}
	tail := make([]byte, packTrailer)
	if _, err := f.ReadAt(tail, size-packTrailer); err != nil {
		return nil, err
	}
	arraysLen, mainLen, headsLen := binary.LittleEndian.Uint64(tail), binary.LittleEndian.Uint64(tail[8:]), binary.LittleEndian.Uint64(tail[16:])
	if arraysLen > uint64(size) || mainLen > uint64(size) || headsLen > uint64(size) ||
		uint64(len(head))+arraysLen+mainLen+headsLen+packTrailer != uint64(size) {
		return nil, errors.New("pack truncated")
	}
	// read reads a part and checks its sum.
	read := func(off, n uint64, sum []byte) ([]byte, error) {
		b := make([]byte, n)
		if _, err := f.ReadAt(b, int64(off)); err != nil {
			return nil, err
		}
		if crc32.Checksum(b, castagnoli) != binary.LittleEndian.Uint32(sum) {
			return nil, errors.New("pack checksum mismatch: corrupt or truncated")
		}
		return b, nil
	}
	main, err := read(uint64(len(head))+arraysLen, mainLen, tail[28:])
	if err != nil {
		return nil, err
	}
	r := packReader{b: main}
	p := &Pack{Fingerprint: r.str()}
	stamp := r.str()
	// Another build's records and indexes are not even read.
	records := stamp != "" && stamp == recordStamp() && r.err == nil
	var arrays, heads []byte
	if records {
		if arrays, err = read(uint64(len(head)), arraysLen, tail[24:]); err != nil {
			return nil, err
		}
		if heads, err = read(uint64(len(head))+arraysLen+mainLen, headsLen, tail[32:]); err != nil {
			return nil, err
		}
		p.arrays = arrays
	}
	if nk := r.u64(); nk == graph.IndexCount {
		entities := r.u64()
		var dir graph.IndexDir
		for x := range dir {
			dir[x] = [3]uint64{r.u64(), r.u64(), r.u64()}
		}
		if records && r.err == nil {
			p.kept = graph.ReadIndexes(arrays, dir, entities)
		}
	} else if nk != 0 {
		return nil, errors.New("pack index count out of range")
	}
	n := r.u64()
	if n > uint64(len(r.b)) {
		return nil, errors.New("pack entry count out of range")
	}
	p.Entries = make([]Entry, 0, n)
	p.byPath = make(map[string]int32, n)
	p.made = make([]*graph.File, n)
	for i := uint64(0); i < n && r.err == nil; i++ {
		e := Entry{Path: r.str(), Size: int64(r.u64()), ModTime: int64(r.u64())}
		flags := r.u64()
		e.Unreadable, e.HasBlob, e.Lossy, e.Racy = flags&1 != 0, flags&2 != 0, flags&8 != 0, flags&16 != 0
		e.Text = r.str()
		e.Blob = r.bytes()
		if flags&4 != 0 {
			off, n := r.u64(), r.u64()
			if off > headsLen || n > headsLen-off {
				return nil, errors.New("pack record out of range")
			}
			if records {
				e.head = heads[off : off+n : off+n]
			}
		}
		p.byPath[e.Path] = int32(len(p.Entries))
		p.Entries = append(p.Entries, e)
	}
	if r.err != nil {
		return nil, r.err
	}
	return p, nil
}

type packReader struct {
	b   []byte
	off int
	err error
}

func (r *packReader) u64() uint64 {
	if r.err != nil || r.off+8 > len(r.b) {
		r.err = errors.New("pack truncated")
		return 0
	}
	v := binary.LittleEndian.Uint64(r.b[r.off:])
	r.off += 8
	return v
}

func (r *packReader) bytes() []byte {
	n := r.u64()
	if r.err != nil || n > uint64(len(r.b)-r.off) {
		r.err = errors.New("pack truncated")
		return nil
	}
	b := r.b[r.off : r.off+int(n) : r.off+int(n)]
	r.off += int(n)
	return b
}

// str shares the pack's buffer, which is never written: the texts of
// 100,000 files are not copied a second time.
func (r *packReader) str() string {
	b := r.bytes()
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(unsafe.SliceData(b), len(b))
}

// Unchanged reports whether a scan read the workspace exactly as the pack
// has it: every one of its files made from the pack (known of them, its
// stat unchanged), and as many files as the pack holds. The paths are
// distinct and each was found in the pack, so the two sets are equal. The
// kept diagnostics can then be published before the graph is built.
func (p *Pack) Unchanged(files, known int) bool {
	return known == files && files == len(p.Entries)
}

// Stat returns the stat an entry's text was read with, if it may stand
// for the file while the stat matches: pack implements scan.Known.
func (p *Pack) Stat(path string) (size, mtime int64, ok bool) {
	i, found := p.entryIndex(path)
	if !found || !p.Entries[i].usable() {
		return 0, 0, false
	}
	return p.Entries[i].Size, p.Entries[i].ModTime, true
}

// File makes the file path's entry holds, or returns nil.
func (p *Pack) File(path string) *graph.File {
	i, ok := p.entryIndex(path)
	if !ok {
		return nil
	}
	return p.fileAt(i)
}

// Affected compares s with the pack the diagnostics kept in it were made
// from, as graph.Snapshot.Affected compares an edit: it returns the paths
// whose diagnostics may differ now (including files kept without
// diagnostics), the paths of the files that changed, appeared or went,
// and whether every file is affected (a kind appeared or went).
func (p *Pack) Affected(s *graph.Snapshot) (affected map[string]bool, changed []string, all bool) {
	var changes []graph.Change
	var noBlob []string
	mark := func(path string, old, cur *graph.File) {
		changed = append(changed, path)
		changes = append(changes, graph.NewChange(old, cur))
	}
	files := s.Files()
	i := 0
	for _, f := range files {
		for i < len(p.Entries) && p.Entries[i].Path < f.Path {
			mark(p.Entries[i].Path, p.old(&p.Entries[i]), nil) // gone
			i++
		}
		var e *Entry
		if i < len(p.Entries) && p.Entries[i].Path == f.Path {
			e = &p.Entries[i]
			i++
		}
		if e != nil && !e.Unreadable && !e.Lossy && f.Kind != graph.UnreadableFile && !f.Lossy && e.Text == f.Text {
			if !e.HasBlob {
				noBlob = append(noBlob, f.Path) // the same text, never diagnosed closed
			}
			continue
		}
		mark(f.Path, p.old(e), f)
	}
	for ; i < len(p.Entries); i++ {
		mark(p.Entries[i].Path, p.old(&p.Entries[i]), nil)
	}
	affected, all = s.Affected(changes)
	for _, path := range noBlob {
		affected[path] = true
	}
	return affected, changed, all
}

// old makes the version of a file the pack holds, or returns nil.
func (p *Pack) old(e *Entry) *graph.File {
	if e == nil || e.Unreadable {
		return nil
	}
	return p.fileAt(int(p.byPath[e.Path]))
}

// Base returns the snapshot of the pack's files as they were written,
// made from its kept indexes, or nil when it kept none.
func (p *Pack) Base() *graph.Snapshot {
	if p == nil || !p.kept.OK() {
		return nil
	}
	files := make([]*graph.File, 0, len(p.Entries))
	for i := range p.Entries {
		if !p.Entries[i].Unreadable {
			files = append(files, p.fileAt(i))
		}
	}
	return graph.SnapshotOf(files, p.kept)
}

// entityNumbers numbers the entities of entries in the pack's order, as
// Base will: nil when an entry's file is missing or not made from its
// text.
func entityNumbers(entries []Entry) map[*graph.Entity]uint32 {
	pos := make(map[*graph.Entity]uint32, len(entries))
	for i := range entries {
		e := &entries[i]
		if e.Unreadable {
			continue
		}
		if e.File == nil || e.File.Text != e.Text {
			return nil
		}
		if ent := e.File.Entity; ent != nil {
			pos[ent] = uint32(len(pos))
		}
	}
	return pos
}

// BuildID tells this build of seedls from any other: a hash of the
// executable's content, computed once. Size and modification time are
// not enough: reproducible builds fix the time, and two builds of equal
// size would read each other's memory layout.
var BuildID = sync.OnceValue(func() string {
	exe, err := os.Executable()
	if err != nil {
		return ""
	}
	f, err := os.Open(exe)
	if err != nil {
		return ""
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return ""
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
})

// recordStamp names the build and layout records are valid for: "" when
// the build cannot be told apart, and then none are written or used.
var recordStamp = func() string {
	b := BuildID()
	if b == "" {
		return ""
	}
	return b + "|" + graph.RecordLayout()
}
