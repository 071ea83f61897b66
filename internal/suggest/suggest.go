package suggest

import "strings"

// MaxLen is the longest name Closest compares, in bytes: edit distance
// costs the product of the lengths, so a longer name or candidate is
// never suggested or suggested for.
const MaxLen = 100

// Closest returns the candidate closest to name, or "" when none is close
// enough to be a likely typo, or the closest is name itself.
//
// Names are compared without regard to ASCII case. A candidate is close
// when its edit distance from name is less than len(name)/2+1 and less
// than 3. A candidate that name is a prefix
// of counts as distance 1 when name has three bytes or more (an
// abbreviation: "max_len" for "max_length"), and a candidate that differs
// from name only in case always wins. Of equally close candidates the
// first is chosen, so the answer is deterministic given their order.
func Closest(name string, candidates []string) string {
	if len(name) > MaxLen {
		return ""
	}
	lname := lower(name)
	best, bestDist := "", min(len(name)/2+1, 3)
	for _, c := range candidates {
		if len(c) > MaxLen {
			continue
		}
		lc := lower(c)
		d := distance(lname, lc)
		if len(name) >= 3 && strings.HasPrefix(lc, lname) {
			d = min(d, 1)
		}
		if d < bestDist || d == 0 && c != name {
			best, bestDist = c, d
		}
	}
	if best == name {
		return ""
	}
	return best
}

// lower folds ASCII upper case letters only, so that byte offsets stay.
func lower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// distance is the Levenshtein distance between a and b, in bytes.
func distance(a, b string) int {
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
