// Package lsptest is a small Language Server Protocol client for end-to-end
// tests and benchmarks. It starts a language server binary and speaks LSP
// (JSON-RPC 2.0 with Content-Length framing) over the server's stdin and
// stdout, the way an editor does.
//
// A reader goroutine parses every frame the server writes: responses are
// matched to pending calls by id, requests from the server are answered
// automatically (see Options.Handler) and recorded, and notifications are
// recorded and wake up waiters. Everything is safe for concurrent use.
//
// Typical use:
//
//	c, err := lsptest.Start(lsptest.Options{Bin: bin, Args: []string{"serve"}, Log: t.Logf})
//	if err != nil { t.Fatal(err) }
//	t.Cleanup(c.Kill)
//	if _, err := c.Initialize(ctx, dir, nil, nil); err != nil { t.Fatal(err) }
//	...
//	if err := c.Shutdown(ctx); err != nil { t.Fatal(err) }
//
// After Kill, Wait or Shutdown has returned, the client no longer calls
// Options.Log, so t.Logf may be used safely together with t.Cleanup(c.Kill).
package lsptest

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
	"unicode/utf16"
	"unicode/utf8"
)

// JSON-RPC and LSP error codes.
const (
	CodeParseError       = -32700
	CodeInvalidRequest   = -32600
	CodeMethodNotFound   = -32601
	CodeInvalidParams    = -32602
	CodeInternalError    = -32603
	CodeServerNotInit    = -32002
	CodeRequestFailed    = -32803
	CodeServerCancelled  = -32802
	CodeContentModified  = -32801
	CodeRequestCancelled = -32800
)

// Options configure Start.
type Options struct {
	Bin  string   // path to the server binary
	Args []string // e.g. []string{"serve"}
	Env  []string // extra environment (appended to os.Environ())
	Dir  string   // working directory

	// Settings answers workspace/configuration requests: for each item,
	// the value of Settings[item.Section] (nil when absent). The whole map
	// is also what tests pass as initializationOptions themselves.
	// Start takes a shallow copy; use Client.SetSettings to change it later.
	Settings map[string]any

	// Stderr receives the server's stderr. Whether or not it is set, the
	// client keeps a copy readable with Client.Stderr (the last 8 MiB when
	// Stderr is nil, the last 64 KiB otherwise).
	Stderr io.Writer

	// Log, when set, traces every message sent and received (t.Logf).
	// Very long messages are truncated in the trace.
	Log func(format string, args ...any)

	// Handler, when set, is consulted first for every request the server
	// sends to the client. If it returns handled=false the default answer
	// is used (see Client). A non-nil err is sent as an error reply: an
	// *RPCError as is, anything else as InternalError. It runs on its own
	// goroutine, never on the reader.
	Handler func(method string, params json.RawMessage) (result any, handled bool, err error)

	// SysProcAttr, when set, is the server process's (to run it as
	// another user, say).
	SysProcAttr *syscall.SysProcAttr
}

// RPCError is a JSON-RPC error reply.
type RPCError struct {
	Code    int             `json:"code"`
	Message string          `json:"message"`
	Data    json.RawMessage `json:"data,omitempty"`
}

func (e *RPCError) Error() string {
	if len(e.Data) > 0 && string(e.Data) != "null" {
		return fmt.Sprintf("jsonrpc error %d: %s (data: %s)", e.Code, e.Message, e.Data)
	}
	return fmt.Sprintf("jsonrpc error %d: %s", e.Code, e.Message)
}

// Position is an LSP position: zero-based line and UTF-16 character offset.
type Position struct {
	Line      int `json:"line"`
	Character int `json:"character"`
}

// Range is an LSP range.
type Range struct {
	Start Position `json:"start"`
	End   Position `json:"end"`
}

// Diagnostic is an LSP diagnostic as published by the server.
type Diagnostic struct {
	Range              Range           `json:"range"`
	Severity           int             `json:"severity"`
	Code               any             `json:"code"`
	Source             string          `json:"source"`
	Message            string          `json:"message"`
	Tags               []int           `json:"tags,omitempty"`
	RelatedInformation json.RawMessage `json:"relatedInformation,omitempty"`
	Data               json.RawMessage `json:"data,omitempty"`
}

type response struct {
	result json.RawMessage
	err    error
}

type notification struct {
	method string
	params json.RawMessage
}

// diagState is the latest publish for a URI. The list is decoded when it
// is asked for: a first start publishes thousands, and a client that
// decoded each as it came would be what a benchmark measures.
type diagState struct {
	version *int
	raw     json.RawMessage
	diags   []Diagnostic
	err     error
	decoded bool
}

func (d *diagState) decode() {
	if d.decoded {
		return
	}
	d.decoded = true
	if err := json.Unmarshal(d.raw, &d.diags); err != nil {
		d.err = fmt.Errorf("bad publishDiagnostics diagnostics: %w", err)
	}
	if d.diags == nil {
		d.diags = []Diagnostic{}
	}
	d.raw = nil
}

