package scan

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bmatcuk/doublestar/v4"

	"github.com/seedls/seedls/graph"
)

// TestScanBadFiles: a folder of messy files is read to the end; each bad
// file gives a diagnostic with its own code, and the good files still
// resolve.
func TestScanBadFiles(t *testing.T) {
	root := t.TempDir()
	write := func(name string, data []byte) {
		p := filepath.Join(root, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	good := "claim\nactive\nclaim:goodGood\nS\nNeighborhood — ranked by edge-count\nFindings (1)\nfinding\n"
	write("good.txt", []byte(good))
	write("doc.md", []byte("cites claim:good and claim:missing"))
	write("binary.txt", []byte("claim\x00\x01\x02"))
	write("invalid.txt", []byte("claim\nactive\nclaim:badBad\n\xff\xfe summary"))
	write("big.md", bytes.Repeat([]byte("claim:good "), 5<<20/11+1)) // over 5 MiB
	write("empty.txt", nil)
	write("first-lines.txt", []byte("claim\nactive\n"))
	write("crlf-bom.txt", []byte("\uFEFFclaim\r\nactive\r\nclaim:crlfCrlf\r\nS\r\n"))
	write("long-line.md", []byte(strings.Repeat("x", 1<<20)+" claim:good"))
	write("no-ext", []byte("plain notes citing claim:good"))
	write("image.png", []byte("\x89PNG"))       // not a candidate: never read
	write(".hidden/x.txt", []byte("claim:zzz")) // hidden folders are skipped
	if err := os.Symlink("loop", filepath.Join(root, "loop")); err != nil {
		t.Fatal(err)
	}
	os.Mkdir(filepath.Join(root, "sub"), 0o755)
	if err := os.Symlink("..", filepath.Join(root, "sub", "up")); err != nil { // a folder loop
		t.Fatal(err)
	}
	if err := os.Symlink("good.txt", filepath.Join(root, "link.txt")); err != nil {
		t.Fatal(err)
	}

	res, err := Scan([]string{root}, Options{MaxSize: 4 << 20})
	if err != nil {
		t.Fatal(err)
	}
	s := graph.Build(res.Files)
	got := map[string][]string{}
	for _, d := range s.DiagnoseAll() {
		rel, _ := filepath.Rel(root, d.Path)
		got[rel] = append(got[rel], string(d.Code))
	}
	want := map[string]string{
		"binary.txt":      "unreadable",
		"invalid.txt":     "malformed",
		"big.md":          "unreadable",
		"first-lines.txt": "malformed",
		"loop":            "unreadable",
		"doc.md":          "unknown-reference",
	}
	for file, code := range want {
		if !strings.Contains(strings.Join(got[file], " "), code) {
			t.Errorf("%s: got %v, want %s", file, got[file], code)
		}
	}
	// A link to a file is that file, read once by its real path: not a
	// second definition of its id.
	if s.File(filepath.Join(root, "link.txt")) != nil {
		t.Error("a link to a file was read as a file of its own")
	}
	for _, quiet := range []string{"empty.txt", "crlf-bom.txt", "long-line.md", "no-ext", "image.png", ".hidden/x.txt", "good.txt"} {
		for _, c := range got[quiet] {
			if c != string(graph.CodeUnresolvedNeighbour) && c != string(graph.CodeUnlinkedClaim) {
				t.Errorf("%s: unexpected %v", quiet, got[quiet])
			}
		}
	}
	if s.Entity("claim:crlf") == nil || s.Entity("claim:good") == nil {
		t.Error("good entities were not read")
	}
	if s.File(filepath.Join(root, ".hidden", "x.txt")) != nil || s.File(filepath.Join(root, "image.png")) != nil {
		t.Error("a hidden or non-candidate file was read")
	}
}

// TestScanUnreadableFile: a file without read permission is reported (as
// root, permissions do not apply, and the test says so).
func TestScanUnreadableFile(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("running as root: file permissions are not enforced")
	}
	root := t.TempDir()
	p := filepath.Join(root, "secret.md")
	os.WriteFile(p, []byte("claim:x"), 0o000)
	res, err := Scan([]string{root}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Files) != 1 || res.Files[0].Kind != graph.UnreadableFile {
		t.Fatalf("got %+v", res.Files)
	}
}

// TestReadFileVanished: a file deleted between listing and reading is a
// note, not a diagnostic and not an error.
func TestReadFileVanished(t *testing.T) {
	f, note := ReadFile(filepath.Join(t.TempDir(), "gone.md"), 0)
	if f != nil || !strings.Contains(note, "vanished") {
		t.Fatalf("got %v %q", f, note)
	}
}

// A glob's literal part is only a shortcut: the matcher must answer as
// doublestar alone does, braces and classes included.
func TestGlobLiteral(t *testing.T) {
	paths := []string{".git/", "a/.git/", "a/.git/b", ".gitignore", "a/node_modules/x.md", "x.md", "a/b/c.tex",
		"docs/a.md", "docs/sub/a.md", "a/b", "ab", "a.b/c", "entities/001/x.txt", "?x", "a**b", "x.txt", "d/y.txt",
		"notes/{x}.md", "a[1].md", "a1.md"}
	globs := []string{"**/.git/**", "**/node_modules/**", "*.md", "**/*.md", "docs/**", "docs/*.md", "a/**/b",
		"a?b", "**", "*", "entities/**/*.txt", "**/c.tex", "x.md", ".git/", "**/*.{md,txt}", "{docs,d}/*.{md,txt}",
		"a[0-9].md", "a\\[1].md", "notes/\\{x\\}.md", "{a/**/b,x.md}", "[.]git*"}
	for _, g := range globs {
		m, err := NewMatcher(nil, []string{g})
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range paths {
			want, _ := doublestar.Match(g, p)
			if got := m.Excluded(p); got != want {
				t.Errorf("glob %q (literal %q) on %q: %v, doublestar says %v", g, m.exclude[0].lit, p, got, want)
			}
		}
	}
	for g, lit := range map[string]string{"**/.git/**": ".git", "**/*.{md,txt}": ".", "docs/{a,b}/x.md": "docs", "a\\*b": "a"} {
		if got := globLiteral(g); got != lit {
			t.Errorf("literal of %s: %q, want %q", g, got, lit)
		}
	}
	if _, err := NewMatcher([]string{"a/{b"}, nil); err == nil {
		t.Error("an unbalanced brace was accepted")
	}
}

// Braces select several extensions, and an include glob that matches no
// file is reported.
func TestIncludeGlobs(t *testing.T) {
	root := t.TempDir()
	for _, name := range []string{"a.md", "b.txt", "c.tex", "sub/d.txt"} {
		p := filepath.Join(root, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		os.WriteFile(p, []byte("claim:x"), 0o644)
	}
	res, err := Scan([]string{root}, Options{Include: []string{"**/*.{md,txt}", "**/*.org"}})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range res.Files {
		rel, _ := filepath.Rel(root, f.Path)
		got = append(got, filepath.ToSlash(rel))
	}
	if strings.Join(got, " ") != "a.md b.txt sub/d.txt" {
		t.Errorf("read %v", got)
	}
	if len(res.Unmatched) != 1 || res.Unmatched[0] != "**/*.org" {
		t.Errorf("unmatched %v", res.Unmatched)
	}
}

// Each file is read once, by its real path, however the roots name it:
// nested roots, the same root twice, a file and its folder, a root
// reached through a link, a file linked from elsewhere.
func TestRootsOverlap(t *testing.T) {
	top := t.TempDir()
	notes := filepath.Join(top, "notes")
	ents := filepath.Join(notes, "entities")
	os.MkdirAll(ents, 0o755)
	x := filepath.Join(ents, "x.txt")
	os.WriteFile(x, []byte("claim\nactive\nclaim:xX\nS\n"), 0o644)
	os.WriteFile(filepath.Join(notes, "d.md"), []byte("see claim:x"), 0o644)
	if err := os.Symlink(notes, filepath.Join(top, "link")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(x, filepath.Join(notes, "x-again.txt")); err != nil {
		t.Fatal(err)
	}
	res, err := Scan([]string{notes, ents, notes, x, filepath.Join(top, "link")}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range res.Files {
		got = append(got, f.Path)
	}
	realNotes, _ := filepath.EvalSymlinks(notes)
	want := []string{filepath.Join(realNotes, "d.md"), filepath.Join(realNotes, "entities", "x.txt")}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("read\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if fmt.Sprint(res.Listed) != "[3 1 3 1 3]" {
		t.Errorf("listed per root: %v", res.Listed)
	}
	s := graph.Build(res.Files)
	for _, d := range s.DiagnoseAll() {
		if d.Code == graph.CodeDuplicateID {
			t.Errorf("a file is its own duplicate: %s", d.Message)
		}
	}
}
