package inspect

import (
	"strconv"
	"strings"
)

// The description: plain data, with JSON tags, so that a generated client
// can carry the description of its own schema and a tool can print one.
// Names are kept exactly as the database has them. Order is
// deterministic: tables by name, columns by ordinal position, constraints
// and indexes by name, findings by table, code and object.

// Schema is the description of a database's tables, or of the tables a
// schema's DDL makes.
type Schema struct {
	// Dialect is the name of the dialect (dialect.Names) it was read from
	// or made for.
	Dialect string `json:"dialect"`
	// Name is the PostgreSQL schema or MySQL database that was read; ""
	// for SQLite and for a description made from a schema.
	Name   string   `json:"name,omitempty"`
	Tables []*Table `json:"tables"`
	// Unsupported lists what ormc cannot express, such as views,
	// triggers, generated columns and partial indexes, so that no tool
	// drops it silently. The objects themselves are described as far as
	// the description can (an index's definition, a column's type).
	Unsupported []Finding `json:"unsupported,omitempty"`
}

// Table returns the table called name, or nil.
func (s *Schema) Table(name string) *Table {
	for _, t := range s.Tables {
		if t.Name == name {
			return t
		}
	}
	return nil
}

// Table is one table.
type Table struct {
	Name string `json:"name"`
	// Model is the schema name of the model the table stores, on a
	// description made from a schema; "" on one read from a database.
	// Differences are reported with it when it is known.
	Model   string `json:"model,omitempty"`
	Comment string `json:"comment,omitempty"`
	// Collation is the table's default collation where the database has
	// one per table (MySQL); "" elsewhere.
	Collation string    `json:"collation,omitempty"`
	Columns   []*Column `json:"columns"` // by ordinal position
	// PrimaryKey is nil for a table without one.
	PrimaryKey  *PrimaryKey   `json:"primary_key,omitempty"`
	Uniques     []*Unique     `json:"uniques,omitempty"`      // unique constraints, by name
	Indexes     []*Index      `json:"indexes,omitempty"`      // indexes that back no constraint, by name
	ForeignKeys []*ForeignKey `json:"foreign_keys,omitempty"` // by name
	Checks      []*Check      `json:"checks,omitempty"`       // by name
}

