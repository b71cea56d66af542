package lsp

import (
	"encoding/json"
	"sync/atomic"

	"go.lsp.dev/protocol"
	"go.uber.org/zap"
)

// Navigation of the evidence graph: call hierarchy (calls.go), inlay
// hints (hints.go), semantic tokens (tokens.go), folding, selection and
// highlights (structure.go) and the neighbourhood command
// (neighbourhood.go). This file registers them and keeps what they need
// of the session.

func init() {
	requests["textDocument/prepareCallHierarchy"] = (*Server).prepareCallHierarchy
	requests["callHierarchy/incomingCalls"] = (*Server).incomingCalls
	requests["callHierarchy/outgoingCalls"] = (*Server).outgoingCalls
	requests["textDocument/inlayHint"] = (*Server).inlayHint
	requests["textDocument/semanticTokens/full"] = (*Server).semanticTokensFull
	requests["textDocument/semanticTokens/range"] = (*Server).semanticTokensRange
	requests["textDocument/foldingRange"] = (*Server).foldingRange
	requests["textDocument/selectionRange"] = (*Server).selectionRange
	requests["textDocument/documentHighlight"] = (*Server).documentHighlight
	extraCapabilities = append(extraCapabilities, func(c *protocol.ServerCapabilities) {
		c.CallHierarchyProvider = true
		c.FoldingRangeProvider = true
		c.SelectionRangeProvider = true
		c.DocumentHighlightProvider = true
		if c.ExecuteCommandProvider != nil {
			c.ExecuteCommandProvider.Commands = append(c.ExecuteCommandProvider.Commands, cmdNeighbourhood)
		}
	})
	initializeHooks = append(initializeHooks, navInitialize)
}

// cmdNeighbourhood answers the typed neighbourhood of the entity at a
// position, as `seedls graph --format json` prints it.
const cmdNeighbourhood = "seedls.neighbourhood"

// navState is what the navigation features keep of a session.
type navState struct {
	hints        bool // the client shows inlay hints: the provider is advertised
	tokens       bool // the client takes relative semantic tokens
	refreshHints bool // workspace.inlayHint.refreshSupport
	ready        atomic.Bool
	hintsSetting atomic.Bool // seedls.inlayHints.enable as last applied
}

// navInitialize reads the client capabilities the navigation features
// depend on and advertises inlay hints and semantic tokens only to
// clients that declare them, as the specification asks.
func navInitialize(s *Server, params json.RawMessage, c *capabilities) {
	var p struct {
		Capabilities navClientCapabilities `json:"capabilities"`
	}
	_ = json.Unmarshal(params, &p) // already decoded once: what fails here is absent
	tc := p.Capabilities.TextDocument
	n := &s.nav
	n.hints = tc.InlayHint != nil && string(*tc.InlayHint) != "null"
	n.refreshHints = p.Capabilities.Workspace.InlayHint.RefreshSupport
	if st := tc.SemanticTokens; st != nil {
		for _, f := range st.Formats {
			n.tokens = n.tokens || f == "relative"
		}
	}
	if n.hints {
		c.InlayHintProvider = &InlayHintOptions{}
	}
	if n.tokens {
		c.SemanticTokensProvider = SemanticTokensOptions{Legend: tokenLegend, Range: true, Full: true}
	}
	n.hintsSetting.Store(s.ws.inlayHintsEnabled())
	n.ready.Store(true)
}

// initializeHooks let a feature file read the initialize params and
// adjust the capabilities it advertises.
var initializeHooks []func(s *Server, params json.RawMessage, c *capabilities)

// inlayHintsEnabled is the seedls.inlayHints.enable setting.
func (w *workspace) inlayHintsEnabled() bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.settings.InlayHints.Enable
}

// navSettingsApplied runs whenever settings are applied (the workspace's
// lock held): when the inlay hint setting changed after initialize, the
// client is asked to fetch hints again, so that turning them off hides
// them at once.
func (s *Server) navSettingsApplied(st Settings) {
	n := &s.nav
	if n.hintsSetting.Swap(st.InlayHints.Enable) == st.InlayHints.Enable || !n.ready.Load() || !n.hints || !n.refreshHints {
		return
	}
	s.goSafe("refreshing inlay hints", func() {
		if err := s.callTimeout("workspace/inlayHint/refresh", nil, nil); err != nil {
			s.log.Debug("inlay hint refresh", zap.Error(err))
		}
	})
}
