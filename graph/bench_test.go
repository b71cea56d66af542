package graph_test

import (
	"sync"
	"testing"

	"github.com/seedls/seedls/graph"
	"github.com/seedls/seedls/graph/gen"
)

// In-memory corpus for the benchmarks: parse and resolve without the file
// system (make bench measures the whole path, reading included).
var benchCorpus = sync.OnceValue(func() []gen.File {
	var files []gen.File
	if err := gen.Generate(gen.Options{Entities: 10000}, func(f gen.File) error {
		files = append(files, f)
		return nil
	}); err != nil {
		panic(err)
	}
	return files
})

func BenchmarkParse(b *testing.B) {
	files := benchCorpus()
	n := 0
	for _, f := range files {
		n += len(f.Data)
	}
	b.SetBytes(int64(n))
	for b.Loop() {
		for _, f := range files {
			graph.ParseFile(f.Name, string(f.Data))
		}
	}
}

func BenchmarkBuildDiagnose(b *testing.B) {
	var parsed []*graph.File
	for _, f := range benchCorpus() {
		parsed = append(parsed, graph.ParseFile(f.Name, string(f.Data)))
	}
	for b.Loop() {
		s := graph.Build(parsed)
		for _, f := range parsed {
			s.Diagnose(f)
		}
	}
}

func BenchmarkHover(b *testing.B) {
	var parsed []*graph.File
	for _, f := range benchCorpus() {
		parsed = append(parsed, graph.ParseFile(f.Name, string(f.Data)))
	}
	s := graph.Build(parsed)
	var es []*graph.Entity
	for _, f := range parsed {
		if f.Entity != nil {
			es = append(es, f.Entity)
		}
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		s.Hover(es[i%len(es)])
		i++
	}
}
