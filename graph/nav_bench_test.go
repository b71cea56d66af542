package graph_test

import (
	"strings"
	"testing"

	"github.com/seedls/seedls/graph"
)

// BenchmarkHints: the inlay hints of a draft citing 200 entities of a
// 10k corpus, the files without their texts as a scan leaves them (the
// hints read none).
func BenchmarkHints(b *testing.B) {
	var parsed []*graph.File
	var ids []string
	for _, f := range benchCorpus() {
		pf := graph.ParseFile(f.Name, string(f.Data))
		if pf.Entity != nil && len(ids) < 200 && len(ids)*50 <= len(parsed) {
			ids = append(ids, pf.Entity.ID)
		}
		pf.DropText()
		parsed = append(parsed, pf)
	}
	var d strings.Builder
	for _, id := range ids {
		d.WriteString("As argued in " + id + ", the effect holds.\n")
	}
	doc := graph.ParseFile("/draft.md", d.String())
	s := graph.Build(append(parsed, doc))
	// Warm: asked again while the draft is edited. Cold: after an entity
	// file changed, which counts everything again.
	b.Run("warm", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if len(s.Hints(doc, 0, doc.Len)) == 0 {
				b.Fatal("no hints")
			}
		}
	})
	b.Run("cold", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			b.StopTimer()
			s = s.With([]*graph.File{graph.ParseFile(parsed[0].Path, string(benchCorpus()[0].Data))}, nil)
			b.StartTimer()
			if len(s.Hints(doc, 0, doc.Len)) == 0 {
				b.Fatal("no hints")
			}
		}
	})
}
