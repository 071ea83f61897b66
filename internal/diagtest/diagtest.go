// Package diagtest reads the `// ERROR` expectations of checker tests and
// of the examples in lang/spec.md, and matches diagnostics against them,
// in the manner of go/parser's error_test.go. It is used by tests only.
//
// An expectation is a comment on the line of the diagnostic:
//
//	x Strin(10)          // ERROR "unknown type"
//	y String(10, mx: 1)  // ERROR at=mx "has no parameter"
//	z                    // ERROR col=4 "found newline"
//
// The quoted text is a regular expression, exactly as written between the
// quotes (`\"` matches a quote), that the message must match; a hint is
// matched as " (hint)" after the message. The diagnostic must start at the
// first column of the last token before the comment, or at the first token
// on the line that is exactly the text after at=, or at the column after
// col=. Several expectations may share a line: `// ERROR "a" // ERROR at=b
// "c"`; the last token before the first of them is the default position of
// each.
package diagtest

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/ormc/ormc/schema"
)

// Expectation is one `// ERROR` comment.
type Expectation struct {
	File string
	Line int // 1-based
	Col  int // 1-based, in bytes: where the diagnostic must start
	Re   *regexp.Regexp
}

func (e *Expectation) String() string {
	return fmt.Sprintf("%s:%d:%d: %q", e.File, e.Line, e.Col, e.Re)
}

// errorRE matches one expectation.
var errorRE = regexp.MustCompile(`//\s*ERROR\s+(?:(at|col)=(\S+)\s+)?"((?:[^"\\]|\\.)*)"`)

// Parse returns the expectations in src, a file named name.
func Parse(name string, src []byte) ([]*Expectation, error) {
	var out []*Expectation
	for i, line := range strings.Split(string(src), "\n") {
		ms := errorRE.FindAllStringSubmatchIndex(line, -1)
		if len(ms) == 0 {
			if strings.Contains(line, "ERROR") && strings.Contains(line, "//") {
				return nil, fmt.Errorf("%s:%d: malformed ERROR comment", name, i+1)
			}
			continue
		}
		starts := tokenStarts(line[:ms[0][0]])
		for _, m := range ms {
			re, err := regexp.Compile(line[m[6]:m[7]])
			if err != nil {
				return nil, fmt.Errorf("%s:%d: bad ERROR regexp: %v", name, i+1, err)
			}
			e := &Expectation{File: name, Line: i + 1, Re: re}
			switch kind := sub(line, m, 1); kind {
			case "":
				if len(starts) == 0 {
					return nil, fmt.Errorf("%s:%d: no token before the ERROR comment", name, i+1)
				}
				e.Col = starts[len(starts)-1] + 1
			case "col":
				n, err := strconv.Atoi(sub(line, m, 2))
				if err != nil || n < 1 {
					return nil, fmt.Errorf("%s:%d: bad col=%s", name, i+1, sub(line, m, 2))
				}
				e.Col = n
			case "at":
				want := sub(line, m, 2)
				for k, s := range starts {
					end := ms[0][0]
					if k+1 < len(starts) {
						end = starts[k+1]
					}
					if strings.TrimRight(line[s:end], " \t") == want {
						e.Col = s + 1
						break
					}
				}
				if e.Col == 0 {
					return nil, fmt.Errorf("%s:%d: no token %q before the ERROR comment", name, i+1, want)
				}
			}
			out = append(out, e)
		}
	}
	return out, nil
}

func sub(s string, m []int, i int) string {
	if m[2*i] < 0 {
		return ""
	}
	return s[m[2*i]:m[2*i+1]]
}

// tokenStarts returns the byte offsets where the tokens of line start,
// following the lexical rules of lang/spec.md closely enough for test
// expectations: strings with escapes, numbers with a sign, identifiers,
// and any other character as a token of its own.
func tokenStarts(line string) []int {
	var out []int
	isDigit := func(c byte) bool { return '0' <= c && c <= '9' }
	isWord := func(c byte) bool {
		return c == '_' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || isDigit(c) || c == '.'
	}
	for i := 0; i < len(line); {
		c := line[i]
		switch {
		case c == ' ' || c == '\t' || c == '\r':
			i++
			continue
		case c == '/' && i+1 < len(line) && line[i+1] == '/':
			return out // a comment runs to the end of the line
		}
		out = append(out, i)
		switch {
		case c == '"':
			i++
			for i < len(line) && line[i] != '"' {
				if line[i] == '\\' {
					i++
				}
				i++
			}
			i++
		case isWord(c) || (c == '-' || c == '+') && i+1 < len(line) && isDigit(line[i+1]):
			i++
			for i < len(line) && (isWord(line[i]) || (line[i] == '-' || line[i] == '+') && (line[i-1] == 'e' || line[i-1] == 'E') && isDigit(line[i-2])) {
				i++
			}
		default:
			i++
		}
	}
	return out
}

// Match compares diags with want. It returns a message for each diagnostic
// without an expectation and each expectation without a diagnostic, with
// positions moved down by lineOffset lines (for examples embedded in a
// larger document); none when they agree.
func Match(want []*Expectation, diags schema.List, lineOffset int) []string {
	var out []string
	used := make([]bool, len(want))
	for _, d := range diags {
		text := d.Msg
		if d.Hint != "" {
			text += " (" + d.Hint + ")"
		}
		found := false
		for i, w := range want {
			if !used[i] && w.File == d.Pos.File && w.Line == d.Pos.Line && w.Col == d.Pos.Col && w.Re.MatchString(text) {
				used[i], found = true, true
				break
			}
		}
		if !found {
			out = append(out, fmt.Sprintf("%s:%d:%d: unexpected diagnostic [%s]: %s", d.Pos.File, d.Pos.Line+lineOffset, d.Pos.Col, d.Code, text))
		}
	}
	for i, w := range want {
		if !used[i] {
			out = append(out, fmt.Sprintf("%s:%d:%d: missing diagnostic matching %q", w.File, w.Line+lineOffset, w.Col, w.Re))
		}
	}
	return out
}
