package lsp_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/seedls/seedls/lsp/lsptest"
)

// cachedSession starts seedls on root with cacheDir as XDG_CACHE_HOME and
// waits until its first diagnostics are all out.
func cachedSession(t *testing.T, root, cacheDir string) (*lsptest.Client, context.Context) {
	t.Helper()
	c, ctx := start(t, lsptest.Options{
		Args: []string{"serve", "--log-level", "info"},
		Env:  []string{"XDG_CACHE_HOME=" + cacheDir, "TMPDIR=" + sessionTmp(t)},
	})
	if _, err := c.Initialize(ctx, root, nil, nil); err != nil {
		t.Fatal(err)
	}
	settle(t, ctx, c)
	return c, ctx
}

// settle waits until the workspace is read and no diagnostics are left to
// make or send, and returns the status then.
func settle(t *testing.T, ctx context.Context, c *lsptest.Client) map[string]any {
	t.Helper()
	return waitStatus(t, ctx, c, func(st map[string]any) bool { return st["indexing"] == false && st["publishing"] == false })
}

// published is the last list of diagnostics published for each file,
// re-encoded so that sessions can be compared.
func published(t *testing.T, c *lsptest.Client) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, raw := range c.Notifications("textDocument/publishDiagnostics") {
		var p struct {
			URI         string
			Diagnostics []map[string]any
		}
		if err := json.Unmarshal(raw, &p); err != nil {
			t.Fatal(err)
		}
		data, _ := json.Marshal(p.Diagnostics)
		out[p.URI] = string(data)
		if len(p.Diagnostics) == 0 {
			delete(out, p.URI)
		}
	}
	return out
}

func samePublished(t *testing.T, what string, got, want map[string]string) {
	t.Helper()
	var keys []string
	for k := range want {
		keys = append(keys, k)
	}
	for k := range got {
		if _, ok := want[k]; !ok {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	for _, k := range keys {
		if got[k] != want[k] {
			t.Errorf("%s: %s\n got %s\nwant %s", what, k, got[k], want[k])
		}
	}
	if len(want) == 0 {
		t.Fatalf("%s: nothing published to compare", what)
	}
}

// packOf waits until the session has written the cache's pack.
func packOf(t *testing.T, cacheDir string) string {
	t.Helper()
	var got []string
	waitFor(t, func() bool {
		got, _ = filepath.Glob(filepath.Join(cacheDir, "seedls", "*", "*", "files.pack"))
		return len(got) == 1
	})
	return got[0]
}

// waitFor waits up to 30 s for done.
func waitFor(t *testing.T, done func() bool) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); !done(); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("timed out")
		}
	}
}

