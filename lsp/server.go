// Package lsp is the language server: a thin adapter that turns LSP
// requests into queries on a graph.Snapshot and their answers back into
// protocol types. Nothing about entity files lives here.
package lsp

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.uber.org/zap"

	"github.com/seedls/seedls/graph"
	"github.com/seedls/seedls/lsp/heap"
)

// Options configure a server.
type Options struct {
	Logger *zap.Logger
	// Level is the logger's level, changed by the logLevel setting.
	Level *zap.AtomicLevel
	// Version is reported in serverInfo.
	Version string
	// IndexWait bounds how long a request waits for the initial scan of
	// the workspace before it is answered that the workspace is being
	// read; 0: ten seconds.
	IndexWait time.Duration
	// IndexCommand, when set, is the command that builds a search index
	// in a child process (`seedls index`; see childBuilder), the index's
	// folder appended; otherwise the index is built in this process.
	IndexCommand []string
}

// Server is one LSP session over one connection.
type Server struct {
	log     *zap.Logger
	level   *zap.AtomicLevel
	version string
	stream  *stream
	conn    jsonrpc2.Conn

	ws     *workspace
	paths  *paths
	pub    *publisher
	search *searcher
	warm   *warmStart
	heap   *heap.Budget
	// failedOnce tells the user of the first background failure only.
	failedOnce sync.Once
	// heard is when the client last sent something (Unix nanoseconds):
	// background work holds while it is busy (see workspace.pace).
	heard atomic.Int64

	mu          sync.Mutex
	initialized bool
	shutdown    bool
	inflight    map[string]context.CancelFunc
	caps        clientCaps
	nav         navState // see nav.go
	clientRoots []string // the workspace folders, as the client names them
	indexWait   time.Duration
	exitCode    chan int
	exited      atomic.Bool
}

// clientCaps are the client capabilities the server acts on.
type clientCaps struct {
	progress         bool // window.workDoneProgress
	configuration    bool // workspace.configuration
	watchDynamic     bool // workspace.didChangeWatchedFiles.dynamicRegistration
	related          bool // textDocument.publishDiagnostics.relatedInformation
	documentChanges  bool // workspace.workspaceEdit.documentChanges
	createFile       bool // resourceOperations includes "create"
	hierarchicalSyms bool // textDocument.documentSymbol.hierarchicalDocumentSymbolSupport
}

// Serve runs a session on in and out until the client exits or in ends,
// and returns the process exit code LSP asks for: 0 after shutdown then
// exit, 1 otherwise.
func Serve(ctx context.Context, in io.Reader, out io.Writer, opt Options) int {
	s := newServer(in, out, opt)
	log := s.log
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go s.heap.Run(ctx)
	s.conn.Go(ctx, s.handle)
	s.goSafe("publishing diagnostics", func() { s.pub.run(ctx.Done()) })
	defer s.warm.close()
	defer s.search.close()
	code := 1
	select {
	case code = <-s.exitCode:
	case <-s.conn.Done():
		// The input ended without an exit notification.
		if err := s.conn.Err(); err != nil && !errors.Is(err, io.EOF) {
			log.Info("connection closed", zap.Error(err))
		}
	}
	s.warm.stop(2 * time.Second)
	return code
}

// newServer makes a server and its parts, the connection not yet read.
func newServer(in io.Reader, out io.Writer, opt Options) *Server {
	log := opt.Logger
	if log == nil {
		log = zap.NewNop()
	}
	s := &Server{
		log:       log,
		level:     opt.Level,
		version:   opt.Version,
		inflight:  map[string]context.CancelFunc{},
		exitCode:  make(chan int, 1),
		indexWait: opt.IndexWait,
	}
	if s.indexWait <= 0 {
		s.indexWait = defaultIndexWait
	}
	s.stream = &stream{in: bufio.NewReaderSize(in, 1<<16), out: out, log: log}
	s.stream.onBad = func(id json.RawMessage, err error) {
		s.replyRaw(id, jsonrpc2.NewError(jsonrpc2.ParseError, "malformed request: "+err.Error()))
	}
	// The connection is made by hand, with the client dispatcher set before
	// the read loop starts (protocol.NewServer races on this).
	s.conn = jsonrpc2.NewConn(s.stream)
	s.paths = newPaths()
	s.ws = newWorkspace(s)
	s.warm = newWarmStart(log)
	s.pub = newPublisher(s.ws, s, s.warm, log)
	s.pub.failed = s.reportPanic
	build := indexBuilder(inProcessBuilder)
	if len(opt.IndexCommand) > 0 {
		build = childBuilder(opt.IndexCommand)
	}
	s.search = newSearcher(log, build)
	s.search.failed = s.reportPanic
	s.heap = heap.New(log)
	return s
}

