package runtime

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// SQLPool adapts a database/sql pool to Pool, for the drivers that go
// through database/sql (MySQL and SQLite).
func SQLPool(db *sql.DB) Pool { return sqlPool{db} }

type sqlPool struct{ db *sql.DB }

type sqlQuerier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

func sqlExec(ctx context.Context, q sqlQuerier, query string, args []any) (Result, error) {
	res, err := q.ExecContext(ctx, query, args...)
	if err != nil {
		return Result{}, err
	}
	var r Result
	r.RowsAffected, _ = res.RowsAffected()
	r.LastInsertID, _ = res.LastInsertId()
	return r, nil
}

func sqlQuery(ctx context.Context, q sqlQuerier, query string, args []any) (Rows, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	return rows, nil
}

func (p sqlPool) Exec(ctx context.Context, query string, args []any) (Result, error) {
	return sqlExec(ctx, p.db, query, args)
}

func (p sqlPool) Query(ctx context.Context, query string, args []any) (Rows, error) {
	return sqlQuery(ctx, p.db, query, args)
}

func (p sqlPool) Begin(ctx context.Context, opts TxOptions) (TxConn, error) {
	tx, err := p.db.BeginTx(ctx, &sql.TxOptions{Isolation: opts.Isolation, ReadOnly: opts.ReadOnly})
	if err != nil {
		return nil, err
	}
	return sqlTx{tx}, nil
}

func (p sqlPool) Close() error { return p.db.Close() }

type sqlTx struct{ tx *sql.Tx }

func (t sqlTx) Exec(ctx context.Context, query string, args []any) (Result, error) {
	return sqlExec(ctx, t.tx, query, args)
}

func (t sqlTx) Query(ctx context.Context, query string, args []any) (Rows, error) {
	return sqlQuery(ctx, t.tx, query, args)
}

func (t sqlTx) Commit(context.Context) error { return t.tx.Commit() }

// Rollback rolls the transaction back. A transaction that database/sql
// already rolled back, because its context ended, is not an error; nor is
// one whose connection is gone (driver.ErrBadConn: killed by the server,
// or closed by the driver when a statement's context ended), which the
// server has rolled back already, as the postgres driver treats a closed
// connection.
func (t sqlTx) Rollback(context.Context) error {
	if err := t.tx.Rollback(); err != nil && !errors.Is(err, sql.ErrTxDone) && !errors.Is(err, driver.ErrBadConn) {
		return err
	}
	return nil
}

// PoolMaxConns is the URL parameter that caps a pool's open connections,
// named as pgx names it; the database/sql drivers read it with
// CutPoolParams.
const PoolMaxConns = "pool_max_conns"

// CutPoolParams removes the pool_max_conns parameter from a raw URL query
// and returns the rest, unchanged otherwise, and its value (0 when
// absent).
func CutPoolParams(rawQuery string) (rest string, maxConns int, err error) {
	if !strings.Contains(rawQuery, PoolMaxConns) {
		return rawQuery, 0, nil
	}
	var keep []string
	for _, p := range strings.Split(rawQuery, "&") {
		k, v, _ := strings.Cut(p, "=")
		if k != PoolMaxConns {
			keep = append(keep, p)
			continue
		}
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return "", 0, fmt.Errorf("ormc: invalid %s %q: want a positive integer", PoolMaxConns, v)
		}
		maxConns = n
	}
	return strings.Join(keep, "&"), maxConns, nil
}
