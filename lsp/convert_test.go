package lsp

import "testing"

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
