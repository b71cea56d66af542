package gen

import (
	"math/rand/v2"
	"strconv"
	"strings"
)

// slug is the id rule: ASCII letters lower-cased, every run of other
// characters (every non-ASCII character included) replaced by one '-',
// '-' trimmed at both ends.
func slug(title string) string {
	b := make([]byte, 0, len(title))
	dash := false
	for i := 0; i < len(title); i++ {
		c := title[i]
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
		case c >= 'A' && c <= 'Z':
			c += 'a' - 'A'
		default:
			dash = len(b) > 0
			continue
		}
		if dash {
			b = append(b, '-')
			dash = false
		}
		b = append(b, c)
	}
	return string(b)
}

func pick(r *rand.Rand, list []string) string { return list[r.IntN(len(list))] }

// chance reports true with probability p.
func chance(r *rand.Rand, p float64) bool { return r.Float64() < p }

// words accumulates space-separated words.
type words []string

// add appends the words of a phrase.
func (w *words) add(phrase string) {
	for {
		i := strings.IndexByte(phrase, ' ')
		if i < 0 {
			if phrase != "" {
				*w = append(*w, phrase)
			}
			return
		}
		if i > 0 {
			*w = append(*w, phrase[:i])
		}
		phrase = phrase[i+1:]
	}
}

func (w words) join() string { return strings.Join(w, " ") }

// weak words may not end a title or summary.
var weak = func() map[string]bool {
	m := map[string]bool{}
	for _, s := range []string{
		"the", "a", "an", "and", "or", "of", "to", "from", "by", "while",
		"maintaining", "when", "than", "as", "is", "are", "that", "whether",
		"—", "·", "±", "=", "≥", "≤", ">", "<", "→", "≈", "×", "between",
		"relative", "compared", "does", "do", "can", "may", "could", "might",
		"would", "on:", "for:", "addresses:", "only", "not", "fails",
	} {
		m[s] = true
	}
	for _, p := range preps {
		m[p] = true
	}
	return m
}()

// trimWeak drops weak words from the end, keeping at least min words.
func trimWeak(w words, min int) words {
	for len(w) > min && (weak[w[len(w)-1]] || strings.HasSuffix(w[len(w)-1], ":")) {
		w = w[:len(w)-1]
	}
	return w
}

// capitalize upper-cases the first byte if it is an ASCII lower-case letter.
func capitalize(s string) string {
	if s != "" && s[0] >= 'a' && s[0] <= 'z' {
		return string(s[0]-'a'+'A') + s[1:]
	}
	return s
}

// endsBadly reports whether a title ends with a relation word or a kind,
// which would make a glued neighbour item ambiguous.
func endsBadly(title string) bool {
	t := title
	if len(t) > 24 {
		t = t[len(t)-24:]
	}
	t = strings.ToLower(t)
	for _, s := range avoidSuffixes {
		if strings.HasSuffix(t, s) {
			return true
		}
	}
	return false
}

// Numbers.

func pct(r *rand.Rand) string {
	x := r.Float64() * 100
	if chance(r, 0.5) {
		return strconv.FormatFloat(x, 'f', 1, 64) + "%"
	}
	return strconv.FormatFloat(x, 'f', 2, 64) + "%"
}

func smallPct(r *rand.Rand) string {
	return strconv.FormatFloat(r.Float64()*15, 'f', 2, 64) + "%"
}

func frac(r *rand.Rand, digits int) string {
	return strconv.FormatFloat(r.Float64(), 'f', digits, 64)
}

func score(r *rand.Rand, lo, hi int) string {
	v := lo + r.IntN(hi-lo+1) // thousandths
	return "0." + strconv.Itoa(1000 + v)[1:]
}

// numberChunk is a short quantitative phrase, often with the symbols the
// real exports carry.
func numberChunk(r *rand.Rand) string {
	switch r.IntN(16) {
	case 0, 1, 2:
		return "by " + pct(r)
	case 3, 4:
		return pct(r) + " ± " + smallPct(r)
	case 5, 6:
		return "ρ = " + frac(r, 2)
	case 7:
		return "≥ " + strconv.Itoa(50+r.IntN(50)) + "%"
	case 8:
		return "p < 0." + []string{"05", "01", "001"}[r.IntN(3)]
	case 9:
		return strconv.FormatFloat(1+r.Float64()*9, 'f', 1, 64) + "× gain"
	case 10:
		return "k = " + strconv.Itoa(1+r.IntN(64))
	case 11:
		return "n = " + strconv.Itoa(50+r.IntN(5000))
	case 12:
		return "Δ = " + strconv.FormatFloat(r.Float64()*12, 'f', 1, 64) + " points"
	case 13:
		return "λ = " + frac(r, 2)
	case 14:
		return "from " + pct(r) + " to " + pct(r)
	default:
		return "≤ " + frac(r, 3) + " error"
	}
}

// rareChunk holds a character outside the Basic Multilingual Plane.
func rareChunk(r *rand.Rand) string {
	switch r.IntN(4) {
	case 0:
		return "𝔼[reward] drops"
	case 1:
		return "🧪 pilot"
	case 2:
		return "𝔼[loss] rises"
	default:
		return "🧪 ablation"
	}
}

func nounPhrase(r *rand.Rand) string {
	switch r.IntN(5) {
	case 0, 1:
		return pick(r, nouns)
	case 2:
		return pick(r, adjectives) + " " + pick(r, nouns)
	case 3:
		return pick(r, nouns) + " of " + pick(r, adjectives) + " models"
	default:
		return pick(r, nouns) + " and " + pick(r, nouns)
	}
}

func subject(r *rand.Rand) string {
	switch r.IntN(7) {
	case 0, 1:
		return pick(r, models)
	case 2:
		return pick(r, models) + " " + pick(r, nouns)
	case 3:
		return pick(r, methods)
	case 4:
		return pick(r, methods) + " on " + pick(r, models)
	case 5:
		return pick(r, adjectives) + " " + pick(r, nouns)
	default:
		a, b := pick(r, models), pick(r, models)
		if a == b {
			return a
		}
		return a + " · " + b
	}
}

// extra is a chunk that lengthens a statement.
func extra(r *rand.Rand) string {
	switch r.IntN(12) {
	case 0, 1, 2:
		return pick(r, preps) + " " + pick(r, contexts)
	case 3, 4:
		return pick(r, preps) + " " + nounPhrase(r)
	case 5:
		return "while maintaining " + pick(r, nouns)
	case 6, 7:
		return numberChunk(r)
	case 8:
		return "— " + pick(r, adverbs) + " " + pick(r, verbs) + " " + pick(r, nouns)
	case 9:
		return "· " + pick(r, models)
	case 10:
		return "when " + pick(r, nouns) + " " + pick(r, verbs) + " " + pick(r, nouns)
	default:
		return "after " + pick(r, methods)
	}
}

// safeEnds replace a title's last word when it would end the title in a
// relation word or a kind.
var safeEnds = []string{"effects", "gains", "trends", "shifts", "dynamics", "outcomes", "patterns", "overall"}
