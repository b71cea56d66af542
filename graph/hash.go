package graph

import (
	"sort"
	"strings"
	"sync"
)

// The workspace indexes are keyed by 64-bit FNV-1a hashes computed while
// streaming over the text, so that resolving a neighbour ("KIND:" +
// slug(TITLE), or its normalised text) allocates nothing.
//
// Lookups by id from a string (Defs, CitedBy, CitationsOf, Suggest)
// compare the ids themselves: there a collision costs time, never a wrong
// answer. Resolution does not: an item's keys (KIND:slug of its title, the
// normalised title and summary) are compared with entities' keys (id,
// title, summary) alone, in ResolveItem and everything built on it
// (unresolved-neighbour, restated, unlinked-claim, references, listings,
// invalidation). Comparing the strings would cost much of a diagnosis,
// and files read from disk no longer hold the text an item's strings are
// cut from (File.DropText). Two strings sharing a key would
// make an item name an entity it does not.
//
// The odds, taking FNV-1a as random over these strings: a generated 100k
// workspace holds 0.30M distinct entity keys and 0.68M distinct item keys
// (0.70M in all, items mostly naming entities). At 1M entities, ten times
// as many: the birthday bound for any two of n = 7M keys colliding is
// n²/2⁶⁵ ≈ 1.3×10⁻⁶, and only an item key meeting an entity key can
// mislead, 6.8M × 3M / 2⁶⁴ ≈ 1.1×10⁻⁶: about one such workspace in a
// million has one wrong resolution. (Near duplicates compare title words
// by 32-bit hashes, see titleWordHashes: a vocabulary of 10⁵ words likely
// holds one pair sharing a hash, which misleads only where two titles of
// one kind differ at that pair of words.)

const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

type hasher uint64

func newHasher() hasher { return fnvOffset }

func (h hasher) byte(c byte) hasher { return (h ^ hasher(c)) * fnvPrime }

func (h hasher) str(s string) hasher {
	for i := 0; i < len(s); i++ {
		h = (h ^ hasher(s[i])) * fnvPrime
	}
	return h
}

// Key namespaces keep the indexes apart when they share a map type.
const (
	nsID   = 'i'
	nsText = 't'
	nsKind = 'k'
)

// kindKey is the key of a kind, 0 for none.
func kindKey(kind string) uint64 {
	if kind == "" {
		return 0
	}
	return uint64(newHasher().byte(nsKind).str(kind))
}

// kindNames reads kind keys back: items keep their kind as a key, and the
// few kinds of a workspace are named once for the whole process.
var kindNames sync.Map // uint64 -> string

// registerKind returns kind's key, naming it in kindNames.
func registerKind(kind string) uint64 {
	k := kindKey(kind)
	if k != 0 {
		if _, ok := kindNames.Load(k); !ok {
			kindNames.LoadOrStore(k, strings.Clone(kind))
		}
	}
	return k
}

// KindName returns the kind whose key is k, "" when no parse in this
// process has met it (a pack keeps the names: see KindNames).
func KindName(k uint64) string {
	if v, ok := kindNames.Load(k); ok {
		return v.(string)
	}
	return ""
}

// KindNames returns every kind named so far; RegisterKinds names them in
// another process, for the items a pack's records make there.
func KindNames() []string {
	var out []string
	kindNames.Range(func(_, v any) bool { out = append(out, v.(string)); return true })
	sort.Strings(out)
	return out
}

// RegisterKinds names kinds (see KindNames).
func RegisterKinds(kinds []string) {
	for _, k := range kinds {
		registerKind(k)
	}
}

// idKey is the key of an id "kind:slug".
func idKey(id string) uint64 { return uint64(newHasher().byte(nsID).str(id)) }

// textKey hashes the normalised form of a title or summary: ASCII lower
// case, runs of white space as one space, trimmed.
func textKey(s string) uint64 {
	h := newHasher().byte(nsText)
	space := false
	started := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == ' ' || c == '\t' {
			space = started
			continue
		}
		if space {
			h = h.byte(' ')
			space = false
		}
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		h = h.byte(c)
		started = true
	}
	return uint64(h)
}

func lowerASCII(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// nameKeys computes, in one pass, idKey(kind + ":" + Slug(name)) without
// building the string, and textKey(name): every neighbour item of the
// workspace needs both.
func nameKeys(kind, name string) (id, text uint64) {
	h := newHasher().byte(nsID).str(kind).byte(':')
	t := newHasher().byte(nsText)
	n, dash := 0, false
	space, started := false, false
	for i := 0; i < len(name); i++ {
		c := name[i]
		if c == ' ' || c == '\t' {
			space = started
		} else {
			if space {
				t = t.byte(' ')
				space = false
			}
			t = t.byte(lowerASCII(c))
			started = true
		}
		sc, ok := slugByte(c)
		if !ok {
			dash = n > 0
			continue
		}
		if dash {
			h = h.byte('-')
			dash = false
		}
		h = h.byte(sc)
		n++
	}
	return uint64(h), uint64(t)
}
