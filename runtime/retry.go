package runtime

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/ormc/ormc/runtime/dialect"
)

// RetryPolicy says how often, and how patiently, Tx runs a transaction
// again when it fails with a retryable error: a serialization failure
// (SQLSTATE 40001), a deadlock (SQLSTATE 40P01, MySQL error 1213), or
// whatever else the driver's Retryable accepts. A lock wait timeout (MySQL
// 1205) is not retryable: waiting again would likely time out again.
type RetryPolicy struct {
	// MaxAttempts is the most times fn runs, the first included; less
	// than 1 means 1.
	MaxAttempts int
	// Backoff returns how long to wait after failed attempt n (1-based)
	// before the next; nil means DefaultBackoff.
	Backoff func(attempt int) time.Duration
}

// DefaultRetry is a policy that suits short transactions under contention:
// up to five attempts with DefaultBackoff.
var DefaultRetry = &RetryPolicy{MaxAttempts: 5}

// DefaultBackoff waits a random time up to 10ms·2^(attempt-1), at most
// one second ("full jitter"), so that transactions that collided once do
// not collide again in lockstep.
func DefaultBackoff(attempt int) time.Duration {
	ceiling := 10 * time.Millisecond << min(attempt-1, 7)
	ceiling = min(ceiling, time.Second)
	return rand.N(ceiling) + time.Millisecond
}

// Retryable reports whether err, returned by a transaction on db, is worth
// running the transaction again for, according to db's driver.
func (db *DB) Retryable(err error) bool {
	return err != nil && db.driver.Retryable != nil && db.driver.Retryable(err)
}

// run calls attempt until it succeeds, fails with an error retryable does
// not accept, the attempts run out or ctx ends. After the last attempt
// the error says how many were made.
func (p *RetryPolicy) run(ctx context.Context, retryable func(error) bool, attempt func() error) error {
	backoff := p.Backoff
	if backoff == nil {
		backoff = DefaultBackoff
	}
	for n := 1; ; n++ {
		err := attempt()
		if err == nil || !retryable(err) {
			return err
		}
		if n >= p.MaxAttempts {
			if n == 1 {
				return err
			}
			return fmt.Errorf("ormc: transaction failed %d times: %w", n, err)
		}
		t := time.NewTimer(backoff(n))
		select {
		case <-ctx.Done():
			t.Stop()
			return fmt.Errorf("ormc: transaction not retried: %w (after %w)", ctx.Err(), err)
		case <-t.C:
		}
	}
}

// writeRetry is the policy of the writes that make a transaction of their
// own to be atomic (Upsert on MySQL, UpdateOrCreate): concurrent ones on
// one new key deadlock on InnoDB, and run again they find the row.
var writeRetry = &RetryPolicy{MaxAttempts: 10}

// atomically runs fn as one unit: outside a transaction, in one of its
// own at READ COMMITTED (each statement sees the rows committed before
// it, as a search for a row another call has just inserted needs, and
// InnoDB locks no gaps), run again by writeRetry when it fails with a
// retryable error; inside one, in a savepoint, leaving a retryable
// failure to the caller's RetryPolicy: on MySQL it has rolled back the
// whole transaction (see ErrTxAborted), which only running all of it
// again can mend.
func (db *DB) atomically(ctx context.Context, fn func(tx *DB) error) error {
	if db.InTx() {
		return db.Tx(ctx, fn)
	}
	if p, ok := db.dialect.(dialect.Profile); ok && !p.IsolationLevel(sql.LevelReadCommitted) {
		// The engine's default (Vitess over MariaDB, REPEATABLE READ):
		// more gaps locked, so more deadlocks, and a search after a
		// unique violation reads the transaction's snapshot, without the
		// row another call has just inserted. writeRetry runs both again,
		// in a new transaction, which sees that row.
		retryable := func(err error) bool {
			var ce *ConstraintError
			return db.Retryable(err) || errors.As(err, &ce) && ce.Kind == UniqueViolation
		}
		return writeRetry.run(ctx, retryable, func() error { return db.Tx(ctx, fn) })
	}
	return db.Tx(ctx, fn, TxOptions{Isolation: sql.LevelReadCommitted, Retry: writeRetry})
}
