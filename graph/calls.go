package graph

import "strings"

// Navigation of the evidence graph: what an entity rests on and what
// rests on it, as an editor's call hierarchy shows it. An edge is a typed
// group's item: the entity whose file lists a neighbour in a typed group
// points to that neighbour. Similarity and "Restated by" lists are not
// edges. Documents citing an entity point to it too.

// navText is the text of f as the navigation queries read it: the one
// place they ask for it. Closed files do not hold their text: the
// snapshot reads it again (false when the file changed since).
func (s *Snapshot) navText(f *File) (string, bool) {
	if f == nil {
		return "", false
	}
	return s.Text(f)
}

// NodeKind says what a navigation node stands for.
type NodeKind uint8

const (
	EntityNode    NodeKind = iota // an entity of the workspace
	DocumentNode                  // a writer's document
	NeighbourNode                 // a neighbour item that names nothing in the workspace
)

// Node is one end of an evidence edge.
type Node struct {
	Kind   NodeKind
	Entity *Entity // for EntityNode
	// File is where the node stands: the entity's file, the document, or
	// for a NeighbourNode the file whose item names it.
	File *File
	// Span names the node in File: the id, or the neighbour item's name;
	// empty for a document.
	Span Span
	// Name is the entity's title, the document's base name, or the
	// neighbour's name; ItemKind the entity's or the neighbour's kind.
	Name, ItemKind string
}

// Arc is an edge, or several parallel ones, seen from one end.
type Arc struct {
	Node Node // the other end
	// In is the file the edge is written in, and Spans where: the listing
	// items (in the lister's file) or the citations (in the document).
	In    *File
	Spans []Span
	// Relations are the items' relation words, each once, in order; Group
	// the label of the first listing item's group ("" for citations).
	Relations []string
	Group     string
}

// EntityNodeOf returns the node of an entity.
func EntityNodeOf(e *Entity) Node {
	name := e.Title
	if strings.TrimSpace(name) == "" {
		name = e.ID
	}
	return Node{Kind: EntityNode, Entity: e, File: e.file, Span: e.IDSpan, Name: name, ItemKind: e.Kind}
}

// DocumentNodeOf returns the node of a writer's document.
func DocumentNodeOf(f *File) Node {
	return Node{Kind: DocumentNode, File: f, Name: BaseName(f.Path)}
}

// NodesAt returns what stands at byte offset off of f as navigation
// nodes: the entities a citation, an id line or a neighbour item names
// (several for a duplicated id), or a neighbour item that names nothing
// in the workspace; nil elsewhere and on unknown citations.
func (s *Snapshot) NodesAt(f *File, off int) []Node {
	t := s.At(f, off)
	if len(t.Entities) > 0 {
		out := make([]Node, len(t.Entities))
		for i, e := range t.Entities {
			out[i] = EntityNodeOf(e)
		}
		return out
	}
	if t.Kind == ItemTarget {
		text, ok := s.navText(f)
		if !ok {
			return nil
		}
		g, it := t.Item.GroupOf(), t.Item.ItemOf()
		return []Node{{Kind: NeighbourNode, File: f, Span: t.Span, Name: s.Reading(f, g, it).Name(text), ItemKind: itemKind(text, g, it)}}
	}
	return nil
}

// EntityByID finds an entity again by its id, preferring the definition
// in the file at path when the id is duplicated; nil when none defines it.
func (s *Snapshot) EntityByID(id, path string) *Entity {
	defs := s.Defs(id)
	for _, e := range defs {
		if e.file.Path == path {
			return e
		}
	}
	if len(defs) > 0 {
		return defs[0]
	}
	return nil
}

