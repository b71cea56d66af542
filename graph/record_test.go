package graph

import (
	"bufio"
	"bytes"
	"math/rand/v2"
	"reflect"
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
// for field, once those let their texts go: entities, documents, files
// with problems and with invalid bytes alike; an unreadable file gets
// none.
func TestRecords(t *testing.T) {
	texts := recordTexts(t)
	var files []*File
	problems := 0
	for path, text := range texts {
		f := ParseFile(path, text)
		if len(f.Problems) > 0 {
			problems++
		}
		files = append(files, f)
	}
	files = append(files, ParseFile("/w/binary", "claim\x00"))
	texts["/w/binary"] = "claim\x00"
	if problems == 0 || len(files) < 300 {
		t.Fatalf("%d files, %d with problems: the test compares too little", len(files), problems)
	}
	heads, at, arrays := writeRecords(files)
	for i, f := range files {
		if f.Kind == UnreadableFile {
			if at[i][1] >= 0 {
				t.Fatalf("%s: an unreadable file got a record", f.Path)
			}
			continue
		}
		if at[i][1] < 0 {
			t.Fatalf("%s: no record", f.Path)
		}
		got := DecodeRecord(f.Path, heads[at[i][0]:at[i][0]+at[i][1]], arrays)
		want := ParseFile(f.Path, texts[f.Path])
		want.DropText()
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%s: decoded\n%+v\n%+v\nparsed\n%+v\n%+v", f.Path, got, got.Entity, want, want.Entity)
		}
	}
	// A file that let its text go writes a record of the same file.
	var dropped []*File
	for _, f := range files {
		g := ParseFile(f.Path, texts[f.Path])
		g.DropText()
		dropped = append(dropped, g)
	}
	heads, at, arrays = writeRecords(dropped)
	for i, f := range dropped {
		if at[i][1] < 0 {
			continue
		}
		if got := DecodeRecord(f.Path, heads[at[i][0]:at[i][0]+at[i][1]], arrays); !reflect.DeepEqual(got, f) {
			t.Fatalf("%s: another file once its text is dropped", f.Path)
		}
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
		f := DecodeRecord(files[i].Path, head, arr)
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
