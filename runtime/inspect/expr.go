package inspect

import (
	"encoding/json"
	"math/big"
	"strings"
	"time"
)

// Expressions (defaults and CHECK conditions) come back from a database
// in its own spelling: PostgreSQL adds casts and parentheses and writes
// IN as = ANY (ARRAY[…]), MariaDB lower-cases functions and writes
// current_timestamp(), SQLite keeps the text verbatim. normalExpr reduces
// an expression to a normal form in which the spellings that mean the
// same compare equal: tokens separated by spaces, keywords and unquoted
// names in lower case, quoted names unquoted, literals (strings and
// numbers alike) as 'text' with numbers in canonical form, and no
// parentheses, brackets or casts. Dropping parentheses and casts can make
// two different expressions equal ((a + b) * c and a + b * c); no
// expression ormc writes differs only so, and drift checks accept that.

// token kinds.
const (
	tokWord = iota // keyword or unquoted name
	tokName        // quoted name
	tokLit         // string
	tokNum         // number
	tokOp          // operator or punctuation
)

type token struct {
	kind     int
	text     string
	pos, end int // the token's bytes in the text scanned
}

// scanExpr splits an SQL expression into tokens. backslash says whether
// a backslash escapes the next character inside strings (MySQL).
func scanExpr(s string, backslash bool) []token {
	var out []token
	for i := 0; i < len(s); {
		c, start, n := s[i], i, len(out)
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '\'':
			v, w := scanQuoted(s[i:], '\'', backslash)
			out = append(out, token{kind: tokLit, text: v})
			i += w
		case c == '"' || c == '`':
			v, w := scanQuoted(s[i:], c, false)
			out = append(out, token{kind: tokName, text: v})
			i += w
		case c == '[' && len(out) > 0 && out[len(out)-1].kind == tokWord && strings.EqualFold(out[len(out)-1].text, "array"):
			out = append(out, token{kind: tokOp, text: "["})
			i++
		case c == '[' && strings.IndexByte(s[i:], ']') > 0 && !backslash && isBracketName(s[i+1:]):
			// SQLite's [name].
			j := strings.IndexByte(s[i:], ']')
			out = append(out, token{kind: tokName, text: s[i+1 : i+j]})
			i += j + 1
		case isDigit(c) || c == '.' && i+1 < len(s) && isDigit(s[i+1]):
			j := i
			for j < len(s) && (isDigit(s[j]) || s[j] == '.' || (s[j] == 'e' || s[j] == 'E') ||
				((s[j] == '+' || s[j] == '-') && j > i && (s[j-1] == 'e' || s[j-1] == 'E'))) {
				j++
			}
			out = append(out, token{kind: tokNum, text: s[i:j]})
			i = j
		case isWordStart(c):
			j := i
			for j < len(s) && isWordPart(s[j]) {
				j++
			}
			w := s[i:j]
			if j < len(s) && s[j] == '\'' && (w[0] == '_' || strings.EqualFold(w, "E") || strings.EqualFold(w, "N")) {
				// A character set introducer (_utf8mb4'x') or an
				// escape-string prefix (E'x'): the literal is what counts.
				v, m := scanQuoted(s[j:], '\'', backslash || strings.EqualFold(w, "E"))
				out = append(out, token{kind: tokLit, text: v})
				i = j + m
			} else {
				out = append(out, token{kind: tokWord, text: strings.ToLower(w)})
				i = j
			}
		case c == ':' && i+1 < len(s) && s[i+1] == ':':
			out = append(out, token{kind: tokOp, text: "::"})
			i += 2
		case strings.IndexByte("<>=!|+-*/%&~^", c) >= 0:
			j := i + 1
			for j < len(s) && strings.IndexByte("<>=!|&", s[j]) >= 0 {
				j++
			}
			op := s[i:j]
			if op == "!=" {
				op = "<>"
			}
			out = append(out, token{kind: tokOp, text: op})
			i = j
		default:
			out = append(out, token{kind: tokOp, text: string(c)})
			i++
		}
		if len(out) > n {
			out[len(out)-1].pos, out[len(out)-1].end = start, i
		}
	}
	return out
}

// scanQuoted reads a quoted string or name at the start of s (s[0] is
// the quote), doubling the quote to escape it, and returns its value and
// length. An unterminated one runs to the end.
func scanQuoted(s string, q byte, backslash bool) (string, int) {
	var b strings.Builder
	i := 1
	for i < len(s) {
		c := s[i]
		switch {
		case backslash && c == '\\' && i+1 < len(s):
			b.WriteByte(unescape(s[i+1]))
			i += 2
			continue
		case c == q && i+1 < len(s) && s[i+1] == q:
			b.WriteByte(q)
			i += 2
			continue
		case c == q:
			return b.String(), i + 1
		}
		b.WriteByte(c)
		i++
	}
	return b.String(), i
}

