// Package sqlite connects ormc to SQLite through modernc.org/sqlite, a
// pure-Go driver: no C compiler and no server needed.
package sqlite

import (
	"context"
	"database/sql"
	sqldriver "database/sql/driver"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/ormc/ormc/runtime/dialect"
	"github.com/ormc/ormc/runtime/driver"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

func init() {
	// ormc_lower folds case like Go's strings.ToLower, for every letter,
	// where SQLite's lower() folds ASCII only; the case-insensitive
	// lookups use it so they agree with PostgreSQL and MySQL.
	err := sqlite.RegisterDeterministicScalarFunction("ormc_lower", 1,
		func(_ *sqlite.FunctionContext, args []sqldriver.Value) (sqldriver.Value, error) {
			switch v := args[0].(type) {
			case string:
				return strings.ToLower(v), nil
			case []byte:
				return strings.ToLower(string(v)), nil
			}
			return args[0], nil
		})
	if err != nil {
		panic(err)
	}
}

// registerCollation registers a collation with the driver, for every
// connection opened after it.
func registerCollation(name string, cmp func(a, b string) int) error {
	return sqlite.RegisterCollationUtf8(name, cmp)
}

// Driver opens sqlite:// URLs.
var Driver = &driver.Driver{
	Schemes:    []string{"sqlite"},
	Dialect:    dialect.SQLite,
	Open:       Open,
	Constraint: constraint,
	Retryable:  retryable,
	TxAborted:  txAborted,
	KeysExhausted: func(err error) bool {
		var se *sqlite.Error
		return errors.As(err, &se) && se.Code() == sqlite3.SQLITE_CONSTRAINT_CHECK && checkName(se) == dialect.KeyRangeCheck
	},
}

// Path returns the file a sqlite URL names: sqlite:///relative.db is
// "relative.db", sqlite:////absolute/path.db is "/absolute/path.db" and
// sqlite://:memory: is ":memory:". The path ends at the first "?" and is
// decoded once, so "%3F" is a "?" in the file name and "%2541" is "%41".
// The query string, if any, is returned apart, undecoded. A fragment
// ("#"), a NUL byte and an undecodable escape are errors wrapping
// driver.ErrInvalidURL; write a "#" in a file name as "%23" (URL does).
func Path(rawURL string) (path, query string, err error) {
	const usage = "want sqlite:///relative.db, sqlite:////absolute.db or sqlite://:memory:"
	if len(rawURL) < len("sqlite://") || !strings.EqualFold(rawURL[:len("sqlite://")], "sqlite://") {
		return "", "", fmt.Errorf("%w: %s", driver.ErrInvalidURL, usage)
	}
	rest := rawURL[len("sqlite://"):]
	if strings.Contains(rest, "#") {
		// SQLite would end the file name there and a browser the URL:
		// neither may choose the file.
		return "", "", fmt.Errorf("%w: sqlite URL has a fragment (#…): write a # in a file name as %%23", driver.ErrInvalidURL)
	}
	rest, query, _ = strings.Cut(rest, "?")
	switch {
	case rest == ":memory:":
		return rest, query, nil
	case strings.HasPrefix(rest, "/") && len(rest) > 1:
		p, err := url.PathUnescape(rest[1:])
		if err != nil {
			return "", "", fmt.Errorf("%w: sqlite URL path has an invalid escape", driver.ErrInvalidURL)
		}
		if strings.Contains(p, "\x00") {
			return "", "", fmt.Errorf("%w: sqlite URL path holds a NUL byte", driver.ErrInvalidURL)
		}
		if p == ":memory:" {
			// SQLite would open a memory database, which ormc would pool
			// as a file: every connection a database of its own.
			return "", "", fmt.Errorf("%w: sqlite:///:memory: is ambiguous: write sqlite://:memory: for a memory database, sqlite:///./:memory: for a file", driver.ErrInvalidURL)
		}
		return p, query, nil
	}
	return "", "", fmt.Errorf("%w: %s", driver.ErrInvalidURL, usage)
}

// fileURI is the SQLite URI of the file at path: every byte SQLite's URI
// parser reads as syntax ("%", "?", "#") or that is not plain ASCII is
// escaped, and SQLite decodes each escape once, so it opens path exactly.
// An absolute path gets an empty authority ("file:///abs"), so that a path
// beginning "//" is not read as one.
func fileURI(path string) string {
	esc := (&url.URL{Path: path}).EscapedPath()
	if strings.HasPrefix(path, "/") {
		return "file://" + esc
	}
	return "file:" + esc
}

// Open opens a sqlite:// URL. Every connection enforces foreign keys, waits
// up to five seconds for a lock, makes LIKE case-sensitive, writes times
// as ISO 8601 text, and, for files, uses write-ahead logging and begins
// transactions IMMEDIATE. The only parameter is pool_max_conns: any other
// (the driver's _pragma, _fk, _txlock…, SQLite's mode, vfs…) could undo
// one of those or open another database than the file, and is refused
// with an error wrapping driver.ErrInvalidURL.
func Open(ctx context.Context, rawURL string) (driver.Pool, error) {
	path, query, err := Path(rawURL)
	if err != nil {
		return nil, err
	}
	query, maxConns, err := driver.CutPoolParams(query)
	if err != nil {
		return nil, err
	}
	if query != "" {
		q, err := url.ParseQuery(query)
		if err != nil {
			return nil, fmt.Errorf("%w: sqlite URL parameters: %w", driver.ErrInvalidURL, err)
		}
		for k := range q {
			// The value is not quoted: it may be a secret.
			return nil, fmt.Errorf("%w: sqlite URL parameter %q is not supported (the only one is %s)", driver.ErrInvalidURL, k, driver.PoolMaxConns)
		}
	}
	params := url.Values{}
	params.Add("_pragma", "foreign_keys(1)")
	params.Add("_pragma", "busy_timeout(5000)")
	// LIKE is case-sensitive on the other dialects; make it so here too.
	params.Add("_pragma", "case_sensitive_like(1)")
	// Write instants as ISO 8601 text that SQLite's date functions read,
	// "2006-01-02 15:04:05.999999999-07:00", not Go's time.String form;
	// compiler/ddl writes DateTime defaults in the same form.
	params.Add("_time_format", "sqlite")
	memory := path == ":memory:"
	dsn := "file::memory:"
	if !memory {
		params.Add("_pragma", "journal_mode(WAL)")
		params.Add("_txlock", "immediate")
		dsn = fileURI(path)
	}
	db, err := sql.Open("sqlite", dsn+"?"+params.Encode())
	if err != nil {
		return nil, fmt.Errorf("ormc: open sqlite: %w", err)
	}
	if memory {
		// Each connection to :memory: is a database of its own: keep one.
		maxConns = 1
	}
	if maxConns > 0 {
		db.SetMaxOpenConns(maxConns)
	}
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("ormc: open sqlite %q: %w", path, err)
	}
	return driver.NewSQLPool(db, driver.SQLOptions{ReadOnly: queryOnly}), nil
}

