package lsp

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"strings"
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

// A reply written around its result must read back as the library's own
// encoding does: same id (numeric and string), same result, null kept.
func TestWriteResult(t *testing.T) {
	for _, tc := range []struct {
		id     jsonrpc2.ID
		result any
	}{
		{jsonrpc2.NewNumberID(7), map[string]any{"label": "a<b>&c", "n": 1.5}},
		{jsonrpc2.NewStringID("slow-1"), []int{1, 2}},
		{jsonrpc2.NewNumberID(0), nil},
	} {
		r, err := jsonrpc2.NewResponse(tc.id, tc.result, nil)
		if err != nil {
			t.Fatal(err)
		}
		var out bytes.Buffer
		s := &stream{out: &out}
		if _, err := s.Write(context.Background(), r); err != nil {
			t.Fatal(err)
		}
		head, body, ok := strings.Cut(out.String(), "\r\n\r\n")
		if !ok || head != "Content-Length: "+strconv.Itoa(len(body)) {
			t.Fatalf("frame %q", out.String())
		}
		want, _ := json.Marshal(r)
		var got, exp any
		if err := json.Unmarshal([]byte(body), &got); err != nil {
			t.Fatalf("body %q: %v", body, err)
		}
		json.Unmarshal(want, &exp)
		if !reflect.DeepEqual(got, exp) {
			t.Errorf("body %s, the library writes %s", body, want)
		}
	}
}