// Client is a connection to a running language server process.
//
// Requests from the server are answered automatically:
// workspace/configuration with the settings (see Options.Settings);
// window/workDoneProgress/create, client/registerCapability and
// client/unregisterCapability with a null result; workspace/applyEdit with
// {"applied":false}; anything else with a MethodNotFound error. They are
// recorded too (ServerRequests).
type Client struct {
	opt    Options
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	stdout *os.File
	stderr *tailBuffer

	wmu sync.Mutex // serializes writes to stdin

	mu         sync.Mutex
	nextID     int64
	pending    map[string]chan response
	settings   map[string]any
	notifs     []notification
	diags      map[string]*diagState
	serverReqs map[string][]json.RawMessage
	unmatched  []json.RawMessage
	gen        int           // incremented by Reset
	changed    chan struct{} // closed and replaced whenever something is recorded
	closedErr  error         // set once the reader has stopped

	bg         sync.WaitGroup // reply goroutines
	readerDone chan struct{}
	exited     chan struct{}
	exitCode   int
	waitErr    error
}

// Start starts the server process and the reader goroutine.
func Start(opt Options) (*Client, error) {
	if opt.Bin == "" {
		return nil, errors.New("lsptest: Options.Bin is empty")
	}
	c := &Client{
		opt:        opt,
		pending:    make(map[string]chan response),
		settings:   copySettings(opt.Settings),
		diags:      make(map[string]*diagState),
		serverReqs: make(map[string][]json.RawMessage),
		changed:    make(chan struct{}),
		readerDone: make(chan struct{}),
		exited:     make(chan struct{}),
	}
	limit := 8 << 20
	if opt.Stderr != nil {
		limit = 64 << 10
	}
	c.stderr = &tailBuffer{limit: limit}

	cmd := exec.Command(opt.Bin, opt.Args...)
	cmd.Env = append(os.Environ(), opt.Env...)
	cmd.Dir = opt.Dir
	cmd.SysProcAttr = opt.SysProcAttr
	if opt.Stderr != nil {
		cmd.Stderr = io.MultiWriter(c.stderr, opt.Stderr)
	} else {
		cmd.Stderr = c.stderr
	}
	// Bound the wait for the stderr copy when a grandchild keeps it open.
	cmd.WaitDelay = 2 * time.Second
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	// Our own pipe for stdout (not cmd.StdoutPipe): cmd.Wait must not close
	// the read end before the reader has drained what the server wrote.
	pr, pw, err := os.Pipe()
	if err != nil {
		stdin.Close()
		return nil, err
	}
	cmd.Stdout = pw
	if err := cmd.Start(); err != nil {
		stdin.Close()
		pr.Close()
		pw.Close()
		return nil, fmt.Errorf("lsptest: starting %s: %w", opt.Bin, err)
	}
	pw.Close()
	c.cmd, c.stdin, c.stdout = cmd, stdin, pr

	go c.waitProcess()
	go c.readLoop()
	return c, nil
}

func copySettings(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// SetSettings replaces the settings used to answer workspace/configuration
// (shallow copy). Useful before sending workspace/didChangeConfiguration.
func (c *Client) SetSettings(settings map[string]any) {
	s := copySettings(settings)
	c.mu.Lock()
	c.settings = s
	c.mu.Unlock()
}

func (c *Client) waitProcess() {
	err := c.cmd.Wait()
	code := -1
	if c.cmd.ProcessState != nil {
		code = c.cmd.ProcessState.ExitCode()
	}
	var ee *exec.ExitError
	if errors.As(err, &ee) && code >= 0 {
		// An ordinary non-zero exit status is reported through the code.
		err = nil
	}
	c.exitCode, c.waitErr = code, err
	close(c.exited)
	// If a grandchild inherited stdout and keeps it open, the reader would
	// never see EOF: give it a moment to drain, then close our end.
	select {
	case <-c.readerDone:
	case <-time.After(2 * time.Second):
		c.stdout.Close()
	}
}

// ---- reading ----

func (c *Client) logf(format string, args ...any) {
	if c.opt.Log != nil {
		c.opt.Log(format, args...)
	}
}

func (c *Client) logMsg(dir string, body []byte) {
	if c.opt.Log == nil {
		return
	}
	const max = 4096
	if len(body) > max {
		c.opt.Log("lsptest %s %s... (%d bytes)", dir, body[:max], len(body))
		return
	}
	c.opt.Log("lsptest %s %s", dir, body)
}

// readFrame reads one Content-Length framed message.
func readFrame(r *bufio.Reader) ([]byte, error) {
	length := -1
	sawHeader := false
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			if err == io.EOF && (sawHeader || line != "") {
				return nil, io.ErrUnexpectedEOF
			}
			return nil, err
		}
		sawHeader = true
		line = strings.TrimRight(line, "\r\n")
		if line == "" {
			break
		}
		name, value, ok := strings.Cut(line, ":")
		if !ok {
			return nil, fmt.Errorf("malformed header line %q", line)
		}
		if strings.EqualFold(strings.TrimSpace(name), "Content-Length") {
			n, err := strconv.Atoi(strings.TrimSpace(value))
			if err != nil || n < 0 {
				return nil, fmt.Errorf("bad Content-Length %q", value)
			}
			length = n
		}
	}
	if length < 0 {
		return nil, errors.New("frame without Content-Length header")
	}
	body := make([]byte, length)
	if _, err := io.ReadFull(r, body); err != nil {
		if err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		return nil, err
	}
	return body, nil
}

