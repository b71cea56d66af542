// Package scan reads a workspace from the file system: which files a
// workspace holds (folders walked in parallel, globs, links), and each
// file's text, parsed by graph. The graph itself never touches the disk.
package scan

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"unsafe"

	"github.com/bmatcuk/doublestar/v4"

	"github.com/seedls/seedls/graph"
)

// Options says which files of a workspace are read.
type Options struct {
	// MaxSize is the largest file read, in bytes; larger ones are reported.
	MaxSize int64
	// Include, when not empty, keeps only files matching one of its globs;
	// Exclude drops files and folders matching one of its globs. Globs are
	// matched against the slash-separated path relative to the root, and
	// "**" matches any number of folders.
	Include, Exclude []string
	// Workers reading files at once; 0 means one per CPU.
	Workers int
	// Progress, if set, is called now and then with files read and found.
	Progress func(read, found int)
	// Known, if set, returns the files as an earlier session left them
	// (or nil): a file whose stat still matches is made from it instead of
	// read. It is called once the files are listed, so that what it
	// returns can be loaded meanwhile.
	Known func() Known
}

// Known is what an earlier session read.
type Known interface {
	// Stat returns the size and modification time path was read with, if
	// its text can stand for the file while they still match.
	Stat(path string) (size, mtime int64, ok bool)
	// File makes the file as it was read.
	File(path string) *graph.File
}

// DefaultMaxSize is the default largest file read.
const DefaultMaxSize = 4 << 20

// DefaultExclude are the folders skipped unless the settings say otherwise.
var DefaultExclude = []string{"**/.git/**", "**/node_modules/**"}

// WriterExtensions are the extensions of writers' documents; entity files
// are recognised by content among these and files without an extension.
var WriterExtensions = []string{".md", ".markdown", ".tex", ".txt", ".rst", ".org"}

// Result is what a scan read.
type Result struct {
	Files []*graph.File // sorted by path
	// Notes are things worth a log line that belong to no file: a file that
	// vanished between listing and reading, say.
	Notes []string
	// Known counts the files made from Options.Known, their stat
	// unchanged.
	Known int
	// Listed counts the files listed under each root, in the order given,
	// whether or not another root listed them too.
	Listed []int
	// Unmatched are the include globs that matched no file.
	Unmatched []string
}

// WantedName reports whether a file name is one the scan reads by default.
func WantedName(name string) bool {
	ext := strings.ToLower(filepath.Ext(name))
	if ext == "" {
		return !strings.HasPrefix(filepath.Base(name), ".")
	}
	for _, e := range WriterExtensions {
		if ext == e {
			return true
		}
	}
	return false
}

// Matcher decides which paths under a root are read. Globs are
// doublestar's: "**" any number of folders, "*" and "?" within one,
// "{a,b}" alternatives, "[...]" classes.
type Matcher struct {
	include, exclude []*glob
}

// glob is a pattern and the longest literal every match contains: a
// substring test rules out most paths before the pattern is matched
// (every file of 100k against the default excludes, at every scan).
type glob struct {
	pattern, lit string
	hits         atomic.Int64 // paths matched, for includes that match nothing
}

func (g *glob) match(rel string) bool {
	if !strings.Contains(rel, g.lit) {
		return false
	}
	ok, _ := doublestar.Match(g.pattern, rel)
	return ok
}

// NewMatcher checks and compiles include and exclude globs.
func NewMatcher(include, exclude []string) (*Matcher, error) {
	m := &Matcher{}
	for _, list := range []struct {
		in  []string
		out *[]*glob
	}{{include, &m.include}, {exclude, &m.exclude}} {
		for _, p := range list.in {
			if !doublestar.ValidatePattern(p) {
				return nil, fmt.Errorf("bad glob %q: unbalanced brackets or braces, or a trailing backslash", p)
			}
			*list.out = append(*list.out, &glob{pattern: p, lit: globLiteral(p)})
		}
	}
	return m, nil
}

