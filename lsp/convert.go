package lsp

import (
	"net/url"
	"path/filepath"
	"runtime"
	"strings"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/seedls/seedls/graph"
)

// The one place where URIs become file keys and byte spans become protocol
// positions, and back.

// keyOf turns a document URI into the graph's file key: the cleaned path
// for file: URIs, the URI itself for any other scheme (untitled:, ...),
// never a panic (uri.URI.Filename panics on those).
func keyOf(u string) string {
	if !strings.HasPrefix(u, "file:") {
		return u
	}
	p, err := url.Parse(u)
	if err != nil || p.Path == "" {
		return u
	}
	path := p.Path
	if runtime.GOOS == "windows" {
		path = strings.TrimPrefix(path, "/")
	}
	return filepath.Clean(filepath.FromSlash(path))
}

// uriOf is the inverse of keyOf.
func uriOf(key string) protocol.DocumentURI {
	if !filepath.IsAbs(key) {
		return protocol.DocumentURI(key)
	}
	return uri.File(key)
}

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
