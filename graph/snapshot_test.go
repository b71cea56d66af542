package graph

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"
)

// randomTexts makes random entity files and documents over a few shared
// titles, so that near duplicates, restated items, citations and
// neighbours meet often: duplicated ids with and without the same
// summary, items naming them by title and summary, and titles ending in
// relation words ("… generalizes", "… causes"), named by items glued to
// one or two relation words, whose reading depends on which titles exist.
func randomTexts(rng *rand.Rand) (entity, doc func() string) {
	words := []string{"soo", "reduces", "deception", "larger", "models", "less", "more", "fine-tuning", "ρ", "𝔼", "rate",
		"generalizes", "causes", "supports"}
	title := func() string {
		n := 1 + rng.IntN(4)
		ws := make([]string, n)
		for i := range ws {
			ws[i] = words[rng.IntN(len(words))]
		}
		return strings.ToUpper(ws[0][:1]) + strings.Join(ws, " ")[1:]
	}
	kinds := []string{"claim", "finding"}
	var titles []string
	for i := 0; i < 40; i++ {
		titles = append(titles, title())
	}
	summary := func(t string) string { return []string{"Summary of ", "Another view of "}[rng.IntN(2)] + t }
	rels := []string{"about", "supports", "supportsabout", "usesabout", "associated_withsupports"}
	entity = func() string {
		k := kinds[rng.IntN(2)]
		t := titles[rng.IntN(len(titles))]
		var b strings.Builder
		fmt.Fprintf(&b, "%s\n%s\n%s:%s%s\n%s\nNeighborhood — ranked by edge-count\n", k,
			[]string{"active", "active", "retracted"}[rng.IntN(3)], k, Slug(t), t, summary(t))
		if rng.IntN(2) == 0 {
			ok := kinds[rng.IntN(2)]
			nt := titles[rng.IntN(len(titles))]
			if rng.IntN(2) == 0 {
				fmt.Fprintf(&b, "Items (1)\n%s\n- %s\n", ok, nt)
			} else {
				fmt.Fprintf(&b, "Items (1)\n%s\n- %s%s%s\n", ok, nt, rels[rng.IntN(len(rels))], summary(nt))
			}
		}
		if rng.IntN(3) == 0 {
			nt := titles[rng.IntN(len(titles))]
			if rng.IntN(2) == 0 {
				fmt.Fprintf(&b, "Restated by (1)\ncosine ≥ 0.90x\n- Summary of %s\n", nt)
			} else {
				fmt.Fprintf(&b, "Restated by (1)\ncosine ≥ 0.90x\n- %s%s0.951%s\n", nt, kinds[rng.IntN(2)], summary(nt))
			}
		}
		return b.String()
	}
	doc = func() string {
		var b strings.Builder
		for i := 0; i < 3; i++ {
			slug := Slug(titles[rng.IntN(len(titles))])
			if rng.IntN(3) == 0 && len(slug) > 2 {
				// A typo: unknown, with did-you-mean suggestions.
				j := rng.IntN(len(slug) - 1)
				slug = slug[:j] + "x" + slug[j+1:]
			}
			fmt.Fprintf(&b, "see %s:%s and ", kinds[rng.IntN(2)], slug)
		}
		return b.String()
	}
	return entity, doc
}

