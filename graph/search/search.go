// Package search is the full-text index over entities' titles and
// summaries (bleve), behind completion by words and workspace symbols.
package search

import (
	"bufio"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/index/scorch/mergeplan"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/seedls/seedls/graph"
)

// Index is the full-text index. It holds file paths only: the snapshot
// holds the text, and ranks what the index finds.
type Index struct {
	idx bleve.Index
}

// New makes an index in memory (path "") or on disk. The mapping is
// lean: nothing stored, no term vectors, no doc values, no dynamic fields,
// and a lower-casing analyzer without stemming (a stemmer indexes
// "deceptive" as "decept", and prefix completion would miss it).
func New(path string) (*Index, error) {
	m := bleve.NewIndexMapping()
	if err := m.AddCustomAnalyzer("words", map[string]any{
		"type":          custom.Name,
		"tokenizer":     unicode.Name,
		"token_filters": []string{lowercase.Name},
	}); err != nil {
		return nil, err
	}
	text := func() *mapping.FieldMapping {
		f := bleve.NewTextFieldMapping()
		f.Analyzer = "words"
		f.Store = false
		f.IncludeTermVectors = false
		f.IncludeInAll = false
		f.DocValues = false
		return f
	}
	doc := bleve.NewDocumentStaticMapping()
	doc.AddFieldMappingsAt("title", text())
	doc.AddFieldMappingsAt("summary", text())
	m.DefaultMapping = doc
	m.DefaultAnalyzer = "words"
	m.StoreDynamic = false
	m.IndexDynamic = false
	m.DocValuesDynamic = false
	idx, err := bleve.NewUsing(path, m, scorch.Name, scorch.Name, nil)
	if err != nil {
		return nil, err
	}
	return &Index{idx: idx}, nil
}

// ErrLocked is returned by Open when another process holds
// the index (a second editor on the same workspace).
var ErrLocked = errors.New("search index in use by another process")

// Open opens an index New made on disk. Another process's lock
// makes it give up after wait instead of blocking forever, as bleve.Open
// does.
func Open(path string, wait time.Duration) (*Index, error) {
	idx, err := bleve.OpenUsing(path, map[string]any{"bolt_timeout": wait.String()})
	if err != nil {
		if strings.Contains(err.Error(), "timeout") {
			return nil, ErrLocked
		}
		return nil, err
	}
	return &Index{idx: idx}, nil
}

// Merge merges the index's segments into one, as after a bulk build:
// scorch's own merger would get there in the background, but a session
// that ends soon after leaves a dozen segments, and prefix queries over
// many segments are several times slower.
func (x *Index) Merge(ctx context.Context) error {
	adv, err := x.idx.Advanced()
	if err != nil {
		return err
	}
	sc, ok := adv.(*scorch.Scorch)
	if !ok {
		return nil
	}
	return sc.ForceMerge(ctx, &mergeplan.SingleSegmentMergePlanOptions)
}

// Count is the number of documents indexed.
func (x *Index) Count() (uint64, error) { return x.idx.DocCount() }

type searchDoc struct {
	Title   string `json:"title"`
	Summary string `json:"summary"`
}

// Update indexes the entities of add and removes the files of remove, in
// one batch. Documents are keyed by file path, not by id: two files may
// define one id, and removing one must not remove the other.
func (x *Index) Update(add []*graph.File, remove []string) error {
	b := x.idx.NewBatch()
	for _, p := range remove {
		b.Delete(p)
	}
	for _, f := range add {
		if f.Entity == nil {
			continue
		}
		if err := b.Index(f.Path, searchDoc{Title: f.Entity.Title, Summary: f.Entity.Summary}); err != nil {
			return err
		}
	}
	return x.idx.Batch(b)
}

