package lsp

import (
	"encoding/json"
	"fmt"
	"runtime/debug"
	"strconv"
	"sync"
	"time"

	"go.lsp.dev/protocol"
	"go.uber.org/zap"

	"github.com/seedls/seedls/graph"
)

// publisher pushes diagnostics. Changes mark files dirty; one goroutine
// diagnoses the dirty files against the newest snapshot and publishes
// them. Changes that arrive meanwhile are coalesced into the next round,
// and a file whose snapshot was superseded before it was published is
// left for that round: what is sent is never older than what it replaces.
//
// It knows the rest of the server through three small interfaces, so
// that it can be tested alone: where snapshots and settings come from
// (diagSource), where lists go (diagSink), and the warm start that keeps
// lists across sessions (keeper).
type publisher struct {
	src  diagSource
	out  diagSink
	keep keeper
	log  *zap.Logger
	// failed is told of a round that panicked (see Server.goSafe).
	failed func(what string, r any, stack []byte)

	mu   sync.Mutex
	dirt map[string]bool
	full bool // every file is dirty
	wake chan struct{}
	// sent holds the number of diagnostics last published per file, so
	// that a file whose diagnostics went away gets an empty list.
	sent  map[string]int
	total int  // the sum of sent
	busy  bool // a round is running
	// last is the snapshot of the last round that ran to the end.
	last *graph.Snapshot
}

// diagSource is what a round reads: the snapshot, the settings and the
// open documents of the moment.
type diagSource interface {
	current() *graph.Snapshot
	indexing() bool // before the workspace is read every citation would look unknown
	severities() graph.Severities
	versions() map[string]int32 // open documents by key
	encoding() graph.Encoding
	related() bool // the client reads relatedInformation
	uri(key string) protocol.DocumentURI
}

// diagSink sends one publishDiagnostics whose list is already encoded.
type diagSink interface {
	publishDiagnostics(uri protocol.DocumentURI, list []byte, version int32, withVersion bool)
}

// keeper is the warm start as the publisher sees it (see warmStart).
type keeper interface {
	// takeCached returns, for the first full round, the lists kept for the
	// files nothing changed for; nil when there are none.
	takeCached() *cachedLists
	// putBack returns lists a superseded round did not get to.
	putBack(*cachedLists)
	// record notes the list published for a closed file, for the next
	// session; forget, that path's list is not one (an open document's).
	record(path string, blob []byte)
	forget(path string)
}

func newPublisher(src diagSource, out diagSink, keep keeper, log *zap.Logger) *publisher {
	return &publisher{src: src, out: out, keep: keep, log: log, dirt: map[string]bool{}, wake: make(chan struct{}, 1), sent: map[string]int{}}
}

func (p *publisher) files(paths map[string]bool) {
	p.mu.Lock()
	for k := range paths {
		p.dirt[k] = true
	}
	p.mu.Unlock()
	p.poke()
}

func (p *publisher) all() {
	p.mu.Lock()
	p.full = true
	p.mu.Unlock()
	p.poke()
}

func (p *publisher) poke() {
	select {
	case p.wake <- struct{}{}:
	default:
	}
}

// pending reports whether diagnostics are being made or waiting to be.
func (p *publisher) pending() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.busy || p.full || len(p.dirt) > 0
}

// settled reports whether every change up to cur has been diagnosed and
// published: only then do the recorded lists all describe one state of
// the workspace.
func (p *publisher) settled(cur *graph.Snapshot) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return !p.busy && !p.full && len(p.dirt) == 0 && p.last == cur
}

// count is the number of diagnostics currently published.
func (p *publisher) count() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.total
}

// run makes rounds until done is closed. A round that panics is logged
// and reported (failed), and the next change starts a new one: the
// server goes on.
func (p *publisher) run(done <-chan struct{}) {
	for {
		select {
		case <-done:
			return
		case <-p.wake:
		}
		p.safeRound()
	}
}

func (p *publisher) safeRound() {
	defer func() {
		if r := recover(); r != nil {
			p.mu.Lock()
			p.busy = false
			p.mu.Unlock()
			if p.failed != nil {
				p.failed("publishing diagnostics", r, debug.Stack())
			}
		}
	}()
	p.round()
}

