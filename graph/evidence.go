package graph

import (
	"strconv"
	"strings"
)

// Support counts the neighbours that stand for and against an entity.
type Support struct {
	For, Against int
}

// Support counts, from the relation words of the typed edges touching e
// (e's own typed items, and typed items elsewhere that resolve to e),
// the distinct neighbours supporting and contradicting it. A neighbour is
// counted once, whether the edge is written in its file, in e's or in
// both, and whether or not its own file is in the workspace.
//
//   - contradicts, contradicted_by: the neighbour contradicts e, whichever
//     file writes it (a contradiction holds both ways).
//   - supported_by: written in e's file, the neighbour supports e; in the
//     neighbour's, e supports it (not counted).
//   - supports: the exports write the same word in both files (claim 001
//     lists its finding with "supports", finding 003 lists that claim with
//     "supports"), so the word does not say which end supports which; the
//     kinds do: evidence (finding, result, observation, evidence,
//     experiment, dataset, paper) supports claims and the rest, which
//     support conjectures (hypothesis, theory, question). The neighbour
//     supports e unless its kind ranks above e's.
func (s *Snapshot) Support(e *Entity) Support {
	var sup Support
	seen := map[any]uint8{} // neighbour (entity or unresolved key) -> what it was counted as
	const countedFor, countedAgainst = 1, 2
	count := func(who any, kind string, rels []string, inOwnFile bool) {
		for _, r := range rels {
			switch r {
			case "contradicts", "contradicted_by":
				if seen[who]&countedAgainst == 0 {
					seen[who] |= countedAgainst
					sup.Against++
				}
				continue
			case "supported_by":
				if !inOwnFile {
					continue
				}
			case "supports":
				if evidenceRank(kind) > evidenceRank(e.Kind) {
					continue
				}
			default:
				continue
			}
			if seen[who]&countedFor == 0 {
				seen[who] |= countedFor
				sup.For++
			}
		}
	}
	if text, ok := s.navText(e.file); ok {
		for gi := range e.Groups {
			g := &e.Groups[gi]
			if g.Section != Typed {
				continue
			}
			items := e.Items(g)
			for ii := range items {
				it := &items[ii]
				if it.RelSpan().Len() == 0 {
					continue
				}
				rels := it.Relations(text)
				targets := s.ResolveItem(e.file, g, it)
				if len(targets) == 0 {
					kind := itemKind(text, g, it)
					count(unresolvedKey(kind, it.Name(text)), kind, rels, true)
				}
				for _, t := range targets {
					count(t, t.Kind, rels, true)
				}
			}
		}
	}
	typed := func(l *Entity, g *Group) bool { return l != e && g.Section == Typed }
	for r := range s.listings(e, typed) {
		it := r.ItemOf()
		if it.RelSpan().Len() == 0 {
			continue
		}
		text, ok := s.navText(r.File)
		if !ok {
			continue
		}
		l := r.File.Entity
		count(l, l.Kind, it.Relations(text), false)
	}
	return sup
}

// evidenceRank orders kinds from evidence to conjecture: a neighbour joined
// by "supports" supports an entity of the same rank or above.
func evidenceRank(kind string) int {
	switch kind {
	case "finding", "result", "observation", "evidence", "experiment", "dataset", "paper":
		return 0
	case "hypothesis", "theory", "question":
		return 2
	}
	return 1
}

// wantsSupport reports whether an entity of kind is expected to be
// supported, so that a hint saying none does is worth showing.
func wantsSupport(kind string) bool {
	return kind == "claim" || kind == "hypothesis" || kind == "theory"
}

// Hint is what a writer sees after a citation without hovering.
type Hint struct {
	At      int    // byte offset: after the citation and its brackets
	Label   string // "deprecated · 3 supporting · 1 contradicting"
	Tooltip string
}

// Hints returns a hint after each citation of f that resolves, among those
// overlapping the byte range [from, to]: the status when it is not active,
// "N supporting" when N > 0 or the entity is a claim, hypothesis or
// theory (an unsupported claim is news), "N contradicting" when N > 0. A citation
// with nothing to say gets no hint; unknown citations get none (they have
// diagnostics).
func (s *Snapshot) Hints(f *File, from, to int) []Hint {
	var out []Hint
	type said struct{ label, tooltip string }
	memo := map[string]said{} // a document cites the same id again and again
	for _, c := range f.Citations {
		if int(c.Span.End) < from {
			continue
		}
		if int(c.Span.Start) > to {
			break
		}
		h, ok := memo[c.ID]
		if !ok {
			_, defs := s.Cites(c)
			if len(defs) > 0 {
				h.label, h.tooltip = s.hintFor(defs)
			}
			memo[c.ID] = h
		}
		if h.label == "" {
			continue
		}
		at := int(c.Span.End)
		switch c.Form {
		case Wiki:
			at += 2 // after "]]"
		case Link:
			at++ // after ")"
		}
		out = append(out, Hint{At: at, Label: h.label, Tooltip: h.tooltip})
	}
	return out
}

// hintFor says what a hint says of the entities a citation names: the
// first definition's, and "inactive" only when no definition is active (as
// the inactive-reference rule has it).
func (s *Snapshot) hintFor(defs []*Entity) (label, tooltip string) {
	e := defs[0]
	var parts []string
	active := false
	for _, d := range defs {
		active = active || d.Status == "active"
	}
	if !active {
		parts = append(parts, e.Status)
	}
	sup := s.Support(e)
	if sup.For > 0 || wantsSupport(e.Kind) {
		parts = append(parts, strconv.Itoa(sup.For)+" supporting")
	}
	if sup.Against > 0 {
		parts = append(parts, strconv.Itoa(sup.Against)+" contradicting")
	}
	if len(parts) == 0 {
		return "", ""
	}
	tooltip = e.Title + "\n" + e.Kind + " · " + e.Status + " · supported by " + Count(sup.For, "entity") +
		", contradicted by " + Count(sup.Against, "entity")
	return strings.Join(parts, " · "), tooltip
}
