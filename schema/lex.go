package schema

// Lexing with recovery. The token rules are lexRules in grammar.go; the
// scanner here applies them by hand (tokenAt), because the participle lexer
// is slow on large files, stops at the first byte that starts no token, and
// builds its error message from the whole rest of the input, which is
// quadratic on garbage. The scanner reports bad bytes and goes on.

import (
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/alecthomas/participle/v2/lexer"
)

// bom is the UTF-8 byte order mark, which some editors write at the start
// of a file. Parse skips it there, as go/scanner does.
const bom = "\ufeff"

// maxErrors is how many diagnostics Parse reports before it gives up with a
// final "too many errors" diagnostic, as go/parser does.
const maxErrors = 100

// token is a significant token: its type and where it is in the source.
// It holds no pointers, so a file's worth of them costs the garbage
// collector nothing, and takes 12 bytes (offsets fit in 32 bits: see
// maxSource); chunks are turned into participle tokens one at a time.
type token struct {
	off, end int32
	typ      int8 // a lexer.TokenType: participle numbers them -1, -2, ...
}

func newToken(typ lexer.TokenType, off, end int) token {
	return token{off: int32(off), end: int32(end), typ: int8(typ)}
}

// Off returns the offset of the token's first byte.
func (t token) Off() int { return int(t.off) }

// End returns the offset just past the token's last byte.
func (t token) End() int { return int(t.end) }

// Type returns the token's type.
func (t token) Type() lexer.TokenType { return lexer.TokenType(t.typ) }

// maxSource is the largest source Parse accepts, 1 MiB: ten times a
// schema of 500 models of 10 fields. Participle allocates about 530 bytes
// per byte of input, so the limit bounds a parse to about a second and
// 550 MB allocated in all; a larger schema is split into several files.
// lang/spec.md states the limit.
const maxSource = 1 << 20

// scanner holds one file's source, its tokens, comments and lexical errors.
// After scan it is only read, so chunks can be parsed concurrently.
type scanner struct {
	filename string
	src      string
	lines    []int32 // byte offset of the start of each line

	toks     []token // Newline, String, Number, Ident and Punct tokens
	comments []*Comment
	ownLine  []bool // ownLine[i]: comments[i] is the first token on its line
	errs     List   // lexical errors, in source order, at most maxErrors+1
	braces   braceState
}

func newScanner(filename string, src []byte) *scanner {
	s := &scanner{filename: filename, src: string(src)}
	s.lines = make([]int32, 1, strings.Count(s.src, "\n")+1)
	for i := 0; i < len(s.src); {
		j := strings.IndexByte(s.src[i:], '\n')
		if j < 0 {
			break
		}
		i += j + 1
		s.lines = append(s.lines, int32(i))
	}
	return s
}

// pos converts a participle position into a Pos. Only the offset is used:
// participle counts columns in runes, Pos counts bytes.
func (s *scanner) pos(p lexer.Position) Pos { return s.posAt(p.Offset) }

// posAt returns the Pos of a byte offset.
func (s *scanner) posAt(off int) Pos {
	line := sort.Search(len(s.lines), func(i int) bool { return int(s.lines[i]) > off })
	return Pos{File: s.filename, Offset: off, Line: line, Col: off - int(s.lines[line-1]) + 1}
}

// endOf returns the position just past participle token t.
func (s *scanner) endOf(t lexer.Token) Pos { return s.posAt(t.Pos.Offset + len(t.Value)) }

// text returns the source text of t, except for a "{" or "}" that the
// scanner read as "<" or ">" (see habitAt): "<" or ">".
func (s *scanner) text(t token) string {
	if t.Type() == tokPunct {
		switch s.src[t.off] {
		case '{':
			return "<"
		case '}':
			return ">"
		}
	}
	return s.src[t.Off():t.End()]
}

// syntaxErr returns a syntax error diagnostic from offset off to end.
func (s *scanner) syntaxErr(off, end int, format string, args ...any) *Diagnostic {
	return &Diagnostic{Pos: s.posAt(off), End: s.posAt(end), Code: CodeSyntax, Msg: fmt.Sprintf(format, args...)}
}

