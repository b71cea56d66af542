package graph

import (
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
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
type File struct {
	Path      string // the file's key: an absolute path, or a URI for buffers without one
	Text      string
	Kind      FileKind
	Entity    *Entity    // for entity files
	Citations []Citation // for documents
	Problems  []Problem  // what could not be read, with positions
	// Size and ModTime (Unix nanoseconds) are the stat of the file as read
	// from disk; zero for text that came from an editor.
	Size, ModTime int64
	// Lossy is set when Text is not the bytes read: invalid UTF-8 was
	// replaced, so the text cannot stand in for the file's.
	Lossy bool

	linesOnce sync.Once
	lines     *Lines
}

// Lines returns the file's line table, built on first use: most files of a
// large workspace never need positions.
func (f *File) Lines() *Lines {
	f.linesOnce.Do(func() { f.lines = NewLines(f.Text) })
	return f.lines
}

// ParseFile classifies text by content and parses it.
func ParseFile(path, text string) *File {
	f := &File{Path: path, Text: text}
	if i := strings.IndexByte(text[:min(len(text), 8000)], 0); i >= 0 {
		f.Kind = UnreadableFile
		f.Text = ""
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
		f.Text = text
		f.Lossy = true
	}
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
