package gen

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// documents emits the writer documents: Markdown and LaTeX drafts of a few
// paragraphs citing 5 to 30 ids each.
func (c *corpus) documents(r *rand.Rand, emit func(File) error) error {
	for d := range c.docs {
		tex := chance(r, 0.4)
		title := paperTitle(r)
		ext := "md"
		if tex {
			ext = "tex"
		}
		name := fmt.Sprintf("docs/%05d_%s.%s", d, shortSlug(title), ext)
		data, ids := c.document(r, tex, title)
		if c.truth != nil {
			c.truth.docs = append(c.truth.docs, docTruth{name: name, text: string(data), ids: ids})
		}
		if err := emit(File{Name: name, Data: data}); err != nil {
			return err
		}
	}
	return nil
}

func shortSlug(title string) string {
	s := slug(title)
	if len(s) > 40 {
		s = s[:40]
		if i := strings.LastIndexByte(s, '-'); i > 0 {
			s = s[:i]
		}
	}
	return s
}

// docWriter accumulates one document.
type docWriter struct {
	r     *rand.Rand
	c     *corpus
	tex   bool
	b     strings.Builder
	cites []string // rendered citations, in order of use
	ids   []string // the id each of cites holds
	next  int
}

func (w *docWriter) esc(s string) string {
	if !w.tex {
		return s
	}
	return texEscaper.Replace(s)
}

var texEscaper = strings.NewReplacer(
	`\`, `\textbackslash{}`, `%`, `\%`, `&`, `\&`, `#`, `\#`, `_`, `\_`,
	`$`, `\$`, `{`, `\{`, `}`, `\}`, `~`, `\textasciitilde{}`, `^`, `\textasciicircum{}`,
)

// cite returns the next citation, or "" when all are used.
func (w *docWriter) cite() string {
	if w.next >= len(w.cites) {
		return ""
	}
	w.next++
	return w.cites[w.next-1]
}

func (w *docWriter) left() int { return len(w.cites) - w.next }

func (c *corpus) document(r *rand.Rand, tex bool, title string) ([]byte, []string) {
	w := &docWriter{r: r, c: c, tex: tex}
	n := 5 + min(r.IntN(26), r.IntN(26)) // 5 to 30, mostly under 15
	center := r.IntN(c.n)
	for range n {
		j := r.IntN(c.n)
		if chance(r, 0.6) {
			j = min(max(center+r.IntN(601)-300, 0), c.n-1)
		}
		e := &c.ents[j]
		id := e.id
		switch u := r.Float64(); {
		case u < missingRate:
			id = c.missingID(r)
		case u < missingRate+misspeltRate:
			id = c.misspell(r, id)
		}
		w.cites = append(w.cites, w.form(id, e.title))
		w.ids = append(w.ids, id)
	}

	b := &w.b
	if tex {
		b.WriteString("\\documentclass{article}\n\\usepackage{hyperref}\n\\title{")
		b.WriteString(w.esc(title))
		b.WriteString("}\n\\author{")
		b.WriteString(pick(r, firstNames) + " " + pick(r, lastNames))
		b.WriteString("}\n\\begin{document}\n\\maketitle\n\n")
	} else {
		b.WriteString("# ")
		b.WriteString(title)
		b.WriteString("\n\n")
	}
	target := b.Len() + 400 + r.IntN(1400)
	for sec := 0; b.Len() < target || w.left() > 0; sec++ {
		h := "Introduction"
		if sec > 0 {
			h = pick(r, docHeadings)
		}
		if tex {
			b.WriteString("\\section{" + h + "}\n\n")
		} else {
			b.WriteString("## " + h + "\n\n")
		}
		for p, np := 0, 1+r.IntN(3); p < np && (p == 0 || b.Len() < target || w.left() > 0); p++ {
			if w.left() >= 2 && chance(r, 0.15) {
				w.list()
				continue
			}
			for s, ns := 0, 3+r.IntN(4); s < ns; s++ {
				if s > 0 {
					b.WriteByte(' ')
				}
				// Spread citations over the text still to write.
				rest := max(1, (target-b.Len())/110)
				if w.left() > 0 && (b.Len() >= target || r.IntN(rest) < w.left()) {
					w.citeSentence()
				} else {
					w.filler()
				}
			}
			b.WriteString("\n\n")
		}
	}
	if tex {
		b.WriteString("\\end{document}")
	}
	return []byte(strings.TrimRight(b.String(), "\n ")), w.ids
}

