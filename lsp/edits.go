package lsp

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"

	"github.com/seedls/seedls/graph"
)

// Rename and quick fixes. The server never writes a file: every change is
// a WorkspaceEdit the editor applies (and can undo).

func init() {
	requests["textDocument/prepareRename"] = (*Server).prepareRename
	requests["textDocument/rename"] = (*Server).rename
	requests["textDocument/codeAction"] = (*Server).codeAction
	extraCapabilities = append(extraCapabilities, func(c *protocol.ServerCapabilities) {
		c.RenameProvider = &protocol.RenameOptions{PrepareProvider: true}
		c.CodeActionProvider = &protocol.CodeActionOptions{CodeActionKinds: []protocol.CodeActionKind{protocol.QuickFix}}
	})
}

// workspaceEdit carries documentChanges of any kind (text edits and file
// creations); protocol v0.12.0's type only holds text edits.
type workspaceEdit struct {
	Changes         map[protocol.DocumentURI][]protocol.TextEdit `json:"changes,omitempty"`
	DocumentChanges []any                                        `json:"documentChanges,omitempty"`
}

type createFile struct {
	Kind    string `json:"kind"`
	URI     string `json:"uri"`
	Options struct {
		IgnoreIfExists bool `json:"ignoreIfExists"`
	} `json:"options"`
}

type textDocumentEdit struct {
	TextDocument struct {
		URI     string `json:"uri"`
		Version *int32 `json:"version"`
	} `json:"textDocument"`
	Edits []protocol.TextEdit `json:"edits"`
}

// renameTarget is the id under the cursor that rename can change: a
// citation of a known kind or an entity's own id.
func renameTarget(snap *graph.Snapshot, f *graph.File, off int) (graph.Target, bool) {
	t := snap.At(f, off)
	return t, (t.Kind == graph.CiteTarget || t.Kind == graph.IDTarget) && t.ID != ""
}

func (s *Server) prepareRename(_ context.Context, params json.RawMessage) (any, error) {
	snap, f, off, err := s.at(params)
	if err != nil || f == nil {
		return nil, err
	}
	t, ok := renameTarget(snap, f, off)
	if !ok {
		return nil, nil
	}
	r := rangeOf(f, t.Span, s.encoding())
	return protocol.Range(r), nil
}

func (s *Server) rename(_ context.Context, params json.RawMessage) (any, error) {
	var p protocol.RenameParams
	if err := decode(params, &p); err != nil {
		return nil, err
	}
	snap, f, off, err := s.at(params)
	if err != nil || f == nil {
		return nil, err
	}
	t, ok := renameTarget(snap, f, off)
	if !ok {
		return nil, jsonrpc2.NewError(jsonrpc2.InvalidRequest, "nothing to rename here: put the cursor on an entity id or a citation")
	}
	kind := t.ID[:strings.IndexByte(t.ID, ':')]
	newID := strings.TrimSpace(p.NewName)
	if !strings.Contains(newID, ":") {
		newID = kind + ":" + newID
	}
	nk, slug, _ := strings.Cut(newID, ":")
	if !snap.IsKind(nk) || slug == "" || graph.Slug(strings.ReplaceAll(slug, "-", " ")) != slug {
		return nil, jsonrpc2.NewError(jsonrpc2.InvalidParams, fmt.Sprintf("%q is not an id: want KIND:slug with a slug of a-z, 0-9 and single dashes", p.NewName))
	}
	return s.renameEdit(snap, t.ID, newID), nil
}

// renameEdit changes id to newID in every definition and every citation.
func (s *Server) renameEdit(snap *graph.Snapshot, id, newID string) workspaceEdit {
	enc := s.encoding()
	changes := map[protocol.DocumentURI][]protocol.TextEdit{}
	add := func(l graph.Location) {
		if f := snap.File(l.Path); f != nil {
			u := s.uriOf(l.Path)
			changes[u] = append(changes[u], protocol.TextEdit{Range: rangeOf(f, l.Span, enc), NewText: newID})
		}
	}
	defs := snap.Defs(id)
	for _, e := range defs {
		add(graph.Location{Path: e.File().Path, Span: e.IDSpan})
	}
	for _, l := range snap.CitationsOf(id) {
		add(l)
	}
	return workspaceEdit{Changes: changes}
}

