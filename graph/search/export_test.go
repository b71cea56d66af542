package search

import "github.com/blevesearch/bleve/v2"

// FindQuery is Find through bleve's Search, as Find was written before it
// walked the searcher itself: what Find must agree with.
func (x *Index) FindQuery(words []string, max int) ([]string, error) {
	req := bleve.NewSearchRequestOptions(wordsQuery(words), max, 0, false)
	req.Score = "none"
	res, err := x.idx.Search(req)
	if err != nil {
		return nil, err
	}
	paths := make([]string, 0, len(res.Hits))
	for _, h := range res.Hits {
		paths = append(paths, h.ID)
	}
	return paths, nil
}