// Find returns up to max paths of entity files whose title or summary has
// each query word, the last one as a prefix (one-letter words are left to
// the ranking when there are others). Hits are not scored; the snapshot
// ranks them.
//
// The query's searcher is walked here rather than through Search: Search
// collects into a pool of max matches, loads every hit's stored fields
// (there are none) and sorts: hundreds of kilobytes of garbage a
// keystroke in a large workspace, whose collections slow completion.
// The hits are the same: the first max in index order.
func (x *Index) Find(words []string, max int) ([]string, error) {
	if len(words) == 0 || max <= 0 {
		return nil, nil
	}
	adv, err := x.idx.Advanced()
	if err != nil {
		return nil, err
	}
	r, err := adv.Reader()
	if err != nil {
		return nil, err
	}
	defer r.Close()
	sr, err := wordsQuery(words).Searcher(context.Background(), r, x.idx.Mapping(), search.SearcherOptions{Score: "none"})
	if err != nil {
		return nil, err
	}
	defer sr.Close()
	sc := &search.SearchContext{DocumentMatchPool: search.NewDocumentMatchPool(sr.DocumentMatchPoolSize(), 0), IndexReader: r}
	var paths []string
	for len(paths) < max {
		m, err := sr.Next(sc)
		if err != nil {
			return nil, err
		}
		if m == nil {
			break
		}
		p, err := r.ExternalID(m.IndexInternalID)
		if err != nil {
			return nil, err
		}
		paths = append(paths, p)
		sc.DocumentMatchPool.Put(m)
	}
	return paths, nil
}

// wordQuery matches a word of the title or the summary: the last word
// typed by its prefix, the others whole, as search-as-you-type does
// (Elasticsearch's match_bool_prefix). A prefix expands to every term it
// starts, each with its own postings reader, so the words before the last
// are matched whole.
// wordsQuery asks for every word, the last one as a prefix. A
// one-character prefix expands to a large part of the term dictionary, so
// one-letter words are left out when there are others (RankWords still
// requires them).
func wordsQuery(words []string) query.Query {
	var conj []query.Query
	for i, w := range words {
		if len(w) < 2 && len(words) > 1 {
			continue
		}
		conj = append(conj, wordQuery(strings.ToLower(w), i == len(words)-1))
	}
	return bleve.NewConjunctionQuery(conj...)
}

func wordQuery(w string, last bool) query.Query {
	field := func(name string) query.Query {
		if last {
			q := bleve.NewPrefixQuery(w)
			q.SetField(name)
			return q
		}
		q := bleve.NewTermQuery(w)
		q.SetField(name)
		return q
	}
	return bleve.NewDisjunctionQuery(field("title"), field("summary"))
}

// Close releases the index.
func (x *Index) Close() error { return x.idx.Close() }

// The index of a whole workspace is built by a child process (seedls
// index), so that its allocations and its CPU stay out of the server's
// way; WriteDocs and Build are the two ends of the pipe between them.

// WriteDocs writes the documents of files' entities to w, as Build reads
// them: each file's path, title and summary, every string preceded by its
// length.
func WriteDocs(w io.Writer, files []*graph.File) error {
	bw := bufio.NewWriterSize(w, 1<<16)
	var num [binary.MaxVarintLen64]byte
	str := func(s string) {
		bw.Write(num[:binary.PutUvarint(num[:], uint64(len(s)))])
		bw.WriteString(s)
	}
	for _, f := range files {
		if e := f.Entity; e != nil {
			str(f.Path)
			str(e.Title)
			str(e.Summary)
		}
	}
	return bw.Flush()
}

// Build makes a complete index at path of the documents r holds (see
// WriteDocs), merged to one segment, and closes it.
func Build(path string, r io.Reader) error {
	idx, err := New(path)
	if err != nil {
		return err
	}
	br := bufio.NewReaderSize(r, 1<<16)
	str := func() (string, error) {
		n, err := binary.ReadUvarint(br)
		if err != nil {
			return "", err
		}
		if n > 1<<30 {
			return "", errors.New("index input: a string too long")
		}
		b := make([]byte, n)
		_, err = io.ReadFull(br, b)
		return string(b), err
	}
	b := idx.idx.NewBatch()
	for {
		p, err := str()
		if errors.Is(err, io.EOF) {
			break
		}
		title, err2 := str()
		summary, err3 := str()
		if err := errors.Join(err, err2, err3); err != nil {
			idx.Close()
			return fmt.Errorf("index input: %w", err)
		}
		if err := b.Index(p, searchDoc{Title: title, Summary: summary}); err != nil {
			idx.Close()
			return err
		}
		if b.Size() == 2000 {
			if err := idx.idx.Batch(b); err != nil {
				idx.Close()
				return err
			}
			b.Reset()
		}
	}
	if err := idx.idx.Batch(b); err != nil {
		idx.Close()
		return err
	}
	if err := idx.Merge(context.Background()); err != nil {
		idx.Close()
		return err
	}
	return idx.Close()
}
