// Package ir is the compiler's intermediate representation of a schema:
// plain data, in declaration order, with no pointers into the AST. The
// checker (package compiler) builds it; the Go generator and the DDL
// generator read it. Its JSON form is the schema snapshot written beside
// generated code, from which migrations will be planned, so it is complete
// and versioned.
package ir

import (
	"github.com/ormc/ormc/runtime/dialect"
	"github.com/ormc/ormc/schema"
)

// Version is the version of the JSON snapshot format. Bump it when the
// meaning of a field changes or a field is removed.
//
// Version 3 added Model.Key, a composite primary key; a snapshot of
// version 2 reads as one without it. Version 4 added Model.ManyToMany and
// Model.JoinFor; a snapshot of version 3 reads as one without
// many-to-many relations.
const Version = 4

// Schema is a whole checked schema: every model of every file.
type Schema struct {
	Version int      `json:"version"`
	Models  []*Model `json:"models"` // in declaration order: file order, then source order
}

// Model returns the model with the given schema name, or nil.
func (s *Schema) Model(name string) *Model {
	for _, m := range s.Models {
		if m.Name == name {
			return m
		}
	}
	return nil
}

// Model is one model and the table that stores it.
type Model struct {
	Name    string   `json:"name"`  // as declared, e.g. "Track"
	Table   string   `json:"table"` // SQL table name
	Doc     []string `json:"doc,omitempty"`
	Fields  []*Field `json:"fields"`            // in source order
	Indexes []*Index `json:"indexes,omitempty"` // model-level composite indexes and unique constraints
	// PrimaryKey is the index in Fields of the primary key field: of the
	// first of a composite key's fields.
	PrimaryKey int `json:"primary_key"`
	// Key lists the indexes in Fields of a composite primary key's fields,
	// two or more, in the order pk(…) declares them; nil for a key of one
	// field (PrimaryKey). The fields of a composite key do not have
	// Field.PrimaryKey set: that marks the one field of a single key,
	// declared in its column and possibly auto-incremented.
	Key []int `json:"key,omitempty"`
	// PrimaryKeyName is the name of the primary key constraint, as
	// PostgreSQL names it ("note_pkey"). MySQL calls every primary key
	// PRIMARY and SQLite names none; ormc reports this name on all three.
	PrimaryKeyName string `json:"primary_key_name"`
	// SequenceName is the name PostgreSQL gives the sequence of an
	// auto-increment key ("note_id_seq"); empty without one.
	SequenceName string `json:"sequence_name,omitempty"`
	// RenamedFrom is the model's previous name, from its renamed(from:)
	// hint: the migration planner renames the model of that name, keeping
	// its rows, instead of dropping it and adding this one.
	RenamedFrom string `json:"renamed_from,omitempty"`
	// ManyToMany are the model's many-to-many relations, in source
	// order. They have no column: each is stored in the rows of its join
	// model.
	ManyToMany []*ManyToMany `json:"many_to_many,omitempty"`
	// JoinFor is set on a join model the checker declared for a
	// many-to-many relation without through:, to that relation as
	// "Model.field". Its table is a model's like any other (created,
	// migrated and checked for drift), but generated code gives its
	// relations no reverse side: the many-to-many relation is that side.
	JoinFor string `json:"join_for,omitempty"`
	// Pos and End are the span of the model's name, where diagnostics
	// about the model point.
	Pos schema.Pos `json:"-"`
	End schema.Pos `json:"-"`
}

// PK returns the primary key field: the first field of a composite key.
func (m *Model) PK() *Field { return m.Fields[m.PrimaryKey] }

// Composite reports whether m's primary key has more than one field.
func (m *Model) Composite() bool { return len(m.Key) > 1 }

// KeyFields returns the fields of m's primary key, in key order: one
// field, or a composite key's fields.
func (m *Model) KeyFields() []*Field {
	if len(m.Key) == 0 {
		return []*Field{m.PK()}
	}
	out := make([]*Field, len(m.Key))
	for i, k := range m.Key {
		out[i] = m.Fields[k]
	}
	return out
}

// KeyColumns returns the columns of m's primary key, in key order.
func (m *Model) KeyColumns() []string {
	var out []string
	for _, f := range m.KeyFields() {
		out = append(out, f.Column)
	}
	return out
}

// IsKey reports whether f is one of m's primary key fields.
func (m *Model) IsKey(f *Field) bool {
	for _, k := range m.KeyFields() {
		if k == f {
			return true
		}
	}
	return false
}

