package lsp

import (
	"context"
	"encoding/json"
	"errors"

	"go.lsp.dev/protocol"

	"github.com/seedls/seedls/graph"
)

// The seedls.neighbourhood command: the typed neighbourhood of the entity
// at a position, for the editor's picture, in exactly the JSON `seedls
// graph --format json` prints (documented in the README; the VS Code
// extension builds against it).

// MaxNeighbourhoodDepth caps the command's depth: three hops around a
// hub already reach hundreds of entities, more than a picture shows.
const MaxNeighbourhoodDepth = 3

// neighbourhoodArgs is the command's one argument.
type neighbourhoodArgs struct {
	TextDocument protocol.TextDocumentIdentifier `json:"textDocument"`
	Position     protocol.Position               `json:"position"`
	Depth        *int                            `json:"depth"`
}

func (s *Server) neighbourhood(_ context.Context, params json.RawMessage) (any, error) {
	var p struct {
		Arguments []neighbourhoodArgs `json:"arguments"`
	}
	if err := decode(params, &p); err != nil {
		return nil, err
	}
	if len(p.Arguments) != 1 {
		return nil, &paramsError{errors.New(cmdNeighbourhood + " takes one argument: {textDocument, position, depth?}")}
	}
	a := p.Arguments[0]
	depth := 1
	if a.Depth != nil {
		depth = min(max(*a.Depth, 0), MaxNeighbourhoodDepth)
	}
	snap := s.ws.current()
	f := snap.File(s.keyOf(string(a.TextDocument.URI)))
	if f == nil {
		return nil, nil
	}
	for _, n := range snap.NodesAt(f, offsetOf(f, a.Position, s.encoding())) {
		if n.Kind == graph.EntityNode && n.Entity.ID != "" {
			return NeighbourhoodJSON(snap.Neighbourhood([]*graph.Entity{n.Entity}, depth), s.uriOf, nil), nil
		}
	}
	return nil, nil
}

// NeighbourhoodWire is the JSON form of a neighbourhood.
type NeighbourhoodWire struct {
	Roots []string            `json:"roots"`
	Depth int                 `json:"depth"`
	Nodes []NeighbourhoodNode `json:"nodes"`
	Edges []NeighbourhoodEdge `json:"edges"`
}

// NeighbourhoodNode is a node: an entity of the workspace (id, status,
// uri and 0-based line of its id), or a neighbour named in a file but
// absent from the workspace (resolved false, id null, no uri; its key
// starts with "?", which no id holds).
type NeighbourhoodNode struct {
	Key      string  `json:"key"`
	ID       *string `json:"id"`
	Kind     string  `json:"kind"`
	Status   string  `json:"status,omitempty"`
	Title    string  `json:"title"`
	URI      string  `json:"uri,omitempty"`
	Path     string  `json:"path,omitempty"`
	Line     *int    `json:"line,omitempty"`
	Root     bool    `json:"root,omitempty"`
	Resolved bool    `json:"resolved"`
}

// NeighbourhoodEdge goes from the entity whose typed group lists a
// neighbour to that neighbour, by keys.
type NeighbourhoodEdge struct {
	From      string   `json:"from"`
	To        string   `json:"to"`
	Relations []string `json:"relations"`
	Group     string   `json:"group"`
}

// NeighbourhoodJSON turns a neighbourhood into its JSON form: uri names
// a file key's URI (the server's as the client spells it, the command
// line's PathURI); path, when set, adds each entity's path as the command
// line shows it.
func NeighbourhoodJSON(n *graph.Neighbourhood, uri func(key string) protocol.DocumentURI, path func(key string) string) NeighbourhoodWire {
	w := NeighbourhoodWire{Roots: n.Roots, Depth: n.Depth, Nodes: make([]NeighbourhoodNode, 0, len(n.Nodes)), Edges: make([]NeighbourhoodEdge, 0, len(n.Edges))}
	for _, nd := range n.Nodes {
		j := NeighbourhoodNode{Key: nd.Key, Kind: nd.Kind, Title: nd.Title, Root: nd.Root, Resolved: nd.Resolved()}
		if e := nd.Entity; e != nil {
			id, f := e.ID, e.File()
			line := f.Lines().LineOf(int(e.IDSpan.Start))
			j.ID, j.Status, j.URI, j.Line = &id, e.Status, string(uri(f.Path)), &line
			if path != nil {
				j.Path = path(f.Path)
			}
		}
		w.Nodes = append(w.Nodes, j)
	}
	for _, e := range n.Edges {
		w.Edges = append(w.Edges, NeighbourhoodEdge{From: e.From, To: e.To, Relations: e.Relations, Group: e.Group})
	}
	return w
}