// round diagnoses and publishes what is dirty now.
func (p *publisher) round() {
	if p.src.indexing() {
		return // the scan marks everything dirty when it is done
	}
	p.mu.Lock()
	dirt, full := p.dirt, p.full
	p.dirt, p.full = map[string]bool{}, false
	p.busy = true
	p.mu.Unlock()
	var kept *cachedLists
	if full {
		if kept = p.keep.takeCached(); kept != nil {
			kept.touched(dirt) // changed since the cache was compared
		}
	}
	defer func() {
		p.mu.Lock()
		p.busy = false
		p.mu.Unlock()
	}()
	start := time.Now()
	snap := p.src.current()
	sevs := p.src.severities()
	open := p.src.versions()
	enc := p.src.encoding()
	var paths []string
	if full {
		for _, f := range snap.Files() {
			paths = append(paths, f.Path)
		}
		// Files published before and gone since need their lists cleared.
		p.mu.Lock()
		for k := range p.sent {
			if snap.File(k) == nil {
				paths = append(paths, k)
			}
		}
		p.mu.Unlock()
	} else {
		for k := range dirt {
			paths = append(paths, k)
		}
	}
	// Diagnose a chunk on all CPUs, publish it in order, and hand the rest
	// over when a newer snapshot has superseded this round.
	const chunk = 256
	results := make([]encoded, chunk)
	for lo := 0; lo < len(paths); lo += chunk {
		if lo > 0 && p.src.current() != snap {
			p.mu.Lock()
			if full {
				p.full = true
			} else {
				for _, k := range paths[lo:] {
					p.dirt[k] = true
				}
			}
			p.mu.Unlock()
			if kept != nil {
				p.keep.putBack(kept)
			}
			p.poke()
			return
		}
		part := paths[lo:min(lo+chunk, len(paths))]
		// Diagnosing and encoding run on every CPU; only the sending is
		// in order.
		graph.Parallel(len(part), 0, func(i int) {
			results[i] = encoded{}
			if _, isOpen := open[part[i]]; !isOpen && kept != nil {
				if blob, ok := kept.list(part[i]); ok {
					results[i].kept = blob
					return
				}
			}
			results[i] = p.encode(snap, part[i], sevs, open, enc)
		})
		for i, path := range part {
			if results[i].kept != nil {
				n, list, err := splitBlob(results[i].kept)
				if err == nil {
					kept.used.Add(1)
					p.keep.record(path, results[i].kept)
					p.publishList(path, n, list, 0, false, !kept.early)
				}
				continue
			}
			p.publish(path, results[i], open)
		}
	}
	p.mu.Lock()
	p.last = snap
	p.mu.Unlock()
	if full {
		p.log.Debug("diagnostics round done", zap.Int("files", len(paths)), zap.Duration("took", time.Since(start)))
	}
}

// diagnose leaves out unresolved-neighbour for closed files while it is a
// hint (see dropHints): resolving every neighbour of the workspace is most
// of the work of a whole-workspace round.
func diagnose(snap *graph.Snapshot, f *graph.File, sevs graph.Severities, open map[string]int32) []graph.Diagnostic {
	if _, ok := open[f.Path]; ok {
		return snap.Diagnose(f)
	}
	if sev := sevs[graph.CodeUnresolvedNeighbour]; sev == graph.SeverityError || sev == graph.SeverityWarning || sev == graph.SeverityInformation {
		return snap.Diagnose(f)
	}
	return snap.DiagnoseWithoutNeighbours(f)
}

// encoded is one file's diagnostics ready to send: their number and the
// JSON array, or the blob kept in the pack.
type encoded struct {
	n      int
	list   []byte
	closed bool // the file is in the snapshot and not open: its list is recorded
	kept   []byte
}

var emptyList = []byte("[]")

// encode diagnoses a file and encodes its list.
func (p *publisher) encode(snap *graph.Snapshot, path string, sevs graph.Severities, open map[string]int32, enc graph.Encoding) encoded {
	f := snap.File(path)
	if f == nil {
		return encoded{list: emptyList}
	}
	_, isOpen := open[path]
	ds := sevs.Apply(diagnose(snap, f, sevs, open))
	if !isOpen {
		ds = dropHints(ds)
	}
	out := encoded{n: len(ds), list: emptyList, closed: !isOpen}
	if len(ds) == 0 {
		return out
	}
	list := make([]protocol.Diagnostic, 0, len(ds))
	for _, d := range ds {
		list = append(list, p.convert(snap, f, d, enc))
	}
	data, err := json.Marshal(list)
	if err != nil {
		p.log.Warn("diagnostics not encoded", zap.String("path", path), zap.Error(err))
		return encoded{list: emptyList}
	}
	out.list = data
	return out
}

// publish sends the diagnostics of one file, and records a closed file's
// list for the next session.
func (p *publisher) publish(path string, e encoded, open map[string]int32) {
	version, isOpen := open[path]
	if e.closed {
		p.keep.record(path, makeBlob(e.n, e.list))
	} else {
		p.keep.forget(path)
	}
	p.publishList(path, e.n, e.list, version, isOpen, true)
}

// publishList sends a list of n diagnostics for path unless send is false
// (a kept list published early, before the round) or it would clear a
// list never sent, and notes what is published.
func (p *publisher) publishList(path string, n int, list []byte, version int32, withVersion, send bool) {
	p.mu.Lock()
	before := p.sent[path]
	if n == 0 {
		delete(p.sent, path)
	} else {
		p.sent[path] = n
	}
	p.total += n - before
	p.mu.Unlock()
	if !send || n == 0 && before == 0 {
		return
	}
	p.out.publishDiagnostics(p.src.uri(path), list, version, withVersion)
}