// handle is called by the connection's read loop for every request and
// notification, in order. Notifications that change state are applied
// here, synchronously, so a request read after a didChange sees the new
// text; requests run in their own goroutines, so a slow one never holds up
// the next. It never returns an error: that would close the connection.
func (s *Server) handle(ctx context.Context, reply jsonrpc2.Replier, req jsonrpc2.Request) error {
	call, isCall := req.(*jsonrpc2.Call)
	method := req.Method()
	if method != "$/cancelRequest" && method != "workspace/executeCommand" {
		s.heard.Store(time.Now().UnixNano())
	}
	defer func() {
		if r := recover(); r != nil {
			s.log.Error("panic in handler", zap.String("method", method), zap.Any("panic", r), zap.ByteString("stack", debug.Stack()))
			if isCall {
				_ = reply(context.Background(), nil, jsonrpc2.NewError(jsonrpc2.InternalError, fmt.Sprintf("internal error in %s: %v", method, r)))
			}
		}
	}()
	s.mu.Lock()
	initialized, shutdown := s.initialized, s.shutdown
	s.mu.Unlock()

	switch method {
	case "initialize":
		if initialized {
			return s.replyErr(reply, jsonrpc2.NewError(jsonrpc2.InvalidRequest, "initialize sent twice"))
		}
		res, err := s.initialize(req.Params())
		return s.reply(reply, res, err)
	case "exit":
		code := 1
		if shutdown {
			code = 0
		}
		if s.exited.CompareAndSwap(false, true) {
			s.exitCode <- code
		}
		return nil
	}
	if !initialized {
		if isCall {
			return s.replyErr(reply, jsonrpc2.NewError(jsonrpc2.ServerNotInitialized, "the server is not initialized: send initialize first"))
		}
		return nil
	}
	if shutdown && isCall && method != "shutdown" {
		return s.replyErr(reply, jsonrpc2.NewError(jsonrpc2.InvalidRequest, "the server is shutting down"))
	}

	if !isCall {
		s.notification(ctx, method, req.Params())
		return nil
	}
	h, ok := requests[method]
	if !ok {
		return s.replyErr(reply, jsonrpc2.NewError(jsonrpc2.MethodNotFound, "method not supported: "+method))
	}
	key := callIDKey(call.ID())
	rctx, cancel := context.WithCancel(context.Background())
	s.mu.Lock()
	s.inflight[key] = cancel
	s.mu.Unlock()
	go func() {
		defer func() {
			s.mu.Lock()
			delete(s.inflight, key)
			s.mu.Unlock()
			cancel()
		}()
		var res any
		var err error
		if ans, waited := s.whileIndexing(rctx, method, req.Params()); waited {
			res, err = ans.res, ans.err
		} else {
			res, err = s.run(rctx, method, h, req.Params())
		}
		if rctx.Err() != nil && err == nil {
			err = jsonrpc2.NewError(RequestCancelled, "request cancelled")
		}
		_ = s.reply(reply, res, err)
	}()
	return nil
}

// run calls a request handler, turning a panic into an error reply and a
// log line: one bad request must not take the server down.
func (s *Server) run(ctx context.Context, method string, h requestHandler, params json.RawMessage) (res any, err error) {
	defer func() {
		if r := recover(); r != nil {
			s.log.Error("panic in request", zap.String("method", method), zap.Any("panic", r), zap.ByteString("stack", debug.Stack()))
			res, err = nil, jsonrpc2.NewError(jsonrpc2.InternalError, fmt.Sprintf("internal error in %s: %v", method, r))
		}
	}()
	return h(s, ctx, params)
}

