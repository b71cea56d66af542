package graph

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"unsafe"
)

// ScanOptions says which files of a workspace are read.
type ScanOptions struct {
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
	// Known, if set, returns a pack of the files as an earlier session
	// left them, with the size and modification time each had then (or
	// nil): a file whose stat still matches is made from the pack instead
	// of read. It is called once the files are listed, so that the pack
	// can be read meanwhile.
	Known func() *Pack
}

// DefaultMaxSize is the default largest file read.
const DefaultMaxSize = 4 << 20

// DefaultExclude are the folders skipped unless the settings say otherwise.
var DefaultExclude = []string{"**/.git/**", "**/node_modules/**"}

// WriterExtensions are the extensions of writers' documents; entity files
// are recognised by content among these and files without an extension.
var WriterExtensions = []string{".md", ".markdown", ".tex", ".txt", ".rst", ".org"}

// ScanResult is what a scan read.
type ScanResult struct {
	Files []*File // sorted by path
	// Notes are things worth a log line that belong to no file: a file that
	// vanished between listing and reading, say.
	Notes []string
	// Known counts the files made from ScanOptions.Known, their stat
	// unchanged.
	Known int
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

// Matcher decides which paths under a root are read.
type Matcher struct {
	include, exclude []glob
}

// glob is a compiled glob and the longest literal part any match contains:
// a substring test rules out most paths before the regexp runs, which
// backtracks (matching every file of 100k against the default excludes
// took a quarter of a second).
type glob struct {
	re  *regexp.Regexp
	lit string
}

func (g glob) match(rel string) bool {
	return strings.Contains(rel, g.lit) && g.re.MatchString(rel)
}

// NewMatcher compiles include and exclude globs.
func NewMatcher(include, exclude []string) (*Matcher, error) {
	m := &Matcher{}
	for _, g := range include {
		re, err := globRegexp(g)
		if err != nil {
			return nil, err
		}
		m.include = append(m.include, glob{re, globLiteral(g)})
	}
	for _, g := range exclude {
		re, err := globRegexp(g)
		if err != nil {
			return nil, err
		}
		m.exclude = append(m.exclude, glob{re, globLiteral(g)})
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
			return true
		}
	}
	return false
}

// globLiteral returns the longest run of g without wildcards ("**/",
// "**", "*", "?").
func globLiteral(g string) string {
	best, start := "", 0
	for i := 0; i <= len(g); i++ {
		if i < len(g) && g[i] != '*' && g[i] != '?' {
			continue
		}
		if i-start > len(best) {
			best = g[start:i]
		}
		// A "**/" wildcard takes its slash: it may match nothing at all.
		if strings.HasPrefix(g[i:], "**/") {
			i += 2
		}
		start = i + 1
	}
	return best
}

// globRegexp turns a glob into a regexp: "**/" any folders (or none), "**"
// anything, "*" anything but '/', "?" one character but '/'.
func globRegexp(g string) (*regexp.Regexp, error) {
	var b strings.Builder
	b.WriteString("^")
	for i := 0; i < len(g); i++ {
		switch c := g[i]; {
		case strings.HasPrefix(g[i:], "**/"):
			b.WriteString("(?:.*/)?")
			i += 2
		case strings.HasPrefix(g[i:], "**"):
			b.WriteString(".*")
			i++
		case c == '*':
			b.WriteString("[^/]*")
		case c == '?':
			b.WriteString("[^/]")
		default:
			b.WriteString(regexp.QuoteMeta(string(c)))
		}
	}
	b.WriteString("$")
	return regexp.Compile(b.String())
}

