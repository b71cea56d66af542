package lsp

import (
	"context"
	"encoding/json"
	"fmt"

	"go.lsp.dev/protocol"

	"github.com/seedls/seedls/graph"
)

// Symbols, links and lenses: an entity file's outline, a document's
// citations, a workspace search over titles and summaries, a link on every
// citation, and a lens on every entity's id line.

func init() {
	requests["textDocument/documentSymbol"] = (*Server).documentSymbol
	requests["workspace/symbol"] = (*Server).workspaceSymbol
	requests["textDocument/documentLink"] = (*Server).documentLink
	requests["textDocument/codeLens"] = (*Server).codeLens
	extraCapabilities = append(extraCapabilities, func(c *protocol.ServerCapabilities) {
		c.DocumentSymbolProvider = true
		c.WorkspaceSymbolProvider = true
		c.DocumentLinkProvider = &protocol.DocumentLinkOptions{}
		c.CodeLensProvider = &protocol.CodeLensOptions{}
	})
}

// file decodes a textDocument param and finds its file.
func (s *Server) file(params json.RawMessage) (*graph.Snapshot, *graph.File, error) {
	var p struct {
		TextDocument protocol.TextDocumentIdentifier `json:"textDocument"`
	}
	if err := decode(params, &p); err != nil {
		return nil, nil, err
	}
	snap := s.ws.current()
	return snap, snap.File(s.keyOf(string(p.TextDocument.URI))), nil
}

func (s *Server) documentSymbol(_ context.Context, params json.RawMessage) (any, error) {
	snap, f, err := s.file(params)
	if err != nil || f == nil {
		return []protocol.DocumentSymbol{}, err
	}
	enc := s.encoding()
	var out []protocol.DocumentSymbol
	text, haveText := snap.Text(f)
	if e := f.Entity; e != nil {
		root := protocol.DocumentSymbol{
			Name: e.ID, Detail: e.Title, Kind: protocol.SymbolKindClass,
			Range: rangeOf(f, graph.Span{Start: 0, End: int32(f.Len)}, enc), SelectionRange: rangeOf(f, e.IDSpan, enc),
		}
		for _, g := range e.Groups {
			if !haveText {
				break // the groups' names are in the text, which changed since it was read
			}
			gs := protocol.DocumentSymbol{
				Name: fmt.Sprintf("%s (%d)", g.Label(text), g.Count), Detail: g.ItemKind(text), Kind: protocol.SymbolKindNamespace,
				Range: rangeOf(f, g.HeaderSpan, enc), SelectionRange: rangeOf(f, g.LabelSpan, enc),
			}
			for _, it := range e.Items(&g) {
				name := snap.Reading(f, &g, &it).Name(text)
				if name == "" {
					continue
				}
				gs.Children = append(gs.Children, protocol.DocumentSymbol{
					Name: name, Kind: protocol.SymbolKindField,
					Range: rangeOf(f, it.Span, enc), SelectionRange: rangeOf(f, it.Span, enc),
				})
				gs.Range.End = rangeOf(f, it.Span, enc).End
			}
			root.Children = append(root.Children, gs)
		}
		out = append(out, root)
	}
	for _, c := range f.Citations {
		if ok, _ := snap.Cites(c); ok {
			r := rangeOf(f, c.Span, enc)
			out = append(out, protocol.DocumentSymbol{Name: c.ID, Kind: protocol.SymbolKindKey, Range: r, SelectionRange: r})
		}
	}
	if !s.caps.hierarchicalSyms {
		return flatten(out, s.uriOf(f.Path)), nil
	}
	return out, nil
}

// flatten turns the outline into SymbolInformation for older clients.
func flatten(syms []protocol.DocumentSymbol, uri protocol.DocumentURI) []protocol.SymbolInformation {
	var out []protocol.SymbolInformation
	var walk func(ss []protocol.DocumentSymbol, container string)
	walk = func(ss []protocol.DocumentSymbol, container string) {
		for _, sy := range ss {
			out = append(out, protocol.SymbolInformation{Name: sy.Name, Kind: sy.Kind, ContainerName: container,
				Location: protocol.Location{URI: uri, Range: sy.SelectionRange}})
			walk(sy.Children, sy.Name)
		}
	}
	walk(syms, "")
	return out
}

func (s *Server) workspaceSymbol(_ context.Context, params json.RawMessage) (any, error) {
	var p protocol.WorkspaceSymbolParams
	if err := decode(params, &p); err != nil {
		return nil, err
	}
	snap := s.ws.current()
	cands, _ := s.search.find(snap, p.Query, s.ws.completionLimit())
	out := make([]protocol.SymbolInformation, 0, len(cands))
	for _, c := range cands {
		e := c.Entity
		out = append(out, protocol.SymbolInformation{
			Name: e.Title, Kind: protocol.SymbolKindClass, ContainerName: e.ID,
			Location: protocol.Location{URI: s.uriOf(e.File().Path), Range: rangeOf(e.File(), e.IDSpan, s.encoding())},
		})
	}
	return out, nil
}

func (s *Server) documentLink(_ context.Context, params json.RawMessage) (any, error) {
	snap, f, err := s.file(params)
	if err != nil || f == nil {
		return []protocol.DocumentLink{}, err
	}
	out := []protocol.DocumentLink{}
	for _, c := range f.Citations {
		ok, defs := snap.Cites(c)
		if !ok || len(defs) == 0 {
			continue
		}
		e := defs[0]
		line := e.File().Lines().LineOf(int(e.IDSpan.Start)) + 1
		out = append(out, protocol.DocumentLink{
			Range:   rangeOf(f, c.Span, s.encoding()),
			Target:  protocol.DocumentURI(fmt.Sprintf("%s#L%d", s.uriOf(e.File().Path), line)),
			Tooltip: e.Title,
		})
	}
	return out, nil
}

func (s *Server) codeLens(_ context.Context, params json.RawMessage) (any, error) {
	snap, f, err := s.file(params)
	if err != nil || f == nil || f.Entity == nil || f.Entity.ID == "" {
		return []protocol.CodeLens{}, err
	}
	e := f.Entity
	cited := len(snap.CitedBy(e))
	neighbours := 0
	for i := range e.Groups {
		neighbours += len(e.Items(&e.Groups[i]))
	}
	return []protocol.CodeLens{{
		Range:   rangeOf(f, e.IDSpan, s.encoding()),
		Command: &protocol.Command{Title: fmt.Sprintf("cited %s · %s", graph.Count(cited, "time"), graph.Count(neighbours, "neighbour"))},
	}}, nil
}
