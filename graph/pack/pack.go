// Package pack keeps what one session of the server read for the next:
// every file's stat, what graph's parser made of it (a record: files keep
// no text, see graph.File), the snapshot's entity indexes, and an opaque
// blob per file (the server keeps the diagnostics it published there).
//
// Reading one pack is a few sequential reads instead of 100,000 opens,
// and a file whose size and modification time still match is made from
// its record without being read or parsed (graph/scan asks the pack, as
// a scan.Known).
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
	"runtime"
	"sort"
	"sync"
	"sync/atomic"
	"unsafe"

	"github.com/seedls/seedls/graph"
)

// Layout: magic and version; the arrays (records' and kept indexes');
// the main part (fingerprint, record stamp, kind names, where the kept
// indexes lie, entry count, entries: path, size, mtime, hash, length,
// flags, blob, where the record's head lies); the records' heads; the
// three parts' lengths and a CRC-32C of each, so that a truncated or
// corrupt pack is refused as a whole rather than half trusted. The parts
// are read into buffers of their own: the arrays are used in place for
// the session (the files' line tables, groups and items are in them), the
// heads only until the files are made. Records are only as good as the
// build that wrote them: a pack another build wrote is not read at all.

const (
	packMagic   = "SEEDLSPK"
	packVersion = 5
	packTrailer = 3*8 + 3*4 // the parts' lengths and checksums
)

// Entry is one file of a pack.
type Entry struct {
	Path string
	// Size and ModTime (Unix nanoseconds) are the stat the file was read
	// with; -1 when its text is not the disk's (an editor's buffer) or
	// was read too close to its last change to trust the time.
	Size, ModTime int64
	// Hash and Len are the text's (see graph.File).
	Hash uint64
	Len  int
	// Unreadable is set for a file that could not be read: always read
	// again.
	Unreadable bool
	// Lossy is set when the text is not the bytes read (see
	// graph.File.Lossy): the file is always read again.
	Lossy bool
	// Racy is set when the stat was too close to the read to be trusted:
	// a later session, reading the file again, can keep it with its stat.
	Racy    bool
	Blob    []byte
	HasBlob bool // Blob is meaningful, even when empty
	// File is, when writing, the file as parsed, whose record the pack
	// keeps so that the next start need not read or parse it.
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
	// indexes are the snapshot's entity indexes as written; none when
	// the pack has none to trust.
	indexes graph.StoredIndexes
	// Decoded counts the files made from the pack's records.
	Decoded atomic.Int64
}

// DropRecords lets the records' heads go once the scan has made its
// files: the entries stay, for their kept diagnostics.
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
	i, ok := p.entryIndex(path)
	if !ok {
		return nil, false
	}
	return &p.Entries[i], true
}

// usable reports whether e's record may stand for the file when its
// stat matches.
func (e *Entry) usable() bool { return !e.Unreadable && !e.Lossy && e.Size >= 0 && e.head != nil }