// unescape is MySQL's meaning of a backslash before c.
func unescape(c byte) byte {
	switch c {
	case '0':
		return 0
	case 'n':
		return '\n'
	case 'r':
		return '\r'
	case 't':
		return '\t'
	case 'Z':
		return 26
	case 'b':
		return '\b'
	}
	return c
}

func isBracketName(s string) bool {
	j := strings.IndexByte(s, ']')
	return j > 0 && !strings.ContainsAny(s[:j], ",'\"")
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }
func isWordStart(c byte) bool {
	return c == '_' || c == '$' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c >= 0x80
}
func isWordPart(c byte) bool { return isWordStart(c) || isDigit(c) }

// typeWords continue a multi-word type name after a cast's first word.
var typeWords = map[string]bool{"varying": true, "precision": true, "with": true, "without": true, "time": true, "zone": true}

// normalTokens drops parentheses, brackets and casts from toks, writes
// PostgreSQL's = ANY (ARRAY[…]) as IN, IN of one value as =, folds the
// sign into a negative number, and canonicalises numbers.
func normalTokens(toks []token) []token {
	var out []token
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		switch {
		case t.kind == tokOp && (t.text == "(" || t.text == ")" || t.text == "[" || t.text == "]"):
			continue
		case t.kind == tokOp && t.text == "::":
			// Skip the type: its words, a (length) and [] suffixes.
			i++
			for i+1 < len(toks) && toks[i+1].kind == tokWord && typeWords[toks[i+1].text] {
				i++
			}
			if i+1 < len(toks) && toks[i+1].text == "(" {
				for i+1 < len(toks) && toks[i+1].text != ")" {
					i++
				}
				i++
			}
			for i+2 < len(toks) && toks[i+1].text == "[" && toks[i+2].text == "]" {
				i += 2
			}
			continue
		case t.kind == tokWord && t.text == "array":
			continue
		case t.kind == tokWord && t.text == "any" && len(out) > 0 && out[len(out)-1].text == "=":
			out[len(out)-1] = token{kind: tokWord, text: "in"}
			continue
		case t.kind == tokWord && t.text == "all" && len(out) > 0 && out[len(out)-1].text == "<>":
			out[len(out)-1] = token{kind: tokWord, text: "not"}
			out = append(out, token{kind: tokWord, text: "in"})
			continue
		case t.kind == tokNum:
			t.text = canonicalNumber(t.text)
			// A minus sign that follows no operand makes a negative number.
			if n := len(out); n > 0 && out[n-1].kind == tokOp && out[n-1].text == "-" &&
				(n == 1 || out[n-2].kind == tokOp || out[n-2].kind == tokWord && isOperatorWord(out[n-2].text)) {
				out[n-1] = token{kind: tokNum, text: canonicalNumber("-" + t.text)}
				continue
			}
		}
		out = append(out, t)
	}
	// x IN (v) is x = v: PostgreSQL rewrites it so.
	for i := 0; i+1 < len(out); i++ {
		if out[i].kind == tokWord && out[i].text == "in" && (out[i+1].kind == tokLit || out[i+1].kind == tokNum) &&
			(i+2 == len(out) || out[i+2].text != ",") && (i == 0 || out[i-1].text != "not") {
			out[i] = token{kind: tokOp, text: "="}
		}
	}
	return out
}

func isOperatorWord(w string) bool {
	switch w {
	case "and", "or", "not", "in", "between", "is", "like", "when", "then", "else", "case", "select":
		return true
	}
	return false
}

// joinTokens writes normalised tokens as the normal form's text.
func joinTokens(toks []token) string {
	var b strings.Builder
	for i, t := range toks {
		if i > 0 {
			b.WriteByte(' ')
		}
		switch t.kind {
		case tokLit:
			b.WriteString("'" + strings.ReplaceAll(t.text, "'", "''") + "'")
		case tokName:
			if needsQuotes(t.text) {
				b.WriteString(`"` + strings.ReplaceAll(t.text, `"`, `""`) + `"`)
			} else {
				b.WriteString(t.text)
			}
		default:
			b.WriteString(t.text)
		}
	}
	return b.String()
}

// needsQuotes reports whether name would not read back as the same
// unquoted word: it is empty, holds other characters or upper case.
func needsQuotes(name string) bool {
	if name == "" || !isWordStart(name[0]) {
		return true
	}
	for i := 0; i < len(name); i++ {
		if !isWordPart(name[i]) || 'A' <= name[i] && name[i] <= 'Z' {
			return true
		}
	}
	return false
}

// normalExpr returns the normal form of an expression, in which a number
// and a string holding it are the same literal: PostgreSQL writes a
// negative bound as '-5'::integer.
func normalExpr(s string, backslash bool) string {
	return normalForm(normalTokens(scanExpr(s, backslash)))
}

