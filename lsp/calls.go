package lsp

import (
	"context"
	"encoding/json"
	"strings"

	"go.lsp.dev/protocol"

	"github.com/seedls/seedls/graph"
)

// Evidence as a call hierarchy: an entity "calls" what its typed groups
// list (what it rests on) and is called by the entities listing it and
// the documents citing it. Items carry navData so that the next request
// finds them again after edits moved them.

// navData is a call hierarchy item's data: the entity's id (and the file
// of the definition meant, for a duplicated id), or a document's URI; a
// neighbour outside the workspace is found again by its URI and
// selection range.
type navData struct {
	ID       string `json:"id,omitempty"`
	URI      string `json:"uri"`
	Document bool   `json:"document,omitempty"`
}

func (s *Server) prepareCallHierarchy(_ context.Context, params json.RawMessage) (any, error) {
	snap, f, off, err := s.at(params)
	if err != nil || f == nil {
		return nil, err
	}
	nodes := snap.NodesAt(f, off)
	if len(nodes) == 0 {
		// null, not []: Neovim 0.7 asks the user to pick from an empty list.
		return nil, nil
	}
	out := make([]CallHierarchyItem, len(nodes))
	for i, n := range nodes {
		out[i] = s.callItem(n, "")
	}
	return out, nil
}

func (s *Server) incomingCalls(_ context.Context, params json.RawMessage) (any, error) {
	var p CallHierarchyIncomingCallsParams
	if err := decode(params, &p); err != nil {
		return nil, err
	}
	snap := s.ws.current()
	n, ok := s.nodeOf(snap, p.Item)
	if !ok {
		return nil, nil
	}
	out := []CallHierarchyIncomingCall{}
	for _, a := range snap.Incoming(n) {
		out = append(out, CallHierarchyIncomingCall{From: s.callItem(a.Node, arcDetail(a)), FromRanges: s.ranges(a)})
	}
	return out, nil
}

func (s *Server) outgoingCalls(_ context.Context, params json.RawMessage) (any, error) {
	var p CallHierarchyOutgoingCallsParams
	if err := decode(params, &p); err != nil {
		return nil, err
	}
	snap := s.ws.current()
	n, ok := s.nodeOf(snap, p.Item)
	if !ok {
		return nil, nil
	}
	out := []CallHierarchyOutgoingCall{}
	for _, a := range snap.Outgoing(n) {
		out = append(out, CallHierarchyOutgoingCall{To: s.callItem(a.Node, arcDetail(a)), FromRanges: s.ranges(a)})
	}
	return out, nil
}

// nodeOf finds an item's node again in snap: by the id in its data, else
// (a client that drops data, or an item that is no entity) by its URI and
// selection range.
func (s *Server) nodeOf(snap *graph.Snapshot, item CallHierarchyItem) (graph.Node, bool) {
	var d navData
	if len(item.Data) > 0 {
		_ = json.Unmarshal(item.Data, &d) // foreign or stale data: fall back on the URI
	}
	uri := d.URI
	if uri == "" {
		uri = string(item.URI)
	}
	key := s.keyOf(uri)
	if d.ID != "" {
		if e := snap.EntityByID(d.ID, key); e != nil {
			return graph.EntityNodeOf(e), true
		}
		return graph.Node{}, false
	}
	f := snap.File(key)
	if f == nil {
		return graph.Node{}, false
	}
	if d.Document || f.Kind == graph.DocumentFile {
		return graph.DocumentNodeOf(f), true
	}
	nodes := snap.NodesAt(f, offsetOf(f, item.SelectionRange.Start, s.encoding()))
	if len(nodes) == 0 {
		return graph.Node{}, false
	}
	return nodes[0], true
}

// callItem turns a node into an item: entities are classes (as in the
// outline), tagged deprecated when not active; documents are files;
// neighbours outside the workspace are fields at their item.
func (s *Server) callItem(n graph.Node, detail string) CallHierarchyItem {
	enc := s.encoding()
	f := n.File
	it := CallHierarchyItem{Name: n.Name, URI: s.uriOf(f.Path)}
	whole := rangeOf(f, wholeFile(f), enc)
	data := navData{URI: string(it.URI)}
	switch n.Kind {
	case graph.EntityNode:
		e := n.Entity
		it.Kind = protocol.SymbolKindClass
		it.Range, it.SelectionRange = whole, rangeOf(f, e.IDSpan, enc)
		data.ID = e.ID
		if e.Status != "active" {
			it.Tags = []protocol.SymbolTag{protocol.SymbolTagDeprecated}
		}
		if detail == "" {
			detail = e.ID
			if e.Status != "active" {
				detail += " · " + e.Status
			}
		}
	case graph.DocumentNode:
		it.Kind = protocol.SymbolKindFile
		it.Range = whole
		it.SelectionRange = protocol.Range{Start: whole.Start, End: whole.Start}
		data.Document = true
	case graph.NeighbourNode:
		it.Kind = protocol.SymbolKindField
		it.Range = rangeOf(f, n.Span, enc)
		it.SelectionRange = it.Range
		note := "not in the workspace"
		if n.ItemKind != "" {
			note = n.ItemKind + " " + note
		}
		if detail == "" {
			detail = note
		} else {
			detail += " · " + note
		}
	}
	it.Detail = detail
	it.Data, _ = json.Marshal(data)
	return it
}

// wholeFile spans the whole of f.
func wholeFile(f *graph.File) graph.Span {
	return graph.Span{Start: 0, End: int32(f.Len)}
}

// arcDetail is what an incoming or outgoing item says of its edge: the
// relation words, else the group listing it, or for a document how often
// it cites.
func arcDetail(a graph.Arc) string {
	switch {
	case a.Node.Kind == graph.DocumentNode:
		return "cites " + graph.Count(len(a.Spans), "time")
	case len(a.Relations) > 0:
		return strings.Join(a.Relations, ", ")
	case a.Group != "":
		return "listed in " + a.Group
	}
	return ""
}

// ranges converts an arc's spans, which lie in a.In.
func (s *Server) ranges(a graph.Arc) []protocol.Range {
	out := make([]protocol.Range, len(a.Spans))
	for i, sp := range a.Spans {
		out[i] = rangeOf(a.In, sp, s.encoding())
	}
	return out
}