// Scan reads every wanted file under roots (files or folders). It never
// fails on a file: what cannot be read becomes an unreadable File or a note.
func Scan(roots []string, opt ScanOptions) (*ScanResult, error) {
	if opt.MaxSize <= 0 {
		opt.MaxSize = DefaultMaxSize
	}
	m, err := matcherFor(opt)
	if err != nil {
		return nil, err
	}
	res := &ScanResult{}
	paths, unreadable, notes, err := list(roots, m)
	if err != nil {
		return nil, err
	}
	res.Notes = notes
	var pack *Pack
	if opt.Known != nil {
		pack = opt.Known()
	}
	files := make([]*File, len(paths))
	notes = make([]string, len(paths))
	var done, known atomic.Int64
	Parallel(len(paths), opt.Workers, func(i int) {
		var fromKnown bool
		files[i], notes[i], fromKnown = readKnown(paths[i], pack, opt.MaxSize)
		if fromKnown {
			known.Add(1)
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
	res.Files = append(res.Files, unreadable...)
	sortFiles(res.Files)
	res.Known = int(known.Load())
	return res, nil
}

func matcherFor(opt ScanOptions) (*Matcher, error) {
	exclude := opt.Exclude
	if exclude == nil {
		exclude = DefaultExclude
	}
	return NewMatcher(opt.Include, exclude)
}

// list finds the files a scan of roots reads, and the folders and links
// it cannot read.
func list(roots []string, m *Matcher) (paths []string, unreadable []*File, notes []string, err error) {
	for _, root := range roots {
		abs, err := filepath.Abs(root)
		if err != nil {
			return nil, nil, nil, err
		}
		st, err := os.Stat(abs)
		if err != nil {
			return nil, nil, nil, err
		}
		if !st.IsDir() {
			paths = append(paths, abs)
			continue
		}
		// The root itself must be readable; below it, what cannot be read
		// is reported and the walk goes on.
		entries, err := os.ReadDir(abs)
		if err != nil {
			return nil, nil, nil, err
		}
		w := walker{m: m, tokens: make(chan struct{}, runtime.GOMAXPROCS(0))}
		l := w.entries(abs, "", entries)
		paths = append(paths, l.paths...)
		unreadable = append(unreadable, l.unreadable...)
		notes = append(notes, l.notes...)
	}
	return paths, unreadable, notes, nil
}

// walker lists a folder tree in path order, its subfolders in parallel
// while there are CPUs to spare: listing 100,000 files one folder at a
// time, joining and cleaning every path, was a quarter of a warm start.
type walker struct {
	m      *Matcher
	tokens chan struct{} // one per extra goroutine allowed
}

type listing struct {
	paths      []string
	unreadable []*File
	notes      []string
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
		l.unreadable = append(l.unreadable, NewUnreadable(path, "cannot read: "+errText(err)))
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
		// Symbolic links to files are read; links to folders are not
		// followed, which also keeps link loops out.
		if d.Type()&fs.ModeSymlink != 0 {
			st, err := os.Stat(p)
			if err != nil {
				l.unreadable = append(l.unreadable, NewUnreadable(p, "broken symbolic link: "+errText(err)))
				continue
			}
			if !st.Mode().IsRegular() {
				continue
			}
		} else if !d.Type().IsRegular() {
			continue
		}
		l.paths = append(l.paths, p)
	}
	flush()
	return l
}

// readKnown makes a file from the pack's entry for it when its stat still
// matches, and reads it otherwise.
func readKnown(path string, pack *Pack, maxSize int64) (*File, string, bool) {
	if i, ok := pack.entryIndex(path); ok {
		if e := &pack.Entries[i]; e.usable() && e.Size <= maxSize {
			if st, err := os.Stat(path); err == nil && st.Mode().IsRegular() && st.Size() == e.Size && st.ModTime().UnixNano() == e.ModTime {
				return pack.fileAt(i), "", true
			}
		}
	}
	f, note := ReadFile(path, maxSize)
	return f, note, false
}

// ReadFile reads and parses one file. A file that vanished returns nil and
// a note; any other failure an unreadable File.
func ReadFile(path string, maxSize int64) (*File, string) {
	if maxSize <= 0 {
		maxSize = DefaultMaxSize
	}
	// Offsets are 32-bit, and split points keep two bits of their own.
	maxSize = min(maxSize, 1<<30-1)
	buf, size, mtime, err := readWhole(path, maxSize)
	switch {
	case errors.Is(err, errTooBig):
		return NewUnreadable(path, "file is "+sizeText(size)+", over the "+sizeText(maxSize)+" limit: skipped"), ""
	case errors.Is(err, fs.ErrNotExist):
		return nil, path + ": vanished before it could be read"
	case err != nil:
		return NewUnreadable(path, "cannot read: "+errText(err)), ""
	}
	// Editors drop a BOM from the text they show and send, so positions on
	// disk must not count it either.
	// The buffer is never written again, so the text can share it instead
	// of doubling every file's memory for a copy.
	f := ParseFile(path, strings.TrimPrefix(unsafe.String(unsafe.SliceData(buf), len(buf)), bom))
	f.Size, f.ModTime = size, mtime
	return f, ""
}

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

func sortFiles(fs []*File) {
	sort.Slice(fs, func(i, j int) bool { return fs[i].Path < fs[j].Path })
}
