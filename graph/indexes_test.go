package graph

import (
	"bufio"
	"bytes"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// A snapshot's indexes, edited many times, written and read back make it
// again without building: the same indexes, entry for entry, over the same
// files made again; and a scan's changes applied to it diagnose as a fresh
// build of the files as they are.
func TestSnapshotOf(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	entity, doc := randomTexts(rng)
	files := randomWorkspace(entity, doc, 40, 5)
	s := Build(mapValues(files))
	for step := 0; step < 300; step++ {
		var f *File
		if rng.IntN(4) == 0 {
			f = ParseFile(fmt.Sprintf("/ws/d%d.md", rng.IntN(7)), doc())
		} else {
			f = ParseFile(fmt.Sprintf("/ws/e%02d.txt", rng.IntN(50)), entity())
		}
		files[f.Path] = f
		s = s.With([]*File{f}, nil)
	}
	written := s.Files()
	pos := map[*Entity]uint32{}
	for _, f := range written {
		if f.Entity != nil {
			pos[f.Entity] = uint32(len(pos))
		}
	}
	var buf bytes.Buffer
	rw := RecordWriter{Arrays: bufio.NewWriter(&buf)}
	dir, ok := s.WriteIndexes(&rw, pos)
	if !ok {
		t.Fatal("indexes not written")
	}
	rw.Arrays.Flush()
	arrays := append(make([]byte, 0, buf.Len()+8), buf.Bytes()...)
	// The files made again, as a warm start makes them: new values.
	var again []*File
	for _, f := range written {
		again = append(again, ParseFile(f.Path, f.text))
	}
	base := SnapshotOf(again, ReadIndexes(arrays, dir, uint64(len(pos))))
	if base == nil {
		t.Fatal("no snapshot made from the indexes")
	}
	for x, m := range base.entIndexes() {
		// Key for key, the entities of the snapshot written, in its order.
		w := s.entIndexes()[x]
		keys := append(slices.Clone(w.keys), m.keys...)
		w.over.each(func(k uint64, _ []*Entity) { keys = append(keys, k) })
		for _, k := range keys {
			var got, want []string
			for e := range m.each(k) {
				got = append(got, e.file.Path)
			}
			for e := range w.each(k) {
				want = append(want, e.file.Path)
			}
			if !slices.Equal(got, want) {
				t.Fatalf("index %d, key %x: %v, written %v", x, k, got, want)
			}
		}
	}
	// Lossy files are made again from their repaired text, without the
	// invalid bytes' error.
	noUTF8 := func(s string) string {
		var keep []string
		for _, l := range strings.SplitAfter(s, "\n") {
			if !strings.Contains(l, "invalid UTF-8") {
				keep = append(keep, l)
			}
		}
		return strings.Join(keep, "")
	}
	if got, want := formatDiagnostics(base, base.DiagnoseAll(), ""), noUTF8(formatDiagnostics(s, s.DiagnoseAll(), "")); got != want {
		t.Fatalf("the snapshot made again diagnoses differently:\n%s", diffLines(want, got))
	}
	// A scan after changes: most files the snapshot's own, some read
	// again, one gone, one new.
	var scanned []*File
	for _, f := range base.Files() {
		switch r := rng.IntN(10); {
		case f.Path == "/ws/e03.txt":
		case r == 0 && f.Entity != nil:
			scanned = append(scanned, ParseFile(f.Path, editLine(rng, f.text, entity())))
		case r == 1:
			scanned = append(scanned, ParseFile(f.Path, f.text)) // read again, the same
		default:
			scanned = append(scanned, f)
		}
	}
	scanned = append(scanned, ParseFile("/ws/new.txt", entity()))
	changed, removed := base.Changes(scanned)
	if len(removed) != 1 || removed[0] != "/ws/e03.txt" || len(changed) < 2 {
		t.Fatalf("changes: %d changed, removed %v", len(changed), removed)
	}
	now, fresh := base.With(changed, removed), Build(scanned)
	if got, want := formatDiagnostics(now, now.DiagnoseAll(), ""), formatDiagnostics(fresh, fresh.DiagnoseAll(), ""); got != want {
		t.Fatalf("changes applied to the snapshot made again diagnose differently:\n%s", diffLines(want, got))
	}
	// Files with an entity fewer, or numbers that miss an entity: none is
	// made.
	k := slices.IndexFunc(again, func(f *File) bool { return f.Entity != nil })
	if SnapshotOf(slices.Delete(slices.Clone(again), k, k+1), ReadIndexes(arrays, dir, uint64(len(pos)))) != nil {
		t.Fatal("indexes numbering one entity more made a snapshot")
	}
	delete(pos, written[k].Entity)
	if _, ok := s.WriteIndexes(&RecordWriter{}, pos); ok {
		t.Fatal("indexes written with an entity unnumbered")
	}
}
