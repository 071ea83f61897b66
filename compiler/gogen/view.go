package gogen

import (
	"fmt"
	"path"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/ormc/ormc/compiler/ir"
	"github.com/ormc/ormc/runtime/dialect"
)

// The view model: everything the templates print, derived from the IR in
// Go code so that the templates only lay text out.

type modelView struct {
	Name       string // schema name
	GoName     string // exported Go type name
	Plural     string // the client's manager field
	Recv       string // method receiver name
	TableVar   string // unexported *runtime.Table variable
	FuncPrefix string // of the unexported functions the table calls: m0002Ptr
	Table      string // SQL table name
	Doc        []string
	PK         *fieldView
	// Key holds the fields of a composite primary key, in key order, and
	// KeyType names the struct generated for its values
	// (PlaylistTrackKey); both empty for a key of one field (PK).
	Key      []*fieldView
	KeyType  string
	Fields   []*fieldView
	FileName string
	HasNew   bool         // some field has a default the constructor applies
	Imports  []string     // the standard packages the file's code names, sorted
	NeedsNow bool         // the constructor reads the clock, for `now` defaults
	Links    []*fieldView // relation fields
	Enums    []*enumView
	// IsTarget is set when some relation refers to this model: it then
	// gets a Fields type for paths through those relations.
	IsTarget bool
	// Relations are this model's relation fields, for the Fields type's
	// methods that follow them further.
	Reverse []reverseView // relations from other models to this one
	// Constraints are the runtime.Constraint literals of the table's
	// named constraints; Referrers the table variables of the models with
	// a relation to this one, in declaration order, each once.
	Constraints []string
	Referrers   []string
}

// reverseView is one reverse-relation method on the client.
type reverseView struct {
	Method      string // AlbumTracks: the client's method and the typed relation
	Source      string // Go type of the referring model, Track
	SourceMgr   string // its manager, Tracks
	SourceTable string // its table variable, trackTable
	FieldVar    string // TrackAlbum
	FKConst     string // the foreign key's column constant, colTrackAlbum
	Lookup      string // its name in seed-style lookups, "tracks"
	Edge        string // its field in the target's Edges, Tracks
	Doc         string
	// For a many-to-many relation: Through is the join model's table
	// variable (SourceTable is then the linked model's), FKConst its
	// column that refers to this model and ViaConst the one that refers
	// to Source, ViaLookup the latter's field name, and Unfillable the
	// first field of the join model that linking rows cannot fill in
	// (see runtime.NewManyThrough); Through is "" for a foreign key.
	Through, ViaConst, ViaLookup, Unfillable string
}

type fieldView struct {
	Index     int
	Name      string // schema name
	GoName    string
	GoType    string // type of the struct field
	KeyType   string // the value type predicates take
	Column    string
	Kind      string // runtime kind constant, e.g. "runtime.String"
	Owner     string // Go name of the model the field belongs to
	FieldType string // the typed field's type, %M for the model it is reached from
	FieldCtor string // expression building the typed field, likewise
	VarName   string // package-level typed field variable
	// Const names the column's index in its table's Columns, so that the
	// code which addresses a column by index says which one it is.
	Const string
	// For a relation, the typed field of its own key column: its name
	// within the target's Fields (KeyGoName), its package-level variable,
	// type and constructor.
	KeyGoName, KeyVarName, KeyFieldType, KeyFieldCtor string
	Doc                                               []string
	Null                                              bool
	Target                                            string // Go type of the referenced model, for relations
	Enum                                              *enumView
	PtrExpr                                           string // expression giving a pointer to scan into
	ValueExpr                                         string // expression giving the value to bind
	Blank                                             bool
	MaxLength                                         int
	AutoInc                                           bool
	DefaultGo                                         string // Go expression for the default, or ""
	// DefaultNote is a comment printed after DefaultGo, e.g. a UUID's
	// canonical form beside its bytes; "" for none.
	DefaultNote string
	ColumnMeta  string // the runtime.Column literal

	// Values are an Enum column's values: the field's own, or those of
	// the enum key a relation refers to.
	Values []string

	// MaxDigits and DecimalPlaces are a Decimal column's precision and
	// scale (a relation's, when it refers to a Decimal key).
	MaxDigits, DecimalPlaces int
}