func (s *Server) codeAction(_ context.Context, params json.RawMessage) (any, error) {
	var p protocol.CodeActionParams
	if err := decode(params, &p); err != nil {
		return nil, err
	}
	snap := s.ws.current()
	key := s.keyOf(string(p.TextDocument.URI))
	f := snap.File(key)
	if f == nil {
		return []protocol.CodeAction{}, nil
	}
	enc := s.encoding()
	actions := []any{}
	for _, d := range p.Context.Diagnostics {
		code, _ := d.Code.(string)
		var data diagnosticData
		if raw, err := json.Marshal(d.Data); err == nil {
			_ = json.Unmarshal(raw, &data)
		}
		switch graph.Code(code) {
		case graph.CodeUnknownReference:
			for i, sugg := range data.Suggestions {
				actions = append(actions, codeAction{
					Title: "Replace with " + sugg, Kind: protocol.QuickFix, Diagnostics: []protocol.Diagnostic{d},
					IsPreferred: i == 0,
					Edit: workspaceEdit{Changes: map[protocol.DocumentURI][]protocol.TextEdit{
						p.TextDocument.URI: {{Range: d.Range, NewText: sugg}},
					}},
				})
			}
			id := data.ID
			if id == "" {
				id = textAt(snap, f, d.Range, enc)
			}
			if a, ok := s.createEntityAction(snap, key, id, d); ok {
				actions = append(actions, a)
			}
		case graph.CodeIDTitleMismatch:
			if e := f.Entity; e != nil && e.Title != "" {
				want := e.Kind + ":" + graph.Slug(e.Title)
				actions = append(actions, codeAction{
					Title: "Change the id to " + want + " (and every citation)", Kind: protocol.QuickFix,
					Diagnostics: []protocol.Diagnostic{d}, IsPreferred: true,
					Edit: s.renameEdit(snap, e.ID, want),
				})
			}
		}
	}
	return actions, nil
}

type codeAction struct {
	Title       string                  `json:"title"`
	Kind        protocol.CodeActionKind `json:"kind,omitempty"`
	Diagnostics []protocol.Diagnostic   `json:"diagnostics,omitempty"`
	IsPreferred bool                    `json:"isPreferred,omitempty"`
	Edit        workspaceEdit           `json:"edit"`
}

// createEntityAction offers a new entity file for an unknown id, in the
// seed format, in the configured folder of the workspace root holding the
// document.
func (s *Server) createEntityAction(snap *graph.Snapshot, docKey, id string, d protocol.Diagnostic) (codeAction, bool) {
	kind, slug, ok := strings.Cut(id, ":")
	if !ok || slug == "" || !s.caps.createFile || !s.caps.documentChanges {
		return codeAction{}, false
	}
	dir := s.ws.newEntityDir(docKey)
	if dir == "" {
		return codeAction{}, false
	}
	name := slug
	if len(name) > 120 {
		name = strings.Trim(name[:120], "-")
	}
	path := filepath.Join(dir, kind+"_"+name+".txt")
	if snap.File(path) != nil {
		return codeAction{}, false
	}
	title := strings.ReplaceAll(slug, "-", " ")
	title = strings.ToUpper(title[:1]) + title[1:]
	text := fmt.Sprintf("%s\nactive\n%s%s\nOne-line summary of this %s.\nNeighborhood — ranked by edge-count\n", kind, id, title, kind)
	u := string(s.uriOf(path))
	cf := createFile{Kind: "create", URI: u}
	cf.Options.IgnoreIfExists = true
	var te textDocumentEdit
	te.TextDocument.URI = u
	te.Edits = []protocol.TextEdit{{NewText: text}}
	return codeAction{
		Title: "Create entity file " + filepath.Base(path), Kind: protocol.QuickFix, Diagnostics: []protocol.Diagnostic{d},
		Edit: workspaceEdit{DocumentChanges: []any{cf, te}},
	}, true
}

// textAt returns the text of f in r.
func textAt(snap *graph.Snapshot, f *graph.File, r protocol.Range, enc graph.Encoding) string {
	text, ok := snap.Text(f)
	a, b := offsetOf(f, r.Start, enc), offsetOf(f, r.End, enc)
	if !ok || a > b || b > len(text) {
		return ""
	}
	return text[a:b]
}