func (c *Client) readLoop() {
	defer close(c.readerDone)
	r := bufio.NewReaderSize(c.stdout, 64<<10)
	var cause error
	for {
		body, err := readFrame(r)
		if err != nil {
			if err == io.EOF {
				cause = errors.New("server closed stdout")
			} else {
				cause = fmt.Errorf("reading from server: %w", err)
			}
			break
		}
		c.logMsg("←", body)
		if err := c.dispatch(body); err != nil {
			cause = fmt.Errorf("protocol error: %w (message: %s)", err, truncate(body, 512))
			// Keep draining so the server never blocks on a full pipe.
			go io.Copy(io.Discard, r) //nolint:errcheck
			break
		}
	}
	// Let the process exit (and its stderr be copied) so that the error
	// carries the exit status and the tail of stderr.
	select {
	case <-c.exited:
	case <-time.After(time.Second):
	}
	err := c.deathError(cause)
	c.logf("lsptest: %v", err)
	c.mu.Lock()
	c.closedErr = err
	for id, ch := range c.pending {
		ch <- response{err: err}
		delete(c.pending, id)
	}
	c.broadcastLocked()
	c.mu.Unlock()
}

func (c *Client) deathError(cause error) error {
	var b strings.Builder
	b.WriteString("connection to server lost: ")
	b.WriteString(cause.Error())
	select {
	case <-c.exited:
		fmt.Fprintf(&b, "; server exited with code %d", c.exitCode)
		if c.waitErr != nil {
			fmt.Fprintf(&b, " (%v)", c.waitErr)
		}
	default:
		b.WriteString("; server process still running")
	}
	tail := c.stderr.tail(2048)
	if strings.TrimSpace(tail) == "" {
		b.WriteString("; stderr is empty")
	} else {
		b.WriteString("; stderr tail:\n")
		b.WriteString(tail)
	}
	return errors.New(b.String())
}

func truncate(b []byte, n int) string {
	if len(b) > n {
		return string(b[:n]) + "..."
	}
	return string(b)
}

// idKey canonicalizes a JSON-RPC id so that 1, 1.0 and "1" compare as
// expected (the first two equal, the last different).
func idKey(raw json.RawMessage) (string, bool) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return "", false
	}
	switch {
	case raw[0] == '"':
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return "", false
		}
		return "s:" + s, true
	case raw[0] == '-' || (raw[0] >= '0' && raw[0] <= '9'):
		if n, err := strconv.ParseInt(string(raw), 10, 64); err == nil {
			return "n:" + strconv.FormatInt(n, 10), true
		}
		f, err := strconv.ParseFloat(string(raw), 64)
		if err != nil {
			return "", false
		}
		if f == float64(int64(f)) {
			return "n:" + strconv.FormatInt(int64(f), 10), true
		}
		return "n:" + strconv.FormatFloat(f, 'g', -1, 64), true
	}
	return "", false
}

func (c *Client) dispatch(body []byte) error {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(body, &m); err != nil {
		return fmt.Errorf("invalid JSON: %w", err)
	}
	rawID, hasID := m["id"]
	if hasID && string(bytes.TrimSpace(rawID)) == "null" {
		hasID = false
	}
	rawMethod, hasMethod := m["method"]
	var method string
	if hasMethod {
		if err := json.Unmarshal(rawMethod, &method); err != nil {
			return fmt.Errorf("method is not a string: %w", err)
		}
	}
	params := m["params"]
	switch {
	case hasMethod && hasID:
		c.mu.Lock()
		c.serverReqs[method] = append(c.serverReqs[method], params)
		c.broadcastLocked()
		c.mu.Unlock()
		c.bg.Add(1)
		go func() {
			defer c.bg.Done()
			c.answer(rawID, method, params)
		}()
	case hasMethod:
		c.mu.Lock()
		c.notifs = append(c.notifs, notification{method, params})
		if method == "textDocument/publishDiagnostics" {
			var p struct {
				URI         string          `json:"uri"`
				Version     *int            `json:"version"`
				Diagnostics json.RawMessage `json:"diagnostics"`
			}
			if err := json.Unmarshal(params, &p); err != nil {
				c.mu.Unlock()
				return fmt.Errorf("bad publishDiagnostics params: %w", err)
			}
			if len(p.Diagnostics) == 0 || string(p.Diagnostics) == "null" {
				c.mu.Unlock()
				return errors.New("publishDiagnostics without a diagnostics array")
			}
			c.diags[uriKey(p.URI)] = &diagState{version: p.Version, raw: p.Diagnostics}
		}
		c.broadcastLocked()
		c.mu.Unlock()
	default:
		_, hasResult := m["result"]
		rawErr, hasErr := m["error"]
		if hasErr && string(bytes.TrimSpace(rawErr)) == "null" {
			hasErr = false
		}
		if !hasResult && !hasErr {
			return errors.New("message has neither method, result nor error")
		}
		var resp response
		if hasErr {
			e := new(RPCError)
			if err := json.Unmarshal(rawErr, e); err != nil {
				return fmt.Errorf("bad error object: %w", err)
			}
			resp.err = e
		} else {
			resp.result = m["result"]
		}
		key, ok := "", false
		if hasID {
			key, ok = idKey(rawID)
		}
		c.mu.Lock()
		ch, found := c.pending[key]
		if ok && found {
			delete(c.pending, key)
			ch <- resp // buffered, never blocks
		} else {
			c.unmatched = append(c.unmatched, json.RawMessage(body))
			c.broadcastLocked()
		}
		c.mu.Unlock()
	}
	return nil
}