// TestIncrementalMatchesBuild: a snapshot reached by a long run of edits
// (With) diagnoses exactly like one built from scratch from the same files,
// and each edit's dependents hold every file whose diagnostics it changed.
func TestIncrementalMatchesBuild(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	entity, doc := randomTexts(rng)
	files := map[string]*File{}
	var all []*File
	for i := 0; i < 30; i++ {
		f := ParseFile(fmt.Sprintf("/ws/e%02d.txt", i), entity())
		files[f.Path] = f
		all = append(all, f)
	}
	for i := 0; i < 5; i++ {
		f := ParseFile(fmt.Sprintf("/ws/d%d.md", i), doc())
		files[f.Path] = f
		all = append(all, f)
	}
	s := Build(all)
	for step := 0; step < 1500; step++ {
		var changed []*File
		var removed []string
		for n := 1 + rng.IntN(3); n > 0; n-- {
			switch r := rng.IntN(10); {
			case r == 0 && len(files) > 5:
				for p := range files {
					removed = append(removed, p)
					delete(files, p)
					break
				}
			case r < 3:
				f := ParseFile(fmt.Sprintf("/ws/d%d.md", rng.IntN(8)), doc())
				files[f.Path] = f
				changed = append(changed, f)
			default:
				f := ParseFile(fmt.Sprintf("/ws/e%02d.txt", rng.IntN(40)), entity())
				files[f.Path] = f
				changed = append(changed, f)
			}
		}
		// A path both changed and removed in one step keeps its last state.
		changed = dedupe(changed, files)
		removed = removedOnly(removed, files)
		old := s
		s = s.With(changed, removed)
		checkDependents(t, step, old, s, changed, removed)
		// Files is made from the parent's list when the parent made one.
		if rng.IntN(3) == 0 || step%50 == 49 {
			var want []string
			for p := range files {
				want = append(want, p)
			}
			sort.Strings(want)
			var got []string
			for _, f := range s.Files() {
				if files[f.Path] != f {
					t.Fatalf("step %d: Files has a stale %s", step, f.Path)
				}
				got = append(got, f.Path)
			}
			if !slices.Equal(got, want) {
				t.Fatalf("step %d: Files\n%v\nwant\n%v", step, got, want)
			}
		}
		// So is the id list completion reads, now and then.
		if rng.IntN(4) == 0 {
			var want []*Entity
			for _, f := range files {
				if f.Entity != nil && f.Entity.ID != "" {
					want = append(want, f.Entity)
				}
			}
			slices.SortFunc(want, compareIDs)
			if got := s.sortedIDs(); !slices.Equal(got, want) {
				t.Fatalf("step %d: %d ids sorted, want %d", step, len(got), len(want))
			}
		}
		if step%50 != 49 {
			continue
		}
		var now []*File
		for _, f := range files {
			now = append(now, f)
		}
		fresh := Build(now)
		got := formatDiagnostics(s, s.DiagnoseAll(), "")
		want := formatDiagnostics(fresh, fresh.DiagnoseAll(), "")
		if got != want {
			t.Fatalf("step %d: incremental snapshot differs from a fresh build:\n%s", step, diffLines(want, got))
		}
		if s.FileCount() != len(files) {
			t.Fatalf("step %d: %d files, want %d", step, s.FileCount(), len(files))
		}
	}
}

// checkDependents: what an edit re-diagnoses (Affected, as the server
// asks it after each edit) holds every file whose diagnostics the edit
// changed.
func checkDependents(t *testing.T, step int, old, now *Snapshot, changed []*File, removed []string) {
	t.Helper()
	var changes []Change
	for _, f := range changed {
		changes = append(changes, NewChange(old.File(f.Path), f))
	}
	for _, p := range removed {
		if of := old.File(p); of != nil {
			changes = append(changes, NewChange(of, nil))
		}
	}
	affected, all := now.Affected(changes)
	if all {
		return // the server re-diagnoses everything then
	}
	for _, f := range now.Files() {
		if affected[f.Path] {
			continue
		}
		got, want := formatDiagnostics(now, now.Diagnose(f), ""), formatDiagnostics(old, old.Diagnose(f), "")
		if got != want {
			t.Fatalf("step %d: %s was left out, but its diagnostics changed:\nbefore:\n%snow:\n%s", step, f.Path, want, got)
		}
	}
}

func dedupe(changed []*File, now map[string]*File) []*File {
	seen := map[string]bool{}
	var out []*File
	for i := len(changed) - 1; i >= 0; i-- {
		f := changed[i]
		if !seen[f.Path] && now[f.Path] == f {
			seen[f.Path] = true
			out = append(out, f)
		}
	}
	return out
}

func removedOnly(removed []string, now map[string]*File) []string {
	var out []string
	for _, p := range removed {
		if now[p] == nil {
			out = append(out, p)
		}
	}
	return out
}

