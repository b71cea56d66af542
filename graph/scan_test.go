package graph

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
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

	res, err := Scan([]string{root}, ScanOptions{MaxSize: 4 << 20})
	if err != nil {
		t.Fatal(err)
	}
	s := Build(res.Files)
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
		"link.txt":        "duplicate-id", // a link to a file defines its id again
	}
	for file, code := range want {
		if !strings.Contains(strings.Join(got[file], " "), code) {
			t.Errorf("%s: got %v, want %s", file, got[file], code)
		}
	}
	for _, quiet := range []string{"empty.txt", "crlf-bom.txt", "long-line.md", "no-ext", "image.png", ".hidden/x.txt"} {
		for _, c := range got[quiet] {
			if c != string(CodeUnresolvedNeighbour) && c != string(CodeUnlinkedClaim) {
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
	res, err := Scan([]string{root}, ScanOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Files) != 1 || res.Files[0].Kind != UnreadableFile {
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
// the regexp alone does.
func TestGlobLiteral(t *testing.T) {
	paths := []string{".git/", "a/.git/", "a/.git/b", ".gitignore", "a/node_modules/x.md", "x.md", "a/b/c.tex",
		"docs/a.md", "docs/sub/a.md", "a/b", "ab", "a.b/c", "entities/001/x.txt", "?x", "a**b"}
	globs := []string{"**/.git/**", "**/node_modules/**", "*.md", "**/*.md", "docs/**", "docs/*.md", "a/**/b",
		"a?b", "**", "*", "entities/**/*.txt", "**/c.tex", "x.md", ".git/"}
	for _, g := range globs {
		re, err := globRegexp(g)
		if err != nil {
			t.Fatal(err)
		}
		m := glob{re, globLiteral(g)}
		for _, p := range paths {
			if got, want := m.match(p), re.MatchString(p); got != want {
				t.Errorf("glob %q (literal %q) on %q: %v, the regexp says %v", g, m.lit, p, got, want)
			}
		}
	}
	if l := globLiteral("**/.git/**"); l != ".git/" {
		t.Errorf("literal of **/.git/**: %q", l)
	}
}
