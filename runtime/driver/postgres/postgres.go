// Package postgres connects ormc to PostgreSQL through pgx/v5's native
// pool, not database/sql.
package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/ormc/ormc/runtime/dialect"
	"github.com/ormc/ormc/runtime/driver"
)

// Driver opens postgres:// and postgresql:// URLs.
var Driver = &driver.Driver{
	Schemes:    []string{"postgresql", "postgres"},
	Dialect:    dialect.Postgres,
	Open:       Open,
	Constraint: constraint,
	Retryable:  retryable,
	LockBusy:   lockBusy,
	TxFailed:   txFailed,
	// timestamptz values scan in UTC (see Open).
	TimesInUTC: true,
	// A sequence at its maximum (an identity column's is its type's)
	// fails nextval with sequence_generator_limit_exceeded.
	KeysExhausted: func(err error) bool {
		var pe *pgconn.PgError
		return errors.As(err, &pe) && pe.Code == "2200H"
	},
}

// Open opens a pgx pool for a postgres:// or postgresql:// URL, which may
// carry any parameter pgx understands, and checks that it connects. Each
// connection must be made within connect_timeout (see
// driver.ConnectTimeoutParam), driver.DefaultConnectTimeout when neither
// the URL nor PGCONNECT_TIMEOUT sets it.
func Open(ctx context.Context, rawURL string) (driver.Pool, error) {
	// pgx reads connect_timeout as ormc does, but applies no bound
	// without it.
	var params string
	if u, err := url.Parse(rawURL); err == nil {
		params = u.RawQuery
	}
	rest, timeout, err := driver.CutConnectTimeout(params)
	if err != nil {
		return nil, err
	}
	cfg, err := pgxpool.ParseConfig(rawURL)
	if err != nil {
		// pgx's error may quote the URL; say what is wrong without it.
		return nil, fmt.Errorf("%w: invalid postgresql URL", driver.ErrInvalidURL)
	}
	if rest != params || os.Getenv("PGCONNECT_TIMEOUT") == "" {
		cfg.ConnConfig.ConnectTimeout = timeout
	}
	// Sessions run in UTC, so CURRENT_DATE and friends in DDL defaults
	// agree with the engine, unless the URL asks for another zone.
	if _, ok := cfg.ConnConfig.RuntimeParams["timezone"]; !ok {
		cfg.ConnConfig.RuntimeParams["timezone"] = "UTC"
	}
	// When a statement's context ends, end its session on the server too
	// (see cancel.go).
	kill := newKiller(cfg)
	cfg.ConnConfig.BuildContextWatcherHandler = kill.handler
	// timestamptz values scan in UTC, so DateTime fields can take pgx's
	// native time.Time path (see Driver.TimesInUTC).
	cfg.AfterConnect = func(_ context.Context, conn *pgx.Conn) error {
		conn.TypeMap().RegisterType(&pgtype.Type{
			Name: "timestamptz", OID: pgtype.TimestamptzOID,
			Codec: &pgtype.TimestamptzCodec{ScanLocation: time.UTC},
		})
		return nil
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("ormc: open postgresql: %w", err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		kill.close()
		return nil, fmt.Errorf("ormc: connect to postgresql: %w", err)
	}
	return &Pool{P: pool, kill: kill}, nil
}

// Pool adapts a *pgxpool.Pool to driver.Pool.
type Pool struct {
	P    *pgxpool.Pool
	kill *killer // nil when the Pool was made by hand
}

type querier interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	CopyFrom(ctx context.Context, table pgx.Identifier, cols []string, src pgx.CopyFromSource) (int64, error)
}

func exec(ctx context.Context, q querier, stmt string, args []any) (driver.Result, error) {
	tag, err := q.Exec(ctx, stmt, args...)
	if err != nil {
		return driver.Result{}, err
	}
	return driver.Result{RowsAffected: tag.RowsAffected()}, nil
}

// copyFrom implements driver.Copier with COPY … FROM STDIN.
func copyFrom(ctx context.Context, q querier, table string, cols []string, rows [][]any) (int64, error) {
	return q.CopyFrom(ctx, pgx.Identifier{table}, cols, pgx.CopyFromRows(rows))
}

func query(ctx context.Context, q querier, stmt string, args []any) (driver.Rows, error) {
	rows, err := q.Query(ctx, stmt, args...)
	if err != nil {
		return nil, err
	}
	return rowsAdapter{rows}, nil
}

func (p *Pool) Exec(ctx context.Context, stmt string, args []any) (driver.Result, error) {
	return exec(ctx, p.P, stmt, args)
}

func (p *Pool) Query(ctx context.Context, stmt string, args []any) (driver.Rows, error) {
	return query(ctx, p.P, stmt, args)
}

