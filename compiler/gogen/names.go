package gogen

// The Go names of the generated package, and the check that no two of
// them clash. The checker runs CheckNames with its own checks (see
// compiler.CheckWith), so that ormc check reports a clash at the schema
// name it comes from, with every other error.

import (
	"strings"

	"github.com/ormc/ormc/compiler/ir"
)

// initialisms are written in upper case in Go names, as golint expects.
var initialisms = map[string]bool{
	"id": true, "url": true, "uri": true, "uuid": true, "json": true, "http": true, "https": true,
	"api": true, "sql": true, "html": true, "ip": true, "tcp": true, "udp": true, "xml": true,
	"ascii": true, "cpu": true, "css": true, "dns": true, "eof": true, "guid": true, "tls": true,
	"ttl": true, "ui": true, "uid": true, "utf8": true, "vm": true,
}

// goName returns the exported Go identifier for a schema name:
// "completed" → "Completed", "album_id" → "AlbumID", "userName" →
// "UserName". Names that would not start with a letter get an "X" prefix.
func goName(name string) string {
	var buf [8]string
	var b strings.Builder
	b.Grow(len(name) + 1)
	for _, word := range ir.Words(buf[:0], name) {
		if initialisms[lowerASCII(word)] {
			for i := 0; i < len(word); i++ {
				b.WriteByte(upperASCII(word[i]))
			}
			continue
		}
		b.WriteByte(upperASCII(word[0]))
		b.WriteString(word[1:])
	}
	s := b.String()
	if s == "" || !(s[0] >= 'A' && s[0] <= 'Z') {
		s = "X" + s
	}
	return s
}

func upperASCII(c byte) byte {
	if 'a' <= c && c <= 'z' {
		return c - 'a' + 'A'
	}
	return c
}

// lowerASCII returns s in lower case; it allocates only when s has an
// upper-case letter.
func lowerASCII(s string) string {
	for i := 0; i < len(s); i++ {
		if 'A' <= s[i] && s[i] <= 'Z' {
			return strings.ToLower(s)
		}
	}
	return s
}

// plural returns the English plural of a Go name, used for the client's
// managers: "Note" → "Notes", "Category" → "Categories", "Box" → "Boxes".
func plural(name string) string {
	lower := strings.ToLower(name)
	switch {
	case strings.HasSuffix(lower, "s"), strings.HasSuffix(lower, "x"), strings.HasSuffix(lower, "z"),
		strings.HasSuffix(lower, "ch"), strings.HasSuffix(lower, "sh"):
		return name + "es"
	case len(lower) > 1 && strings.HasSuffix(lower, "y") && !strings.ContainsRune("aeiou", rune(lower[len(lower)-2])):
		return name[:len(name)-1] + "ies"
	}
	return name + "s"
}

// goFileName returns the name of the generated Go file that holds model's
// code: its snake_case name followed by "_model.go", "track_artist_model.go".
// The suffix keeps Go's file name rules from applying to the model's name:
// a model Spec_test or Thing_windows would otherwise give spec_test.go (a
// test file) or thing_windows.go (built on Windows only), since "model" is
// no GOOS, GOARCH or "test". A name that does not start with a letter or a
// digit gets "model" in front, as go build ignores files starting with "_".
// Two models may map to the same file name (ABC and Abc), which
// CheckNames reports.
func goFileName(model string) string {
	base := ir.SnakeName(model)
	if base == "" || base[0] == '_' {
		base = "model" + base
	}
	return base + "_model.go"
}

