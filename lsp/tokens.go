package lsp

import (
	"context"
	"encoding/json"

	"go.lsp.dev/protocol"
)

// Semantic tokens of entity files and of the citations in documents, in
// the standard token types: a kind is a type, the status an enumMember,
// an id or citation a variable (declaration for the entity's own id), a
// section or group header a namespace, a relation word a keyword, counts,
// years and scores numbers, a similarity group's note a comment; the
// status, the id and citations of entities that are not active carry the
// standard deprecated modifier.

// tokenLegend is indexed by graph.TokenType and by the bits of
// graph.TokenMods.
var tokenLegend = SemanticTokensLegend{
	TokenTypes:     []string{"type", "enumMember", "variable", "namespace", "keyword", "number", "comment"},
	TokenModifiers: []string{"declaration", "deprecated"},
}

func (s *Server) semanticTokensFull(_ context.Context, params json.RawMessage) (any, error) {
	var p SemanticTokensParams
	if err := decode(params, &p); err != nil {
		return nil, err
	}
	return s.semanticTokens(p.TextDocument.URI, nil)
}

func (s *Server) semanticTokensRange(_ context.Context, params json.RawMessage) (any, error) {
	var p SemanticTokensRangeParams
	if err := decode(params, &p); err != nil {
		return nil, err
	}
	return s.semanticTokens(p.TextDocument.URI, &p.Range)
}

// semanticTokens encodes the tokens of a document, or of those that
// overlap r.
func (s *Server) semanticTokens(uri protocol.DocumentURI, r *protocol.Range) (any, error) {
	snap := s.ws.current()
	f := snap.File(s.keyOf(string(uri)))
	out := SemanticTokens{Data: []uint32{}}
	if f == nil {
		return out, nil
	}
	enc := s.encoding()
	from, to := 0, int(wholeFile(f).End)
	if r != nil {
		from, to = offsetOf(f, r.Start, enc), offsetOf(f, r.End, enc)
	}
	var line, col uint32
	for _, t := range snap.Tokens(f) {
		if int(t.Span.End) < from || int(t.Span.Start) > to {
			continue
		}
		tr := rangeOf(f, t.Span, enc)
		if tr.Start.Line != tr.End.Line || tr.End.Character <= tr.Start.Character {
			continue // tokens never cross lines; nothing to show if empty
		}
		dl, dc := tr.Start.Line-line, tr.Start.Character
		if dl == 0 {
			dc -= col
		}
		out.Data = append(out.Data, dl, dc, tr.End.Character-tr.Start.Character, uint32(t.Type), uint32(t.Mods))
		line, col = tr.Start.Line, tr.Start.Character
	}
	return out, nil
}
