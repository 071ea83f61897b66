package schema

// Parse: lex (lex.go), split the tokens into one chunk per model and parse
// each chunk with participle (chunk.go), convert the grammar structs into
// the public AST and attach doc comments (here).

import (
	"fmt"
	"slices"
	"strconv"

	"github.com/alecthomas/participle/v2/lexer"
)

// Parse parses one .orm file. It always returns a non-nil *File. On syntax
// errors the error is a List, sorted by position, and the File is partial
// (File.Partial): it holds every model that parsed and, of a broken model,
// its name and the members that parsed, before and after the error, with
// the model and the member the error is in marked Bad. Every node in it is
// complete (no nil Name or Type).
//
// Each model is parsed on its own, and parsing resumes after an error
// inside a model, so each broken member reports its own error. A run of
// bad bytes is reported once, and a parse error that a bad byte before it
// in the same member explains is not reported. A "{" right after a
// model's header and the "}" that closes that model are reported and then
// read as "<" and ">" (habitAt), so the model's members still parse.
// After 100 errors Parse reports "too many errors" and stops: the File
// then holds the models before that point. A UTF-8 byte order mark at the
// start is skipped. A source larger than 1 MiB is not parsed: it gets one
// diagnostic.
func Parse(filename string, src []byte) (*File, error) {
	if len(src) > maxSource {
		d := &Diagnostic{Pos: Pos{File: filename, Line: 1, Col: 1}, Code: CodeSyntax,
			Msg:  fmt.Sprintf("file is too large: %d bytes, the limit is %d (1 MiB)", len(src), maxSource),
			Hint: "split the schema into several files"}
		return &File{Name: filename, Partial: true}, List{d}
	}
	s := newScanner(filename, src)
	s.scan()
	f := &File{Name: filename, Pos: s.posAt(0), EndPos: s.posAt(len(s.src)), Comments: s.comments}
	chunks := s.split()
	results := parseChunks(s, chunks)

	var errs List
	full := false // maxErrors reached: the rest of the file is left out
	add := func(d *Diagnostic) {
		if len(errs) == maxErrors {
			errs.Add(&Diagnostic{Pos: d.Pos, Code: CodeSyntax, Msg: "too many errors"})
			full = true
		} else if !full {
			errs.Add(d)
		}
	}
	lex := s.errs
	for i := 0; i < len(chunks) && !full; i++ {
		r := results[i]
		if r == nil {
			break // not taken: more than maxErrors errors come before it
		}
		f.Models = append(f.Models, r.models...)
		n := 0
		for n < len(lex) && lex[n].Pos.Offset < chunks[i].end {
			n++
		}
		chunkLex := lex[:n]
		lex = lex[n:]
		for _, d := range chunkLex {
			markLexError(r.models, d.Pos)
		}
		// Errors in source order: the lexical ones, and each parse error
		// that no lexical error explains (a dropped token makes the
		// parser stop at or before the next one).
		var ds List
		ds = append(ds, chunkLex...)
		for _, pe := range r.syntax {
			if !slices.ContainsFunc(chunkLex, func(d *Diagnostic) bool {
				return pe.from <= d.Pos.Offset && d.Pos.Offset <= pe.at
			}) {
				ds = append(ds, pe.d)
			}
		}
		ds = append(ds, r.errs...)
		ds.Sort()
		for _, d := range ds {
			add(d)
		}
	}
	attachDocs(s, f)
	errs.Sort()
	f.Partial = errs.HasErrors()
	return f, errs.Err()
}

// markLexError marks the model that holds a lexical error at p Bad, and
// the members on its line: the token that was dropped may have been part
// of them, so what parsed of them may mean something else.
func markLexError(models []*Model, p Pos) {
	for _, m := range models {
		if p.Offset < m.Pos.Offset || p.Offset > m.EndPos.Offset && !m.Bad {
			continue
		}
		m.Bad = true
		for _, mem := range m.Members {
			start, end := memberSpan(mem)
			if start.Line <= p.Line && p.Line <= end.Line {
				mem.setBad()
			}
		}
	}
}

// ---------------------------------------------------------------------------
// Conversion from the grammar structs to the AST.

// converter converts the grammar structs of one chunk and collects the
// errors it finds on the way (bad escapes in strings).
type converter struct {
	s    *scanner
	errs List
}

func (p *converter) model(g *model) *Model {
	if g == nil || g.Name.Value == "" {
		return nil
	}
	m := &Model{Pos: p.s.pos(g.Pos), Name: p.ident(g.Name)}
	m.EndPos = m.Name.EndPos
	if g.Table.Value != "" {
		m.Table = p.value(g.Table.Pos, g.Table.Value, StringValue)
		m.EndPos = m.Table.EndPos
	}
	for _, gm := range append([]member{g.First}, g.More...) {
		var mem Member
		switch gm := gm.(type) {
		case *field:
			if f := p.field(gm); f != nil {
				mem, m.EndPos = f, f.EndPos
			}
		case *directive:
			if d := p.directive(gm); d != nil {
				mem, m.EndPos = d, d.EndPos
			}
		}
		if mem != nil {
			m.Members = append(m.Members, mem)
		}
	}
	if len(g.Tokens) > 0 {
		m.EndPos = p.s.endOf(g.Tokens[len(g.Tokens)-1])
	} else {
		m.Bad = true // participle sets Tokens only on success
	}
	return m
}

