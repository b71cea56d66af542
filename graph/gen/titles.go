package gen

import (
	"math/rand/v2"
	"strconv"
	"strings"
)

// genTitle makes a title of kind k: 6 to 25 words, concepts 1 to 4.
func genTitle(r *rand.Rand, k kind) string {
	switch k {
	case concept:
		return conceptTitle(r)
	case paper:
		return paperTitle(r)
	}
	var w words
	n := 6 + r.IntN(20)
	switch k {
	case claim:
		w.add(subject(r))
		if chance(r, 0.4) {
			w.add(pick(r, adverbs))
		}
		w.add(pick(r, verbs))
		w.add(nounPhrase(r))
	case finding:
		switch r.IntN(5) {
		case 0, 1:
			w.add(pick(r, models))
			w.add(pick(r, nouns))
			w.add(pick(r, []string{"reduced from", "rose from", "fell from", "changed from"}))
			w.add(pct(r))
			if chance(r, 0.5) {
				w.add("± " + smallPct(r))
			}
			w.add("to " + pct(r))
			if chance(r, 0.5) {
				w.add("± " + smallPct(r))
			}
		case 2:
			w.add(pick(r, methods))
			w.add(pick(r, verbs))
			w.add(pick(r, nouns))
			w.add(numberChunk(r))
		case 3:
			w.add("Scaling pattern: " + strconv.Itoa(60+r.IntN(400)) + "B > " +
				strconv.Itoa(20+r.IntN(40)) + "B > " + strconv.Itoa(1+r.IntN(13)) + "B in")
			w.add(nounPhrase(r))
		default:
			w.add("ρ = " + frac(r, 2) + " between")
			w.add(pick(r, nouns))
			w.add("and")
			w.add(pick(r, nouns))
		}
	case hypothesis:
		w.add(subject(r))
		w.add(pick(r, []string{"may", "could", "might", "would"}))
		w.add(pick(r, baseVerbs))
		w.add(nounPhrase(r))
	case question:
		switch r.IntN(6) {
		case 0:
			w.add("How robust is " + subject(r) + " against")
			w.add(nounPhrase(r))
		case 1:
			w.add("To what extent does")
			w.add(subject(r))
			w.add(pick(r, baseVerbs))
			w.add(nounPhrase(r))
		default:
			w.add(pick(r, []string{"Does", "Why does", "When does", "Can", "Under what conditions does", "How does"}))
			w.add(subject(r))
			w.add(pick(r, baseVerbs))
			w.add(nounPhrase(r))
		}
	case method:
		w.add(pick(r, adjectives) + " " + pick(r, methods))
		w.add(pick(r, []string{"for", "targeting", "to control", "applied to"}))
		w.add(nounPhrase(r))
	case dataset:
		w.add(pick(r, conceptWords) + "-" + pick(r, []string{"Bench", "Eval", "Suite", "QA", "Set"}) + "-" +
			strconv.Itoa(1+r.IntN(99)) + "k:")
		w.add(strconv.Itoa(100 + r.IntN(90000)))
		w.add(pick(r, []string{"prompts probing", "dialogues labelled for", "transcripts annotated with", "items measuring"}))
		w.add(nounPhrase(r))
	}
	// Whole chunks only, so that no phrase is cut in the middle.
	for len(w) < n {
		mark := len(w)
		if chance(r, 0.006) {
			w.add(rareChunk(r))
		} else {
			w.add(extra(r))
		}
		if len(w) > 25 {
			w = w[:mark]
			break
		}
	}
	w = trimWeak(w, 1)
	for len(w) < 6 {
		w.add(pick(r, contexts))
	}
	w[0] = capitalize(w[0])
	for endsBadly(w[len(w)-1]) {
		w[len(w)-1] = pick(r, safeEnds)
	}
	if k == question {
		w[len(w)-1] += "?"
	}
	return w.join()
}

func conceptTitle(r *rand.Rand) string {
	n := 1
	switch x := r.IntN(100); {
	case x < 25:
	case x < 70:
		n = 2
	case x < 90:
		n = 3
	default:
		n = 4
	}
	for {
		var w words
		for len(w) < n {
			c := pick(r, conceptWords)
			if len(w) > 0 && w[len(w)-1] == c {
				continue
			}
			w.add(c)
		}
		if !endsBadly(w[len(w)-1]) {
			return w.join()
		}
	}
}

