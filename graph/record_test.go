package graph

import (
	"bufio"
	"bytes"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
)

// writeRecords writes the records of files; it returns the heads, where
// each lies in them (n -1: refused) and the arrays, aligned as a reader's
// buffer of their own is.
func writeRecords(files []*File) (heads []byte, at [][2]int, arrays []byte) {
	var buf bytes.Buffer
	rw := RecordWriter{Arrays: bufio.NewWriter(&buf)}
	for _, f := range files {
		off := len(rw.Heads)
		n, ok := rw.Add(f)
		if !ok {
			n = -1
		}
		at = append(at, [2]int{off, n})
	}
	rw.Arrays.Flush()
	return rw.Heads, at, append(make([]byte, 0, buf.Len()+8), buf.Bytes()...)
}

// The files records make are the files parsing their texts makes, field
// for field; a file with problems to report gets no record, and a record
// refused after its arrays were written does not misplace the ones after.
func TestRecords(t *testing.T) {
	texts := recordTexts(t)
	var files []*File
	plain, refused := 0, 0
	for path, text := range texts {
		f := ParseFile(path, text)
		if len(f.Problems) == 0 && !f.Lossy && f.Kind != UnreadableFile {
			plain++
			// Now and then a parse whose last string is not part of the
			// text, as no parse makes: refused after its arrays are
			// written.
			if p := f.Entity; p != nil && p.Provenance != nil && refused < 20 && len(path)%3 == 0 {
				e, pv := *p, *p.Provenance
				pv.Relation = strings.Clone(pv.Relation)
				e.Provenance = &pv
				f = &File{Path: f.Path, Text: f.Text, Kind: f.Kind, Entity: &e}
				e.file = f
				refused++
				plain--
			}
		}
		files = append(files, f)
	}
	if refused == 0 || plain < 300 {
		t.Fatalf("%d plain files, %d to refuse: the test compares too little", plain, refused)
	}
	heads, at, arrays := writeRecords(files)
	decoded := 0
	for i, f := range files {
		if at[i][1] < 0 {
			continue
		}
		decoded++
		got := DecodeRecord(f.Path, f.Text, heads[at[i][0]:at[i][0]+at[i][1]], arrays)
		want := ParseFile(f.Path, f.Text)
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%s: decoded\n%+v\nparsed\n%+v", f.Path, got, want)
		}
	}
	if decoded != plain {
		t.Fatalf("%d records of %d plain files", decoded, plain)
	}
}

// A record that does not fit its text or arrays (a keeper's checksum makes
// that unlikely, not impossible) is refused or, if it decodes, makes a
// file every query can read without a panic.
func TestRecordGarbage(t *testing.T) {
	texts := recordTexts(t)
	var files []*File
	for path, text := range texts {
		files = append(files, ParseFile(path, text))
	}
	heads, at, arrays := writeRecords(files)
	rng := rand.New(rand.NewPCG(1, 2))
	refused := 0
	for round := 0; round < 3000; round++ {
		i := rng.IntN(len(files))
		if at[i][1] < 0 {
			continue
		}
		head := append([]byte(nil), heads[at[i][0]:at[i][0]+at[i][1]]...)
		arr := append(make([]byte, 0, len(arrays)), arrays...)
		for k := 1 + rng.IntN(3); k > 0; k-- {
			if rng.IntN(2) == 0 {
				head[rng.IntN(len(head))] ^= byte(1 << rng.IntN(8))
			} else if len(arr) > 0 {
				arr[rng.IntN(len(arr))] ^= byte(1 << rng.IntN(8))
			}
		}
		if rng.IntN(10) == 0 {
			head = head[:rng.IntN(len(head))]
		}
		f := DecodeRecord(files[i].Path, files[i].Text, head, arr)
		if f == nil {
			refused++
			continue
		}
		s := Build([]*File{f})
		s.Diagnose(f)
		if f.Entity != nil {
			s.Hover(f.Entity)
		}
	}
	if refused == 0 {
		t.Fatal("no damaged record was refused")
	}
}
