package dialect

import (
	"fmt"
	"strings"
)

// Kind is a column's logical type: what a field of the schema is stored
// as. Every kind has one descriptor in Kinds, and every layer reads its
// facts about the kind from there: the checker (key, index, MySQL sizes),
// compiler/ddl (column types), compiler/gogen (Go type, typed field, scan
// and bind), the runtime (lookups). What only one layer knows (a
// kind's parameters and default parsing in the checker, its lookup
// conversion and validation in the runtime) is a table of that layer
// keyed by Kind, and each layer's test ranges over Kinds so that a kind
// missing from its table fails.
type Kind uint8

const (
	Invalid Kind = iota
	String       // VARCHAR(n)
	Text         // unbounded text
	Boolean
	Integer // 32-bit
	BigInteger
	Float // 64-bit
	Decimal
	Date
	Time
	DateTime // instant, stored in UTC
	JSON
	UUID
	IPAddress // a host's IPv4 or IPv6 address, without zone or netmask
)

// Family is the typed field generated code declares for a column of a
// kind, and so the lookups its values have (runtime/fields.go).
type Family uint8

const (
	// EqualFamily compares values for equality only: exact, ne, in
	// (runtime.Field).
	EqualFamily Family = iota + 1
	// OrderedFamily adds lt, lte, gt and gte (runtime.OrderedField).
	OrderedFamily
	// TextFamily adds the text lookups: iexact, contains, …
	// (runtime.StringField).
	TextFamily
	// SetOnlyFamily has no lookup at all, only Set: values the three
	// databases compare differently (runtime.JSONField).
	SetOnlyFamily
)

// Zero says what the Go zero value of a kind's Go type is to a field of
// the kind that is not nullable: a value someone may mean to store, or
// none. Create applies a field's default where it holds a value that is
// none (runtime fillAuto), and never anywhere else.
type Zero uint8

const (
	// ZeroIsValue: the zero value is a value of the kind that someone
	// may mean (0, "", false, midnight), so it is stored as it is.
	ZeroIsValue Zero = iota + 1
	// ZeroIsUnset: the zero value is no value of the kind, or one no one
	// means to store (the zero time.Time, Date, UUID and netip.Addr, the
	// empty JSON), so it says the field was left unset.
	ZeroIsUnset
)

// KindInfo is everything ormc knows about a kind that more than one layer
// reads. Column types are fmt formats of the column's parameters: %[1]d
// is a String's length or a Decimal's precision, %[2]d a Decimal's scale.
type KindInfo struct {
	// Name is the kind's name in the IR, its JSON snapshot and messages.
	Name string
	// Type is the schema's type name, which is also the suffix of the
	// runtime's constant for the kind (runtime.KindUUID).
	Type string

	// The column type on each dialect.
	Postgres, MySQL, SQLite string
	// PostgresElem is the element type of a PostgreSQL array of the
	// kind's values when it is not the column type: a type without
	// length or precision, as a cast to one would truncate silently.
	PostgresElem string
	// MySQLBytes is the most bytes a value takes in a MySQL row and in an
	// index key; 0 where the parameters decide (String, Decimal), or for
	// Text and JSON, which MySQL stores outside the row and cannot index.
	MySQLBytes int
	// Key says whether a field of the kind may be a primary key, Index
	// whether it may be unique or indexed (MySQL indexes no TEXT or JSON).
	Key, Index bool

	// GoType is the Go type of the kind's values in generated code, and
	// GoImport the package it needs besides runtime ("" for none).
	GoType, GoImport string
	// Family is the typed field of a column of the kind.
	Family Family
	// NoOrderBy says that the databases sort the kind's values in
	// different orders, so that a query may not be ordered by them.
	NoOrderBy bool
	// Scan and NullScan name the pointer types generated code converts a
	// field's address to before scanning, for a value the driver would
	// not return as the Go type holds it; Bind and NullBind the functions
	// it passes the value through to bind it. "" where the Go type's own
	// will do.
	Scan, NullScan, Bind, NullBind string
	// GoLiteral is the fmt format, of a default literal's canonical text,
	// of its Go expression; "%s" and "%q" are untyped constants. ""
	// where gogen spells the expression out from the parsed literal
	// (Date, Time, DateTime, UUID).
	GoLiteral string
	// Zero says whether the zero value of GoType is a value of the kind
	// or says that a field was left unset, so that Create applies its
	// default. Every kind decides (TestKindsDescribed).
	Zero Zero
}

