package lsp

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"sync"
	"time"

	"go.lsp.dev/protocol"
	"go.uber.org/zap"

	"github.com/seedls/seedls/graph"
	"github.com/seedls/seedls/graph/pack"
)

// publisher pushes diagnostics. Changes mark files dirty; one goroutine
// diagnoses the dirty files against the newest snapshot and publishes
// them. Changes that arrive meanwhile are coalesced into the next round,
// and a file whose snapshot was superseded before it was published is
// left for that round: what is sent is never older than what it replaces.
type publisher struct {
	s    *Server
	mu   sync.Mutex
	dirt map[string]bool
	full bool // every file is dirty
	wake chan struct{}
	// sent holds the number of diagnostics last published per file, so
	// that a file whose diagnostics went away gets an empty list.
	sent  map[string]int
	total int  // the sum of sent
	busy  bool // a round is running
	// kept holds, for a warm start, the diagnostics the pk kept for
	// files that did not change: the first full round publishes them as
	// they are instead of diagnosing those files.
	kept         *pack.Pack
	keptAffected map[string]bool
	// record, while not nil, collects every closed file's published
	// diagnostics as a pk blob, for the pk this session leaves.
	record map[string][]byte
	// last is the snapshot of the last round that ran to the end.
	last *graph.Snapshot
	// reused counts files published from kept diagnostics.
	reused int
	// early is set once publishEarly has sent the kept diagnostics: the
	// first full round then records them without sending them again.
	early bool
}

func newPublisher(s *Server) *publisher {
	return &publisher{s: s, dirt: map[string]bool{}, wake: make(chan struct{}, 1), sent: map[string]int{}}
}

// keep makes the next full round publish the pk's diagnostics for every
// file not in affected, and record blobs for the pk to come.
func (p *publisher) keep(pk *pack.Pack, affected map[string]bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.kept, p.keptAffected = pk, affected
}

// startRecording makes rounds collect blobs for a pk.
func (p *publisher) startRecording() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.record == nil {
		p.record = map[string][]byte{}
	}
}

func (p *publisher) stopRecording() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.record = nil
}

// settled returns the blobs recorded so far, and stops recording, when
// every change up to cur has been diagnosed and published: only then do
// they all describe one state of the workspace.
func (p *publisher) settled(cur *graph.Snapshot) (map[string][]byte, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.busy || p.full || len(p.dirt) > 0 || p.last != cur || p.record == nil {
		return nil, false
	}
	out := p.record
	p.record = nil
	return out, true
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

// reusedCount is the number of files published from kept diagnostics.
func (p *publisher) reusedCount() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.reused
}

// count is the number of diagnostics currently published.
func (p *publisher) count() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.total
}

func (p *publisher) run(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-p.wake:
		}
		p.round()
	}
}

// round diagnoses and publishes what is dirty now.
func (p *publisher) round() {
	// Before the workspace is read every citation would look unknown:
	// nothing is published until the scan marks everything dirty.
	if p.s.ws.indexing() {
		return
	}
	p.mu.Lock()
	dirt, full := p.dirt, p.full
	p.dirt, p.full = map[string]bool{}, false
	p.busy = true
	var kept *pack.Pack
	var affected map[string]bool
	if full && p.kept != nil {
		kept, affected = p.kept, p.keptAffected
		p.kept, p.keptAffected = nil, nil
		// Files changed since the pk was compared are not taken from it.
		for k := range dirt {
			affected[k] = true
		}
	}
	p.mu.Unlock()
	defer func() {
		p.mu.Lock()
		p.busy = false
		p.mu.Unlock()
	}()
	start := time.Now()
	snap := p.s.ws.current()
	sevs := p.s.ws.severities()
	open := p.s.ws.versions()
	enc := p.s.ws.enc
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
		if lo > 0 && p.s.ws.current() != snap {
			p.mu.Lock()
			if full {
				p.full = true
				if kept != nil && p.kept == nil {
					p.kept, p.keptAffected = kept, affected
				}
			} else {
				for _, k := range paths[lo:] {
					p.dirt[k] = true
				}
			}
			p.mu.Unlock()
			p.poke()
			return
		}
		part := paths[lo:min(lo+chunk, len(paths))]
		// Diagnosing and encoding run on every CPU; only the sending is
		// in order.
		graph.Parallel(len(part), 0, func(i int) {
			results[i] = encoded{}
			if _, isOpen := open[part[i]]; kept != nil && !affected[part[i]] && !isOpen {
				if e, ok := kept.Entry(part[i]); ok && e.HasBlob {
					results[i].kept = e.Blob
					return
				}
			}
			results[i] = p.encode(snap, part[i], sevs, open, enc)
		})
		for i, path := range part {
			if results[i].kept != nil {
				p.publishKept(path, results[i].kept)
				continue
			}
			p.publish(path, results[i], open)
		}
	}
	p.mu.Lock()
	p.last = snap
	if full {
		p.early = false
	}
	p.mu.Unlock()
	if full {
		p.s.log.Debug("diagnostics round done", zap.Int("files", len(paths)), zap.Duration("took", time.Since(start)))
	}
}