// dropHints keeps hints to open documents. Editors show hints only inside
// a document (VS Code leaves them out of the Problems panel), and a large
// graph has a hint for most of its files (neighbours outside the
// workspace): sending them for closed files would multiply the traffic of
// the first diagnosis for nothing anyone sees.
func dropHints(ds []graph.Diagnostic) []graph.Diagnostic {
	out := ds[:0]
	for _, d := range ds {
		if d.Severity != graph.SeverityHint {
			out = append(out, d)
		}
	}
	return out
}

// diagnosticData travels with a diagnostic to code actions.
type diagnosticData struct {
	Suggestions []string `json:"suggestions,omitempty"`
	ID          string   `json:"id,omitempty"`
}

func (p *publisher) convert(snap *graph.Snapshot, f *graph.File, d graph.Diagnostic, enc graph.Encoding) protocol.Diagnostic {
	out := protocol.Diagnostic{
		Range:    rangeOf(f, d.Span, enc),
		Severity: protocol.DiagnosticSeverity(d.Severity),
		Code:     string(d.Code),
		Source:   "seedls",
		Message:  d.Message,
	}
	if d.Code == graph.CodeUnresolvedNeighbour {
		out.Tags = []protocol.DiagnosticTag{protocol.DiagnosticTagUnnecessary}
	}
	if len(d.Suggestions) > 0 || d.ID != "" {
		out.Data = diagnosticData{Suggestions: d.Suggestions, ID: d.ID}
	}
	if p.src.related() {
		for _, r := range d.Related {
			if f := snap.File(r.Path); f != nil {
				out.RelatedInformation = append(out.RelatedInformation, protocol.DiagnosticRelatedInformation{
					Location: protocol.Location{URI: p.src.uri(r.Path), Range: rangeOf(f, r.Span, enc)}, Message: "here",
				})
			}
		}
	}
	return out
}

// publishDiagnostics writes a publishDiagnostics notification whose list
// is already encoded, as one frame: at a first start there are
// thousands, and the library would encode each list again.
func (s *Server) publishDiagnostics(uri protocol.DocumentURI, list []byte, version int32, withVersion bool) {
	u, _ := json.Marshal(string(uri))
	b := make([]byte, 0, len(list)+len(u)+96)
	b = append(b, `{"jsonrpc":"2.0","method":"textDocument/publishDiagnostics","params":{"uri":`...)
	b = append(b, u...)
	if withVersion {
		b = append(b, `,"version":`...)
		b = strconv.AppendInt(b, int64(version), 10)
	}
	b = append(b, `,"diagnostics":`...)
	b = append(b, list...)
	b = append(b, "}}"...)
	if _, err := s.stream.writeRaw(b); err != nil {
		s.log.Debug("notification not sent", zap.Error(err))
	}
}

// progressParams is $/progress with a string token: protocol's
// ProgressToken marshals only through a pointer, and as a field of a value
// it goes out as {}, which clients cannot match to the begin.
type progressParams struct {
	Token string `json:"token"`
	Value any    `json:"value"`
}

// progress reports work to the client through $/progress, when it can.
type progress struct {
	s     *Server
	token string
	ok    bool
	mu    sync.Mutex // report is called from the scan's workers
	last  time.Time
}

func (s *Server) beginProgress(title, msg string) *progress {
	p := &progress{s: s}
	if !s.caps.progress {
		return p
	}
	p.token = fmt.Sprintf("seedls-%d", time.Now().UnixNano())
	if err := s.callTimeout("window/workDoneProgress/create", map[string]any{"token": p.token}, nil); err != nil {
		return p
	}
	p.ok = true
	s.notify("$/progress", progressParams{Token: p.token, Value: protocol.WorkDoneProgressBegin{
		Kind: protocol.WorkDoneProgressKindBegin, Title: title, Message: msg, Percentage: 0,
	}})
	return p
}

func (p *progress) report(msg string, pct int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.ok || time.Since(p.last) < 100*time.Millisecond {
		return
	}
	p.last = time.Now()
	p.s.notify("$/progress", progressParams{Token: p.token, Value: protocol.WorkDoneProgressReport{
		Kind: protocol.WorkDoneProgressKindReport, Message: msg, Percentage: uint32(pct),
	}})
}

func (p *progress) end(msg string) {
	if !p.ok {
		return
	}
	p.s.notify("$/progress", progressParams{Token: p.token, Value: protocol.WorkDoneProgressEnd{
		Kind: protocol.WorkDoneProgressKindEnd, Message: msg,
	}})
}
