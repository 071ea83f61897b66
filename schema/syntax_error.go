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

// syntaxError rewords err, returned by participle for the tokens that
// start returns, and says where the parse may resume: a lexer that goes on
// inside the same model, or nil.
func syntaxError(s *scanner, start tokenLexer, err error) (parseError, *tokenLexer) {
	c := start.c
	var perr participle.Error
	if !errors.As(err, &perr) {
		return parseError{d: s.syntaxErr(c.start, c.start, "internal error: cannot parse this model"), from: c.start, at: c.start}, nil
	}
	off := perr.Position().Offset
	var unexpected *participle.UnexpectedTokenError
	if !errors.As(err, &unexpected) && len(c.toks) > participle.MaxIterations {
		return parseError{d: s.syntaxErr(off, off, "too many elements in one list (the limit is %d)", participle.MaxIterations), from: c.start, at: off}, nil
	}
	// Replay the tokens participle saw, up to the one it stopped at, with
	// the index of each in c.toks (-1 for the prefix and EOF).
	var (
		toks []lexer.Token
		raw  []int
	)
	for lx := start; ; {
		t, _ := lx.Next()
		toks, raw = append(toks, t), append(raw, lx.last)
		if t.EOF() || t.Pos.Offset >= off {
			break
		}
	}
	i := len(toks) - 1
	t := toks[i]
	e := expectation(toks, i)
	if t.EOF() && e.inBody {
		e.want = fmt.Sprintf("%q to close model %q", ">", e.name)
	}
	pos, end := t.Pos.Offset, t.Pos.Offset+len(t.Value)
	if t.Type == tokNewline && raw[i] > 0 {
		// A missing token at the end of a line is reported where the
		// line's last token ends, before any comment.
		pos = c.toks[raw[i]-1].End()
		end = pos
	}
	pe := parseError{
		d:    s.syntaxErr(pos, end, "expected %s, found %s", e.want, describe(t, c.last)),
		from: t.Pos.Offset,
		at:   t.Pos.Offset,
	}
	if isCall(toks, i, e) {
		pe.d.Hint = callHint(toks[i-1].Value)
	}
	switch {
	case e.header:
		pe.from = c.start
	case e.member > 0 && raw[e.member] > 0:
		// From the end of the token before the member: a character
		// dropped just before it may have been its name.
		pe.from = c.toks[raw[e.member]-1].End()
	}
	if raw[i] < 0 || e.name == "" {
		return pe, nil // end of input, or no model to go on with
	}
	memberStart := raw[i]
	if e.member >= 0 && raw[e.member] >= 0 {
		memberStart = raw[e.member]
	}
	next := resume(s, c, e, raw[i], memberStart)
	if next < 0 {
		return pe, nil
	}
	return pe, resumeAt(s, c, e.name, next)
}

// resume returns the index in c.toks at which the parse of the model goes
// on after a syntax error at c.toks[at], or -1. The tokens from there are
// read as if they followed `model Name <`, so the index is that of a
// separator or of ">", or follows "<":
//
//   - in the header, after the next "<";
//   - at a ">" that the parser did not expect, there: it closes the model;
//   - at a line whose first token is the error and which starts like a
//     member (a name followed by a name or "("), just before it: an
//     argument list left open on the line above ends there;
//   - otherwise at the first separator after the error outside the
//     parentheses of the broken member, or at the ">" that comes first.
func resume(s *scanner, c chunk, e expectState, at, memberStart int) int {
	toks := c.toks
	punct := func(j int, v string) bool { return j < len(toks) && s.is(toks[j], tokPunct, v) }
	if e.header {
		for j := at; j < len(toks); j++ {
			switch {
			case punct(j, "<"):
				return j + 1
			case punct(j, ">"):
				return -1
			}
		}
		return -1
	}
	if !e.inModel {
		return -1
	}
	if punct(at, ">") {
		return at
	}
	if at > memberStart && toks[at-1].Type() == tokNewline && toks[at].Type() == tokIdent &&
		at+1 < len(toks) && (toks[at+1].Type() == tokIdent || punct(at+1, "(")) {
		return at - 1
	}
	depth := 0
	for j := memberStart; j < len(toks); j++ {
		if j >= at && (depth <= 0 && s.isSep(toks[j]) || punct(j, ">")) {
			return j
		}
		switch {
		case punct(j, "("):
			depth++
		case punct(j, ")"):
			depth--
		}
	}
	return -1
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

// expectState is what expectation says about the token the parser
// stopped at.
type expectState struct {
	want    string // what may come there, for "expected ..."
	name    string // the model's name, if read
	inBody  bool   // in a model body outside parentheses: end of input means a missing ">"
	inModel bool   // after the model's "<" and before its ">"
	header  bool   // after the model's name and before its "<"
	// member is the index in toks of the first token of the member the
	// token is in, or -1 between members and outside models.
	member int
}

// expectation runs a small state machine over toks[:i], which participle
// accepted, and says what may come at toks[i].
func expectation(toks []lexer.Token, i int) expectState {
	st, ret := stTop, stTop // ret: where ")" returns to
	e := expectState{member: -1}
	for k, t := range toks[:i] {
		punct := func(v string) bool { return isPunct(t, v) }
		value := t.Type == tokString || t.Type == tokNumber
		switch st {
		case stTop:
			if t.Type == tokIdent && t.Value == "model" {
				st, e.name = stKeyword, ""
			}
		case stKeyword:
			st, e.name = stName, t.Value
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
				st, e.member = stMember, k
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
				st, e.member = stTop, -1
			case isSep(t):
				st, e.member = stBody, -1
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
		e.want = `"model"`
	case stKeyword:
		e.want = "model name"
	case stName:
		e.want = `table name or "<"`
	case stTable:
		e.want = `"<"`
	case stBody:
		e.want = `field or ">"`
	case stMember:
		e.want = "field type"
	case stType:
		e.want = `attribute, ";" or newline`
	case stDirective:
		e.want = `";" or newline`
	case stArgs:
		e.want = `argument or ")"`
	case stArgIdent, stArgValue:
		e.want = `"," or ")"`
	case stArgName:
		e.want = "argument value"
	}
	e.inBody = st >= stBody && st <= stDirective
	e.inModel = st >= stBody
	e.header = st == stName || st == stTable
	return e
}
