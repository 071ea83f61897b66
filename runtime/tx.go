package runtime

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/ormc/ormc/runtime/dialect"
	"github.com/ormc/ormc/runtime/driver"
)

// ErrTxAborted is wrapped by the error of every statement, and of the
// commit, of a transaction that can no longer commit what it has done,
// together with the error that aborted it; the statement that aborted it
// wraps it too when the database ended the transaction outright.
//
// A MySQL deadlock (1213), for one, rolls back the whole transaction, not
// only the statement or the savepoint in which it happened, and so does
// SQLite to the transaction of an interrupted write: were ormc to keep
// sending the transaction's statements, they would run outside any
// transaction and commit one by one. A statement whose context ended
// while it ran aborts its transaction too, on every database, savepoints
// or not (see DB.noteAbort). Nothing but the end of the transaction
// clears those.
//
// PostgreSQL aborts a transaction on any failed statement: it refuses
// every later one (SQLSTATE 25P02) until the transaction ends or rolls
// back to a savepoint made before the failure, and turns the commit into
// a rollback. ormc refuses them itself, wrapping the first failure, so
// that a function that swallows an error, a serialization failure say,
// and returns nil makes Tx fail with an error that matches the failure
// (and is retried when it is retryable) instead of a bare "commit
// unexpectedly resulted in rollback". A Tx nested in the failed
// transaction rolls back to its savepoint, which ends the abort, and
// returns the error. MySQL and SQLite roll back only a failed statement
// that did not end the transaction, and the transaction goes on.
//
// The error still matches the one that aborted the transaction, so a
// transaction run with a RetryPolicy is retried when that error is
// retryable.
var ErrTxAborted = errors.New("ormc: transaction aborted")

// txState is what the statements of one transaction, its savepoints
// included, share. It is safe for concurrent use, though a transaction
// is not.
type txState struct {
	// ended is set once the database has rolled back the whole
	// transaction: for good.
	ended atomic.Pointer[error]
	// failed is set once a statement has failed in a transaction the
	// database then refuses statements in (PostgreSQL), until a rollback
	// to a savepoint clears it.
	failed atomic.Pointer[error]
}

// abort marks the transaction ended by cause, unless it already is, and
// returns the error wrapping ErrTxAborted.
func (s *txState) abort(cause error) error {
	err := fmt.Errorf("%w (its statements are refused until it ends): %w", ErrTxAborted, cause)
	if !s.ended.CompareAndSwap(nil, &err) {
		return *s.ended.Load()
	}
	return err
}

// fail marks the transaction failed by cause, unless it already is.
func (s *txState) fail(cause error) {
	err := fmt.Errorf("%w (its statements are refused until it rolls back, or back to a savepoint): %w", ErrTxAborted, cause)
	s.failed.CompareAndSwap(nil, &err)
}

// recovered clears the failure, after a rollback to a savepoint made
// before it.
func (s *txState) recovered() { s.failed.Store(nil) }

// aborted returns the error wrapping ErrTxAborted, or nil while the
// transaction can run statements. A nil *txState (outside a transaction)
// can.
func (s *txState) aborted() error {
	if err := s.gone(); err != nil {
		return err
	}
	if s != nil {
		if p := s.failed.Load(); p != nil {
			return *p
		}
	}
	return nil
}

// gone returns the error wrapping ErrTxAborted when the database has
// rolled back the whole transaction, or nil.
func (s *txState) gone() error {
	if s == nil {
		return nil
	}
	if p := s.ended.Load(); p != nil {
		return *p
	}
	return nil
}

// noteAbort records what err, met by one of db's statements inside a
// transaction, did to the transaction, and returns the error the
// statement reports: err, or, when the statement ended the whole
// transaction, err wrapped with ErrTxAborted.
//
// The transaction has ended when the driver says so, or when the
// statement's context ended while it ran: a cancelled statement ends its
// transaction on every database, whatever the savepoints: MySQL's
// connection is killed, SQLite rolls back the transaction of an
// interrupted write, and PostgreSQL's session is ended. It has failed,
// until a rollback to a savepoint, when the driver says any failed
// statement fails the transaction (see Driver.TxFailed).
func (db *DB) noteAbort(ctx context.Context, err error) error {
	if db.txs == nil || err == nil {
		return err
	}
	switch {
	case ctx.Err() != nil, db.driver.TxAborted != nil && db.driver.TxAborted(err):
		return db.txs.abort(err)
	case db.driver.TxFailed != nil && db.driver.TxFailed(err):
		db.txs.fail(err)
	}
	return err
}

