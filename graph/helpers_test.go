package graph

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// -update rewrites golden files and the expectations in fixtures.
var update = flag.Bool("update", false, "rewrite golden files")

// archive is a txtar-like fixture: "-- name --" lines start each file.
type archive struct {
	Comment string
	Files   []archiveFile
}

type archiveFile struct {
	Name string
	Data string
}

func parseArchive(s string) archive {
	var a archive
	lines := strings.SplitAfter(s, "\n")
	cur := -1
	var b strings.Builder
	flush := func() {
		if cur < 0 {
			a.Comment = b.String()
		} else {
			a.Files[cur].Data = b.String()
		}
		b.Reset()
	}
	for _, ln := range lines {
		t := strings.TrimRight(ln, "\n")
		if strings.HasPrefix(t, "-- ") && strings.HasSuffix(t, " --") && len(t) > 6 {
			flush()
			a.Files = append(a.Files, archiveFile{Name: strings.TrimSpace(t[3 : len(t)-3])})
			cur = len(a.Files) - 1
			continue
		}
		b.WriteString(ln)
	}
	flush()
	return a
}

func formatArchive(a archive) string {
	var b strings.Builder
	b.WriteString(a.Comment)
	for _, f := range a.Files {
		fmt.Fprintf(&b, "-- %s --\n%s", f.Name, f.Data)
		if f.Data != "" && !strings.HasSuffix(f.Data, "\n") {
			b.WriteString("\n")
		}
	}
	return b.String()
}

// checkGolden compares got with the golden file, or rewrites it.
func checkGolden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./graph -update to create it)", err)
	}
	if string(want) != got {
		t.Errorf("%s differs (go test ./graph -update rewrites it):\n%s", path, diffLines(string(want), got))
	}
}

// diffLines shows the first lines that differ.
func diffLines(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	shown := 0
	for i := 0; i < len(w) || i < len(g); i++ {
		var a, c string
		if i < len(w) {
			a = w[i]
		}
		if i < len(g) {
			c = g[i]
		}
		if a != c {
			fmt.Fprintf(&b, "line %d:\n  want %q\n  got  %q\n", i+1, a, c)
			if shown++; shown == 8 {
				break
			}
		}
	}
	return b.String()
}

// eachFixture runs check on every archive in dir and compares what it
// returns with the archive's "want" section, or rewrites that section
// under -update.
func eachFixture(t *testing.T, dir string, check func(t *testing.T, a archive) string) {
	t.Helper()
	paths, _ := filepath.Glob(filepath.Join("testdata", dir, "*.txtar"))
	if len(paths) == 0 {
		t.Fatal("no fixtures")
	}
	for _, p := range paths {
		t.Run(filepath.Base(p), func(t *testing.T) {
			data, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			a := parseArchive(string(data))
			want := -1
			for i, f := range a.Files {
				if f.Name == "want" {
					want = i
				}
			}
			if want < 0 {
				t.Fatal("no \"want\" section")
			}
			got := check(t, a)
			if *update {
				a.Files[want].Data = got
				if err := os.WriteFile(p, []byte(formatArchive(a)), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			if got != a.Files[want].Data {
				t.Errorf("%s differs (go test ./graph -update rewrites it):\n%s", p, diffLines(a.Files[want].Data, got))
			}
		})
	}
}