// broadcastLocked wakes every waiter. c.mu must be held.
func (c *Client) broadcastLocked() {
	close(c.changed)
	c.changed = make(chan struct{})
}

// answer replies to a request from the server. It runs on its own goroutine.
func (c *Client) answer(id json.RawMessage, method string, params json.RawMessage) {
	var result any
	var rerr error
	handled := false
	if c.opt.Handler != nil {
		result, handled, rerr = c.opt.Handler(method, params)
	}
	if !handled {
		result, rerr = c.defaultAnswer(method, params)
	}
	msg := map[string]any{"jsonrpc": "2.0", "id": id}
	if rerr != nil {
		var e *RPCError
		if !errors.As(rerr, &e) {
			e = &RPCError{Code: CodeInternalError, Message: rerr.Error()}
		}
		msg["error"] = e
	} else {
		msg["result"] = result
	}
	if err := c.writeMessage(msg); err != nil {
		c.logf("lsptest: answering %s: %v", method, err)
	}
}

func (c *Client) defaultAnswer(method string, params json.RawMessage) (any, error) {
	switch method {
	case "workspace/configuration":
		var p struct {
			Items []struct {
				ScopeURI string `json:"scopeUri"`
				Section  string `json:"section"`
			} `json:"items"`
		}
		if err := json.Unmarshal(params, &p); err != nil {
			return nil, &RPCError{Code: CodeInvalidParams, Message: err.Error()}
		}
		c.mu.Lock()
		out := make([]any, len(p.Items))
		for i, it := range p.Items {
			out[i] = c.settings[it.Section] // nil when absent
		}
		c.mu.Unlock()
		return out, nil
	case "window/workDoneProgress/create", "client/registerCapability", "client/unregisterCapability":
		return nil, nil
	case "workspace/applyEdit":
		return map[string]any{"applied": false}, nil
	}
	return nil, &RPCError{Code: CodeMethodNotFound, Message: "method not found: " + method}
}

// ---- writing ----

func (c *Client) writeMessage(msg any) error {
	body, err := json.Marshal(msg)
	if err != nil {
		return fmt.Errorf("encoding message: %w", err)
	}
	c.logMsg("→", body)
	frame := make([]byte, 0, len(body)+32)
	frame = fmt.Appendf(frame, "Content-Length: %d\r\n\r\n", len(body))
	frame = append(frame, body...)
	return c.write(frame)
}

func (c *Client) write(frame []byte) error {
	c.wmu.Lock()
	_, err := c.stdin.Write(frame)
	c.wmu.Unlock()
	if err != nil {
		c.mu.Lock()
		dead := c.closedErr
		c.mu.Unlock()
		if dead != nil {
			return fmt.Errorf("write: %v; %w", err, dead)
		}
		return fmt.Errorf("write: %w", err)
	}
	return nil
}

// SendRaw writes frame to the server's stdin as is (no framing added), for
// tests of malformed input.
func (c *Client) SendRaw(frame []byte) error {
	c.logMsg("→ (raw)", frame)
	if err := c.write(frame); err != nil {
		return fmt.Errorf("lsptest: SendRaw: %w", err)
	}
	return nil
}

// Notify sends a notification.
func (c *Client) Notify(method string, params any) error {
	msg := map[string]any{"jsonrpc": "2.0", "method": method}
	if params != nil {
		msg["params"] = params
	}
	if err := c.writeMessage(msg); err != nil {
		return fmt.Errorf("lsptest: notify %s: %w", method, err)
	}
	return nil
}

// Call sends a request with a fresh numeric id and waits for the response.
// The result is unmarshaled into result unless result is nil. A JSON-RPC
// error reply is returned as *RPCError. When ctx is done first, Call returns
// ctx.Err() and forgets the request (no $/cancelRequest is sent; see Cancel).
func (c *Client) Call(ctx context.Context, method string, params, result any) error {
	raw, err := c.CallRaw(ctx, method, params)
	if err != nil {
		return err
	}
	if result == nil {
		return nil
	}
	if err := json.Unmarshal(raw, result); err != nil {
		return fmt.Errorf("lsptest: decoding %s result: %w (result: %s)", method, err, truncate(raw, 512))
	}
	return nil
}

// CallRaw is Call returning the raw result (the JSON text "null" for a
// null result).
func (c *Client) CallRaw(ctx context.Context, method string, params any) (json.RawMessage, error) {
	return c.call(ctx, nil, method, params)
}