// scan lexes the whole source into s.toks and s.comments. It stops after
// maxErrors+1 lexical errors: Parse reports no more than maxErrors anyway.
// A first pass counts the tokens, so that the slice is allocated once:
// growing it by copying cost more than lexing a large file twice.
func (s *scanner) scan() {
	ntoks, ncomments := s.count()
	s.toks = make([]token, 0, ntoks)
	s.comments = make([]*Comment, 0, ncomments)
	s.ownLine = make([]bool, 0, ncomments)
	slab := make([]Comment, ncomments) // the comments, in one allocation
	line, sigLine := 1, 0              // sigLine: line of the last significant token
	lastBad := -1                      // end of the last bad byte, to report a run once
	off := 0
	if strings.HasPrefix(s.src, bom) {
		off = len(bom) // a byte order mark at the start is not text
	}
	for off < len(s.src) && len(s.errs) <= maxErrors {
		typ, n, msg := tokenAt(s.src[off:])
		var h *habit
		if typ == 0 && msg == "" {
			if h = s.habitAt(off); h != nil {
				n = h.skip
			}
		}
		t := newToken(typ, off, off+n)
		off += n
		switch {
		case h != nil && h.brace:
			// A "{" or "}" for "<" or ">": reported, and read as meant.
			s.errs.Add(&Diagnostic{Pos: s.posAt(t.Off()), End: s.posAt(t.End()), Code: CodeSyntax, Msg: h.msg, Hint: h.hint})
			s.toks = append(s.toks, newToken(tokPunct, t.Off(), t.End()))
			sigLine = line
		case h != nil:
			if t.Off() != lastBad || h.span > 1 {
				s.errs.Add(&Diagnostic{Pos: s.posAt(t.Off()), End: s.posAt(t.Off() + h.span), Code: CodeSyntax, Msg: h.msg, Hint: h.hint})
			}
			lastBad, sigLine = t.End(), line
		case typ == 0:
			if msg != "" || t.Off() != lastBad {
				if msg == "" {
					msg = fmt.Sprintf("unexpected character %q", s.text(t))
				}
				s.errs.Add(s.syntaxErr(t.Off(), t.End(), "%s", msg))
			}
			lastBad, sigLine = t.End(), line
		case typ == tokWhitespace:
		case typ == tokComment:
			text := strings.TrimRight(s.text(t), "\r")
			c := &slab[len(s.comments)]
			*c = Comment{Pos: s.posAt(t.Off()), EndPos: s.posAt(t.Off() + len(text)), Text: text}
			s.comments = append(s.comments, c)
			s.ownLine = append(s.ownLine, sigLine != line)
		case typ == tokNewline:
			line++
			s.toks = append(s.toks, t)
		default:
			sigLine = line
			s.toks = append(s.toks, t)
		}
	}
}

// count returns how many tokens and comments scan keeps, or more.
func (s *scanner) count() (toks, comments int) {
	for off := 0; off < len(s.src); {
		typ, k, _ := tokenAt(s.src[off:])
		switch typ {
		case tokComment:
			comments++
		case 0:
			if c := s.src[off]; c == '{' || c == '}' {
				toks++ // it may be read as "<" or ">"
			}
		case tokWhitespace:
		default:
			toks++
		}
		off += k
	}
	return toks, comments
}

// tokenAt returns the type and length of the token at the start of src,
// following lexRules exactly (the fuzz test checks this against the
// participle lexer built from them). It is hand-written because that
// lexer tries seven regular expressions per token and stops at the first
// bad byte (see the top of this file).
//
// When no token starts at src, it returns type 0 (participle's token types
// are all negative), the number of bytes to
// skip (one character, or the rest of the line for an unterminated string)
// and, for an unterminated string, a message.
func tokenAt(src string) (typ lexer.TokenType, n int, msg string) {
	c := src[0]
	switch {
	case c == '/' && len(src) > 1 && src[1] == '/':
		if n = strings.IndexByte(src, '\n'); n < 0 {
			n = len(src)
		}
		return tokComment, n, ""
	case c == ' ' || c == '\t' || c == '\r':
		for n = 1; n < len(src) && (src[n] == ' ' || src[n] == '\t' || src[n] == '\r'); n++ {
		}
		return tokWhitespace, n, ""
	case c == '\n':
		return tokNewline, 1, ""
	case c == '"':
		if n = stringEnd(src); n > 0 {
			return tokString, n, ""
		}
		if n = strings.IndexByte(src, '\n'); n < 0 {
			n = len(src)
		}
		return 0, n, "string literal not terminated"
	case isDigit(c) || (c == '-' || c == '+') && len(src) > 1 && isDigit(src[1]):
		return tokNumber, numberEnd(src), ""
	case isLetter(c):
		for n = 1; n < len(src) && (isLetter(src[n]) || isDigit(src[n])); n++ {
		}
		return tokIdent, n, ""
	case strings.IndexByte("<>;(),:", c) >= 0:
		return tokPunct, 1, ""
	}
	_, n = utf8.DecodeRuneInString(src)
	return 0, n, ""
}

func isDigit(c byte) bool  { return '0' <= c && c <= '9' }
func isLetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '_' }

// digits returns the number of leading ASCII digits of s.
func digits(s string) int {
	n := 0
	for n < len(s) && isDigit(s[n]) {
		n++
	}
	return n
}

// numberEnd returns the length of the number at the start of src, which
// begins with a digit or a sign and a digit: `[-+]?\d+(\.\d+)?([eE][-+]?\d+)?`.
func numberEnd(src string) int {
	n := 0
	if src[0] == '-' || src[0] == '+' {
		n++
	}
	n += digits(src[n:])
	if n+1 < len(src) && src[n] == '.' && isDigit(src[n+1]) {
		n += 1 + digits(src[n+1:])
	}
	if n+1 < len(src) && (src[n] == 'e' || src[n] == 'E') {
		m := n + 1
		if src[m] == '-' || src[m] == '+' {
			m++
		}
		if d := digits(src[m:]); d > 0 {
			n = m + d
		}
	}
	return n
}

// stringEnd returns the length of the string literal at the start of src
// (which begins with '"'), or 0 when it is not terminated on its line. It
// follows the String rule: `"(\\.|[^"\\\n])*"`.
func stringEnd(src string) int {
	for i := 1; i < len(src); i++ {
		switch src[i] {
		case '"':
			return i + 1
		case '\n':
			return 0
		case '\\':
			if i+1 >= len(src) || src[i+1] == '\n' {
				return 0
			}
			i++
		}
	}
	return 0
}