// kindOf returns the descriptor of an IR column type's kind.
func kindOf(t ir.Type) *dialect.KindInfo { return dialect.KindNamed(string(t.Kind)).Info() }

// goType returns the Go type of values of an IR column type.
func goType(t ir.Type) string {
	if g := kindOf(t).GoType; g != "" {
		return g
	}
	return "any"
}

func newModelView(s *ir.Schema, m *ir.Model) *modelView {
	g := goName(m.Name)
	v := &modelView{
		Name:       m.Name,
		GoName:     g,
		Plural:     plural(g),
		Recv:       "row",
		TableVar:   tableVar(g),
		FuncPrefix: strings.ToLower(g[:1]) + g[1:],
		Table:      m.Table,
		Doc:        m.Doc,
		FileName:   goFileName(m.Name),
	}
	for i, f := range m.Fields {
		ct := s.ColumnType(f)
		fv := &fieldView{
			Index:     i,
			Owner:     v.GoName,
			Name:      f.Name,
			GoName:    goName(f.Name),
			KeyType:   goType(ct),
			Column:    f.Column,
			Kind:      "runtime.Kind" + kindOf(ct).Type,
			Doc:       f.Doc,
			Null:      f.Null,
			Blank:     f.Blank,
			MaxLength: ct.MaxLength,
			AutoInc:   f.AutoIncrement,
			VarName:   g + goName(f.Name),
			// "col" and the typed field's name: unique as those names are.
			Const: "col" + g + goName(f.Name),
		}
		if ct.Kind == ir.Decimal {
			fv.MaxDigits, fv.DecimalPlaces = ct.MaxDigits, ct.DecimalPlaces
		}
		if f.Type.Kind == ir.Enum {
			fv.Enum = newEnumView(g+fv.GoName, f.Type.Values)
			fv.KeyType = fv.Enum.Type
			fv.Values = f.Type.Values
			v.Enums = append(v.Enums, fv.Enum)
		}
		fv.GoType = fv.KeyType
		if f.Null {
			fv.GoType = "runtime.Null[" + fv.KeyType + "]"
		}
		fv.PtrExpr = "&row." + fv.GoName
		fv.ValueExpr = "row." + fv.GoName
		if fv.Enum != nil && !f.Null {
			// Drivers see a plain string.
			fv.PtrExpr = "(*string)(&row." + fv.GoName + ")"
			fv.ValueExpr = "string(row." + fv.GoName + ")"
		}
		scan, bind := kindOf(ct).Scan, kindOf(ct).Bind
		if f.Null {
			scan, bind = kindOf(ct).NullScan, kindOf(ct).NullBind
		}
		if scan != "" {
			fv.PtrExpr = "(*" + scan + ")(&row." + fv.GoName + ")"
		}
		if bind != "" {
			fv.ValueExpr = bind + "(row." + fv.GoName + ")"
		}
		if f.Relation != nil {
			newRelationView(s, v, fv, f)
			v.Fields = append(v.Fields, fv)
			v.Links = append(v.Links, fv)
			continue
		}
		// The typed field's type, by the rule of runtime/fields.go.
		family := kindOf(ct).Family
		if fv.Enum != nil {
			family = dialect.EqualFamily // an enum is compared whole
		}
		// %M stands for the model the field is reached from (see Ctor).
		switch family {
		case dialect.SetOnlyFamily:
			fv.FieldType = "runtime.JSONField[%M]"
		case dialect.EqualFamily:
			fv.FieldType = "runtime.Field[%M, " + fv.KeyType + "]"
		case dialect.TextFamily:
			fv.FieldType = "runtime.StringField[%M]"
		default:
			fv.FieldType = "runtime.OrderedField[%M, " + fv.KeyType + "]"
		}
		// A literal, not a constructor: a generic function is compiled
		// once per model and type.
		// Pointers, so that a field is a Selector and its methods (with
		// pointer receivers) apply to any expression giving it.
		fv.FieldCtor = fmt.Sprintf("&%s{Ref: runtime.Col(%s, %s)}", fv.FieldType, v.TableVar, fv.Const)
		fv.FieldType = "*" + fv.FieldType
		if lit, ok := ir.LiteralDefault(f, ct); ok {
			fv.DefaultGo, fv.DefaultNote = defaultGo(lit, f.Null, fv.KeyType)
			if fv.Enum != nil {
				fv.DefaultGo = fv.Enum.constFor(f.Default.Value, f.Null)
			}
			v.HasNew = v.HasNew || fv.DefaultGo != ""
		} else if expr := generatedDefaultGo(f, ct.Kind); expr != "" {
			fv.DefaultGo = expr
			v.HasNew = true
			v.NeedsNow = v.NeedsNow || f.Default.Kind == ir.DefaultNow
		}
		fv.ColumnMeta = columnMeta(fv, f)
		v.Fields = append(v.Fields, fv)
	}
	v.PK = v.Fields[m.PrimaryKey]
	if m.Composite() {
		for _, k := range m.Key {
			v.Key = append(v.Key, v.Fields[k])
		}
		v.KeyType = v.GoName + "Key"
	}
	// The imports follow from the code: whatever Go type or expression of
	// the file names a package a kind's Go type needs, or time, its own
	// fields' or a relation's key's.
	for _, imp := range stdImports() {
		uses := imp == "time" && v.NeedsNow
		for _, fv := range v.Fields {
			for _, code := range []string{fv.GoType, fv.KeyType, fv.FieldType, fv.FieldCtor,
				fv.KeyFieldType, fv.KeyFieldCtor, fv.PtrExpr, fv.ValueExpr, fv.DefaultGo} {
				uses = uses || usesPackage(code, path.Base(imp))
			}
		}
		if uses {
			v.Imports = append(v.Imports, imp)
		}
	}
	for _, c := range s.Constraints(m) {
		v.Constraints = append(v.Constraints, constraintMeta(c))
	}
	for _, src := range s.Models {
		for _, f := range src.Fields {
			if f.Relation == nil || f.Relation.Model != m.Name {
				continue
			}
			v.IsTarget = true
			sg := goName(src.Name)
			if tv := tableVar(sg); !slices.Contains(v.Referrers, tv) {
				v.Referrers = append(v.Referrers, tv)
			}
			if src.JoinFor != "" {
				// The many-to-many relation is the reverse side of the
				// relations of the join model the checker declared.
				continue
			}
			v.Reverse = append(v.Reverse, reverseView{
				Method:      g + reverseName(src, f),
				Source:      sg,
				SourceMgr:   plural(sg),
				SourceTable: tableVar(sg),
				FieldVar:    sg + goName(f.Name),
				FKConst:     "col" + sg + goName(f.Name),
				Lookup:      reverseLookup(src, f),
				Edge:        reverseName(src, f),
				Doc:         fmt.Sprintf("the %s rows whose %s refers to row", sg, f.Name),
			})
		}
	}
	// Many-to-many relations, declared here and then those declaring
	// this model, each seen from here.
	for _, r := range m.ManyToMany {
		v.Reverse = append(v.Reverse, linkView(s, m, r, false))
	}
	for _, src := range s.Models {
		for _, r := range src.ManyToMany {
			if r.Model == m.Name {
				v.Reverse = append(v.Reverse, linkView(s, src, r, true))
			}
		}
	}
	return v
}

