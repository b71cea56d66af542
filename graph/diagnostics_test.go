package graph

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// formatDiagnostics renders diagnostics as the checker prints them, with
// 1-based UTF-16 columns and paths relative to root.
func formatDiagnostics(s *Snapshot, ds []Diagnostic, root string) string {
	var b strings.Builder
	for _, d := range ds {
		r := s.File(d.Path).Lines().Range(d.Span, UTF16)
		fmt.Fprintf(&b, "%s:%d:%d-%d:%d: %s: %s: %s", strings.TrimPrefix(d.Path, root), r.Start.Line+1, r.Start.Col+1,
			r.End.Line+1, r.End.Col+1, d.Severity, d.Code, d.Message)
		if len(d.Suggestions) > 0 {
			fmt.Fprintf(&b, " [suggest %s]", strings.Join(d.Suggestions, " "))
		}
		b.WriteString("\n")
	}
	return b.String()
}

// fixtureFiles parses an archive's files (all but "want") into a workspace
// rooted at /ws/. "<NONL>" at the end of a file drops its final newline.
func fixtureFiles(a archive) []*File {
	var files []*File
	for _, af := range a.Files {
		if af.Name == "want" {
			continue
		}
		text := af.Data
		if strings.HasSuffix(text, "<NONL>\n") {
			text = strings.TrimSuffix(text, "<NONL>\n")
		}
		files = append(files, ParseFile("/ws/"+af.Name, text))
	}
	return files
}

// TestDiagnosticFixtures: each testdata/diagnostics/*.txtar is a small
// workspace and the diagnostics it must produce, hints included.
func TestDiagnosticFixtures(t *testing.T) {
	eachFixture(t, "diagnostics", func(t *testing.T, a archive) string {
		s := Build(fixtureFiles(a))
		return formatDiagnostics(s, s.DiagnoseAll(), "/ws/")
	})
}

// TestSeedsCorpus: the sample corpus in seeds/ gives exactly the
// diagnostics its files were written to show.
func TestSeedsCorpus(t *testing.T) {
	root, err := filepath.Abs(filepath.Join("..", "seeds"))
	if err != nil {
		t.Fatal(err)
	}
	s := Build(seedFiles(t, root))
	got := formatDiagnostics(s, s.DiagnoseAll(), root+string(filepath.Separator))
	checkGolden(t, filepath.Join("testdata", "seeds.golden"), got)
}

// TestDiagnoseWithoutNeighbours: the server's cheaper diagnosis for closed
// files is the full one less unresolved-neighbour, and nothing else.
func TestDiagnoseWithoutNeighbours(t *testing.T) {
	s := Build(seedFiles(t, filepath.Join("..", "seeds")))
	for _, f := range s.Files() {
		var want []Diagnostic
		for _, d := range s.Diagnose(f) {
			if d.Code != CodeUnresolvedNeighbour {
				want = append(want, d)
			}
		}
		got := s.DiagnoseWithoutNeighbours(f)
		if formatDiagnostics(s, got, "") != formatDiagnostics(s, want, "") {
			t.Errorf("%s:\n%s", f.Path, diffLines(formatDiagnostics(s, want, ""), formatDiagnostics(s, got, "")))
		}
	}
}

// seedFiles parses the files of the sample corpus (flat, every file), as
// graph/scan would read them: graph's own tests do not touch its scanner.
func seedFiles(t *testing.T, root string) []*File {
	t.Helper()
	entries, err := os.ReadDir(root)
	if err != nil {
		t.Fatal(err)
	}
	var files []*File
	for _, e := range entries {
		p := filepath.Join(root, e.Name())
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, ParseFile(p, string(data)))
	}
	return files
}
