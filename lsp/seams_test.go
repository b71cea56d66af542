package lsp

// Unit tests of the parts between the workspace, the publisher, the
// searcher and the warm start, through the interfaces they see each
// other by: no subprocess, no client.

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"go.lsp.dev/protocol"
	"go.uber.org/zap"

	"github.com/seedls/seedls/graph"
)

// testServer is a server whose connection goes nowhere: its parts run as
// in a session, without a client.
func testServer(t *testing.T) *Server {
	t.Helper()
	r, _ := io.Pipe()
	s := newServer(r, io.Discard, Options{Logger: zap.NewNop(), IndexWait: time.Second})
	t.Cleanup(func() {
		s.search.close()
		s.warm.close()
	})
	return s
}

// fakeSource is a diagSource over one snapshot.
type fakeSource struct {
	mu    sync.Mutex
	snap  *graph.Snapshot
	panic int // the next calls of current that panic
}

func (f *fakeSource) current() *graph.Snapshot {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.panic > 0 {
		f.panic--
		panic("a fault in a round")
	}
	return f.snap
}
func (f *fakeSource) indexing() bool               { return false }
func (f *fakeSource) severities() graph.Severities { return nil }
func (f *fakeSource) versions() map[string]int32   { return nil }
func (f *fakeSource) encoding() graph.Encoding     { return graph.UTF16 }
func (f *fakeSource) related() bool                { return false }
func (f *fakeSource) uri(key string) protocol.DocumentURI {
	return protocol.DocumentURI("file://" + key)
}

// fakeSink collects what is published, by URI.
type fakeSink struct {
	mu   sync.Mutex
	sent map[protocol.DocumentURI]string
}

func (f *fakeSink) publishDiagnostics(uri protocol.DocumentURI, list []byte, _ int32, _ bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.sent[uri] = string(list)
}

func (f *fakeSink) get(uri protocol.DocumentURI) (string, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	s, ok := f.sent[uri]
	return s, ok
}

type noKeeper struct{}

func (noKeeper) takeCached() *cachedLists { return nil }
func (noKeeper) putBack(*cachedLists)     {}
func (noKeeper) record(string, []byte)    {}
func (noKeeper) forget(string)            {}
func waitUntil(t *testing.T, what string, ok func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !ok(); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}

// A round that panics is contained and reported; the next change is
// published as usual. (A panic in one of the round's parallel workers
// reaches the round: graph's TestParallelPanic.)
func TestPublisherSurvivesPanic(t *testing.T) {
	doc := graph.ParseFile("/w/d.md", "see claim:nowhere")
	src := &fakeSource{snap: graph.Build([]*graph.File{doc}), panic: 1}
	out := &fakeSink{sent: map[protocol.DocumentURI]string{}}
	p := newPublisher(src, out, noKeeper{}, zap.NewNop())
	var reports []string
	var mu sync.Mutex
	p.failed = func(what string, r any, _ []byte) {
		mu.Lock()
		defer mu.Unlock()
		reports = append(reports, fmt.Sprint(what, ": ", r))
	}
	done := make(chan struct{})
	defer close(done)
	go p.run(done)
	p.all()
	waitUntil(t, "the panic to be reported", func() bool { mu.Lock(); defer mu.Unlock(); return len(reports) == 1 })
	p.all()
	waitUntil(t, "the next round", func() bool {
		list, ok := out.get("file:///w/d.md")
		return ok && strings.Contains(list, "unknown-reference")
	})
	if p.pending() {
		t.Fatal("the publisher is still busy")
	}
}

// A scan that finishes after a newer one started (settings changed
// meanwhile) is dropped: the newer scan's snapshot stays.
func TestStaleScanDropped(t *testing.T) {
	s := testServer(t)
	root := t.TempDir()
	os.WriteFile(filepath.Join(root, "a.md"), []byte("see claim:a"), 0o644)
	os.WriteFile(filepath.Join(root, "b.txt"), []byte("see claim:b"), 0o644)
	s.ws.configure([]string{root}, graph.UTF16, json.RawMessage(`{"files":{"include":["**/*.md"]}}`))
	first, second := make(chan struct{}), make(chan struct{})
	s.ws.beforeStore = func(n int) {
		if n == 1 {
			close(first)
			<-second // the first scan finishes last
		}
	}
	go s.ws.scan()
	<-first
	s.ws.mu.Lock()
	s.ws.applySettingsLocked(json.RawMessage(`{"files":{"include":["**/*.txt"]}}`))
	s.ws.mu.Unlock()
	s.ws.scan() // the second, with the newer settings, finishes first
	close(second)
	waitUntil(t, "the first scan to finish", func() bool {
		s.ws.mu.Lock()
		defer s.ws.mu.Unlock()
		return s.ws.scanning == 0
	})
	snap := s.ws.current()
	if snap.File(filepath.Join(root, "b.txt")) == nil || snap.File(filepath.Join(root, "a.md")) != nil {
		t.Fatalf("the older scan's snapshot won: %d files", snap.FileCount())
	}
}

// When saving the pack gives up, recording stops: closed files' lists are
// not held for the rest of the session.
func TestSaveGivenUpStopsRecording(t *testing.T) {
	s := testServer(t)
	w := s.warm
	w.recorded = map[string][]byte{}
	w.record("/w/a.md", makeBlob(1, []byte(`[{}]`)))
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // the session ends before the workspace settles
	s.pub.mu.Lock()
	s.pub.full = true // never settled
	s.pub.mu.Unlock()
	w.save(ctx, &cache{dir: t.TempDir()}, s.ws, s.pub)
	w.record("/w/b.md", makeBlob(0, emptyList))
	if w.recorded != nil {
		t.Fatalf("still recording: %d lists held", len(w.recorded))
	}
}

// Index updates are never dropped: far more than a queue would hold,
// made faster than the index takes them, all reach it, the latest
// version of each file winning.
func TestSearchUpdatesCoalesced(t *testing.T) {
	entity := func(path, title string) *graph.File {
		return graph.ParseFile(path, "claim\nactive\nclaim:"+graph.Slug(title)+title+"\nA summary\n")
	}
	var files []*graph.File
	for i := 0; i < 50; i++ {
		files = append(files, entity(fmt.Sprintf("/w/e%02d.txt", i), fmt.Sprintf("Original title %d", i)))
	}
	snap := graph.Build(files)
	x := newSearcher(zap.NewNop(), inProcessBuilder)
	defer x.close()
	x.start(snap, nil, nil, nil)
	if !x.isReady() {
		t.Fatal("no index")
	}
	// One file at a time, as edits come: 2,000 updates.
	for round := 0; round < 40; round++ {
		for i := 0; i < 50; i++ {
			path := fmt.Sprintf("/w/e%02d.txt", i)
			old := snap.File(path)
			f := entity(path, fmt.Sprintf("Edited zanzibar%d title %d", round, i))
			snap = snap.With([]*graph.File{f}, nil)
			x.update([]*graph.File{old}, []*graph.File{f})
		}
	}
	waitUntil(t, "every update to be applied", func() bool {
		x.mu.Lock()
		defer x.mu.Unlock()
		return len(x.pending) == 0 && !x.applying
	})
	cands, _ := x.find(snap, "zanzibar39", 100)
	if len(cands) != 50 {
		t.Fatalf("the last edits found for %d files of 50", len(cands))
	}
	if old, _ := x.find(snap, "original", 100); len(old) != 0 {
		t.Fatalf("%d files still found by their first titles", len(old))
	}
}
