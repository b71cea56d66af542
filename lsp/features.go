package lsp

import (
	"context"
	"encoding/json"

	"go.lsp.dev/protocol"

	"github.com/seedls/seedls/graph"
)

// Each handler: protocol params to plain values, a pure query on the
// snapshot, the answer back to protocol types.

func init() {
	requests["textDocument/hover"] = (*Server).hover
	requests["textDocument/definition"] = (*Server).definition
	requests["textDocument/references"] = (*Server).references
	requests["workspace/executeCommand"] = (*Server).executeCommand
}

// at resolves a text document position to a file of the snapshot and a
// byte offset in it.
func (s *Server) at(params json.RawMessage) (*graph.Snapshot, *graph.File, int, error) {
	var p protocol.TextDocumentPositionParams
	if err := decode(params, &p); err != nil {
		return nil, nil, 0, err
	}
	snap := s.ws.current()
	f := snap.File(s.keyOf(string(p.TextDocument.URI)))
	if f == nil {
		return snap, nil, 0, nil
	}
	return snap, f, offsetOf(f, p.Position, s.encoding()), nil
}

func (s *Server) hover(_ context.Context, params json.RawMessage) (any, error) {
	snap, f, off, err := s.at(params)
	if err != nil || f == nil {
		return nil, err
	}
	t := snap.At(f, off)
	if t.Kind == graph.NoTarget {
		return nil, nil
	}
	r := rangeOf(f, t.Span, s.encoding())
	var md string
	switch {
	case len(t.Entities) > 0:
		md = snap.Hover(t.Entities[0])
	case t.Kind == graph.CiteTarget:
		md = "**Unknown reference** `" + t.ID + "`\n\nNo entity file defines it."
		if sugg := snap.Suggest(t.ID, 3); len(sugg) > 0 {
			md += " Did you mean `" + sugg[0] + "`?"
		}
	default:
		md = "*Not in the workspace:* no entity matches this neighbour's id, title or summary."
	}
	return protocol.Hover{Contents: protocol.MarkupContent{Kind: protocol.Markdown, Value: md}, Range: &r}, nil
}

func (s *Server) definition(_ context.Context, params json.RawMessage) (any, error) {
	snap, f, off, err := s.at(params)
	if err != nil || f == nil {
		return nil, err
	}
	return s.locations(snap, snap.Definition(f, off)), nil
}

func (s *Server) references(_ context.Context, params json.RawMessage) (any, error) {
	var p protocol.ReferenceParams
	if err := decode(params, &p); err != nil {
		return nil, err
	}
	snap, f, off, err := s.at(params)
	if err != nil || f == nil {
		return nil, err
	}
	t := snap.At(f, off)
	if len(t.Entities) == 0 {
		return []protocol.Location{}, nil
	}
	return s.locations(snap, snap.References(t.Entities[0], p.Context.IncludeDeclaration)), nil
}

func (s *Server) executeCommand(ctx context.Context, params json.RawMessage) (any, error) {
	var p protocol.ExecuteCommandParams
	if err := decode(params, &p); err != nil {
		return nil, err
	}
	switch p.Command {
	case cmdIndexStatus:
		return s.ws.status(), nil
	case cmdNeighbourhood:
		return s.neighbourhood(ctx, params)
	}
	return nil, &paramsError{errUnknownCommand(p.Command)}
}

type errUnknownCommand string

func (e errUnknownCommand) Error() string { return "unknown command " + string(e) }
