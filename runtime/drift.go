package runtime

import (
	"errors"
	"strconv"
	"strings"
)

// ErrSchemaDrift is matched by errors.Is for every *SchemaDriftError.
var ErrSchemaDrift = errors.New("ormc: the database differs from the schema")

// SchemaDriftError reports that a live database differs from the schema
// a client was generated from (CheckSchema, ormc diff). It lists each
// difference as data.
type SchemaDriftError struct {
	// Dialect is the name of the database's dialect.
	Dialect     string
	Differences []SchemaDifference
}

func (e *SchemaDriftError) Error() string {
	var b strings.Builder
	b.WriteString(ErrSchemaDrift.Error())
	b.WriteString(" (")
	b.WriteString(e.Dialect)
	b.WriteString(", ")
	b.WriteString(strconv.Itoa(len(e.Differences)))
	if len(e.Differences) == 1 {
		b.WriteString(" difference)")
	} else {
		b.WriteString(" differences)")
	}
	for _, d := range e.Differences {
		b.WriteString("\n\t")
		b.WriteString(d.String())
	}
	return b.String()
}

// Is makes errors.Is(err, ErrSchemaDrift) true.
func (e *SchemaDriftError) Is(target error) bool { return target == ErrSchemaDrift }

// DriftKind is a difference's stable, machine-readable name.
type DriftKind string

// The kinds of difference. "Missing" is in the schema and not in the
// database, "extra" in the database and not in the schema.
const (
	DriftTableMissing      DriftKind = "table-missing"
	DriftTableExtra        DriftKind = "table-extra"
	DriftColumnMissing     DriftKind = "column-missing"
	DriftColumnExtra       DriftKind = "column-extra"
	DriftColumnType        DriftKind = "column-type"
	DriftColumnNull        DriftKind = "column-null"
	DriftColumnDefault     DriftKind = "column-default"
	DriftColumnAuto        DriftKind = "column-auto-increment"
	DriftColumnCollation   DriftKind = "column-collation"
	DriftColumnComment     DriftKind = "column-comment"
	DriftTableCollation    DriftKind = "table-collation"
	DriftPrimaryKey        DriftKind = "primary-key"
	DriftUniqueMissing     DriftKind = "unique-missing"
	DriftUniqueExtra       DriftKind = "unique-extra"
	DriftUniqueChanged     DriftKind = "unique-changed"
	DriftIndexMissing      DriftKind = "index-missing"
	DriftIndexExtra        DriftKind = "index-extra"
	DriftIndexChanged      DriftKind = "index-changed"
	DriftForeignKeyMissing DriftKind = "foreign-key-missing"
	DriftForeignKeyExtra   DriftKind = "foreign-key-extra"
	DriftForeignKeyChanged DriftKind = "foreign-key-changed"
	DriftCheckMissing      DriftKind = "check-missing"
	DriftCheckExtra        DriftKind = "check-extra"
	DriftCheckChanged      DriftKind = "check-changed"
)

// SchemaDifference is one way the database differs from the schema.
type SchemaDifference struct {
	Kind DriftKind
	// Table is the SQL table; Model its model's schema name, or "" for a
	// table the schema does not have.
	Table, Model string
	// Column is the SQL column, Field its field's schema name (or "");
	// both "" when the difference is not about a column.
	Column, Field string
	// Name is the constraint's or index's name, for the kinds about one.
	Name string
	// Schema and Database say what each side has, in SQL terms
	// ("VARCHAR(100)", "NOT NULL", "(isbn)"); "" for a side that has
	// nothing.
	Schema, Database string
}

// String writes the difference in schema terms: "Book.subtitle: column
// missing", "Book.title: VARCHAR(100) in the schema, TEXT in the
// database", "index book_isbn_key missing".
func (d SchemaDifference) String() string {
	var b strings.Builder
	where := d.Model
	if where == "" {
		where = d.Table
	}
	col := d.Field
	if col == "" {
		col = d.Column
	}
	if col != "" {
		where += "." + col
	}
	b.WriteString(where)
	b.WriteString(": ")
	switch d.Kind {
	case DriftTableMissing:
		b.WriteString("table missing")
	case DriftTableExtra:
		b.WriteString("table not in the schema")
	case DriftColumnMissing:
		b.WriteString("column missing")
	case DriftColumnExtra:
		b.WriteString("column not in the schema")
	case DriftUniqueMissing, DriftIndexMissing, DriftForeignKeyMissing, DriftCheckMissing:
		b.WriteString(d.object() + " missing")
	case DriftUniqueExtra, DriftIndexExtra, DriftForeignKeyExtra, DriftCheckExtra:
		b.WriteString(d.object() + " not in the schema")
	default:
		if obj := d.object(); obj != "" {
			b.WriteString(obj + ": ")
		}
		b.WriteString(orNone(d.Schema) + " in the schema, " + orNone(d.Database) + " in the database")
		return b.String()
	}
	if d.Schema != "" && d.Database == "" || d.Database != "" && d.Schema == "" {
		b.WriteString(" (" + d.Schema + d.Database + ")")
	}
	return b.String()
}

// object names the constraint or index a difference is about.
func (d SchemaDifference) object() string {
	var kind string
	switch d.Kind {
	case DriftPrimaryKey:
		kind = "primary key"
	case DriftUniqueMissing, DriftUniqueExtra, DriftUniqueChanged:
		kind = "unique constraint"
	case DriftIndexMissing, DriftIndexExtra, DriftIndexChanged:
		kind = "index"
	case DriftForeignKeyMissing, DriftForeignKeyExtra, DriftForeignKeyChanged:
		kind = "foreign key"
	case DriftCheckMissing, DriftCheckExtra, DriftCheckChanged:
		kind = "check"
	case DriftColumnDefault:
		return "default"
	case DriftColumnAuto:
		return "auto-increment"
	case DriftColumnCollation, DriftTableCollation:
		return "collation"
	case DriftColumnComment:
		return "comment"
	default:
		return ""
	}
	if d.Name == "" {
		return kind
	}
	return kind + " " + d.Name
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}
