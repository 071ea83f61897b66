package schema

// Habits from other schema languages. Someone coming from SQL, Prisma or
// an ORM of another language writes `model User {`, `'text'`, `@unique`,
// `String?` or `default(now())`; each is still a syntax error, but one
// whose hint names ormc's spelling. The checker does the same for the
// type and option names of other languages (compiler/habits.go).
// lang/spec.md lists them under "Habits from other languages".
//
// The lexical ones are found by the scanner (scan calls habitAt at a byte
// that starts no token); `now()` is found where the parser stops
// (callHint, from syntaxError).

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/alecthomas/participle/v2/lexer"
)

// habit is what the scanner makes of a byte that starts no token but is
// a known habit.
type habit struct {
	skip int    // bytes the scanner skips (the error's run): at least 1
	span int    // bytes the diagnostic underlines, from the same start
	msg  string // the diagnostic's message
	hint string
	// brace is set for a "{" or "}" read as "<" or ">": the scanner keeps
	// a Punct token there, so that the model's members still parse.
	brace bool
}

// braceState follows the models opened with "{" instead of "<", so that
// their closing "}" is read as ">".
type braceState struct {
	open  bool // a model opened with "{" has not been closed with "}"
	depth int  // other "{" seen in it, not yet closed: a "}" closes those first
}

// braceHint is the hint of a "{" or "}" read as "<" or ">".
const braceHint = `a model's members go between "<" and ">"`

// habitAt returns the habit at s.src[off], a byte where no token starts,
// or nil. It may change s.braces: call it once per byte.
func (s *scanner) habitAt(off int) *habit {
	switch c := s.src[off]; c {
	case '{':
		if s.afterHeader() {
			// A model closed with ">" after a "{" leaves its state open:
			// the next header starts over.
			s.braces = braceState{open: true}
			return &habit{skip: 1, span: 1, msg: `expected "<", found "{"`, hint: braceHint, brace: true}
		}
		if s.braces.open {
			s.braces.depth++
		}
	case '}':
		if s.braces.open && s.braces.depth == 0 {
			s.braces.open = false
			return &habit{skip: 1, span: 1, msg: `expected ">", found "}"`, hint: braceHint, brace: true}
		}
		if s.braces.depth > 0 {
			s.braces.depth--
		}
	case '\'':
		return singleQuoted(s.src[off:])
	case '@':
		return atSign(s.src[off:])
	case '?':
		// Prisma's and TypeScript's optional type, `String?`.
		if n := len(s.toks); n > 0 && (s.toks[n-1].Type() == tokIdent || s.is(s.toks[n-1], tokPunct, ")")) {
			return &habit{skip: 1, span: 1, msg: `unexpected character "?"`, hint: `a field that may be NULL has the option null: did you mean "null"?`}
		}
	}
	return nil
}

// afterHeader reports whether the tokens scanned so far end with a model
// header, `model Name` or `model Name "table"`, on one line.
func (s *scanner) afterHeader() bool {
	n := len(s.toks)
	k := n - 2 // where "model" must be
	if n > 0 && s.toks[n-1].Type() == tokString {
		k--
	}
	return k >= 0 && s.is(s.toks[k], tokIdent, "model") && s.toks[k+1].Type() == tokIdent
}

// maxQuotedHint is the longest text a hint repeats in double quotes.
const maxQuotedHint = 40