// Field returns the field with the given name, or nil.
func (m *Model) Field(name string) *Field {
	for _, f := range m.Fields {
		if f.Name == name {
			return f
		}
	}
	return nil
}

// Field is one field of a model and the column that stores it.
type Field struct {
	Name   string   `json:"name"`   // as declared, e.g. "album"
	Column string   `json:"column"` // SQL column name
	Doc    []string `json:"doc,omitempty"`
	Type   Type     `json:"type"`

	PrimaryKey bool `json:"primary_key,omitempty"`
	// AutoIncrement is set on an integer primary key whose values the
	// database assigns.
	AutoIncrement bool `json:"auto_increment,omitempty"`
	Null          bool `json:"null,omitempty"`  // NULL is allowed
	Blank         bool `json:"blank,omitempty"` // the empty string is allowed
	Unique        bool `json:"unique,omitempty"`
	Index         bool `json:"index,omitempty"`

	// The names of the constraints and the index the field has on its
	// own; empty where it has none. The checker decides them, once:
	// every reader (the DDL, the client's metadata, migrations) reads
	// them from here.
	UniqueName     string `json:"unique_name,omitempty"`      // UNIQUE of a unique field that is not the key
	IndexName      string `json:"index_name,omitempty"`       // the index of an indexed field neither unique nor the key
	ForeignKeyName string `json:"foreign_key_name,omitempty"` // a relation's foreign key
	CheckName      string `json:"check_name,omitempty"`       // the CHECK of an Enum's values or a number's bounds

	Default    *Default `json:"default,omitempty"`
	AutoNow    bool     `json:"auto_now,omitempty"`     // set to now on every write
	AutoNowAdd bool     `json:"auto_now_add,omitempty"` // set to now on create

	Bounds Bounds `json:"bounds,omitzero"`

	// Relation is set for ForeignKey and OneToOne fields.
	Relation *Relation `json:"relation,omitempty"`

	// RenamedFrom is the field's previous name, from its renamed(from:)
	// hint: the migration planner renames that field's column, keeping
	// its data, instead of dropping it and adding this one.
	RenamedFrom string `json:"renamed_from,omitempty"`

	// RenamedValues are an Enum's renamed_value(from:, to:) hints, in
	// source order: the planner updates rows holding From to To.
	RenamedValues []ValueRename `json:"renamed_values,omitempty"`

	// Pos and End are the span of the field's name, where diagnostics
	// about the field point.
	Pos schema.Pos `json:"-"`
	End schema.Pos `json:"-"`
}

// Kind is a field type's name in the IR.
type Kind string

const (
	String     Kind = "string"
	Text       Kind = "text"
	Boolean    Kind = "boolean"
	Integer    Kind = "integer"
	BigInteger Kind = "biginteger"
	Float      Kind = "float"
	Decimal    Kind = "decimal"
	Date       Kind = "date"
	Time       Kind = "time"
	DateTime   Kind = "datetime"
	JSON       Kind = "json"
	UUID       Kind = "uuid"
	Enum       Kind = "enum"
	Email      Kind = "email"
	URL        Kind = "url"
	ForeignKey Kind = "foreignkey"
	OneToOne   Kind = "onetoone"
)

// Type is a field's type and its type parameters.
type Type struct {
	Kind Kind `json:"kind"`
	// MaxLength is the maximum length in characters of String, Email and
	// URL values; 0 for other kinds.
	MaxLength int `json:"max_length,omitempty"`
	// MaxDigits and DecimalPlaces are Decimal's precision and scale.
	MaxDigits     int `json:"max_digits,omitempty"`
	DecimalPlaces int `json:"decimal_places,omitempty"`
	// Values are an Enum's values in declaration order.
	Values []string `json:"values,omitempty"`
}

// IsRelation reports whether the kind refers to another model.
// IPAddress is the kind of the IPAddress type. The column kinds are
// dialect.Kinds' entries, whose Name is their Kind here.
const IPAddress Kind = "ipaddress"

// TypeName returns the schema language's name of k's type ("IPAddress",
// "ForeignKey"), or "" for an unknown kind: the types the checker keeps
// for itself are named here, the column kinds by their descriptor.
func (k Kind) TypeName() string {
	switch k {
	case Enum:
		return "Enum"
	case Email:
		return "Email"
	case URL:
		return "URL"
	case ForeignKey:
		return "ForeignKey"
	case OneToOne:
		return "OneToOne"
	}
	return dialect.KindNamed(string(k)).Info().Type
}

