package graph

// Slug turns a title into the slug part of an id: ASCII letters lower-cased,
// every run of other characters (including every non-ASCII character: the
// seeds give no rule for accents or CJK, and dropping them is what the rule
// "replace everything but a-z0-9" already says) replaced by one '-', and '-'
// trimmed at both ends.
func Slug(title string) string {
	b := make([]byte, 0, len(title))
	dash := false
	for i := 0; i < len(title); i++ {
		c, ok := slugByte(title[i])
		if !ok {
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

// slugByte maps an input byte to its slug byte, or reports a separator.
// Bytes of multi-byte UTF-8 characters are all >= 0x80 and so separators.
func slugByte(c byte) (byte, bool) {
	switch {
	case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
		return c, true
	case c >= 'A' && c <= 'Z':
		return c + 'a' - 'A', true
	}
	return 0, false
}

// slugIs reports whether Slug(title) == slug without allocating; it is
// called for every candidate split of every id line and every neighbour.
func slugIs(title, slug string) bool {
	j := 0
	dash := false
	for i := 0; i < len(title); i++ {
		c, ok := slugByte(title[i])
		if !ok {
			dash = j > 0
			continue
		}
		if dash {
			if j >= len(slug) || slug[j] != '-' {
				return false
			}
			j++
			dash = false
		}
		if j >= len(slug) || slug[j] != c {
			return false
		}
		j++
	}
	return j == len(slug)
}

// isSlugByte reports whether c may appear in a slug.
func isSlugByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-'
}

// isKindWord reports whether s is a lower-case word usable as a kind:
// [a-z][a-z0-9_]*.
func isKindWord(s string) bool {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return false
	}
	for i := 1; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}
