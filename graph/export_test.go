package graph

// GeneratedFiles is generatedFiles, for the external tests.
var GeneratedFiles = generatedFiles

// Resolves is resolves, for the external tests.
func (s *Snapshot) Resolves(f *File, g *Group, it *Item) bool { return s.resolves(f, g, it) }

// ResolvesTo is resolvesTo, for the external tests.
func (s *Snapshot) ResolvesTo(f *File, g *Group, it *Item, e *Entity) bool {
	return s.resolvesTo(f, g, it, e)
}

// HasTypedEdge is hasTypedEdge, and HasTypedEdgeByListedBy the way it was
// written before: through ListedBy.
func (s *Snapshot) HasTypedEdge(e *Entity) bool { return s.hasTypedEdge(e) }

func (s *Snapshot) HasTypedEdgeByListedBy(e *Entity) bool {
	for i := range e.Groups {
		if g := &e.Groups[i]; g.Section == Typed && (g.Count > 0 || g.n > 0) {
			return true
		}
	}
	for _, r := range s.ListedBy(e) {
		if r.GroupOf().Section == Typed && r.File.Entity != e {
			return true
		}
	}
	return false
}
