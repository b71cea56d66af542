package graph

// Code is a diagnostic's stable code, documented in the README. Editors and
// settings refer to codes, never to messages.
type Code string

const (
	CodeUnknownReference    Code = "unknown-reference"
	CodeDuplicateID         Code = "duplicate-id"
	CodeNearDuplicate       Code = "near-duplicate"
	CodeRestated            Code = "restated"
	CodeUnlinkedClaim       Code = "unlinked-claim"
	CodeUnresolvedNeighbour Code = "unresolved-neighbour"
	CodeMalformed           Code = "malformed"
	CodeIDTitleMismatch     Code = "id-title-mismatch"
	CodeInactiveReference   Code = "inactive-reference"
	CodeUnreadable          Code = "unreadable"
)

// Codes lists every code with its default severity, in the README's order.
var Codes = []struct {
	Code     Code
	Severity Severity
}{
	{CodeUnknownReference, SeverityError},
	{CodeDuplicateID, SeverityError},
	{CodeNearDuplicate, SeverityWarning},
	{CodeRestated, SeverityInformation},
	{CodeUnlinkedClaim, SeverityWarning},
	{CodeUnresolvedNeighbour, SeverityHint},
	{CodeMalformed, SeverityError},
	{CodeIDTitleMismatch, SeverityWarning},
	{CodeInactiveReference, SeverityWarning},
	{CodeUnreadable, SeverityWarning},
}

// Severity follows LSP's numbering so that the adapter needs no table;
// SeverityOff is a setting that silences a code.
type Severity int

const (
	SeverityOff Severity = iota
	SeverityError
	SeverityWarning
	SeverityInformation
	SeverityHint
)

func (s Severity) String() string {
	switch s {
	case SeverityError:
		return "error"
	case SeverityWarning:
		return "warning"
	case SeverityInformation:
		return "information"
	case SeverityHint:
		return "hint"
	}
	return "off"
}

// ParseSeverity reads a severity name as settings write it.
func ParseSeverity(s string) (Severity, bool) {
	switch s {
	case "error":
		return SeverityError, true
	case "warning", "warn":
		return SeverityWarning, true
	case "information", "info":
		return SeverityInformation, true
	case "hint":
		return SeverityHint, true
	case "off", "none", "ignore":
		return SeverityOff, true
	}
	return 0, false
}

// Location is a span in a file, named by its key.
type Location struct {
	Path string
	Span Span
}

// Diagnostic is a problem found in a file, as plain data; the lsp package
// and the checker turn it into their own forms.
type Diagnostic struct {
	Path     string
	Span     Span
	Severity Severity
	Code     Code
	Message  string
	// Related names the other places involved (the other definitions of a
	// duplicate id, the near-duplicate entity, ...).
	Related []Location
	// Suggestions are replacement ids for an unknown reference, nearest
	// first: the quick fix offers them.
	Suggestions []string
	// ID is the id the diagnostic is about, where a quick fix needs it: the
	// unknown id cited, the id that does not follow its title.
	ID string
}

// Severities overrides the default severity of codes; SeverityOff drops
// a code.
type Severities map[Code]Severity

// Apply returns ds with the overrides applied and silenced codes dropped.
func (m Severities) Apply(ds []Diagnostic) []Diagnostic {
	if len(m) == 0 {
		return ds
	}
	out := ds[:0:0]
	for _, d := range ds {
		if sev, ok := m[d.Code]; ok {
			if sev == SeverityOff {
				continue
			}
			d.Severity = sev
		}
		out = append(out, d)
	}
	return out
}
