package lsp

import (
	"bufio"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"os"
	"path/filepath"
	"runtime/debug"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/gofrs/flock"
	"go.uber.org/zap"

	"github.com/seedls/seedls/graph/pack"
)

// cacheSchema changes whenever what the cache holds changes meaning; a
// cache of another schema lives in another folder and is never read.
const cacheSchema = 1

// cache is one workspace's folder under the cache directory:
//
//	<cache dir>/s<schema>-bleve<version>/<hash of the real roots>/
//
// where the cache dir is the cacheDirectory setting, else
// $XDG_CACHE_HOME/seedls (~/.cache/seedls).
//
//	roots       the workspace folders, for people looking at the cache
//	files.pack  every file's text, stat, parse and published diagnostics, and the graph's indexes
//	search/     the bleve index (scorch, lean mapping)
//	journal     paths whose index documents may differ from files.pack
//	lock        held by the session that owns the cache
//
// Nothing in it is trusted blindly: the pack carries a checksum and a
// fingerprint of everything its diagnostics depend on, and the index is
// reconciled with the pack at every start.
type cache struct {
	dir  string
	lock *flock.Flock // held while this session owns the cache
}

// acquire takes the cache for this session, without waiting: only its
// holder writes the pack and the shared index. Another seedls on the same
// workspace (a second editor window) keeps to a private index and leaves
// the cache alone. The lock goes with the process.
func (c *cache) acquire() (bool, error) {
	l := flock.New(filepath.Join(c.dir, "lock"))
	ok, err := l.TryLock()
	if err != nil || !ok {
		return false, err
	}
	c.lock = l
	return true, nil
}

// openCache finds or makes the cache folder for roots, or returns nil,
// with a log line, when there is none to be had (unwritable, or inside the
// workspace, where it would be written among the user's files).
func openCache(setting string, roots []string, log *zap.Logger) *cache {
	if len(roots) == 0 {
		return nil
	}
	base := setting
	if base == "" {
		dir, err := os.UserCacheDir() // $XDG_CACHE_HOME, else ~/.cache
		if err != nil {
			log.Info("no cache directory: every start reads the whole workspace", zap.Error(err))
			return nil
		}
		base = filepath.Join(dir, "seedls")
	}
	base, err := filepath.Abs(base)
	if err != nil {
		log.Warn("cache directory unusable: bypassed", zap.String("dir", setting), zap.Error(err))
		return nil
	}
	var real []string
	for _, r := range roots {
		if rr, err := filepath.EvalSymlinks(r); err == nil {
			r = rr
		}
		real = append(real, r)
		if rel, err := filepath.Rel(r, base); err == nil && !strings.HasPrefix(rel, "..") {
			log.Warn("cache directory lies inside the workspace: bypassed, so that no file of the workspace is written", zap.String("dir", base), zap.String("root", r))
			return nil
		}
	}
	sort.Strings(real)
	h := fnv.New64a()
	for _, r := range real {
		h.Write([]byte(r))
		h.Write([]byte{0})
	}
	dir := filepath.Join(base, fmt.Sprintf("s%d-bleve%s", cacheSchema, bleveVersion()), fmt.Sprintf("%016x", h.Sum64()))
	if err := os.MkdirAll(dir, 0o700); err != nil {
		log.Warn("cache directory unwritable: bypassed", zap.String("dir", dir), zap.Error(err))
		return nil
	}
	removeLeftovers(dir, log)
	probe, err := os.CreateTemp(dir, ".probe-*")
	if err != nil {
		log.Warn("cache directory unwritable: bypassed", zap.String("dir", dir), zap.Error(err))
		return nil
	}
	probe.Close()
	os.Remove(probe.Name())
	os.WriteFile(filepath.Join(dir, "roots"), []byte(strings.Join(real, "\n")+"\n"), 0o600)
	return &cache{dir: dir}
}