func normalForm(toks []token) string {
	for i, t := range toks {
		if t.kind == tokLit && isNumber(t.text) {
			toks[i] = token{kind: tokNum, text: canonicalNumber(t.text)}
		}
	}
	return joinTokens(toks)
}

// isNumber reports whether s is a decimal number: digits with at most
// one point, an optional sign and exponent.
func isNumber(s string) bool {
	s = strings.TrimLeft(s, "+-")
	if s == "" {
		return false
	}
	mant, exp, hasExp := strings.Cut(strings.ToLower(s), "e")
	if hasExp {
		e := strings.TrimLeft(exp, "+-")
		if e == "" || strings.Trim(e, "0123456789") != "" {
			return false
		}
	}
	intPart, frac, _ := strings.Cut(mant, ".")
	if intPart == "" && frac == "" {
		return false
	}
	return strings.Trim(intPart, "0123456789") == "" && strings.Trim(frac, "0123456789") == ""
}

// canonicalNumber writes a decimal number without a plus sign, leading
// zeros, trailing fractional zeros, exponent or a bare point; "-0" is
// "0". Anything that is not a decimal number is returned as it is.
func canonicalNumber(s string) string {
	if !isNumber(s) {
		return s
	}
	if strings.ContainsAny(s, "eE") {
		// 1.5e3 is 1500: written out when it has a short exact decimal.
		r, ok := new(big.Rat).SetString(s)
		if !ok {
			return s
		}
		for prec := 0; prec <= 40; prec++ {
			f := r.FloatString(prec)
			if g, ok := new(big.Rat).SetString(f); ok && g.Cmp(r) == 0 {
				s = f
				break
			}
		}
		if strings.ContainsAny(s, "eE") {
			return s
		}
	}
	neg := false
	for len(s) > 0 && (s[0] == '+' || s[0] == '-') {
		neg = neg != (s[0] == '-')
		s = s[1:]
	}
	intPart, frac, _ := strings.Cut(s, ".")
	intPart = strings.TrimLeft(intPart, "0")
	frac = strings.TrimRight(frac, "0")
	if intPart == "" {
		intPart = "0"
	}
	out := intPart
	if frac != "" {
		out += "." + frac
	}
	if neg && out != "0" {
		out = "-" + out
	}
	return out
}

// parseDefault reads a default of a column of type t: nil for none and
// for NULL. backslash is as for scanExpr.
func parseDefault(raw string, t Type, backslash bool) *Default {
	toks := normalTokens(scanExpr(raw, backslash))
	switch {
	case len(toks) == 0:
		return nil
	case len(toks) == 1 && toks[0].kind == tokWord && toks[0].text == "null":
		return nil
	case len(toks) == 1 && (toks[0].kind == tokLit || toks[0].kind == tokNum ||
		toks[0].kind == tokWord && (toks[0].text == "true" || toks[0].text == "false")):
		return &Default{Raw: raw, Kind: DefaultLiteral, Value: canonicalLiteral(t, toks[0].text)}
	}
	return &Default{Raw: raw, Kind: DefaultExpression, Value: normalForm(toks)}
}

// canonicalLiteral writes a literal default of a column of type t so that
// the ways databases write one value compare equal.
func canonicalLiteral(t Type, v string) string {
	switch t.Base {
	case BaseTinyInt, BaseSmallInt, BaseMediumInt, BaseInteger, BaseBigInt, BaseReal, BaseDouble, BaseDecimal:
		return canonicalNumber(v)
	case BaseBoolean:
		switch strings.ToLower(v) {
		case "1", "t", "true", "y", "yes", "on":
			return "true"
		case "0", "f", "false", "n", "no", "off":
			return "false"
		}
	case BaseTimestampTZ, BaseTimestamp:
		if tm, ok := parseInstant(v); ok {
			return tm.UTC().Format("2006-01-02 15:04:05.999999999")
		}
	case BaseTime:
		if tm, err := time.Parse("15:04:05.999999999", v); err == nil {
			return tm.Format("15:04:05.999999999")
		}
	case BaseJSON, BaseJSONB:
		d := json.NewDecoder(strings.NewReader(v))
		d.UseNumber()
		var x any
		if d.Decode(&x) == nil {
			if b, err := json.Marshal(x); err == nil {
				return string(b)
			}
		}
	}
	return v
}

// instantLayouts are the ways databases write a date and time, with or
// without an offset: without one, it is UTC.
var instantLayouts = []string{
	"2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.999999999Z07",
	"2006-01-02T15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.999999999",
	"2006-01-02T15:04:05.999999999",
}

func parseInstant(v string) (time.Time, bool) {
	for _, l := range instantLayouts {
		if tm, err := time.Parse(l, v); err == nil {
			return tm, true
		}
	}
	return time.Time{}, false
}
