package lsp

import (
	"context"
	"encoding/json"
	"fmt"

	"go.lsp.dev/protocol"

	"github.com/seedls/seedls/graph"
)

func init() {
	requests["textDocument/completion"] = (*Server).completion
}

// completion offers entity ids for the partial reference before the
// cursor. Every item replaces the whole partial id through a textEdit:
// Neovim 0.7 filters by the word before the cursor, where ':' and '-' are
// breaks, and shows nothing for items without one.
func (s *Server) completion(_ context.Context, params json.RawMessage) (any, error) {
	snap, f, off, err := s.at(params)
	if err != nil || f == nil {
		return nil, err
	}
	text, ok := snap.Text(f)
	if !ok {
		return protocol.CompletionList{IsIncomplete: true}, nil
	}
	t := graph.TypingAt(text, off)
	limit := s.ws.completionLimit()
	var cands []graph.Candidate
	more := false
	switch {
	case t.Kind != "" && snap.IsKind(t.Kind):
		cands, more = snap.CompleteIDs(t.Kind, t.Prefix, limit)
	case t.Wiki || t.Kind == "":
		cands, more = s.search.find(snap, t.Prefix, limit)
	}
	enc := s.encoding()
	r := rangeOf(f, t.Span, enc)
	items := make([]protocol.CompletionItem, 0, len(cands))
	for i, c := range cands {
		e := c.Entity
		items = append(items, protocol.CompletionItem{
			Label:      e.ID,
			Kind:       protocol.CompletionItemKindReference,
			Detail:     fmt.Sprintf("%s · %s — %s", e.Kind, e.Status, e.Title),
			FilterText: filterText(t, e),
			SortText:   fmt.Sprintf("%05d", i),
			Documentation: protocol.MarkupContent{
				Kind:  protocol.Markdown,
				Value: "**" + e.Title + "**\n\n" + e.Summary,
			},
			TextEdit:   &protocol.TextEdit{Range: r, NewText: e.ID},
			Deprecated: e.Status != "active",
		})
	}
	// While the workspace is being read the list is incomplete: the client
	// asks again as the user types.
	return protocol.CompletionList{IsIncomplete: more || s.ws.indexing(), Items: items}, nil
}

// filterText is what the client matches the typed text against: nothing
// more than the label when an id is typed (Neovim 0.7's omnifunc drops
// items whose filterText is set), the id and the title when words are.
func filterText(t graph.Typing, e *graph.Entity) string {
	if t.Kind != "" {
		return ""
	}
	return e.ID + " " + e.Title
}