// linkView is the view of many-to-many relation r of model src: seen from
// src, or with back from the model it links to.
func linkView(s *ir.Schema, src *ir.Model, r *ir.ManyToMany, back bool) reverseView {
	jm := s.Model(r.Through)
	jg := goName(jm.Name)
	near, far := r.Source, r.Target
	own, other := goName(src.Name), goName(r.Model)
	name, lookup := linkName(r), r.Name
	if back {
		near, far = far, near
		own, other = other, own
		name, lookup = linkReverseName(src, r), linkReverseLookup(src, r)
	}
	rv := reverseView{
		Method:      own + name,
		Source:      other,
		SourceMgr:   plural(other),
		SourceTable: tableVar(other),
		Lookup:      lookup,
		Edge:        name,
		Doc:         fmt.Sprintf("the %s rows linked to row through %s", other, jg),
		Through:     tableVar(jg),
		FKConst:     "col" + jg + goName(near),
		ViaConst:    "col" + jg + goName(far),
		ViaLookup:   far,
	}
	for _, f := range jm.Fields {
		if f.Name == near || f.Name == far || f.Null || f.Default != nil || f.AutoNow || f.AutoNowAdd || f.AutoIncrement {
			continue
		}
		rv.Unfillable = f.Name
		break
	}
	return rv
}

