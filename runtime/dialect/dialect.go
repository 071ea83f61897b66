// Package dialect holds what differs between the SQL databases ormc speaks:
// identifier quoting, parameter placeholders, column type names, and each
// syntax choice and capability as a method of Dialect. Both the DDL
// generator (compiler/ddl) and the query engine (runtime) use it, so each
// rule is written once, and code outside the dialect files asks a
// dialect what it does rather than comparing its name.
//
// A new dialect is a file here implementing Dialect, added to All, with
// its column types in KindInfo (kind.go); its DDL rules in compiler/ddl
// (a file of its own, listed in byDialect); its driver,
// runtime/driver/NAME; and its test setup in internal/testdb.
// The CLI and the generator read All.
package dialect

// Type is what a dialect needs to name a column's SQL type.
type Type struct {
	Kind      Kind
	MaxLength int // String
	Precision int // Decimal: total digits
	Scale     int // Decimal: digits after the point
	// AutoIncrement marks an integer primary key the database assigns.
	AutoIncrement bool
}

// Dialect is one SQL dialect.
type Dialect interface {
	// Name is "postgres", "mysql" or "sqlite".
	Name() string
	// AppendIdent appends name quoted as an identifier to b.
	AppendIdent(b []byte, name string) []byte
	// AppendPlaceholder appends the placeholder of the n-th (1-based)
	// argument to b.
	AppendPlaceholder(b []byte, n int) []byte
	// ColumnType returns the SQL type of a column, without NULL-ness.
	ColumnType(t Type) string
	// AutoIncrementPK returns the full column definition suffix for an
	// auto-increment primary key of type t named col (everything after
	// the name).
	AutoIncrementPK(col string, t Type) string
	// Returning reports whether INSERT … RETURNING is used to read back
	// generated keys; when false the driver's last insert id is used.
	Returning() bool
	// UpdateReturning reports whether UPDATE … RETURNING reads back the
	// values an UPDATE wrote (PostgreSQL, SQLite); MySQL and MariaDB have
	// none, whatever Returning says of INSERT.
	UpdateReturning() bool
	// KeyStepSQL is a query returning the step between the keys the
	// database assigns the rows of one multi-row INSERT, the first of
	// which is the last insert id; it reads a session setting, so it runs
	// on the connection that inserted. "" where Returning reads the keys.
	KeyStepSQL() string
	// Upsert says how an insert that updates the row it collides with is
	// written.
	Upsert() UpsertSyntax
	// BulkInsert says how one statement inserts many rows.
	BulkInsert() BulkSyntax
	// DefaultRow is what follows INSERT INTO t to insert a row of every
	// column's default, for a table whose only column is a key the
	// database assigns: " DEFAULT VALUES" (PostgreSQL, SQLite), or
	// " () VALUES ()" where that is missing (MySQL).
	DefaultRow() string
	// LimitAll is the LIMIT count written before an OFFSET when the query
	// has no limit, where OFFSET cannot stand alone; "" where it can.
	LimitAll() string
	// TextEndsAtNUL reports whether LIKE and the text functions read a
	// value only up to its first NUL byte (SQLite), so that pattern and
	// case-folded lookups with a NUL in the value would match too much.
	TextEndsAtNUL() bool
	// TransactionalDDL reports whether CREATE, ALTER and DROP run inside
	// a transaction and roll back with it; false where each statement
	// commits the transaction implicitly (MySQL), so that a migration
	// that fails halfway leaves the statements before it applied.
	TransactionalDDL() bool
	// AdvisoryLocks reports whether the database has named locks that a
	// session holds outside any table (PostgreSQL's pg_advisory_lock,
	// MySQL's GET_LOCK), with which one migrating process keeps others
	// out; SQLite has none, and its writes take the whole file's lock.
	AdvisoryLocks() bool
	// TableOptions is appended after the closing parenthesis of CREATE TABLE.
	TableOptions() string
	// Fold returns the SQL written before and after an expression to
	// lower-case it for the case-insensitive lookups, folding non-ASCII
	// letters too where the database can.
	Fold() (before, after string)
	// NullsSortLast reports whether the database sorts NULL after every
	// value in ascending order (PostgreSQL); the others sort it first,
	// and ormc makes PostgreSQL do the same with NULLS FIRST/LAST.
	NullsSortLast() bool
	// MaxParams is the most bound parameters one statement may have.
	MaxParams() int
	// DecimalCollation is written after a Decimal column in comparisons
	// and ORDER BY so that they compare numbers: " COLLATE …" where
	// decimals are stored as text (SQLite), "" elsewhere.
	DecimalCollation() string
	// DecimalAdd names the function that adds two decimals exactly where
	// they are stored as text, whose + reads them as floats (SQLite:
	// ormc_decimal_add, which its driver registers); "" where a Decimal
	// column's + is exact.
	DecimalAdd() string
	// ArrayElemType names the element type of an array parameter that
	// holds values of kind k, for bulk inserts that unnest one array per
	// column; "" when the dialect has no array parameters.
	ArrayElemType(k Kind) string
	// LockClause is written at the end of a SELECT, after LIMIT and
	// OFFSET, to lock the rows it reads of the table aliased alias as l
	// says, until the transaction ends. It is "" where the database has
	// no row locks (SQLite): there a write transaction excludes every
	// other writer from the whole database until it ends, so the rows it
	// reads need no lock of their own, and no row is ever held by
	// another writer to skip or to refuse to wait for.
	LockClause(l RowLock, alias string) string
}

