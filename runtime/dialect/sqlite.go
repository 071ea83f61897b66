package dialect

type sqlite struct{}

// SQLite is the SQLite dialect.
var SQLite Dialect = sqlite{}

func (sqlite) Name() string { return "sqlite" }

func (sqlite) AppendIdent(b []byte, name string) []byte { return quoteWith(b, name, '"') }

func (sqlite) AppendPlaceholder(b []byte, n int) []byte { return append(b, '?') }

// ColumnType returns SQLite type names chosen for their affinity: INTEGER
// for whole numbers and booleans, REAL for floats, TEXT for everything
// stored as text (dates and times as ISO 8601, decimals as their exact
// text).
func (sqlite) ColumnType(t Type) string { return columnType(t.Kind.Info().SQLite, t) }

// AutoIncrementPK uses INTEGER PRIMARY KEY, SQLite's alias for the rowid.
// The rowid is 64-bit whatever the type: past 2,147,483,647 SQLite would
// assign an Integer key its field cannot hold, which the CHECK named
// KeyRangeCheck refuses, as PostgreSQL and MySQL refuse a key past their
// INTEGER and INT.
func (d sqlite) AutoIncrementPK(col string, t Type) string {
	if t.Kind != Integer {
		return "INTEGER PRIMARY KEY"
	}
	return "INTEGER PRIMARY KEY CONSTRAINT " + Quote(d, KeyRangeCheck) + " CHECK (" + Quote(d, col) + " <= 2147483647)"
}

func (sqlite) Returning() bool        { return true }
func (sqlite) UpdateReturning() bool  { return true }
func (sqlite) KeyStepSQL() string     { return "" }
func (sqlite) Upsert() UpsertSyntax   { return OnConflict }
func (sqlite) BulkInsert() BulkSyntax { return MultiRowValues }

// LimitAll is -1: SQLite takes a negative LIMIT as none.
func (sqlite) LimitAll() string { return "-1" }

func (sqlite) DefaultRow() string { return " DEFAULT VALUES" }

// TextEndsAtNUL: LIKE, lower() and the functions the driver registers see
// text as a C string.
func (sqlite) TextEndsAtNUL() bool { return true }

func (sqlite) TransactionalDDL() bool { return true }

// AdvisoryLocks is false: SQLite has no named locks; a write transaction
// (BEGIN IMMEDIATE) locks the whole database instead.
func (sqlite) AdvisoryLocks() bool { return false }

func (sqlite) TableOptions() string { return "" }

// Fold uses ormc_lower, which the sqlite driver registers: it folds like
// Go's strings.ToLower, where SQLite's own lower() folds ASCII only.
func (sqlite) Fold() (string, string) { return "ormc_lower(", ")" }

func (sqlite) NullsSortLast() bool { return false }

// MaxParams is SQLITE_MAX_VARIABLE_NUMBER as modernc.org/sqlite builds it.
func (sqlite) MaxParams() int { return 32766 }

// DecimalCollation names the collation the sqlite driver registers to
// compare decimals, stored as text, as numbers: "9.5" = "9.50" < "10".
func (sqlite) DecimalCollation() string { return ` COLLATE "ormc_decimal"` }

// DecimalAdd names the exact + of decimal text the sqlite driver
// registers.
func (sqlite) DecimalAdd() string { return "ormc_decimal_add" }

func (sqlite) ArrayElemType(Kind) string { return "" }

// LockClause is "": SQLite has no row locks. ormc begins every
// transaction on a file IMMEDIATE, taking the database's write lock, so
// a transaction's reads are already safe from every other writer, which
// waits (up to the busy timeout) for it to end.
func (sqlite) LockClause(RowLock, string) string { return "" }