// queryOnly makes a connection refuse writes, for read-only transactions,
// which the driver begins as ordinary ones.
func queryOnly(ctx context.Context, conn *sql.Conn, on bool) error {
	pragma := "PRAGMA query_only = 0"
	if on {
		pragma = "PRAGMA query_only = 1"
	}
	_, err := conn.ExecContext(ctx, pragma)
	return err
}

// constraint maps SQLite's extended result codes. Once the code has
// classified the error, the names SQLite gives are read from the message,
// the only place it reports them: "UNIQUE constraint failed: t.a, t.b",
// "NOT NULL constraint failed: t.c", "CHECK constraint failed: name". A
// foreign key violation names nothing.
func constraint(err error) *driver.Violation {
	var se *sqlite.Error
	if !errors.As(err, &se) {
		return nil
	}
	v := &driver.Violation{}
	switch se.Code() {
	case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
		v.Kind = driver.UniqueViolation
		v.Table, v.Columns = columns(se.Error(), "UNIQUE constraint failed: ")
	case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY,
		// ON DELETE RESTRICT fails through SQLite's internal trigger
		// mechanism, with this code; ormc's DDL creates no triggers.
		sqlite3.SQLITE_CONSTRAINT_TRIGGER:
		v.Kind = driver.ForeignKeyViolation
	case sqlite3.SQLITE_CONSTRAINT_NOTNULL:
		v.Kind = driver.NotNullViolation
		v.Table, v.Columns = columns(se.Error(), "NOT NULL constraint failed: ")
	case sqlite3.SQLITE_CONSTRAINT_CHECK:
		v.Kind = driver.CheckViolation
		v.Constraint = checkName(se)
		if v.Constraint == dialect.KeyRangeCheck {
			return nil // no key left: see KeysExhausted
		}
	default:
		return nil
	}
	return v
}

// checkName reads the name of the CHECK constraint a SQLITE_CONSTRAINT_CHECK
// error reports.
func checkName(se *sqlite.Error) string {
	_, name, ok := strings.Cut(se.Error(), "CHECK constraint failed: ")
	if !ok {
		return ""
	}
	return strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(name), codeSuffix(se)))
}

// columns reads "t.a, t.b" after prefix in msg: the table and columns of a
// unique or NOT NULL violation.
func columns(msg, prefix string) (table string, cols []string) {
	_, list, ok := strings.Cut(msg, prefix)
	if !ok {
		return "", nil
	}
	list, _, _ = strings.Cut(list, " (") // the driver may append " (code)"
	for _, qc := range strings.Split(list, ", ") {
		t, c, ok := strings.Cut(strings.TrimSpace(qc), ".")
		if !ok {
			return "", nil
		}
		table = t
		cols = append(cols, c)
	}
	return table, cols
}

// codeSuffix is the " (code)" the driver appends to some messages.
func codeSuffix(se *sqlite.Error) string { return fmt.Sprintf("(%d)", se.Code()) }

// retryable accepts SQLITE_BUSY_SNAPSHOT, SQLite's serialization failure:
// in WAL mode, a transaction that read an old snapshot cannot write.
// Plain SQLITE_BUSY is not retried: the busy timeout already waited.
func retryable(err error) bool {
	var se *sqlite.Error
	return errors.As(err, &se) && se.Code() == sqlite3.SQLITE_BUSY_SNAPSHOT
}

// txAborted accepts the errors after which SQLite may have rolled back
// the whole transaction (https://sqlite.org/lang_transaction.html,
// "Response To Errors Within A Transaction": SQLITE_FULL, SQLITE_IOERR,
// SQLITE_BUSY, SQLITE_NOMEM), and an interrupted statement, which a
// cancelled context causes and which rolls back the transaction when the
// statement was a write. Whether it did cannot be asked through
// database/sql, so ormc assumes it did, as SQLite advises.
func txAborted(err error) bool {
	var se *sqlite.Error
	if !errors.As(err, &se) {
		return false
	}
	switch se.Code() & 0xff {
	case sqlite3.SQLITE_FULL, sqlite3.SQLITE_IOERR, sqlite3.SQLITE_BUSY, sqlite3.SQLITE_NOMEM, sqlite3.SQLITE_INTERRUPT:
		return true
	}
	return false
}

// URL returns the sqlite URL of the file at path: sqlite:/// and the path
// escaped, so that Path reads path back exactly.
func URL(path string) string {
	return (&url.URL{Scheme: "sqlite", Path: "/" + path}).String()
}
