package driver

import (
	"context"
	"database/sql"
	sqldriver "database/sql/driver"
	"errors"

	"github.com/ormc/ormc/runtime/dialect"
)

// SQLPool adapts a database/sql pool to Pool, for the drivers that go
// through database/sql (MySQL and SQLite).
func SQLPool(db *sql.DB) Pool { return sqlPool{db: db} }

// SQLOptions adapt a database/sql pool to what its driver lacks.
type SQLOptions struct {
	// ReadOnly, when not nil, makes the connection of a read-only
	// transaction refuse writes before the transaction begins (on) and
	// lets it write again once the transaction ends (!on), for drivers
	// that ignore sql.TxOptions.ReadOnly. A connection it fails to reset
	// is discarded.
	ReadOnly func(ctx context.Context, conn *sql.Conn, on bool) error
	// Dialect, when not nil, is what the server speaks: a refinement of
	// its driver's dialect (see DialectPool).
	Dialect dialect.Dialect
	// MaxStatementBytes, when not 0, is the largest statement the server
	// takes (see PacketPool).
	MaxStatementBytes int
}

// NewSQLPool is SQLPool with options.
func NewSQLPool(db *sql.DB, o SQLOptions) Pool { return sqlPool{db: db, o: o} }

type sqlPool struct {
	db *sql.DB
	o  SQLOptions
}

// Dialect implements DialectPool.
func (p sqlPool) Dialect() dialect.Dialect { return p.o.Dialect }

// MaxStatementBytes implements PacketPool.
func (p sqlPool) MaxStatementBytes() int { return p.o.MaxStatementBytes }

// MaxConns implements SizedPool.
func (p sqlPool) MaxConns() int { return p.db.Stats().MaxOpenConnections }

type sqlQuerier interface {
	ExecContext(ctx context.Context, stmt string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, stmt string, args ...any) (*sql.Rows, error)
}

func sqlExec(ctx context.Context, q sqlQuerier, stmt string, args []any) (Result, error) {
	res, err := q.ExecContext(ctx, stmt, args...)
	if err != nil {
		return Result{}, err
	}
	var r Result
	r.RowsAffected, _ = res.RowsAffected()
	r.LastInsertID, _ = res.LastInsertId()
	return r, nil
}

func sqlQuery(ctx context.Context, q sqlQuerier, stmt string, args []any) (Rows, error) {
	rows, err := q.QueryContext(ctx, stmt, args...)
	if err != nil {
		return nil, err
	}
	return rows, nil
}

func (p sqlPool) Exec(ctx context.Context, stmt string, args []any) (Result, error) {
	return sqlExec(ctx, p.db, stmt, args)
}

func (p sqlPool) Query(ctx context.Context, stmt string, args []any) (Rows, error) {
	return sqlQuery(ctx, p.db, stmt, args)
}

func (p sqlPool) Begin(ctx context.Context, opts BeginOptions) (Tx, error) {
	o := &sql.TxOptions{Isolation: opts.Isolation, ReadOnly: opts.ReadOnly}
	if !opts.ReadOnly || p.o.ReadOnly == nil {
		tx, err := p.db.BeginTx(ctx, o)
		if err != nil {
			return nil, err
		}
		return sqlTx{tx: tx}, nil
	}
	conn, err := p.db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	t := sqlTx{conn: conn, readOnly: p.o.ReadOnly}
	if err := p.o.ReadOnly(ctx, conn, true); err != nil {
		t.release()
		return nil, err
	}
	if t.tx, err = conn.BeginTx(ctx, o); err != nil {
		t.release()
		return nil, err
	}
	return t, nil
}

func (p sqlPool) Close() error { return p.db.Close() }

// sqlTx is a transaction; a read-only one made so by SQLOptions.ReadOnly
// also holds its connection, to reset and release when it ends.
type sqlTx struct {
	tx       *sql.Tx
	conn     *sql.Conn
	readOnly func(ctx context.Context, conn *sql.Conn, on bool) error
}

// release makes the connection writable again and returns it to the pool,
// or discards it when that fails.
func (t sqlTx) release() {
	if t.conn == nil {
		return
	}
	if err := t.readOnly(context.Background(), t.conn, false); err != nil {
		_ = t.conn.Raw(func(any) error { return sqldriver.ErrBadConn })
	}
	_ = t.conn.Close()
}

func (t sqlTx) Exec(ctx context.Context, stmt string, args []any) (Result, error) {
	return sqlExec(ctx, t.tx, stmt, args)
}

func (t sqlTx) Query(ctx context.Context, stmt string, args []any) (Rows, error) {
	return sqlQuery(ctx, t.tx, stmt, args)
}

func (t sqlTx) Commit(context.Context) error {
	defer t.release()
	return t.tx.Commit()
}

// Rollback rolls the transaction back. A transaction that database/sql
// already rolled back, because its context ended, is not an error; nor is
// one whose connection is gone (sqldriver.ErrBadConn: killed by the server,
// or closed by the driver when a statement's context ended), which the
// server has rolled back already, as the postgres driver treats a closed
// connection.
func (t sqlTx) Rollback(context.Context) error {
	defer t.release()
	if err := t.tx.Rollback(); err != nil && !errors.Is(err, sql.ErrTxDone) && !errors.Is(err, sqldriver.ErrBadConn) {
		return err
	}
	return nil
}