// ---------------------------------------------------------------------------
// Transactions and savepoints

// TxOptions are the options of a transaction.
type TxOptions struct {
	// Isolation is the isolation level; sql.LevelDefault for the
	// database's default. LevelSnapshot means LevelRepeatableRead (what
	// PostgreSQL and MySQL give at that level is snapshot isolation) and
	// LevelLinearizable LevelSerializable, on every database;
	// LevelWriteCommitted is refused with ErrUnsupported. SQLite runs every
	// transaction serializably, whatever the level.
	Isolation sql.IsolationLevel
	// ReadOnly makes the transaction refuse writes, on every database
	// (on SQLite with PRAGMA query_only, for the transaction's connection).
	ReadOnly bool
	// Retry, when not nil, makes Tx run the transaction again, from the
	// start, when it fails with an error the driver says is worth retrying
	// (a serialization failure or a deadlock). It is ignored by a Tx
	// nested in another, which runs in a savepoint.
	Retry *RetryPolicy
}

// Tx runs fn in a transaction: it commits when fn returns nil and rolls
// back when fn returns an error, panics (re-raising the panic) or calls
// runtime.Goexit, as t.Fatal does. Inside a
// transaction, Tx uses a savepoint, so a failed nested call rolls back only
// its own work, unless the database rolled back the whole transaction (a
// MySQL deadlock does): then every later statement and the commit fail
// with an error wrapping ErrTxAborted, and nothing of it is committed. On
// PostgreSQL any failed statement does the same until the savepoint it
// ran in is rolled back: a function that returns nil after one fails, in
// a nested Tx as in the outer (see ErrTxAborted).
//
// With opts[0].Retry set, a transaction that fails with an error the
// driver deems retryable (a serialization failure or a deadlock) is rolled
// back and fn is run again, in a new transaction, after the policy's
// backoff; fn must therefore have no effects outside the transaction that
// it cannot repeat. Retries stop when ctx ends.
func (db *DB) Tx(ctx context.Context, fn func(tx *DB) error, opts ...TxOptions) error {
	if db.tx != nil {
		return db.savepoint(ctx, fn)
	}
	var o TxOptions
	if len(opts) > 0 {
		o = opts[0]
	}
	if o.Retry == nil {
		return db.txOnce(ctx, fn, o)
	}
	return o.Retry.run(ctx, db.Retryable, func() error { return db.txOnce(ctx, fn, o) })
}

// isolation maps the levels of database/sql that are other names for a
// standard one to it, so that every driver sees one of the four SQL
// levels: snapshot isolation is what PostgreSQL and MySQL give at
// REPEATABLE READ, and a serializable transaction is linearizable.
func isolation(l sql.IsolationLevel) (sql.IsolationLevel, error) {
	switch l {
	case sql.LevelSnapshot:
		return sql.LevelRepeatableRead, nil
	case sql.LevelLinearizable:
		return sql.LevelSerializable, nil
	case sql.LevelWriteCommitted:
		return 0, fmt.Errorf("%w: isolation level %s", ErrUnsupported, l)
	}
	return l, nil
}

