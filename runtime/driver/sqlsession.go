package driver

import (
	"context"
	"database/sql"
	sqldriver "database/sql/driver"
	"errors"
)

// Session implements SessionPool with one connection of the database/sql
// pool.
func (p sqlPool) Session(ctx context.Context) (Session, error) {
	conn, err := p.db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	return sqlSession{conn: conn, pool: p}, nil
}

type sqlSession struct {
	conn *sql.Conn
	pool sqlPool
}

func (s sqlSession) Exec(ctx context.Context, stmt string, args []any) (Result, error) {
	return sqlExec(ctx, s.conn, stmt, args)
}

func (s sqlSession) Query(ctx context.Context, stmt string, args []any) (Rows, error) {
	return sqlQuery(ctx, s.conn, stmt, args)
}

// Begin begins a transaction on the session's connection. A read-only one
// is made so by the pool's SQLOptions.ReadOnly, as Pool.Begin does, the
// connection staying the session's when the transaction ends.
func (s sqlSession) Begin(ctx context.Context, opts BeginOptions) (Tx, error) {
	o := &sql.TxOptions{Isolation: opts.Isolation, ReadOnly: opts.ReadOnly}
	ro := opts.ReadOnly && s.pool.o.ReadOnly != nil
	if ro {
		if err := s.pool.o.ReadOnly(ctx, s.conn, true); err != nil {
			return nil, err
		}
	}
	tx, err := s.conn.BeginTx(ctx, o)
	if err != nil {
		if ro {
			_ = s.pool.o.ReadOnly(context.Background(), s.conn, false)
		}
		return nil, err
	}
	if !ro {
		return sqlTx{tx: tx}, nil
	}
	return sessionTx{sqlTx: sqlTx{tx: tx}, reset: func() { _ = s.pool.o.ReadOnly(context.Background(), s.conn, false) }}, nil
}

func (s sqlSession) Release(discard bool) error {
	if discard {
		// database/sql closes a connection whose Raw call returns
		// ErrBadConn instead of pooling it again, and closes it at once.
		_ = s.conn.Raw(func(any) error { return sqldriver.ErrBadConn })
	}
	if err := s.conn.Close(); err != nil && !errors.Is(err, sql.ErrConnDone) {
		return err
	}
	return nil
}

// sessionTx is a read-only transaction on a session, which makes the
// connection writable again when it ends.
type sessionTx struct {
	sqlTx
	reset func()
}

func (t sessionTx) Commit(ctx context.Context) error {
	defer t.reset()
	return t.sqlTx.Commit(ctx)
}

func (t sessionTx) Rollback(ctx context.Context) error {
	defer t.reset()
	return t.sqlTx.Rollback(ctx)
}