// removeLeftovers removes what sessions that ended mid-write left behind
// (a pack's temporary file, an index being built), once old enough that
// no live session can still be writing it.
func removeLeftovers(dir string, log *zap.Logger) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		age := time.Minute
		switch {
		case strings.HasPrefix(e.Name(), ".pack-"), strings.HasPrefix(e.Name(), ".probe-"):
		case strings.HasPrefix(e.Name(), "search.tmp-"):
			age = 10 * time.Minute
		default:
			continue
		}
		if info, err := e.Info(); err == nil && time.Since(info.ModTime()) > age {
			os.RemoveAll(filepath.Join(dir, e.Name()))
			log.Info("cache: removed a leftover of an interrupted session", zap.String("path", e.Name()))
		}
	}
}

func (c *cache) packPath() string    { return filepath.Join(c.dir, "files.pack") }
func (c *cache) searchDir() string   { return filepath.Join(c.dir, "search") }
func (c *cache) journalPath() string { return filepath.Join(c.dir, "journal") }

// journal lists the files whose search documents may differ from what
// the pack says of them (edits, open buffers): they are re-indexed at the
// next start. A session notes paths before their documents change, so
// that one that dies midway leaves them listed.
type journal interface {
	note(paths []string)
	// take returns the paths listed, and starts collecting anew.
	take() map[string]bool
	// rewrite leaves in the journal only what was noted since take: the
	// rest is in the index now.
	rewrite()
}

// fileJournal is the cache's journal file.
type fileJournal struct {
	c     *cache
	mu    sync.Mutex
	f     *os.File
	noted map[string]bool // since the journal was last read
}

func openJournal(c *cache) (*fileJournal, error) {
	f, err := os.OpenFile(c.journalPath(), os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return nil, err
	}
	return &fileJournal{c: c, f: f, noted: map[string]bool{}}, nil
}

func (j *fileJournal) note(paths []string) {
	j.mu.Lock()
	defer j.mu.Unlock()
	// Each path once: a buffer edited all day is one line.
	var fresh []string
	for _, p := range paths {
		if !j.noted[p] {
			j.noted[p] = true
			fresh = append(fresh, p)
		}
	}
	j.writeLocked(fresh)
}

func (j *fileJournal) writeLocked(paths []string) {
	if len(paths) == 0 || j.f == nil {
		return
	}
	j.f.WriteString(strings.Join(paths, "\n") + "\n") // a lost line costs a stale search document, no more
}

func (j *fileJournal) take() map[string]bool {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.noted = map[string]bool{}
	out := map[string]bool{}
	f, err := os.Open(j.c.journalPath())
	if err != nil {
		return out
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<16), 1<<20)
	for sc.Scan() {
		if p := sc.Text(); p != "" {
			out[p] = true
		}
	}
	return out
}

func (j *fileJournal) rewrite() {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.f == nil || j.f.Truncate(0) != nil {
		return
	}
	var paths []string
	for p := range j.noted {
		paths = append(paths, p)
	}
	j.writeLocked(paths)
}

func (j *fileJournal) close() {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.f != nil {
		j.f.Close()
		j.f = nil
	}
}

// bleveVersion is the version of bleve built in, part of the cache's
// folder name: an index written by another version is never opened.
func bleveVersion() string {
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, d := range bi.Deps {
			if d.Path == "github.com/blevesearch/bleve/v2" {
				if d.Replace != nil {
					return d.Replace.Version
				}
				return d.Version
			}
		}
	}
	return "unknown"
}

// executableStamp tells one build of seedls from another, so that kept
// diagnostics made by another build are not published. A build that
// cannot be told apart gets a stamp of its own process: no session takes
// another's diagnostics for its own then.
var executableStamp = sync.OnceValue(func() string {
	if b := pack.BuildID(); b != "" {
		return b
	}
	return fmt.Sprintf("unknown build, pid %d at %d", os.Getpid(), time.Now().UnixNano())
})

// blob is how a file's published diagnostics are kept in the pack: their
// number, then the JSON array sent in publishDiagnostics.
func makeBlob(n int, diags []byte) []byte {
	b := make([]byte, 4, 4+len(diags))
	binary.LittleEndian.PutUint32(b, uint32(n))
	return append(b, diags...)
}

func splitBlob(b []byte) (int, json.RawMessage, error) {
	if len(b) < 4 {
		return 0, nil, errors.New("short blob")
	}
	return int(binary.LittleEndian.Uint32(b)), json.RawMessage(b[4:]), nil
}