// reply sends a result; plain Go errors go out as InternalError, decoding
// errors as InvalidParams (the library would send code 0 for both). The
// reply's context is never the request's: a cancelled context would make
// the library drop the reply.
func (s *Server) reply(reply jsonrpc2.Replier, res any, err error) error {
	if err != nil {
		var je *jsonrpc2.Error
		if !errors.As(err, &je) {
			var pe *paramsError
			if errors.As(err, &pe) {
				err = jsonrpc2.NewError(jsonrpc2.InvalidParams, err.Error())
			} else {
				err = jsonrpc2.NewError(jsonrpc2.InternalError, err.Error())
			}
		}
		res = nil
	}
	if rerr := reply(context.Background(), res, err); rerr != nil {
		s.log.Warn("reply not sent", zap.Error(rerr))
	}
	return nil
}

func (s *Server) replyErr(reply jsonrpc2.Replier, err *jsonrpc2.Error) error {
	return s.reply(reply, nil, err)
}

// replyRaw answers a request that never decoded, by its raw id.
func (s *Server) replyRaw(id json.RawMessage, err *jsonrpc2.Error) {
	msg := map[string]any{"jsonrpc": "2.0", "id": id, "error": err}
	data, _ := json.Marshal(msg)
	if _, werr := s.stream.writeRaw(data); werr != nil {
		s.log.Warn("reply not sent", zap.Error(werr))
	}
}

// paramsError marks params that did not decode.
type paramsError struct{ err error }

func (e *paramsError) Error() string { return "invalid params: " + e.err.Error() }

// decode reads params into v; null or absent params leave v as it is.
func decode(params json.RawMessage, v any) error {
	if len(params) == 0 || string(params) == "null" {
		return nil
	}
	if err := json.Unmarshal(params, v); err != nil {
		return &paramsError{err}
	}
	return nil
}

type requestHandler func(s *Server, ctx context.Context, params json.RawMessage) (any, error)

// requests maps every request method the server answers to its handler;
// each feature's file adds its own.
var requests = map[string]requestHandler{
	"shutdown": func(s *Server, _ context.Context, _ json.RawMessage) (any, error) {
		s.mu.Lock()
		s.shutdown = true
		s.mu.Unlock()
		return nil, nil
	},
}

// defaultIndexWait bounds how long a request waits for the initial scan
// before it is answered that the workspace is being read (see
// whileIndexing): a cold start at 100,000 files takes a few seconds.
const defaultIndexWait = 10 * time.Second

// answer is a request's result or error.
type answer struct {
	res any
	err error
}

// whileIndexing makes every request whose answer depends on the
// workspace wait for the initial scan: an answer from a half-read
// workspace would be wrong, not just late ("unknown reference" for an
// entity not read yet). A $/cancelRequest ends the wait; a wait that runs
// out (Options.IndexWait) is answered with how far the scan is, never with a guess.
// The status command and shutdown answer at once. waited is false when
// the request may go on to its handler.
func (s *Server) whileIndexing(ctx context.Context, method string, params json.RawMessage) (ans answer, waited bool) {
	switch method {
	case "shutdown":
		return answer{}, false
	case "workspace/executeCommand":
		var p struct {
			Command string `json:"command"`
		}
		if decode(params, &p) == nil && p.Command == cmdIndexStatus {
			return answer{}, false
		}
	}
	err := s.ws.waitScanned(ctx, s.indexWait)
	switch {
	case err == nil:
		return answer{}, false
	case !errors.Is(err, errIndexing):
		return answer{err: jsonrpc2.NewError(RequestCancelled, "request cancelled while waiting for the workspace to be read")}, true
	}
	msg := s.ws.indexingMessage()
	switch method {
	case "textDocument/hover":
		return answer{res: protocol.Hover{Contents: protocol.MarkupContent{Kind: protocol.Markdown, Value: "*" + msg + ".*"}}}, true
	case "textDocument/completion":
		// Incomplete: the client asks again as the user types.
		return answer{res: protocol.CompletionList{IsIncomplete: true, Items: []protocol.CompletionItem{}}}, true
	}
	return answer{err: jsonrpc2.NewError(RequestFailed, msg)}, true
}

// recentlyHeard reports whether the client sent a request or an edit
// within d (status polls aside).
func (s *Server) recentlyHeard(d time.Duration) bool {
	return time.Now().UnixNano()-s.heard.Load() < int64(d)
}