func (p *Pool) CopyFrom(ctx context.Context, table string, cols []string, rows [][]any) (int64, error) {
	return copyFrom(ctx, p.P, table, cols, rows)
}

func (p *Pool) Begin(ctx context.Context, opts driver.BeginOptions) (driver.Tx, error) {
	tx, err := p.P.BeginTx(ctx, txOptions(opts))
	if err != nil {
		return nil, err
	}
	return txAdapter{tx}, nil
}

// txOptions are pgx's options for what Begin is asked for.
func txOptions(opts driver.BeginOptions) pgx.TxOptions {
	o := pgx.TxOptions{}
	switch opts.Isolation {
	case sql.LevelReadUncommitted:
		o.IsoLevel = pgx.ReadUncommitted
	case sql.LevelReadCommitted:
		o.IsoLevel = pgx.ReadCommitted
	case sql.LevelRepeatableRead:
		o.IsoLevel = pgx.RepeatableRead
	case sql.LevelSerializable:
		o.IsoLevel = pgx.Serializable
	}
	if opts.ReadOnly {
		o.AccessMode = pgx.ReadOnly
	}
	return o
}

// MaxConns implements driver.SizedPool.
func (p *Pool) MaxConns() int { return int(p.P.Config().MaxConns) }

func (p *Pool) Close() error {
	p.P.Close()
	if p.kill != nil {
		p.kill.close()
	}
	return nil
}

type txAdapter struct{ tx pgx.Tx }

func (t txAdapter) Exec(ctx context.Context, stmt string, args []any) (driver.Result, error) {
	return exec(ctx, t.tx, stmt, args)
}

func (t txAdapter) Query(ctx context.Context, stmt string, args []any) (driver.Rows, error) {
	return query(ctx, t.tx, stmt, args)
}

func (t txAdapter) CopyFrom(ctx context.Context, table string, cols []string, rows [][]any) (int64, error) {
	return copyFrom(ctx, t.tx, table, cols, rows)
}

func (t txAdapter) Commit(ctx context.Context) error { return t.tx.Commit(ctx) }

// Rollback rolls the transaction back. On a connection that is closed, as
// when the server terminated it or its context ended mid-statement, the
// server has already discarded the transaction: that is not an error.
func (t txAdapter) Rollback(ctx context.Context) error {
	err := t.tx.Rollback(ctx)
	if err != nil && t.tx.Conn().IsClosed() {
		return nil
	}
	return err
}

type rowsAdapter struct{ pgx.Rows }

// Columns names the result's columns, as database/sql's rows do.
func (r rowsAdapter) Columns() ([]string, error) {
	fds := r.Rows.FieldDescriptions()
	names := make([]string, len(fds))
	for i, fd := range fds {
		names[i] = fd.Name
	}
	return names, nil
}

func (r rowsAdapter) Close() error {
	r.Rows.Close()
	return r.Rows.Err()
}

// constraint maps PostgreSQL's SQLSTATE class 23 codes.
func constraint(err error) *driver.Violation {
	var pe *pgconn.PgError
	if !errors.As(err, &pe) {
		return nil
	}
	var kind driver.ConstraintKind
	switch pe.Code {
	case "23505":
		kind = driver.UniqueViolation
	case "23503":
		kind = driver.ForeignKeyViolation
	case "23502":
		kind = driver.NotNullViolation
	case "23514":
		kind = driver.CheckViolation
	default:
		return nil
	}
	v := &driver.Violation{Kind: kind, Table: pe.TableName, Constraint: pe.ConstraintName}
	if kind == driver.NotNullViolation {
		// NOT NULL is named by its column (PostgreSQL 18 also gives it a
		// constraint name, which no other database has).
		v.Constraint = ""
		if pe.ColumnName != "" {
			v.Columns = []string{pe.ColumnName}
		}
	}
	return v
}

// retryable accepts serialization_failure (40001) and deadlock_detected
// (40P01): PostgreSQL aborted the transaction because of a concurrent one,
// and running it again may succeed.
func retryable(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && (pe.Code == "40001" || pe.Code == "40P01")
}

// lockBusy accepts lock_not_available (SQLSTATE 55P03): a FOR UPDATE or
// FOR SHARE NOWAIT met a row another transaction holds.
func lockBusy(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "55P03"
}

// txFailed accepts every error the server reports (a *pgconn.PgError):
// after any of them PostgreSQL refuses the transaction's statements
// (SQLSTATE 25P02) until it rolls back, or back to a savepoint, and its
// commit rolls back. Errors pgx finds before sending a statement, or
// while scanning a row, leave the transaction alone.
func txFailed(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe)
}
