package graph

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/seedls/seedls/graph/gen"
)

func TestPackRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "files.pack")
	in := []PackEntry{
		{Path: "/w/b.md", Size: 12, ModTime: 34, Text: "claim:x 𝄞 ±", Blob: []byte(`[{"a":1}]`), HasBlob: true},
		{Path: "/w/a.txt", Size: -1, ModTime: -1, Text: "", HasBlob: true},
		{Path: "/w/c.bin", Unreadable: true},
	}
	if err := WritePack(context.Background(), path, "fp-1", in, nil); err != nil {
		t.Fatal(err)
	}
	p, err := ReadPack(path)
	if err != nil {
		t.Fatal(err)
	}
	if p.Fingerprint != "fp-1" || len(p.Entries) != 3 || p.Entries[0].Path != "/w/a.txt" {
		t.Fatalf("read back %+v", p)
	}
	e, ok := p.Entry("/w/b.md")
	if !ok || e.Text != "claim:x 𝄞 ±" || string(e.Blob) != `[{"a":1}]` || !e.HasBlob || e.Size != 12 || e.ModTime != 34 {
		t.Fatalf("entry %+v", e)
	}
	if e, _ := p.Entry("/w/c.bin"); !e.Unreadable || e.HasBlob {
		t.Fatalf("unreadable entry %+v", e)
	}
	if e, _ := p.Entry("/w/a.txt"); e.usable() {
		t.Fatal("an entry without a trusted stat must not be offered to the scan")
	}
	if _, ok := p.Entry("/w/none"); ok {
		t.Fatal("found an entry never written")
	}
}

// A pack with any byte changed, cut short, or of another version is
// refused as a whole.
func TestPackCorrupt(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "files.pack")
	if _, err := ReadPack(path); err != ErrPackMissing {
		t.Fatalf("missing pack: %v", err)
	}
	if err := WritePack(context.Background(), path, "fp", []PackEntry{{Path: "/w/a.md", Text: strings.Repeat("text ", 100)}}, nil); err != nil {
		t.Fatal(err)
	}
	good, _ := os.ReadFile(path)
	for name, data := range map[string][]byte{
		"flipped":   append(append([]byte{}, good[:100]...), append([]byte{good[100] ^ 1}, good[101:]...)...),
		"truncated": good[:len(good)/2],
		"empty":     nil,
		"other":     []byte("not a pack at all, but long enough to be read"),
	} {
		os.WriteFile(path, data, 0o644)
		if _, err := ReadPack(path); err == nil || err == ErrPackMissing {
			t.Errorf("%s pack accepted: %v", name, err)
		}
	}
	// No temporary files are left beside it.
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Fatalf("left behind: %v", entries)
	}
}

// Scan takes a file's text from Known only while its stat matches.
func TestScanKnown(t *testing.T) {
	root := t.TempDir()
	a, b := filepath.Join(root, "a.md"), filepath.Join(root, "b.md")
	os.WriteFile(a, []byte("claim:on-disk-a\n"), 0o644)
	os.WriteFile(b, []byte("claim:on-disk-b\n"), 0o644)
	res, err := Scan([]string{root}, ScanOptions{})
	if err != nil {
		t.Fatal(err)
	}
	stat := map[string][2]int64{}
	for _, f := range res.Files {
		if f.Size == 0 || f.ModTime == 0 {
			t.Fatalf("%s read without its stat", f.Path)
		}
		stat[f.Path] = [2]int64{f.Size, f.ModTime}
	}
	// b changes behind the cache's back: same size, a later time.
	os.WriteFile(b, []byte("claim:changed-b\n"), 0o644)
	later := time.Now().Add(time.Hour)
	os.Chtimes(b, later, later)
	known := &Pack{byPath: map[string]int32{}}
	for p, st := range stat {
		known.byPath[p] = int32(len(known.Entries))
		known.Entries = append(known.Entries, PackEntry{Path: p, Size: st[0], ModTime: st[1], Text: "claim:from-the-pack\n"})
	}
	known.made = make([]*File, len(known.Entries))
	res, err = Scan([]string{root}, ScanOptions{Known: func() *Pack { return known }})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, f := range res.Files {
		got[filepath.Base(f.Path)] = f.Citations[0].ID
	}
	if got["a.md"] != "claim:from-the-pack" || got["b.md"] != "claim:changed-b" {
		t.Fatalf("scan with Known: %v", got)
	}
}

