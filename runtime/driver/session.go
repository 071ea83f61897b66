package driver

import "context"

// SessionPool is implemented by a Pool that can lend one of its
// connections for a run of statements that share session state: a lock
// held by the session (PostgreSQL's pg_advisory_lock, MySQL's GET_LOCK),
// a setting (lock_timeout, SQLite's PRAGMA foreign_keys) that later
// statements rely on.
type SessionPool interface {
	Pool
	Session(ctx context.Context) (Session, error)
}

// Session is one connection lent by a SessionPool: statements and
// transactions on it run on that connection, one at a time.
type Session interface {
	Querier
	Begin(ctx context.Context, opts BeginOptions) (Tx, error)
	// Release gives the connection back to the pool, or, with discard,
	// closes it, so that nothing of the session (a lock, a setting)
	// outlives it. It is called once.
	Release(discard bool) error
}
