package pull

// Column comments that ormc's DDL wrote (ddl.ColumnComment) give back what
// the column cannot say of its field: its doc comment, its name, Email,
// URL or IPAddress, the parameters and options only the client enforces,
// a relation's related_name. The database stays the truth: a comment's
// type is taken only where the column is what that type makes.

import (
	"strings"

	"github.com/ormc/ormc/compiler/ddl"
	"github.com/ormc/ormc/compiler/ir"
	"github.com/ormc/ormc/schema"
)

// fromComment splits a column comment into its doc lines and the field
// declaration ormc wrote in it, nil when there is none or it does not
// parse.
func fromComment(text string) (doc []string, decl *schema.Field) {
	if text == "" {
		return nil, nil
	}
	lines := strings.Split(text, "\n")
	last := lines[len(lines)-1]
	src, ok := strings.CutPrefix(last, ddl.CommentPrefix)
	if !ok {
		return lines, nil
	}
	f, err := schema.Parse("comment", []byte("model M <\n"+src+"\n>\n"))
	if err != nil || len(f.Models) != 1 || len(f.Models[0].Fields()) != 1 {
		return lines[:len(lines)-1], nil
	}
	return lines[:len(lines)-1], f.Models[0].Fields()[0]
}

// commentType returns the type a comment's declaration gives a column
// read as ct, with the parameters only the client enforces added.
func commentType(decl *schema.Field, ct colType) colType {
	if decl == nil || decl.Type == nil {
		return ct
	}
	switch name := decl.Type.Name.Name; {
	case (name == "Email" || name == "URL") && ct.kind == ir.String:
		ct.kind = map[string]ir.Kind{"Email": ir.Email, "URL": ir.URL}[name]
	case name == "IPAddress" && (ct.kind == ir.String || ct.kind == ir.Text):
		return colType{kind: ir.IPAddress}
	}
	for _, a := range decl.Type.Args {
		if a.Name == nil || a.Value == nil {
			continue
		}
		switch n := a.Name.Name; {
		case n == "min_length" || n == "pattern",
			n == "max_length" && ct.kind == ir.Text:
			if ct.kind.IsString() {
				ct.args = append(ct.args, n+": "+a.Value.Raw)
			}
		}
	}
	return ct
}

// commentArg returns the value of a named argument of the declaration's
// type, as written, or "".
func commentArg(decl *schema.Field, name string) string {
	if decl == nil || decl.Type == nil {
		return ""
	}
	for _, a := range decl.Type.Args {
		if a.Name != nil && a.Name.Name == name && a.Value != nil {
			return a.Value.Raw
		}
	}
	return ""
}

// commentAttrs returns the options of the declaration that only the
// client enforces.
func commentAttrs(decl *schema.Field) []string {
	if decl == nil {
		return nil
	}
	var out []string
	for _, a := range decl.Attrs {
		switch a.Name.Name {
		case "blank", "auto_now", "auto_now_add":
			out = append(out, a.Name.Name)
		}
	}
	return out
}

// fromTableComment splits a table comment into its doc lines and the
// model name ormc wrote in it (ddl.TableComment), "" for none.
func fromTableComment(text string) (doc []string, model string) {
	if text == "" {
		return nil, ""
	}
	lines := strings.Split(text, "\n")
	name, ok := strings.CutPrefix(lines[len(lines)-1], ddl.CommentPrefix+"model ")
	if !ok {
		return lines, ""
	}
	if !isModelIdent(name) {
		name = ""
	}
	return lines[:len(lines)-1], name
}

// isModelIdent reports whether s may be a model's name: an identifier
// starting with a letter.
func isModelIdent(s string) bool {
	if s == "" || !isLetter(s[0]) {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !(c == '_' || isLetter(c) || '0' <= c && c <= '9') {
			return false
		}
	}
	return true
}
