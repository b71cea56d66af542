package graph

import (
	"fmt"
	"strings"
)

// Neighbourhood is the typed neighbourhood of some entities to a depth:
// what `seedls graph` prints and the editor's picture shows.
type Neighbourhood struct {
	Roots []string // the roots' ids
	Depth int
	Nodes []NeighbourhoodNode // roots first, then by distance, each in file order
	Edges []NeighbourhoodEdge // in the order found
}

// NeighbourhoodNode is a node of a Neighbourhood.
type NeighbourhoodNode struct {
	// Key is the id of an entity of the workspace, or for a neighbour
	// that names nothing in it "?" + the id it would have ("?" is in no
	// id, so keys never clash).
	Key    string
	Entity *Entity // nil when unresolved
	// Kind and Title: the entity's, or the neighbour item's group kind
	// and name.
	Kind, Title string
	Root        bool
	Depth       int
}

// Resolved reports whether the node is an entity of the workspace.
func (n *NeighbourhoodNode) Resolved() bool { return n.Entity != nil }

// NeighbourhoodEdge goes from the entity whose typed group lists a neighbour to that
// neighbour; parallel items of one group make one edge.
type NeighbourhoodEdge struct {
	From, To  string // keys
	Relations []string
	Group     string // the listing group's label
}

// Neighbourhood walks the typed edges around roots, both ways, to depth
// hops (0: the roots alone). Every edge between two nodes it reaches is
// kept, including those between nodes at the last hop. Neighbours that
// name nothing in the workspace are nodes but lead nowhere.
func (s *Snapshot) Neighbourhood(roots []*Entity, depth int) *Neighbourhood {
	n := &Neighbourhood{Depth: depth, Roots: []string{}, Nodes: []NeighbourhoodNode{}, Edges: []NeighbourhoodEdge{}}
	index := map[string]int{}    // node key -> position in Nodes
	edges := map[[3]string]int{} // from, to, group -> position in Edges
	addNode := func(nd NeighbourhoodNode) int {
		if i, ok := index[nd.Key]; ok {
			return i
		}
		index[nd.Key] = len(n.Nodes)
		n.Nodes = append(n.Nodes, nd)
		return len(n.Nodes) - 1
	}
	addEdge := func(from, to, group string, rels []string) {
		k := [3]string{from, to, group}
		i, ok := edges[k]
		if !ok {
			i = len(n.Edges)
			edges[k] = i
			n.Edges = append(n.Edges, NeighbourhoodEdge{From: from, To: to, Group: group, Relations: []string{}})
		}
		n.Edges[i].Relations = addWords(n.Edges[i].Relations, rels)
	}
	entityNode := func(e *Entity, d int) NeighbourhoodNode {
		return NeighbourhoodNode{Key: e.ID, Entity: e, Kind: e.Kind, Title: e.Title, Depth: d}
	}
	for _, e := range roots {
		if _, dup := index[e.ID]; dup || e.ID == "" {
			continue
		}
		n.Roots = append(n.Roots, e.ID)
		i := addNode(entityNode(e, 0))
		n.Nodes[i].Root = true
	}
	for at := 0; at < len(n.Nodes); at++ {
		nd := n.Nodes[at]
		e := nd.Entity
		if e == nil {
			continue
		}
		text, ok := s.navText(e.file)
		if !ok {
			continue
		}
		grow := nd.Depth < depth
		// What e lists: new nodes while growing, else edges to nodes
		// already reached.
		for gi := range e.Groups {
			g := &e.Groups[gi]
			if g.Section != Typed {
				continue
			}
			label := g.Label(text)
			items := e.Items(g)
			for ii := range items {
				it := &items[ii]
				r := s.Reading(e.file, g, it)
				rels := r.Relations(text)
				targets := s.ResolveItem(e.file, g, it)
				if len(targets) == 0 {
					kind, name := itemKind(text, g, it), r.Name(text)
					key := unresolvedKey(kind, name)
					if _, reached := index[key]; reached || grow {
						addNode(NeighbourhoodNode{Key: key, Kind: kind, Title: name, Depth: nd.Depth + 1})
						addEdge(nd.Key, key, label, rels)
					}
					continue
				}
				for _, t := range targets {
					if t.ID == "" {
						continue // a broken id line: nothing to key it by
					}
					if _, reached := index[t.ID]; reached || grow {
						addNode(entityNode(t, nd.Depth+1))
						addEdge(nd.Key, t.ID, label, rels)
					}
				}
			}
		}
		if !grow {
			continue
		}
		// What lists e: the listers join; their edges to e are theirs.
		for _, r := range s.ListedBy(e) {
			g := r.GroupOf()
			if g.Section != Typed {
				continue
			}
			ltext, ok := s.navText(r.File)
			if !ok {
				continue
			}
			l := r.File.Entity
			if l.ID == "" {
				continue
			}
			addNode(entityNode(l, nd.Depth+1))
			addEdge(l.ID, nd.Key, g.Label(ltext), s.Reading(r.File, g, r.ItemOf()).Relations(ltext))
		}
	}
	return n
}

