package graph

import (
	"strings"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search/query"
)

// Search is the full-text index over entities' titles and summaries,
// behind completion by words and workspace symbols. It holds ids only: the
// snapshot holds the text, and ranks what the index finds.
type Search struct {
	idx bleve.Index
}

// NewSearch makes an index in memory (path "") or on disk. The mapping is
// lean: nothing stored, no term vectors, no doc values, no dynamic fields,
// and a lower-casing analyzer without stemming (a stemmer indexes
// "deceptive" as "decept", and prefix completion would miss it).
func NewSearch(path string) (*Search, error) {
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
	return &Search{idx: idx}, nil
}

type searchDoc struct {
	Title   string `json:"title"`
	Summary string `json:"summary"`
}

// Update indexes entities and removes ids, in one batch.
func (x *Search) Update(add []*Entity, remove []string) error {
	b := x.idx.NewBatch()
	for _, id := range remove {
		b.Delete(id)
	}
	for _, e := range add {
		if e.ID == "" {
			continue
		}
		if err := b.Index(e.ID, searchDoc{Title: e.Title, Summary: e.Summary}); err != nil {
			return err
		}
	}
	return x.idx.Batch(b)
}

// Find returns up to max ids whose title or summary has a word starting
// with each query word. Hits are not scored (bleve scores every hit, which
// is what makes common prefixes slow); the snapshot ranks them.
func (x *Search) Find(words []string, max int) ([]string, error) {
	if len(words) == 0 {
		return nil, nil
	}
	var conj []query.Query
	for _, w := range words {
		// A one-character prefix expands to a large part of the term
		// dictionary; RankWords still requires the word.
		if len(w) < 2 && len(words) > 1 {
			continue
		}
		t := bleve.NewPrefixQuery(strings.ToLower(w))
		t.SetField("title")
		s := bleve.NewPrefixQuery(strings.ToLower(w))
		s.SetField("summary")
		conj = append(conj, bleve.NewDisjunctionQuery(t, s))
	}
	req := bleve.NewSearchRequestOptions(bleve.NewConjunctionQuery(conj...), max, 0, false)
	req.Score = "none"
	res, err := x.idx.Search(req)
	if err != nil {
		return nil, err
	}
	ids := make([]string, 0, len(res.Hits))
	for _, h := range res.Hits {
		ids = append(ids, h.ID)
	}
	return ids, nil
}

// Close releases the index.
func (x *Search) Close() error { return x.idx.Close() }

// RankWords turns ids found for query into ranked candidates: entities of
// the snapshot whose title has the query's words first, then those matched
// by their summary, each by citations.
func (s *Snapshot) RankWords(ids []string, query string, limit int) ([]Candidate, bool) {
	qs := TitleWords(query)
	var inTitle, inSummary []Candidate
	for _, id := range ids {
		for _, e := range s.Defs(id) {
			switch {
			case allPrefixed(e.Title, qs):
				inTitle = append(inTitle, Candidate{Entity: e})
			case allPrefixed(e.Summary, qs):
				inSummary = append(inSummary, Candidate{Entity: e})
			}
		}
	}
	a, moreA := s.rank(inTitle, limit)
	if moreA {
		return a, true
	}
	b, moreB := s.rank(inSummary, limit-len(a))
	return append(a, b...), moreB
}
