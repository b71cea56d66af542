package main

// Tests of `seedls graph`: the built binary run as a user runs it, on the
// sample corpus, on a workspace of awkward titles and on a generated one.
// DOT output goes through Graphviz when `dot` is installed; Mermaid output
// through a strict check of the forms seedls writes, and through Mermaid's
// own parser when SEEDLS_MERMAID_MODULES names a folder holding mermaid
// and jsdom (see testdata/mermaid_parse.mjs).

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/seedls/seedls/graph/gen"
	"github.com/seedls/seedls/graph/scan"
)

var seedlsBin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "seedls-cli")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	seedlsBin = filepath.Join(dir, "seedls")
	build := exec.Command("go", "build", "-o", seedlsBin, ".")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "building seedls:", err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

const mainClaim = "claim:soo-fine-tuning-significantly-reduces-deceptive-behavior-in-llms-while-maintaining-general-task-performance"

// seedls runs the binary and returns its stdout, stderr and exit status.
func seedls(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	cmd := exec.Command(seedlsBin, args...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return out.String(), errb.String(), code
}

type graphJSON struct {
	Roots []string
	Depth int
	Nodes []struct {
		Key, Kind, Status, Title, URI, Path string
		ID                                  *string
		Line                                *int
		Root, Resolved                      bool
	}
	Edges []struct {
		From, To, Group string
		Relations       []string
	}
}

// checkJSON decodes the JSON form and checks what holds for every graph:
// keys unique, roots first and marked, edges between nodes, entities
// with an id, a URI, a path and a line, absent neighbours with none.
func checkJSON(t *testing.T, out string) graphJSON {
	t.Helper()
	var g graphJSON
	if err := json.Unmarshal([]byte(out), &g); err != nil {
		t.Fatalf("%v:\n%s", err, out)
	}
	keys := map[string]bool{}
	for i, n := range g.Nodes {
		if keys[n.Key] {
			t.Errorf("node %s twice", n.Key)
		}
		keys[n.Key] = true
		if (i < len(g.Roots)) != n.Root || n.Root && n.Key != g.Roots[i] {
			t.Errorf("node %d %s: root %v (roots %v)", i, n.Key, n.Root, g.Roots)
		}
		if n.Resolved {
			if n.ID == nil || *n.ID != n.Key || !strings.HasPrefix(n.URI, "file://") || n.Path == "" || n.Line == nil || n.Status == "" {
				t.Errorf("entity node: %+v", n)
			}
		} else if n.ID != nil || n.URI != "" || n.Line != nil || !strings.HasPrefix(n.Key, "?") {
			t.Errorf("absent neighbour: %+v", n)
		}
	}
	for _, e := range g.Edges {
		if !keys[e.From] || !keys[e.To] || e.Relations == nil {
			t.Errorf("edge %+v", e)
		}
	}
	return g
}

// checkDOT runs Graphviz on the output when it is installed.
func checkDOT(t *testing.T, out string) {
	t.Helper()
	if _, err := exec.LookPath("dot"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("dot (Graphviz) is missing: .ci/run installs it")
		}
		t.Log("dot (Graphviz) not installed: DOT output not parsed")
		return
	}
	cmd := exec.Command("dot", "-Tsvg")
	cmd.Stdin = strings.NewReader(out)
	var errb bytes.Buffer
	cmd.Stderr = &errb
	svg, err := cmd.Output()
	if err != nil || errb.Len() > 0 {
		t.Fatalf("dot: %v %s\n%s", err, errb.String(), out)
	}
	if !bytes.Contains(svg, []byte("<svg")) {
		t.Fatalf("dot made no SVG")
	}
}

// The forms seedls writes Mermaid in; a label holds no raw quote, and
// entity codes (#quot; #35; ...) for what Mermaid would read as markup.
var mermaidLines = []*regexp.Regexp{
	regexp.MustCompile(`^flowchart LR$`),
	regexp.MustCompile(`^  n\d+\["[^"<>` + "`" + `]*(<br/>)[^"<>` + "`" + `]*"\]$`),
	regexp.MustCompile(`^  n\d+ -->(\|"[^"<>` + "`" + `]*"\|)? n\d+$`),
	regexp.MustCompile(`^  classDef (root|absent) [a-z-]+:[0-9a-z ]+$`),
	regexp.MustCompile(`^  class n\d+(,n\d+)* (root|absent)$`),
}

var rawHash = regexp.MustCompile(`#([^0-9a-z]|[0-9a-z]*[^0-9a-z;])`)

func checkMermaid(t *testing.T, out string) {
	t.Helper()
	for _, ln := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		ok := false
		for _, re := range mermaidLines {
			ok = ok || re.MatchString(ln)
		}
		if !ok || rawHash.MatchString(ln) {
			t.Errorf("mermaid line not of the forms seedls writes: %q", ln)
		}
	}
	modules := os.Getenv("SEEDLS_MERMAID_MODULES")
	if modules == "" {
		return
	}
	cmd := exec.Command("node", filepath.Join("testdata", "mermaid_parse.mjs"))
	cmd.Env = append(os.Environ(), "SEEDLS_MERMAID_MODULES="+modules)
	cmd.Stdin = strings.NewReader(out)
	res, err := cmd.CombinedOutput()
	if err != nil || !bytes.Contains(res, []byte(`"ok":true`)) {
		t.Fatalf("mermaid: %v %s\n%s", err, res, out)
	}
}

