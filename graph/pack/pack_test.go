package pack

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/seedls/seedls/graph"
	"github.com/seedls/seedls/graph/gen"
	"github.com/seedls/seedls/graph/scan"
)

// entry is the pack entry of f as read from disk with a stat.
func entry(f *graph.File, size, mtime int64) Entry {
	return Entry{Path: f.Path, Size: size, ModTime: mtime, Hash: f.Hash, Len: f.Len, Lossy: f.Lossy, File: f}
}

func write(t *testing.T, path string, entries []Entry, snap *graph.Snapshot) *Pack {
	t.Helper()
	if err := Write(context.Background(), path, "fp", entries, snap, nil); err != nil {
		t.Fatal(err)
	}
	p, err := Read(path)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// Entries come back as written: stats, hashes, blobs, flags, and the
// files their records make (the file parsed, without its text).
func TestPackRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "files.pack")
	b := graph.ParseFile("/w/b.md", "see claim:x 𝄞 ±")
	b.DropText()
	a := graph.ParseFile("/w/a.txt", "")
	in := []Entry{entry(b, 12, 34), entry(a, -1, -1), {Path: "/w/c.bin", Unreadable: true}}
	in[0].Blob, in[0].HasBlob, in[1].HasBlob = []byte(`[{"a":1}]`), true, true
	if err := Write(context.Background(), path, "fp-1", in, nil, nil); err != nil {
		t.Fatal(err)
	}
	p, err := Read(path)
	if err != nil {
		t.Fatal(err)
	}
	if p.Fingerprint != "fp-1" || len(p.Entries) != 3 || p.Entries[0].Path != "/w/a.txt" {
		t.Fatalf("read back %+v", p)
	}
	e, ok := p.Entry("/w/b.md")
	if !ok || string(e.Blob) != `[{"a":1}]` || !e.HasBlob || e.Size != 12 || e.ModTime != 34 || e.Hash != b.Hash || e.Len != b.Len {
		t.Fatalf("entry %+v", e)
	}
	got := p.File("/w/b.md")
	b.Size, b.ModTime = 12, 34
	if !reflect.DeepEqual(got, b) {
		t.Fatalf("made again\n%+v\nwritten\n%+v", got, b)
	}
	if e, _ := p.Entry("/w/c.bin"); !e.Unreadable || e.HasBlob || p.File("/w/c.bin") != nil {
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
	if _, err := Read(path); err != ErrMissing {
		t.Fatalf("missing pack: %v", err)
	}
	f := graph.ParseFile("/w/a.md", strings.Repeat("text claim:x ", 100))
	write(t, path, []Entry{entry(f, 1, 1)}, nil)
	good, _ := os.ReadFile(path)
	for name, data := range map[string][]byte{
		"flipped":   append(append([]byte{}, good[:100]...), append([]byte{good[100] ^ 1}, good[101:]...)...),
		"truncated": good[:len(good)/2],
		"empty":     nil,
		"other":     []byte("not a pack at all, but long enough to be read"),
	} {
		os.WriteFile(path, data, 0o644)
		if _, err := Read(path); err == nil || err == ErrMissing {
			t.Errorf("%s pack accepted: %v", name, err)
		}
	}
	// No temporary files are left beside it.
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Fatalf("left behind: %v", entries)
	}
}

