package lsptest

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

// The test binary doubles as the fake language server.
func TestMain(m *testing.M) {
	if os.Getenv("LSPTEST_FAKE") == "1" {
		os.Exit(fakeServer())
	}
	os.Exit(m.Run())
}

// fakeServer is a tiny LSP server speaking over stdin/stdout. It returns
// the process exit code.
func fakeServer() int {
	fmt.Fprintln(os.Stderr, "fake: started")
	in := bufio.NewReader(os.Stdin)
	out := bufio.NewWriter(os.Stdout)
	send := func(msg map[string]any) {
		msg["jsonrpc"] = "2.0"
		b, err := json.Marshal(msg)
		if err != nil {
			panic(err)
		}
		fmt.Fprintf(out, "Content-Length: %d\r\n\r\n%s", len(b), b)
		out.Flush()
	}
	reply := func(id json.RawMessage, result any) {
		send(map[string]any{"id": id, "result": result})
	}
	replyErr := func(id json.RawMessage, code int, msg string, data any) {
		e := map[string]any{"code": code, "message": msg}
		if data != nil {
			e["data"] = data
		}
		send(map[string]any{"id": id, "error": e})
	}
	shutdown := false
	exitCode := -1
	slow := map[string]json.RawMessage{} // pending fake/slow requests by id
	for {
		body, err := readFrame(in)
		if err != nil {
			fmt.Fprintln(os.Stderr, "fake: read:", err)
			return 4
		}
		var msg struct {
			ID     json.RawMessage `json:"id"`
			Method string          `json:"method"`
			Params json.RawMessage `json:"params"`
			Result json.RawMessage `json:"result"`
			Error  json.RawMessage `json:"error"`
		}
		if err := json.Unmarshal(body, &msg); err != nil {
			send(map[string]any{"id": nil, "error": map[string]any{"code": CodeParseError, "message": "parse error: " + err.Error()}})
			continue
		}
		if msg.Method == "" {
			// A response to one of our requests: report it as a notification.
			send(map[string]any{"method": "fake/response", "params": map[string]any{
				"id": msg.ID, "result": msg.Result, "error": msg.Error,
			}})
			continue
		}
		switch msg.Method {
		case "initialize":
			reply(msg.ID, map[string]any{
				"capabilities": map[string]any{"hoverProvider": true},
				"serverInfo":   map[string]any{"name": "fake"},
				"echo":         msg.Params,
			})
		case "initialized":
			send(map[string]any{"id": "cfg-1", "method": "workspace/configuration", "params": map[string]any{
				"items": []any{map[string]any{"section": "fake"}, map[string]any{"section": "missing"}},
			}})
			send(map[string]any{"id": 7, "method": "window/workDoneProgress/create", "params": map[string]any{"token": "t"}})
			send(map[string]any{"id": 8, "method": "fake/unknownClientMethod", "params": map[string]any{}})
			send(map[string]any{"id": 9, "method": "workspace/applyEdit", "params": map[string]any{"edit": map[string]any{}}})
			send(map[string]any{"id": 10, "method": "fake/handled", "params": map[string]any{"q": 1}})
		case "textDocument/didOpen":
			var p struct {
				TextDocument struct {
					URI     string `json:"uri"`
					Version int    `json:"version"`
					Text    string `json:"text"`
				} `json:"textDocument"`
			}
			json.Unmarshal(msg.Params, &p)
			td := p.TextDocument
			send(map[string]any{"method": "textDocument/publishDiagnostics", "params": map[string]any{
				"uri": td.URI, "version": td.Version, "diagnostics": []any{},
			}})
			start := PositionOf(td.Text, "bad", 0)
			end := PositionOf(td.Text, "bad", 3)
			send(map[string]any{"method": "textDocument/publishDiagnostics", "params": map[string]any{
				"uri": td.URI, "version": td.Version, "diagnostics": []any{map[string]any{
					"range":    map[string]any{"start": start, "end": end},
					"severity": 1, "code": "E1", "source": "fake", "message": "bad word",
				}},
			}})
		case "textDocument/hover":
			reply(msg.ID, map[string]any{"echo": msg.Params})
		case "fake/error":
			replyErr(msg.ID, -32001, "boom", map[string]any{"x": 1})
		case "fake/slow":
			slow[string(msg.ID)] = msg.ID
			send(map[string]any{"method": "fake/slowStarted", "params": map[string]any{"id": msg.ID}})
		case "$/cancelRequest":
			var p struct {
				ID json.RawMessage `json:"id"`
			}
			json.Unmarshal(msg.Params, &p)
			if id, ok := slow[string(p.ID)]; ok {
				delete(slow, string(p.ID))
				replyErr(id, CodeRequestCancelled, "cancelled", nil)
			}
		case "fake/crash":
			fmt.Fprintln(os.Stderr, "fake: panic: something broke")
			return 3
		case "fake/exitCode":
			json.Unmarshal(msg.Params, &exitCode)
		case "shutdown":
			shutdown = true
			reply(msg.ID, nil)
		case "exit":
			if exitCode >= 0 {
				return exitCode
			}
			if shutdown {
				return 0
			}
			return 1
		default:
			if len(msg.ID) > 0 {
				replyErr(msg.ID, CodeMethodNotFound, "no such method: "+msg.Method, nil)
			}
		}
	}
}

