package lsp

import (
	"os"
	"path/filepath"
	"testing"
)

// Windows URIs and paths are tested on every system: the conversion takes
// the system's style as a parameter.
func TestKeysAndURIs(t *testing.T) {
	for _, c := range []struct {
		uri     string
		windows bool
		key     string
		back    string // uriFor(key); "" means uri itself
	}{
		{"file:///home/me/notes/draft.md", false, "/home/me/notes/draft.md", ""},
		{"file:///home/me/My%20Notes/a%23b.md", false, "/home/me/My Notes/a#b.md", ""},
		{"file:///home/me/x/../y/./z.md", false, "/home/me/y/z.md", "file:///home/me/y/z.md"},
		{"file:///home/me/%E2%80%94%F0%9F%98%80.md", false, "/home/me/—😀.md", ""},
		{"untitled:Untitled-1", false, "untitled:Untitled-1", ""},
		{"untitled:Untitled-1", true, "untitled:Untitled-1", ""},
		// VS Code's form: lower-case drive, encoded colon.
		{"file:///c%3A/Users/me/notes/draft.md", true, `C:\Users\me\notes\draft.md`, "file:///C:/Users/me/notes/draft.md"},
		{"file:///C:/Users/me/notes/draft.md", true, `C:\Users\me\notes\draft.md`, ""},
		{"file:///d:/My%20Notes/x.md", true, `D:\My Notes\x.md`, "file:///D:/My%20Notes/x.md"},
		{"file:///c%3A/a/../b.md", true, `C:\b.md`, "file:///C:/b.md"},
		{"file:///c%3A/", true, `C:\`, "file:///C:/"},
		{"file://server/share/notes/x.md", true, `\\server\share\notes\x.md`, ""},
	} {
		if got := keyFor(c.uri, c.windows); got != c.key {
			t.Errorf("keyFor(%q, windows=%v) = %q, want %q", c.uri, c.windows, got, c.key)
			continue
		}
		want := c.back
		if want == "" {
			want = c.uri
		}
		back := uriFor(c.key, c.windows)
		if back != want {
			t.Errorf("uriFor(%q, windows=%v) = %q, want %q", c.key, c.windows, back, want)
		}
		if again := keyFor(back, c.windows); again != c.key {
			t.Errorf("keyFor(uriFor(%q)) = %q: not a round trip", c.key, again)
		}
	}
}

// Keys are real paths, and files under a root the client reached through
// a link go back under the root as the client named it; events in a
// hidden folder below a root are told from their URI alone.
func TestPathsThroughALink(t *testing.T) {
	real := t.TempDir()
	link := filepath.Join(t.TempDir(), "notes")
	if err := os.Symlink(real, link); err != nil {
		t.Fatal(err)
	}
	realRoot, _ := filepath.EvalSymlinks(real)
	p := newPaths()
	if got := p.setRoots([]string{link}); len(got) != 1 || got[0] != realRoot {
		t.Fatalf("roots %v, want %s", got, realRoot)
	}
	uri := uriFor(filepath.Join(link, "drafts", "d.md"), false)
	key := p.key(uri)
	if key != filepath.Join(realRoot, "drafts", "d.md") {
		t.Fatalf("key %s", key)
	}
	if back := string(p.uri(key)); back != uri {
		t.Fatalf("uri %s, want the client's %s", back, uri)
	}
	// A file outside the roots reached through a link: resolved once, and
	// sent back as the client named it.
	outside := filepath.Join(t.TempDir(), "x.md")
	os.WriteFile(outside, nil, 0o644)
	alias := filepath.Join(t.TempDir(), "alias.md")
	os.Symlink(outside, alias)
	realOutside, _ := filepath.EvalSymlinks(outside)
	if k := p.key(uriFor(alias, false)); k != realOutside || string(p.uri(k)) != uriFor(alias, false) {
		t.Fatalf("outside: key %s, uri %s", k, p.uri(k))
	}
	for u, want := range map[string]bool{
		uriFor(filepath.Join(link, ".git", "objects", "ab", "cd"), false): true,
		uriFor(filepath.Join(link, "a", ".hidden", "x.md"), false):        true,
		uriFor(filepath.Join(link, ".notes.md"), false):                   false, // a hidden file may be read
		uriFor(filepath.Join(link, "a", "b.md"), false):                   false,
		"file:///elsewhere/.git/x":                                        false,
	} {
		if got := p.hiddenUnderRoot(u); got != want {
			t.Errorf("hiddenUnderRoot(%s) = %v", u, got)
		}
	}
}