// Scan makes a file from the pack only while its stat matches.
func TestScanKnown(t *testing.T) {
	root := t.TempDir()
	a, b := filepath.Join(root, "a.md"), filepath.Join(root, "b.md")
	os.WriteFile(a, []byte("claim:on-disk-a\n"), 0o644)
	os.WriteFile(b, []byte("claim:on-disk-b\n"), 0o644)
	res, err := scan.Scan([]string{root}, scan.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var entries []Entry
	for _, f := range res.Files {
		if f.Size == 0 || f.ModTime == 0 {
			t.Fatalf("%s read without its stat", f.Path)
		}
		// What the pack says of the file: another text, the same stat.
		g := graph.ParseFile(f.Path, "claim:from-the-pack\n")
		entries = append(entries, entry(g, f.Size, f.ModTime))
	}
	known := write(t, filepath.Join(t.TempDir(), "files.pack"), entries, nil)
	// b changes behind the cache's back: same size, a later time.
	os.WriteFile(b, []byte("claim:changed-b\n"), 0o644)
	later := time.Now().Add(time.Hour)
	os.Chtimes(b, later, later)
	res, err = scan.Scan([]string{root}, scan.Options{Known: func() scan.Known { return known }})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, f := range res.Files {
		got[filepath.Base(f.Path)] = f.Citations[0].ID
	}
	if got["a.md"] != "claim:from-the-pack" || got["b.md"] != "claim:changed-b" || res.Known != 1 {
		t.Fatalf("scan with Known: %v, %d known", got, res.Known)
	}
}

// Unchanged holds exactly while the files a scan reads are the pack's,
// each with its stat.
func TestPackUnchanged(t *testing.T) {
	root := t.TempDir()
	os.WriteFile(filepath.Join(root, "a.md"), []byte("claim:a\n"), 0o644)
	os.WriteFile(filepath.Join(root, "b.txt"), []byte("claim:b\n"), 0o644)
	path := filepath.Join(t.TempDir(), "files.pack")
	pack := func() *Pack {
		res, err := scan.Scan([]string{root}, scan.Options{})
		if err != nil {
			t.Fatal(err)
		}
		var entries []Entry
		for _, f := range res.Files {
			e := entry(f, f.Size, f.ModTime)
			e.HasBlob = true
			entries = append(entries, e)
		}
		return write(t, path, entries, nil)
	}
	unchanged := func(p *Pack) bool {
		res, err := scan.Scan([]string{root}, scan.Options{Known: func() scan.Known { return p }})
		if err != nil {
			t.Fatal(err)
		}
		return p.Unchanged(len(res.Files), res.Known)
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
// depends on it is. A file whose text changed is told by its hash.
func TestPackAffected(t *testing.T) {
	a := graph.ParseFile("/ws/a.txt", "claim\nactive\nclaim:kept-openKept open\nA claim\n")
	d := graph.ParseFile("/ws/d.md", "see claim:kept-open\n")
	ed, ea := entry(d, 1, 1), entry(a, 1, 1)
	ed.HasBlob = true
	p := write(t, filepath.Join(t.TempDir(), "files.pack"), []Entry{ea, ed}, nil)
	affected, changed, all := p.Affected(graph.Build([]*graph.File{a, d}))
	if all || len(changed) != 0 || len(affected) != 1 || !affected[a.Path] {
		t.Fatalf("affected %v, changed %v, all %v", affected, changed, all)
	}
	// The claim retracted: its citing document is affected too.
	a2 := graph.ParseFile(a.Path, "claim\nretracted\nclaim:kept-openKept open\nA claim\n")
	affected, changed, all = p.Affected(graph.Build([]*graph.File{a2, d}))
	if all || len(changed) != 1 || !affected[a.Path] || !affected[d.Path] {
		t.Fatalf("after an edit: affected %v, changed %v, all %v", affected, changed, all)
	}
}

// Records and kept indexes are used only by the build that wrote them:
// another build's pack, or one written by a build that cannot tell itself
// apart, is not read.
func TestPackRecordsAndBase(t *testing.T) {
	var files []*graph.File
	for i, text := range []string{
		"claim\nactive\nclaim:aA\nSummary of a\nNeighborhood — ranked by edge-count\nFindings (1)\nfinding\n- B\n",
		"finding\nactive\nfinding:bB\nSummary of b\n",
		"see claim:a and finding:b and claim:c\n",
		"claim\nactive\nclaim:bad\xffBad\nSummary\n", // lossy: kept, never offered to the scan
	} {
		files = append(files, graph.ParseFile("/w/f"+string(rune('0'+i))+".txt", text))
	}
	snap := graph.Build(files)
	var entries []Entry
	for _, f := range snap.Files() {
		entries = append(entries, entry(f, 1, 1))
	}
	path := filepath.Join(t.TempDir(), "files.pack")
	diagnoses := func(s *graph.Snapshot) string {
		var b strings.Builder
		for _, d := range s.DiagnoseAll() {
			b.WriteString(d.Path + " " + string(d.Code) + " " + d.Message + "\n")
		}
		return b.String()
	}
	p := write(t, path, entries, snap)
	for i := range p.Entries {
		e := &p.Entries[i]
		if f := p.File(e.Path); f == nil || f.Hash != entries[i].Hash {
			t.Fatalf("%s not made again", e.Path)
		}
		if _, _, ok := p.Stat(e.Path); ok == e.Lossy {
			t.Fatalf("%s: offered to the scan %v, lossy %v", e.Path, ok, e.Lossy)
		}
	}
	if p.Decoded.Load() != 4 {
		t.Fatalf("same build: %d decoded", p.Decoded.Load())
	}
	base := p.Snapshot()
	if base == nil || diagnoses(base) != diagnoses(snap) {
		t.Fatalf("the pack's snapshot diagnoses differently:\n%s\nwritten:\n%s", diagnoses(base), diagnoses(snap))
	}
	stamp := recordStamp
	defer func() { recordStamp = stamp }()
	recordStamp = func() string { return "another build" }
	if _, err := Read(path); err != ErrOtherBuild {
		t.Fatalf("another build's pack read: %v", err)
	}
	recordStamp = func() string { return "" }
	if err := Write(context.Background(), path, "fp", entries, snap, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := Read(path); err != ErrOtherBuild {
		t.Fatalf("a pack without a stamp read: %v", err)
	}
}

// A write given up (the session ended) leaves the pack as it was and no
// temporary file beside it.
func TestWritePackCancelled(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "files.pack")
	if err := Write(context.Background(), path, "old", []Entry{entry(graph.ParseFile("/w/a.md", "a"), 1, 1)}, nil, nil); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := Write(ctx, path, "new", []Entry{entry(graph.ParseFile("/w/b.md", "b"), 1, 1)}, nil, nil); err == nil {
		t.Fatal("a cancelled write succeeded")
	}
	p, err := Read(path)
	if err != nil || p.Fingerprint != "old" {
		t.Fatalf("pack after a cancelled write: %v %v", p, err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Fatalf("left behind: %v", entries)
	}
}

// BuildID is the same all through a process and names the executable's
// content.
func TestBuildID(t *testing.T) {
	a, b := BuildID(), BuildID()
	if a == "" || a != b || len(a) != 32 {
		t.Fatalf("build id %q then %q", a, b)
	}
}

// After random changes to a workspace a pack was written from, every file
// Affected leaves out diagnoses exactly as the pack's blob says it did:
// what lets a warm start publish kept diagnostics without diagnosing.
func TestPackAffectedRandom(t *testing.T) {
	var texts []string
	if err := gen.Generate(gen.Options{Entities: 60, Documents: 6, Seed: 9}, func(f gen.File) error {
		texts = append(texts, string(f.Data))
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	diag := func(s *graph.Snapshot, f *graph.File) string {
		var b strings.Builder
		for _, d := range s.Diagnose(f) {
			fmt.Fprintf(&b, "%v %s %s %v\n", d.Span, d.Code, d.Message, d.Related)
		}
		return b.String()
	}
	rng := rand.New(rand.NewPCG(5, 6))
	path := filepath.Join(t.TempDir(), "files.pack")
	left, changedAll := 0, 0
	for round := 0; round < 40; round++ {
		files := map[string]*graph.File{}
		for i := 0; i < 30; i++ {
			f := graph.ParseFile(fmt.Sprintf("/ws/f%02d.txt", i), texts[rng.IntN(len(texts))])
			files[f.Path] = f
		}
		before := graph.Build(mapValues(files))
		var entries []Entry
		for _, f := range before.Files() {
			e := entry(f, 1, 1)
			e.Blob, e.HasBlob = []byte(diag(before, f)), true
			entries = append(entries, e)
		}
		p := write(t, path, entries, before)
		for n := 1 + rng.IntN(3); n > 0; n-- {
			k := fmt.Sprintf("/ws/f%02d.txt", rng.IntN(34))
			switch r := rng.IntN(4); {
			case r == 0:
				delete(files, k)
			case r == 1:
				files[k] = graph.ParseFile(k, texts[rng.IntN(len(texts))]) // another text, or a new file
			default:
				// One line from another text: a status, a title, a neighbour.
				if f, ok := files[k]; ok {
					text, _ := f.Text()
					lines := strings.Split(text, "\n")
					from := strings.Split(texts[rng.IntN(len(texts))], "\n")
					i := rng.IntN(min(len(lines), len(from)))
					lines[i] = from[i]
					files[k] = graph.ParseFile(k, strings.Join(lines, "\n"))
				}
			}
		}
		after := graph.Build(mapValues(files))
		affected, changed, all := p.Affected(after)
		changedAll += len(changed)
		if all {
			continue
		}
		for _, f := range after.Files() {
			if affected[f.Path] {
				continue
			}
			e, ok := p.Entry(f.Path)
			if !ok {
				t.Fatalf("round %d: %s is new but not affected", round, f.Path)
			}
			if got := diag(after, f); got != string(e.Blob) {
				t.Fatalf("round %d: %s left out, but its diagnostics changed:\nkept:\n%snow:\n%s", round, f.Path, e.Blob, got)
			}
			left++
		}
	}
	if left < 300 || changedAll == 0 {
		t.Fatalf("%d files left out, %d changed: the test no longer exercises the shortcut", left, changedAll)
	}
}

func mapValues(m map[string]*graph.File) []*graph.File {
	var out []*graph.File
	for _, f := range m {
		out = append(out, f)
	}
	return out
}