func startFake(t *testing.T, settings map[string]any) *Client {
	t.Helper()
	return startFakeHandler(t, settings, nil)
}

func startFakeHandler(t *testing.T, settings map[string]any, handler func(string, json.RawMessage) (any, bool, error)) *Client {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	c, err := Start(Options{
		Bin: exe,
		// atexit_sleep_ms: a -race binary otherwise sleeps 1s before exiting 0.
		Env:      []string{"LSPTEST_FAKE=1", "GORACE=atexit_sleep_ms=0"},
		Dir:      t.TempDir(),
		Settings: settings,
		Log:      t.Logf,
		Handler:  handler,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Kill)
	return c
}

func testCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func startInitialized(t *testing.T, settings map[string]any) (*Client, json.RawMessage) {
	t.Helper()
	c := startFake(t, settings)
	res, err := c.Initialize(testCtx(t), t.TempDir(), nil, settings)
	if err != nil {
		t.Fatal(err)
	}
	if settings == nil && strings.Contains(string(res), "initializationOptions") {
		t.Errorf("a nil map was sent as initializationOptions: %s", res)
	}
	return c, res
}

func TestCallResponse(t *testing.T) {
	ctx := testCtx(t)
	settings := map[string]any{"fake": map[string]any{"verbose": true}}
	c := startFake(t, settings)
	root := filepath.Join(t.TempDir(), "my root")
	res, err := c.Initialize(ctx, root, nil, settings)
	if err != nil {
		t.Fatal(err)
	}
	var init struct {
		ServerInfo struct{ Name string } `json:"serverInfo"`
		Echo       struct {
			ProcessID        int    `json:"processId"`
			RootURI          string `json:"rootUri"`
			WorkspaceFolders []struct {
				URI  string `json:"uri"`
				Name string `json:"name"`
			} `json:"workspaceFolders"`
			Capabilities struct {
				TextDocument struct {
					Hover struct {
						ContentFormat []string `json:"contentFormat"`
					} `json:"hover"`
				} `json:"textDocument"`
				Window struct {
					WorkDoneProgress bool `json:"workDoneProgress"`
				} `json:"window"`
			} `json:"capabilities"`
			InitializationOptions map[string]any `json:"initializationOptions"`
		} `json:"echo"`
	}
	if err := json.Unmarshal(res, &init); err != nil {
		t.Fatal(err)
	}
	if init.ServerInfo.Name != "fake" {
		t.Errorf("serverInfo.name = %q", init.ServerInfo.Name)
	}
	e := init.Echo
	if e.ProcessID != os.Getpid() {
		t.Errorf("processId = %d, want %d", e.ProcessID, os.Getpid())
	}
	if want := FileURI(root); e.RootURI != want || !strings.Contains(want, "my%20root") {
		t.Errorf("rootUri = %q, want %q", e.RootURI, want)
	}
	if len(e.WorkspaceFolders) != 1 || e.WorkspaceFolders[0].URI != e.RootURI || e.WorkspaceFolders[0].Name != "my root" {
		t.Errorf("workspaceFolders = %+v", e.WorkspaceFolders)
	}
	if got := e.Capabilities.TextDocument.Hover.ContentFormat; !reflect.DeepEqual(got, []string{"markdown", "plaintext"}) {
		t.Errorf("hover.contentFormat = %v", got)
	}
	if !e.Capabilities.Window.WorkDoneProgress {
		t.Error("window.workDoneProgress not set")
	}
	if !reflect.DeepEqual(e.InitializationOptions, map[string]any{"fake": map[string]any{"verbose": true}}) {
		t.Errorf("initializationOptions = %v", e.InitializationOptions)
	}

	// Hover echoes its params.
	params := map[string]any{
		"textDocument": map[string]any{"uri": "file:///x.go"},
		"position":     Position{Line: 1, Character: 2},
	}
	var hover struct {
		Echo struct {
			TextDocument struct{ URI string } `json:"textDocument"`
			Position     Position             `json:"position"`
		} `json:"echo"`
	}
	if err := c.Call(ctx, "textDocument/hover", params, &hover); err != nil {
		t.Fatal(err)
	}
	if hover.Echo.TextDocument.URI != "file:///x.go" || hover.Echo.Position != (Position{1, 2}) {
		t.Errorf("hover echo = %+v", hover.Echo)
	}
	if err := c.Call(ctx, "textDocument/hover", params, nil); err != nil {
		t.Fatal(err)
	}

	// Error replies.
	err = c.Call(ctx, "fake/error", nil, nil)
	var rpcErr *RPCError
	if !errors.As(err, &rpcErr) || rpcErr.Code != -32001 || rpcErr.Message != "boom" || string(rpcErr.Data) != `{"x":1}` {
		t.Errorf("fake/error: %v", err)
	}
	_, err = c.CallRaw(ctx, "no/such", nil)
	if !errors.As(err, &rpcErr) || rpcErr.Code != CodeMethodNotFound {
		t.Errorf("no/such: %v", err)
	}

	// Many concurrent calls are matched to the right callers.
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var r struct {
				Echo struct{ Position Position } `json:"echo"`
			}
			p := map[string]any{"position": Position{Line: i, Character: i * 2}}
			if err := c.Call(ctx, "textDocument/hover", p, &r); err != nil {
				t.Error(err)
			} else if r.Echo.Position != (Position{i, i * 2}) {
				t.Errorf("call %d got %+v", i, r.Echo.Position)
			}
		}()
	}
	wg.Wait()

	if !strings.Contains(c.Stderr(), "fake: started") {
		t.Errorf("Stderr() = %q", c.Stderr())
	}
	if c.Pid() <= 0 {
		t.Errorf("Pid() = %d", c.Pid())
	}
	if err := c.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
	if code, err := c.Wait(); code != 0 || err != nil {
		t.Errorf("Wait() = %d, %v", code, err)
	}
}

