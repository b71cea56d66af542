package lsp

import (
	"encoding/json"
	"fmt"
	"testing"

	"go.lsp.dev/jsonrpc2"
)

// decodeMessage reads every message the library's decoder reads, the same
// way.
func TestDecodeMessage(t *testing.T) {
	for _, frame := range []string{
		`{"jsonrpc":"2.0","id":7,"method":"textDocument/hover","params":{"a":1}}`,
		`{"jsonrpc":"2.0","id":"s-1","method":"shutdown"}`,
		`{"jsonrpc":"2.0","id":8,"method":"shutdown","params":null}`,
		`{"jsonrpc":"2.0","method":"exit","params":{}}`,
		`{"jsonrpc":"2.0","method":"initialized"}`,
		`{"jsonrpc":"2.0","id":3,"result":[{"x":"𝔼"}]}`,
		`{"jsonrpc":"2.0","id":"r","error":{"code":-32601,"message":"no"}}`,
		`{"jsonrpc":"2.0","id":4,"result":null}`,
	} {
		got, err := decodeMessage([]byte(frame))
		if err != nil {
			t.Fatalf("%s: %v", frame, err)
		}
		want, err := jsonrpc2.DecodeMessage([]byte(frame))
		if err != nil {
			t.Fatalf("%s: library: %v", frame, err)
		}
		if describe(got) != describe(want) {
			t.Errorf("%s:\n got %s\nwant %s", frame, describe(got), describe(want))
		}
	}
	for _, bad := range []string{`{"jsonrpc":"2.0"}`, `{not json`, `{"id":{"x":1},"method":"m"}`} {
		if _, err := decodeMessage([]byte(bad)); err == nil {
			t.Errorf("%s: accepted", bad)
		}
	}
}

// describe renders a message with its params or result normalised (null
// and absent alike), the way handlers read them.
func describe(m jsonrpc2.Message) string {
	norm := func(raw json.RawMessage) string {
		if len(raw) == 0 || string(raw) == "null" {
			return "null"
		}
		var v any
		json.Unmarshal(raw, &v)
		out, _ := json.Marshal(v)
		return string(out)
	}
	switch m := m.(type) {
	case *jsonrpc2.Call:
		return fmt.Sprintf("call %v %s %s", m.ID(), m.Method(), norm(m.Params()))
	case *jsonrpc2.Notification:
		return fmt.Sprintf("notification %s %s", m.Method(), norm(m.Params()))
	case *jsonrpc2.Response:
		return fmt.Sprintf("response %v %s %v", m.ID(), norm(m.Result()), m.Err())
	}
	return fmt.Sprintf("%T", m)
}
