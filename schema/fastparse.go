package schema

// The fast path. Participle parses a model by reflection, with a branch
// context allocated for every optional or repeated element, which costs
// about 500 bytes and 4 allocations a token: 5 GB for a 10 MB schema.
// Most chunks are valid, so parseChunk first tries fastParse, a
// hand-written recursive-descent parser for the same grammar that builds
// the AST directly, and only when it fails does the chunk go through
// participle, which stays the definition of the grammar (Grammar, the
// spec's EBNF) and the source of every syntax error and of recovery.
//
// fastParse must accept exactly the chunks participle accepts and build
// the same AST for them; FuzzParse compares the two on every input
// (parseSlow). Where in doubt it fails, which only costs time.

import (
	"github.com/alecthomas/participle/v2"
	"github.com/alecthomas/participle/v2/lexer"
)

// fastParser reads the tokens of one chunk through a tokenLexer, with
// one token of lookahead.
type fastParser struct {
	lx   *tokenLexer
	cp   *converter
	tok  lexer.Token // the current token
	peek lexer.Token // the token after it
}

func (p *fastParser) next() {
	p.tok = p.peek
	p.peek, _ = p.lx.Next()
}

// accept consumes the current token when it is the punctuation v.
func (p *fastParser) accept(v string) bool {
	if isPunct(p.tok, v) {
		p.next()
		return true
	}
	return false
}

// fastParse parses chunk c as participle would, without participle. It
// reports false when the chunk does not parse, or might not.
func fastParse(s *scanner, c chunk) (models []*Model, errs List, ok bool) {
	p := &fastParser{lx: &tokenLexer{s: s, c: c}, cp: &converter{s: s}}
	p.next()
	p.next()
	for isSep(p.tok) {
		p.next()
	}
	for !p.tok.EOF() {
		m := p.model()
		if m == nil {
			return nil, nil, false
		}
		models = append(models, m)
		for isSep(p.tok) {
			p.next()
		}
	}
	return models, p.cp.errs, true
}

// model parses `model Name "table" < members >`.
func (p *fastParser) model() *Model {
	s := p.cp.s
	if p.tok.Type != tokIdent || p.tok.Value != "model" || p.peek.Type != tokIdent {
		return nil
	}
	m := &Model{Pos: s.pos(p.tok.Pos)}
	p.next()
	m.Name = p.cp.ident(p.tok)
	p.next()
	if p.tok.Type == tokString {
		m.Table = p.cp.value(p.tok.Pos, p.tok.Value, StringValue)
		p.next()
	}
	if !p.accept("<") {
		return nil
	}
	for isSep(p.tok) {
		p.next()
	}
	for n := 0; !isPunct(p.tok, ">"); n++ {
		if n > 0 {
			// Members are separated by one or more separators (a run
			// is one token), and separators may end the list.
			if !isSep(p.tok) {
				return nil
			}
			for isSep(p.tok) {
				p.next()
			}
			if isPunct(p.tok, ">") {
				break
			}
		}
		if n >= participle.MaxIterations {
			return nil
		}
		mem := p.member()
		if mem == nil {
			return nil
		}
		m.Members = append(m.Members, mem)
	}
	m.EndPos = s.endOf(p.tok)
	p.next()
	return m
}

// member parses a directive (a name followed by "(") or a field.
func (p *fastParser) member() Member {
	s := p.cp.s
	if p.tok.Type != tokIdent {
		return nil
	}
	if isPunct(p.peek, "(") {
		d := &Directive{Pos: s.pos(p.tok.Pos), Name: p.cp.ident(p.tok)}
		p.next()
		end, args, ok := p.args()
		if !ok {
			return nil
		}
		d.EndPos, d.Args = end, args
		return d
	}
	f := &Field{Pos: s.pos(p.tok.Pos), Name: p.cp.ident(p.tok)}
	p.next()
	if p.tok.Type != tokIdent {
		return nil
	}
	f.Type = &TypeRef{Pos: s.pos(p.tok.Pos), Name: p.cp.ident(p.tok)}
	p.next()
	if !p.optionalArgs(&f.Type.EndPos, &f.Type.Args, &f.Type.Parens, f.Type.Name.EndPos) {
		return nil
	}
	f.EndPos = f.Type.EndPos
	for n := 0; p.tok.Type == tokIdent; n++ {
		if n >= participle.MaxIterations {
			return nil
		}
		a := &Attr{Pos: s.pos(p.tok.Pos), Name: p.cp.ident(p.tok)}
		p.next()
		if !p.optionalArgs(&a.EndPos, &a.Args, &a.Parens, a.Name.EndPos) {
			return nil
		}
		f.Attrs = append(f.Attrs, a)
		f.EndPos = a.EndPos
	}
	return f
}

// optionalArgs parses an argument list if one comes next; without one
// the end is nameEnd.
func (p *fastParser) optionalArgs(end *Pos, args *[]*Arg, parens *bool, nameEnd Pos) bool {
	if !isPunct(p.tok, "(") {
		*end = nameEnd
		return true
	}
	e, a, ok := p.args()
	*end, *args, *parens = e, a, true
	return ok
}

// args parses `( arg, arg, )`, a trailing comma allowed, and returns the
// end of the ")".
func (p *fastParser) args() (Pos, []*Arg, bool) {
	if !p.accept("(") {
		return Pos{}, nil, false
	}
	var out []*Arg
	if !isPunct(p.tok, ")") {
		for n := 0; ; n++ {
			if n >= participle.MaxIterations {
				return Pos{}, nil, false
			}
			a := p.arg()
			if a == nil {
				return Pos{}, nil, false
			}
			out = append(out, a)
			if !isPunct(p.tok, ",") {
				break
			}
			p.next()
			if isPunct(p.tok, ")") {
				break // a trailing comma
			}
		}
	}
	if !isPunct(p.tok, ")") {
		return Pos{}, nil, false
	}
	end := p.cp.s.endOf(p.tok)
	p.next()
	return end, out, true
}

// arg parses a value, or a name, ":" and a value.
func (p *fastParser) arg() *Arg {
	a := &Arg{Pos: p.cp.s.pos(p.tok.Pos)}
	if p.tok.Type == tokIdent && isPunct(p.peek, ":") {
		a.Name = p.cp.ident(p.tok)
		p.next()
		p.next()
	}
	var kind ValueKind
	switch p.tok.Type {
	case tokString:
		kind = StringValue
	case tokNumber:
		kind = NumberValue
	case tokIdent:
		kind = IdentValue
	default:
		return nil
	}
	a.Value = p.cp.value(p.tok.Pos, p.tok.Value, kind)
	a.EndPos = a.Value.EndPos
	p.next()
	return a
}