// newRelationView fills in the view of relation field f: its Go type,
// scan and bind code and typed fields, all taken from the key of the model
// it refers to, as a column of that key's type would have them.
func newRelationView(s *ir.Schema, v *modelView, fv *fieldView, f *ir.Field) {
	fv.Target = goName(f.Relation.Model)
	km, kf := keyField(s, s.Model(f.Relation.Model))
	fv.KeyType = goType(s.ColumnType(kf))
	scan := kindOf(s.ColumnType(kf)).Scan
	enum := kf.Type.Kind == ir.Enum
	if enum {
		// The target's enum type, and its values for validation and for
		// the lookups an enum has (it is compared whole).
		fv.KeyType = goName(km.Name) + goName(kf.Name) + "Enum"
		fv.Values = kf.Type.Values
	}
	fv.GoType = "runtime.Ref[*" + fv.Target + ", " + fv.KeyType + "]"
	// KeyValue binds the key as a column of its type is bound: a DateTime
	// in UTC to the microsecond, an enum as a plain string; and Ref.Scan,
	// which scans a nullable key, reads a DateTime in UTC.
	fv.ValueExpr = "row." + fv.GoName + ".KeyValue()"
	fv.PtrExpr = "&row." + fv.GoName
	if !f.Null {
		ptr := "row." + fv.GoName + ".KeyPtr()"
		switch {
		case scan != "":
			ptr = "(*" + scan + ")(" + ptr + ")"
		case enum:
			ptr = "(*string)(" + ptr + ")" // drivers see a plain string
		}
		fv.PtrExpr = ptr
	}
	fv.FieldType = "*" + fv.Target + "Fields[%M]"
	fv.FieldCtor = fmt.Sprintf("new%sFields[%%M](runtime.Col(%s, %s))", fv.Target, v.TableVar, fv.Const)
	// The relation's own key, a column of this table, is a typed field of
	// its own with the lookups of the target's key: ordered, or plain for
	// an enum or a kind compared for equality only. AlbumArtistID.IsNull(true),
	// TrackAlbumID.Eq(1).
	fv.KeyGoName = fv.GoName + "ID"
	fv.KeyVarName = fv.VarName + "ID"
	typ := "OrderedField"
	if enum || kindOf(s.ColumnType(kf)).Family == dialect.EqualFamily {
		typ = "Field"
	}
	fv.KeyFieldType = "runtime." + typ + "[%M, " + fv.KeyType + "]"
	fv.KeyFieldCtor = fmt.Sprintf("&%s{Ref: runtime.Col(%s, %s)}", fv.KeyFieldType, v.TableVar, fv.Const)
	fv.KeyFieldType = "*" + fv.KeyFieldType
	fv.ColumnMeta = columnMeta(fv, f)
}

// keyField returns the field that holds model m's key values, and its
// model: m's primary key, or where a primary key that is a relation
// leads (the checker refuses a chain that comes back to m).
func keyField(s *ir.Schema, m *ir.Model) (*ir.Model, *ir.Field) {
	for m.PK().Relation != nil {
		m = s.Model(m.PK().Relation.Model)
	}
	return m, m.PK()
}

// KeyExpr returns the expression of the key value the field holds in row:
// the field itself, or a relation's key.
func (f *fieldView) KeyExpr() string {
	if f.Target != "" {
		return "row." + f.GoName + ".PK()"
	}
	return "row." + f.GoName
}

// KeyVar returns the typed field that compares the field's key value:
// the field's own, or a relation's key field (TrackAlbumID).
func (f *fieldView) KeyVar() string {
	if f.KeyVarName != "" {
		return f.KeyVarName
	}
	return f.VarName
}

