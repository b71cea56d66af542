package graph

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/cespare/xxhash/v2"
)

// FileKind says how a file was read.
type FileKind uint8

const (
	DocumentFile   FileKind = iota // a writer's document: citations only
	EntityFile                     // an entity file
	UnreadableFile                 // could not be read; Problems says why
)

// File is one parsed file: immutable once made, shared by every snapshot
// that holds it.
//
// A file holds its text only while someone needs all of it: an editor's
// buffer does; a file read from disk lets it go once parsed (DropText),
// keeping what the workspace's queries read (its ids, title, summary and
// provenance, the keys its neighbours resolve by, its line table). At
// 100,000 files the texts are half the workspace's memory. A query that
// wants the rest (a hover listing neighbours) asks the snapshot for the
// text (Snapshot.Text), which the server reads from disk again and checks
// against Hash.
type File struct {
	Path      string // the file's key: an absolute path, or a URI for buffers without one
	Kind      FileKind
	Entity    *Entity    // for entity files
	Citations []Citation // for documents
	Problems  []Problem  // what could not be read, with positions
	// Size and ModTime (Unix nanoseconds) are the stat of the file as read
	// from disk; zero for text that came from an editor.
	Size, ModTime int64
	// Hash and Len are the text's (after a BOM is dropped and invalid
	// bytes replaced): the same Hash and Len, the same text.
	Hash uint64
	Len  int
	// Lossy is set when the text is not the bytes read: invalid UTF-8 was
	// replaced, so the text cannot stand in for the file's.
	Lossy bool

	lines *Lines
	text  string // while held
}

// Lines returns the file's line table.
func (f *File) Lines() *Lines {
	if f.lines == nil {
		return &Lines{}
	}
	return f.lines
}

// Text returns the file's text if the file holds it: an editor's buffer
// does, a file read from disk does not once parsed (see Snapshot.Text).
func (f *File) Text() (string, bool) { return f.text, f.text != "" || f.Len == 0 }

// HashText is the hash File.Hash holds.
func HashText(text string) uint64 { return xxhash.Sum64String(text) }

// DropText lets the file's text go: every string the file keeps is
// copied out of it first. The file must not be shared yet.
func (f *File) DropText() {
	if f.text == "" {
		return
	}
	if e := f.Entity; e != nil {
		e.keepHead(f.text)
	}
	if len(f.Citations) > 0 {
		// One string for every id, rather than one each.
		n := 0
		for _, c := range f.Citations {
			n += len(c.ID)
		}
		var b strings.Builder
		b.Grow(n)
		for _, c := range f.Citations {
			b.WriteString(c.ID)
		}
		ids := b.String()
		for i := range f.Citations {
			c := &f.Citations[i]
			c.ID, ids = ids[:len(c.ID)], ids[len(c.ID):]
		}
	}
	f.text = ""
}

// ParseFile classifies text by content and parses it. The file holds the
// text until DropText.
func ParseFile(path, text string) *File {
	f := &File{Path: path, text: text}
	if i := strings.IndexByte(text[:min(len(text), 8000)], 0); i >= 0 {
		f.Kind = UnreadableFile
		f.text = ""
		f.Problems = []Problem{{Code: CodeUnreadable, Severity: SeverityWarning,
			Message: "binary file (a NUL byte at offset " + strconv.Itoa(i) + "): skipped"}}
		return f
	}
	if !utf8.ValidString(text) {
		off := invalidUTF8At(text)
		f.Problems = append(f.Problems, Problem{Span: Span{int32(off), int32(off + 1)}, Code: CodeMalformed, Severity: SeverityError,
			Message: "invalid UTF-8 at byte " + strconv.Itoa(off) + ": the file should be UTF-8 text"})
		// Read on with each invalid byte as '?': the same length, so every
		// offset still points where the editor's text has it.
		text = sanitizeUTF8(text)
		f.text = text
		f.Lossy = true
	}
	f.Hash, f.Len = HashText(text), len(text)
	f.lines = NewLines(text)
	if LooksLikeEntity(text) {
		f.Kind = EntityFile
		var probs []Problem
		f.Entity, probs = ParseEntity(text)
		f.Entity.file = f
		f.Problems = append(f.Problems, probs...)
		return f
	}
	f.Citations = ScanCitations(text)
	return f
}

// NewUnreadable records a file that could not be read at all.
func NewUnreadable(path, why string) *File {
	return &File{Path: path, Kind: UnreadableFile,
		Problems: []Problem{{Code: CodeUnreadable, Severity: SeverityWarning, Message: why}}}
}

func invalidUTF8At(s string) int {
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			return i
		}
		i += size
	}
	return len(s)
}

// Sanitize returns text as ParseFile reads it: with every byte of an
// invalid UTF-8 sequence replaced by '?'. The hash of a text read again is
// that of Sanitize(text).
func Sanitize(text string) string {
	if utf8.ValidString(text) {
		return text
	}
	return sanitizeUTF8(text)
}

// sanitizeUTF8 replaces every byte of an invalid sequence by '?'.
func sanitizeUTF8(s string) string {
	b := []byte(s)
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size == 1 {
			b[i] = '?'
		}
		i += size
	}
	return string(b)
}

// BaseName is the last element of a file key, whichever separator the
// system uses: keys are Windows paths there, and path.Base would return
// the whole path.
func BaseName(key string) string {
	if i := strings.LastIndexAny(key, `/\`); i >= 0 && i+1 < len(key) {
		return key[i+1:]
	}
	return key
}
