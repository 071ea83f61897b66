package runtime

import (
	"fmt"
	"strings"

	"github.com/ormc/ormc/runtime/dialect"
)

// rawRules are what the rewriting of raw SQL must know of a dialect's
// lexical syntax to tell a ? that is a placeholder from one that is text.
type rawRules struct {
	backslash bool // '…' and "…" take backslash escapes (MySQL's default)
	hash      bool // # begins a comment to the end of the line (MySQL)
	nested    bool // /* … */ comments nest (PostgreSQL)
	dollar    bool // $tag$ … $tag$ strings, and E'…' strings take backslash escapes (PostgreSQL)
	brackets  bool // [name] is a quoted identifier (SQLite)
	literalQ  bool // ?? is a literal ?, which has a meaning (PostgreSQL's jsonb operators)
	exactSum  bool // SUM( is written ormc_decimal_sum( (SQLite: see raw.go)
}

// rawRulesByDialect holds the rules of each dialect, by name (a registry,
// so that no code compares a dialect's name; TestRawRulesEveryDialect
// fails for a dialect missing here).
var rawRulesByDialect = map[string]rawRules{
	"postgres": {nested: true, dollar: true, literalQ: true},
	"mysql":    {backslash: true, hash: true},
	"sqlite":   {brackets: true, exactSum: true},
}

// rawRulesOf returns the rules of d. A dialect missing from the registry
// gets the common ground of SQL: '…', "…" and the two comments.
func rawRulesOf(d dialect.Dialect) rawRules { return rawRulesByDialect[d.Name()] }

// rawSQL rewrites raw SQL for db's database: each ? outside literals,
// quoted identifiers and comments becomes the dialect's placeholder of
// the next argument, ?? a literal ? (where one has a meaning), and on
// SQLite SUM( becomes ormc_decimal_sum(. It returns an error wrapping
// ErrRawSQL when the placeholders are not nargs in number, or for ??
// where a literal ? cannot be written.
func rawSQL(db *DB, query string, nargs int) (string, error) {
	return rewriteRaw(db.dialect, query, nargs)
}

func rewriteRaw(d dialect.Dialect, q string, nargs int) (string, error) {
	r := rawRulesOf(d)
	b := make([]byte, 0, len(q)+16)
	n := 0
	for i := 0; i < len(q); {
		c := q[i]
		next := byte(0)
		if i+1 < len(q) {
			next = q[i+1]
		}
		j := i + 1 // the end of what is copied as it is
		switch {
		case c == '\'':
			j = skipQuoted(q, i, '\'', r.backslash)
		case c == '"':
			j = skipQuoted(q, i, '"', r.backslash)
		case c == '`':
			j = skipQuoted(q, i, '`', false)
		case c == '[' && r.brackets:
			j = skipPast(q, i+1, "]")
		case c == '-' && next == '-', c == '#' && r.hash:
			j = skipPast(q, i, "\n")
		case c == '/' && next == '*':
			j = skipComment(q, i, r.nested)
		case c == '$' && r.dollar:
			if tag := dollarTag(q[i:]); tag != "" {
				j = skipPast(q, i+len(tag), tag)
			}
		case c == '?' && next == '?':
			if !r.literalQ {
				return "", fmt.Errorf("%w: ?? (a literal ?) at byte %d: %s reads every ? as a placeholder", ErrRawSQL, i, d.Name())
			}
			b = append(b, '?')
			i += 2
			continue
		case c == '?':
			n++
			b = d.AppendPlaceholder(b, n)
			i++
			continue
		case isIdentStart(c):
			for j < len(q) && isIdentByte(q[j]) {
				j++
			}
			word := q[i:j]
			switch {
			case r.dollar && (word == "E" || word == "e") && j < len(q) && q[j] == '\'':
				j = skipQuoted(q, j, '\'', true) // an escape string: E'it\'s'
			case r.exactSum && strings.EqualFold(word, "sum") && nextNonSpace(q, j) == '(' &&
				(len(b) == 0 || b[len(b)-1] != '.'):
				b = append(b, "ormc_decimal_sum"...)
				i = j
				continue
			}
		}
		b = append(b, q[i:j]...)
		i = j
	}
	if n != nargs {
		return "", fmt.Errorf("%w: %d placeholders (?) and %d arguments", ErrRawSQL, n, nargs)
	}
	return string(b), nil
}

// skipQuoted returns the index after the text quoted by q[i] == quote:
// a doubled quote is one inside it, and with backslash a backslash
// escapes the byte after it. Unterminated text runs to the end.
func skipQuoted(q string, i int, quote byte, backslash bool) int {
	for j := i + 1; j < len(q); j++ {
		switch q[j] {
		case '\\':
			if backslash {
				j++
			}
		case quote:
			if j+1 < len(q) && q[j+1] == quote {
				j++
				continue
			}
			return j + 1
		}
	}
	return len(q)
}

// skipPast returns the index after the first end in q from i, or len(q).
func skipPast(q string, i int, end string) int {
	if k := strings.Index(q[i:], end); k >= 0 {
		return i + k + len(end)
	}
	return len(q)
}

// skipComment returns the index after the /* … */ comment at i, nested
// ones included when nested.
func skipComment(q string, i int, nested bool) int {
	depth := 0
	for j := i; j+1 < len(q); j++ {
		switch {
		case q[j] == '/' && q[j+1] == '*' && (nested || depth == 0):
			depth++
			j++
		case q[j] == '*' && q[j+1] == '/':
			j++
			if depth--; depth == 0 {
				return j + 1
			}
		}
	}
	return len(q)
}

// dollarTag returns the tag ("$$", "$body$") that s begins with, or ""
// when s begins with none ("$1", "$").
func dollarTag(s string) string {
	for j := 1; j < len(s); j++ {
		switch c := s[j]; {
		case c == '$':
			return s[:j+1]
		case isIdentStart(c), j > 1 && '0' <= c && c <= '9':
		default:
			return ""
		}
	}
	return ""
}

// nextNonSpace returns the first byte from i on that is not white space,
// or 0.
func nextNonSpace(q string, i int) byte {
	for ; i < len(q); i++ {
		switch q[i] {
		case ' ', '\t', '\n', '\r', '\f':
			continue
		}
		return q[i]
	}
	return 0
}

// isIdentStart reports whether c begins a word: a keyword or an unquoted
// identifier (a byte of a UTF-8 letter included).
func isIdentStart(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '_' || c >= 0x80
}

// isIdentByte reports whether c continues a word.
func isIdentByte(c byte) bool { return isIdentStart(c) || isDigit(c) || c == '$' }