// Column returns the column called name, or nil.
func (t *Table) Column(name string) *Column {
	for _, c := range t.Columns {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// Column is one column of a table.
type Column struct {
	Name string `json:"name"`
	// Field is the schema name of the field the column stores, on a
	// description made from a schema; "" on one read from a database.
	Field string `json:"field,omitempty"`
	// DBType is the column's type as the database reports it (PostgreSQL's
	// format_type, MySQL's COLUMN_TYPE, SQLite's declared type verbatim),
	// or as the DDL writes it on a description made from a schema.
	DBType string `json:"db_type"`
	// Type is DBType parsed into the dialect-neutral vocabulary; its
	// Base is BaseUnknown for a type the vocabulary has no name for.
	Type     Type `json:"type"`
	Nullable bool `json:"nullable,omitempty"`
	// AutoIncrement is set on a column whose values the database assigns:
	// a PostgreSQL identity or serial column, a MySQL AUTO_INCREMENT
	// column, SQLite's INTEGER PRIMARY KEY (the rowid).
	AutoIncrement bool `json:"auto_increment,omitempty"`
	// Sequence is the PostgreSQL sequence an identity or serial column
	// draws from; "" elsewhere.
	Sequence string `json:"sequence,omitempty"`
	// Default is nil for a column without a default. DEFAULT NULL is no
	// default: the two cannot be told apart in what a column stores.
	Default *Default `json:"default,omitempty"`
	// Generated is the expression of a generated (computed) column.
	Generated string `json:"generated,omitempty"`
	// Collation is set only where it differs from the default of the
	// column's table (MySQL) or type (PostgreSQL), or is written on the
	// column (SQLite).
	Collation string `json:"collation,omitempty"`
	Comment   string `json:"comment,omitempty"`
}

// Base is a type's name in the dialect-neutral vocabulary.
type Base string

// The bases. A database's aliases map to one of them: PostgreSQL's int4
// and MySQL's int(11) are BaseInteger, character varying is BaseVarchar.
const (
	BaseUnknown     Base = ""
	BaseChar        Base = "char"    // fixed length: Length characters
	BaseVarchar     Base = "varchar" // up to Length characters
	BaseText        Base = "text"    // Length is MySQL's limit in bytes (TEXT 65535); 0 unbounded
	BaseBoolean     Base = "boolean"
	BaseTinyInt     Base = "tinyint"   // 8-bit
	BaseSmallInt    Base = "smallint"  // 16-bit
	BaseMediumInt   Base = "mediumint" // 24-bit (MySQL)
	BaseInteger     Base = "integer"   // 32-bit; SQLite's INTEGER, which holds 64 bits
	BaseBigInt      Base = "bigint"    // 64-bit
	BaseReal        Base = "real"      // 32-bit float (PostgreSQL real, MySQL FLOAT)
	BaseDouble      Base = "double"    // 64-bit float (SQLite's REAL)
	BaseDecimal     Base = "decimal"   // Precision and Scale
	BaseDate        Base = "date"
	BaseTime        Base = "time"        // Precision: fractional digits, where stated
	BaseTimestamp   Base = "timestamp"   // wall time without a zone (MySQL DATETIME, SQLite DATETIME)
	BaseTimestampTZ Base = "timestamptz" // an instant (PostgreSQL timestamp with time zone, MySQL TIMESTAMP)
	BaseJSON        Base = "json"
	BaseJSONB       Base = "jsonb"
	BaseUUID        Base = "uuid"
	BaseInet        Base = "inet"   // an IP address (PostgreSQL's inet)
	BaseBinary      Base = "binary" // fixed-length bytes: Length
	BaseVarbinary   Base = "varbinary"
	BaseBlob        Base = "blob" // Length as for BaseText
	BaseEnum        Base = "enum" // MySQL ENUM('a', …) or a PostgreSQL enum type; the values are in DBType
)

// Type is a column type in the dialect-neutral vocabulary. Zero fields
// are unstated: a VARCHAR without a length, a TIME without a precision.
type Type struct {
	Base Base `json:"base,omitempty"`
	// Length is a character or byte type's length.
	Length int `json:"length,omitempty"`
	// Precision is a decimal's total digits, or the fractional digits
	// of a time or timestamp.
	Precision int `json:"precision,omitempty"`
	// Scale is a decimal's digits after the point.
	Scale    int  `json:"scale,omitempty"`
	Unsigned bool `json:"unsigned,omitempty"`
}

// String writes the type in SQL's spelling: VARCHAR(100), DECIMAL(10, 2),
// INTEGER UNSIGNED; "?" for an unknown base.
func (t Type) String() string {
	if t.Base == BaseUnknown {
		return "?"
	}
	var b strings.Builder
	b.WriteString(strings.ToUpper(string(t.Base)))
	switch {
	case t.Base == BaseDecimal && (t.Precision > 0 || t.Scale > 0):
		b.WriteString("(" + strconv.Itoa(t.Precision) + ", " + strconv.Itoa(t.Scale) + ")")
	case t.Length > 0:
		b.WriteString("(" + strconv.Itoa(t.Length) + ")")
	case t.Precision > 0:
		b.WriteString("(" + strconv.Itoa(t.Precision) + ")")
	}
	if t.Unsigned {
		b.WriteString(" UNSIGNED")
	}
	return b.String()
}

// DefaultKind says what a default is.
type DefaultKind string

const (
	// DefaultLiteral is a constant: Value is its canonical text for the
	// column's type (numbers exact and without trailing zeros, booleans
	// "true" or "false", instants in UTC, strings unquoted).
	DefaultLiteral DefaultKind = "literal"
	// DefaultExpression is anything else, such as CURRENT_TIMESTAMP:
	// Value is the expression in the normal form the comparison uses
	// (tokens, lower-case keywords, without parentheses or casts).
	DefaultExpression DefaultKind = "expression"
)

// Default is a column's default.
type Default struct {
	// Raw is the default as the database reports it (PostgreSQL's
	// pg_get_expr, MySQL's COLUMN_DEFAULT, SQLite's text verbatim), or as
	// the DDL writes it.
	Raw   string      `json:"raw"`
	Kind  DefaultKind `json:"kind"`
	Value string      `json:"value"`
}

// PrimaryKey is a table's primary key.
type PrimaryKey struct {
	// Name is the constraint's name: as PostgreSQL has it, PRIMARY on
	// MySQL, and on SQLite the name CREATE TABLE gave it or "".
	Name    string   `json:"name"`
	Columns []string `json:"columns"` // in key order
}

// Unique is a unique constraint. On MySQL, where a unique constraint is
// a unique index, every unique index is one.
type Unique struct {
	Name    string   `json:"name"`
	Columns []string `json:"columns"`
}

// Index is an index that backs no primary key or unique constraint.
type Index struct {
	Name string `json:"name"`
	// Columns are the indexed columns in order; "" stands for an
	// expression.
	Columns []string `json:"columns"`
	Unique  bool     `json:"unique,omitempty"`
	// Where is a partial index's predicate, as the database reports it.
	Where string `json:"where,omitempty"`
	// Expressions is set when an element of the index is an expression
	// rather than a column.
	Expressions bool `json:"expressions,omitempty"`
	// Definition is the database's text of a partial or expression index
	// (CREATE INDEX …), which Columns and Where cannot say in full.
	Definition string `json:"definition,omitempty"`
}

// Action is a foreign key's referential action.
type Action string

// The actions, as SQL writes them.
const (
	NoAction   Action = "NO ACTION"
	Restrict   Action = "RESTRICT"
	Cascade    Action = "CASCADE"
	SetNull    Action = "SET NULL"
	SetDefault Action = "SET DEFAULT"
)

// ForeignKey is a foreign key constraint.
type ForeignKey struct {
	// Name is the constraint's name; on SQLite "" when CREATE TABLE gave
	// it none.
	Name       string   `json:"name"`
	Columns    []string `json:"columns"`
	RefTable   string   `json:"ref_table"`
	RefColumns []string `json:"ref_columns"`
	OnDelete   Action   `json:"on_delete"`
	OnUpdate   Action   `json:"on_update"`
}

// Check is a CHECK constraint.
type Check struct {
	Name string `json:"name"`
	// Expr is the condition as the database reports it, without the
	// CHECK keyword and its outer parentheses where the database adds
	// them (PostgreSQL).
	Expr string `json:"expr"`
}

// Code is a stable name for a kind of thing ormc cannot express. Tools
// may depend on codes; the wording of a finding's Detail may change.
type Code string

// The codes of Finding.
const (
	CodeView                Code = "view"                 // a view (materialized too on PostgreSQL)
	CodeTrigger             Code = "trigger"              // a trigger on a table
	CodeGeneratedColumn     Code = "generated-column"     // a column computed from others
	CodePartialIndex        Code = "partial-index"        // an index with a WHERE
	CodeExpressionIndex     Code = "expression-index"     // an index on an expression
	CodeUnknownType         Code = "unknown-type"         // a column type the vocabulary has no Base for
	CodeExclusionConstraint Code = "exclusion-constraint" // PostgreSQL's EXCLUDE
	CodeNoPrimaryKey        Code = "no-primary-key"       // a table without a primary key
	CodeCompositeForeignKey Code = "composite-foreign-key"
	CodeTableOption         Code = "table-option" // WITHOUT ROWID, partitioning, inheritance …
	CodeSequence            Code = "sequence"     // a sequence no column owns
	CodeOnUpdate            Code = "on-update"    // MySQL's ON UPDATE CURRENT_TIMESTAMP
)

// Finding is one thing in the database that ormc cannot express.
type Finding struct {
	Code Code `json:"code"`
	// Table is the table it belongs to; "" for a view or sequence of its
	// own.
	Table string `json:"table,omitempty"`
	// Object is the name of the column, index, trigger, view or sequence.
	Object string `json:"object"`
	// Detail is the database's text of it (a definition or a type), for
	// a message or a comment in a pulled schema.
	Detail string `json:"detail,omitempty"`
}

// Options choose what Inspect reads.
type Options struct {
	// Schema is the PostgreSQL schema to read; "" for the connection's
	// current schema (public unless the search_path says otherwise).
	// MySQL reads the connection's database, SQLite the main database.
	Schema string
	// Tables, when not empty, are the only tables read. Views and
	// sequences are read only when it is empty.
	Tables []string
	// Filter, when not nil, is asked about every table (after Tables):
	// only those it accepts are read.
	Filter func(table string) bool
}

// sqlIn returns the condition " AND col IN (?, …)" that keeps only the
// tables of o.Tables, with its arguments, so that a database holding many
// other tables is not read whole; "" and nil when o.Tables is empty. The
// placeholders are '?' (MySQL, SQLite); wants still filters what comes
// back, as a database may compare names otherwise than Go.
func (o Options) sqlIn(col string) (string, []any) {
	if len(o.Tables) == 0 {
		return "", nil
	}
	args := make([]any, len(o.Tables))
	for i, t := range o.Tables {
		args[i] = t
	}
	return " AND " + col + " IN (?" + strings.Repeat(", ?", len(o.Tables)-1) + ")", args
}

// wants reports whether the options take table.
func (o Options) wants(table string) bool {
	if len(o.Tables) > 0 && !contains(o.Tables, table) {
		return false
	}
	return o.Filter == nil || o.Filter(table)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