// CallID is CallRaw with an id chosen by the caller: a Go integer or float
// (sent as a JSON number) or a string. It fails if a call with the same id
// is still pending.
func (c *Client) CallID(ctx context.Context, id any, method string, params any) (json.RawMessage, error) {
	if id == nil {
		return nil, errors.New("lsptest: CallID: nil id")
	}
	return c.call(ctx, id, method, params)
}

// Cancel sends $/cancelRequest for id (as used with CallID, or the numeric
// id of a Call).
func (c *Client) Cancel(id any) error {
	return c.Notify("$/cancelRequest", map[string]any{"id": id})
}

func (c *Client) call(ctx context.Context, id any, method string, params any) (json.RawMessage, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	ch := make(chan response, 1)
	c.mu.Lock()
	if c.closedErr != nil {
		err := c.closedErr
		c.mu.Unlock()
		return nil, fmt.Errorf("lsptest: %s: %w", method, err)
	}
	var rawID json.RawMessage
	var key string
	if id == nil {
		for {
			c.nextID++
			key = "n:" + strconv.FormatInt(c.nextID, 10)
			if _, busy := c.pending[key]; !busy {
				break
			}
		}
		rawID = json.RawMessage(strconv.FormatInt(c.nextID, 10))
	} else {
		b, err := json.Marshal(id)
		if err != nil {
			c.mu.Unlock()
			return nil, fmt.Errorf("lsptest: bad id %v: %w", id, err)
		}
		k, ok := idKey(b)
		if !ok {
			c.mu.Unlock()
			return nil, fmt.Errorf("lsptest: id must be a number or a string, got %s", b)
		}
		if _, busy := c.pending[k]; busy {
			c.mu.Unlock()
			return nil, fmt.Errorf("lsptest: a call with id %s is already pending", b)
		}
		rawID, key = b, k
	}
	c.pending[key] = ch
	c.mu.Unlock()

	msg := map[string]any{"jsonrpc": "2.0", "id": rawID, "method": method}
	if params != nil {
		msg["params"] = params
	}
	if err := c.writeMessage(msg); err != nil {
		c.dropPending(key, ch)
		return nil, fmt.Errorf("lsptest: sending %s: %w", method, err)
	}
	select {
	case resp := <-ch:
		if resp.err != nil {
			var rpcErr *RPCError
			if errors.As(resp.err, &rpcErr) {
				return nil, rpcErr
			}
			return nil, fmt.Errorf("lsptest: %s: %w", method, resp.err)
		}
		return resp.result, nil
	case <-ctx.Done():
		c.dropPending(key, ch)
		return nil, ctx.Err()
	}
}

func (c *Client) dropPending(key string, ch chan response) {
	c.mu.Lock()
	if c.pending[key] == ch {
		delete(c.pending, key)
	}
	c.mu.Unlock()
}

// ---- notifications and recorded traffic ----

// waitFor calls check (without c.mu held) initially and every time
// something is recorded, until it returns true, ctx is done or the
// connection is lost.
func (c *Client) waitFor(ctx context.Context, what string, check func() bool) error {
	for {
		c.mu.Lock()
		changed, closed := c.changed, c.closedErr
		c.mu.Unlock()
		if check() {
			return nil
		}
		if closed != nil {
			return fmt.Errorf("lsptest: waiting for %s: %w", what, closed)
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return fmt.Errorf("lsptest: waiting for %s: %w", what, ctx.Err())
		}
	}
}

// WaitNotification returns the params of the first notification of method
// (received since the last Reset, or arriving later) for which match
// returns true; match nil accepts any. Calling it twice returns the same
// notification; use Reset in between to wait for a newer one. When ctx is
// done first, the error wraps ctx.Err(); when the connection is lost, it
// says why.
func (c *Client) WaitNotification(ctx context.Context, method string, match func(params json.RawMessage) bool) (json.RawMessage, error) {
	var found json.RawMessage
	next, gen := 0, -1
	err := c.waitFor(ctx, "notification "+method, func() bool {
		c.mu.Lock()
		notifs, g := c.notifs, c.gen // elements below len are never modified
		c.mu.Unlock()
		if g != gen {
			next, gen = 0, g
		}
		for ; next < len(notifs); next++ {
			n := notifs[next]
			if n.method == method && (match == nil || match(n.params)) {
				found = n.params
				return true
			}
		}
		return false
	})
	return found, err
}

// Notifications returns the params of all notifications of method received
// since the last Reset, oldest first.
func (c *Client) Notifications(method string) []json.RawMessage {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []json.RawMessage
	for _, n := range c.notifs {
		if n.method == method {
			out = append(out, n.params)
		}
	}
	return out
}

// ServerRequests returns the params of all requests of method the server
// sent to the client since the last Reset, oldest first.
func (c *Client) ServerRequests(method string) []json.RawMessage {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]json.RawMessage(nil), c.serverReqs[method]...)
}

