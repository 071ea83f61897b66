package runtime

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/ormc/ormc/runtime/dialect"
)

// The driver interface: each package under runtime/driver adapts one
// database client library to it. The engine uses nothing else.

// Querier runs statements: a pool or a transaction.
type Querier interface {
	Exec(ctx context.Context, query string, args []any) (Result, error)
	Query(ctx context.Context, query string, args []any) (Rows, error)
}

// Pool is an open database: a pool of connections.
type Pool interface {
	Querier
	Begin(ctx context.Context, opts TxOptions) (TxConn, error)
	Close() error
}

// DialectPool is implemented by a Pool whose server offers more than its
// driver's dialect assumes, learnt when it connected: the MySQL pool tells
// MariaDB 10.10 and later apart, whose newer collations fold case better.
type DialectPool interface {
	Pool
	Dialect() dialect.Dialect
}

// SizedPool is implemented by a Pool that knows how many connections it
// may open (0 for no limit). With one, a statement issued while the rows
// of another are open would wait for ever for the connection those rows
// hold; the engine returns ErrConnBusy instead.
type SizedPool interface {
	Pool
	MaxConns() int
}

// Copier is implemented by a Querier that can load many rows faster than
// an INSERT can, as PostgreSQL's COPY … FROM STDIN does. It inserts rows
// (each holding a value per column of cols, in order) into table, all or
// none, and returns how many it inserted. BulkCreate uses it for large
// batches.
type Copier interface {
	CopyFrom(ctx context.Context, table string, cols []string, rows [][]any) (int64, error)
}

// PacketPool is implemented by a Pool whose server refuses a statement
// larger than MaxStatementBytes, its bound values included: MySQL's
// max_allowed_packet, read once when the pool opened. BulkCreate sizes
// its batches to fit, and Create and BulkCreate refuse a row that cannot
// fit with ErrStatementTooLarge before sending any SQL. 0 means no limit.
type PacketPool interface {
	Pool
	MaxStatementBytes() int
}

// TxConn is a transaction opened by a Pool.
type TxConn interface {
	Querier
	Commit(ctx context.Context) error
	Rollback(ctx context.Context) error
}

// Result is what a statement that returns no rows reports.
type Result struct {
	RowsAffected int64
	LastInsertID int64 // only where the dialect does not use RETURNING
}

// Rows iterates over a query's result. Close must be called; it is safe to
// call more than once.
type Rows interface {
	Next() bool
	Scan(dest ...any) error
	Err() error
	Close() error
}

// TxOptions are the options of a transaction.
type TxOptions struct {
	// Isolation is the isolation level; sql.LevelDefault for the
	// database's default. LevelSnapshot means LevelRepeatableRead (what
	// PostgreSQL and MySQL give at that level is snapshot isolation) and
	// LevelLinearizable LevelSerializable, on every database;
	// LevelWriteCommitted is refused with ErrUnsupported. SQLite runs every
	// transaction serializably, whatever the level.
	Isolation sql.IsolationLevel
	// ReadOnly makes the transaction refuse writes, on every database
	// (on SQLite with PRAGMA query_only, for the transaction's connection).
	ReadOnly bool
	// Retry, when not nil, makes Tx run the transaction again, from the
	// start, when it fails with an error the driver says is worth retrying
	// (a serialization failure or a deadlock). It is ignored by a Tx
	// nested in another, which runs in a savepoint.
	Retry *RetryPolicy
}

// Driver opens databases of one kind. Each runtime/driver package exports
// one.
type Driver struct {
	// Schemes are the URL schemes it opens, e.g. "postgres", "postgresql".
	Schemes []string
	Dialect dialect.Dialect
	// Open opens a pool for a URL with one of Schemes.
	Open func(ctx context.Context, url string) (Pool, error)
	// Constraint classifies a driver error as a constraint violation, or
	// returns nil.
	Constraint func(err error) *ConstraintError
	// Retryable reports whether err means the transaction lost a race
	// with another one and would likely succeed if run again: a
	// serialization failure or a deadlock. It decides by error code, never
	// by message. Nil means nothing is retryable.
	Retryable func(err error) bool
	// TxAborted reports whether err, met by a statement in a transaction,
	// means the server has rolled back the whole transaction, so that
	// statements sent after it would run, and commit, on their own (see
	// ErrTxAborted). Nil means no error does: the database keeps the
	// transaction open after a failed statement (see TxFailed).
	TxAborted func(err error) bool
	// TxFailed reports whether err, met by a statement in a transaction,
	// leaves the transaction refusing every later statement until it
	// rolls back, or back to a savepoint made before the statement, as
	// PostgreSQL does after any error it reports (SQLSTATE 25P02 for what
	// follows). ormc then refuses those statements itself, with an error
	// wrapping ErrTxAborted and err. Nil means no error does.
	TxFailed func(err error) bool
	// KeysExhausted reports whether err, met by a write that left its
	// key to the database, means the key column has no key left: the
	// next would not fit the column. The engine then returns an error
	// wrapping ErrKeysExhausted. Nil means no error does.
	KeysExhausted func(err error) bool
}

// ErrUnknownScheme is returned by Open for a URL no driver handles.
var ErrUnknownScheme = errors.New("ormc: unknown database URL scheme")

// Scheme returns the scheme of a database URL ("postgresql" for
// "postgresql://…"), or "" when it has none: when what comes before the
// first "://" is not a scheme (a letter, then letters, digits, "+", "-"
// or "."), as in a DSN in another format that carries a URL in a
// parameter, "user:password@tcp(h)/db?x=https://…", which must not be
// quoted back as a scheme.
func Scheme(url string) string {
	i := strings.Index(url, "://")
	if i <= 0 || !validScheme(url[:i]) {
		return ""
	}
	return url[:i]
}

// Open opens the database at url with the first driver that handles its
// scheme. The URL's password never appears in an error Open returns, nor
// in the errors and query hook events of the DB, even when the driver
// quotes the URL; a driver's panic in Open becomes an error, and a panic
// under a call on the DB goes on as a *PanicError with the password
// hidden. Errors unwrapped from those the DB returns are the driver's own
// and may show the password: print the error you were given.
func Open(ctx context.Context, url string, drivers ...*Driver) (*DB, error) {
	scheme := Scheme(url)
	var known []string
	for _, d := range drivers {
		for _, s := range d.Schemes {
			if strings.EqualFold(s, scheme) {
				secrets := urlSecrets(url)
				pool, err := openPool(ctx, d, url, secrets)
				if err != nil {
					return nil, err
				}
				db := NewDB(pool, d)
				db.secrets = secrets
				return db, nil
			}
			known = append(known, s+"://")
		}
	}
	if scheme == "" {
		return nil, fmt.Errorf("%w: database URL has no scheme (want one of %s)", ErrUnknownScheme, strings.Join(known, ", "))
	}
	return nil, fmt.Errorf("%w %q (want one of %s)", ErrUnknownScheme, scheme+"://", strings.Join(known, ", "))
}

// openPool calls d.Open, turning a panic into an error, since panics never
// cross a package boundary, and hiding the URL's secrets in either.
func openPool(ctx context.Context, d *Driver, url string, secrets []string) (pool Pool, err error) {
	defer func() {
		if p := recover(); p != nil {
			pool = nil
			err = fmt.Errorf("ormc: open %s: driver panicked: %s", Redact(url), hideSecrets(fmt.Sprint(p), secrets))
		}
	}()
	pool, err = d.Open(ctx, url)
	return pool, scrub(err, secrets)
}