// fileAt is the file of entry i, made once (nil when its record does not
// decode): the scan, Snapshot and Affected share it.
func (p *Pack) fileAt(i int) *graph.File {
	if p.made[i] == nil {
		e := &p.Entries[i]
		if e.head == nil {
			return nil
		}
		f := graph.DecodeRecord(e.Path, e.head, p.arrays)
		if f == nil {
			return nil
		}
		f.Size, f.ModTime = e.Size, e.ModTime
		p.Decoded.Add(1)
		p.made[i] = f
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

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// Write writes entries to path atomically: to a temporary file in the
// same folder, renamed over path when complete. With snap, whose files
// the entries' are, the snapshot's entity indexes are kept too. A
// cancelled ctx stops it, leaving path as it was. pace, when set, is
// called every 64 entries: the server holds the write there while
// requests are coming (a pack is written beside them, and on two cores
// its work and its garbage's collections would slow them).
func Write(ctx context.Context, path, fingerprint string, entries []Entry, snap *graph.Snapshot, pace func()) error {
	yield := func(i int) {
		if i%64 == 63 {
			if pace != nil {
				pace()
			} else {
				runtime.Gosched()
			}
		}
	}
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
	part := func() uint32 {
		w.Flush()
		sum := crc.Sum32()
		crc.Reset()
		return sum
	}
	part() // the header is compared, not summed
	stamp := recordStamp()
	// The arrays go first, as the records are made, and only the heads'
	// lengths are kept: the entries say where each head lies, and the
	// heads are made a second time after them, rather than every head
	// held until then.
	heads := make([]int, len(entries)) // each head's length; -1: no record
	rw := graph.RecordWriter{Arrays: w}
	for i := range entries {
		if i%1024 == 0 && ctx.Err() != nil {
			tmp.Close()
			return ctx.Err()
		}
		yield(i)
		heads[i] = -1
		if e := &entries[i]; stamp != "" && e.File != nil && !e.Unreadable {
			if n, ok := rw.Add(e.File); ok {
				heads[i] = n
			}
		}
		rw.Heads = rw.Heads[:0]
	}
	// Then the snapshot's indexes, when the entries are its files.
	var dir graph.IndexDir
	keptOK := false
	var entities int
	if snap != nil && stamp != "" {
		if pos := entityNumbers(entries); pos != nil {
			dir, keptOK = snap.WriteIndexes(&rw, pos)
			entities = len(pos)
		}
	}
	arraysLen := rw.N
	crcArrays := part()
	mainStart := written()
	str(fingerprint)
	str(stamp)
	kinds := graph.KindNames()
	u64(uint64(len(kinds)))
	for _, k := range kinds {
		str(k)
	}
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
	headsLen := 0
	for i := range entries {
		if i%1024 == 0 && ctx.Err() != nil {
			tmp.Close()
			return ctx.Err()
		}
		yield(i)
		e := &entries[i]
		str(e.Path)
		u64(uint64(e.Size))
		u64(uint64(e.ModTime))
		u64(e.Hash)
		u64(uint64(e.Len))
		var flags uint64
		for bit, on := range [...]bool{e.Unreadable, e.HasBlob, heads[i] >= 0, e.Lossy, e.Racy} {
			if on {
				flags |= 1 << bit
			}
		}
		u64(flags)
		u64(uint64(len(e.Blob)))
		w.Write(e.Blob)
		if heads[i] >= 0 {
			u64(uint64(headsLen))
			u64(uint64(heads[i]))
			headsLen += heads[i]
		}
	}
	mainLen := written() - mainStart
	crcMain := part()
	// The same records again, in the same order, so that the arrays'
	// offsets come out the same.
	again := graph.RecordWriter{Heads: rw.Heads} // counts the arrays, writes nothing
	for i := range entries {
		if heads[i] < 0 {
			continue
		}
		yield(i)
		n, ok := again.Add(entries[i].File)
		if !ok || n != heads[i] {
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

// ErrOtherBuild is returned by Read for a pack another build of seedls
// wrote: its records are of another layout, and nothing in it can be
// used without them.
var ErrOtherBuild = errors.New("pack written by another build of seedls")

// Read reads a pack.
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
	if stamp := r.str(); r.err == nil && (stamp == "" || stamp != recordStamp()) {
		return nil, ErrOtherBuild
	}
	arrays, err := read(uint64(len(head)), arraysLen, tail[24:])
	if err != nil {
		return nil, err
	}
	heads, err := read(uint64(len(head))+arraysLen+mainLen, headsLen, tail[32:])
	if err != nil {
		return nil, err
	}
	p.arrays = arrays
	kinds := make([]string, min(r.u64(), uint64(len(main))))
	for i := range kinds {
		kinds[i] = r.str()
	}
	graph.RegisterKinds(kinds)
	if nk := r.u64(); nk == graph.IndexCount {
		entities := r.u64()
		var dir graph.IndexDir
		for x := range dir {
			dir[x] = [3]uint64{r.u64(), r.u64(), r.u64()}
		}
		if r.err == nil {
			p.indexes = graph.ReadIndexes(arrays, dir, entities)
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
		e := Entry{Path: r.str(), Size: int64(r.u64()), ModTime: int64(r.u64()), Hash: r.u64(), Len: int(r.u64())}
		flags := r.u64()
		e.Unreadable, e.HasBlob, e.Lossy, e.Racy = flags&1 != 0, flags&2 != 0, flags&8 != 0, flags&16 != 0
		e.Blob = r.bytes()
		if flags&4 != 0 {
			off, n := r.u64(), r.u64()
			if off > headsLen || n > headsLen-off {
				return nil, errors.New("pack record out of range")
			}
			e.head = heads[off : off+n : off+n]
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

// str shares the pack's buffer, which is never written: the paths of
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

// Stat returns the stat an entry's file was read with, if its record may
// stand for the file while the stat matches: pack implements scan.Known.
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
// and whether every file is affected (a kind appeared or went, or the
// pack cannot tell what a changed file was).
func (p *Pack) Affected(s *graph.Snapshot) (affected map[string]bool, changed []string, all bool) {
	var changes []graph.Change
	var noBlob []string
	unknown := false
	mark := func(path string, e *Entry, cur *graph.File) {
		changed = append(changed, path)
		var old *graph.File
		if e != nil && !e.Unreadable {
			if old = p.fileAt(int(p.byPath[e.Path])); old == nil {
				unknown = true // what depended on it cannot be told
			}
		}
		changes = append(changes, graph.NewChange(old, cur))
	}
	files := s.Files()
	i := 0
	for _, f := range files {
		for i < len(p.Entries) && p.Entries[i].Path < f.Path {
			mark(p.Entries[i].Path, &p.Entries[i], nil) // gone
			i++
		}
		var e *Entry
		if i < len(p.Entries) && p.Entries[i].Path == f.Path {
			e = &p.Entries[i]
			i++
		}
		if e != nil && !e.Unreadable && f.Kind != graph.UnreadableFile && e.Lossy == f.Lossy && e.Hash == f.Hash && e.Len == f.Len {
			if !e.HasBlob {
				noBlob = append(noBlob, f.Path) // the same text, never diagnosed closed
			}
			continue
		}
		mark(f.Path, e, f)
	}
	for ; i < len(p.Entries); i++ {
		mark(p.Entries[i].Path, &p.Entries[i], nil)
	}
	affected, all = s.Affected(changes)
	for _, path := range noBlob {
		affected[path] = true
	}
	return affected, changed, all || unknown
}

// Snapshot returns the snapshot of the pack's files as they were written,
// made from its stored indexes, or nil when it kept none.
func (p *Pack) Snapshot() *graph.Snapshot {
	if p == nil || !p.indexes.OK() {
		return nil
	}
	files := make([]*graph.File, 0, len(p.Entries))
	for i := range p.Entries {
		if p.Entries[i].Unreadable {
			continue
		}
		f := p.fileAt(i)
		if f == nil {
			return nil
		}
		files = append(files, f)
	}
	return graph.SnapshotOf(files, p.indexes)
}

// entityNumbers numbers the entities of entries in the pack's order, as
// Base will: nil when an entry's file is missing.
func entityNumbers(entries []Entry) map[*graph.Entity]uint32 {
	pos := make(map[*graph.Entity]uint32, len(entries))
	for i := range entries {
		e := &entries[i]
		if e.Unreadable {
			continue
		}
		if e.File == nil {
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
