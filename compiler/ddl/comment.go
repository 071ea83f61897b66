package ddl

import (
	"slices"
	"strconv"
	"strings"

	"github.com/ormc/ormc/compiler/ir"
	"github.com/ormc/ormc/runtime/dialect"
)

// Column comments keep what a column's type and constraints cannot say
// of its field, on the databases that have comments (PostgreSQL, MySQL),
// so that ormc pull reads the field back whole: its doc comment, then a
// line "ormc: " followed by the field's declaration, with its name, its
// type where the column type is another's (Email, URL, IPAddress), the
// parameters and options only the client enforces (min_length, a Text's
// max_length, pattern, blank, auto_now, auto_now_add) and a relation's
// related_name:
//
//	ormc: email Email(254, min_length: 3) blank
//
// A field that loses nothing gets no comment.

// CommentPrefix starts the line of a column comment that holds the
// field's declaration.
const CommentPrefix = "ormc: "

// maxComment is the longest column comment MySQL keeps, in characters;
// a longer one is not written, rather than cut.
const maxComment = 1024

// ColumnComment returns the comment of f's column, or "".
func ColumnComment(s *ir.Schema, f *ir.Field) string {
	var args, attrs []string
	lost := false
	typ := ""
	switch f.Type.Kind {
	case ir.Email, ir.URL, ir.IPAddress:
		lost = true
		typ = f.Type.Kind.TypeName()
		if f.Type.MaxLength > 0 {
			args = append(args, strconv.Itoa(f.Type.MaxLength))
		}
	case ir.String:
		typ = f.Type.Kind.TypeName()
		args = append(args, strconv.Itoa(f.Type.MaxLength))
	case ir.Text:
		typ = f.Type.Kind.TypeName()
	default:
		// Written for the name's sake: pull reads the type from the column.
		typ = f.Type.Kind.TypeName()
	case ir.ForeignKey, ir.OneToOne:
		typ = f.Type.Kind.TypeName()
		args = append(args, f.Relation.Model)
		if f.Relation.RelatedName != "" {
			args = append(args, "related_name: "+f.Relation.RelatedName)
		}
		// Where a model has several relations to one model, pull names
		// their reverse sides unless a comment says what they are.
		lost = lost || f.Relation.RelatedName != "" || severalTo(s, f)
	}
	b := f.Bounds
	if b.MinLength != nil {
		args = append(args, "min_length: "+strconv.Itoa(*b.MinLength))
	}
	if b.MaxLength != nil && f.Type.Kind == ir.Text {
		args = append(args, "max_length: "+strconv.Itoa(*b.MaxLength))
	}
	if b.Pattern != "" {
		args = append(args, "pattern: "+strconv.Quote(b.Pattern))
	}
	lost = lost || b.MinLength != nil || b.MaxLength != nil && f.Type.Kind == ir.Text || b.Pattern != ""
	for _, o := range []struct {
		on   bool
		name string
	}{{f.Blank, "blank"}, {f.AutoNow, "auto_now"}, {f.AutoNowAdd, "auto_now_add"}} {
		if o.on {
			lost = true
			attrs = append(attrs, o.name)
		}
	}
	var lines []string
	lines = append(lines, f.Doc...)
	if lost || len(f.Doc) > 0 {
		if typ == "" {
			typ = "Text" // a kind this file does not know yet: any type parses
		}
		decl := f.Name + " " + typ
		if len(args) > 0 {
			decl += "(" + strings.Join(args, ", ") + ")"
		}
		for _, a := range attrs {
			decl += " " + a
		}
		lines = append(lines, CommentPrefix+decl)
	}
	text := strings.Join(lines, "\n")
	if len([]rune(text)) > maxComment {
		return ""
	}
	return text
}

// columnComments returns the statements that give m's table and columns
// their comments, where the dialect writes them apart from CREATE TABLE.
func columnComments(s *ir.Schema, d dialect.Dialect, m *ir.Model) []string {
	var stmts []string
	if c := TableComment(m); c != "" {
		if stmt := rulesOf(d).commentStatement(m.Table, "", c); stmt != "" {
			stmts = append(stmts, stmt)
		}
	}
	for _, f := range m.Fields {
		if c := ColumnComment(s, f); c != "" {
			if stmt := rulesOf(d).commentStatement(m.Table, f.Column, c); stmt != "" {
				stmts = append(stmts, stmt)
			}
		}
	}
	return stmts
}

// tableComment returns what follows m's CREATE TABLE to give the table
// its comment, where the dialect writes it there.
func tableComment(d dialect.Dialect, m *ir.Model) string {
	if c := TableComment(m); c != "" {
		return rulesOf(d).inlineComment(c)
	}
	return ""
}

// inlineComment returns what follows f's column definition to give it
// its comment, where the dialect writes it there.
func inlineComment(s *ir.Schema, d dialect.Dialect, f *ir.Field) string {
	if c := ColumnComment(s, f); c != "" {
		return rulesOf(d).inlineComment(c)
	}
	return ""
}

// severalTo reports whether the model of relation field f has another
// relation to the same model.
func severalTo(s *ir.Schema, f *ir.Field) bool {
	for _, m := range s.Models {
		if !slices.Contains(m.Fields, f) {
			continue
		}
		for _, g := range m.Fields {
			if g != f && g.Relation != nil && g.Relation.Model == f.Relation.Model {
				return true
			}
		}
	}
	return false
}

// TableComment returns the comment of m's table, or "": its doc
// comment, then "ormc: model " and its name where the name ormc pull
// would give the table (ir.ModelName) is another.
func TableComment(m *ir.Model) string {
	lines := append([]string(nil), m.Doc...)
	if len(lines) > 0 || ir.ModelName(m.Table) != m.Name {
		lines = append(lines, CommentPrefix+"model "+m.Name)
	}
	text := strings.Join(lines, "\n")
	if len([]rune(text)) > maxComment {
		return ""
	}
	return text
}
