package compiler

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// TestShortenedNames checks constraintName, sequenceName and
// primaryKeyName on names of every length up to 80 bytes, in characters
// of 1 to 4 bytes: the result fits 63 bytes, is valid UTF-8, and two long
// names that differ only after the cut are still told apart.
func TestShortenedNames(t *testing.T) {
	for _, ch := range []string{"a", "é", "表", "ﬀ", "\U0001D538"} {
		for n := 1; n <= 80; n++ {
			table := ""
			for len(table)+len(ch) <= n {
				table += ch
			}
			table += strings.Repeat("x", n-len(table))
			seen := map[string]string{}
			for _, col := range []string{"col_" + strings.Repeat(ch, 20) + "1", "col_" + strings.Repeat(ch, 20) + "2"} {
				for _, name := range []string{constraintName(table, []string{col}, "key"), sequenceName(table, col), primaryKeyName(table)} {
					if len(name) > maxIdentLen || !utf8.ValidString(name) {
						t.Errorf("%q, %q: %q: %d bytes, valid UTF-8 %v", table, col, name, len(name), utf8.ValidString(name))
					}
				}
				key := constraintName(table, []string{col}, "key")
				if prev, dup := seen[key]; dup {
					t.Errorf("%q: columns %q and %q both give %q", table, prev, col, key)
				}
				seen[key] = col
			}
		}
	}
	for _, c := range []struct{ got, want string }{
		{sequenceName("note", "id"), "note_id_seq"},
		{primaryKeyName("note"), "note_pkey"},
		{constraintName("note", []string{"a", "b"}, "idx"), "note_a_b_idx"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}
