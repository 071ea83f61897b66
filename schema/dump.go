package schema

import (
	"fmt"
	"io"
	"strings"
)

// Dump writes a compact, deterministic listing of f for golden tests and
// debugging: one node per line, indented by depth, each with its span as
// line:col-line:col. The format may change; do not parse it.
func Dump(w io.Writer, f *File) {
	d := &dumper{w: w}
	d.node(0, "file", f.Pos, f.EndPos, "%q", f.Name)
	for _, c := range f.Comments {
		d.node(1, "comment", c.Pos, c.EndPos, "%q", c.Text)
	}
	for _, m := range f.Models {
		d.node(1, "model", m.Pos, m.EndPos, badMark(m.Bad))
		d.docs(2, m.Doc)
		d.ident(2, "name", m.Name)
		if m.Table != nil {
			d.value(2, "table", m.Table)
		}
		for _, mem := range m.Members {
			switch mem := mem.(type) {
			case *Field:
				d.node(2, "field", mem.Pos, mem.EndPos, badMark(mem.Bad))
				d.docs(3, mem.Doc)
				d.ident(3, "name", mem.Name)
				if t := mem.Type; t != nil {
					d.call(3, "type", t.Pos, t.EndPos, t.Name, t.Args, t.Parens)
				}
				for _, a := range mem.Attrs {
					d.call(3, "attr", a.Pos, a.EndPos, a.Name, a.Args, a.Parens)
				}
			case *Directive:
				d.node(2, "directive", mem.Pos, mem.EndPos, badMark(mem.Bad))
				d.docs(3, mem.Doc)
				d.ident(3, "name", mem.Name)
				d.args(3, mem.Args)
			}
		}
	}
}

type dumper struct{ w io.Writer }

// badMark marks the nodes that have a syntax error in them.
func badMark(bad bool) string {
	if bad {
		return "bad"
	}
	return ""
}

func (d *dumper) node(depth int, kind string, pos, end Pos, format string, args ...any) {
	fmt.Fprintf(d.w, "%s%s %s", strings.Repeat("  ", depth), kind, span(pos, end))
	if format != "" {
		fmt.Fprintf(d.w, " "+format, args...)
	}
	fmt.Fprintln(d.w)
}

func (d *dumper) docs(depth int, docs []*Comment) {
	for _, c := range docs {
		d.node(depth, "doc", c.Pos, c.EndPos, "%q", c.Text)
	}
}

func (d *dumper) ident(depth int, kind string, id *Ident) {
	if id != nil {
		d.node(depth, kind, id.Pos, id.EndPos, "%s", id.Name)
	}
}

func (d *dumper) call(depth int, kind string, pos, end Pos, name *Ident, args []*Arg, parens bool) {
	n := ""
	if name != nil {
		n = name.Name
	}
	if parens {
		n += "()"
	}
	d.node(depth, kind, pos, end, "%s", n)
	d.args(depth+1, args)
}

func (d *dumper) args(depth int, args []*Arg) {
	for _, a := range args {
		d.node(depth, "arg", a.Pos, a.EndPos, "")
		d.ident(depth+1, "name", a.Name)
		if a.Value != nil {
			d.value(depth+1, "value", a.Value)
		}
	}
}

var kindNames = map[ValueKind]string{StringValue: "string", NumberValue: "number", IdentValue: "ident"}

func (d *dumper) value(depth int, kind string, v *Value) {
	if v.Kind == StringValue {
		d.node(depth, kind, v.Pos, v.EndPos, "string %s text=%q", v.Raw, v.Text)
		return
	}
	d.node(depth, kind, v.Pos, v.EndPos, "%s %s", kindNames[v.Kind], v.Raw)
}

// span prints "line:col-line:col", or "line:col" when end is not valid.
func span(pos, end Pos) string {
	if !end.IsValid() {
		return fmt.Sprintf("%d:%d", pos.Line, pos.Col)
	}
	return fmt.Sprintf("%d:%d-%d:%d", pos.Line, pos.Col, end.Line, end.Col)
}
