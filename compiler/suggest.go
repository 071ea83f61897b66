package compiler

import (
	"fmt"

	isuggest "github.com/ormc/ormc/internal/suggest"
)

// suggest returns a `did you mean %q?` hint for the candidate closest to
// name, or "" when none is close enough to be a likely typo. The rule is
// suggest.Closest's, which the runtime's lookup strings use too.
func suggest(name string, candidates []string) string {
	best := isuggest.Closest(name, candidates)
	if best == "" {
		return ""
	}
	return fmt.Sprintf("did you mean %q?", best)
}

// lower folds ASCII upper case letters only.
func lower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

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