// KeyExample is an example of how RowString writes the key, for the
// String method's doc comment: "id=1", or "playlist=1, track=2".
func (v *modelView) KeyExample() string {
	if len(v.Key) == 0 {
		return "id=1"
	}
	parts := make([]string, len(v.Key))
	for i, f := range v.Key {
		parts[i] = fmt.Sprintf("%s=%d", f.Name, i+1)
	}
	return strings.Join(parts, ", ")
}

// KeyIndexes returns the Go expression of Table.Key: the column constants
// of a composite key, in key order.
func (v *modelView) KeyIndexes() string {
	consts := make([]string, len(v.Key))
	for i, f := range v.Key {
		consts[i] = f.Const
	}
	return "[]int{" + strings.Join(consts, ", ") + "}"
}

// stdImports returns the packages the Go types of kinds need, and time,
// which defaults name, sorted.
func stdImports() []string {
	out := []string{"time"}
	for _, k := range dialect.ColumnKinds() {
		if imp := k.Info().GoImport; imp != "" && !slices.Contains(out, imp) {
			out = append(out, imp)
		}
	}
	slices.Sort(out)
	return out
}

// usesPackage reports whether Go code refers to package pkg: pkg followed
// by a dot, not as the end of a longer name (runtime.X is not time.X).
func usesPackage(code, pkg string) bool {
	for i := 0; ; {
		j := strings.Index(code[i:], pkg+".")
		if j < 0 {
			return false
		}
		j += i
		if j == 0 || !isIdentByte(code[j-1]) {
			return true
		}
		i = j + len(pkg) + 1
	}
}

func isIdentByte(c byte) bool {
	return c == '_' || '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c >= 0x80
}

// tableVar is the name of the *runtime.Table variable of the model with Go
// name g.
func tableVar(g string) string { return strings.ToLower(g[:1]) + g[1:] + "Table" }

// constraintKind maps the IR's constraint kinds to the runtime's.
var constraintKind = map[ir.ConstraintKind]string{
	ir.PrimaryKeyConstraint: "runtime.UniqueViolation",
	ir.UniqueConstraint:     "runtime.UniqueViolation",
	ir.ForeignKeyConstraint: "runtime.ForeignKeyViolation",
	ir.CheckConstraint:      "runtime.CheckViolation",
}

// constraintMeta returns the runtime.Constraint literal of c.
func constraintMeta(c ir.Constraint) string {
	var b strings.Builder
	fmt.Fprintf(&b, "{Name: %q, Kind: %s, Columns: %#v", c.Name, constraintKind[c.Kind], c.Columns)
	if c.OnDelete != "" {
		fmt.Fprintf(&b, ", OnDelete: %q", string(c.OnDelete))
	}
	b.WriteString("}")
	return b.String()
}

// Ctor returns the expression building the field's package-level typed
// field, on its own model; KeyCtor that of a relation's key.
func (f *fieldView) Ctor() string    { return strings.ReplaceAll(f.FieldCtor, "%M", "*"+f.Owner) }
func (f *fieldView) KeyCtor() string { return strings.ReplaceAll(f.KeyFieldCtor, "%M", "*"+f.Owner) }

// TypeR returns the type of the typed field reached from model R through
// a relation (in the model's Fields[R]); KeyTypeR that of a relation's key.
func (f *fieldView) TypeR() string    { return strings.ReplaceAll(f.FieldType, "%M", "R") }
func (f *fieldView) KeyTypeR() string { return strings.ReplaceAll(f.KeyFieldType, "%M", "R") }

// PathCtor returns the constructor of a typed field reached from model R
// through a path: the root constructor with runtime.ColAt.
func (f *fieldView) PathCtor(tableVar string) string {
	ctor := f.FieldCtor
	if f.Target != "" {
		ctor = f.KeyFieldCtor
	}
	ctor = strings.ReplaceAll(ctor, "%M", "R")
	return strings.Replace(ctor, "runtime.Col("+tableVar+",", "runtime.ColAt(path, "+tableVar+",", 1)
}

