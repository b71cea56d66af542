package graph

import (
	"slices"
	"sort"
	"strconv"
	"strings"
)

// Diagnose returns the diagnostics of one file against the snapshot, with
// each code's default severity, sorted by position. It is a pure function of
// the snapshot, so the checker and the server agree, and the server may
// recompute just the files an edit affects.
func (s *Snapshot) Diagnose(f *File) []Diagnostic { return s.diagnose(f, true) }

// DiagnoseWithoutNeighbours is Diagnose without unresolved-neighbour: the
// one rule that resolves every neighbour item, and most of the cost of a
// whole-workspace diagnosis. The server leaves those hints to open files.
func (s *Snapshot) DiagnoseWithoutNeighbours(f *File) []Diagnostic { return s.diagnose(f, false) }

func (s *Snapshot) diagnose(f *File, neighbours bool) []Diagnostic {
	var out []Diagnostic
	add := func(sp Span, code Code, sev Severity, msg string) *Diagnostic {
		out = append(out, Diagnostic{Path: f.Path, Span: sp, Severity: sev, Code: code, Message: msg})
		return &out[len(out)-1]
	}
	for _, p := range f.Problems {
		d := add(p.Span, p.Code, p.Severity, p.Message)
		if p.Code == CodeIDTitleMismatch && f.Entity != nil {
			d.ID = f.Entity.ID
		}
	}
	if e := f.Entity; e != nil && e.ID != "" {
		s.diagnoseEntity(f, e, neighbours, add)
	}
	for i := range f.Citations {
		s.diagnoseCitation(f, &f.Citations[i], add)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Span.Start < out[j].Span.Start })
	return out
}

type addFunc func(sp Span, code Code, sev Severity, msg string) *Diagnostic

func (s *Snapshot) diagnoseEntity(f *File, e *Entity, neighbours bool, add addFunc) {
	if defs := s.defsBy(e.idKey, e.ID); len(defs) > 1 {
		var others []*Entity
		for _, o := range defs {
			if o != e {
				others = append(others, o)
			}
		}
		d := add(e.IDSpan, CodeDuplicateID, SeverityError,
			"duplicate id "+e.ID+": also defined in "+fileList(others))
		d.Related = locations(others)
	}
	if near := s.NearDuplicates(e); len(near) > 0 {
		d := add(e.IDSpan, CodeNearDuplicate, SeverityWarning,
			"title is one word away from that of "+idList(near))
		d.Related = locations(near)
	}
	if e.Kind == "claim" && !s.hasTypedEdge(e) {
		add(e.IDSpan, CodeUnlinkedClaim, SeverityWarning,
			"claim has no typed edge: none in its neighbourhood, and no entity lists it in a typed group")
	}
	for gi := range e.Groups {
		g := &e.Groups[gi]
		if !neighbours && g.Section != Restated {
			continue
		}
		items := e.Items(g)
		for ii := range items {
			it := &items[ii]
			var targets []*Entity
			if g.Section == Restated {
				targets = s.ResolveItem(f, g, it)
			} else if s.resolves(f, g, it) {
				continue // only whether it resolves matters here
			}
			sp := s.Reading(f, g, it).NameSpan()
			if len(targets) == 0 {
				if !neighbours {
					continue
				}
				kind := KindName(it.kindKey)
				msg := "neighbour not in the workspace"
				if kind != "" {
					msg = "neighbour (" + kind + ") not in the workspace"
				}
				add(sp, CodeUnresolvedNeighbour, SeverityHint, msg)
				continue
			}
			// One diagnostic an item, naming every entity it restates
			// (a duplicated id whose summaries do not decide names
			// several).
			others := targets[:0:0]
			for _, t := range targets {
				if t != e {
					others = append(others, t)
				}
			}
			if len(others) > 0 {
				what := "a merge candidate"
				if len(others) > 1 {
					what = "merge candidates"
				}
				d := add(sp, CodeRestated, SeverityInformation,
					"restated by "+entityList(others)+" (cosine ≥ 0.90): "+what)
				d.Related = locations(others)
			}
		}
	}
}

// hasTypedEdge reports whether e has a typed edge: a typed group of its own
// that announces or lists a neighbour, or a typed group elsewhere listing it.
func (s *Snapshot) hasTypedEdge(e *Entity) bool {
	for i := range e.Groups {
		if g := &e.Groups[i]; g.Section == Typed && (g.Count > 0 || g.n > 0) {
			return true
		}
	}
	// The first typed listing by another entity will do: every claim of
	// the workspace asks, so no sorted list is made.
	typed := func(l *Entity, g *Group) bool { return l != e && g.Section == Typed }
	for range s.listings(e, typed) {
		return true
	}
	return false
}

func (s *Snapshot) diagnoseCitation(f *File, c *Citation, add addFunc) {
	known, defs := s.Cites(*c)
	if !known {
		return
	}
	if len(defs) == 0 {
		msg := "no entity file defines " + c.ID
		sugg := s.Suggest(c.ID, 5)
		if len(sugg) > 0 {
			msg += "; did you mean " + strings.Join(sugg, " or ") + "?"
		}
		d := add(c.Span, CodeUnknownReference, SeverityError, msg)
		d.Suggestions, d.ID = sugg, c.ID
		return
	}
	for _, e := range defs {
		if e.Status == "active" {
			return
		}
	}
	d := add(c.Span, CodeInactiveReference, SeverityWarning,
		c.ID+" is "+defs[0].Status+", not active")
	d.Related = locations(defs)
}

func locations(es []*Entity) []Location {
	out := make([]Location, len(es))
	for i, e := range es {
		out[i] = Location{Path: e.file.Path, Span: e.IDSpan}
	}
	return out
}

// fileList names files by their base names: entity files are hash-named,
// and the full paths travel in Related.
func fileList(es []*Entity) string {
	names := make([]string, 0, len(es))
	for _, e := range es {
		names = append(names, BaseName(e.file.Path))
	}
	return limitList(names)
}

// entityList names entities by id, each id once, with how many files
// define it when several of es do.
func entityList(es []*Entity) string {
	var names []string
	for i, e := range es {
		n := 0
		for _, o := range es {
			if o.ID == e.ID {
				n++
			}
		}
		if slices.ContainsFunc(es[:i], func(o *Entity) bool { return o.ID == e.ID }) {
			continue
		}
		if n > 1 {
			names = append(names, e.ID+" in "+strconv.Itoa(n)+" files")
		} else {
			names = append(names, e.ID)
		}
	}
	return limitList(names)
}

func idList(es []*Entity) string {
	names := make([]string, 0, len(es))
	for _, e := range es {
		names = append(names, e.ID)
	}
	return limitList(names)
}

func limitList(names []string) string {
	const show = 3
	if len(names) <= show {
		return strings.Join(names, ", ")
	}
	return strings.Join(names[:show], ", ") + " and " + strconv.Itoa(len(names)-show) + " more"
}
