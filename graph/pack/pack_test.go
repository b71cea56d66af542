package pack

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/seedls/seedls/graph"
	"github.com/seedls/seedls/graph/scan"
)

func TestPackRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "files.pack")
	in := []Entry{
		{Path: "/w/b.md", Size: 12, ModTime: 34, Text: "claim:x 𝄞 ±", Blob: []byte(`[{"a":1}]`), HasBlob: true},
		{Path: "/w/a.txt", Size: -1, ModTime: -1, Text: "", HasBlob: true},
		{Path: "/w/c.bin", Unreadable: true},
	}
	if err := Write(context.Background(), path, "fp-1", in, nil); err != nil {
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
	if _, err := Read(path); err != ErrMissing {
		t.Fatalf("missing pack: %v", err)
	}
	if err := Write(context.Background(), path, "fp", []Entry{{Path: "/w/a.md", Text: strings.Repeat("text ", 100)}}, nil); err != nil {
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

// Scan takes a file's text from Known only while its stat matches.
func TestScanKnown(t *testing.T) {
	root := t.TempDir()
	a, b := filepath.Join(root, "a.md"), filepath.Join(root, "b.md")
	os.WriteFile(a, []byte("claim:on-disk-a\n"), 0o644)
	os.WriteFile(b, []byte("claim:on-disk-b\n"), 0o644)
	res, err := scan.Scan([]string{root}, scan.Options{})
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
		known.Entries = append(known.Entries, Entry{Path: p, Size: st[0], ModTime: st[1], Text: "claim:from-the-pack\n"})
	}
	known.made = make([]*graph.File, len(known.Entries))
	res, err = scan.Scan([]string{root}, scan.Options{Known: func() scan.Known { return known }})
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
			entries = append(entries, Entry{Path: f.Path, Size: f.Size, ModTime: f.ModTime, Text: f.Text, HasBlob: true})
		}
		Write(context.Background(), path, "fp", entries, nil)
		p, err := Read(path)
		if err != nil {
			t.Fatal(err)
		}
		return p
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
// depends on it is.
func TestAffectedSinceNoBlob(t *testing.T) {
	a := graph.ParseFile("/ws/a.txt", "claim\nactive\nclaim:kept-openKept open\nA claim\n")
	d := graph.ParseFile("/ws/d.md", "see claim:kept-open\n")
	path := filepath.Join(t.TempDir(), "files.pack")
	Write(context.Background(), path, "fp", []Entry{
		{Path: a.Path, Size: 1, ModTime: 1, Text: a.Text},
		{Path: d.Path, Size: 1, ModTime: 1, Text: d.Text, HasBlob: true},
	}, nil)
	p, err := Read(path)
	if err != nil {
		t.Fatal(err)
	}
	affected, changed, all := p.Affected(graph.Build([]*graph.File{a, d}))
	if all || len(changed) != 0 || len(affected) != 1 || !affected[a.Path] {
		t.Fatalf("affected %v, changed %v, all %v", affected, changed, all)
	}
}

// A write given up (the session ended) leaves the pack as it was and no
// temporary file beside it.
func TestWritePackCancelled(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "files.pack")
	if err := Write(context.Background(), path, "old", []Entry{{Path: "/w/a.md", Text: "a"}}, nil); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := Write(ctx, path, "new", []Entry{{Path: "/w/b.md", Text: "b"}}, nil); err == nil {
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

// Records' arrays are summed apart from the texts: damaged, they make
// the pack unreadable to the build that wrote them; another build does
// not read them, and reads the rest.
func TestPackArraysSummedApart(t *testing.T) {
	f := graph.ParseFile("/w/a.txt", "claim\nactive\nclaim:aA\nSummary\nNeighborhood — ranked by edge-count\nItems (1)\nclaim\n- B\n")
	path := filepath.Join(t.TempDir(), "files.pack")
	if err := Write(context.Background(), path, "fp", []Entry{{Path: f.Path, Size: 1, ModTime: 1, Text: f.Text, File: f}}, nil); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(path)
	data[len(packMagic)+8+1] ^= 0xff // in the arrays
	os.WriteFile(path, data, 0o644)
	if _, err := Read(path); err == nil {
		t.Fatal("damaged arrays read")
	}
	stamp := recordStamp
	recordStamp = func() string { return "another build" }
	defer func() { recordStamp = stamp }()
	p, err := Read(path)
	if err != nil {
		t.Fatalf("another build could not read the texts: %v", err)
	}
	if g := p.fileAt(0); g.Entity == nil || g.Entity.ID != "claim:a" || p.Decoded.Load() != 0 {
		t.Fatalf("made %+v, %d decoded", g.Entity, p.Decoded.Load())
	}
}

// Records and kept indexes are used only by the build that wrote them; a
// build that cannot tell itself apart writes none and uses none. Files
// are made all the same, from their texts.
func TestPackRecordsAndBase(t *testing.T) {
	var files []*graph.File
	for i, text := range []string{
		"claim\nactive\nclaim:aA\nSummary of a\nNeighborhood — ranked by edge-count\nFindings (1)\nfinding\n- B\n",
		"finding\nactive\nfinding:bB\nSummary of b\n",
		"see claim:a and finding:b and claim:c\n",
	} {
		files = append(files, graph.ParseFile("/w/f"+string(rune('0'+i))+".txt", text))
	}
	snap := graph.Build(files)
	var entries []Entry
	for _, f := range snap.Files() {
		entries = append(entries, Entry{Path: f.Path, Size: 1, ModTime: 1, Text: f.Text, File: f})
	}
	path := filepath.Join(t.TempDir(), "files.pack")
	diagnoses := func(s *graph.Snapshot) string {
		var b strings.Builder
		for _, d := range s.DiagnoseAll() {
			b.WriteString(d.Path + " " + string(d.Code) + " " + d.Message + "\n")
		}
		return b.String()
	}
	read := func(write bool) *Pack {
		t.Helper()
		if write {
			if err := Write(context.Background(), path, "fp", entries, snap); err != nil {
				t.Fatal(err)
			}
		}
		p, err := Read(path)
		if err != nil {
			t.Fatal(err)
		}
		for i := range p.Entries {
			if f := p.File(p.Entries[i].Path); f == nil || f.Text != entries[i].Text {
				t.Fatalf("%s not made again", p.Entries[i].Path)
			}
		}
		return p
	}
	p := read(true)
	if p.Decoded.Load() != 3 || p.Parsed.Load() != 0 {
		t.Fatalf("same build: %d decoded, %d parsed", p.Decoded.Load(), p.Parsed.Load())
	}
	base := p.Base()
	if base == nil || diagnoses(base) != diagnoses(snap) {
		t.Fatalf("the pack's snapshot diagnoses differently")
	}
	stamp := recordStamp
	defer func() { recordStamp = stamp }()
	for _, other := range []string{"another build", ""} {
		recordStamp = func() string { return other }
		// Read by another build; written and read by one without a stamp.
		p := read(other == "")
		if p.Decoded.Load() != 0 || p.Parsed.Load() != 3 || p.Base() != nil {
			t.Fatalf("stamp %q: %d decoded, %d parsed, base %v", other, p.Decoded.Load(), p.Parsed.Load(), p.Base() != nil)
		}
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