func TestServerRequests(t *testing.T) {
	ctx := testCtx(t)
	settings := map[string]any{"fake": map[string]any{"level": "high", "n": 3.0}}
	c := startFakeHandler(t, settings, func(method string, params json.RawMessage) (any, bool, error) {
		if method == "fake/handled" {
			return map[string]any{"got": params}, true, nil
		}
		return nil, false, nil
	})
	if _, err := c.Initialize(ctx, t.TempDir(), nil, settings); err != nil {
		t.Fatal(err)
	}

	isID := func(id string) func(json.RawMessage) bool {
		return func(p json.RawMessage) bool {
			var r struct{ ID json.RawMessage }
			json.Unmarshal(p, &r)
			return string(r.ID) == id
		}
	}
	type resp struct {
		Result json.RawMessage
		Error  *RPCError
	}
	get := func(id string) resp {
		p, err := c.WaitNotification(ctx, "fake/response", isID(id))
		if err != nil {
			t.Fatal(err)
		}
		var r resp
		if err := json.Unmarshal(p, &r); err != nil {
			t.Fatal(err)
		}
		return r
	}

	// workspace/configuration is answered with the settings, null for a
	// missing section.
	r := get(`"cfg-1"`)
	var cfg []any
	if err := json.Unmarshal(r.Result, &cfg); err != nil {
		t.Fatalf("configuration result %s: %v", r.Result, err)
	}
	if want := []any{map[string]any{"level": "high", "n": 3.0}, nil}; !reflect.DeepEqual(cfg, want) {
		t.Errorf("configuration result = %v, want %v", cfg, want)
	}
	if reqs := c.ServerRequests("workspace/configuration"); len(reqs) != 1 || !strings.Contains(string(reqs[0]), `"section":"missing"`) {
		t.Errorf("ServerRequests = %s", reqs)
	}

	// window/workDoneProgress/create gets a null result.
	if r := get("7"); string(r.Result) != "null" || r.Error != nil {
		t.Errorf("progress create reply = %s %v", r.Result, r.Error)
	}
	// Unknown requests get MethodNotFound.
	if r := get("8"); r.Error == nil || r.Error.Code != CodeMethodNotFound {
		t.Errorf("unknown request reply = %s %v", r.Result, r.Error)
	}
	// workspace/applyEdit is declined.
	if r := get("9"); string(r.Result) != `{"applied":false}` || r.Error != nil {
		t.Errorf("applyEdit reply = %s %v", r.Result, r.Error)
	}
	// Options.Handler comes first.
	if r := get("10"); string(r.Result) != `{"got":{"q":1}}` || r.Error != nil {
		t.Errorf("handled request reply = %s %v", r.Result, r.Error)
	}
	if got := len(c.Notifications("fake/response")); got != 5 {
		t.Errorf("%d fake/response notifications, want 5", got)
	}

	// After Reset, WaitNotification only sees new notifications.
	c.Reset()
	if n := c.Notifications("fake/response"); len(n) != 0 {
		t.Errorf("after Reset: %s", n)
	}
	short, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
	defer cancel()
	if _, err := c.WaitNotification(short, "fake/response", nil); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("WaitNotification after Reset: %v", err)
	}
}