// singleQuoted returns the habit of a string in single quotes at the start
// of src: the whole literal, up to the next "'" on the line that is not
// escaped (with a backslash, or doubled as in SQL), is one error whose
// hint writes it in double quotes. A "'" with no closing one on its line
// is one bad byte.
func singleQuoted(src string) *habit {
	end := -1
	for i := 1; i < len(src) && src[i] != '\n'; i++ {
		if src[i] == '\\' || src[i] == '\'' && i+1 < len(src) && src[i+1] == '\'' {
			i++
			continue
		}
		if src[i] == '\'' {
			end = i
			break
		}
	}
	if end < 0 {
		return &habit{skip: 1, span: 1, msg: `unexpected character "'"`, hint: "strings are written in double quotes"}
	}
	h := &habit{skip: end + 1, span: end + 1, msg: "string literal in single quotes", hint: "write strings in double quotes"}
	text := strings.NewReplacer(`\'`, `'`, `''`, `'`).Replace(src[1:end])
	if len(text) <= maxQuotedHint && printable(text) {
		h.hint = fmt.Sprintf(`write strings in double quotes: "%s"`, escapeQuotes(text))
	}
	return h
}

// printable reports whether s is UTF-8 text without control characters,
// which a hint may repeat.
func printable(s string) bool {
	return utf8.ValidString(s) && strings.IndexFunc(s, func(r rune) bool { return !unicode.IsPrint(r) }) < 0
}

// escapeQuotes puts a backslash before each double quote of s that has
// none, so that s may go between double quotes. Other backslashes are
// kept as written.
func escapeQuotes(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == '\\' && i+1 < len(s):
			b.WriteString(s[i : i+2])
			i++
		case s[i] == '"':
			b.WriteString(`\"`)
		default:
			b.WriteByte(s[i])
		}
	}
	return b.String()
}

// atOptions are ormc's spellings of Prisma's field attributes, written
// with "@": `@id` is the option pk.
var atOptions = map[string]string{
	"id":        "pk",
	"unique":    "unique",
	"default":   "default(value)",
	"map":       `column("name")`,
	"updatedAt": "auto_now",
	"relation":  "ForeignKey(Model)",
}

// atDirectives are ormc's spellings of Prisma's model attributes, written
// with "@@".
var atDirectives = map[string]string{
	"index":  "index(field, ...)",
	"unique": "unique(field, ...)",
	"map":    `model Name "table" <`,
}

// atSign returns the habit of "@" or "@@" at the start of src. The error
// underlines the "@"s and the name after them; only the "@"s are skipped,
// so the name is still read, as an option or a declaration.
func atSign(src string) *habit {
	ats := 1
	if len(src) > 1 && src[1] == '@' {
		ats = 2
	}
	name := src[ats:]
	n := 0
	if n < len(name) && isLetter(name[n]) {
		for n = 1; n < len(name) && (isLetter(name[n]) || isDigit(name[n])); n++ {
		}
	}
	name = name[:n]
	h := &habit{skip: ats, span: ats + n, msg: `unexpected character "@"`}
	table, what := atOptions, "options are"
	if ats == 2 {
		table, what = atDirectives, "model declarations are"
	}
	switch to, ok := table[name]; {
	case ok:
		h.hint = fmt.Sprintf("%s written without %q: did you mean %q?", what, src[:ats], to)
	case n > 0:
		h.hint = fmt.Sprintf("%s written without %q", what, src[:ats])
	}
	return h
}

// callHint returns the hint for a syntax error at the "(" after name, an
// identifier argument: a function call, such as `default(now())`, where
// ormc has a bare word.
func callHint(name string) string {
	switch strings.ToLower(name) {
	case "now", "current_timestamp":
		return "write now without parentheses: default(now), or use the option auto_now_add"
	case "uuid", "gen_random_uuid", "uuid4":
		return "write uuid without parentheses: default(uuid)"
	case "autoincrement", "auto_increment":
		return "an Integer or BigInteger pk without a default is auto-incremented: drop the default"
	}
	return "a value is a string, a number or a name: there are no function calls"
}

// isCall reports whether the parser stopped at toks[i], a "(", right
// after an identifier argument (e says so: a "," or ")" was expected).
func isCall(toks []lexer.Token, i int, e expectState) bool {
	return i > 0 && isPunct(toks[i], "(") && toks[i-1].Type == tokIdent && e.want == `"," or ")"`
}