// enumGoName returns the Go name of an Enum value, the suffix of its
// constant: "gift card" → "GiftCard", "2x" → "X2x".
func enumGoName(value string) string {
	var b strings.Builder
	for _, r := range value {
		if r < 128 && (r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	return goName(b.String())
}

// reverseName is the Go name of the reverse side of relation field f of
// model source: its related_name when set, else the plural of the source
// model ("Tracks" for Track.album), qualified by the field when the source
// has several relations to the same model ("MessagesBySender"). The
// client's method for it is the target's Go name followed by it:
// AlbumTracks.
func reverseName(source *ir.Model, f *ir.Field) string {
	if f.Relation.RelatedName != "" {
		return goName(f.Relation.RelatedName)
	}
	name := plural(goName(source.Name))
	n := 0
	for _, g := range source.Fields {
		if g.Relation != nil && g.Relation.Model == f.Relation.Model {
			n++
		}
	}
	if n > 1 {
		name += "By" + goName(f.Name)
	}
	return name
}

// reverseLookup is the name of the reverse side of relation field f of
// model source in seed-style lookups ("tracks__title__icontains" on
// Album): its related_name when set, else reverseName in snake case
// ("tracks", "messages_by_sender").
func reverseLookup(source *ir.Model, f *ir.Field) string {
	if f.Relation.RelatedName != "" {
		return f.Relation.RelatedName
	}
	return snakeOfGo(reverseName(source, f))
}

// linkName is the Go name of many-to-many relation r of model m seen from
// m: its field's, "Tags" for Post.tags.
func linkName(r *ir.ManyToMany) string { return goName(r.Name) }

// linkReverseName is the Go name of many-to-many relation r of model
// source seen from the model it links to, as reverseName names a foreign
// key's: its related_name when set, else the plural of the source model
// ("Posts" for Post.tags, on Tag), qualified by the field when the source
// has several many-to-many relations to the same model
// ("PostsByPinned").
func linkReverseName(source *ir.Model, r *ir.ManyToMany) string {
	if r.RelatedName != "" {
		return goName(r.RelatedName)
	}
	name := plural(goName(source.Name))
	n := 0
	for _, o := range source.ManyToMany {
		if o.Model == r.Model {
			n++
		}
	}
	if n > 1 {
		name += "By" + goName(r.Name)
	}
	return name
}

// linkReverseLookup is the name of many-to-many relation r of model source
// in seed-style lookups from the model it links to: its related_name
// when set, else linkReverseName in snake case ("posts").
func linkReverseLookup(source *ir.Model, r *ir.ManyToMany) string {
	if r.RelatedName != "" {
		return r.RelatedName
	}
	return snakeOfGo(linkReverseName(source, r))
}

// snakeOfGo returns a Go name in snake case: "MessagesBySender" →
// "messages_by_sender".
func snakeOfGo(name string) string {
	var b strings.Builder
	for i, r := range name {
		if r >= 'A' && r <= 'Z' {
			if i > 0 {
				b.WriteByte('_')
			}
			r += 'a' - 'A'
		}
		b.WriteRune(r)
	}
	return b.String()
}

// reservedGoNames are the exported identifiers every generated package
// declares, besides those derived from models.
var reservedGoNames = []string{"Client", "Open", "NewClient",
	// exports.go.tmpl
	"Null", "Decimal", "Date", "TimeOfDay", "JSON", "UUID", "Pred", "Assignment", "Selector", "Relation", "TxOptions", "RetryPolicy", "Option",
	"ConstraintError", "ValidationError", "FieldError", "LookupError", "RowError", "OpError", "SchemaDriftError",
	"UniqueViolation", "ForeignKeyViolation", "NotNullViolation", "CheckViolation",
	"ErrNotFound", "ErrMultipleFound", "ErrNotLoaded", "ErrInvalidQuery", "ErrLookupValue", "ErrWrongModel", "ErrTooComplex",
	"ErrTxAborted", "ErrClosed", "ErrConnBusy", "ErrUnsupported", "ErrSchemaDrift", "ErrInvalidDecimal", "ErrKeysExhausted",
	"ErrStatementTooLarge", "ErrLockNotAvailable", "Some", "And", "Or", "Not", "ParseDecimal", "MustDecimal", "ParseUUID", "NewUUID",
	// exports.go.tmpl: row locks (Query.Lock)
	"LockMode", "ForUpdate", "ForShare", "SkipLocked", "NoWait",
	// exports.go.tmpl: aggregates and projections
	"Tuple2", "Tuple3", "ErrNullValue", "ErrOutOfRange", "Sum", "Avg", "AvgDecimal", "Min", "Max", "CountDistinct",
	"GroupBy", "GroupBy2", "Values", "Values2", "Values3", "Distinct", "Nullable",
	"CountOf", "CountDistinctOf", "SumOf", "AvgOf", "AvgDecimalOf", "MinOf", "MaxOf",
	// exports.go.tmpl: column expressions and subqueries
	"Op", "OpExact", "OpNe", "OpLt", "OpLte", "OpGt", "OpGte", "Add", "Compare", "CompareAdd", "InQuery", "InValues", "Exists"}

// goIdent is an exported package-level identifier generated for a model.
type goIdent struct {
	Name  string
	Model string // the model it is generated for
	Field string // the field it comes from, or ""
	Role  string // what it is for the model or field: "" (the model's type, the field's typed field), "its reference constructor", ...
	Value string // the enum value, for Role "its value"
}

// what describes id for messages: `model "Track" (its reference constructor)`,
// `field "kind" of model "Track" (its value "a")`. It is built only when
// asked for, since CheckNames lists every identifier of large schemas.
func (id goIdent) what() string {
	w := `model "` + id.Model + `"`
	if id.Field != "" {
		w = `field "` + id.Field + `" of ` + w
	}
	switch {
	case id.Value != "":
		w += ` (` + id.Role + ` "` + id.Value + `")`
	case id.Role != "":
		w += " (" + id.Role + ")"
	}
	return w
}

// goIdents lists the exported package-level identifiers generated for m:
// its type, its reference constructor, its constructor, the type of its
// fields reached through a relation, and per field the typed field (and
// for a relation its key's, for an Enum its type and one constant per
// value). They are what the templates declare (see newModelView).
func goIdents(m *ir.Model) []goIdent {
	g := goName(m.Name)
	ids := make([]goIdent, 0, 5+len(m.Fields))
	ids = append(ids,
		goIdent{Name: g, Model: m.Name},
		goIdent{Name: g + "Ref", Model: m.Name, Role: "its reference constructor"},
		goIdent{Name: "New" + g, Model: m.Name, Role: "its constructor"},
		goIdent{Name: g + "Fields", Model: m.Name, Role: "its fields reached through a relation"},
		goIdent{Name: g + "Edges", Model: m.Name, Role: "its rows' prefetched children"},
	)
	if m.Composite() {
		ids = append(ids, goIdent{Name: g + "Key", Model: m.Name, Role: "its composite key's type"})
	}
	for _, f := range m.Fields {
		fg := g + goName(f.Name)
		ids = append(ids, goIdent{Name: fg, Model: m.Name, Field: f.Name})
		if f.Relation != nil {
			ids = append(ids, goIdent{Name: fg + "ID", Model: m.Name, Field: f.Name, Role: "its key's typed field"})
			if m.JoinFor == "" {
				ids = append(ids, goIdent{Name: goName(f.Relation.Model) + reverseName(m, f), Model: m.Name, Field: f.Name, Role: "its reverse side"})
			}
		}
		if f.Type.Kind == ir.Enum {
			ids = append(ids, goIdent{Name: fg + "Enum", Model: m.Name, Field: f.Name, Role: "its enum type"})
			for _, v := range f.Type.Values {
				ids = append(ids, goIdent{Name: fg + enumGoName(v), Model: m.Name, Field: f.Name, Role: "its value", Value: v})
			}
		}
	}
	for _, r := range m.ManyToMany {
		ids = append(ids, goIdent{Name: g + linkName(r), Model: m.Name, Field: r.Name, Role: "its many-to-many relation"},
			goIdent{Name: goName(r.Model) + linkReverseName(m, r), Model: m.Name, Field: r.Name, Role: "its reverse side"})
	}
	return ids
}

// clientMember is a field or method of the generated Client.
type clientMember struct {
	Name  string
	What  string
	Model string // the model whose declaration it comes from
	Field string // the field it comes from, or ""
	// Hint says how to rename it; "" for the default, which names
	// related_name when Field is set.
	Hint string
}

// clientMembers lists the Client's members: the fixed methods, one
// manager per model, and one reverse-relation method per relation field.
func clientMembers(s *ir.Schema) []clientMember {
	var out []clientMember
	for _, name := range []string{"DB", "Close", "Tx", "CreateTables", "DropTables", "CheckSchema"} {
		out = append(out, clientMember{Name: name, What: "a method of the generated Client"})
	}
	for _, m := range s.Models {
		out = append(out, clientMember{Name: plural(goName(m.Name)), What: `the manager of model "` + m.Name + `"`, Model: m.Name})
	}
	for _, m := range s.Models {
		for _, f := range m.Fields {
			if f.Relation == nil || m.JoinFor != "" {
				continue
			}
			out = append(out, clientMember{
				Name:  goName(f.Relation.Model) + reverseName(m, f),
				What:  `the reverse side of field "` + f.Name + `" of model "` + m.Name + `"`,
				Model: m.Name, Field: f.Name,
			})
		}
		for _, r := range m.ManyToMany {
			out = append(out, clientMember{
				Name:  goName(m.Name) + linkName(r),
				What:  `the many-to-many relation "` + r.Name + `" of model "` + m.Name + `"`,
				Model: m.Name, Field: r.Name, Hint: "rename the relation, or the model whose manager it meets",
			}, clientMember{
				Name:  goName(r.Model) + linkReverseName(m, r),
				What:  `the reverse side of many-to-many relation "` + r.Name + `" of model "` + m.Name + `"`,
				Model: m.Name, Field: r.Name,
			})
		}
	}
	return out
}