// publishEarly publishes the pk's diagnostics of every file but the
// open ones, before the workspace is read: the caller checked that the
// pk is the workspace as it is.
func (p *publisher) publishEarly(pk *pack.Pack, open []string) int {
	isOpen := map[string]bool{}
	for _, k := range open {
		isOpen[k] = true
	}
	n := 0
	for i := range pk.Entries {
		e := &pk.Entries[i]
		if e.HasBlob && !isOpen[e.Path] {
			p.publishKept(e.Path, e.Blob)
			n++
		}
	}
	p.mu.Lock()
	p.early, p.reused = true, 0
	p.mu.Unlock()
	return n
}

// publishKept sends diagnostics kept in the pk, as they were sent then.
func (p *publisher) publishKept(path string, blob []byte) {
	n, diags, err := splitBlob(blob)
	if err != nil {
		return
	}
	p.mu.Lock()
	before := p.setSentLocked(path, n)
	p.reused++
	if p.record != nil {
		p.record[path] = blob
	}
	early := p.early
	p.mu.Unlock()
	if early || n == 0 && before == 0 {
		return // already sent, or nothing to clear
	}
	p.send(path, diags, 0, false)
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
// JSON array, or the blob kept in the pk.
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
		p.s.log.Warn("diagnostics not encoded", zap.String("path", path), zap.Error(err))
		return encoded{list: emptyList}
	}
	out.list = data
	return out
}

// publish sends the diagnostics of one file, or an empty list when a file
// that had some has none now. A closed file's list is recorded for the
// pk while recording.
func (p *publisher) publish(path string, e encoded, open map[string]int32) {
	version, isOpen := open[path]
	p.mu.Lock()
	before := p.setSentLocked(path, e.n)
	if p.record != nil {
		if e.closed {
			p.record[path] = makeBlob(e.n, e.list)
		} else {
			delete(p.record, path)
		}
	}
	p.mu.Unlock()
	if e.n == 0 && before == 0 {
		return
	}
	p.send(path, e.list, version, isOpen)
}

// setSentLocked records that n diagnostics are published for path and
// returns how many were before.
func (p *publisher) setSentLocked(path string, n int) int {
	before := p.sent[path]
	if n == 0 {
		delete(p.sent, path)
	} else {
		p.sent[path] = n
	}
	p.total += n - before
	return before
}

// send writes a publishDiagnostics notification whose list is already
// encoded, as one frame: at a first start there are thousands.
func (p *publisher) send(path string, list []byte, version int32, withVersion bool) {
	uri, _ := json.Marshal(string(uriOf(path)))
	b := make([]byte, 0, len(list)+len(uri)+96)
	b = append(b, `{"jsonrpc":"2.0","method":"textDocument/publishDiagnostics","params":{"uri":`...)
	b = append(b, uri...)
	if withVersion {
		b = append(b, `,"version":`...)
		b = strconv.AppendInt(b, int64(version), 10)
	}
	b = append(b, `,"diagnostics":`...)
	b = append(b, list...)
	b = append(b, "}}"...)
	if _, err := p.s.stream.writeRaw(b); err != nil {
		p.s.log.Debug("notification not sent", zap.Error(err))
	}
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
	if len(d.Suggestions) > 0 || d.Code == graph.CodeUnknownReference || d.Code == graph.CodeIDTitleMismatch {
		out.Data = diagnosticData{Suggestions: d.Suggestions, ID: d.ID}
	}
	if p.s.caps.related {
		for _, r := range d.Related {
			if loc, ok := location(snap, graph.Location{Path: r.Path, Span: r.Span}, enc); ok {
				out.RelatedInformation = append(out.RelatedInformation, protocol.DiagnosticRelatedInformation{
					Location: loc, Message: "here",
				})
			}
		}
	}
	return out
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
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := s.call(ctx, "window/workDoneProgress/create", map[string]any{"token": p.token}, nil); err != nil {
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
