package runtime

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"time"

	"github.com/ormc/ormc/runtime/dialect"
)

// QueryEvent describes one statement sent to the database.
type QueryEvent struct {
	SQL      string
	Args     []any
	Duration time.Duration // until the database answered (for queries: until rows could be read)
	Err      error
}

// Hook observes every statement; it must be safe for concurrent use. It is
// called after the statement ran, on the calling goroutine.
type Hook func(ctx context.Context, ev QueryEvent)

// Option configures a DB.
type Option func(*DB)

// WithHook makes the DB report every statement to h.
func WithHook(h Hook) Option { return func(db *DB) { db.hook = h } }

// DB is an open database, or a transaction on one. It is safe for
// concurrent use, except that one transaction must not be used by two
// goroutines at once.
type DB struct {
	pool    Pool
	q       Querier // pool, or the transaction
	tx      TxConn  // non-nil inside a transaction
	depth   int     // transaction nesting depth: 0 outside, 1 in a transaction, 2+ in savepoints
	driver  *Driver
	dialect dialect.Dialect
	hook    Hook
	cache   *sync.Map // *Table → *tableSQL, shared by a DB and its transactions
	text    *sqlText  // statement texts built before, shared likewise
	secrets []string  // the passwords of the URL it was opened with, hidden from errors
	// txs is shared by a transaction and its savepoints; nil outside one.
	txs *txState
}

// NewDB wraps an open pool. Most users call Open instead.
func NewDB(pool Pool, driver *Driver, opts ...Option) *DB {
	db := &DB{pool: pool, q: pool, driver: driver, dialect: driver.Dialect, cache: new(sync.Map), text: new(sqlText)}
	for _, o := range opts {
		o(db)
	}
	return db
}

// Apply returns a copy of db with the options applied.
func (db *DB) Apply(opts ...Option) *DB {
	c := *db
	for _, o := range opts {
		o(&c)
	}
	return &c
}

// Dialect returns the database's SQL dialect.
func (db *DB) Dialect() dialect.Dialect { return db.dialect }

// Close closes the pool. Calling it inside a transaction is an error.
func (db *DB) Close() error {
	if db.tx != nil {
		return errors.New("ormc: Close called inside a transaction")
	}
	return db.pool.Close()
}

// Exec runs a statement that returns no rows.
func (db *DB) Exec(ctx context.Context, query string, args ...any) (Result, error) {
	return db.exec(ctx, query, args)
}

// Query runs a statement that returns rows, for SQL that the generated
// client does not write. The caller must close the rows.
func (db *DB) Query(ctx context.Context, query string, args ...any) (Rows, error) {
	return db.query(ctx, query, args)
}

func (db *DB) exec(ctx context.Context, query string, args []any) (Result, error) {
	if err := ctx.Err(); err != nil {
		return Result{}, err
	}
	if err := db.txs.aborted(); err != nil {
		return Result{}, err
	}
	defer db.rescuePanic()
	start := time.Now()
	res, err := db.q.Exec(ctx, query, args)
	err = db.wrap(ctx, err)
	if db.hook != nil {
		db.hook(ctx, QueryEvent{SQL: query, Args: args, Duration: time.Since(start), Err: err})
	}
	return res, err
}

func (db *DB) query(ctx context.Context, query string, args []any) (Rows, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := db.txs.aborted(); err != nil {
		return nil, err
	}
	defer db.rescuePanic()
	start := time.Now()
	rows, err := db.q.Query(ctx, query, args)
	err = db.wrap(ctx, err)
	if db.hook != nil {
		db.hook(ctx, QueryEvent{SQL: query, Args: args, Duration: time.Since(start), Err: err})
	}
	if err != nil {
		return nil, err
	}
	return &dbRows{Rows: rows, ctx: ctx, db: db}, nil
}

// wrap turns a driver's error into the one the caller sees: a constraint
// violation becomes a *ConstraintError, the URL's password is hidden, and
// an error caused by ctx ending satisfies errors.Is(err, ctx.Err()), which
// the drivers do not all ensure (SQLite says "interrupted", MySQL may say
// "invalid connection"). An error that ended the transaction on the
// server, or a statement cancelled by its context, marks the transaction
// aborted (see ErrTxAborted).
func (db *DB) wrap(ctx context.Context, err error) error {
	if err == nil {
		return nil
	}
	err = scrub(db.classify(err), db.secrets)
	if cerr := ctx.Err(); cerr != nil && !errors.Is(err, cerr) {
		err = &ctxError{ctx: cerr, err: err}
	}
	db.noteAbort(ctx, err)
	return err
}

