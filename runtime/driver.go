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
	Isolation sql.IsolationLevel // sql.LevelDefault for the database's default
	ReadOnly  bool
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
}

// ErrUnknownScheme is returned by Open for a URL no driver handles.
var ErrUnknownScheme = errors.New("ormc: unknown database URL scheme")

// Scheme returns the scheme of a database URL ("postgresql" for
// "postgresql://…"), or "" when it has none.
func Scheme(url string) string {
	i := strings.Index(url, "://")
	if i <= 0 {
		return ""
	}
	return url[:i]
}

// Open opens the database at url with the first driver that handles its
// scheme.
func Open(ctx context.Context, url string, drivers ...*Driver) (*DB, error) {
	scheme := Scheme(url)
	var known []string
	for _, d := range drivers {
		for _, s := range d.Schemes {
			if strings.EqualFold(s, scheme) {
				pool, err := d.Open(ctx, url)
				if err != nil {
					return nil, err
				}
				return NewDB(pool, d), nil
			}
			known = append(known, s+"://")
		}
	}
	if scheme == "" {
		return nil, fmt.Errorf("%w: database URL has no scheme (want one of %s)", ErrUnknownScheme, strings.Join(known, ", "))
	}
	return nil, fmt.Errorf("%w %q (want one of %s)", ErrUnknownScheme, scheme+"://", strings.Join(known, ", "))
}

// Redact returns a database URL with its password, if any, replaced by
// "xxxxx", for logs and messages.
func Redact(url string) string {
	i := strings.Index(url, "://")
	if i < 0 {
		return url
	}
	rest := url[i+3:]
	end := strings.IndexAny(rest, "/?#")
	if end < 0 {
		end = len(rest)
	}
	at := strings.LastIndex(rest[:end], "@")
	if at < 0 {
		return url
	}
	user := rest[:at]
	if colon := strings.Index(user, ":"); colon >= 0 {
		user = user[:colon] + ":xxxxx"
	}
	return url[:i+3] + user + rest[at:]
}