func (k Kind) IsRelation() bool { return k == ForeignKey || k == OneToOne }

// IsString reports whether values of the kind are Go strings compared as text.
func (k Kind) IsString() bool {
	switch k {
	case String, Text, Email, URL, Enum:
		return true
	}
	return false
}

// DefaultKind says where a default value comes from.
type DefaultKind string

const (
	DefaultLiteral DefaultKind = "literal" // Value holds the literal
	DefaultNow     DefaultKind = "now"     // the current date or time
	DefaultUUID    DefaultKind = "uuid"    // a newly generated UUID
	DefaultNull    DefaultKind = "null"    // NULL, on a nullable field
)

// Default is a field's default value.
type Default struct {
	Kind DefaultKind `json:"kind"`
	// Value is the literal in canonical form: strings unquoted, numbers as
	// written, booleans "true" or "false". Empty unless Kind is DefaultLiteral.
	Value string `json:"value,omitempty"`
}

// Bounds are a field's validation bounds. Numbers are kept as written, so
// Decimal bounds lose no precision.
type Bounds struct {
	MinLength        *int   `json:"min_length,omitempty"`
	MaxLength        *int   `json:"max_length,omitempty"` // for Text; String keeps it in Type
	Pattern          string `json:"pattern,omitempty"`
	Minimum          string `json:"minimum,omitempty"`
	Maximum          string `json:"maximum,omitempty"`
	ExclusiveMinimum bool   `json:"exclusive_minimum,omitempty"`
	ExclusiveMaximum bool   `json:"exclusive_maximum,omitempty"`
}

// OnDelete is a relation's referential action.
type OnDelete string

const (
	Cascade  OnDelete = "cascade"
	Restrict OnDelete = "restrict"
	SetNull  OnDelete = "set_null"
)

// Relation describes a ForeignKey or OneToOne field.
type Relation struct {
	Model    string   `json:"model"` // the referenced model's name
	OnDelete OnDelete `json:"on_delete"`
	// RelatedName names the reverse side on the referenced model, e.g.
	// "tracks" on Album for Track.album. Empty means the default.
	RelatedName string `json:"related_name,omitempty"`
}

// ManyToMany is a many-to-many relation, `tags ManyToMany(Tag)`: the rows
// of the declaring model are linked to rows of Model by the rows of the
// join model Through, whose relation field Source refers to the declaring
// model and Target to Model. Through is the model named by through:, or
// the one the checker declares (Model.JoinFor): "PostTagsLink", table
// "post_tags", with fields named after the two models ("post", "tag";
// "from_person" and "to_person" when a model is linked to itself), both
// cascading on delete, their pair the primary key.
type ManyToMany struct {
	Name    string `json:"name"`  // as declared, e.g. "tags"
	Model   string `json:"model"` // the linked model's name
	Through string `json:"through"`
	Source  string `json:"source"` // Through's field that refers to the declaring model
	Target  string `json:"target"` // Through's field that refers to Model
	// RelatedName names the relation seen from Model, e.g. "posts" on
	// Tag for Post.tags. Empty means the default.
	RelatedName string     `json:"related_name,omitempty"`
	Doc         []string   `json:"doc,omitempty"`
	Pos         schema.Pos `json:"-"`
	End         schema.Pos `json:"-"`
}

// Index is a model-level index or unique constraint over one or more fields.
type Index struct {
	Name   string     `json:"name"`   // SQL name, decided by the checker
	Fields []string   `json:"fields"` // field names, in order
	Unique bool       `json:"unique,omitempty"`
	Pos    schema.Pos `json:"-"`
}

// ColumnType returns the type a field is stored as: a relation is stored
// as its target's primary key (without auto-increment; a relation to a
// model with a composite key, which the checker refuses, keeps its kind), an Enum as a
// String as long as its longest value, Email and URL as String.
func (s *Schema) ColumnType(f *Field) Type {
	t := f.Type
	switch t.Kind {
	case ForeignKey, OneToOne:
		if target := s.Model(f.Relation.Model); target != nil && !target.Composite() {
			return s.ColumnType(target.PK())
		}
	case Enum:
		n := 1
		for _, v := range t.Values {
			n = max(n, len([]rune(v)))
		}
		return Type{Kind: String, MaxLength: n}
	case Email, URL:
		return Type{Kind: String, MaxLength: t.MaxLength}
	}
	return t
}

// ValueRename is an Enum value renamed: From, no longer a value, is To.
type ValueRename struct {
	From string `json:"from"`
	To   string `json:"to"`
}