// TestAffectedSince: after random changes, every file AffectedSince leaves
// out diagnoses exactly as the pack's blob says it did before. This is
// what lets a warm start publish kept diagnostics without recomputing them.
func TestAffectedSince(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	entity, doc := randomTexts(rng)
	path := filepath.Join(t.TempDir(), "files.pack")
	diag := func(s *Snapshot, f *File) string {
		var b strings.Builder
		for _, d := range s.Diagnose(f) {
			fmt.Fprintf(&b, "%v %s %s %v\n", d.Span, d.Code, d.Message, d.Related)
		}
		return b.String()
	}
	kept, checked := 0, 0
	for round := 0; round < 200; round++ {
		files := randomWorkspace(entity, doc, 25, 4)
		before := Build(mapValues(files))
		var entries []PackEntry
		for _, f := range before.Files() {
			entries = append(entries, PackEntry{Path: f.Path, Size: 1, ModTime: 1, Text: f.Text, Lossy: f.Lossy, Blob: []byte(diag(before, f)), HasBlob: true})
		}
		if err := WritePack(context.Background(), path, "fp", entries, nil); err != nil {
			t.Fatal(err)
		}
		p, err := ReadPack(path)
		if err != nil {
			t.Fatal(err)
		}
		for n := 1 + rng.IntN(3); n > 0; n-- {
			switch r := rng.IntN(10); {
			case r < 2:
				for k := range files {
					delete(files, k)
					break
				}
			case r < 4:
				f := ParseFile(fmt.Sprintf("/ws/d%d.md", rng.IntN(6)), doc())
				files[f.Path] = f
			case r < 6:
				f := ParseFile(fmt.Sprintf("/ws/e%02d.txt", rng.IntN(30)), entity())
				files[f.Path] = f
			default:
				// One line of an entity changes, as in an edit: its status,
				// title, summary, a neighbour, or its whole id line.
				for k, f := range files {
					if f.Entity != nil {
						f := ParseFile(k, editLine(rng, f.Text, entity()))
						files[f.Path] = f
						break
					}
				}
			}
		}
		after := Build(mapValues(files))
		affected, _, ok := after.AffectedSince(p)
		if !ok {
			t.Fatalf("round %d: builtin kinds only, yet the pack could not tell", round)
		}
		for _, f := range after.Files() {
			if affected[f.Path] {
				continue
			}
			checked++
			e, ok := p.Entry(f.Path)
			if !ok {
				t.Fatalf("round %d: %s is new but not affected", round, f.Path)
			}
			if got := diag(after, f); got != string(e.Blob) {
				t.Fatalf("round %d: %s left out, but its diagnostics changed:\nkept:\n%snow:\n%s", round, f.Path, e.Blob, got)
			}
			kept++
		}
	}
	if kept < 1000 {
		t.Fatalf("only %d of %d files kept their diagnostics: the test no longer exercises the shortcut", kept, checked)
	}
	t.Logf("%d files kept their diagnostics across changes", kept)
}