// FuzzParseEntity: parsing never panics, and every span lies inside the
// text on character boundaries.
func FuzzParseEntity(f *testing.F) {
	for _, name := range []string{"000_e859c4d48ab37d79.txt", "001_4aa8ef8dd5eaa303.txt", "002_near_duplicate_claim.txt"} {
		data, err := os.ReadFile(filepath.Join("..", "seeds", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(data))
	}
	f.Add("claim\nactive\nclaim:x\n")
	f.Add("claim\nactive\nclaim:xX\nS\nX (1)\nx\n- A causessupportsaboutB\n- A x_associated_withusesC")
	f.Add("claim\r\nactive\r\nclaim:aA\r\nS\r\nX (1)\r\nx\r\n- aaboutB\r\nRelated by similarity (1)\r\n- tclaim0.123S")
	f.Fuzz(func(t *testing.T, text string) {
		defer watchdog(text)()
		file := ParseFile("/f", text)
		check := func(what string, sp Span) {
			if sp.Start < 0 || sp.End > int32(len(file.text)) || sp.Start > sp.End {
				t.Fatalf("%s span %v out of range (len %d)", what, sp, len(file.text))
			}
		}
		for _, p := range file.Problems {
			check("problem", p.Span)
		}
		for _, c := range file.Citations {
			check("citation", c.Span)
			if c.Span.Of(file.text) != c.ID {
				t.Fatalf("citation id %q != text %q", c.ID, c.Span.Of(file.text))
			}
		}
		if e := file.Entity; e != nil {
			for _, sp := range []Span{e.KindSpan, e.StatusSpan, e.IDSpan, e.TitleSpan, e.SummarySpan} {
				check("entity", sp)
			}
			for _, g := range e.Groups {
				check("header", g.HeaderSpan)
				for _, it := range e.Items(&g) {
					for _, sp := range []Span{it.Span, it.TitleSpan(), it.KindSpan(), it.ScoreSpan(), it.SummarySpan(), it.RelSpan()} {
						check("item", sp)
					}
					// Other readings: the same item and summary, a shorter
					// title, longest first.
					end := it.TitleSpan().End
					for _, r := range e.readings(&it) {
						check("reading", r.TitleSpan())
						check("reading", r.RelSpan())
						if r.Span != it.Span || r.SummarySpan() != it.SummarySpan() || r.TitleSpan().Len() == 0 || r.TitleSpan().End >= end {
							t.Fatalf("reading %v of item %v: title %v after %v", r.TitleSpan(), it.Span, r.TitleSpan(), end)
						}
						end = r.TitleSpan().End
					}
				}
			}
			// Diagnosing a workspace of this one file must not panic either.
			Build([]*File{file}).Diagnose(file)
		}
	})
}

// watchdog turns a hang into a crash that the fuzzer records with its input.
func watchdog(input string) (stop func()) {
	t := time.AfterFunc(3*time.Second, func() { panic(fmt.Sprintf("slower than 3s on %d bytes: %q", len(input), input[:min(len(input), 300)])) })
	return func() { t.Stop() }
}

// TestNearDuplicatesMatchAllPairs: the keyed search finds exactly the pairs
// a comparison of all pairs finds.
func TestNearDuplicatesMatchAllPairs(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	words := []string{"a", "b", "c", "d", "ρ"}
	var files []*File
	for i := 0; i < 400; i++ {
		n := 1 + rng.IntN(6)
		ws := make([]string, n)
		for j := range ws {
			ws[j] = words[rng.IntN(len(words))]
		}
		title := "T " + strings.Join(ws, " ")
		kind := []string{"claim", "concept"}[rng.IntN(2)]
		text := fmt.Sprintf("%s\nactive\n%s:%s%s\nS", kind, kind, Slug(title), title)
		files = append(files, ParseFile(fmt.Sprintf("/ws/%03d", i), text))
	}
	s := Build(files)
	for _, f := range files {
		e := f.Entity
		var want []string
		for _, g := range files {
			o := g.Entity
			if o != e && o.Kind == e.Kind && o.ID != e.ID && oneWordApart(titleWordHashes(e.Title), titleWordHashes(o.Title)) {
				want = append(want, o.file.Path)
			}
		}
		var got []string
		for _, o := range s.NearDuplicates(e) {
			got = append(got, o.file.Path)
		}
		if strings.Join(got, ",") != strings.Join(want, ",") {
			t.Fatalf("%s %q: got %v, want %v", f.Path, e.Title, got, want)
		}
	}
}

// FuzzScanCitations: every citation found is a "kind:slug" at its span.
func FuzzScanCitations(f *testing.F) {
	f.Add("See claim:a-b-c, [[finding:x1]] and [t](question:why-not).")
	f.Add("𝔼 claim:end- sec:intro https://x.org/a:b")
	f.Fuzz(func(t *testing.T, text string) {
		for _, c := range ScanCitations(text) {
			if c.Span.Start < 0 || c.Span.End > int32(len(text)) || c.Span.Of(text) != c.ID {
				t.Fatalf("bad span %v for %q", c.Span, c.ID)
			}
			k := c.KindLen()
			if k == 0 || !isKindWord(c.ID[:k]) || c.ID[len(c.ID)-1] == '-' {
				t.Fatalf("not a citation: %q", c.ID)
			}
			for i := k + 1; i < len(c.ID); i++ {
				if !isSlugByte(c.ID[i]) {
					t.Fatalf("bad slug byte in %q", c.ID)
				}
			}
		}
	})
}

// A panic in one of Parallel's workers reaches the caller, where a
// recover can contain it, rather than ending the process.
func TestParallelPanic(t *testing.T) {
	defer func() {
		r := recover()
		p, ok := r.(*WorkerPanic)
		if !ok || p.Value != "boom" || !strings.Contains(string(p.Stack), "TestParallelPanic") {
			t.Fatalf("recovered %v", r)
		}
	}()
	Parallel(1000, 4, func(i int) {
		if i == 500 {
			panic("boom")
		}
	})
	t.Fatal("no panic reached the caller")
}
