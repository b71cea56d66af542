package graph

import (
	"fmt"
	"slices"
	"strings"
)

// Hover renders what a writer wants to know about an entity, as Markdown:
// title, kind and status, summary, provenance, its typed groups with their
// top items and relations, restated and duplicate notes, and how often it
// is cited and listed.
func (s *Snapshot) Hover(e *Entity) string {
	var b strings.Builder
	fmt.Fprintf(&b, "**%s**\n\n", mdEscape(e.Title))
	status := e.Status
	if status != "active" {
		status = "⚠ " + status
	}
	fmt.Fprintf(&b, "`%s` · %s · %s\n\n", e.ID, e.Kind, status)
	if e.Summary != "" {
		fmt.Fprintf(&b, "%s\n\n", mdEscape(e.Summary))
	}
	if p := e.Provenance; p != nil {
		var authors []string
		for _, a := range p.Authors {
			authors = append(authors, a.Of(e.ownText()))
		}
		who := strings.Join(authors, ", ")
		if p.More > 0 {
			who += fmt.Sprintf(" +%d", p.More)
		}
		year := ""
		if p.Year > 0 {
			year = fmt.Sprintf(" (%d)", p.Year)
		}
		fmt.Fprintf(&b, "*Source:* %s%s — %s\n\n", mdEscape(p.Relation), year, mdEscape(who))
	}
	const top = 3
	// The neighbours' names are in the file's text, which closed files
	// do not hold: read again, unless the file changed since.
	text, haveText := s.Text(e.file)
	if !haveText && len(e.Groups) > 0 {
		b.WriteString("*Neighbours not shown: the file changed since it was read.*\n\n")
	}
	for gi := range e.Groups {
		g := &e.Groups[gi]
		if g.Section != Typed || !haveText {
			continue
		}
		fmt.Fprintf(&b, "**%s** (%d)\n", mdEscape(g.Label(text)), g.Count)
		items := e.Items(g)
		for i := range items {
			if i == top {
				fmt.Fprintf(&b, "- … %d more\n", len(items)-top)
				break
			}
			it := s.Reading(e.file, g, &items[i])
			line := "- " + mdEscape(truncate(it.Name(text), 100))
			if rels := it.Relations(text); len(rels) > 0 {
				line += " — *" + strings.Join(rels, ", ") + "*"
			}
			b.WriteString(line + "\n")
		}
		b.WriteString("\n")
	}
	var notes []string
	for gi := range e.Groups {
		g := &e.Groups[gi]
		if g.Section != Restated {
			continue
		}
		items := e.Items(g)
		for ii := range items {
			var ids []string
			for _, t := range s.ResolveItem(e.file, g, &items[ii]) {
				if t != e && !slices.Contains(ids, t.ID) {
					ids = append(ids, t.ID)
				}
			}
			for _, id := range ids {
				notes = append(notes, "restated by `"+id+"`")
			}
		}
	}
	if defs := s.Defs(e.ID); len(defs) > 1 {
		var files []string
		for _, d := range defs {
			if d != e {
				files = append(files, BaseName(d.file.Path))
			}
		}
		notes = append(notes, "⚠ id also defined in "+strings.Join(files, ", "))
	}
	for _, n := range s.NearDuplicates(e) {
		notes = append(notes, "near duplicate of `"+n.ID+"`")
	}
	for _, n := range notes {
		fmt.Fprintf(&b, "%s  \n", n)
	}
	cited, listed := len(s.CitedBy(e)), len(s.ListedBy(e))
	fmt.Fprintf(&b, "\n*Cited %s · listed by %s · %s*", Count(cited, "time"), Count(listed, "entity"), BaseName(e.file.Path))
	return b.String()
}

// Count writes n and a noun, plural unless n is 1: "1 time", "3 entities".
func Count(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	if strings.HasSuffix(what, "y") {
		return fmt.Sprintf("%d %sies", n, what[:len(what)-1])
	}
	return fmt.Sprintf("%d %ss", n, what)
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && (s[cut]&0xC0) == 0x80 {
		cut--
	}
	return s[:cut] + "…"
}

// mdEscape keeps entity text from being read as Markdown markup.
func mdEscape(s string) string { return mdEscaper.Replace(s) }

var mdEscaper = strings.NewReplacer("\\", "\\\\", "*", "\\*", "_", "\\_", "`", "\\`", "[", "\\[", "]", "\\]", "<", "&lt;", "#", "\\#")