// RowLock is a lock a SELECT takes on the rows it reads.
type RowLock struct {
	// Share takes a shared lock, which other transactions may share but
	// not write through; false takes an exclusive one, as UPDATE does.
	Share bool
	// Wait is what the SELECT does at a row another transaction holds a
	// conflicting lock on.
	Wait LockWait
}

// LockWait is what a locking SELECT does at a row another transaction
// has locked.
type LockWait uint8

const (
	// WaitForLock waits until the other transaction ends (or the
	// database's lock wait timeout).
	WaitForLock LockWait = iota
	// SkipLocked leaves the row out of the result, as if it did not
	// match: the way workers take jobs from one queue without waiting
	// for each other.
	SkipLocked
	// NoWait fails the statement at once.
	NoWait
)

// UpsertSyntax is how a dialect writes an upsert.
type UpsertSyntax uint8

const (
	// OnConflict is INSERT … ON CONFLICT (target) DO UPDATE SET …
	// RETURNING, which checks only the target's unique constraint for a
	// row to update (PostgreSQL, SQLite).
	OnConflict UpsertSyntax = iota
	// OnDuplicateKey is INSERT … ON DUPLICATE KEY UPDATE, which updates
	// the row of whichever unique key collides (MySQL and MariaDB, which
	// has RETURNING since 10.5 but no ON CONFLICT).
	OnDuplicateKey
)

// BulkSyntax is how a dialect inserts many rows in one statement.
type BulkSyntax uint8

const (
	// MultiRowValues is INSERT … VALUES (…), (…), one placeholder per
	// value, so batches are bounded by MaxParams.
	MultiRowValues BulkSyntax = iota
	// UnnestArrays is INSERT … SELECT * FROM unnest($1::type[], …), one
	// array parameter per column typed with ArrayElemType, so that the
	// statement's text does not depend on the number of rows.
	UnnestArrays
)

// KeyDrawer is implemented by a dialect that can hand out the keys an
// auto-increment column would assign, before the rows are written: for
// bulk loads, such as PostgreSQL's COPY, that cannot return them.
type KeyDrawer interface {
	// DrawKeysSQL is a query that returns $3 new keys of column $2 of
	// table $1 (quoted as an identifier), one per row, or no rows when
	// the column draws its keys from nothing the query can use.
	DrawKeysSQL() string
}

// KeyAdvancer is implemented by a dialect whose auto-increment keys come
// from a sequence that an explicitly given key does not move (a
// PostgreSQL identity column): without moving it, the sequence would in
// time hand out the explicit key again.
type KeyAdvancer interface {
	// AdvanceKeysSQL is a statement that moves the sequence of column $2
	// of table $1 (quoted as an identifier) so that the next key it draws
	// is past $3, and leaves a sequence already past $3, or a column
	// without one, alone.
	AdvanceKeysSQL() string
}

// KeyRangeCheck names the CHECK constraint that keeps an Integer
// auto-increment key within 32 bits where the database would assign a
// larger one (SQLite, whose rowid is 64-bit): drivers report its violation
// as a key column with no key left, not as a CHECK violation.
const KeyRangeCheck = "ormc_key_range"

// Quote returns name quoted as an identifier by d.
func Quote(d Dialect, name string) string {
	return string(d.AppendIdent(nil, name))
}

// All is the registry of dialects, in the order the CLI, the generated
// client and the tests list them. Each dialect's driver is the package
// runtime/driver/NAME, NAME being its Name.
var All = []Dialect{Postgres, MySQL, SQLite}

// Names lists the names of All, in its order.
var Names = names()

func names() []string {
	out := make([]string, len(All))
	for i, d := range All {
		out[i] = d.Name()
	}
	return out
}

// ByName returns the dialect of All called name, or nil.
func ByName(name string) Dialect {
	for _, d := range All {
		if d.Name() == name {
			return d
		}
	}
	return nil
}

// quoteWith appends name between q and q, doubling any q inside it.
func quoteWith(b []byte, name string, q byte) []byte {
	b = append(b, q)
	for i := 0; i < len(name); i++ {
		if name[i] == q {
			b = append(b, q)
		}
		b = append(b, name[i])
	}
	return append(b, q)
}