// Excluded reports whether rel (slash-separated, relative to a root) is
// excluded; for a folder, rel should end in "/".
func (m *Matcher) Excluded(rel string) bool {
	for _, g := range m.exclude {
		if g.match(rel) {
			return true
		}
	}
	return false
}

// Wanted reports whether the file rel is read.
func (m *Matcher) Wanted(rel string) bool {
	if m.Excluded(rel) {
		return false
	}
	if len(m.include) == 0 {
		return WantedName(rel)
	}
	for _, g := range m.include {
		if g.match(rel) {
			g.hits.Add(1)
			return true
		}
	}
	return false
}

// unmatched returns the include globs no path has matched yet.
func (m *Matcher) unmatched() []string {
	var out []string
	for _, g := range m.include {
		if g.hits.Load() == 0 {
			out = append(out, g.pattern)
		}
	}
	return out
}

// globLiteral returns the longest run of g that every match contains:
// text outside wildcards, classes and alternatives, and before an escape.
// Slashes at its ends are dropped: "**/" and "/**" may match nothing.
func globLiteral(g string) string {
	best, start := "", 0
	for i := 0; i <= len(g); i++ {
		if i < len(g) && !strings.ContainsRune(`*?\[{`, rune(g[i])) {
			continue
		}
		if run := strings.Trim(g[start:i], "/"); len(run) > len(best) {
			best = run
		}
		if i < len(g) {
			i = skipSpecial(g, i)
		}
		start = i + 1
	}
	return best
}

// skipSpecial returns the index of the last byte of the wildcard, escape,
// class or (nested) alternative starting at g[i].
func skipSpecial(g string, i int) int {
	switch g[i] {
	case '\\':
		return min(i+1, len(g)-1)
	case '[':
		for j := i + 1; j < len(g); j++ {
			if g[j] == '\\' {
				j++
			} else if g[j] == ']' && j > i+1 {
				return j
			}
		}
		return len(g) - 1
	case '{':
		for j := i + 1; j < len(g); j++ {
			switch g[j] {
			case '\\':
				j++
			case '[', '{':
				j = skipSpecial(g, j)
			case '}':
				return j
			}
		}
		return len(g) - 1
	}
	return i
}

// Scan reads every wanted file under roots (files or folders). It never
// fails on a file: what cannot be read becomes an unreadable File or a
// note. Roots and the files linked to are taken by their real paths
// (symbolic links resolved), and each file is read once however many
// roots hold it: nested or repeated roots, a file named and its folder.
func Scan(roots []string, opt Options) (*Result, error) {
	if opt.MaxSize <= 0 {
		opt.MaxSize = DefaultMaxSize
	}
	m, err := matcherFor(opt)
	if err != nil {
		return nil, err
	}
	res := &Result{}
	l, err := list(roots, m)
	if err != nil {
		return nil, err
	}
	paths := l.paths
	res.Notes, res.Listed, res.Unmatched = l.notes, l.counts, m.unmatched()
	var known Known
	if opt.Known != nil {
		known = opt.Known()
	}
	files := make([]*graph.File, len(paths))
	notes := make([]string, len(paths))
	var done, fromKnown atomic.Int64
	graph.Parallel(len(paths), opt.Workers, func(i int) {
		var ok bool
		files[i], notes[i], ok = readKnown(paths[i], known, opt.MaxSize)
		if ok {
			fromKnown.Add(1)
		}
		if n := done.Add(1); opt.Progress != nil && n%1024 == 0 {
			opt.Progress(int(n), len(paths))
		}
	})
	if opt.Progress != nil {
		opt.Progress(len(paths), len(paths))
	}
	for i, f := range files {
		if f != nil {
			res.Files = append(res.Files, f)
		} else if notes[i] != "" {
			res.Notes = append(res.Notes, notes[i])
		}
	}
	res.Files = append(res.Files, l.unreadable...)
	sortFiles(res.Files)
	res.Known = int(fromKnown.Load())
	return res, nil
}

