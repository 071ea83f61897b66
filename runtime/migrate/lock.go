package migrate

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/ormc/ormc/runtime"
	"github.com/ormc/ormc/runtime/dialect"
)

// session is what the applier does differently per dialect, beyond the
// capabilities dialect.Dialect names (AdvisoryLocks, TransactionalDDL):
// the SQL of the migration lock and the error of a lock wait that timed
// out. Keyed by dialect name, as inspect's readers are; TestEveryDialect
// fails when one of dialect.All has none.
type session struct {
	// tryLock returns one row and column, 1 when the session took the
	// migration lock, within a second at most; unlock releases it.
	// Both "" where the dialect has no advisory locks: there a
	// migration's transaction (SQLite's BEGIN IMMEDIATE) is the lock.
	tryLock, unlock string
	// waitsInside: tryLock waits up to a second on the server itself
	// (GET_LOCK's timeout), so the applier polls it without sleeping.
	waitsInside bool
	// lockTimedOut reports whether a step failed because it waited for a
	// table lock longer than the session's lock_timeout, so that running
	// it again later may succeed. Nil: no step is retried.
	lockTimedOut func(error) bool
	// busy reports whether BEGIN failed because another connection held
	// the write lock longer than the driver's busy timeout (SQLite's
	// SQLITE_BUSY), so that the applier tries again until its context
	// ends. Nil where the lock is an advisory lock.
	busy func(error) bool
}

// The lock is one per database (MySQL: per server, so named after the
// database) and, on PostgreSQL, per schema, the ledger's.
const (
	pgLockClass = 0x6f726d63 // "ormc"
	pgLockKey   = "hashtext(coalesce(current_schema(), ''))"
	mysqlLock   = "CONCAT('ormc_migrate.', SHA1(COALESCE(DATABASE(), '')))"
)

var sessions = map[string]session{
	dialect.Postgres.Name(): {
		tryLock:      fmt.Sprintf("SELECT CASE WHEN pg_try_advisory_lock(%d, %s) THEN 1 ELSE 0 END", pgLockClass, pgLockKey),
		unlock:       fmt.Sprintf("SELECT pg_advisory_unlock(%d, %s)", pgLockClass, pgLockKey),
		lockTimedOut: func(err error) bool { return sqlState(err) == "55P03" }, // lock_not_available
	},
	dialect.MySQL.Name(): {
		// GET_LOCK alone FROM dual, which is all vtgate (Vitess) takes
		// of it; its NULL (an error, as the lock's session being
		// killed) is not 1, as lock reads it.
		tryLock:     "SELECT GET_LOCK(" + mysqlLock + ", 1) FROM dual",
		unlock:      "SELECT RELEASE_LOCK(" + mysqlLock + ") FROM dual",
		waitsInside: true,
	},
	dialect.SQLite.Name(): {
		busy: func(err error) bool {
			var e interface{ Code() int }
			return errors.As(err, &e) && e.Code()&0xff == 5 // SQLITE_BUSY
		},
	},
}

// sqlState returns the SQLSTATE of a PostgreSQL error, "" for any other.
func sqlState(err error) string {
	var e interface{ SQLState() string }
	if errors.As(err, &e) {
		return e.SQLState()
	}
	return ""
}

// pollInterval is the most a PostgreSQL applier sleeps between two tries
// of the lock (jittered, so that waiting processes do not try together).
const pollInterval = 200 * time.Millisecond

// lock takes the migration lock on the session s, trying until it has it
// or ctx ends: then the error wraps ErrLocked and ctx's error.
func (ss session) lock(ctx context.Context, s *runtime.DB) error {
	for {
		var got sql.NullInt64
		rows, err := s.Query(ctx, ss.tryLock)
		if err == nil {
			if rows.Next() {
				err = rows.Scan(&got)
			}
			if cerr := rows.Close(); err == nil {
				err = cerr
			}
		}
		if err != nil {
			if cerr := ctx.Err(); cerr != nil {
				return fmt.Errorf("%w: %w", ErrLocked, cerr)
			}
			// TiDB keeps GET_LOCK's locks in its own transactions, which
			// can time out or conflict when many sessions want the lock:
			// the lock is not taken, so try again.
			if !s.Retryable(err) && !errors.Is(err, runtime.ErrLockNotAvailable) {
				return fmt.Errorf("ormc: take the migration lock: %w", err)
			}
		}
		if err == nil && got.Valid && got.Int64 == 1 {
			return nil
		}
		if ss.waitsInside && err == nil {
			if err := ctx.Err(); err != nil {
				return fmt.Errorf("%w: %w", ErrLocked, err)
			}
			continue
		}
		t := time.NewTimer(pollInterval/2 + rand.N(pollInterval/2))
		select {
		case <-ctx.Done():
			t.Stop()
			return fmt.Errorf("%w: %w", ErrLocked, ctx.Err())
		case <-t.C:
		}
	}
}

// release releases the lock, even when ctx has ended (the applier's
// caller gave up, or a step failed): left held, it would keep every other
// process from migrating until the session ends (prisma#12999). The
// session is discarded afterwards anyway, which releases it too.
func (ss session) release(ctx context.Context, s *runtime.DB) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if _, err := s.Exec(ctx, ss.unlock); err != nil {
		return fmt.Errorf("ormc: release the migration lock: %w", err)
	}
	return nil
}

// whileBusy runs fn until it does not fail with ss.busy, or ctx ends; a
// statement that waits for SQLite's write lock fails so after the busy
// timeout, while the process holding the lock may migrate for longer.
func (ss session) whileBusy(ctx context.Context, fn func() error) error {
	for {
		err := fn()
		if err == nil || ss.busy == nil || !ss.busy(err) {
			return err
		}
		if ctx.Err() != nil {
			return fmt.Errorf("%w: %w", ErrLocked, err)
		}
	}
}
