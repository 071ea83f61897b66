package runtime

import (
	"math/big"
	"regexp"
)

// Bound is a numeric validation bound.
type Bound struct {
	Value     *big.Rat
	Text      string // as written in the schema, for messages
	Exclusive bool
}

// NewBound returns the bound for a number written in the schema. It
// panics on a malformed number, which the compiler never emits.
func NewBound(text string, exclusive bool) *Bound {
	r, ok := new(big.Rat).SetString(text)
	if !ok {
		panic("ormc: invalid bound " + text)
	}
	return &Bound{Value: r, Text: text, Exclusive: exclusive}
}

// Table describes one model and its table. Generated code emits one per
// model as a Go literal; the accessor functions let the engine scan and
// bind rows without reflection. A Table must not be changed once in use.
type Table struct {
	Model   string    // the model's schema name, e.g. "Track"
	Name    string    // the SQL table name
	Columns []*Column // in declaration order; Columns[i].Index == i
	PK      int       // index in Columns of the primary key: the first of a composite key's columns
	// Key lists the indexes in Columns of a composite primary key's
	// columns, two or more, in key order; nil for a key of one column
	// (PK). No foreign key refers to a table with a composite key.
	Key []int

	// New returns a pointer to a new zero row (a *T as any).
	New func() any
	// Make returns a pointer to a new row with the schema's defaults set
	// (what the generated NewT returns), for the rows GetOrCreate and
	// UpdateOrCreate create; New when nil.
	Make func() any
	// NewRows returns n new zero rows in one allocation (a []T as any),
	// and Row returns a pointer to rows[i] (a *T as any). Both may be nil,
	// in which case rows are allocated one by one with New.
	NewRows func(n int) any
	Row     func(rows any, i int) any
	// Ptr returns a pointer to the Go field backing column i of row, to
	// scan into.
	Ptr func(row any, i int) any
	// Value returns the value of column i of row, to bind as an argument.
	Value func(row any, i int) any
	// Link returns the reference (a *Ref) held by foreign key column i of
	// row; nil when the table has no foreign keys.
	Link func(row any, i int) Linker

	// Constraints are the named constraints compiler/ddl creates on the
	// table, to name them in a *ConstraintError on every database.
	Constraints []Constraint
	// Referrers are the tables with a foreign key to this one, whose
	// constraints a delete of one of its rows can break.
	Referrers []*Table
	// Reverse are the foreign keys that refer to this table, by the name
	// seed-style lookups give them ("tracks" on Album), for lookups across
	// the reverse side.
	Reverse []Reverse
}

// Reverse is one foreign key that refers to a table, seen from that table:
// column FK of Table. For one side of a many-to-many relation, Table is
// the join table and Via names its field that refers to the linked rows,
// which lookups follow next ("tags__name" is "tag__name" of the join
// rows); "" for a foreign key.
type Reverse struct {
	Name  string
	Table *Table
	FK    int
	Via   string
}

// Constraint is one named constraint of a table, as compiler/ddl creates
// it: the primary key, a unique constraint, a foreign key or a CHECK.
// NOT NULL is part of a column's definition and has no name.
type Constraint struct {
	Name    string         // as the DDL names it; the primary key's is PostgreSQL's: "table_pkey"
	Kind    ConstraintKind // UniqueViolation for the primary key and unique constraints
	Columns []string       // SQL column names, in order
	// OnDelete is a foreign key's action: "cascade", "restrict" or
	// "set_null"; "" for other kinds.
	OnDelete string
}

// Column describes one column.
type Column struct {
	Field string // the schema field name, used by seed-style lookups
	Name  string // the SQL column name
	Kind  Kind
	Index int // position in Table.Columns

	Null          bool // NULL allowed
	Blank         bool // "" allowed
	MaxLength     int  // in characters, 0 for none
	AutoIncrement bool // the database assigns the value when it is zero

	// Validation, checked before any SQL is sent.
	MinLength int            // in characters
	Pattern   *regexp.Regexp // text must match
	Min, Max  *Bound         // numeric bounds
	Values    []string       // an Enum's values
	Format    string         // "email" or "url"
	// MaxDigits and DecimalPlaces are a Decimal's precision and scale:
	// a value may have at most DecimalPlaces digits after the point and
	// MaxDigits-DecimalPlaces before it. Zero for other kinds.
	MaxDigits, DecimalPlaces int

	// Values the engine fills in on writes (see fillAuto).
	AutoNow     bool // set to now on every write
	AutoNowAdd  bool // set to now on create
	DefaultNow  bool // default(now): set on create when not null and unset
	DefaultUUID bool // default(uuid): set on create when not null and unset
	// Default is a literal default of a field that is not nullable, as
	// the generated constructor sets it: a value of the field's Go type
	// (an Enum's constant, a time.Time, a netip.Addr, …). Create applies
	// it where the field holds a value that says it was left unset
	// (Column.unset); nil for a field without one, or whose default is
	// its Go type's zero value.
	Default any

	// Ref is the table a foreign key column refers to; nil otherwise.
	Ref *Table
}

// PKColumn returns the primary key column.
func (t *Table) PKColumn() *Column { return t.Columns[t.PK] }

// columnNamed returns the column with SQL name name, or nil.
func (t *Table) columnNamed(name string) *Column {
	for _, c := range t.Columns {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// Column returns the column for a schema field name, or nil.
func (t *Table) Column(field string) *Column {
	for _, c := range t.Columns {
		if c.Field == field {
			return c
		}
	}
	return nil
}

// MustPattern compiles a validation pattern from the schema, which the
// compiler has already checked.
func MustPattern(expr string) *regexp.Regexp { return regexp.MustCompile(expr) }
