package graph

import (
	"strconv"
	"strings"
	"sync"
)

// Support counts the neighbours that stand for and against an entity.
type Support struct {
	For, Against int
}

// stance is what an item's relation words say of support, kept in the
// item (see Item.mid2) so that counting support reads no text.
type stance uint8

const (
	noStance      stance = iota
	supports             // "supports"
	supportedBy          // "supported_by"
	contradiction        // "contradicts" or "contradicted_by": either way
)

// setStance records the stance of a typed item's relation words; a
// contradiction wins over support, supported_by over supports.
func (it *Item) setStance(text string) {
	if it.shape() != titled {
		return
	}
	st := noStance
	for rels := it.RelSpan().Of(text); rels != ""; {
		n := relationSuffix(rels)
		if n == 0 {
			break // an unknown word, standing alone
		}
		switch rels[len(rels)-n:] {
		case "contradicts", "contradicted_by":
			st = contradiction
		case "supported_by":
			st = max(st, supportedBy)
		case "supports":
			st = max(st, supports)
		}
		rels = rels[:len(rels)-n]
	}
	it.mid2 = int32(uint32(it.m2()) | uint32(st)<<shapeShift)
}

func (it *Item) stance() stance { return stance(uint32(it.mid2) >> shapeShift) }

// Support counts, from the relation words of the typed edges touching e
// (e's own typed items, and typed items elsewhere that resolve to e),
// the distinct neighbours supporting and contradicting it. A neighbour is
// counted once, whether the edge is written in its file, in e's or in
// both, and whether or not its own file is in the workspace. It reads no
// text: the stance of each item was kept when its file was parsed.
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
	c := supportCount{e: e}
	for gi := range e.Groups {
		g := &e.Groups[gi]
		if g.Section != Typed {
			continue
		}
		items := e.Items(g)
		for ii := range items {
			it := &items[ii]
			st := it.stance()
			if st == noStance {
				continue
			}
			found := false
			s.resolution(e.file, g, it, func(t *Entity) bool {
				found = true
				c.count(counted{e: t}, t.Kind, st, true)
				return true
			})
			if !found {
				key := it.idKey
				if key == 0 {
					key = it.nameKey
				}
				c.count(counted{key: key}, KindName(it.kindKey), st, true)
			}
		}
	}
	typed := func(l *Entity, g *Group) bool { return l != e && g.Section == Typed }
	for r := range s.listings(e, typed) {
		if st := r.ItemOf().stance(); st != noStance {
			l := r.File.Entity
			c.count(counted{e: l}, l.Kind, st, false)
		}
	}
	return c.sup
}

// supportCount counts the neighbours of one entity; it lives on the
// stack (a hint request counts for hundreds of entities).
type supportCount struct {
	e    *Entity
	sup  Support
	buf  [8]counted
	seen []counted
}

// counted is a neighbour counted, an entity or the key of one absent from
// the workspace, with what it was counted as.
type counted struct {
	e   *Entity
	key uint64
	as  uint8
}

const countedFor, countedAgainst = 1, 2

// count counts a neighbour joined to the entity by an item of stance st,
// written in the entity's own file or in the neighbour's.
func (c *supportCount) count(w counted, kind string, st stance, inOwnFile bool) {
	switch {
	case st == contradiction:
		if c.firstTime(w, countedAgainst) {
			c.sup.Against++
		}
	case st == supportedBy && inOwnFile,
		st == supports && evidenceRank(kind) <= evidenceRank(c.e.Kind):
		if c.firstTime(w, countedFor) {
			c.sup.For++
		}
	}
}

// firstTime notes w counted as as, reporting whether it was not yet.
func (c *supportCount) firstTime(w counted, as uint8) bool {
	if c.seen == nil {
		c.seen = c.buf[:0]
	}
	for i := range c.seen {
		if x := &c.seen[i]; x.e == w.e && x.key == w.key {
			if x.as&as != 0 {
				return false
			}
			x.as |= as
			return true
		}
	}
	w.as = as
	c.seen = append(c.seen, w)
	return true
}

// supportMemo keeps the counts made for one generation of entity files:
// an editor asks for a draft's hints again at every edit of the draft,
// and edits to documents change no count. A generation is the snapshot's
// sorted id list, which every snapshot shares with its parent until an
// entity file is added, changed or removed (see Snapshot.With); only the
// last generation asked about is kept.
var supportMemo struct {
	mu     sync.Mutex
	gen    *sortedIDs
	counts map[*Entity]Support
}

// memoSupport is Support, remembered for the snapshot's generation.
func (s *Snapshot) memoSupport(e *Entity) Support {
	if s.ids == nil {
		return s.Support(e)
	}
	m := &supportMemo
	m.mu.Lock()
	if m.gen == s.ids {
		if sup, ok := m.counts[e]; ok {
			m.mu.Unlock()
			return sup
		}
	}
	m.mu.Unlock()
	sup := s.Support(e)
	m.mu.Lock()
	if m.gen != s.ids {
		m.gen, m.counts = s.ids, map[*Entity]Support{}
	}
	m.counts[e] = sup
	m.mu.Unlock()
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
	sup := s.memoSupport(e)
	if sup.For > 0 || wantsSupport(e.Kind) {
		parts = append(parts, strconv.Itoa(sup.For)+" supporting")
	}
	if sup.Against > 0 {
		parts = append(parts, strconv.Itoa(sup.Against)+" contradicting")
	}
	if len(parts) == 0 {
		return "", ""
	}
	tooltip = e.Title + "\n" + e.Kind + " · " + e.Status + " · supported by " + strconv.Itoa(sup.For) +
		", contradicted by " + strconv.Itoa(sup.Against)
	return strings.Join(parts, " · "), tooltip
}