func TestGraphSeeds(t *testing.T) {
	seeds := filepath.Join("..", "..", "seeds")
	out, errs, code := seedls(t, "graph", "--root", seeds, mainClaim)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	g := checkJSON(t, out)
	if g.Depth != 1 || len(g.Roots) != 1 || g.Nodes[0].Title != "SOO fine-tuning significantly reduces deceptive behavior in LLMs while maintaining general task performance" ||
		filepath.Base(g.Nodes[0].Path) != "001_4aa8ef8dd5eaa303.txt" || *g.Nodes[0].Line != 2 {
		t.Errorf("graph of the main claim: %s", out)
	}
	// Flags after the ids; depth 0 is the roots and the edges between them.
	out, errs, code = seedls(t, "graph", mainClaim, "finding:soo-fine-tuning-had-negligible-impact-on-mistral-7b-general-capabilities", "--depth", "0", "--root", seeds)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	g = checkJSON(t, out)
	if len(g.Nodes) != 2 || len(g.Edges) != 2 {
		t.Errorf("depth 0 of two roots: %s", out)
	}
	for _, format := range []string{"dot", "mermaid"} {
		out, errs, code := seedls(t, "graph", "--format", format, "--depth", "2", "--root", seeds, mainClaim)
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", format, code, errs)
		}
		if format == "dot" {
			checkDOT(t, out)
		} else {
			checkMermaid(t, out)
		}
	}
	// An unknown id: exit 2, with the did-you-mean.
	misspelt := strings.Replace(mainClaim, "behavior", "behaviour", 1)
	_, errs, code = seedls(t, "graph", "--root", seeds, misspelt)
	if code != 2 || !strings.Contains(errs, "did you mean "+mainClaim) {
		t.Errorf("unknown id: exit %d, %q", code, errs)
	}
	for _, args := range [][]string{{"graph"}, {"graph", "--format", "svg", mainClaim}, {"graph", "--depth", "-1", mainClaim}, {"graph", "--root", "/nonexistent", mainClaim}} {
		if _, errs, code := seedls(t, args...); code != 2 {
			t.Errorf("%v: exit %d, %q", args, code, errs)
		}
	}
	// Output that cannot be written is no graph printed.
	if full, err := os.OpenFile("/dev/full", os.O_WRONLY, 0); err == nil {
		defer full.Close()
		cmd := exec.Command(seedlsBin, "graph", "--root", seeds, mainClaim)
		cmd.Stdout = full
		if err := cmd.Run(); err == nil || cmd.ProcessState.ExitCode() != 2 {
			t.Errorf("graph to /dev/full: %v", err)
		}
	}
}

// TestGraphEscaping: titles with quotes, backslashes, '#', brackets and
// backticks give valid DOT and Mermaid.
func TestGraphEscaping(t *testing.T) {
	root := t.TempDir()
	write := func(name, text string) {
		if err := os.WriteFile(filepath.Join(root, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("a.txt", "claim\nactive\nclaim:the-soo-loss-1-edge-more-endThe \"SOO\" <loss> #1 \\ edge & more; end\nA summary\nNeighborhood — ranked by edge-count\n"+
		"Findings (2)\nfinding\n- B finding `ticks` | pipe [x] {y}supportsB summary\n- Absent \"quoted\" \\n finding #35;refinesNothing\n")
	write("b.txt", "finding\ndraft\nfinding:b-finding-ticks-pipe-x-yB finding `ticks` | pipe [x] {y}\nB summary\nNeighborhood — ranked by edge-count\n"+
		"Claims (1)\nclaim\n- The \"SOO\" <loss> #1 \\ edge & more; endcontradictsA summary\n")
	for _, format := range []string{"json", "dot", "mermaid"} {
		out, errs, code := seedls(t, "graph", "--format", format, "--root", root, "claim:the-soo-loss-1-edge-more-end")
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", format, code, errs)
		}
		switch format {
		case "json":
			if g := checkJSON(t, out); len(g.Nodes) != 3 || len(g.Edges) != 3 || g.Nodes[0].Title != `The "SOO" <loss> #1 \ edge & more; end` {
				t.Errorf("json: %s", out)
			}
		case "dot":
			checkDOT(t, out)
		case "mermaid":
			checkMermaid(t, out)
		}
	}
}

// TestGraphGenerated: on a generated workspace, every format of the
// neighbourhood of some entities is well formed.
func TestGraphGenerated(t *testing.T) {
	root := t.TempDir()
	if err := gen.WriteDir(root, gen.Options{Entities: 400, Seed: 3}); err != nil {
		t.Fatal(err)
	}
	res, err := scan.Scan([]string{root}, scan.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, f := range res.Files {
		if f.Entity != nil && f.Entity.ID != "" && len(ids) < 60 && len(f.Entity.Groups) > 1 {
			ids = append(ids, f.Entity.ID)
		}
	}
	for i := 0; i < len(ids); i += 20 {
		id := ids[i]
		out, errs, code := seedls(t, "graph", "--depth", "2", "--root", root, id, ids[i+1])
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", id, code, errs)
		}
		if g := checkJSON(t, out); len(g.Nodes) < 3 || len(g.Edges) < 2 {
			t.Errorf("%s: %d nodes, %d edges", id, len(g.Nodes), len(g.Edges))
		}
		// Graphviz takes seconds to lay out the hundreds of nodes of depth 2.
		out, _, _ = seedls(t, "graph", "--format", "dot", "--depth", "1", "--root", root, id, ids[i+1])
		checkDOT(t, out)
		out, _, _ = seedls(t, "graph", "--format", "mermaid", "--depth", "2", "--root", root, id, ids[i+1])
		checkMermaid(t, out)
	}
}
