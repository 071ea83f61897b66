// Package driver is the interface between the ormc runtime and the
// database client libraries, as database/sql/driver is database/sql's:
// each package beneath it (postgres, mysql, sqlite) adapts one library to
// it and exports a *Driver, which runtime.Open takes. The runtime uses
// nothing else of a driver, and this package knows nothing of the
// runtime: what a driver reports, a constraint violation say, is plain
// data here that the runtime turns into its own errors.
package driver

import (
	"context"
	"database/sql"
	"errors"

	"github.com/ormc/ormc/runtime/dialect"
)

// Querier runs statements: a pool or a transaction.
type Querier interface {
	Exec(ctx context.Context, stmt string, args []any) (Result, error)
	Query(ctx context.Context, stmt string, args []any) (Rows, error)
}

// Pool is an open database: a pool of connections.
type Pool interface {
	Querier
	Begin(ctx context.Context, opts BeginOptions) (Tx, error)
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
// hold; the runtime refuses it instead.
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
// max_allowed_packet, read once when the pool opened. The runtime sizes
// bulk inserts to fit, and refuses a row that cannot fit before sending
// any SQL. 0 means no limit.
type PacketPool interface {
	Pool
	MaxStatementBytes() int
}

// Tx is a transaction opened by a Pool.
type Tx interface {
	Querier
	Commit(ctx context.Context) error
	Rollback(ctx context.Context) error
}

// BeginOptions are what Pool.Begin is asked for.
type BeginOptions struct {
	// Isolation is one of the four SQL levels (sql.LevelReadUncommitted,
	// LevelReadCommitted, LevelRepeatableRead, LevelSerializable), or
	// sql.LevelDefault for the database's default: the runtime maps the
	// other database/sql levels to these, or refuses them.
	Isolation sql.IsolationLevel
	// ReadOnly makes the transaction refuse writes.
	ReadOnly bool
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

// Driver opens databases of one kind. Each package beneath this one
// exports one.
type Driver struct {
	// Schemes are the URL schemes it opens, e.g. "postgres", "postgresql".
	Schemes []string
	Dialect dialect.Dialect
	// Open opens a pool for a URL with one of Schemes.
	Open func(ctx context.Context, url string) (Pool, error)
	// Constraint classifies a driver error as a constraint violation, or
	// returns nil.
	Constraint func(err error) *Violation
	// Retryable reports whether err means the transaction lost a race
	// with another one and would likely succeed if run again: a
	// serialization failure or a deadlock. It decides by error code, never
	// by message. Nil means nothing is retryable.
	Retryable func(err error) bool
	// LockBusy reports whether err means a row lock could not be taken
	// without waiting, as a NOWAIT lock asks (runtime.ErrLockNotAvailable).
	// Nil means no error does.
	LockBusy func(err error) bool
	// TxAborted reports whether err, met by a statement in a transaction,
	// means the server has rolled back the whole transaction, so that
	// statements sent after it would run, and commit, on their own (see
	// runtime.ErrTxAborted). Nil means no error does: the database keeps
	// the transaction open after a failed statement (see TxFailed).
	TxAborted func(err error) bool
	// TxFailed reports whether err, met by a statement in a transaction,
	// leaves the transaction refusing every later statement until it
	// rolls back, or back to a savepoint made before the statement, as
	// PostgreSQL does after any error it reports (SQLSTATE 25P02 for what
	// follows). The runtime then refuses those statements itself. Nil
	// means no error does.
	TxFailed func(err error) bool
	// TimesInUTC says that the driver scans a timestamp into a *time.Time
	// in UTC itself, faster than through an sql.Scanner: the runtime then
	// hands it its DateTime destinations as plain *time.Time.
	TimesInUTC bool
	// KeysExhausted reports whether err, met by a write that left its
	// key to the database, means the key column has no key left: the
	// next would not fit the column. Nil means no error does.
	KeysExhausted func(err error) bool
}

// ConstraintKind says which kind of constraint a write violated.
type ConstraintKind uint8

const (
	UniqueViolation ConstraintKind = iota + 1
	ForeignKeyViolation
	NotNullViolation
	CheckViolation
)

func (k ConstraintKind) String() string {
	switch k {
	case UniqueViolation:
		return "unique"
	case ForeignKeyViolation:
		return "foreign key"
	case NotNullViolation:
		return "not null"
	case CheckViolation:
		return "check"
	}
	return "constraint"
}

// Violation is a constraint violation as the database reports it, which
// the runtime turns into a *runtime.ConstraintError naming the
// constraint from the schema. A driver classifies it by error code, never
// by message, then fills in whatever names the database gives.
type Violation struct {
	Kind ConstraintKind
	// Table, Constraint and Columns are what the database names, each
	// empty when it names nothing: PostgreSQL names the table and the
	// constraint (and the column of a NOT NULL); MySQL the key or
	// constraint (and the column of a NOT NULL); SQLite the table and
	// columns of a unique or NOT NULL violation and the name of a CHECK.
	Table      string
	Constraint string
	Columns    []string
	// Err, when not nil, is the error the runtime's error wraps instead of
	// the driver's: the driver's error wrapped with a sentinel of this
	// package, such as ErrCascadeDepth.
	Err error
}

// ErrCascadeDepth is wrapped by the error of a delete whose ON DELETE
// CASCADE chain is deeper than the database follows (see
// runtime.ErrCascadeDepth, the same error).
var ErrCascadeDepth = errors.New("ormc: cascade too deep")
