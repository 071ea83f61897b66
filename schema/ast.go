package schema

// The AST. Every node a diagnostic can point at has Pos (its first byte) and
// EndPos (just past its last byte). No participle type appears here: the
// grammar lives in unexported structs in grammar.go and is converted into
// these nodes by Parse.

// File is one parsed .orm file.
type File struct {
	Name   string // file name as given to Parse
	Models []*Model
	// Comments holds every comment in the file, in source order, including
	// the /// doc comments that are also attached to models and fields. The
	// printer uses it to keep comments in place.
	Comments []*Comment
	Pos      Pos
	EndPos   Pos
	// Partial is set when Parse found syntax errors: the File holds only
	// what parsed, and models or members the errors are in are marked Bad.
	Partial bool
}

// Comment is one // or /// comment, without its trailing newline.
type Comment struct {
	Pos    Pos
	EndPos Pos
	Text   string // the whole comment, including the leading slashes
}

// IsDoc reports whether c is a /// doc comment.
func (c *Comment) IsDoc() bool { return len(c.Text) >= 3 && c.Text[:3] == "///" }

// DocText returns the text of a /// comment with the slashes and one
// following space removed.
func (c *Comment) DocText() string {
	t := c.Text
	if len(t) >= 3 && t[:3] == "///" {
		t = t[3:]
	}
	if len(t) > 0 && t[0] == ' ' {
		t = t[1:]
	}
	return t
}

// Ident is a name as written in the source.
type Ident struct {
	Pos    Pos
	EndPos Pos
	Name   string
}

// ValueKind says which literal a Value is.
type ValueKind int

const (
	StringValue ValueKind = iota + 1 // "text", Text holds the unquoted string
	NumberValue                      // 1, -2, 3.5, 1e3; Text as written
	IdentValue                       // true, false, null, now, cascade, Album; Text as written
)

// Value is a literal or a bare word used as an argument.
type Value struct {
	Pos    Pos
	EndPos Pos
	Kind   ValueKind
	Text   string // unquoted and unescaped for StringValue, as written otherwise
	Raw    string // exactly as written in the source, quotes included
}

// Arg is one argument in parentheses: positional (`100`, `Album`) or named
// (`on_delete: cascade`).
type Arg struct {
	Pos    Pos
	EndPos Pos
	Name   *Ident // nil for a positional argument
	Value  *Value
}

// Model is `model Name "table" < members >`.
type Model struct {
	Pos    Pos        // the "model" keyword
	EndPos Pos        // just past ">"
	Doc    []*Comment // /// comments on the lines directly above, in order
	Name   *Ident
	Table  *Value // optional table name (a StringValue), nil when absent
	// Members holds the fields and model-level directives in source order.
	Members []Member
	// Bad is set when the model has a syntax error: members may be missing
	// (those that did not parse are left out), so checks that need every
	// member, such as "has no primary key", do not apply to it.
	Bad bool
}

// Fields returns the model's fields in source order.
func (m *Model) Fields() []*Field {
	var fs []*Field
	for _, mem := range m.Members {
		if f, ok := mem.(*Field); ok {
			fs = append(fs, f)
		}
	}
	return fs
}

// Directives returns the model's model-level directives in source order.
func (m *Model) Directives() []*Directive {
	var ds []*Directive
	for _, mem := range m.Members {
		if d, ok := mem.(*Directive); ok {
			ds = append(ds, d)
		}
	}
	return ds
}

// Member is a *Field or a *Directive.
type Member interface {
	member()
	Start() Pos
	setBad()
}

// Field is `name Type(args) attr attr(args)`.
type Field struct {
	Pos    Pos
	EndPos Pos
	Doc    []*Comment
	Name   *Ident
	Type   *TypeRef
	Attrs  []*Attr
	// Bad is set when a syntax error is in the field or right after it, on
	// its line: what parsed of it is kept, but it may be incomplete, so the
	// checker only records its name.
	Bad bool
}

// TypeRef is a field type with its arguments: `String(100)`,
// `ForeignKey(Album, on_delete: cascade)`, `Integer`.
type TypeRef struct {
	Pos    Pos
	EndPos Pos
	Name   *Ident
	Args   []*Arg
	Parens bool // written with parentheses, even if empty
}

// Attr is a field attribute: `pk`, `null`, `default(false)`, `column("txt")`.
type Attr struct {
	Pos    Pos
	EndPos Pos
	Name   *Ident
	Args   []*Arg
	Parens bool
}

// Directive is a model-level declaration: `index(a, b)`, `unique(a, b)`.
type Directive struct {
	Pos    Pos
	EndPos Pos
	Doc    []*Comment
	Name   *Ident
	Args   []*Arg
	// Bad is set as for Field: the directive is not checked.
	Bad bool
}

func (*Field) member()     {}
func (*Directive) member() {}

// Start returns the position of the member's first token.
func (f *Field) Start() Pos { return f.Pos }

// Start returns the position of the member's first token.
func (d *Directive) Start() Pos { return d.Pos }

func (f *Field) setBad()     { f.Bad = true }
func (d *Directive) setBad() { d.Bad = true }