// Kinds holds the descriptor of every kind, indexed by Kind; Kinds[Invalid]
// is empty.
var Kinds = [...]KindInfo{
	String: {Name: "string", Type: "String",
		Postgres: "VARCHAR(%[1]d)", MySQL: "VARCHAR(%[1]d)", SQLite: "VARCHAR(%[1]d)", PostgresElem: "TEXT",
		Key: true, Index: true, GoType: "string", Family: TextFamily, GoLiteral: "%q", Zero: ZeroIsValue},
	Text: {Name: "text", Type: "Text",
		Postgres: "TEXT", MySQL: "LONGTEXT", SQLite: "TEXT",
		GoType: "string", Family: TextFamily, GoLiteral: "%q", Zero: ZeroIsValue},
	Boolean: {Name: "boolean", Type: "Boolean",
		Postgres: "BOOLEAN", MySQL: "BOOLEAN", SQLite: "BOOLEAN", MySQLBytes: 1,
		Index: true, GoType: "bool", Family: EqualFamily, GoLiteral: "%s", Zero: ZeroIsValue},
	Integer: {Name: "integer", Type: "Integer",
		Postgres: "INTEGER", MySQL: "INT", SQLite: "INTEGER", MySQLBytes: 4,
		Key: true, Index: true, GoType: "int64", Family: OrderedFamily, GoLiteral: "%s", Zero: ZeroIsValue},
	BigInteger: {Name: "biginteger", Type: "BigInteger",
		Postgres: "BIGINT", MySQL: "BIGINT", SQLite: "INTEGER", MySQLBytes: 8,
		Key: true, Index: true, GoType: "int64", Family: OrderedFamily, GoLiteral: "%s", Zero: ZeroIsValue},
	Float: {Name: "float", Type: "Float",
		Postgres: "DOUBLE PRECISION", MySQL: "DOUBLE", SQLite: "REAL", MySQLBytes: 8,
		Index: true, GoType: "float64", Family: OrderedFamily, GoLiteral: "%s", Zero: ZeroIsValue},
	// The zero Decimal is 0.
	Decimal: {Name: "decimal", Type: "Decimal",
		Postgres: "NUMERIC(%[1]d, %[2]d)", MySQL: "DECIMAL(%[1]d, %[2]d)", SQLite: "TEXT", PostgresElem: "NUMERIC",
		Key: true, Index: true, GoType: "runtime.Decimal", Family: OrderedFamily, GoLiteral: "runtime.MustDecimal(%q)",
		Zero: ZeroIsValue},
	// The zero Date (year 0, month 0, day 0) is no date.
	Date: {Name: "date", Type: "Date",
		Postgres: "DATE", MySQL: "DATE", SQLite: "DATE", MySQLBytes: 3,
		Key: true, Index: true, GoType: "runtime.Date", Family: OrderedFamily, Zero: ZeroIsUnset},
	// The zero TimeOfDay is midnight.
	Time: {Name: "time", Type: "Time",
		Postgres: "TIME", MySQL: "TIME(6)", SQLite: "TIME", MySQLBytes: 6,
		Index: true, GoType: "runtime.TimeOfDay", Family: OrderedFamily, Zero: ZeroIsValue},
	// The zero time.Time, January 1 of year 1, is an instant no one
	// means to store.
	DateTime: {Name: "datetime", Type: "DateTime",
		Postgres: "TIMESTAMPTZ", MySQL: "DATETIME(6)", SQLite: "DATETIME", MySQLBytes: 8,
		Key: true, Index: true, GoType: "time.Time", GoImport: "time", Family: OrderedFamily,
		Scan: "runtime.UTCTime", NullScan: "runtime.NullUTCTime", Bind: "runtime.BindUTC", NullBind: "runtime.BindNullUTC",
		Zero: ZeroIsUnset},
	// The empty JSON holds no document (it binds as JSON null, which
	// runtime.JSON("null") says on purpose).
	JSON: {Name: "json", Type: "JSON",
		Postgres: "JSONB", MySQL: "JSON", SQLite: "TEXT",
		GoType: "runtime.JSON", Family: SetOnlyFamily, GoLiteral: "runtime.JSON(%q)", Zero: ZeroIsUnset},
	// The zero UUID, the nil UUID, is no identifier anyone assigns.
	UUID: {Name: "uuid", Type: "UUID",
		Postgres: "UUID", MySQL: "CHAR(36)", SQLite: "TEXT", MySQLBytes: 144, // 36 characters of 4 bytes
		Key: true, Index: true, GoType: "runtime.UUID", Family: OrderedFamily, Zero: ZeroIsUnset},
	// Text order is not inet's order, so an IPAddress has no order that
	// the three databases agree on: it is compared for equality only. The
	// zero netip.Addr is no address.
	IPAddress: {Name: "ipaddress", Type: "IPAddress",
		Postgres: "INET", MySQL: "VARCHAR(45)", SQLite: "TEXT", MySQLBytes: 181, // 45 characters of 4 bytes, and the length
		Key: true, Index: true, GoType: "netip.Addr", GoImport: "net/netip", Family: EqualFamily,
		NoOrderBy: true, Scan: "runtime.HostAddr", NullScan: "runtime.NullHostAddr",
		Bind: "runtime.BindAddr", NullBind: "runtime.BindNullAddr", GoLiteral: "netip.MustParseAddr(%q)",
		Zero: ZeroIsUnset},
}

// ColumnKinds lists every kind but Invalid, in order.
func ColumnKinds() []Kind {
	out := make([]Kind, 0, len(Kinds)-1)
	for k := Invalid + 1; int(k) < len(Kinds); k++ {
		out = append(out, k)
	}
	return out
}

// Info returns the kind's descriptor; an empty one for an unknown kind.
func (k Kind) Info() *KindInfo {
	if int(k) < len(Kinds) {
		return &Kinds[k]
	}
	return &KindInfo{}
}

func (k Kind) String() string {
	switch {
	case k == Invalid:
		return "invalid"
	case int(k) < len(Kinds):
		return Kinds[k].Name
	}
	return fmt.Sprintf("Kind(%d)", k)
}

// KindNamed returns the kind whose Name is name, or Invalid.
func KindNamed(name string) Kind {
	for k := Invalid + 1; int(k) < len(Kinds); k++ {
		if Kinds[k].Name == name {
			return k
		}
	}
	return Invalid
}

// columnType formats the column type format of t's kind.
func columnType(format string, t Type) string {
	switch {
	case format == "":
		return "invalid"
	case !strings.Contains(format, "%"):
		return format // Sprintf would complain of the unused parameters
	}
	return fmt.Sprintf(format, max(t.MaxLength, t.Precision), t.Scale)
}