// txOnce runs fn in one transaction.
func (db *DB) txOnce(ctx context.Context, fn func(tx *DB) error, o TxOptions) error {
	if err := db.ready(ctx, nil); err != nil {
		return err
	}
	if err := db.life.enter(); err != nil {
		return err
	}
	defer db.life.leave()
	defer db.rescuePanic()
	level, err := isolation(o.Isolation)
	if err != nil {
		return err
	}
	// An engine that has not every level says so (TiDB has neither READ
	// UNCOMMITTED nor SERIALIZABLE).
	if p, ok := db.dialect.(dialect.Profile); ok && !p.IsolationLevel(level) {
		return fmt.Errorf("%w: isolation level %s on %s", ErrUnsupported, level, p.Engine())
	}
	if p, ok := db.dialect.(dialect.Profile); ok && o.ReadOnly && !p.ReadOnlyTx() {
		return fmt.Errorf("%w: a read-only transaction on %s", ErrUnsupported, p.Engine())
	}
	var tc driver.Tx
	err = db.control(ctx, "BEGIN", func() (err error) {
		tc, err = db.pool.Begin(ctx, driver.BeginOptions{Isolation: level, ReadOnly: o.ReadOnly})
		return err
	})
	if err != nil {
		return fmt.Errorf("ormc: begin transaction: %w", err)
	}
	child := *db
	child.querier, child.tx, child.depth, child.txs = tc, tc, 1, new(txState)
	child.conn = &oneConn{what: "a transaction"}
	bg := context.WithoutCancel(ctx)
	rollback := func() error { return db.control(ctx, "ROLLBACK", func() error { return tc.Rollback(bg) }) }
	returned := false
	defer func() {
		// fn panicked, or called runtime.Goexit (as t.Fatal does): roll
		// back, so the connection goes back to the pool.
		if !returned {
			p := recover()
			_ = rollback()
			if p != nil {
				panic(db.hidePanic(p))
			}
		}
	}()
	err = fn(&child)
	returned = true
	aborted := child.txs.aborted()
	if err == nil {
		// fn carried on after a statement that aborted the transaction,
		// ignoring its error: commit nothing.
		err = aborted
	}
	if err == nil {
		// Rows left open would make the commit fail, or wait for them.
		err = child.conn.idle()
	}
	if err != nil {
		// The rollback of an aborted transaction may fail, there being
		// nothing left to roll back: that is no news.
		if rerr := rollback(); rerr != nil && aborted == nil {
			return errors.Join(err, fmt.Errorf("ormc: rollback: %w", rerr))
		}
		return err
	}
	if err := db.control(ctx, "COMMIT", func() error { return tc.Commit(ctx) }); err != nil {
		return fmt.Errorf("ormc: commit: %w", err)
	}
	return nil
}

// control runs a transaction control statement through the driver's own
// call, and reports it to the hook as stmt.
func (db *DB) control(ctx context.Context, stmt string, run func() error) error {
	start := time.Now()
	err := db.wrap(ctx, run())
	if db.hook != nil {
		db.hook(ctx, QueryEvent{SQL: stmt, Duration: time.Since(start), Err: err})
	}
	return err
}

func (db *DB) savepoint(ctx context.Context, fn func(tx *DB) error) error {
	name := "ormc_sp_" + strconv.Itoa(db.depth)
	if _, err := db.exec(ctx, "SAVEPOINT "+name, nil); err != nil {
		return err
	}
	child := *db
	child.depth++
	rollback := func() error {
		if db.txs.gone() != nil {
			return nil // the database rolled back the whole transaction already
		}
		// Sent even when a statement since the savepoint failed the
		// transaction (see ErrTxAborted): this is what ends that.
		bg := context.WithoutCancel(ctx)
		if err := db.conn.idle(); err != nil {
			return err
		}
		if _, err := db.send(bg, "ROLLBACK TO SAVEPOINT "+name, nil); err != nil {
			// Whatever the savepoint held is in an unknown state: let
			// nothing more of the transaction run, or commit.
			db.txs.abort(fmt.Errorf("ormc: rollback to savepoint: %w", err))
			return err
		}
		db.txs.recovered()
		_, err := db.exec(bg, "RELEASE SAVEPOINT "+name, nil)
		return err
	}
	returned := false
	defer func() {
		if !returned { // a panic or runtime.Goexit
			p := recover()
			_ = rollback()
			if p != nil {
				panic(db.hidePanic(p))
			}
		}
	}()
	err := fn(&child)
	returned = true
	if err == nil {
		// fn carried on after a statement that aborted the transaction,
		// ignoring its error: keep nothing of the savepoint, and say why.
		err = db.txs.aborted()
	}
	if err != nil {
		if rerr := rollback(); rerr != nil {
			return errors.Join(err, fmt.Errorf("ormc: rollback to savepoint: %w", rerr))
		}
		return err
	}
	_, err = db.exec(ctx, "RELEASE SAVEPOINT "+name, nil)
	return err
}

// InTx reports whether db is a transaction.
func (db *DB) InTx() bool { return db.tx != nil }
