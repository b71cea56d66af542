package graph

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/seedls/seedls/graph/gen"
)

// TestAffected: after random changes, every file Affected leaves out
// diagnoses exactly as it did before; in the snapshot a warm start builds
// from the files as they are, and in the one an editor's edits reach
// through With, which the server diagnoses from (the same function tells
// both what to diagnose again). This is what lets the server re-diagnose
// only what an edit reaches, and a warm start publish kept diagnostics.
func TestAffected(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	entity, doc := randomTexts(rng)
	diag := func(s *Snapshot, f *File) string {
		var b strings.Builder
		for _, d := range s.Diagnose(f) {
			fmt.Fprintf(&b, "%v %s %s %v\n", d.Span, d.Code, d.Message, d.Related)
		}
		return b.String()
	}
	checked := 0
	for round := 0; round < 200; round++ {
		files := randomWorkspace(entity, doc, 25, 4)
		before := Build(mapValues(files))
		was := map[string]string{}
		for _, f := range before.Files() {
			was[f.Path] = diag(before, f)
		}
		old := map[string]*File{}
		for k, f := range files {
			old[k] = f
		}
		for n := 1 + rng.IntN(3); n > 0; n-- {
			switch r := rng.IntN(10); {
			case r < 2:
				for k := range files {
					delete(files, k)
					break
				}
			case r < 4:
				f := ParseFile(fmt.Sprintf("/ws/d%d.md", rng.IntN(6)), doc())
				files[f.Path] = f
			case r < 6:
				f := ParseFile(fmt.Sprintf("/ws/e%02d.txt", rng.IntN(30)), entity())
				files[f.Path] = f
			default:
				// One line of an entity changes, as in an edit: its status,
				// title, summary, a neighbour, or its whole id line.
				for k, f := range files {
					if f.Entity != nil {
						f := ParseFile(k, editLine(rng, f.text, entity()))
						files[f.Path] = f
						break
					}
				}
			}
		}
		var changes []Change
		var changed []*File
		var removed []string
		for k, f := range old {
			if files[k] == nil {
				changes = append(changes, NewChange(f, nil))
				removed = append(removed, k)
			}
		}
		for k, f := range files {
			if old[k] != f {
				changes = append(changes, NewChange(old[k], f))
				changed = append(changed, f)
			}
		}
		for _, after := range []*Snapshot{Build(mapValues(files)), before.With(changed, removed)} {
			affected, all := after.Affected(changes)
			if all {
				t.Fatalf("round %d: built-in kinds only, yet every file affected", round)
			}
			for _, f := range after.Files() {
				if affected[f.Path] {
					continue
				}
				checked++
				kept, ok := was[f.Path]
				if !ok {
					t.Fatalf("round %d: %s is new but not affected", round, f.Path)
				}
				if got := diag(after, f); got != kept {
					t.Fatalf("round %d: %s left out, but its diagnostics changed:\nbefore:\n%snow:\n%s", round, f.Path, kept, got)
				}
			}
		}
	}
	if checked < 2000 {
		t.Fatalf("only %d files left out over all rounds: the test no longer exercises the shortcut", checked)
	}
	t.Logf("%d files left out, their diagnostics unchanged", checked)
}

// A kind that appears or goes changes what counts as a citation in every
// document: Affected says every file is.
func TestAffectedNewKind(t *testing.T) {
	d := ParseFile("/ws/d.md", "see memo:one-note\n")
	memo := ParseFile("/ws/m.txt", "memo\nactive\nmemo:one-noteOne note\nA memo\n")
	before := Build([]*File{d})
	if _, all := before.Affected(nil); all {
		t.Fatal("nothing changed, yet every file affected")
	}
	after := before.With([]*File{memo}, nil)
	if _, all := after.Affected([]Change{NewChange(nil, memo)}); !all {
		t.Fatal("a new kind went unnoticed")
	}
	if _, all := after.With(nil, []string{memo.Path}).Affected([]Change{NewChange(memo, nil)}); !all {
		t.Fatal("a kind that went unnoticed")
	}
	claim := ParseFile("/ws/c.txt", "claim\nactive\nclaim:oneOne\nA claim\n")
	if _, all := after.With([]*File{claim}, nil).Affected([]Change{NewChange(nil, claim)}); all {
		t.Fatal("an entity of a built-in kind made every file affected")
	}
}

// editLine changes one line of an entity text, taking it from another.
func editLine(rng *rand.Rand, text, other string) string {
	lines, from := strings.Split(text, "\n"), strings.Split(other, "\n")
	var items, fromItems []int
	for i, l := range lines {
		if strings.HasPrefix(l, "- ") {
			items = append(items, i)
		}
	}
	for i, l := range from {
		if strings.HasPrefix(l, "- ") {
			fromItems = append(fromItems, i)
		}
	}
	switch r := rng.IntN(6); {
	case r == 0:
		lines[1] = from[1] // status
	case r == 1:
		lines[2] += " more" // the title, not the id
	case r == 2:
		lines[2] = from[2] // id and title
	case r == 3 && rng.IntN(2) == 0:
		lines[3] = from[3] // summary
	case r == 3:
		lines[3] = strings.TrimPrefix(from[3], "Summary of ") // a summary that is another's title
	default:
		if len(items) > 0 && len(fromItems) > 0 {
			lines[items[rng.IntN(len(items))]] = from[fromItems[rng.IntN(len(fromItems))]]
		} else if len(items) > 0 {
			lines[items[0]] = "- " + strings.TrimPrefix(from[3], "Summary of ")
		} else {
			lines[3] = from[3]
		}
	}
	return strings.Join(lines, "\n")
}

// randomWorkspace parses n entity files /ws/eNN.txt and d documents
// /ws/dN.md made by randomTexts' makers.
func randomWorkspace(entity, doc func() string, n, d int) map[string]*File {
	files := map[string]*File{}
	for i := 0; i < n; i++ {
		f := ParseFile(fmt.Sprintf("/ws/e%02d.txt", i), entity())
		files[f.Path] = f
	}
	for i := 0; i < d; i++ {
		f := ParseFile(fmt.Sprintf("/ws/d%d.md", i), doc())
		files[f.Path] = f
	}
	return files
}

func mapValues(m map[string]*File) []*File {
	var out []*File
	for _, f := range m {
		out = append(out, f)
	}
	return out
}

// recordTexts are texts of every sort the parser meets: a generated
// workspace, the sample corpus, the parser's fixtures (malformed files
// among them) and random entities and documents.
func recordTexts(t *testing.T) map[string]string {
	t.Helper()
	texts := map[string]string{}
	if err := gen.Generate(gen.Options{Entities: 300, Seed: 7}, func(f gen.File) error {
		texts["/gen/"+f.Name] = string(f.Data)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	for _, glob := range []string{"../seeds/*", "testdata/parse/*.txtar"} {
		paths, _ := filepath.Glob(glob)
		for _, p := range paths {
			data, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			if strings.HasSuffix(p, ".txtar") {
				for _, f := range parseArchive(string(data)).Files {
					texts["/fixture/"+filepath.Base(p)+"/"+f.Name] = f.Data
				}
				continue
			}
			texts["/seeds/"+filepath.Base(p)] = string(data)
		}
	}
	entity, doc := randomTexts(rand.New(rand.NewPCG(5, 6)))
	for i := 0; i < 100; i++ {
		texts[fmt.Sprintf("/rand/e%d.txt", i)] = entity()
		texts[fmt.Sprintf("/rand/d%d.md", i)] = doc()
	}
	return texts
}