// DOT renders the neighbourhood for Graphviz: boxes labelled with kind,
// status and title (roots bold, neighbours outside the workspace dashed),
// edges labelled with their relation words.
func (n *Neighbourhood) DOT() string {
	var b strings.Builder
	b.WriteString("digraph neighbourhood {\n  rankdir=LR;\n  node [shape=box, fontname=\"Helvetica\"];\n  edge [fontname=\"Helvetica\", fontsize=10];\n")
	for _, nd := range n.Nodes {
		head, title := nd.caption()
		attrs := "label=" + dotQuote(head+"\n"+title)
		switch {
		case nd.Root:
			attrs += ", style=bold"
		case !nd.Resolved():
			attrs += ", style=dashed"
		}
		fmt.Fprintf(&b, "  %s [%s];\n", dotQuote(nd.Key), attrs)
	}
	for _, e := range n.Edges {
		fmt.Fprintf(&b, "  %s -> %s [label=%s];\n", dotQuote(e.From), dotQuote(e.To), dotQuote(strings.Join(e.Relations, ", ")))
	}
	b.WriteString("}\n")
	return b.String()
}

// caption is a node's label, two lines: "kind · status" (or "not in the
// workspace") and the title.
func (nd *NeighbourhoodNode) caption() (head, title string) {
	state := "not in the workspace"
	if nd.Resolved() {
		state = nd.Entity.Status
	}
	head = nd.Kind + " · " + state
	if nd.Kind == "" {
		head = state
	}
	return head, truncate(nd.Title, 120)
}

// dotQuote makes s a DOT quoted string: a backslash and a double quote
// are escaped (Graphviz reads \n, \l and \r in labels as line breaks, so
// a backslash of the text must not reach it alone); line breaks become \n.
func dotQuote(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\r\n", `\n`, "\n", `\n`, "\r", `\n`)
	return `"` + r.Replace(s) + `"`
}

// Mermaid renders the neighbourhood as a Mermaid flowchart: nodes n0, n1 …
// (keys are no identifiers) with quoted labels, edges with their relation
// words, roots thick and neighbours outside the workspace dashed.
func (n *Neighbourhood) Mermaid() string {
	var b strings.Builder
	b.WriteString("flowchart LR\n")
	id := map[string]string{}
	var roots, absent []string
	for i, nd := range n.Nodes {
		id[nd.Key] = fmt.Sprintf("n%d", i)
		head, title := nd.caption()
		fmt.Fprintf(&b, "  %s[\"%s<br/>%s\"]\n", id[nd.Key], mermaidEscape(head), mermaidEscape(title))
		switch {
		case nd.Root:
			roots = append(roots, id[nd.Key])
		case !nd.Resolved():
			absent = append(absent, id[nd.Key])
		}
	}
	for _, e := range n.Edges {
		if len(e.Relations) == 0 {
			fmt.Fprintf(&b, "  %s --> %s\n", id[e.From], id[e.To])
			continue
		}
		fmt.Fprintf(&b, "  %s -->|\"%s\"| %s\n", id[e.From], mermaidEscape(strings.Join(e.Relations, ", ")), id[e.To])
	}
	b.WriteString("  classDef root stroke-width:3px\n  classDef absent stroke-dasharray:5 5\n")
	if len(roots) > 0 {
		fmt.Fprintf(&b, "  class %s root\n", strings.Join(roots, ","))
	}
	if len(absent) > 0 {
		fmt.Fprintf(&b, "  class %s absent\n", strings.Join(absent, ","))
	}
	return b.String()
}

// mermaidEscape writes text for a quoted Mermaid label with entity codes:
// '#' first (it starts the codes), then what would end the string or be
// read as markup.
var mermaidEscape = strings.NewReplacer(
	"#", "#35;", `"`, "#quot;", `\`, "#92;", "<", "#lt;", ">", "#gt;", "&", "#amp;", "`", "#96;",
	"\r\n", " ", "\n", " ", "\r", " ",
).Replace