func TestDiagnostics(t *testing.T) {
	ctx := testCtx(t)
	c, _ := startInitialized(t, nil)
	path := filepath.Join(t.TempDir(), "dir with space", "a.go")
	uri := FileURI(path)
	text := "package a\n// 𝔼·x bad\n"
	if _, _, ok := c.Diagnostics(uri); ok {
		t.Fatal("diagnostics before didOpen")
	}
	err := c.Notify("textDocument/didOpen", map[string]any{"textDocument": map[string]any{
		"uri": uri, "languageId": "go", "version": 3, "text": text,
	}})
	if err != nil {
		t.Fatal(err)
	}
	diags, err := c.WaitDiagnostics(ctx, uri, func(d []Diagnostic) bool { return len(d) > 0 })
	if err != nil {
		t.Fatal(err)
	}
	want := Diagnostic{
		// "// " is 3, "𝔼" 2 UTF-16 units, "·x " 3.
		Range:    Range{Start: Position{1, 8}, End: Position{1, 11}},
		Severity: 1, Code: "E1", Source: "fake", Message: "bad word",
	}
	if len(diags) != 1 || !reflect.DeepEqual(diags[0], want) {
		t.Errorf("diagnostics = %+v, want %+v", diags, want)
	}
	version, latest, ok := c.Diagnostics(uri)
	if !ok || version == nil || *version != 3 || len(latest) != 1 {
		t.Errorf("Diagnostics() = %v, %v, %v", version, latest, ok)
	}
	if n := len(c.Notifications("textDocument/publishDiagnostics")); n != 2 {
		t.Errorf("%d publishDiagnostics, want 2", n)
	}
	// Waiting for something that never comes times out with context.DeadlineExceeded.
	short, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancel()
	_, err = c.WaitDiagnostics(short, uri, func(d []Diagnostic) bool { return len(d) == 0 })
	if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "bad word") {
		t.Errorf("WaitDiagnostics: %v", err)
	}
}

func TestPositionOf(t *testing.T) {
	text := "a𝔼b·c\r\nx·𝔼yz\n\nend"
	tests := []struct {
		needle string
		off    int
		want   Position
	}{
		{"a", 0, Position{0, 0}},
		{"𝔼", 0, Position{0, 1}},
		{"𝔼", 4, Position{0, 3}}, // just after 𝔼: 2 UTF-16 units
		{"b", 0, Position{0, 3}},
		{"·", 0, Position{0, 4}},
		{"c", 0, Position{0, 5}}, // · is one UTF-16 unit (two UTF-8 bytes)
		{"c", 1, Position{0, 6}}, // before "\r\n"
		{"x", 0, Position{1, 0}},
		{"y", 0, Position{1, 4}},
		{"yz", 2, Position{1, 6}},
		{"end", 0, Position{3, 0}},
		{"end", 3, Position{3, 3}},
	}
	for _, tt := range tests {
		if got := PositionOf(text, tt.needle, tt.off); got != tt.want {
			t.Errorf("PositionOf(%q, %d) = %+v, want %+v", tt.needle, tt.off, got, tt.want)
		}
	}
	mustPanic := func(name string, f func()) {
		t.Helper()
		defer func() {
			if recover() == nil {
				t.Errorf("%s did not panic", name)
			}
		}()
		f()
	}
	mustPanic("missing needle", func() { PositionOf(text, "nope", 0) })
	mustPanic("inside a rune", func() { PositionOf(text, "𝔼", 1) })
	mustPanic("past the end", func() { PositionOf(text, "end", 4) })
}

