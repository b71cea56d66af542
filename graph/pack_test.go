package graph

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestPackRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "files.pack")
	in := []PackEntry{
		{Path: "/w/b.md", Size: 12, ModTime: 34, Text: "claim:x 𝄞 ±", Blob: []byte(`[{"a":1}]`), HasBlob: true},
		{Path: "/w/a.txt", Size: -1, ModTime: -1, Text: "", HasBlob: true},
		{Path: "/w/c.bin", Unreadable: true},
	}
	if err := WritePack(path, "fp-1", in); err != nil {
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
	if _, _, _, ok := p.Lookup("/w/a.txt"); ok {
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
	if err := WritePack(path, "fp", []PackEntry{{Path: "/w/a.md", Text: strings.Repeat("text ", 100)}}); err != nil {
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
	known := func(p string) (int64, int64, string, bool) {
		st := stat[p]
		return st[0], st[1], "claim:from-the-pack\n", true
	}
	res, err = Scan([]string{root}, ScanOptions{Known: known})
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
		files := map[string]*File{}
		for i := 0; i < 25; i++ {
			f := ParseFile(fmt.Sprintf("/ws/e%02d.txt", i), entity())
			files[f.Path] = f
		}
		for i := 0; i < 4; i++ {
			f := ParseFile(fmt.Sprintf("/ws/d%d.md", i), doc())
			files[f.Path] = f
		}
		before := Build(mapValues(files))
		var entries []PackEntry
		for _, f := range before.Files() {
			entries = append(entries, PackEntry{Path: f.Path, Size: 1, ModTime: 1, Text: f.Text, Blob: []byte(diag(before, f)), HasBlob: true})
		}
		if err := WritePack(path, "fp", entries); err != nil {
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
			default:
				f := ParseFile(fmt.Sprintf("/ws/e%02d.txt", rng.IntN(30)), entity())
				files[f.Path] = f
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
	WritePack(path, "fp", []PackEntry{{Path: d.Path, Size: 1, ModTime: 1, Text: d.Text, HasBlob: true}})
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
		WritePack(path, "fp", entries)
		p, err := ReadPack(path)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	p := pack()
	if !p.Unchanged([]string{root}, ScanOptions{}) {
		t.Fatal("nothing changed, yet not Unchanged")
	}
	later := time.Now().Add(time.Hour)
	os.Chtimes(filepath.Join(root, "a.md"), later, later)
	if p.Unchanged([]string{root}, ScanOptions{}) {
		t.Fatal("a touched file went unnoticed")
	}
	p = pack()
	os.WriteFile(filepath.Join(root, "c.md"), nil, 0o644)
	if p.Unchanged([]string{root}, ScanOptions{}) {
		t.Fatal("a new file went unnoticed")
	}
	os.Remove(filepath.Join(root, "c.md"))
	os.Remove(filepath.Join(root, "b.txt"))
	if p.Unchanged([]string{root}, ScanOptions{}) {
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
	WritePack(path, "fp", []PackEntry{
		{Path: a.Path, Size: 1, ModTime: 1, Text: a.Text},
		{Path: d.Path, Size: 1, ModTime: 1, Text: d.Text, HasBlob: true},
	})
	p, err := ReadPack(path)
	if err != nil {
		t.Fatal(err)
	}
	affected, changed, ok := Build([]*File{a, d}).AffectedSince(p)
	if !ok || len(changed) != 0 || len(affected) != 1 || !affected[a.Path] {
		t.Fatalf("affected %v, changed %v, ok %v", affected, changed, ok)
	}
}
