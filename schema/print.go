package schema

// The printer behind `ormc fmt`.
//
// Canonical layout:
//
//   - Models are separated by one blank line. Own-line comments keep their
//     place; blank lines between them and what follows are kept, collapsed
//     to one, except that a model is always followed by one blank line.
//   - `model Name "table" <` is one line, each member is on its own line
//     indented by two spaces, and `>` closes the model on its own line.
//   - Within a block (consecutive member lines, not interrupted by a blank
//     line or an own-line comment) field names are padded so that the types
//     line up; directives take no part in the padding.
//   - The type and the attributes are separated by single spaces, arguments
//     by ", ", named arguments are written `name: value`, values as written
//     (Value.Raw). A trailing comma is dropped.
//   - A trailing comment stays on its line. Like gofmt's tabwriter, trailing
//     comments on consecutive lines of a block start in the same column, one
//     space after the longest of those lines; a line without one breaks the
//     run. On the header and on `>` a trailing comment follows one space.
//   - Blank lines between members are kept, collapsed to one; blank lines
//     right after `<` and right before `>` are dropped.
//   - A comment inside a member (in a parenthesised list spread over several
//     lines) moves to its own line above the member's doc comments, or just
//     above the member when it has none, since the member is printed on one
//     line. A /// comment moved this way becomes // (movedText): it was not
//     a doc comment where it was, and must not become one where it lands.
//   - Trailing spaces and tabs of comments are dropped; the output ends with
//     a newline, and an empty file stays empty.
//
// Format keeps every comment (a moved /// turns into //), in the order
// described above, and Format(Parse(Format(f))) is Format(f). It never
// changes which declaration a doc comment belongs to: the only comments it
// moves are those inside members, and none of them lands between a doc
// comment and its declaration or becomes a doc comment itself.

import (
	"strings"
)

// Format prints f in canonical layout. f should come from a successful
// Parse: the printer places comments by their positions.
func Format(f *File) []byte {
	p := &printer{comments: f.Comments}
	var prev int     // what came last at top level: 0 nothing, 1 comment, 2 model
	var prevLine int // source line where it ended
	topComments := func(before int) {
		for _, c := range p.take(before) {
			if prev == 2 || prev == 1 && c.Pos.Line-prevLine > 1 {
				p.blank()
			}
			p.line(0, commentText(c))
			prev, prevLine = 1, c.Pos.Line
		}
	}
	for i, m := range f.Models {
		topComments(m.Pos.Offset)
		if prev == 2 || prev == 1 && m.Pos.Line-prevLine > 1 {
			p.blank()
		}
		next := -1
		if i+1 < len(f.Models) {
			next = f.Models[i+1].Pos.Offset
		}
		p.model(m, next)
		prev, prevLine = 2, m.EndPos.Line
	}
	topComments(-1)
	return []byte(p.out.String())
}

// FormatSource parses src and prints it in canonical layout. It refuses
// input with syntax errors and returns them (a List).
func FormatSource(filename string, src []byte) ([]byte, error) {
	f, err := Parse(filename, src)
	if err != nil {
		return nil, err
	}
	return Format(f), nil
}

type printer struct {
	out      strings.Builder
	comments []*Comment // not yet printed, in source order
	wantGap  bool       // print a blank line before the next line
}

// take removes and returns the comments that start before offset (all of
// them when offset is negative).
func (p *printer) take(offset int) []*Comment {
	n := 0
	for n < len(p.comments) && (offset < 0 || p.comments[n].Pos.Offset < offset) {
		n++
	}
	cs := p.comments[:n]
	p.comments = p.comments[n:]
	return cs
}

// trailing removes and returns the comment that starts on line after
// offset, if the next comment is one.
func (p *printer) trailing(line, offset int) string {
	if len(p.comments) > 0 && p.comments[0].Pos.Line == line && p.comments[0].Pos.Offset >= offset {
		c := p.comments[0]
		p.comments = p.comments[1:]
		return commentText(c)
	}
	return ""
}

func (p *printer) blank() {
	if p.out.Len() > 0 {
		p.wantGap = true
	}
}

func (p *printer) line(indent int, text string) {
	if p.wantGap {
		p.out.WriteByte('\n')
		p.wantGap = false
	}
	p.out.WriteString(strings.Repeat(" ", indent))
	p.out.WriteString(text)
	p.out.WriteByte('\n')
}

func commentText(c *Comment) string { return strings.TrimRight(c.Text, " \t\r") }

// movedText is the text of a comment that moves out of a member's argument
// list to its own line. A /// comment there is not a doc comment; on a line
// of its own above the member it would become one, so it is printed with
// two slashes: "/// note" becomes "// note" and "////" becomes "//".
func movedText(c *Comment) string {
	t := commentText(c)
	if c.IsDoc() {
		t = "//" + strings.TrimLeft(t, "/")
	}
	return t
}

// memberDoc returns the doc comments of a member.
func memberDoc(mem Member) []*Comment {
	switch mem := mem.(type) {
	case *Field:
		return mem.Doc
	case *Directive:
		return mem.Doc
	}
	return nil
}

// docBlock returns doc when it is the tail of before, the comments above a
// member, as it is for a File from Parse; otherwise nil, and the doc
// comments are printed like any other comment.
func docBlock(before, doc []*Comment) []*Comment {
	if len(doc) == 0 || len(doc) > len(before) {
		return nil
	}
	tail := before[len(before)-len(doc):]
	for i := range doc {
		if tail[i] != doc[i] {
			return nil
		}
	}
	return tail
}

// row is one line of a model body before alignment.
type row struct {
	blank    bool
	comment  string // an own-line comment
	name     string // a field's name; empty for a directive
	rest     string // the field's type and attributes, or the directive
	trailing string // trailing comment
}

