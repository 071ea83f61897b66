package runtime

import (
	"context"
	"fmt"

	"github.com/ormc/ormc/runtime/driver"
)

// SessionOptions configure Session.
type SessionOptions struct {
	// Discard closes the connection when fn returns instead of giving it
	// back to the pool, so that no lock or setting of the session can
	// outlive it, whatever fn did or failed to undo.
	Discard bool
}

// Session runs fn with a DB whose statements and transactions all run on
// one connection of the pool, for work that relies on the session's
// state: a lock the session holds (pg_advisory_lock, GET_LOCK), a setting
// (lock_timeout, PRAGMA foreign_keys) later statements need. The
// connection runs one statement at a time: rows must be closed before
// the next statement (see ErrConnBusy). Inside a transaction, which is one
// connection already, fn gets db itself. A driver that cannot lend a
// connection gives an error wrapping ErrUnsupported.
func (db *DB) Session(ctx context.Context, fn func(s *DB) error, opts ...SessionOptions) (err error) {
	if db.tx != nil {
		return fn(db)
	}
	var o SessionOptions
	if len(opts) > 0 {
		o = opts[0]
	}
	sp, ok := db.pool.(driver.SessionPool)
	if !ok {
		return fmt.Errorf("%w: the %s driver cannot lend a connection for a session", ErrUnsupported, db.dialect.Name())
	}
	if err := db.ready(ctx, nil); err != nil {
		return err
	}
	if err := db.life.enter(); err != nil {
		return err
	}
	defer db.life.leave()
	s, err := sp.Session(ctx)
	if err != nil {
		return fmt.Errorf("ormc: session: %w", db.wrap(ctx, err))
	}
	child := *db
	child.pool = sessionPool{Pool: db.pool, s: s}
	child.querier = s
	child.conn = &oneConn{what: "a session"}
	// A panic or runtime.Goexit in fn must not keep the connection: it
	// may hold a lock, so it is closed rather than pooled.
	returned := false
	defer func() {
		if rerr := s.Release(o.Discard || !returned); rerr != nil && err == nil && returned {
			err = fmt.Errorf("ormc: end session: %w", rerr)
		}
	}()
	err = fn(&child)
	returned = true
	if err == nil {
		err = child.conn.idle()
	}
	return err
}

// sessionPool runs a session's transactions on its connection.
type sessionPool struct {
	driver.Pool
	s driver.Session
}

func (p sessionPool) Begin(ctx context.Context, opts driver.BeginOptions) (driver.Tx, error) {
	return p.s.Begin(ctx, opts)
}
