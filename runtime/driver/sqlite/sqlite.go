// Package sqlite connects ormc to SQLite through modernc.org/sqlite, a
// pure-Go driver: no C compiler and no server needed.
package sqlite

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/ormc/ormc/runtime"
	"github.com/ormc/ormc/runtime/dialect"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

func init() {
	// ormc_lower folds case like Go's strings.ToLower, for every letter,
	// where SQLite's lower() folds ASCII only; the case-insensitive
	// lookups use it so they agree with PostgreSQL and MySQL.
	err := sqlite.RegisterDeterministicScalarFunction("ormc_lower", 1,
		func(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
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

// Driver opens sqlite:// URLs.
var Driver = &runtime.Driver{
	Schemes:    []string{"sqlite"},
	Dialect:    dialect.SQLite,
	Open:       Open,
	Constraint: constraint,
	Retryable:  retryable,
	TxAborted:  txAborted,
}

// Path returns the file a sqlite URL names: sqlite:///relative.db is
// "relative.db", sqlite:////absolute/path.db is "/absolute/path.db" and
// sqlite://:memory: is ":memory:". The query string, if any, is returned
// apart.
func Path(rawURL string) (path, query string, err error) {
	rest, ok := strings.CutPrefix(rawURL, "sqlite://")
	if !ok {
		return "", "", errors.New("ormc: invalid sqlite URL: want sqlite:///relative.db, sqlite:////absolute.db or sqlite://:memory:")
	}
	rest, query, _ = strings.Cut(rest, "?")
	switch {
	case rest == ":memory:":
		return rest, query, nil
	case strings.HasPrefix(rest, "/") && len(rest) > 1:
		p, err := url.PathUnescape(rest[1:])
		if err != nil {
			return "", "", fmt.Errorf("ormc: invalid sqlite URL path: %w", err)
		}
		return p, query, nil
	}
	return "", "", errors.New("ormc: invalid sqlite URL: want sqlite:///relative.db, sqlite:////absolute.db or sqlite://:memory:")
}

// Open opens a sqlite:// URL. Every connection enforces foreign keys, waits
// up to five seconds for a lock, makes LIKE case-sensitive, and, for files,
// uses write-ahead logging.
func Open(ctx context.Context, rawURL string) (runtime.Pool, error) {
	path, query, err := Path(rawURL)
	if err != nil {
		return nil, err
	}
	query, maxConns, err := runtime.CutPoolParams(query)
	if err != nil {
		return nil, err
	}
	params := url.Values{}
	params.Add("_pragma", "foreign_keys(1)")
	params.Add("_pragma", "busy_timeout(5000)")
	// LIKE is case-sensitive on the other dialects; make it so here too.
	params.Add("_pragma", "case_sensitive_like(1)")
	memory := path == ":memory:"
	if !memory {
		params.Add("_pragma", "journal_mode(WAL)")
		params.Add("_txlock", "immediate")
	}
	dsn := "file:" + path + "?" + params.Encode()
	if query != "" {
		dsn += "&" + query
	}
	db, err := sql.Open("sqlite", dsn)
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
	return runtime.SQLPool(db), nil
}

// constraint maps SQLite's extended result codes.
func constraint(err error) *runtime.ConstraintError {
	var se *sqlite.Error
	if !errors.As(err, &se) {
		return nil
	}
	var kind runtime.ConstraintKind
	switch se.Code() {
	case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
		kind = runtime.UniqueViolation
	case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY,
		// ON DELETE RESTRICT fails through SQLite's internal trigger
		// mechanism, with this code; ormc's DDL creates no triggers.
		sqlite3.SQLITE_CONSTRAINT_TRIGGER:
		kind = runtime.ForeignKeyViolation
	case sqlite3.SQLITE_CONSTRAINT_NOTNULL:
		kind = runtime.NotNullViolation
	case sqlite3.SQLITE_CONSTRAINT_CHECK:
		kind = runtime.CheckViolation
	default:
		return nil
	}
	return &runtime.ConstraintError{Kind: kind, Err: err}
}

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
