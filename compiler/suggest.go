package compiler

import (
	"fmt"
	"strings"
)

// suggest returns a `did you mean %q?` hint for the candidate closest to
// name, or "" when none is close enough to be a likely typo.
func suggest(name string, candidates []string) string {
	if len(name) > maxHintLen {
		return ""
	}
	best, bestDist := "", len(name)/2+1
	if bestDist > 3 {
		bestDist = 3
	}
	for _, c := range candidates {
		if len(c) > maxHintLen {
			continue
		}
		d := editDistance(lower(name), lower(c))
		if len(name) >= 3 && strings.HasPrefix(lower(c), lower(name)) {
			d = min(d, 1) // an abbreviation: max_len for max_length
		}
		if d < bestDist || d == 0 && c != name {
			best, bestDist = c, d
		}
	}
	if best == "" || best == name {
		return ""
	}
	return fmt.Sprintf("did you mean %q?", best)
}

func lower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// editDistance is the Levenshtein distance between a and b, in bytes.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// maxHintLen is the longest name suggest compares: edit distance costs the
// product of the lengths.
const maxHintLen = 100

// maxHintWork bounds the candidates compared for hints over the model and
// field names of one schema, which grow with the input: a huge schema full
// of unknown names then gets its hints only on the first ones instead of
// quadratic time.
const maxHintWork = 1 << 20

// suggestAmong is suggest over candidates that may be many, within the
// checker's hint budget; n is how many candidates names would return.
func (c *checker) suggestAmong(name string, n int, names func() []string) string {
	c.hintWork += n
	if c.hintWork > maxHintWork {
		return ""
	}
	return suggest(name, names())
}