// A kind that appears changes what counts as a citation everywhere: the
// pack cannot tell what changed.
func TestAffectedSinceNewKind(t *testing.T) {
	d := ParseFile("/ws/d.md", "see memo:one-note\n")
	before := Build([]*File{d})
	path := filepath.Join(t.TempDir(), "files.pack")
	WritePack(context.Background(), path, "fp", []PackEntry{{Path: d.Path, Size: 1, ModTime: 1, Text: d.Text, HasBlob: true}}, nil)
	p, err := ReadPack(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, ok := before.AffectedSince(p); !ok {
		t.Fatal("nothing changed, yet the pack could not tell")
	}
	memo := ParseFile("/ws/m.txt", "memo\nactive\nmemo:one-noteOne note\nA memo\n")
	if _, _, ok := Build([]*File{d, memo}).AffectedSince(p); ok {
		t.Fatal("a new kind went unnoticed")
	}
}

// editLine changes one line of an entity text, taking it from another.
func editLine(rng *rand.Rand, text, other string) string {
	lines, from := strings.Split(text, "\n"), strings.Split(other, "\n")
	var items, fromItems []int
	for i, l := range lines {
		if strings.HasPrefix(l, "- ") {
			items = append(items, i)
		}
	}
	for i, l := range from {
		if strings.HasPrefix(l, "- ") {
			fromItems = append(fromItems, i)
		}
	}
	switch r := rng.IntN(6); {
	case r == 0:
		lines[1] = from[1] // status
	case r == 1:
		lines[2] += " more" // the title, not the id
	case r == 2:
		lines[2] = from[2] // id and title
	case r == 3 && rng.IntN(2) == 0:
		lines[3] = from[3] // summary
	case r == 3:
		lines[3] = strings.TrimPrefix(from[3], "Summary of ") // a summary that is another's title
	default:
		if len(items) > 0 && len(fromItems) > 0 {
			lines[items[rng.IntN(len(items))]] = from[fromItems[rng.IntN(len(fromItems))]]
		} else if len(items) > 0 {
			lines[items[0]] = "- " + strings.TrimPrefix(from[3], "Summary of ")
		} else {
			lines[3] = from[3]
		}
	}
	return strings.Join(lines, "\n")
}

// randomWorkspace parses n entity files /ws/eNN.txt and d documents
// /ws/dN.md made by randomTexts' makers.
func randomWorkspace(entity, doc func() string, n, d int) map[string]*File {
	files := map[string]*File{}
	for i := 0; i < n; i++ {
		f := ParseFile(fmt.Sprintf("/ws/e%02d.txt", i), entity())
		files[f.Path] = f
	}
	for i := 0; i < d; i++ {
		f := ParseFile(fmt.Sprintf("/ws/d%d.md", i), doc())
		files[f.Path] = f
	}
	return files
}

func mapValues(m map[string]*File) []*File {
	var out []*File
	for _, f := range m {
		out = append(out, f)
	}
	return out
}

// Unchanged holds exactly while the files a scan reads are the pack's,
// each with its stat.
func TestPackUnchanged(t *testing.T) {
	root := t.TempDir()
	os.WriteFile(filepath.Join(root, "a.md"), []byte("claim:a\n"), 0o644)
	os.WriteFile(filepath.Join(root, "b.txt"), []byte("claim:b\n"), 0o644)
	path := filepath.Join(t.TempDir(), "files.pack")
	pack := func() *Pack {
		res, err := Scan([]string{root}, ScanOptions{})
		if err != nil {
			t.Fatal(err)
		}
		var entries []PackEntry
		for _, f := range res.Files {
			entries = append(entries, PackEntry{Path: f.Path, Size: f.Size, ModTime: f.ModTime, Text: f.Text, HasBlob: true})
		}
		WritePack(context.Background(), path, "fp", entries, nil)
		p, err := ReadPack(path)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	unchanged := func(p *Pack) bool {
		res, err := Scan([]string{root}, ScanOptions{Known: func() *Pack { return p }})
		if err != nil {
			t.Fatal(err)
		}
		return p.Unchanged([]*ScanResult{res})
	}
	p := pack()
	if !unchanged(p) {
		t.Fatal("nothing changed, yet not Unchanged")
	}
	later := time.Now().Add(time.Hour)
	os.Chtimes(filepath.Join(root, "a.md"), later, later)
	if unchanged(p) {
		t.Fatal("a touched file went unnoticed")
	}
	p = pack()
	os.WriteFile(filepath.Join(root, "c.md"), nil, 0o644)
	if unchanged(p) {
		t.Fatal("a new file went unnoticed")
	}
	os.Remove(filepath.Join(root, "c.md"))
	os.Remove(filepath.Join(root, "b.txt"))
	if unchanged(p) {
		t.Fatal("a deleted file went unnoticed")
	}
}

// A file kept without diagnostics (open in an editor when the pack was
// written) is diagnosed on its own: it did not change, so nothing that
// depends on it is.
func TestAffectedSinceNoBlob(t *testing.T) {
	a := ParseFile("/ws/a.txt", "claim\nactive\nclaim:kept-openKept open\nA claim\n")
	d := ParseFile("/ws/d.md", "see claim:kept-open\n")
	path := filepath.Join(t.TempDir(), "files.pack")
	WritePack(context.Background(), path, "fp", []PackEntry{
		{Path: a.Path, Size: 1, ModTime: 1, Text: a.Text},
		{Path: d.Path, Size: 1, ModTime: 1, Text: d.Text, HasBlob: true},
	}, nil)
	p, err := ReadPack(path)
	if err != nil {
		t.Fatal(err)
	}
	affected, changed, ok := Build([]*File{a, d}).AffectedSince(p)
	if !ok || len(changed) != 0 || len(affected) != 1 || !affected[a.Path] {
		t.Fatalf("affected %v, changed %v, ok %v", affected, changed, ok)
	}
}

// recordTexts are texts of every sort the parser meets: a generated
// workspace, the sample corpus, the parser's fixtures (malformed files
// among them) and random entities and documents.
func recordTexts(t *testing.T) map[string]string {
	t.Helper()
	texts := map[string]string{}
	if err := gen.Generate(gen.Options{Entities: 300, Seed: 7}, func(f gen.File) error {
		texts["/gen/"+f.Name] = string(f.Data)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	for _, glob := range []string{"../seeds/*", "testdata/parse/*.txtar"} {
		paths, _ := filepath.Glob(glob)
		for _, p := range paths {
			data, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			if strings.HasSuffix(p, ".txtar") {
				for _, f := range parseArchive(string(data)).Files {
					texts["/fixture/"+filepath.Base(p)+"/"+f.Name] = f.Data
				}
				continue
			}
			texts["/seeds/"+filepath.Base(p)] = string(data)
		}
	}
	entity, doc := randomTexts(rand.New(rand.NewPCG(5, 6)))
	for i := 0; i < 100; i++ {
		texts[fmt.Sprintf("/rand/e%d.txt", i)] = entity()
		texts[fmt.Sprintf("/rand/d%d.md", i)] = doc()
	}
	return texts
}

// The files a pack's records make are the files parsing their texts makes,
// field for field; a file with problems to report is parsed again.
func TestPackRecords(t *testing.T) {
	texts := recordTexts(t)
	var entries []PackEntry
	plain, refused := 0, 0
	for path, text := range texts {
		f := ParseFile(path, text)
		if len(f.Problems) == 0 && !f.Lossy && f.Kind != UnreadableFile {
			plain++
			// Now and then a parse whose last string is not part of the
			// text, as no parse makes: refused after its arrays are
			// written, and the records after it must not be misplaced.
			if p := f.Entity; p != nil && p.Provenance != nil && refused < 20 && len(path)%3 == 0 {
				e, pv := *p, *p.Provenance
				pv.Relation = strings.Clone(pv.Relation)
				e.Provenance = &pv
				f = &File{Path: f.Path, Text: f.Text, Kind: f.Kind, Entity: &e}
				e.file = f
				refused++
				plain--
			}
		}
		entries = append(entries, PackEntry{Path: path, Size: int64(len(text)), ModTime: 1, Text: f.Text, File: f})
	}
	if refused == 0 {
		t.Fatal("no record to refuse")
	}
	path := filepath.Join(t.TempDir(), "files.pack")
	if err := WritePack(context.Background(), path, "fp", entries, nil); err != nil {
		t.Fatal(err)
	}
	check := func(p *Pack) {
		t.Helper()
		for i := range p.Entries {
			e := &p.Entries[i]
			got := p.file(e)
			want := ParseFile(e.Path, e.Text)
			want.Size, want.ModTime = e.Size, e.ModTime
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("%s: made from the pack\n%+v\nparsed\n%+v", e.Path, got, want)
			}
		}
	}
	p, err := ReadPack(path)
	if err != nil {
		t.Fatal(err)
	}
	check(p)
	if p.Decoded.Load() != int64(plain) || p.Parsed.Load() != int64(len(texts)-plain) || plain < 300 {
		t.Fatalf("decoded %d and parsed %d of %d files, %d without problems", p.Decoded.Load(), p.Parsed.Load(), len(texts), plain)
	}
	// Records written by another build are not used.
	stamp := parseStamp
	parseStamp = func() string { return "another build" }
	defer func() { parseStamp = stamp }()
	p, err = ReadPack(path)
	if err != nil {
		t.Fatal(err)
	}
	check(p)
	if p.Decoded.Load() != 0 {
		t.Fatalf("decoded %d files of another build's records", p.Decoded.Load())
	}
	// A build that cannot tell itself apart writes none and uses none.
	parseStamp = func() string { return "" }
	if err := WritePack(context.Background(), path, "fp", entries, nil); err != nil {
		t.Fatal(err)
	}
	if p, err = ReadPack(path); err != nil {
		t.Fatal(err)
	}
	check(p)
	if p.Decoded.Load() != 0 {
		t.Fatalf("decoded %d files without a build stamp", p.Decoded.Load())
	}
}

// A record that does not fit its text or arrays (a pack's checksum makes
// that unlikely, not impossible) is refused or, if it decodes, makes a
// file every query can read without a panic.
func TestRecordGarbage(t *testing.T) {
	texts := recordTexts(t)
	var buf bytes.Buffer
	rw := recordWriter{arrays: bufio.NewWriter(&buf)}
	type rec struct {
		path, text string
		off, n     int
	}
	var recs []rec
	for path, text := range texts {
		off := len(rw.heads)
		if n, ok := rw.add(ParseFile(path, text)); ok {
			recs = append(recs, rec{path, text, off, n})
		}
	}
	rw.arrays.Flush()
	// Aligned as a pack's arrays are read: in a buffer of their own.
	arrays := append(make([]byte, 0, buf.Len()+8), buf.Bytes()...)
	rng := rand.New(rand.NewPCG(1, 2))
	refused := 0
	for round := 0; round < 3000; round++ {
		r := recs[rng.IntN(len(recs))]
		head := append([]byte(nil), rw.heads[r.off:r.off+r.n]...)
		arr := append(make([]byte, 0, len(arrays)), arrays...)
		for k := 1 + rng.IntN(3); k > 0; k-- {
			if rng.IntN(2) == 0 {
				head[rng.IntN(len(head))] ^= byte(1 << rng.IntN(8))
			} else if len(arr) > 0 {
				arr[rng.IntN(len(arr))] ^= byte(1 << rng.IntN(8))
			}
		}
		if rng.IntN(10) == 0 {
			head = head[:rng.IntN(len(head))]
		}
		f := decodeRecord(r.path, r.text, head, arr)
		if f == nil {
			refused++
			continue
		}
		s := Build([]*File{f})
		s.Diagnose(f)
		if f.Entity != nil {
			s.Hover(f.Entity)
		}
	}
	if refused == 0 {
		t.Fatal("no damaged record was refused")
	}
}

// A pack written from a snapshot, its indexes edited many times, makes it
// again without building: the same indexes, entry for entry, as Build
// makes of the same files; and the scan's changes applied to it diagnose
// as a fresh build of the files as they are.
func TestPackBase(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	entity, doc := randomTexts(rng)
	files := randomWorkspace(entity, doc, 40, 5)
	files["/ws/z.bin"] = NewUnreadable("/ws/z.bin", "binary")
	s := Build(mapValues(files))
	for step := 0; step < 300; step++ {
		var f *File
		if rng.IntN(4) == 0 {
			f = ParseFile(fmt.Sprintf("/ws/d%d.md", rng.IntN(7)), doc())
		} else {
			f = ParseFile(fmt.Sprintf("/ws/e%02d.txt", rng.IntN(50)), entity())
		}
		files[f.Path] = f
		s = s.With([]*File{f}, nil)
	}
	entriesOf := func(s *Snapshot) []PackEntry {
		var entries []PackEntry
		for _, f := range s.Files() {
			if f.Kind == UnreadableFile {
				entries = append(entries, PackEntry{Path: f.Path, Unreadable: true})
				continue
			}
			entries = append(entries, PackEntry{Path: f.Path, Size: 1, ModTime: 1, Text: f.Text, Lossy: f.Lossy, File: f})
		}
		return entries
	}
	path := filepath.Join(t.TempDir(), "files.pack")
	if err := WritePack(context.Background(), path, "fp", entriesOf(s), s); err != nil {
		t.Fatal(err)
	}
	p, err := ReadPack(path)
	if err != nil {
		t.Fatal(err)
	}
	base := p.Base()
	if base == nil {
		t.Fatal("no snapshot made from the pack")
	}
	for x, m := range base.entIndexes() {
		// Key for key, the entities of the snapshot written, in its order.
		w := s.entIndexes()[x]
		keys := append(slices.Clone(w.keys), m.keys...)
		w.over.each(func(k uint64, _ []*Entity) { keys = append(keys, k) })
		for _, k := range keys {
			var got, want []string
			for e := range m.each(k) {
				got = append(got, e.file.Path)
			}
			for e := range w.each(k) {
				want = append(want, e.file.Path)
			}
			if !slices.Equal(got, want) {
				t.Fatalf("index %d, key %x: %v, written %v", x, k, got, want)
			}
		}
	}
	// Lossy files come back as their repaired text, without the invalid
	// bytes' error, and unreadable files not at all: a scan reads both
	// again (their stat is never kept).
	noUTF8 := func(s string) string {
		var keep []string
		for _, l := range strings.SplitAfter(s, "\n") {
			if !strings.Contains(l, "invalid UTF-8") && !strings.HasPrefix(l, "/ws/z.bin") {
				keep = append(keep, l)
			}
		}
		return strings.Join(keep, "")
	}
	if got, want := formatDiagnostics(base, base.DiagnoseAll(), ""), noUTF8(formatDiagnostics(s, s.DiagnoseAll(), "")); got != want {
		t.Fatalf("the pack's snapshot diagnoses differently:\n%s", diffLines(want, got))
	}
	// A scan after changes: most files the pack's own, some read again,
	// one gone, one new.
	var scanned []*File
	for _, f := range base.Files() {
		switch r := rng.IntN(10); {
		case f.Path == "/ws/e03.txt":
		case r == 0 && f.Entity != nil:
			scanned = append(scanned, ParseFile(f.Path, editLine(rng, f.Text, entity())))
		case r == 1:
			scanned = append(scanned, ParseFile(f.Path, f.Text)) // read again, the same
		default:
			scanned = append(scanned, f)
		}
	}
	scanned = append(scanned, ParseFile("/ws/new.txt", entity()))
	changed, removed := base.Changes(scanned)
	if len(removed) != 1 || removed[0] != "/ws/e03.txt" || len(changed) < 2 {
		t.Fatalf("changes: %d changed, removed %v", len(changed), removed)
	}
	now, fresh := base.With(changed, removed), Build(scanned)
	if got, want := formatDiagnostics(now, now.DiagnoseAll(), ""), formatDiagnostics(fresh, fresh.DiagnoseAll(), ""); got != want {
		t.Fatalf("changes applied to the pack's snapshot diagnose differently:\n%s", diffLines(want, got))
	}
	// Written by another build, or without its snapshot: none is made.
	stamp := parseStamp
	parseStamp = func() string { return "another build" }
	p2, err := ReadPack(path)
	parseStamp = stamp
	if err != nil || p2.Base() != nil {
		t.Fatalf("another build's indexes used: %v", err)
	}
	if err := WritePack(context.Background(), path, "fp", entriesOf(s), nil); err != nil {
		t.Fatal(err)
	}
	if p3, err := ReadPack(path); err != nil || p3.Base() != nil {
		t.Fatalf("a pack without indexes made a snapshot: %v", err)
	}
}

// A write given up (the session ended) leaves the pack as it was and no
// temporary file beside it.
func TestWritePackCancelled(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "files.pack")
	if err := WritePack(context.Background(), path, "old", []PackEntry{{Path: "/w/a.md", Text: "a"}}, nil); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := WritePack(ctx, path, "new", []PackEntry{{Path: "/w/b.md", Text: "b"}}, nil); err == nil {
		t.Fatal("a cancelled write succeeded")
	}
	p, err := ReadPack(path)
	if err != nil || p.Fingerprint != "old" {
		t.Fatalf("pack after a cancelled write: %v %v", p, err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Fatalf("left behind: %v", entries)
	}
}

// Records' arrays are summed apart from the texts: damaged, they make
// the pack unreadable to the build that wrote them; another build does
// not read them, and reads the rest.
func TestPackArraysSummedApart(t *testing.T) {
	f := ParseFile("/w/a.txt", "claim\nactive\nclaim:aA\nSummary\nNeighborhood — ranked by edge-count\nItems (1)\nclaim\n- B\n")
	path := filepath.Join(t.TempDir(), "files.pack")
	if err := WritePack(context.Background(), path, "fp", []PackEntry{{Path: f.Path, Size: 1, ModTime: 1, Text: f.Text, File: f}}, nil); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(path)
	data[len(packMagic)+8+1] ^= 0xff // in the arrays
	os.WriteFile(path, data, 0o644)
	if _, err := ReadPack(path); err == nil {
		t.Fatal("damaged arrays read")
	}
	stamp := parseStamp
	parseStamp = func() string { return "another build" }
	defer func() { parseStamp = stamp }()
	p, err := ReadPack(path)
	if err != nil {
		t.Fatalf("another build could not read the texts: %v", err)
	}
	if g := p.fileAt(0); g.Entity == nil || g.Entity.ID != "claim:a" || p.Decoded.Load() != 0 {
		t.Fatalf("made %+v, %d decoded", g.Entity, p.Decoded.Load())
	}
}