// WaitServerRequest waits until the server has sent a request of method
// (since the last Reset) for which match returns true (match nil accepts
// any), and returns its params. The automatic answer may still be in flight.
func (c *Client) WaitServerRequest(ctx context.Context, method string, match func(params json.RawMessage) bool) (json.RawMessage, error) {
	var found json.RawMessage
	err := c.waitFor(ctx, "server request "+method, func() bool {
		for _, p := range c.ServerRequests(method) {
			if match == nil || match(p) {
				found = p
				return true
			}
		}
		return false
	})
	return found, err
}

// UnmatchedResponses returns every response (the whole message) that did not
// match a pending call: replies with a null id (e.g. to a malformed frame
// sent with SendRaw), replies to calls abandoned after their context was
// done, and replies to requests written with SendRaw.
func (c *Client) UnmatchedResponses() []json.RawMessage {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]json.RawMessage(nil), c.unmatched...)
}

// WaitUnmatchedResponse waits for an unmatched response (see
// UnmatchedResponses) for which match returns true (match nil accepts any)
// and returns the whole message.
func (c *Client) WaitUnmatchedResponse(ctx context.Context, match func(msg json.RawMessage) bool) (json.RawMessage, error) {
	var found json.RawMessage
	err := c.waitFor(ctx, "unmatched response", func() bool {
		for _, m := range c.UnmatchedResponses() {
			if match == nil || match(m) {
				found = m
				return true
			}
		}
		return false
	})
	return found, err
}

// Reset forgets the notifications, server requests, unmatched responses and
// diagnostics received so far, so that the Wait methods only consider what
// arrives afterwards.
func (c *Client) Reset() {
	c.mu.Lock()
	c.notifs = nil
	c.serverReqs = make(map[string][]json.RawMessage)
	c.unmatched = nil
	c.diags = make(map[string]*diagState)
	c.gen++
	c.mu.Unlock()
}

// uriKey normalizes a URI for lookups: percent-decoded, so that a server
// that encodes differently from FileURI still matches.
func uriKey(uri string) string {
	if s, err := url.PathUnescape(uri); err == nil {
		return s
	}
	return uri
}

// Diagnostics returns the latest textDocument/publishDiagnostics for uri
// (compared after percent-decoding): its version (nil when absent) and
// diagnostics (non-nil, possibly empty). ok is false when none was received
// since the last Reset.
func (c *Client) Diagnostics(uri string) (version *int, diags []Diagnostic, ok bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	version, diags, ok, _ = c.diagnosticsLocked(uri)
	return version, diags, ok
}

func (c *Client) diagnosticsLocked(uri string) (version *int, diags []Diagnostic, ok bool, err error) {
	d, ok := c.diags[uriKey(uri)]
	if !ok {
		return nil, nil, false, nil
	}
	d.decode()
	return d.version, append([]Diagnostic{}, d.diags...), true, d.err
}

// WaitDiagnostics waits until the latest publishDiagnostics for uri
// (since the last Reset) satisfies match (match nil: any publish) and
// returns its diagnostics. A publish that arrived before the call counts.
func (c *Client) WaitDiagnostics(ctx context.Context, uri string, match func([]Diagnostic) bool) ([]Diagnostic, error) {
	var found, last []Diagnostic
	var bad error
	seen := false
	err := c.waitFor(ctx, "diagnostics for "+uri, func() bool {
		c.mu.Lock()
		_, d, ok, err := c.diagnosticsLocked(uri)
		c.mu.Unlock()
		if err != nil {
			bad = err
			return true
		}
		if !ok {
			return false
		}
		seen, last = true, d
		if match == nil || match(append([]Diagnostic{}, d...)) {
			found = d
			return true
		}
		return false
	})
	if bad != nil {
		return nil, bad
	}
	if err != nil {
		if seen {
			b, _ := json.Marshal(last)
			err = fmt.Errorf("%w (latest publish: %s)", err, truncate(b, 2048))
		} else {
			err = fmt.Errorf("%w (nothing published for this URI)", err)
		}
	}
	return found, err
}

// ---- lifecycle ----