// goSafe runs f in a goroutine of its own; a panic there is contained
// (see reportPanic) instead of taking the server down.
func (s *Server) goSafe(what string, f func()) {
	go func() {
		defer func() {
			if r := recover(); r != nil {
				s.reportPanic(what, r, debug.Stack())
			}
		}()
		f()
	}()
}

// reportPanic logs a panic in background work with its stack and tells
// the user, once a session: the server goes on, without what failed.
func (s *Server) reportPanic(what string, r any, stack []byte) {
	if p, ok := r.(*graph.WorkerPanic); ok {
		stack = append(append(stack, "\nin the worker:\n"...), p.Stack...)
	}
	s.log.Error("panic in background work", zap.String("while", what), zap.Any("panic", r), zap.ByteString("stack", stack))
	s.failedOnce.Do(func() {
		s.notify("window/showMessage", protocol.ShowMessageParams{Type: protocol.MessageTypeError,
			Message: fmt.Sprintf("seedls: an internal error stopped %s (%v); the server goes on. The log has the details: please report it.", what, r)})
	})
}

// notification applies a notification, in order.
func (s *Server) notification(ctx context.Context, method string, params json.RawMessage) {
	switch method {
	case "initialized":
		s.ws.start()
	case "$/cancelRequest":
		var p struct {
			ID json.RawMessage `json:"id"`
		}
		if decode(params, &p) == nil && len(p.ID) > 0 {
			s.mu.Lock()
			cancel := s.inflight[idKeyOf(p.ID)]
			s.mu.Unlock()
			if cancel != nil {
				cancel()
			}
		}
	case "textDocument/didOpen":
		var p protocol.DidOpenTextDocumentParams
		if s.decodeNote(method, params, &p) {
			s.ws.setText(s.keyOf(string(p.TextDocument.URI)), p.TextDocument.Version, p.TextDocument.Text)
		}
	case "textDocument/didChange":
		var p protocol.DidChangeTextDocumentParams
		if s.decodeNote(method, params, &p) && len(p.ContentChanges) > 0 {
			// Full sync: the last change holds the whole text.
			s.ws.setText(s.keyOf(string(p.TextDocument.URI)), p.TextDocument.Version, p.ContentChanges[len(p.ContentChanges)-1].Text)
		}
	case "textDocument/didClose":
		var p protocol.DidCloseTextDocumentParams
		if s.decodeNote(method, params, &p) {
			s.ws.close(s.keyOf(string(p.TextDocument.URI)))
		}
	case "textDocument/didSave":
		// The buffer's text is already known; nothing to do.
	case "workspace/didChangeWatchedFiles":
		s.ws.watched(params)
	case "workspace/didChangeConfiguration":
		var p struct {
			Settings json.RawMessage `json:"settings"`
		}
		if s.decodeNote(method, params, &p) {
			s.ws.configurationChanged(p.Settings)
		}
	case "workspace/didChangeWorkspaceFolders":
		var p struct {
			Event struct {
				Added, Removed []struct {
					URI string `json:"uri"`
				}
			} `json:"event"`
		}
		if s.decodeNote(method, params, &p) {
			s.foldersChanged(p.Event.Added, p.Event.Removed)
		}
	case "$/setTrace", "$/logTrace":
	default:
		s.log.Debug("ignoring notification", zap.String("method", method))
	}
}

func (s *Server) decodeNote(method string, params json.RawMessage, v any) bool {
	if err := decode(params, v); err != nil {
		s.log.Warn("bad notification params", zap.String("method", method), zap.Error(err))
		return false
	}
	return true
}

// notify sends a notification to the client, logging failures.
func (s *Server) notify(method string, params any) {
	if err := s.conn.Notify(context.Background(), method, params); err != nil {
		s.log.Debug("notification not sent", zap.String("method", method), zap.Error(err))
	}
}

// callTimeout sends a request to the client and waits for its answer,
// five seconds at most.
func (s *Server) callTimeout(method string, params, result any) error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, err := s.conn.Call(ctx, method, params, result)
	return err
}

// encoding is the negotiated position encoding.
func (s *Server) encoding() graph.Encoding {
	return s.ws.enc
}

// showWarning tells the user through window/showMessage and the log.
func (s *Server) showWarning(msg string) {
	s.log.Warn(msg)
	s.notify("window/showMessage", protocol.ShowMessageParams{Type: protocol.MessageTypeWarning, Message: msg})
}
