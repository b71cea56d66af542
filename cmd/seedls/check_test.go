package main

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("no space left on device") }

// check runs `seedls check args...` in this process.
func check(t *testing.T, stdout interface{ Write([]byte) (int, error) }, args ...string) (int, string) {
	t.Helper()
	var errb bytes.Buffer
	code := run(append([]string{"check"}, args...), strings.NewReader(""), stdout, &errb)
	return code, errb.String()
}

func TestCheckUsage(t *testing.T) {
	seeds := filepath.Join("..", "..", "seeds")
	empty := t.TempDir()
	for _, c := range []struct {
		name string
		args []string
		code int
		say  string
	}{
		{"the sample corpus", []string{seeds}, 1, ""},
		{"braces select files", []string{"--include", "**/*.{md,txt}", seeds}, 1, ""},
		{"an include that matches nothing", []string{"--include", "**/*.org", seeds}, 2, "--include **/*.org matches no file"},
		{"a folder without files", []string{empty}, 2, empty + ": no file to read there"},
		{"a path that does not exist", []string{filepath.Join(empty, "nope")}, 2, "no such file"},
		{"a bad glob", []string{"--exclude", "a/{b", seeds}, 2, "bad glob"},
	} {
		var out bytes.Buffer
		code, stderr := check(t, &out, c.args...)
		if code != c.code || !strings.Contains(stderr, c.say) {
			t.Errorf("%s: exit %d, stderr %q; want %d and %q", c.name, code, stderr, c.code, c.say)
		}
	}
	// A report that cannot be written is not a clean run.
	if code, stderr := check(t, failingWriter{}, seeds); code != 2 || !strings.Contains(stderr, "writing the report") {
		t.Errorf("write error: exit %d, %q", code, stderr)
	}
	if f, err := os.OpenFile("/dev/full", os.O_WRONLY, 0); err == nil {
		defer f.Close()
		if code, _ := check(t, f, seeds); code != 2 {
			t.Errorf("check > /dev/full: exit %d", code)
		}
	}
}

// Nested and repeated paths read each file once: no file is its own
// duplicate.
func TestCheckNestedPaths(t *testing.T) {
	root := t.TempDir()
	ents := filepath.Join(root, "notes", "entities")
	os.MkdirAll(ents, 0o755)
	x := filepath.Join(ents, "x.txt")
	os.WriteFile(x, []byte("claim\nactive\nclaim:xX\nSummary\nNeighborhood — ranked by edge-count\nFindings (1)\nfinding\n- A finding\n"), 0o644)
	var out bytes.Buffer
	code, stderr := check(t, &out, filepath.Join(root, "notes"), ents, x, filepath.Join(root, "notes"))
	if code != 0 || strings.Contains(out.String(), "duplicate-id") {
		t.Fatalf("exit %d, stderr %q:\n%s", code, stderr, out.String())
	}
}
