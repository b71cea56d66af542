package lsp

import (
	"context"
	"encoding/json"
)

// Inlay hints after each resolved citation of a document: the entity's
// status when it is not active and how many entities support and
// contradict it (graph.Snapshot.Hints says when and how they are counted).
// The seedls.inlayHints.enable setting turns them off.

func (s *Server) inlayHint(_ context.Context, params json.RawMessage) (any, error) {
	var p InlayHintParams
	if err := decode(params, &p); err != nil {
		return nil, err
	}
	out := []InlayHint{}
	if !s.ws.inlayHintsEnabled() {
		return out, nil
	}
	snap := s.ws.current()
	f := snap.File(s.keyOf(string(p.TextDocument.URI)))
	if f == nil {
		return out, nil
	}
	enc := s.encoding()
	for _, h := range snap.Hints(f, offsetOf(f, p.Range.Start, enc), offsetOf(f, p.Range.End, enc)) {
		out = append(out, InlayHint{Position: position(f, h.At, enc), Label: h.Label, Tooltip: h.Tooltip, PaddingLeft: true})
	}
	return out, nil
}
