package inspect

import (
	"strconv"
	"strings"
)

// typeName is a column type split into its parts: "numeric(10,2)" is
// name "numeric" with args [10 2]; "int(11) unsigned zerofill" is "int"
// with [11], unsigned. Words are lower-case and single-spaced; other
// words after the arguments ("with time zone") join the name.
type typeName struct {
	name     string
	args     []int
	unsigned bool
}

// splitType splits a type as a database or the DDL writes it. Arguments
// that are not numbers (MySQL's ENUM values) are not kept.
func splitType(raw string) typeName {
	var t typeName
	var words []string
	s := strings.ToLower(strings.TrimSpace(raw))
	for len(s) > 0 {
		switch {
		case s[0] == ' ' || s[0] == '\t' || s[0] == '\n':
			s = s[1:]
		case s[0] == '(':
			end := closingParen(s)
			for _, a := range strings.Split(s[1:end], ",") {
				if n, err := strconv.Atoi(strings.TrimSpace(a)); err == nil {
					t.args = append(t.args, n)
				}
			}
			s = s[min(end+1, len(s)):]
		default:
			j := strings.IndexAny(s, " \t\n(")
			if j < 0 {
				j = len(s)
			}
			switch w := s[:j]; w {
			case "unsigned":
				t.unsigned = true
			case "signed", "zerofill":
			default:
				words = append(words, w)
			}
			s = s[j:]
		}
	}
	t.name = strings.Join(words, " ")
	return t
}

// closingParen returns the index of the parenthesis closing the one at
// s[0], skipping quoted strings and names, or len(s) when none does.
func closingParen(s string) int {
	depth := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\'', '"', '`':
			_, n := scanQuoted(s[i:], s[i], s[i] == '\'')
			i += n - 1
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 {
				return i
			}
		}
	}
	return len(s)
}

// arg returns the i-th argument, or 0.
func (t typeName) arg(i int) int {
	if i < len(t.args) {
		return t.args[i]
	}
	return 0
}

// baseRule says how a type name maps to a Base, and what its arguments
// mean.
type baseRule struct {
	base Base
	// args: "length" (one argument, Length), "decimal" (Precision,
	// Scale), "precision" (one argument, Precision), "" (none kept).
	args string
	// length is the Length of a type whose size its name fixes
	// (MySQL's TEXT is 65535 bytes).
	length int
}

// parseWith maps raw through the rules of one dialect: exact names first,
// unknown names to BaseUnknown.
func parseWith(rules map[string]baseRule, raw string) Type {
	tn := splitType(raw)
	r, ok := rules[tn.name]
	if !ok {
		return Type{}
	}
	t := Type{Base: r.base, Length: r.length, Unsigned: tn.unsigned}
	switch r.args {
	case "length":
		t.Length = tn.arg(0)
	case "decimal":
		t.Precision, t.Scale = tn.arg(0), tn.arg(1)
	case "precision":
		t.Precision = tn.arg(0)
	}
	return t
}
