package lsp

import (
	"context"
	"encoding/json"

	"go.lsp.dev/protocol"
)

// Folding ranges of an entity file's sections and groups, selection
// ranges growing from an id to the file, and the highlight of every
// citation (or item) naming what stands under the cursor.

func (s *Server) foldingRange(_ context.Context, params json.RawMessage) (any, error) {
	snap, f, err := s.file(params)
	out := []protocol.FoldingRange{}
	if err != nil || f == nil {
		return out, err
	}
	enc := s.encoding()
	for _, sp := range snap.Folds(f) {
		r := rangeOf(f, sp, enc)
		if r.End.Line > r.Start.Line {
			out = append(out, protocol.FoldingRange{StartLine: r.Start.Line, EndLine: r.End.Line, Kind: protocol.RegionFoldingRange})
		}
	}
	return out, nil
}

func (s *Server) selectionRange(_ context.Context, params json.RawMessage) (any, error) {
	var p struct {
		TextDocument protocol.TextDocumentIdentifier `json:"textDocument"`
		Positions    []protocol.Position             `json:"positions"`
	}
	if err := decode(params, &p); err != nil {
		return nil, err
	}
	snap := s.ws.current()
	f := snap.File(s.keyOf(string(p.TextDocument.URI)))
	if f == nil {
		return nil, nil
	}
	enc := s.encoding()
	out := make([]protocol.SelectionRange, len(p.Positions))
	for i, pos := range p.Positions {
		spans := snap.Selection(f, offsetOf(f, pos, enc))
		var sel *protocol.SelectionRange
		for j := len(spans) - 1; j >= 0; j-- {
			sel = &protocol.SelectionRange{Range: rangeOf(f, spans[j], enc), Parent: sel}
		}
		if sel == nil {
			sel = &protocol.SelectionRange{Range: protocol.Range{Start: pos, End: pos}}
		}
		out[i] = *sel
	}
	return out, nil
}

func (s *Server) documentHighlight(_ context.Context, params json.RawMessage) (any, error) {
	snap, f, off, err := s.at(params)
	out := []protocol.DocumentHighlight{}
	if err != nil || f == nil {
		return out, err
	}
	for _, h := range snap.Highlights(f, off) {
		kind := protocol.DocumentHighlightKindRead
		if h.Declaration {
			kind = protocol.DocumentHighlightKindWrite
		}
		out = append(out, protocol.DocumentHighlight{Range: rangeOf(f, h.Span, s.encoding()), Kind: kind})
	}
	return out, nil
}
