package lsp

import (
	"encoding/json"
	"testing"

	"github.com/seedls/seedls/graph"
)

func TestParseSettings(t *testing.T) {
	for _, raw := range []string{``, `null`, `[]`, `{"seedls":[]}`, `{}`} {
		s, err := parseSettings(json.RawMessage(raw))
		if err != nil || s.Completion.Limit != 50 {
			t.Errorf("%q: %+v %v", raw, s, err)
		}
	}
	// Both the section itself and the object holding it (VS Code's
	// didChangeConfiguration) are read.
	for _, raw := range []string{
		`{"completion":{"limit":7},"diagnostics":{"severity":{"restated":"off","bogus":"error"}}}`,
		`{"seedls":{"completion":{"limit":7},"diagnostics":{"severity":{"restated":"off","bogus":"error"}}}}`,
	} {
		s, err := parseSettings(json.RawMessage(raw))
		if err != nil || s.Completion.Limit != 7 {
			t.Fatalf("%s: %+v %v", raw, s, err)
		}
		sevs, problems := s.severities()
		if sevs[graph.CodeRestated] != graph.SeverityOff || len(problems) != 1 {
			t.Errorf("%s: %v %v", raw, sevs, problems)
		}
	}
	if _, err := parseSettings(json.RawMessage(`{"completion":{"limit":"many"}}`)); err == nil {
		t.Error("a bad setting is not reported")
	}
	// A removed setting still set is reported, not silently ignored.
	for raw, n := range map[string]int{`{"nearDuplicate":{"similarity":0.8}}`: 1, `{"nearDuplicate":{"similarity":0}}`: 0} {
		if s, err := parseSettings(json.RawMessage(raw)); err != nil || len(s.removed) != n {
			t.Errorf("%s: removed %v, %v", raw, s.removed, err)
		}
	}
}
