package graph

import "strings"

// The shape of one file, for folding, growing selections and highlighting
// the same id: pure functions of the file (and, for highlights, of what
// its items resolve to).

// groupSpan covers a group from its header to its last line: its last
// item, else its kind or note line.
func groupSpan(e *Entity, g *Group) Span {
	sp := g.HeaderSpan
	for _, x := range []Span{g.KindSpan, g.NoteSpan} {
		if x.Len() > 0 && x.End > sp.End {
			sp.End = x.End
		}
	}
	if items := e.Items(g); len(items) > 0 {
		sp.End = max(sp.End, items[len(items)-1].Span.End)
	}
	return sp
}

// sections returns the spans of an entity file's sections: the provenance
// block ("Source paper" and its line) and the neighbourhood (its header
// line to the end of the last typed group).
func sections(f *File, text string) (provenance, neighbourhood Span) {
	e := f.Entity
	lines := f.Lines()
	if p := e.Provenance; p != nil && p.Span.Len() > 0 {
		if i := lines.LineOf(int(p.Span.Start)); i > 0 && lines.LineSpan(i-1).Of(text) == provenanceHeader {
			provenance = Span{lines.LineSpan(i - 1).Start, p.Span.End}
		}
	}
	for i := 3; i < lines.Count(); i++ {
		if lines.LineSpan(i).Of(text) == neighbourhoodTitle {
			neighbourhood = lines.LineSpan(i)
			break
		}
	}
	if neighbourhood.Len() == 0 {
		return provenance, Span{}
	}
	for gi := range e.Groups {
		g := &e.Groups[gi]
		if g.Section == Typed && g.HeaderSpan.Start > neighbourhood.Start {
			neighbourhood.End = max(neighbourhood.End, groupSpan(e, g).End)
		}
	}
	return provenance, neighbourhood
}

// Folds returns the foldable spans of an entity file: the provenance
// block, the neighbourhood section and every group (the editor drops
// those on one line). Documents have none of their own.
func (s *Snapshot) Folds(f *File) []Span {
	e := f.Entity
	text, ok := s.navText(f)
	if e == nil || !ok {
		return nil
	}
	prov, nb := sections(f, text)
	out := []Span{prov, nb}
	for gi := range e.Groups {
		out = append(out, groupSpan(e, &e.Groups[gi]))
	}
	kept := out[:0]
	for _, sp := range out {
		if sp.Len() > 0 {
			kept = append(kept, sp)
		}
	}
	return kept
}

