package lsp

import (
	"encoding/json"

	"go.lsp.dev/protocol"
)

// LSP 3.16 and 3.17 types that go.lsp.dev/protocol v0.12.0 lacks or gets
// wrong (its SemanticTokensOptions has no legend, and it has no inlay
// hints), declared here in one place under the specification's names.
// Its call hierarchy types are sound but decode data as interface{}; these
// keep it raw, to be decoded into navData.

// CallHierarchyItem is the item of prepareCallHierarchy and of the calls.
type CallHierarchyItem struct {
	Name           string               `json:"name"`
	Kind           protocol.SymbolKind  `json:"kind"`
	Tags           []protocol.SymbolTag `json:"tags,omitempty"`
	Detail         string               `json:"detail,omitempty"`
	URI            protocol.DocumentURI `json:"uri"`
	Range          protocol.Range       `json:"range"`
	SelectionRange protocol.Range       `json:"selectionRange"`
	Data           json.RawMessage      `json:"data,omitempty"`
}

// CallHierarchyIncomingCallsParams and CallHierarchyOutgoingCallsParams
// carry the item back.
type CallHierarchyIncomingCallsParams struct {
	Item CallHierarchyItem `json:"item"`
}

type CallHierarchyOutgoingCallsParams = CallHierarchyIncomingCallsParams

// CallHierarchyIncomingCall: From makes the call at FromRanges, which lie
// in From's document.
type CallHierarchyIncomingCall struct {
	From       CallHierarchyItem `json:"from"`
	FromRanges []protocol.Range  `json:"fromRanges"`
}

// CallHierarchyOutgoingCall: the item asked about calls To at FromRanges,
// which lie in the asked item's document.
type CallHierarchyOutgoingCall struct {
	To         CallHierarchyItem `json:"to"`
	FromRanges []protocol.Range  `json:"fromRanges"`
}

// InlayHintParams asks for the hints of a range of a document (3.17).
type InlayHintParams struct {
	TextDocument protocol.TextDocumentIdentifier `json:"textDocument"`
	Range        protocol.Range                  `json:"range"`
}

// InlayHint is a label shown inline at Position (3.17). Label may also be
// a list of parts; seedls sends a string.
type InlayHint struct {
	Position     protocol.Position `json:"position"`
	Label        string            `json:"label"`
	Tooltip      string            `json:"tooltip,omitempty"`
	PaddingLeft  bool              `json:"paddingLeft,omitempty"`
	PaddingRight bool              `json:"paddingRight,omitempty"`
}

// InlayHintOptions is the server's inlayHintProvider.
type InlayHintOptions struct {
	ResolveProvider bool `json:"resolveProvider"`
}

// SemanticTokensLegend names the token types and modifiers by position.
type SemanticTokensLegend struct {
	TokenTypes     []string `json:"tokenTypes"`
	TokenModifiers []string `json:"tokenModifiers"`
}

// SemanticTokensOptions is the server's semanticTokensProvider.
type SemanticTokensOptions struct {
	Legend SemanticTokensLegend `json:"legend"`
	Range  bool                 `json:"range"`
	Full   bool                 `json:"full"`
}

// SemanticTokensParams asks for a whole document's tokens.
type SemanticTokensParams struct {
	TextDocument protocol.TextDocumentIdentifier `json:"textDocument"`
}

// SemanticTokensRangeParams asks for a range's tokens.
type SemanticTokensRangeParams struct {
	TextDocument protocol.TextDocumentIdentifier `json:"textDocument"`
	Range        protocol.Range                  `json:"range"`
}

// SemanticTokens holds five integers a token: line delta, start delta
// (from the previous token's start on the same line), length, type index
// and modifier bits.
type SemanticTokens struct {
	Data []uint32 `json:"data"`
}

// navClientCapabilities are the client capabilities the navigation
// features depend on, read from the initialize params.
type navClientCapabilities struct {
	TextDocument struct {
		InlayHint      *json.RawMessage `json:"inlayHint"`
		SemanticTokens *struct {
			Formats []string `json:"formats"`
		} `json:"semanticTokens"`
	} `json:"textDocument"`
	Workspace struct {
		InlayHint struct {
			RefreshSupport bool `json:"refreshSupport"`
		} `json:"inlayHint"`
	} `json:"workspace"`
}

// navCapabilities adds to the server capabilities what the library's
// ServerCapabilities has no field for (the embedded struct encodes flat).
type navCapabilities struct {
	InlayHintProvider *InlayHintOptions `json:"inlayHintProvider,omitempty"`
}
