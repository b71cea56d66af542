package lsp

import (
	"encoding/json"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"

	"github.com/seedls/seedls/graph"
)

// LSP error codes jsonrpc2 v0.10.0 does not define.
const (
	RequestCancelled jsonrpc2.Code = -32800
	RequestFailed    jsonrpc2.Code = -32803
)

// initializeParams is read by hand: only what the server acts on, and
// positionEncodings, which protocol v0.12.0 does not know.
type initializeParams struct {
	RootURI          string `json:"rootUri"`
	RootPath         string `json:"rootPath"`
	WorkspaceFolders []struct {
		URI string `json:"uri"`
	} `json:"workspaceFolders"`
	InitializationOptions json.RawMessage `json:"initializationOptions"`
	Capabilities          struct {
		General struct {
			PositionEncodings []string `json:"positionEncodings"`
		} `json:"general"`
		Window struct {
			WorkDoneProgress bool `json:"workDoneProgress"`
		} `json:"window"`
		Workspace struct {
			Configuration         bool `json:"configuration"`
			DidChangeWatchedFiles struct {
				DynamicRegistration bool `json:"dynamicRegistration"`
			} `json:"didChangeWatchedFiles"`
			WorkspaceEdit struct {
				DocumentChanges    bool     `json:"documentChanges"`
				ResourceOperations []string `json:"resourceOperations"`
			} `json:"workspaceEdit"`
		} `json:"workspace"`
		TextDocument struct {
			PublishDiagnostics struct {
				RelatedInformation bool `json:"relatedInformation"`
			} `json:"publishDiagnostics"`
			DocumentSymbol struct {
				Hierarchical bool `json:"hierarchicalDocumentSymbolSupport"`
			} `json:"documentSymbol"`
		} `json:"textDocument"`
	} `json:"capabilities"`
}

// initializeResult adds positionEncoding (LSP 3.17) beside the library's
// capabilities; the embedded struct encodes flat.
type initializeResult struct {
	Capabilities capabilities         `json:"capabilities"`
	ServerInfo   *protocol.ServerInfo `json:"serverInfo,omitempty"`
}

type capabilities struct {
	protocol.ServerCapabilities
	navCapabilities
	PositionEncoding string `json:"positionEncoding,omitempty"`
}

// Commands the server executes (workspace/executeCommand).
const cmdIndexStatus = "seedls.indexStatus"

func (s *Server) initialize(params json.RawMessage) (any, error) {
	var p initializeParams
	if err := decode(params, &p); err != nil {
		return nil, err
	}
	c := p.Capabilities
	s.mu.Lock()
	s.caps = clientCaps{
		progress:         c.Window.WorkDoneProgress,
		configuration:    c.Workspace.Configuration,
		watchDynamic:     c.Workspace.DidChangeWatchedFiles.DynamicRegistration,
		related:          c.TextDocument.PublishDiagnostics.RelatedInformation,
		documentChanges:  c.Workspace.WorkspaceEdit.DocumentChanges,
		hierarchicalSyms: c.TextDocument.DocumentSymbol.Hierarchical,
	}
	for _, op := range c.Workspace.WorkspaceEdit.ResourceOperations {
		if op == "create" {
			s.caps.createFile = true
		}
	}
	s.initialized = true
	s.mu.Unlock()

	// UTF-16 unless the client offers UTF-8 (bytes: no conversion at all).
	enc, encName := graph.UTF16, "utf-16"
	for _, e := range c.General.PositionEncodings {
		if e == "utf-8" {
			enc, encName = graph.UTF8, "utf-8"
			break
		}
	}
	var roots []string
	for _, f := range p.WorkspaceFolders {
		roots = append(roots, keyFor(f.URI, s.paths.windows))
	}
	if len(roots) == 0 && p.RootURI != "" {
		roots = append(roots, keyFor(p.RootURI, s.paths.windows))
	}
	if len(roots) == 0 && p.RootPath != "" {
		roots = append(roots, p.RootPath)
	}
	s.mu.Lock()
	s.clientRoots = roots
	s.mu.Unlock()
	s.ws.configure(s.paths.setRoots(roots), enc, p.InitializationOptions)

	caps := protocol.ServerCapabilities{
		TextDocumentSync: &protocol.TextDocumentSyncOptions{
			OpenClose: true,
			Change:    protocol.TextDocumentSyncKindFull,
			Save:      &protocol.SaveOptions{IncludeText: false},
		},
		HoverProvider:      true,
		DefinitionProvider: true,
		ReferencesProvider: true,
		CompletionProvider: &protocol.CompletionOptions{
			TriggerCharacters: []string{":", "["},
		},
		ExecuteCommandProvider: &protocol.ExecuteCommandOptions{Commands: []string{cmdIndexStatus}},
		Workspace: &protocol.ServerCapabilitiesWorkspace{
			WorkspaceFolders: &protocol.ServerCapabilitiesWorkspaceFolders{Supported: true, ChangeNotifications: true},
		},
	}
	for _, f := range extraCapabilities {
		f(&caps)
	}
	res := capabilities{ServerCapabilities: caps, PositionEncoding: encName}
	for _, f := range initializeHooks {
		f(s, params, &res)
	}
	return initializeResult{
		Capabilities: res,
		ServerInfo:   &protocol.ServerInfo{Name: "seedls", Version: s.version},
	}, nil
}

// extraCapabilities lets each feature file announce itself.
var extraCapabilities []func(*protocol.ServerCapabilities)

// foldersChanged takes workspace folders added and removed by the client.
func (s *Server) foldersChanged(added, removed []struct {
	URI string `json:"uri"`
}) {
	gone := map[string]bool{}
	for _, f := range removed {
		gone[keyFor(f.URI, s.paths.windows)] = true
	}
	s.mu.Lock()
	var roots []string
	for _, r := range s.clientRoots {
		if !gone[r] {
			roots = append(roots, r)
		}
	}
	for _, f := range added {
		roots = append(roots, keyFor(f.URI, s.paths.windows))
	}
	s.clientRoots = roots
	s.mu.Unlock()
	s.ws.setRoots(s.paths.setRoots(roots))
}
