package graph

import "sort"

// TokenType is what a highlighted span of a file is; the lsp package maps
// each to a standard semantic token type.
type TokenType uint8

const (
	TokenKind     TokenType = iota // a kind: line 1, a typed group's kind line, the kind before a score
	TokenStatus                    // the status line
	TokenID                        // an entity's id, or a citation of one
	TokenHeader                    // a group's label or a section header
	TokenRelation                  // a relation word (items, provenance)
	TokenNumber                    // a group's count, a similarity score, a year
	TokenNote                      // a similarity group's "cosine ≥ ..." line
	tokenTypes
)

// TokenMods are modifiers of a token, as bits.
type TokenMods uint8

const (
	ModDeclaration TokenMods = 1 << iota // the entity's own id
	ModDeprecated                        // the status, id or a citation of an entity that is not active
)

// Token is one highlighted span; it never crosses a line.
type Token struct {
	Span Span
	Type TokenType
	Mods TokenMods
}

// Tokens returns the highlighted spans of f in order: for an entity file
// its kind and status lines, id, section and group headers with their
// counts and kind lines, provenance relation and year, relation words,
// similarity kinds and scores and notes; for a document its citations of
// known entities (deprecated when none of the entity's definitions is
// active; unknown citations have diagnostics instead).
func (s *Snapshot) Tokens(f *File) []Token {
	var out []Token
	add := func(sp Span, t TokenType, m TokenMods) {
		if sp.Len() > 0 {
			out = append(out, Token{sp, t, m})
		}
	}
	for _, c := range f.Citations {
		_, defs := s.Cites(c)
		if len(defs) == 0 {
			continue
		}
		var m TokenMods = ModDeprecated
		for _, d := range defs {
			if d.Status == "active" {
				m = 0
			}
		}
		add(c.Span, TokenID, m)
	}
	e := f.Entity
	if e == nil {
		return out
	}
	var inactive TokenMods
	if e.Status != "active" {
		inactive = ModDeprecated
	}
	add(e.KindSpan, TokenKind, 0)
	add(e.StatusSpan, TokenStatus, inactive)
	add(e.IDSpan, TokenID, ModDeclaration|inactive)
	// Section headers and relation words are known by their text; the
	// rest by the spans the parse kept. (Without the text, a file that
	// changed on disk since it was read, they are left out.)
	text, haveText := s.navText(f)
	lines := f.Lines()
	for i := 3; haveText && i < lines.Count(); i++ {
		if l := lines.LineSpan(i).Of(text); l == provenanceHeader || l == neighbourhoodTitle {
			add(lines.LineSpan(i), TokenHeader, 0)
		}
	}
	if p := e.Provenance; p != nil {
		add(p.RelationSpan, TokenRelation, 0)
		add(p.YearSpan, TokenNumber, 0)
	}
	for gi := range e.Groups {
		g := &e.Groups[gi]
		add(g.LabelSpan, TokenHeader, 0)
		// "Label (N)": the digits sit between " (" and ")".
		add(Span{g.LabelSpan.End + 2, g.HeaderSpan.End - 1}, TokenNumber, 0)
		add(g.KindSpan, TokenKind, 0)
		add(g.NoteSpan, TokenNote, 0)
		items := e.Items(g)
		for ii := range items {
			it := s.Reading(f, g, &items[ii]) // the relations as resolution reads them
			if rs := it.RelSpan(); rs.Len() > 0 && haveText {
				at := rs.Start
				for _, w := range it.Relations(text) {
					add(Span{at, at + int32(len(w))}, TokenRelation, 0)
					at += int32(len(w))
				}
			}
			add(it.KindSpan(), TokenKind, 0)
			add(it.ScoreSpan(), TokenNumber, 0)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Span.Start < out[j].Span.Start })
	return out
}