// defaultGo returns the Go expression of a literal default the
// constructor sets, or "" when the field's zero value already is the
// default; and a comment to print beside it, or "". A nullable field
// always gets the value, even a zero one: runtime.Some(false) is not NULL.
func defaultGo(lit ir.Literal, null bool, goType string) (expr, note string) {
	if !null && lit.IsZero() {
		return "", ""
	}
	format := kindOf(ir.Type{Kind: lit.Kind}).GoLiteral
	switch lit.Kind {
	case ir.Date:
		t := lit.Time
		expr = fmt.Sprintf("runtime.Date{Year: %d, Month: time.%s, Day: %d}", t.Year(), t.Month(), t.Day())
	case ir.Time:
		t := lit.Time
		expr = fmt.Sprintf("runtime.TimeOfDay{Hour: %d, Minute: %d, Second: %d, Microsecond: %d}",
			t.Hour(), t.Minute(), t.Second(), t.Nanosecond()/1000)
	case ir.DateTime:
		t := lit.Time
		expr = fmt.Sprintf("time.Date(%d, time.%s, %d, %d, %d, %d, %d, time.UTC)",
			t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond())
	case ir.UUID:
		var b strings.Builder
		b.WriteString("runtime.UUID{")
		for i, x := range lit.UUID {
			if i > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "0x%02x", x)
		}
		b.WriteString("}")
		expr, note = b.String(), lit.Text
	default:
		if format == "" {
			return "", ""
		}
		expr = fmt.Sprintf(format, lit.Text)
	}
	switch {
	case !null:
	case format == "%s" || format == "%q":
		expr = "runtime.Some[" + goType + "](" + expr + ")" // an untyped constant
	default:
		expr = "runtime.Some(" + expr + ")" // typed: Some infers T
	}
	return expr, note
}

// generatedDefaultGo returns the constructor's expression for a `now` or
// `uuid` default, or "". The constructor sets them, nullable fields and
// times of day included, where the engine only fills in zero values that
// nobody could have meant (see runtime fillAuto); `now` is the
// constructor's reading of the clock, as the engine stores it.
func generatedDefaultGo(f *ir.Field, k ir.Kind) string {
	var expr string
	switch {
	case f.Default == nil:
		return ""
	case f.Default.Kind == ir.DefaultUUID:
		expr = "runtime.NewUUID()"
	case f.Default.Kind != ir.DefaultNow:
		return ""
	case k == ir.Date:
		expr = "runtime.DateOf(now)"
	case k == ir.Time:
		expr = "runtime.TimeOfDayOf(now)"
	case k == ir.DateTime:
		expr = "now"
	default:
		return ""
	}
	if f.Null {
		expr = "runtime.Some(" + expr + ")"
	}
	return expr
}

