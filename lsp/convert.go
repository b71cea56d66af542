package lsp

import (
	"net/url"
	"path"
	"runtime"
	"sort"
	"strings"
	"sync"

	"go.lsp.dev/protocol"

	"github.com/seedls/seedls/graph"
	"github.com/seedls/seedls/graph/scan"
)

// The one place where URIs become file keys and byte spans become protocol
// positions, and back.

// paths turns URIs into file keys and back. Keys are real paths: the
// scan resolves links (graph/scan.Real), so that a file is one file
// however it is reached. A client names files as it opened them: under a
// workspace folder reached through a link (macOS's /tmp, a notes folder
// linked from home), its paths are not real. Each root is kept in both
// spellings, and a path under a root maps by prefix; any other path is
// resolved on the disk once, and remembered both ways.
type paths struct {
	windows bool
	mu      sync.Mutex
	roots   []rootNames
	toKey   map[string]string // client path -> key, for paths outside the roots
	toPath  map[string]string // key -> client path, likewise
}

// rootNames is a root as the client names it and as it really is, and
// the client's URI of it.
type rootNames struct{ client, real, uri string }

func newPaths() *paths {
	return &paths{windows: runtime.GOOS == "windows", toKey: map[string]string{}, toPath: map[string]string{}}
}

// setRoots takes the roots as the client names them (paths) and returns
// their real paths, in the same order.
func (p *paths) setRoots(client []string) []string {
	real := make([]string, len(client))
	roots := make([]rootNames, len(client))
	for i, c := range client {
		real[i] = scan.Real(c)
		roots[i] = rootNames{c, real[i], uriFor(c, p.windows)}
	}
	// The longest first, so that a nested root maps its own files.
	sort.Slice(roots, func(i, j int) bool { return len(roots[i].client) > len(roots[j].client) })
	p.mu.Lock()
	p.roots = roots
	p.mu.Unlock()
	return real
}

// key turns a document URI into the graph's file key: a real path for
// file: URIs, the URI itself for any other scheme (untitled:, ...),
// never a panic (uri.URI.Filename panics on those).
func (p *paths) key(u string) string {
	path := keyFor(u, p.windows)
	if !p.isAbs(path) {
		return path
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, r := range p.roots {
		if rest, ok := p.cut(path, r.client); ok {
			return r.real + rest
		}
	}
	if k, ok := p.toKey[path]; ok {
		return k
	}
	k := scan.Real(path)
	if len(p.toKey) < 10000 { // a bound, should a client name files by the million
		p.toKey[path], p.toPath[k] = k, path
	}
	return k
}

// uri is the inverse of key.
func (p *paths) uri(key string) protocol.DocumentURI {
	if !p.isAbs(key) {
		return protocol.DocumentURI(key)
	}
	p.mu.Lock()
	path, ok := p.toPath[key]
	if !ok {
		path = key
		for _, r := range p.roots {
			if rest, ok := p.cut(key, r.real); ok {
				path = r.client + rest
				break
			}
		}
	}
	p.mu.Unlock()
	return protocol.DocumentURI(uriFor(path, p.windows))
}

// hiddenUnderRoot reports, from a file URI alone, whether it names
// something in a hidden folder below a root ("root/.git/objects/..."),
// which the workspace never holds: such events are dropped without
// parsing their URIs. ('.' is never percent-encoded.)
func (p *paths) hiddenUnderRoot(u string) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, r := range p.roots {
		rest, ok := strings.CutPrefix(u, strings.TrimSuffix(r.uri, "/")+"/")
		if !ok {
			continue
		}
		for {
			seg, after, more := strings.Cut(rest, "/")
			if !more {
				return false // the last segment: a file, hidden or not
			}
			if strings.HasPrefix(seg, ".") {
				return true
			}
			rest = after
		}
	}
	return false
}

// cut returns what follows root in path ("" or a separator and more).
func (p *paths) cut(path, root string) (string, bool) {
	sep := "/"
	if p.windows {
		sep = `\`
	}
	switch {
	case path == root:
		return "", true
	case strings.HasPrefix(path, strings.TrimSuffix(root, sep)+sep):
		return path[len(strings.TrimSuffix(root, sep)):], true
	}
	return "", false
}

func (p *paths) isAbs(path string) bool {
	if p.windows {
		return len(path) >= 3 && isDriveLetter(path[0]) && path[1] == ':' || strings.HasPrefix(path, `\\`)
	}
	return strings.HasPrefix(path, "/")
}

// keyFor turns a file: URI into a path, for one kind of system, so that Windows URIs are tested
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

// PathURI is the file: URI of an absolute path of this system, for those
// who have no client's spelling to keep (the command line).
func PathURI(path string) protocol.DocumentURI {
	return protocol.DocumentURI(uriFor(path, runtime.GOOS == "windows"))
}

// uriFor turns a path into a file: URI, for one kind of system: keys that are not absolute
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

// keyOf is the file key of a document URI (see paths).
func (s *Server) keyOf(uri string) string { return s.paths.key(uri) }

// uriOf is the URI of a file key (see paths).
func (s *Server) uriOf(key string) protocol.DocumentURI { return s.paths.uri(key) }

// location converts a graph location, looking its file up in snap.
func (s *Server) location(snap *graph.Snapshot, l graph.Location) (protocol.Location, bool) {
	f := snap.File(l.Path)
	if f == nil {
		return protocol.Location{}, false
	}
	return protocol.Location{URI: s.uriOf(l.Path), Range: rangeOf(f, l.Span, s.encoding())}, true
}

func (s *Server) locations(snap *graph.Snapshot, ls []graph.Location) []protocol.Location {
	out := make([]protocol.Location, 0, len(ls))
	for _, l := range ls {
		if loc, ok := s.location(snap, l); ok {
			out = append(out, loc)
		}
	}
	return out
}