// field converts a field; it returns nil for one that did not parse
// completely (participle sets Tokens only on success).
func (p *converter) field(g *field) *Field {
	if g == nil || g.Tokens == nil || g.Type == nil {
		return nil
	}
	f := &Field{Pos: p.s.pos(g.Pos), EndPos: p.s.endOf(g.Tokens[len(g.Tokens)-1]), Name: p.ident(g.Name)}
	f.Type = &TypeRef{Pos: p.s.pos(g.Type.Pos), Name: p.ident(g.Type.Name)}
	f.Type.EndPos, f.Type.Args, f.Type.Parens = p.args(f.Type.Name.EndPos, g.Type.Args)
	for _, ga := range g.Attrs {
		if ga == nil {
			continue
		}
		a := &Attr{Pos: p.s.pos(ga.Pos), Name: p.ident(ga.Name)}
		a.EndPos, a.Args, a.Parens = p.args(a.Name.EndPos, ga.Args)
		f.Attrs = append(f.Attrs, a)
	}
	return f
}

func (p *converter) directive(g *directive) *Directive {
	if g == nil || g.Tokens == nil {
		return nil
	}
	d := &Directive{Pos: p.s.pos(g.Pos), EndPos: p.s.endOf(g.Tokens[len(g.Tokens)-1]), Name: p.ident(g.Name)}
	_, d.Args, _ = p.args(d.Name.EndPos, g.Args)
	return d
}

// args converts an argument list; end is returned unchanged when there is
// no list.
func (p *converter) args(end Pos, g *args) (Pos, []*Arg, bool) {
	if g == nil {
		return end, nil, false
	}
	if len(g.Tokens) > 0 {
		end = p.s.endOf(g.Tokens[len(g.Tokens)-1])
	}
	var out []*Arg
	for _, ga := range g.List {
		if ga == nil || ga.Value == nil {
			continue
		}
		a := &Arg{Pos: p.s.pos(ga.Pos)}
		if ga.Name.Value != "" {
			a.Name = p.ident(ga.Name)
		}
		switch v := ga.Value; {
		case v.String != nil:
			a.Value = p.value(v.Pos, *v.String, StringValue)
		case v.Number != nil:
			a.Value = p.value(v.Pos, *v.Number, NumberValue)
		case v.Ident != nil:
			a.Value = p.value(v.Pos, *v.Ident, IdentValue)
		default:
			continue
		}
		a.EndPos = a.Value.EndPos
		out = append(out, a)
	}
	return end, out, true
}

func (p *converter) ident(t lexer.Token) *Ident {
	return &Ident{Pos: p.s.pos(t.Pos), EndPos: p.s.endOf(t), Name: t.Value}
}

// value converts a literal. A string's Text is unquoted with Go's rules
// (strconv.Unquote); a bad escape is a syntax error and leaves Text as
// written between the quotes.
func (p *converter) value(at lexer.Position, raw string, kind ValueKind) *Value {
	pos := p.s.pos(at)
	v := &Value{Pos: pos, EndPos: p.s.posAt(pos.Offset + len(raw)), Kind: kind, Text: raw, Raw: raw}
	if kind == StringValue {
		text, err := strconv.Unquote(raw)
		if err != nil {
			text = raw[1 : len(raw)-1]
			off := badEscape(raw)
			p.errs.Add(p.s.syntaxErr(pos.Offset+off, pos.Offset+off+2, "unknown escape sequence in string"))
		}
		v.Text = text
	}
	return v
}

// badEscape returns the offset in raw (a lexed string literal) of the first
// escape sequence that strconv does not accept.
func badEscape(raw string) int {
	s := raw[1 : len(raw)-1]
	for len(s) > 0 {
		_, _, tail, err := strconv.UnquoteChar(s, '"')
		if err != nil {
			break
		}
		s = tail
	}
	return len(raw) - 1 - len(s)
}

// ---------------------------------------------------------------------------
// Doc comments.

// attachDocs gives each model, field and directive the /// comments on the
// lines directly above it: own-line doc comments, one per line, with no
// blank line, code or other comment between them and the node. Only the
// first node that starts on a line gets them, and only comments after the
// end of the previous node count.
func attachDocs(s *scanner, f *File) {
	var docs []*Comment // the own-line /// comments, in source order
	for i, c := range s.comments {
		if s.ownLine[i] && c.IsDoc() {
			docs = append(docs, c)
		}
	}
	if len(docs) == 0 {
		return
	}
	next := 0 // docs[:next] are on lines before the current node
	lastLine, prevEnd := 0, -1
	doc := func(start, end Pos) []*Comment {
		for next < len(docs) && docs[next].Pos.Line < start.Line {
			next++
		}
		var out []*Comment
		if start.Line > lastLine {
			// The comments on the lines right above, one a line.
			first := next
			for first > 0 && docs[first-1].Pos.Line == start.Line-(next-first+1) && docs[first-1].Pos.Offset > prevEnd {
				first--
			}
			out = docs[first:next:next]
		}
		lastLine, prevEnd = start.Line, end.Offset
		if len(out) == 0 {
			return nil
		}
		return out
	}
	for _, m := range f.Models {
		m.Doc = doc(m.Pos, m.Name.EndPos)
		for _, mem := range m.Members {
			switch mem := mem.(type) {
			case *Field:
				mem.Doc = doc(mem.Pos, mem.EndPos)
			case *Directive:
				mem.Doc = doc(mem.Pos, mem.EndPos)
			}
		}
		prevEnd = m.EndPos.Offset
	}
}