// classify turns a driver's constraint violation into a *ConstraintError.
func (db *DB) classify(err error) error {
	if err == nil || db.driver.Constraint == nil {
		return err
	}
	if ce := db.driver.Constraint(err); ce != nil {
		return ce
	}
	return err
}

// ctxError is a driver's error caused by its context ending: it matches
// both the context's error and the driver's.
type ctxError struct {
	ctx error // context.Canceled or context.DeadlineExceeded
	err error
}

func (e *ctxError) Error() string   { return e.ctx.Error() + ": " + e.err.Error() }
func (e *ctxError) Unwrap() []error { return []error{e.ctx, e.err} }

// dbRows reports the errors met while reading rows as DB.wrap does.
type dbRows struct {
	Rows
	ctx context.Context
	db  *DB
}

func (r *dbRows) Scan(dest ...any) error { return r.db.wrap(r.ctx, r.Rows.Scan(dest...)) }
func (r *dbRows) Err() error             { return r.db.wrap(r.ctx, r.Rows.Err()) }
func (r *dbRows) Close() error           { return r.db.wrap(r.ctx, r.Rows.Close()) }

// Tx runs fn in a transaction: it commits when fn returns nil and rolls
// back when fn returns an error or panics (re-raising the panic). Inside a
// transaction, Tx uses a savepoint, so a failed nested call rolls back only
// its own work, unless the database rolled back the whole transaction (a
// MySQL deadlock does): then every later statement and the commit fail
// with an error wrapping ErrTxAborted, and nothing of it is committed.
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

// txOnce runs fn in one transaction.
func (db *DB) txOnce(ctx context.Context, fn func(tx *DB) error, o TxOptions) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	defer db.rescuePanic()
	tc, err := db.pool.Begin(ctx, o)
	if err != nil {
		return fmt.Errorf("ormc: begin transaction: %w", db.wrap(ctx, err))
	}
	child := *db
	child.q, child.tx, child.depth, child.txs = tc, tc, 1, new(txState)
	defer func() {
		if p := recover(); p != nil {
			_ = tc.Rollback(context.WithoutCancel(ctx))
			panic(db.hidePanic(p))
		}
	}()
	err = fn(&child)
	aborted := child.txs.aborted()
	if err == nil {
		// fn carried on after a statement that aborted the transaction,
		// ignoring its error: commit nothing.
		err = aborted
	}
	if err != nil {
		// The rollback of an aborted transaction may fail, there being
		// nothing left to roll back: that is no news.
		if rerr := tc.Rollback(context.WithoutCancel(ctx)); rerr != nil && aborted == nil {
			return errors.Join(err, fmt.Errorf("ormc: rollback: %w", db.wrap(ctx, rerr)))
		}
		return err
	}
	if err := tc.Commit(ctx); err != nil {
		return fmt.Errorf("ormc: commit: %w", db.wrap(ctx, err))
	}
	return nil
}

func (db *DB) savepoint(ctx context.Context, fn func(tx *DB) error) error {
	name := "ormc_sp_" + strconv.Itoa(db.depth)
	if _, err := db.exec(ctx, "SAVEPOINT "+name, nil); err != nil {
		return err
	}
	child := *db
	child.depth++
	rollback := func() error {
		if db.txs.aborted() != nil {
			return nil // the database rolled back the whole transaction already
		}
		bg := context.WithoutCancel(ctx)
		if _, err := db.exec(bg, "ROLLBACK TO SAVEPOINT "+name, nil); err != nil {
			// Whatever the savepoint held is in an unknown state: let
			// nothing more of the transaction run, or commit.
			db.txs.abort(fmt.Errorf("ormc: rollback to savepoint: %w", err))
			return err
		}
		_, err := db.exec(bg, "RELEASE SAVEPOINT "+name, nil)
		return err
	}
	defer func() {
		if p := recover(); p != nil {
			_ = rollback()
			panic(db.hidePanic(p))
		}
	}()
	if err := fn(&child); err != nil {
		if rerr := rollback(); rerr != nil {
			return errors.Join(err, fmt.Errorf("ormc: rollback to savepoint: %w", rerr))
		}
		return err
	}
	_, err := db.exec(ctx, "RELEASE SAVEPOINT "+name, nil)
	return err
}

// InTx reports whether db is a transaction.
func (db *DB) InTx() bool { return db.tx != nil }