// Selection returns the spans that grow a selection from byte offset off
// of f, smallest first, each containing the one before: in an entity file
// from an item's part (its title, a relation word, its kind, score or
// summary) to the item, its line, its group, its section and the file;
// from the id to its line, the entity's header lines and the file; in a
// document from a citation to its brackets, its line, its paragraph and
// the file.
func (s *Snapshot) Selection(f *File, off int) []Span {
	text, ok := s.navText(f)
	if !ok {
		return nil
	}
	lines := f.Lines()
	line := lines.LineSpan(lines.LineOf(off))
	whole := Span{0, int32(len(text))}
	var out []Span
	add := func(sp Span) {
		if sp.Len() == 0 && len(out) > 0 || !sp.Contains(off) {
			return
		}
		if n := len(out); n > 0 {
			last := out[n-1]
			if sp == last || sp.Start > last.Start || sp.End < last.End {
				return // not strictly larger
			}
		}
		out = append(out, sp)
	}
	if e := f.Entity; e != nil {
		prov, nb := sections(f, text)
		header := Span{e.KindSpan.Start, max(e.SummarySpan.End, e.IDSpan.End, e.TitleSpan.End, e.StatusSpan.End)}
		switch {
		case e.IDSpan.Contains(off) && e.IDSpan.Len() > 0:
			add(e.IDSpan)
			add(line)
			add(header)
		case header.Contains(off):
			add(line)
			add(header)
		case prov.Len() > 0 && prov.Contains(off):
			if p := e.Provenance; p != nil {
				for _, a := range append([]Span{p.RelationSpan, p.YearSpan}, p.Authors...) {
					add(a)
				}
				add(p.Span)
			}
			add(prov)
		default:
			for gi := range e.Groups {
				g := &e.Groups[gi]
				gs := groupSpan(e, g)
				if !gs.Contains(off) {
					continue
				}
				items := e.Items(g)
				for ii := range items {
					if !items[ii].Span.Contains(off) {
						continue
					}
					it := s.Reading(f, g, &items[ii]) // the title as resolution reads it
					parts := []Span{it.TitleSpan(), it.KindSpan(), it.ScoreSpan(), it.SummarySpan()}
					if rs := it.RelSpan(); rs.Len() > 0 {
						at := rs.Start
						for _, w := range it.Relations(text) {
							parts = append(parts, Span{at, at + int32(len(w))})
							at += int32(len(w))
						}
						parts = append(parts, rs)
					}
					for _, p := range smallestFirst(parts, off) {
						add(p)
					}
					add(it.Span)
					break
				}
				if g.LabelSpan.Contains(off) {
					add(g.LabelSpan)
				}
				add(line)
				add(gs)
				if g.Section == Typed {
					add(nb)
				}
				break
			}
			add(line)
			add(nb)
		}
	} else {
		for _, c := range f.Citations {
			if !c.Span.Contains(off) {
				continue
			}
			add(c.Span)
			switch c.Form {
			case Wiki:
				add(Span{c.Span.Start - 2, c.Span.End + 2})
			case Link:
				// "[text](" before the id: back to the "[" on the line.
				if open := strings.LastIndexByte(text[line.Start:c.Span.Start-2], '['); open >= 0 {
					add(Span{line.Start + int32(open), c.Span.End + 1})
				}
			}
			break
		}
		add(line)
		add(paragraph(text, lines, lines.LineOf(off)))
	}
	add(whole)
	return out
}

// smallestFirst keeps the spans holding off, shortest first.
func smallestFirst(spans []Span, off int) []Span {
	var out []Span
	for _, sp := range spans {
		if sp.Len() > 0 && sp.Contains(off) {
			out = append(out, sp)
		}
	}
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j].Len() < out[j-1].Len(); j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

// paragraph is the run of non-blank lines around line i.
func paragraph(text string, lines *Lines, i int) Span {
	blank := func(i int) bool { return strings.TrimSpace(lines.LineSpan(i).Of(text)) == "" }
	if blank(i) {
		return lines.LineSpan(i)
	}
	first, last := i, i
	for first > 0 && !blank(first-1) {
		first--
	}
	for last+1 < lines.Count() && !blank(last+1) {
		last++
	}
	return Span{lines.LineSpan(first).Start, lines.LineSpan(last).End}
}

// Highlight is a span to highlight with the one under the cursor;
// Declaration marks the entity's own id.
type Highlight struct {
	Span        Span
	Declaration bool
}

// Highlights returns what names the same thing as what stands at off of
// f: in a document every citation of the same id; in an entity file every
// item resolving to the same entity, and the id when it is the file's own.
func (s *Snapshot) Highlights(f *File, off int) []Highlight {
	t := s.At(f, off)
	var out []Highlight
	switch t.Kind {
	case CiteTarget:
		for _, c := range f.Citations {
			if c.ID == t.ID {
				out = append(out, Highlight{Span: c.Span})
			}
		}
		return out
	case NoTarget:
		return nil
	}
	e := f.Entity
	if len(t.Entities) == 0 {
		return []Highlight{{Span: t.Span}}
	}
	target := t.Entities[0]
	if t.Kind == IDTarget {
		target = e // not another file's copy of a duplicated id
	}
	if target == e {
		out = append(out, Highlight{Span: e.IDSpan, Declaration: true})
	}
	for gi := range e.Groups {
		g := &e.Groups[gi]
		items := e.Items(g)
		for ii := range items {
			it := &items[ii]
			if e.mayName(it, target) && s.resolvesTo(f, g, it, target) {
				out = append(out, Highlight{Span: s.Reading(f, g, it).NameSpan()})
			}
		}
	}
	return out
}