func columnMeta(f *fieldView, irf *ir.Field) string {
	var b strings.Builder
	fmt.Fprintf(&b, "{Field: %q, Name: %q, Kind: %s, Index: %s", f.Name, f.Column, f.Kind, f.Const)
	if f.Null {
		b.WriteString(", Null: true")
	}
	if f.Blank {
		b.WriteString(", Blank: true")
	}
	if f.MaxLength > 0 {
		fmt.Fprintf(&b, ", MaxLength: %d", f.MaxLength)
	}
	if f.AutoInc {
		b.WriteString(", AutoIncrement: true")
	}
	bd := irf.Bounds
	if bd.MinLength != nil {
		fmt.Fprintf(&b, ", MinLength: %d", *bd.MinLength)
	}
	if bd.MaxLength != nil && f.MaxLength == 0 {
		fmt.Fprintf(&b, ", MaxLength: %d", *bd.MaxLength)
	}
	if bd.Pattern != "" {
		fmt.Fprintf(&b, ", Pattern: runtime.MustPattern(%q)", bd.Pattern)
	}
	if bd.Minimum != "" {
		fmt.Fprintf(&b, ", Min: runtime.NewBound(%q, %v)", bd.Minimum, bd.ExclusiveMinimum)
	}
	if bd.Maximum != "" {
		fmt.Fprintf(&b, ", Max: runtime.NewBound(%q, %v)", bd.Maximum, bd.ExclusiveMaximum)
	}
	if len(f.Values) > 0 {
		fmt.Fprintf(&b, ", Values: %#v", f.Values)
	}
	if f.MaxDigits > 0 {
		fmt.Fprintf(&b, ", MaxDigits: %d, DecimalPlaces: %d", f.MaxDigits, f.DecimalPlaces)
	}
	switch irf.Type.Kind {
	case ir.Email:
		b.WriteString(`, Format: "email"`)
	case ir.URL:
		b.WriteString(`, Format: "url"`)
	}
	if irf.AutoNow {
		b.WriteString(", AutoNow: true")
	}
	if irf.AutoNowAdd {
		b.WriteString(", AutoNowAdd: true")
	}
	if d := irf.Default; d != nil && d.Kind == ir.DefaultNow {
		b.WriteString(", DefaultNow: true")
	}
	if d := irf.Default; d != nil && d.Kind == ir.DefaultUUID {
		b.WriteString(", DefaultUUID: true")
	}
	// A literal default, as the constructor sets it, for Create to apply
	// where a struct literal leaves a value that says unset (runtime
	// fillAuto); a number typed, as an untyped one would be an int in an
	// any.
	if d := irf.Default; d != nil && d.Kind == ir.DefaultLiteral && !f.Null && f.DefaultGo != "" {
		expr := f.DefaultGo
		if f.KeyType == "int64" || f.KeyType == "float64" {
			expr = f.KeyType + "(" + expr + ")"
		}
		fmt.Fprintf(&b, ", Default: %s", expr)
	}
	b.WriteString("}")
	return b.String()
}

// clientView is what the client template prints.
type clientView struct {
	Package  string
	Models   []*modelView
	Drivers  []driverView
	DDL      []dialectDDL
	Snapshot string
}

type driverView struct {
	Import string
	Name   string // package name
}

type dialectDDL struct {
	Dialect     string
	Create      []string
	Drop        []string
	DropBefore  []string
	DropAfter   []string
	Description string
}

// enumView is the Go string type generated for an Enum field.
type enumView struct {
	Type   string // AccountPlanEnum
	Consts []enumConst
}

type enumConst struct {
	Name  string // AccountPlanFree
	Value string
}

func newEnumView(prefix string, values []string) *enumView {
	e := &enumView{Type: prefix + "Enum"}
	for _, v := range values {
		e.Consts = append(e.Consts, enumConst{Name: prefix + enumGoName(v), Value: v})
	}
	return e
}

// constFor returns the constant for a default value.
func (e *enumView) constFor(value string, null bool) string {
	for _, c := range e.Consts {
		if c.Value == value {
			if null {
				return "runtime.Some(" + c.Name + ")"
			}
			return c.Name
		}
	}
	return ""
}

// openURLs are the URL forms each dialect's driver opens, for the doc
// comment of the client's Open, in the order it lists them.
var openURLs = []struct{ dialect, urls string }{
	{"sqlite", "sqlite:///relative.db, sqlite:////absolute/path.db, sqlite://:memory:"},
	{"postgres", "postgresql://… or postgres://…"},
	{"mysql", "mysql://…"},
}

// OpenDoc returns the lines of Open's doc comment, which lists the URLs of
// the linked drivers only: a client built for postgres opens no sqlite://.
func (c clientView) OpenDoc() []string {
	var urls []string
	for _, u := range openURLs {
		for _, d := range c.Drivers {
			if d.Name == u.dialect {
				urls = append(urls, u.urls)
			}
		}
	}
	return wrap("Open opens the database at url: "+strings.Join(urls, ", ")+".", 72)
}

// wrap splits text into lines of at most width characters, breaking at
// spaces; a longer word gets a line of its own.
func wrap(text string, width int) []string {
	var lines []string
	line := ""
	for _, w := range strings.Fields(text) {
		switch {
		case line == "":
			line = w
		case utf8.RuneCountInString(line)+1+utf8.RuneCountInString(w) <= width:
			line += " " + w
		default:
			lines = append(lines, line)
			line = w
		}
	}
	return append(lines, line)
}
