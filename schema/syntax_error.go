package schema

// Syntax error messages. Participle says where parsing stopped; what was
// expected there is worked out here from the tokens before that point, so
// the messages read "expected X, found Y" in our words and do not depend on
// participle's wording.

import (
	"errors"
	"fmt"

	"github.com/alecthomas/participle/v2"
	"github.com/alecthomas/participle/v2/lexer"
)

// syntaxError rewords err, returned by participle for chunk c.
func syntaxError(s *scanner, c chunk, err error) *Diagnostic {
	var perr participle.Error
	if !errors.As(err, &perr) {
		return s.syntaxErr(c.start, c.start, "internal error: cannot parse this model")
	}
	off := perr.Position().Offset
	var unexpected *participle.UnexpectedTokenError
	if !errors.As(err, &unexpected) && len(c.toks) > participle.MaxIterations {
		return s.syntaxErr(off, off, "too many elements in one list (the limit is %d)", participle.MaxIterations)
	}
	// Replay the tokens participle saw, up to the one it stopped at.
	var toks []lexer.Token
	for lx := (&tokenLexer{s: s, c: c}); ; {
		t, _ := lx.Next()
		toks = append(toks, t)
		if t.EOF() || t.Pos.Offset >= off {
			break
		}
	}
	i := len(toks) - 1
	t := toks[i]
	want, name, inBody := expectation(toks, i)
	if t.EOF() && inBody {
		want = fmt.Sprintf("%q to close model %q", ">", name)
	}
	return s.syntaxErr(t.Pos.Offset, t.Pos.Offset+len(t.Value), "expected %s, found %s", want, describe(t, c.last))
}

// describe names a token for "found ...".
func describe(t lexer.Token, last bool) string {
	switch {
	case t.EOF() && last:
		return "end of file"
	case t.EOF():
		return `"model"` // the keyword that starts the next chunk
	case t.Type == tokNewline:
		return "newline"
	case t.Type == tokString:
		return "string " + t.Value
	}
	return fmt.Sprintf("%q", t.Value)
}

// Parser states, named after what was just read.
const (
	stTop       = iota // between models
	stKeyword          // "model"
	stName             // the model name
	stTable            // the table name
	stBody             // "<" or a separator inside a model
	stMember           // a member name
	stType             // a field type or attribute name, or the ")" of its arguments
	stDirective        // the ")" of a directive
	stArgs             // "(" or ","
	stArgIdent         // an identifier argument (perhaps an argument name)
	stArgName          // "name:"
	stArgValue         // an argument value
)

// expectation runs a small state machine over toks[:i], which participle
// accepted, and says what may come at toks[i]: a description for "expected
// ...", the model name (if any), and whether toks[i] is in a model body
// outside parentheses, where end of input means a missing ">".
func expectation(toks []lexer.Token, i int) (want, name string, inBody bool) {
	st, ret := stTop, stTop // ret: where ")" returns to
	for _, t := range toks[:i] {
		punct := func(v string) bool { return isPunct(t, v) }
		value := t.Type == tokString || t.Type == tokNumber
		switch st {
		case stTop:
			if t.Type == tokIdent && t.Value == "model" {
				st = stKeyword
			}
		case stKeyword:
			st, name = stName, t.Value
		case stName:
			st = stTable
			if punct("<") {
				st = stBody
			}
		case stTable:
			st = stBody
		case stBody:
			switch {
			case punct(">"):
				st = stTop
			case t.Type == tokIdent:
				st = stMember
			}
		case stMember:
			if punct("(") {
				st, ret = stArgs, stDirective
			} else {
				st = stType
			}
		case stType, stDirective:
			switch {
			case punct("(") && st == stType:
				st, ret = stArgs, stType
			case t.Type == tokIdent && st != stDirective:
				st = stType
			case punct(">"):
				st = stTop
			case isSep(t):
				st = stBody
			}
		case stArgs, stArgIdent, stArgName, stArgValue:
			switch {
			case punct(")"):
				st = ret
			case punct(","):
				st = stArgs
			case punct(":"):
				st = stArgName
			case t.Type == tokIdent && st != stArgName:
				st = stArgIdent
			case value || t.Type == tokIdent:
				st = stArgValue
			}
		}
	}
	switch st {
	case stTop:
		want = `"model"`
	case stKeyword:
		want = "model name"
	case stName:
		want = `table name or "<"`
	case stTable:
		want = `"<"`
	case stBody:
		want = `field or ">"`
	case stMember:
		want = "field type"
	case stType:
		want = `attribute, ";" or newline`
	case stDirective:
		want = `";" or newline`
	case stArgs:
		want = `argument or ")"`
	case stArgIdent, stArgValue:
		want = `"," or ")"`
	case stArgName:
		want = "argument value"
	}
	inBody = st >= stBody && st <= stDirective
	return want, name, inBody
}