// DefaultCapabilities returns the client capabilities Initialize sends when
// caps is nil, modeled on VS Code's. The map is fresh and may be modified.
func DefaultCapabilities() map[string]any {
	return map[string]any{
		"general": map[string]any{
			"positionEncodings": []string{"utf-16"},
		},
		"workspace": map[string]any{
			"applyEdit": true,
			"workspaceEdit": map[string]any{
				"documentChanges":    true,
				"resourceOperations": []string{"create", "rename", "delete"},
				"failureHandling":    "textOnlyTransactional",
			},
			"didChangeConfiguration": map[string]any{"dynamicRegistration": true},
			"didChangeWatchedFiles":  map[string]any{"dynamicRegistration": true},
			"symbol":                 map[string]any{"dynamicRegistration": true},
			"executeCommand":         map[string]any{"dynamicRegistration": true},
			"configuration":          true,
			"workspaceFolders":       true,
		},
		"textDocument": map[string]any{
			"synchronization": map[string]any{
				"dynamicRegistration": true,
				"willSave":            true,
				"willSaveWaitUntil":   true,
				"didSave":             true,
			},
			"completion": map[string]any{
				"dynamicRegistration": true,
				"contextSupport":      true,
				"completionItem": map[string]any{
					"snippetSupport":          false,
					"documentationFormat":     []string{"markdown", "plaintext"},
					"deprecatedSupport":       true,
					"insertReplaceSupport":    true,
					"labelDetailsSupport":     true,
					"commitCharactersSupport": true,
				},
			},
			"hover": map[string]any{
				"dynamicRegistration": true,
				"contentFormat":       []string{"markdown", "plaintext"},
			},
			"signatureHelp": map[string]any{
				"dynamicRegistration": true,
				"signatureInformation": map[string]any{
					"documentationFormat": []string{"markdown", "plaintext"},
				},
			},
			"definition":     map[string]any{"dynamicRegistration": true, "linkSupport": true},
			"references":     map[string]any{"dynamicRegistration": true},
			"documentSymbol": map[string]any{"dynamicRegistration": true, "hierarchicalDocumentSymbolSupport": true},
			"codeAction": map[string]any{
				"dynamicRegistration": true,
				"isPreferredSupport":  true,
				"codeActionLiteralSupport": map[string]any{
					"codeActionKind": map[string]any{
						"valueSet": []string{"", "quickfix", "refactor", "refactor.extract", "refactor.inline", "refactor.rewrite", "source", "source.organizeImports"},
					},
				},
			},
			"formatting": map[string]any{"dynamicRegistration": true},
			"rename":     map[string]any{"dynamicRegistration": true, "prepareSupport": true},
			"publishDiagnostics": map[string]any{
				"relatedInformation": true,
				"versionSupport":     true,
				"tagSupport":         map[string]any{"valueSet": []int{1, 2}},
			},
		},
		"window": map[string]any{
			"workDoneProgress": true,
			"showMessage":      map[string]any{"messageActionItem": map[string]any{"additionalPropertiesSupport": true}},
			"showDocument":     map[string]any{"support": true},
		},
	}
}

// Initialize sends initialize (processId, clientInfo, rootUri, rootPath,
// workspaceFolders=[rootDir], capabilities — DefaultCapabilities() when caps
// is nil — and initializationOptions when initOptions is not nil), then the
// initialized notification with params {}. It returns the initialize result.
func (c *Client) Initialize(ctx context.Context, rootDir string, caps map[string]any, initOptions any) (json.RawMessage, error) {
	abs, err := filepath.Abs(rootDir)
	if err != nil {
		return nil, err
	}
	if caps == nil {
		caps = DefaultCapabilities()
	}
	uri := FileURI(abs)
	params := map[string]any{
		"processId":  os.Getpid(),
		"clientInfo": map[string]any{"name": "lsptest", "version": "0"},
		"locale":     "en",
		"rootPath":   abs,
		"rootUri":    uri,
		"workspaceFolders": []any{
			map[string]any{"uri": uri, "name": filepath.Base(abs)},
		},
		"capabilities": caps,
		"trace":        "off",
	}
	if !isNil(initOptions) {
		params["initializationOptions"] = initOptions
	}
	res, err := c.CallRaw(ctx, "initialize", params)
	if err != nil {
		return nil, err
	}
	if err := c.Notify("initialized", struct{}{}); err != nil {
		return res, err
	}
	return res, nil
}

// isNil reports whether v is nil or a nil map, slice or pointer.
func isNil(v any) bool {
	if v == nil {
		return true
	}
	switch rv := reflect.ValueOf(v); rv.Kind() {
	case reflect.Map, reflect.Slice, reflect.Pointer, reflect.Interface:
		return rv.IsNil()
	}
	return false
}

// Shutdown sends shutdown then exit, and waits for the process to exit. It
// returns an error when shutdown fails, the exit code is not 0, or the
// process does not exit within 5s (it is then killed) or before ctx is done.
func (c *Client) Shutdown(ctx context.Context) error {
	var errs []error
	if err := c.Call(ctx, "shutdown", nil, nil); err != nil {
		errs = append(errs, err)
	}
	if err := c.Notify("exit", nil); err != nil {
		c.mu.Lock()
		dead := c.closedErr != nil
		c.mu.Unlock()
		if !dead {
			errs = append(errs, err)
		}
	}
	timer := time.NewTimer(5 * time.Second)
	defer timer.Stop()
	select {
	case <-c.exited:
	case <-timer.C:
		c.Kill()
		errs = append(errs, fmt.Errorf("lsptest: server did not exit within 5s of exit; killed; stderr tail:\n%s", c.stderr.tail(2048)))
		return errors.Join(errs...)
	case <-ctx.Done():
		c.Kill()
		errs = append(errs, fmt.Errorf("lsptest: waiting for the server to exit: %w", ctx.Err()))
		return errors.Join(errs...)
	}
	code, werr := c.Wait()
	if werr != nil {
		errs = append(errs, fmt.Errorf("lsptest: server exit: %w", werr))
	} else if code != 0 {
		errs = append(errs, fmt.Errorf("lsptest: server exited with code %d; stderr tail:\n%s", code, c.stderr.tail(2048)))
	}
	return errors.Join(errs...)
}