var paperTails = []string{
	"A Case Study on", "Evidence from", "Lessons from", "A Benchmark for",
	"An Empirical Study with", "Results on", "Experiments with",
}

func paperTitle(r *rand.Rand) string {
	var w words
	n := 6 + r.IntN(13)
	w.add(pick(r, paperOpeners))
	for i, m := 0, 2+r.IntN(3); i < m; {
		if c := pick(r, conceptWords); c != w[len(w)-1] {
			w.add(c)
			i++
		}
	}
	if chance(r, 0.6) {
		w[len(w)-1] += ":"
		w.add(pick(r, paperTails))
		if chance(r, 0.5) {
			w.add(pick(r, models))
		} else {
			w.add(pick(r, contexts))
		}
	}
	for len(w) < n {
		w.add(pick(r, []string{"and", "for", "in", "with", "via"}))
		w.add(pick(r, conceptWords))
		if c := pick(r, conceptWords); chance(r, 0.5) && c != w[len(w)-1] {
			w.add(c)
		}
	}
	if len(w) > 25 {
		w = w[:25]
	}
	w = trimWeak(w, 1)
	for len(w) < 6 {
		w.add(pick(r, conceptWords))
	}
	w[len(w)-1] = strings.TrimSuffix(w[len(w)-1], ":")
	for endsBadly(w[len(w)-1]) {
		w[len(w)-1] = pick(r, conceptWords)
	}
	return w.join()
}

// genSummary makes a one-sentence summary of 8 to 20 words starting with
// an upper-case letter.
func genSummary(r *rand.Rand, k kind) string {
	var w words
	n := 8 + min(r.IntN(13), r.IntN(13)) // mostly short, as in the seeds
	w.add(pick(r, summaryOpeners[k]))
	switch x := r.IntN(4); {
	case n <= 11 && x < 3:
		w.add(nounPhrase(r))
	case x < 2:
		w.add(subject(r))
		w.add(pick(r, verbs))
		w.add(nounPhrase(r))
	case x == 2:
		w.add(nounPhrase(r))
		w.add(pick(r, preps))
		w.add(pick(r, contexts))
	default:
		w.add(nounPhrase(r))
	}
	for len(w) < n {
		mark := len(w)
		switch r.IntN(4) {
		case 0:
			w.add(extra(r))
		case 1:
			w.add(pick(r, preps) + " " + nounPhrase(r))
		default:
			w.add(pick(r, preps) + " " + pick(r, contexts))
		}
		if len(w) > 20 {
			w = w[:mark]
			break
		}
	}
	if m := max(n+2, 10); len(w) > m {
		w = w[:m]
	}
	w = trimWeak(w, 1)
	for len(w) < 8 {
		w.add(pick(r, contexts))
	}
	if len(w) > 20 {
		w = trimWeak(w[:20], 8)
	}
	s := w.join()
	if chance(r, 0.2) {
		s += "."
	}
	return s
}

// nearTitle returns title with one word inserted, deleted or substituted,
// or "" when the edit would leave the title's shape (6 to 25 words).
func nearTitle(r *rand.Rand, title string) string {
	var w words
	w.add(title)
	q := strings.HasSuffix(title, "?")
	last := len(w) // words that may be edited: keep a question's final word
	if q {
		last--
	}
	switch op := r.IntN(3); {
	case op == 0 && len(w) < 25:
		p := 1 + r.IntN(last)
		ins := pick(r, append(adjectives[:len(adjectives):len(adjectives)], adverbs...))
		if strings.Contains(ins, " ") {
			ins = pick(r, adjectives)
		}
		w = append(w[:p], append(words{ins}, w[p:]...)...)
	case op == 1 && len(w) > 6:
		p := r.IntN(last)
		w = append(w[:p], w[p+1:]...)
		w[0] = capitalize(w[0])
	case op == 2:
		p := 1 + r.IntN(last-1)
		sub := pick(r, nouns)
		if strings.Contains(sub, " ") {
			sub = pick(r, adjectives)
		}
		w[p] = sub
	default:
		return ""
	}
	if endsBadly(strings.TrimSuffix(w[len(w)-1], "?")) {
		return ""
	}
	return w.join()
}