// TestWarmStart: a second session publishes the diagnostics the first
// left in the cache, exactly as the first published them; after files
// change on disk, a warm session publishes exactly what a cold one does;
// a corrupt cache is detected, bypassed and rewritten.
func TestWarmStart(t *testing.T) {
	root := copySeeds(t)
	cacheDir := t.TempDir()
	c1, ctx := cachedSession(t, root, cacheDir)
	first := published(t, c1)
	pack := packOf(t, cacheDir)
	must(t, c1.Shutdown(ctx))

	c2, ctx := cachedSession(t, root, cacheDir)
	st := settle(t, ctx, c2)
	if st["changedSinceCache"] != float64(0) || st["keptDiagnostics"] != st["files"] {
		t.Errorf("warm start with nothing changed: status %v", st)
	}
	samePublished(t, "warm start", published(t, c2), first)
	must(t, c2.Shutdown(ctx))

	// Change the disk: the near duplicate's title moves away (its
	// partner's warning must go), a document appears citing an unknown
	// id, and the unlinked claim goes (nothing cites it, nothing else
	// changes). The stat of a changed file may keep its size.
	near := filepath.Join(root, "002_near_duplicate_claim.txt")
	data, _ := os.ReadFile(near)
	must(t, os.WriteFile(near, []byte(strings.Replace(string(data), "SOO fine-tuning", "SOO fine-tuning hardly", 1)), 0o644))
	must(t, os.WriteFile(filepath.Join(root, "notes.md"), []byte("See claim:a-claim-nobody-wrote.\n"), 0o644))
	must(t, os.Remove(filepath.Join(root, "005_unlinked_claim.txt")))
	cold, ctx := cachedSession(t, root, t.TempDir())
	want := published(t, cold)
	must(t, cold.Shutdown(ctx))

	c3, ctx := cachedSession(t, root, cacheDir)
	st = settle(t, ctx, c3)
	if st["changedSinceCache"] != float64(3) {
		t.Errorf("warm start after three changes: status %v", st)
	}
	samePublished(t, "warm start after changes", published(t, c3), want)
	for _, k := range []string{"002_near_duplicate_claim.txt", "notes.md"} {
		if _, ok := want[lsptest.FileURI(filepath.Join(root, k))]; !ok && k == "notes.md" {
			t.Errorf("the cold session published nothing for %s", k)
		}
	}
	// The pack is rewritten with what changed.
	before, _ := os.Stat(pack)
	deadline := time.Now().Add(30 * time.Second)
	for {
		now, err := os.Stat(pack)
		if err == nil && !now.ModTime().Equal(before.ModTime()) || time.Now().After(deadline) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	must(t, c3.Shutdown(ctx))

	// A corrupt pack: detected, every file diagnosed, nothing wrong.
	packData, _ := os.ReadFile(pack)
	packData[len(packData)/2] ^= 0xff
	must(t, os.WriteFile(pack, packData, 0o600))
	c4, ctx := cachedSession(t, root, cacheDir)
	samePublished(t, "corrupt cache", published(t, c4), want)
	if !strings.Contains(c4.Stderr(), "cache unreadable") {
		t.Errorf("no log line for the corrupt cache")
	}
	must(t, c4.Shutdown(ctx))
}

// TestRacyPackRewritten: files read within the file system's time
// resolution of their last change are kept without their stat; the next
// session, reading them again, rewrites the pack with it, so that the one
// after publishes kept diagnostics before reading anything.
func TestRacyPackRewritten(t *testing.T) {
	root := copySeeds(t) // written just now: the first session cannot trust their times
	cacheDir := t.TempDir()
	c1, ctx := cachedSession(t, root, cacheDir)
	packOf(t, cacheDir)
	waitStatus(t, ctx, c1, func(st map[string]any) bool { return st["cacheWritten"] == true })
	must(t, c1.Shutdown(ctx))
	past := time.Now().Add(-time.Hour)
	paths, _ := filepath.Glob(filepath.Join(root, "*"))
	for _, p := range paths {
		must(t, os.Chtimes(p, past, past))
	}
	c2, ctx := cachedSession(t, root, cacheDir)
	st := settle(t, ctx, c2)
	if _, early := st["keptPublishedInMs"]; early || st["changedSinceCache"] != float64(0) {
		t.Errorf("second session: status %v", st)
	}
	waitStatus(t, ctx, c2, func(st map[string]any) bool { return st["cacheWritten"] == true })
	must(t, c2.Shutdown(ctx))
	c3, ctx := cachedSession(t, root, cacheDir)
	if st := settle(t, ctx, c3); st["keptPublishedInMs"] == nil {
		t.Errorf("third session did not publish kept diagnostics early: status %v", st)
	}
	must(t, c3.Shutdown(ctx))
}

// TestSecondEditor: a second session on the same workspace and cache,
// while the first holds the search index, neither hangs nor fails: it
// uses an index of its own.
func TestSecondEditor(t *testing.T) {
	root := copySeeds(t)
	cacheDir := t.TempDir()
	c1, ctx := cachedSession(t, root, cacheDir)
	waitSearch(t, ctx, c1)
	c2, ctx2 := cachedSession(t, root, cacheDir)
	waitSearch(t, ctx2, c2)
	if !strings.Contains(c2.Stderr(), "held by another seedls") {
		t.Errorf("the second session did not notice the first's index")
	}
	for _, c := range []*lsptest.Client{c1, c2} {
		var syms []struct{ Name string }
		if err := c.Call(ctx, "workspace/symbol", map[string]any{"query": "deceptive"}, &syms); err != nil || len(syms) == 0 {
			t.Errorf("workspace symbols: %v %v", err, syms)
		}
	}
	must(t, c2.Shutdown(ctx2))
	must(t, c1.Shutdown(ctx))
}

// TestCacheUnwritable: a cache directory that cannot be made is bypassed
// with a log line; everything else works.
func TestCacheUnwritable(t *testing.T) {
	root := copySeeds(t)
	notADir := filepath.Join(t.TempDir(), "file")
	must(t, os.WriteFile(notADir, nil, 0o644))
	c, ctx := cachedSession(t, root, notADir)
	waitSearch(t, ctx, c)
	if !strings.Contains(c.Stderr(), "cache directory unwritable: bypassed") {
		t.Errorf("no log line for the unwritable cache")
	}
	if len(published(t, c)) == 0 {
		t.Error("nothing published")
	}
	var syms []struct{ Name string }
	if err := c.Call(ctx, "workspace/symbol", map[string]any{"query": "deceptive"}, &syms); err != nil || len(syms) == 0 {
		t.Errorf("workspace symbols: %v %v", err, syms)
	}
	must(t, c.Shutdown(ctx))
}

// TestCacheLeftovers: what an interrupted session left in the cache (a
// half-written pack, an index being built) is removed once stale, and
// fresh ones, which a live session may still be writing, are kept.
func TestCacheLeftovers(t *testing.T) {
	root := copySeeds(t)
	cacheDir := t.TempDir()
	c, ctx := cachedSession(t, root, cacheDir)
	dir := filepath.Dir(packOf(t, cacheDir))
	must(t, c.Shutdown(ctx))
	old := time.Now().Add(-time.Hour)
	for _, name := range []string{".pack-123", "search.tmp-456", ".pack-fresh"} {
		p := filepath.Join(dir, name)
		must(t, os.WriteFile(p, []byte("half"), 0o600))
		if name != ".pack-fresh" {
			must(t, os.Chtimes(p, old, old))
		}
	}
	c, ctx = cachedSession(t, root, cacheDir)
	must(t, c.Shutdown(ctx))
	for name, kept := range map[string]bool{".pack-123": false, "search.tmp-456": false, ".pack-fresh": true} {
		if _, err := os.Stat(filepath.Join(dir, name)); (err == nil) != kept {
			t.Errorf("%s: kept=%v, want %v", name, err == nil, kept)
		}
	}
}

// TestCacheInsideWorkspace: a cacheDirectory setting that points into the
// workspace is refused (the server writes no file there), and another
// folder is used as set.
func TestCacheInsideWorkspace(t *testing.T) {
	root := copySeeds(t)
	before := treeHash(t, root)
	elsewhere := t.TempDir()
	for _, dir := range []string{filepath.Join(root, ".seedls-cache"), elsewhere} {
		c, ctx := start(t, lsptest.Options{
			Args:     []string{"serve"},
			Env:      []string{"XDG_CACHE_HOME=" + t.TempDir(), "TMPDIR=" + sessionTmp(t)},
			Settings: map[string]any{"seedls": map[string]any{"cacheDirectory": dir}},
		})
		if _, err := c.Initialize(ctx, root, nil, nil); err != nil {
			t.Fatal(err)
		}
		settle(t, ctx, c)
		waitSearch(t, ctx, c)
		if dir == elsewhere {
			waitFor(t, func() bool {
				got, _ := filepath.Glob(filepath.Join(dir, "s*", "*", "files.pack"))
				return len(got) == 1
			})
		} else if !strings.Contains(c.Stderr(), "inside the workspace: bypassed") {
			t.Errorf("no log line for a cache inside the workspace")
		}
		must(t, c.Shutdown(ctx))
	}
	if treeHash(t, root) != before {
		t.Fatal("the workspace changed")
	}
}