func matcherFor(opt Options) (*Matcher, error) {
	exclude := opt.Exclude
	if exclude == nil {
		exclude = DefaultExclude
	}
	return NewMatcher(opt.Include, exclude)
}

// Real returns the real path of p: absolute, with symbolic links
// resolved; p made absolute when it cannot be resolved (it does not
// exist, say).
func Real(p string) string {
	abs, err := filepath.Abs(p)
	if err != nil {
		return p
	}
	if r, err := filepath.EvalSymlinks(abs); err == nil {
		return r
	}
	return abs
}

// list finds the files a scan of roots reads, each once, and the folders
// and links it cannot read.
func list(roots []string, m *Matcher) (listing, error) {
	var all listing
	seen := map[string]bool{}
	for _, root := range roots {
		st, err := os.Stat(root)
		if err != nil {
			return listing{}, err
		}
		abs := Real(root)
		var l listing
		if !st.IsDir() {
			l.paths = []string{abs}
		} else {
			// The root itself must be readable; below it, what cannot be
			// read is reported and the walk goes on.
			entries, err := os.ReadDir(abs)
			if err != nil {
				return listing{}, err
			}
			w := walker{m: m, tokens: make(chan struct{}, runtime.GOMAXPROCS(0))}
			l = w.entries(abs, "", entries)
		}
		for _, p := range l.paths {
			if !seen[p] {
				seen[p] = true
				all.paths = append(all.paths, p)
			}
		}
		for _, f := range l.unreadable {
			if !seen[f.Path] {
				seen[f.Path] = true
				all.unreadable = append(all.unreadable, f)
			}
		}
		all.notes = append(all.notes, l.notes...)
		all.counts = append(all.counts, len(l.paths)+len(l.unreadable))
	}
	return all, nil
}

// walker lists a folder tree in path order, its subfolders in parallel
// while there are CPUs to spare, without joining and cleaning every path:
// a warm start's listing is most of its work.
type walker struct {
	m      *Matcher
	tokens chan struct{} // one per extra goroutine allowed
}

type listing struct {
	paths      []string
	unreadable []*graph.File
	notes      []string
	counts     []int // files listed under each root (read once however many list them)
}

func (l *listing) add(o listing) {
	l.paths = append(l.paths, o.paths...)
	l.unreadable = append(l.unreadable, o.unreadable...)
	l.notes = append(l.notes, o.notes...)
}

// dir lists the folder at path (rel from the root, slash-separated).
func (w *walker) dir(path, rel string) listing {
	entries, err := os.ReadDir(path)
	l := listing{}
	if err != nil {
		// What could be read is still listed, as filepath.WalkDir does.
		l.unreadable = append(l.unreadable, graph.NewUnreadable(path, "cannot read: "+errText(err)))
	}
	l.add(w.entries(path, rel, entries))
	return l
}

func (w *walker) entries(path, rel string, entries []fs.DirEntry) listing {
	var l listing
	type sub struct {
		path, rel string
		l         listing
		done      chan struct{}
	}
	var subs []*sub
	flush := func() {
		for _, s := range subs {
			if s.done != nil {
				<-s.done
			}
			l.add(s.l)
		}
		subs = subs[:0]
	}
	for _, d := range entries {
		name := d.Name()
		p := path + string(filepath.Separator) + name
		r := name
		if rel != "" {
			r = rel + "/" + name
		}
		if d.IsDir() {
			if strings.HasPrefix(name, ".") || w.m.Excluded(r+"/") {
				continue
			}
			s := &sub{path: p, rel: r}
			select {
			case w.tokens <- struct{}{}:
				s.done = make(chan struct{})
				go func() {
					defer func() { <-w.tokens; close(s.done) }()
					s.l = w.dir(s.path, s.rel)
				}()
			default:
				s.l = w.dir(p, r)
			}
			subs = append(subs, s)
			continue
		}
		// Files come after the folders before them, in path order.
		flush()
		if !w.m.Wanted(r) {
			continue
		}
		// Symbolic links to files are read, by the real path of what they
		// point to (a file linked twice is one file); links to folders are
		// not followed, which also keeps link loops out.
		if d.Type()&fs.ModeSymlink != 0 {
			st, err := os.Stat(p)
			if err != nil {
				l.unreadable = append(l.unreadable, graph.NewUnreadable(p, "broken symbolic link: "+errText(err)))
				continue
			}
			if !st.Mode().IsRegular() {
				continue
			}
			p = Real(p)
		} else if !d.Type().IsRegular() {
			continue
		}
		l.paths = append(l.paths, p)
	}
	flush()
	return l
}

