package lsp

import (
	"net/url"
	"path"
	"runtime"
	"strings"

	"go.lsp.dev/protocol"

	"github.com/seedls/seedls/graph"
)

// The one place where URIs become file keys and byte spans become protocol
// positions, and back.

// keyOf turns a document URI into the graph's file key: the cleaned path
// for file: URIs, the URI itself for any other scheme (untitled:, ...),
// never a panic (uri.URI.Filename panics on those).
func keyOf(u string) string { return keyFor(u, runtime.GOOS == "windows") }

// uriOf is the inverse of keyOf.
func uriOf(key string) protocol.DocumentURI {
	return protocol.DocumentURI(uriFor(key, runtime.GOOS == "windows"))
}

// keyFor is keyOf for one kind of system, so that Windows URIs are tested
// everywhere. On Windows "file:///c%3A/Users/x.md" (VS Code's form: a
// lower-case drive and an encoded colon) and "file:///C:/Users/x.md" are
// both C:\Users\x.md, the form the file system's own paths take, and
// "file://server/share/x.md" is \\server\share\x.md.
func keyFor(u string, windows bool) string {
	if !strings.HasPrefix(u, "file:") {
		return u
	}
	p, err := url.Parse(u)
	if err != nil || p.Path == "" {
		return u
	}
	if !windows {
		return path.Clean(p.Path)
	}
	clean := path.Clean(p.Path)
	if p.Host != "" && p.Host != "localhost" {
		return `\\` + p.Host + strings.ReplaceAll(clean, "/", `\`)
	}
	if len(clean) >= 3 && clean[0] == '/' && isDriveLetter(clean[1]) && clean[2] == ':' {
		rest := strings.ReplaceAll(path.Clean("/"+strings.TrimPrefix(clean[3:], "/")), "/", `\`)
		return strings.ToUpper(clean[1:2]) + ":" + rest
	}
	return strings.ReplaceAll(clean, "/", `\`)
}

// uriFor is uriOf for one kind of system: keys that are not absolute
// paths are URIs already.
func uriFor(key string, windows bool) string {
	if !windows {
		if !strings.HasPrefix(key, "/") {
			return key
		}
		return (&url.URL{Scheme: "file", Path: key}).String()
	}
	switch {
	case strings.HasPrefix(key, `\\`):
		host, rest, _ := strings.Cut(key[2:], `\`)
		return (&url.URL{Scheme: "file", Host: host, Path: "/" + strings.ReplaceAll(rest, `\`, "/")}).String()
	case len(key) >= 3 && isDriveLetter(key[0]) && key[1] == ':' && (key[2] == '\\' || key[2] == '/'):
		return (&url.URL{Scheme: "file", Path: "/" + strings.ToUpper(key[:1]) + ":" + strings.ReplaceAll(key[2:], `\`, "/")}).String()
	}
	return key
}

func isDriveLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// position converts a byte offset in f to a protocol position.
func position(f *graph.File, off int, enc graph.Encoding) protocol.Position {
	p := f.Lines().Pos(off, enc)
	return protocol.Position{Line: uint32(p.Line), Character: uint32(p.Col)}
}

// rangeOf converts a span of f to a protocol range.
func rangeOf(f *graph.File, sp graph.Span, enc graph.Encoding) protocol.Range {
	return protocol.Range{Start: position(f, int(sp.Start), enc), End: position(f, int(sp.End), enc)}
}

// offsetOf converts a protocol position to a byte offset in f, clamped.
func offsetOf(f *graph.File, p protocol.Position, enc graph.Encoding) int {
	return f.Lines().Offset(graph.Pos{Line: int(p.Line), Col: int(p.Character)}, enc)
}

// location converts a graph location, looking its file up in snap.
func location(snap *graph.Snapshot, l graph.Location, enc graph.Encoding) (protocol.Location, bool) {
	f := snap.File(l.Path)
	if f == nil {
		return protocol.Location{}, false
	}
	return protocol.Location{URI: uriOf(l.Path), Range: rangeOf(f, l.Span, enc)}, true
}

func locations(snap *graph.Snapshot, ls []graph.Location, enc graph.Encoding) []protocol.Location {
	out := make([]protocol.Location, 0, len(ls))
	for _, l := range ls {
		if loc, ok := location(snap, l, enc); ok {
			out = append(out, loc)
		}
	}
	return out
}