// Incoming returns the links into n: the entities listing it in a typed
// group (one link per lister, with its listing items), then the documents
// citing it (one link per document, with its citations), each by path.
func (s *Snapshot) Incoming(n Node) []Arc {
	if n.Kind != EntityNode {
		return nil
	}
	e := n.Entity
	var out []Arc
	for _, r := range s.ListedBy(e) {
		g := r.GroupOf()
		if g.Section != Typed {
			continue
		}
		text, ok := s.navText(r.File)
		if !ok {
			continue
		}
		it := s.Reading(r.File, g, r.ItemOf())
		if k := len(out) - 1; k >= 0 && out[k].In == r.File {
			out[k].Spans = append(out[k].Spans, it.Span)
			out[k].Relations = addWords(out[k].Relations, it.Relations(text))
			continue
		}
		out = append(out, Arc{Node: EntityNodeOf(r.File.Entity), In: r.File, Spans: []Span{it.Span},
			Relations: addWords(nil, it.Relations(text)), Group: g.Label(text)})
	}
	for _, r := range s.CitedBy(e) {
		c := r.Citation()
		if k := len(out) - 1; k >= 0 && out[k].In == r.File && out[k].Node.Kind == DocumentNode {
			out[k].Spans = append(out[k].Spans, c.Span)
			continue
		}
		out = append(out, Arc{Node: DocumentNodeOf(r.File), In: r.File, Spans: []Span{c.Span}})
	}
	return out
}

// Outgoing returns the links out of n: for an entity, what its typed
// groups list (one link per neighbour, in file order; a neighbour that
// names nothing in the workspace is a NeighbourNode), for a document the
// entities it cites (one link per entity, in order of first citation).
func (s *Snapshot) Outgoing(n Node) []Arc {
	switch n.Kind {
	case EntityNode:
		return s.listed(n.Entity)
	case DocumentNode:
		return s.cited(n.File)
	}
	return nil
}

// listed is Outgoing of an entity.
func (s *Snapshot) listed(e *Entity) []Arc {
	f := e.file
	text, ok := s.navText(f)
	if !ok {
		return nil
	}
	var out []Arc
	byEntity := map[*Entity]int{}
	byName := map[string]int{}
	add := func(k int, it *Item) {
		out[k].Spans = append(out[k].Spans, it.Span)
		out[k].Relations = addWords(out[k].Relations, it.Relations(text))
	}
	for gi := range e.Groups {
		g := &e.Groups[gi]
		if g.Section != Typed {
			continue
		}
		items := e.Items(g)
		for ii := range items {
			targets := s.ResolveItem(f, g, &items[ii])
			it := s.Reading(f, g, &items[ii]) // the title as resolution reads it
			if len(targets) == 0 {
				kind, name := itemKind(text, g, it), it.Name(text)
				key := unresolvedKey(kind, name)
				k, seen := byName[key]
				if !seen {
					k = len(out)
					byName[key] = k
					out = append(out, Arc{Node: Node{Kind: NeighbourNode, File: f, Span: it.NameSpan(), Name: name, ItemKind: kind},
						In: f, Group: g.Label(text)})
				}
				add(k, it)
				continue
			}
			for _, t := range targets {
				k, seen := byEntity[t]
				if !seen {
					k = len(out)
					byEntity[t] = k
					out = append(out, Arc{Node: EntityNodeOf(t), In: f, Group: g.Label(text)})
				}
				add(k, it)
			}
		}
	}
	return out
}

// cited is Outgoing of a document.
func (s *Snapshot) cited(f *File) []Arc {
	var out []Arc
	byEntity := map[*Entity]int{}
	for _, c := range f.Citations {
		_, defs := s.Cites(c)
		for _, e := range defs {
			k, seen := byEntity[e]
			if !seen {
				k = len(out)
				byEntity[e] = k
				out = append(out, Arc{Node: EntityNodeOf(e), In: f})
			}
			out[k].Spans = append(out[k].Spans, c.Span)
		}
	}
	return out
}

// addWords appends the words of more that words lacks.
func addWords(words, more []string) []string {
	for _, w := range more {
		found := false
		for _, x := range words {
			found = found || x == w
		}
		if !found {
			words = append(words, w)
		}
	}
	return words
}

// unresolvedKey names a neighbour that resolves to nothing: "?" (which no
// id holds) and the id it would have, so that two items naming the same
// absent entity share it. A name with no slug is told apart by its text.
func unresolvedKey(kind, name string) string {
	slug := Slug(name)
	if slug == "" {
		slug = "~" + strings.ToLower(strings.Join(strings.Fields(name), " "))
	}
	return "?" + kind + ":" + slug
}