func TestFileURI(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("unix paths")
	}
	tests := map[string]string{
		"/tmp/a b/c.go":           "file:///tmp/a%20b/c.go",
		"/x/c+d#e:f@g(h)~-_.go":   "file:///x/c%2Bd%23e%3Af%40g%28h%29~-_.go",
		"/home/é/𝔼.go":            "file:///home/%C3%A9/%F0%9D%94%BC.go",
		"/a//b/../c":              "file:///a/c",
		"/Users/Me/Go/src/x.go":   "file:///Users/Me/Go/src/x.go",
		"/p/100%/q?r=s&t=u;v,w$!": "file:///p/100%25/q%3Fr%3Ds%26t%3Du%3Bv%2Cw%24%21",
	}
	for in, want := range tests {
		if got := FileURI(in); got != want {
			t.Errorf("FileURI(%q) = %q, want %q", in, got, want)
		}
	}
	wd, _ := os.Getwd()
	if got, want := FileURI("rel"), FileURI(filepath.Join(wd, "rel")); got != want {
		t.Errorf("FileURI(rel) = %q, want %q", got, want)
	}
}

func TestShutdownExitCode(t *testing.T) {
	ctx := testCtx(t)
	c, _ := startInitialized(t, nil)
	if err := c.Notify("fake/exitCode", 3); err != nil {
		t.Fatal(err)
	}
	err := c.Shutdown(ctx)
	if err == nil || !strings.Contains(err.Error(), "exited with code 3") || !strings.Contains(err.Error(), "fake: started") {
		t.Fatalf("Shutdown() = %v, want exit code 3 error with stderr", err)
	}
	if code, err := c.Wait(); code != 3 || err != nil {
		t.Errorf("Wait() = %d, %v", code, err)
	}
	// After the server is gone, calls fail at once.
	if err := c.Call(ctx, "textDocument/hover", nil, nil); err == nil {
		t.Error("call after exit succeeded")
	}
}

func waitSlowStarted(t *testing.T, ctx context.Context, c *Client, id string) {
	t.Helper()
	_, err := c.WaitNotification(ctx, "fake/slowStarted", func(p json.RawMessage) bool {
		return strings.Contains(string(p), `"id":`+id)
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestKillFailsPendingCalls(t *testing.T) {
	ctx := testCtx(t)
	c, _ := startInitialized(t, nil)
	errc := make(chan error, 1)
	go func() { errc <- c.Call(ctx, "fake/slow", nil, nil) }()
	// Call ids start at 1 and initialize took it.
	waitSlowStarted(t, ctx, c, "2")
	c.Kill()
	select {
	case err := <-errc:
		if err == nil || errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), "connection to server lost") ||
			!strings.Contains(err.Error(), "fake: started") {
			t.Errorf("pending call: %v", err)
		}
		t.Log(err)
	case <-time.After(10 * time.Second):
		t.Fatal("pending call did not fail after Kill")
	}
	if code, err := c.Wait(); code != -1 || err == nil {
		t.Errorf("Wait() after Kill = %d, %v", code, err)
	}
	if _, err := c.CallRaw(ctx, "textDocument/hover", nil); err == nil || !strings.Contains(err.Error(), "connection to server lost") {
		t.Errorf("call after Kill: %v", err)
	}
	if _, err := c.WaitDiagnostics(ctx, "file:///none", nil); err == nil || errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("WaitDiagnostics after Kill: %v", err)
	}
	c.Kill() // idempotent
}

func TestCrashReportsStderr(t *testing.T) {
	ctx := testCtx(t)
	c, _ := startInitialized(t, nil)
	err := c.Call(ctx, "fake/crash", nil, nil)
	if err == nil || !strings.Contains(err.Error(), "something broke") || !strings.Contains(err.Error(), "code 3") {
		t.Fatalf("crash: %v", err)
	}
	t.Log(err)
}