// readKnown makes a file from what was known of it when its stat still
// matches, and reads it otherwise.
func readKnown(path string, known Known, maxSize int64) (*graph.File, string, bool) {
	if known != nil {
		if size, mtime, ok := known.Stat(path); ok && size <= maxSize {
			if st, err := os.Stat(path); err == nil && st.Mode().IsRegular() && st.Size() == size && st.ModTime().UnixNano() == mtime {
				if f := known.File(path); f != nil {
					return f, "", true
				}
			}
		}
	}
	f, note := ReadFile(path, maxSize)
	return f, note, false
}

// ReadFile reads and parses one file, which then lets its text go (see
// graph.File.DropText). A file that vanished returns nil and a note; any
// other failure an unreadable File.
func ReadFile(path string, maxSize int64) (*graph.File, string) {
	if maxSize <= 0 {
		maxSize = DefaultMaxSize
	}
	// Offsets are 32-bit, and split points keep two bits of their own.
	maxSize = min(maxSize, 1<<30-1)
	buf, size, mtime, err := readWhole(path, maxSize)
	switch {
	case errors.Is(err, errTooBig):
		return graph.NewUnreadable(path, "file is "+sizeText(size)+", over the "+sizeText(maxSize)+" limit: skipped"), ""
	case errors.Is(err, fs.ErrNotExist):
		return nil, path + ": vanished before it could be read"
	case err != nil:
		return graph.NewUnreadable(path, "cannot read: "+errText(err)), ""
	}
	// Editors drop a BOM from the text they show and send, so positions on
	// disk must not count it either.
	// The buffer is never written again, so the text can share it instead
	// of doubling every file's memory for a copy.
	f := graph.ParseFile(path, strings.TrimPrefix(unsafe.String(unsafe.SliceData(buf), len(buf)), bom))
	f.DropText()
	f.Size, f.ModTime = size, mtime
	return f, ""
}

// ReadText reads a file's text as ReadFile parses it: without a BOM, and
// with invalid bytes replaced (graph.Sanitize).
func ReadText(path string, maxSize int64) (string, error) {
	if maxSize <= 0 {
		maxSize = DefaultMaxSize
	}
	buf, _, _, err := readWhole(path, min(maxSize, 1<<30-1))
	if err != nil {
		return "", err
	}
	return graph.Sanitize(strings.TrimPrefix(string(buf), bom)), nil
}

// bom is the byte order mark editors drop.
const bom = "\uFEFF"

var errTooBig = errors.New("over the size limit")

func sizeText(n int64) string {
	switch {
	case n >= 1<<20:
		return strconv.Itoa(int(n>>20)) + " MiB"
	case n >= 1<<10:
		return strconv.Itoa(int(n>>10)) + " KiB"
	}
	return strconv.Itoa(int(n)) + " bytes"
}

// errText drops the path os errors repeat.
func errText(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

func sortFiles(fs []*graph.File) {
	sort.Slice(fs, func(i, j int) bool { return fs[i].Path < fs[j].Path })
}