// Wait waits for the process to exit and the client to finish reading its
// output. exitCode is -1 when the process was killed by a signal, in which
// case err says so; err is nil for an ordinary exit, whatever the code.
func (c *Client) Wait() (exitCode int, err error) {
	<-c.exited
	<-c.readerDone
	c.bg.Wait()
	return c.exitCode, c.waitErr
}

// Kill kills the process (if still running) and waits as Wait does. It is
// safe to call more than once and after Shutdown, e.g. from t.Cleanup.
func (c *Client) Kill() {
	select {
	case <-c.exited:
	default:
		_ = c.cmd.Process.Kill()
	}
	c.Wait() //nolint:errcheck
}

// Exited returns a channel closed when the server process has exited.
func (c *Client) Exited() <-chan struct{} { return c.exited }

// CloseStdin closes the server's stdin (EOF without exit).
func (c *Client) CloseStdin() error {
	// Not under wmu: closing must also unblock a write stuck on a full pipe.
	return c.stdin.Close()
}

// Stderr returns what the server wrote to stderr so far (see
// Options.Stderr for the size limit).
func (c *Client) Stderr() string { return c.stderr.String() }

// Pid returns the server's process id.
func (c *Client) Pid() int { return c.cmd.Process.Pid }

// tailBuffer is a goroutine-safe buffer keeping the last limit bytes.
type tailBuffer struct {
	mu    sync.Mutex
	buf   []byte
	limit int
}

func (b *tailBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.buf = append(b.buf, p...)
	if over := len(b.buf) - b.limit; over > 0 {
		// Drop the oldest bytes, with some slack to avoid copying each time.
		drop := over + b.limit/4
		if drop > len(b.buf) {
			drop = len(b.buf)
		}
		b.buf = append(b.buf[:0:0], b.buf[drop:]...)
	}
	return len(p), nil
}

func (b *tailBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return string(b.buf)
}

func (b *tailBuffer) tail(n int) string {
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.buf) <= n {
		return string(b.buf)
	}
	s := b.buf[len(b.buf)-n:]
	// Do not start in the middle of a UTF-8 sequence.
	for len(s) > 0 && !utf8.RuneStart(s[0]) {
		s = s[1:]
	}
	return "..." + string(s)
}

// ---- helpers ----

// FileURI returns the file:// URI of path (made absolute), percent-encoded
// the way VS Code (vscode-uri) does: everything except ASCII letters,
// digits, "-._~" and "/" is encoded as UTF-8 %XX, a Windows drive letter is
// lower-cased and its colon encoded (file:///c%3A/x).
func FileURI(path string) string {
	if abs, err := filepath.Abs(path); err == nil {
		path = abs
	}
	p := filepath.ToSlash(path)
	if len(p) >= 2 && p[1] == ':' && isASCIILetter(p[0]) {
		p = "/" + p // Windows drive path
	}
	if len(p) >= 3 && p[0] == '/' && p[2] == ':' && p[1] >= 'A' && p[1] <= 'Z' {
		p = "/" + string(p[1]+('a'-'A')) + p[2:]
	}
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	b.WriteString("file://")
	for i := 0; i < len(p); i++ {
		ch := p[i]
		if isASCIILetter(ch) || (ch >= '0' && ch <= '9') || ch == '-' || ch == '.' || ch == '_' || ch == '~' || ch == '/' {
			b.WriteByte(ch)
		} else {
			b.WriteByte('%')
			b.WriteByte(hex[ch>>4])
			b.WriteByte(hex[ch&15])
		}
	}
	return b.String()
}

func isASCIILetter(ch byte) bool {
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z')
}

// PositionOf returns the LSP position (line, UTF-16 character) of the byte
// offset offsetInNeedle within the first occurrence of needle in text. It
// panics if needle does not occur, or the offset falls outside text or
// inside a UTF-8 sequence.
func PositionOf(text, needle string, offsetInNeedle int) Position {
	i := strings.Index(text, needle)
	if i < 0 {
		panic(fmt.Sprintf("lsptest.PositionOf: %q not found in text", needle))
	}
	return PositionAt(text, i+offsetInNeedle)
}

// PositionAt returns the LSP position of byte offset off in text. Lines end
// at "\n" (so "\r\n" works too; a lone "\r" is not a line break, as in
// go/token). Characters count UTF-16 code units: 2 for runes outside the
// BMP, 1 for each byte of invalid UTF-8. It panics if off is outside
// [0, len(text)] or inside a UTF-8 sequence.
func PositionAt(text string, off int) Position {
	if off < 0 || off > len(text) {
		panic(fmt.Sprintf("lsptest.PositionAt: offset %d outside text of length %d", off, len(text)))
	}
	before := text[:off]
	line := strings.Count(before, "\n")
	start := strings.LastIndexByte(before, '\n') + 1
	char := 0
	for i := start; i < off; {
		r, size := utf8.DecodeRuneInString(text[i:])
		if i+size > off {
			panic(fmt.Sprintf("lsptest.PositionAt: offset %d is inside the UTF-8 sequence of %q", off, r))
		}
		if r == utf8.RuneError && size == 1 {
			char++
		} else {
			char += utf16.RuneLen(r)
		}
		i += size
	}
	return Position{Line: line, Character: char}
}