func TestContextCancelDropsCall(t *testing.T) {
	ctx := testCtx(t)
	c, _ := startInitialized(t, nil)
	short, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
	defer cancel()
	if err := c.Call(short, "fake/slow", nil, nil); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("slow call: %v", err)
	}
	// The client is still usable.
	if err := c.Call(ctx, "textDocument/hover", map[string]any{}, nil); err != nil {
		t.Fatal(err)
	}
	// A reply to the abandoned call becomes an unmatched response.
	if err := c.Cancel(2); err != nil {
		t.Fatal(err)
	}
	msg, err := c.WaitUnmatchedResponse(ctx, nil)
	if err != nil || !strings.Contains(string(msg), `"id":2`) || !strings.Contains(string(msg), "-32800") {
		t.Errorf("unmatched = %s, %v", msg, err)
	}
}

func TestCallIDAndCancel(t *testing.T) {
	ctx := testCtx(t)
	c, _ := startInitialized(t, nil)
	errc := make(chan error, 1)
	go func() {
		_, err := c.CallID(ctx, "abc", "fake/slow", map[string]any{})
		errc <- err
	}()
	waitSlowStarted(t, ctx, c, `"abc"`)
	if _, err := c.CallID(ctx, "abc", "fake/slow", nil); err == nil || !strings.Contains(err.Error(), "already pending") {
		t.Errorf("duplicate id: %v", err)
	}
	if err := c.Cancel("abc"); err != nil {
		t.Fatal(err)
	}
	var rpcErr *RPCError
	if err := <-errc; !errors.As(err, &rpcErr) || rpcErr.Code != CodeRequestCancelled {
		t.Errorf("cancelled call: %v", err)
	}
	// A numeric id of one's choosing.
	raw, err := c.CallID(ctx, 1000, "textDocument/hover", map[string]any{"k": "v"})
	if err != nil || !strings.Contains(string(raw), `"k":"v"`) {
		t.Errorf("CallID(1000) = %s, %v", raw, err)
	}
	if _, err := c.CallID(ctx, []int{1}, "textDocument/hover", nil); err == nil {
		t.Error("CallID accepted a non-scalar id")
	}
}

func TestSendRawMalformed(t *testing.T) {
	ctx := testCtx(t)
	c, _ := startInitialized(t, nil)
	if err := c.SendRaw([]byte("Content-Length: 5\r\n\r\n{bad}")); err != nil {
		t.Fatal(err)
	}
	msg, err := c.WaitUnmatchedResponse(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	var r struct {
		ID    json.RawMessage
		Error *RPCError
	}
	if err := json.Unmarshal(msg, &r); err != nil || string(r.ID) != "null" || r.Error == nil || r.Error.Code != CodeParseError {
		t.Errorf("reply to malformed frame = %s (%v)", msg, err)
	}
	if err := c.Call(ctx, "textDocument/hover", map[string]any{}, nil); err != nil {
		t.Fatal(err)
	}
}

func TestCloseStdin(t *testing.T) {
	c, _ := startInitialized(t, nil)
	if err := c.CloseStdin(); err != nil {
		t.Fatal(err)
	}
	if code, err := c.Wait(); code != 4 || err != nil {
		t.Errorf("Wait() = %d, %v; want 4 (fake exits 4 on EOF)", code, err)
	}
	if !strings.Contains(c.Stderr(), "fake: read: EOF") {
		t.Errorf("Stderr() = %q", c.Stderr())
	}
	if err := c.Notify("x", nil); err == nil {
		t.Error("Notify after CloseStdin succeeded")
	}
}

func TestReadFrame(t *testing.T) {
	in := "content-length: 2\nContent-Type: application/vscode-jsonrpc; charset=utf-8\n\n{}" +
		"Content-Length:3\r\n\r\n[1]"
	r := bufio.NewReader(strings.NewReader(in))
	for _, want := range []string{"{}", "[1]"} {
		b, err := readFrame(r)
		if err != nil || string(b) != want {
			t.Fatalf("readFrame = %q, %v; want %q", b, err, want)
		}
	}
	if _, err := readFrame(r); err == nil || err.Error() != "EOF" {
		t.Errorf("at end: %v", err)
	}
	for _, bad := range []string{"Content-Length: 10\r\n\r\n{}", "X: 1\r\n\r\n{}", "Content-Length: x\r\n\r\n", "Content-Length: 2\r\n"} {
		if _, err := readFrame(bufio.NewReader(strings.NewReader(bad))); err == nil {
			t.Errorf("readFrame(%q) succeeded", bad)
		}
	}
}
