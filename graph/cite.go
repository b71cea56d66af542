package graph

// Form is how a citation is written.
type Form uint8

const (
	Bare Form = iota // claim:slug
	Wiki             // [[claim:slug]]
	Link             // [text](claim:slug)
)

// Citation is one "KIND:SLUG" in a writer document. Span covers exactly the
// id, which is what rename replaces and what definition starts from.
type Citation struct {
	Span Span
	ID   string // substring of the document's text
	Form Form
}

// Kind returns the part of the id before the colon.
func (c Citation) Kind() string { return c.ID[:c.KindLen()] }

// KindLen is the byte length of the citation's kind.
func (c Citation) KindLen() int {
	for i := 0; i < len(c.ID); i++ {
		if c.ID[i] == ':' {
			return i
		}
	}
	return 0
}

// ScanCitations finds every "word:slug" in text that could be a citation.
// Whether the word is a kind is decided later, against the workspace's
// kinds, so that the scan of one document never depends on others. A
// citation starts at a word boundary; its slug is [a-z0-9]+(-[a-z0-9]+)*
// (a trailing '-' belongs to the prose, not to the slug).
func ScanCitations(text string) []Citation {
	var out []Citation
	for i := 1; i+1 < len(text); i++ {
		if text[i] != ':' || !isSlugStart(text[i+1]) {
			continue
		}
		k := i
		for k > 0 && isKindByte(text[k-1]) {
			k--
		}
		if k == i || !isLowerASCII(text[k]) || (k > 0 && isWordByte(text[k-1])) {
			continue
		}
		e := i + 1
		for e < len(text) && isSlugByte(text[e]) {
			e++
		}
		for text[e-1] == '-' {
			e--
		}
		// A slug glued to more letters (an upper-case letter, say) is not an
		// id: "note:SeeAlso" or "claim:abcXyz".
		if e < len(text) && (isASCIILetter(text[e]) || text[e] == '_') {
			i = e
			continue
		}
		c := Citation{Span: Span{int32(k), int32(e)}, ID: text[k:e]}
		switch {
		case k >= 2 && text[k-2:k] == "[[" && e+2 <= len(text) && text[e:e+2] == "]]":
			c.Form = Wiki
		case k >= 2 && text[k-2:k] == "](" && e < len(text) && text[e] == ')':
			c.Form = Link
		}
		out = append(out, c)
		i = e - 1
	}
	return out
}

func isSlugStart(c byte) bool { return isLowerASCII(c) || isDigit(c) }
func isKindByte(c byte) bool  { return isLowerASCII(c) || isDigit(c) || c == '_' }

// isWordByte: a kind glued to a preceding letter, digit or '_' ("subclaim:x",
// "my_claim:x") is not a citation.
func isWordByte(c byte) bool { return isASCIILetter(c) || isDigit(c) || c == '_' }
