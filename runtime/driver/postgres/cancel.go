package postgres

import (
	"context"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgconn/ctxwatch"
	"github.com/jackc/pgx/v5/pgxpool"
)

// When the context of a statement ends while the statement runs, pgx's
// default only makes the connection's reads and writes fail, so that the
// call returns and the connection is closed. The server runs the
// statement on until it next writes to the socket, which a CPU-bound
// query does only at its end, with its transaction's locks held. A cancel
// request (what psql sends on ^C) does not always help: it cancels only
// what runs when it arrives, and the statement may still be queued behind
// the session's start-up on a busy server. So, as the mysql driver does
// with KILL, the handler here also ends the connection's session from a
// side connection (pg_terminate_backend, which also waits for it to end),
// and the call returns once that is done: the statement no longer runs
// and its locks are released. Where pg_terminate_backend fails (a
// PostgreSQL-compatible engine without it), a cancel request is sent.

// killTimeout bounds one termination, connecting included, and how long
// it waits for the session to end.
const killTimeout = 2 * time.Second

type cancelHandler struct {
	pg *pgconn.PgConn
	k  *killer
}

func (h *cancelHandler) HandleCancel(context.Context) {
	// A deadline in the past: the blocked read fails at once, and pgx
	// closes the connection.
	h.pg.Conn().SetDeadline(time.Unix(1, 0))
	h.k.kill(h.pg)
}

func (h *cancelHandler) HandleUnwatchAfterCancel() { h.pg.Conn().SetDeadline(time.Time{}) }

// killer ends sessions from a side pool of its own, opened at the first
// kill; Pool.Close closes it.
type killer struct {
	cfg    *pgxpool.Config // for the side pool
	ctx    context.Context // ends at close, cancelling the kills under way
	cancel context.CancelFunc
	mu     sync.Mutex
	closed bool
	side   *pgxpool.Pool
	wg     sync.WaitGroup // kills under way
}

// newKiller returns a killer whose side pool is made from a copy of cfg,
// taken before cfg is given the handler.
func newKiller(cfg *pgxpool.Config) *killer {
	side := cfg.Copy()
	side.MaxConns = 2
	side.MinConns = 0
	side.ConnConfig.BuildContextWatcherHandler = func(c *pgconn.PgConn) ctxwatch.Handler {
		return &pgconn.DeadlineContextWatcherHandler{Conn: c.Conn()}
	}
	k := &killer{cfg: side}
	k.ctx, k.cancel = context.WithCancel(context.Background())
	return k
}

// handler is the pgconn.Config.BuildContextWatcherHandler of the pool.
func (k *killer) handler(pg *pgconn.PgConn) ctxwatch.Handler { return &cancelHandler{pg: pg, k: k} }

// kill ends pg's session on the server, killTimeout at most. Errors are
// ignored: the session may be gone already.
func (k *killer) kill(pg *pgconn.PgConn) {
	k.mu.Lock()
	if k.closed || pg.PID() == 0 {
		k.mu.Unlock()
		return
	}
	k.wg.Add(1)
	side := k.side
	k.mu.Unlock()
	defer k.wg.Done()
	ctx, cancel := context.WithTimeout(k.ctx, killTimeout)
	defer cancel()
	if side == nil {
		var err error
		if side, err = k.open(ctx); err != nil {
			_ = pg.CancelRequest(ctx)
			return
		}
	}
	wait := (killTimeout / 2).Milliseconds()
	if _, err := side.Exec(ctx, "SELECT pg_terminate_backend($1, $2)", int64(pg.PID()), wait); err != nil && ctx.Err() == nil {
		_ = pg.CancelRequest(ctx)
	}
}

// open opens the side pool, once.
func (k *killer) open(ctx context.Context) (*pgxpool.Pool, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.side == nil {
		p, err := pgxpool.NewWithConfig(ctx, k.cfg)
		if err != nil {
			return nil, err
		}
		k.side = p
	}
	return k.side, nil
}

// close stops the kills under way, waits for them, and closes the side
// pool.
func (k *killer) close() {
	k.mu.Lock()
	k.closed = true
	k.mu.Unlock()
	k.cancel()
	k.wg.Wait()
	k.mu.Lock()
	side := k.side
	k.mu.Unlock()
	if side != nil {
		side.Close()
	}
}
