package postgres

import (
	"context"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/ormc/ormc/runtime/driver"
)

// Session implements driver.SessionPool with a connection acquired from
// the pgx pool.
func (p *Pool) Session(ctx context.Context) (driver.Session, error) {
	conn, err := p.P.Acquire(ctx)
	if err != nil {
		return nil, err
	}
	return session{conn}, nil
}

type session struct{ c *pgxpool.Conn }

func (s session) Exec(ctx context.Context, stmt string, args []any) (driver.Result, error) {
	return exec(ctx, s.c, stmt, args)
}

func (s session) Query(ctx context.Context, stmt string, args []any) (driver.Rows, error) {
	return query(ctx, s.c, stmt, args)
}

func (s session) CopyFrom(ctx context.Context, table string, cols []string, rows [][]any) (int64, error) {
	return copyFrom(ctx, s.c, table, cols, rows)
}

func (s session) Begin(ctx context.Context, opts driver.BeginOptions) (driver.Tx, error) {
	tx, err := s.c.BeginTx(ctx, txOptions(opts))
	if err != nil {
		return nil, err
	}
	return txAdapter{tx}, nil
}

// Release returns the connection to the pool or, with discard, closes it
// first: pgxpool drops a closed connection instead of pooling it.
func (s session) Release(discard bool) error {
	if discard {
		_ = s.c.Conn().Close(context.Background())
	}
	s.c.Release()
	return nil
}
