package textcheck

import (
	"encoding/json"
	"fmt"
	"strconv"
	"unicode/utf8"
)

// JSON documents are held to what every database stores: PostgreSQL's
// jsonb and MariaDB's JSON_VALID check refuse valid JSON that SQLite
// would keep.

const (
	// maxJSONDepth is the deepest nesting of arrays and objects MariaDB's
	// JSON_VALID accepts.
	maxJSONDepth = 31
	// PostgreSQL's numeric, which jsonb keeps numbers in, holds at most
	// 131072 digits before the point and 16383 after it, and refuses an
	// exponent of 2^30 - 1 or more either way, even on zero.
	maxJSONWholeDigits = 131072
	maxJSONScale       = 16383
	maxJSONExponent    = 1<<30 - 2
)

// JSON returns why doc cannot be stored alike on every database, as the
// code of the runtime's validation and a message, or two empty strings
// when it can: "utf8" when doc is not valid UTF-8, "json" when it is not
// one JSON document (RFC 8259), "json_unsupported" when it is one that a
// database refuses.
func JSON(doc []byte) (code, msg string) {
	switch {
	case !utf8.Valid(doc):
		return "utf8", "is not valid UTF-8"
	case !json.Valid(doc):
		return "json", "is not a JSON document"
	}
	if msg := jsonUnsupported(doc); msg != "" {
		return "json_unsupported", msg
	}
	return "", ""
}

// jsonUnsupported returns why a valid JSON document cannot be stored alike
// on every database, or "". Being valid, the document has backslashes
// only in strings, each starting an escape.
func jsonUnsupported(doc []byte) string {
	depth := 0
	for i := 0; i < len(doc); i++ {
		switch c := doc[i]; {
		case c == '[' || c == '{':
			if depth++; depth > maxJSONDepth {
				return fmt.Sprintf("nests arrays and objects %d deep, more than the %d MariaDB accepts", depth, maxJSONDepth)
			}
		case c == ']' || c == '}':
			depth--
		case c == '"':
			end, msg := jsonString(doc, i+1)
			if msg != "" {
				return msg
			}
			i = end
		case c == '-' || digit(c):
			end := i + 1
			for end < len(doc) && (digit(doc[end]) || doc[end] == '.' || doc[end] == 'e' || doc[end] == 'E' || doc[end] == '+' || doc[end] == '-') {
				end++
			}
			if msg := jsonNumber(string(doc[i:end])); msg != "" {
				return msg
			}
			i = end - 1
		}
	}
	return ""
}

// jsonString checks the escapes of the string that starts at doc[i],
// after its opening quote, and returns the index of its closing quote.
func jsonString(doc []byte, i int) (int, string) {
	for ; doc[i] != '"'; i++ {
		if doc[i] != '\\' {
			continue
		}
		i++
		if doc[i] != 'u' {
			continue
		}
		r := hex4(doc[i+1:])
		i += 4
		switch {
		case r == 0:
			return i, `holds \u0000, which PostgreSQL refuses`
		case 0xD800 <= r && r < 0xDC00: // a high surrogate: a low one must follow
			if i+6 < len(doc) && doc[i+1] == '\\' && doc[i+2] == 'u' {
				if low := hex4(doc[i+3:]); 0xDC00 <= low && low < 0xE000 {
					i += 6
					continue
				}
			}
			fallthrough
		case 0xDC00 <= r && r < 0xE000:
			return i, fmt.Sprintf(`holds \u%04X, half a surrogate pair, which PostgreSQL and MariaDB refuse`, r)
		}
	}
	return i, ""
}

// hex4 reads the four hex digits of a \u escape, which json.Valid has
// checked.
func hex4(b []byte) rune {
	n, _ := strconv.ParseUint(string(b[:4]), 16, 32)
	return rune(n)
}

// jsonNumber checks a JSON number against PostgreSQL's numeric.
func jsonNumber(s string) string {
	mant, expText := s, ""
	for i := 0; i < len(s); i++ {
		if s[i] == 'e' || s[i] == 'E' {
			mant, expText = s[:i], s[i+1:]
			break
		}
	}
	exp := 0
	if expText != "" {
		n, err := strconv.ParseInt(expText, 10, 64)
		if err != nil || n > maxJSONExponent || n < -maxJSONExponent {
			return fmt.Sprintf("holds the number %s, whose exponent PostgreSQL refuses", clip(s))
		}
		exp = int(n)
	}
	if mant[0] == '-' {
		mant = mant[1:]
	}
	whole, frac := mant, ""
	for i := 0; i < len(mant); i++ {
		if mant[i] == '.' {
			whole, frac = mant[:i], mant[i+1:]
			break
		}
	}
	if scale := len(frac) - exp; scale > maxJSONScale {
		return fmt.Sprintf("holds the number %s, with more than the %d digits after the point PostgreSQL holds", clip(s), maxJSONScale)
	}
	// The digits before the point: those from the first non-zero one.
	digits := whole + frac
	first := 0
	for first < len(digits) && digits[first] == '0' {
		first++
	}
	if first < len(digits) && len(whole)-first+exp > maxJSONWholeDigits {
		return fmt.Sprintf("holds the number %s, with more than the %d digits before the point PostgreSQL holds", clip(s), maxJSONWholeDigits)
	}
	return ""
}

func digit(c byte) bool { return '0' <= c && c <= '9' }

// clip returns a number's text, cut to show in a message.
func clip(s string) string {
	if len(s) > 20 {
		return s[:20] + "…"
	}
	return s
}