// form renders a citation in one of the document's forms.
func (w *docWriter) form(id, title string) string {
	r := w.r
	if w.tex {
		if chance(r, 0.55) {
			return id
		}
		return `\texttt{` + id + `}`
	}
	switch x := r.IntN(100); {
	case x < 40:
		return id
	case x < 75:
		return "[[" + id + "]]"
	default:
		text := pick(r, linkTexts)
		if chance(r, 0.5) {
			var t words
			t.add(strings.Map(func(c rune) rune {
				if strings.ContainsRune("[]()*_`", c) {
					return -1
				}
				return c
			}, title))
			text = t[:min(len(t), 2+r.IntN(3))].join()
		}
		return "[" + text + "](" + id + ")"
	}
}

func (w *docWriter) clause() string {
	r := w.r
	s := subject(r) + " " + pick(r, verbs) + " " + nounPhrase(r)
	switch r.IntN(3) {
	case 0:
		s += " " + pick(r, preps) + " " + pick(r, contexts)
	case 1:
		s += " " + numberChunk(r)
	}
	return w.esc(s)
}

func (w *docWriter) citeSentence() {
	r, b := w.r, &w.b
	switch x := r.IntN(3); {
	case x == 0:
		b.WriteString(capitalize(pick(r, citeLeads)) + " " + w.cite() + ", " + w.clause() + ".")
	case x == 1 || w.left() < 2:
		b.WriteString(capitalize(w.clause()) + " (" + pick(r, citeLeads) + " " + w.cite() + ").")
	default:
		b.WriteString(capitalize(w.clause()) + "; " + pick(r, citeLeads) + " " + w.cite() + " and " + w.cite() + ".")
	}
}

func (w *docWriter) filler() {
	r, b := w.r, &w.b
	switch r.IntN(3) {
	case 0:
		b.WriteString(pick(r, docOpeners) + " " + pick(r, docVerbs) + " " + w.esc(nounPhrase(r)) + " " +
			pick(r, preps) + " " + w.esc(pick(r, contexts)) + ".")
	case 1:
		b.WriteString("The effect of " + w.esc(nounPhrase(r)) + " on " + w.esc(pick(r, nouns)) +
			" remains " + pick(r, []string{"unclear", "contested", "under-measured", "small", "large"}) + ".")
	default:
		b.WriteString(capitalize(w.clause()) + ".")
	}
}

// list writes a short bullet list of citations.
func (w *docWriter) list() {
	r, b := w.r, &w.b
	n := min(w.left(), 2+r.IntN(3))
	if w.tex {
		b.WriteString("\\begin{itemize}\n")
	}
	for range n {
		if w.tex {
			b.WriteString("\\item ")
		} else {
			b.WriteString("- ")
		}
		b.WriteString(w.cite() + ": " + w.clause() + "\n")
	}
	if w.tex {
		b.WriteString("\\end{itemize}\n")
	}
	b.WriteString("\n")
}

// missingID makes an id of no entity in the corpus.
func (c *corpus) missingID(r *rand.Rand) string {
	for {
		k := pickKind(r)
		s := slug(genTitle(r, k))
		if _, dup := c.slugs[s]; !dup {
			return kindNames[k] + ":" + s
		}
	}
}

// misspell changes one letter or digit of id's slug, so that it names no
// entity.
func (c *corpus) misspell(r *rand.Rand, id string) string {
	colon := strings.IndexByte(id, ':')
	for {
		p := colon + 1 + r.IntN(len(id)-colon-1)
		ch := id[p]
		var nc byte
		switch {
		case ch >= 'a' && ch <= 'z':
			nc = byte('a' + r.IntN(26))
		case ch >= '0' && ch <= '9':
			nc = byte('0' + r.IntN(10))
		default:
			continue
		}
		if nc == ch {
			continue
		}
		s := id[colon+1:p] + string(nc) + id[p+1:]
		if _, dup := c.slugs[s]; !dup {
			return id[:colon+1] + s
		}
	}
}