func (r *row) isMember() bool { return !r.blank && r.comment == "" }

// model prints m. nextModel is where the next model starts, or -1: a
// comment after it, on the line of m's ">", is not m's trailing comment.
func (p *printer) model(m *Model, nextModel int) {
	header := "model " + identName(m.Name)
	if m.Table != nil {
		header += " " + m.Table.Raw
	}
	header += " <"
	firstAfter := m.EndPos.Offset
	if len(m.Members) > 0 {
		firstAfter = m.Members[0].Start().Offset
	}
	if len(p.comments) > 0 && p.comments[0].Pos.Offset < firstAfter {
		if t := p.trailing(m.Pos.Line, m.Pos.Offset); t != "" {
			header += " " + t
		}
	}
	p.line(0, header)

	var rows []row
	lastLine := 0 // source line where the previous body item ended; 0 at the start
	gap := func(line int) {
		if lastLine > 0 && line-lastLine > 1 && !rows[len(rows)-1].blank {
			rows = append(rows, row{blank: true})
		}
	}
	for i, mem := range m.Members {
		start, end := memberSpan(mem)
		before := p.take(start.Offset)
		doc := docBlock(before, memberDoc(mem))
		for _, c := range before[:len(before)-len(doc)] {
			gap(c.Pos.Line)
			rows = append(rows, row{comment: commentText(c)})
			lastLine = c.Pos.Line
		}
		if len(doc) > 0 {
			gap(doc[0].Pos.Line)
		} else {
			gap(start.Line)
		}
		// The comments inside the member go above its doc comments, so
		// that the doc comments stay right above the member.
		for _, c := range p.take(end.Offset) {
			rows = append(rows, row{comment: movedText(c)})
		}
		for _, c := range doc {
			rows = append(rows, row{comment: commentText(c)})
		}
		r := memberRow(mem)
		next := m.EndPos.Offset
		if i+1 < len(m.Members) {
			next = m.Members[i+1].Start().Offset
		}
		if len(p.comments) > 0 && p.comments[0].Pos.Offset < next {
			r.trailing = p.trailing(end.Line, end.Offset)
		}
		rows = append(rows, r)
		lastLine = end.Line
	}
	for _, c := range p.take(m.EndPos.Offset) {
		gap(c.Pos.Line)
		rows = append(rows, row{comment: commentText(c)})
		lastLine = c.Pos.Line
	}
	for len(rows) > 0 && rows[len(rows)-1].blank {
		rows = rows[:len(rows)-1]
	}
	p.rows(rows)

	closing := ">"
	if nextModel < 0 || len(p.comments) > 0 && p.comments[0].Pos.Offset < nextModel {
		if t := p.trailing(m.EndPos.Line, m.EndPos.Offset); t != "" {
			closing += " " + t
		}
	}
	p.line(0, closing)
}

// rows prints a model body, aligning field types and trailing comments
// within each block.
func (p *printer) rows(rows []row) {
	for i := 0; i < len(rows); {
		if !rows[i].isMember() {
			if rows[i].blank {
				p.blank()
			} else {
				p.line(2, rows[i].comment)
			}
			i++
			continue
		}
		j := i
		width := 0
		for ; j < len(rows) && rows[j].isMember(); j++ {
			if rows[j].name != "" {
				width = max(width, len(rows[j].name))
			}
		}
		lines := make([]string, j-i)
		for k := i; k < j; k++ {
			r := rows[k]
			if r.name == "" {
				lines[k-i] = r.rest
			} else {
				lines[k-i] = r.name + strings.Repeat(" ", width-len(r.name)) + " " + r.rest
			}
		}
		for k := i; k < j; {
			if rows[k].trailing == "" {
				p.line(2, lines[k-i])
				k++
				continue
			}
			l := k
			col := 0
			for ; l < j && rows[l].trailing != ""; l++ {
				col = max(col, len(lines[l-i]))
			}
			for ; k < l; k++ {
				s := lines[k-i]
				p.line(2, s+strings.Repeat(" ", col-len(s)+1)+rows[k].trailing)
			}
		}
		i = j
	}
}

// memberSpan returns where a member starts and ends in the source.
func memberSpan(mem Member) (start, end Pos) {
	switch mem := mem.(type) {
	case *Field:
		return mem.Pos, mem.EndPos
	case *Directive:
		return mem.Pos, mem.EndPos
	}
	return Pos{}, Pos{}
}

func memberRow(mem Member) row {
	switch mem := mem.(type) {
	case *Field:
		var b strings.Builder
		if mem.Type != nil {
			b.WriteString(call(mem.Type.Name, mem.Type.Args, mem.Type.Parens))
		}
		for _, a := range mem.Attrs {
			b.WriteByte(' ')
			b.WriteString(call(a.Name, a.Args, a.Parens))
		}
		return row{name: identName(mem.Name), rest: b.String()}
	case *Directive:
		return row{rest: call(mem.Name, mem.Args, true)}
	}
	return row{}
}

// call prints `name` or `name(args)`.
func call(name *Ident, args []*Arg, parens bool) string {
	s := identName(name)
	if !parens && len(args) == 0 {
		return s
	}
	parts := make([]string, 0, len(args))
	for _, a := range args {
		v := ""
		if a.Value != nil {
			v = a.Value.Raw
		}
		if a.Name != nil {
			v = a.Name.Name + ": " + v
		}
		parts = append(parts, v)
	}
	return s + "(" + strings.Join(parts, ", ") + ")"
}

func identName(id *Ident) string {
	if id == nil {
		return ""
	}
	return id.Name
}
