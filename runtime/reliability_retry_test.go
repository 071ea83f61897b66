package runtime_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/ormc/ormc/internal/testdb"
	"github.com/ormc/ormc/runtime"
	"github.com/ormc/ormc/runtime/dialect"
	"github.com/ormc/ormc/runtime/driver"
	sqlitedrv "github.com/ormc/ormc/runtime/driver/sqlite"
)

// barrier lets n goroutines wait for each other once; later calls return
// at once, so a retried transaction does not wait again.
type barrier struct {
	wg   sync.WaitGroup
	once []sync.Once
}

func newBarrier(n int) *barrier {
	b := &barrier{once: make([]sync.Once, n)}
	b.wg.Add(n)
	return b
}

func (b *barrier) wait(i int) {
	b.once[i].Do(func() {
		b.wg.Done()
		b.wg.Wait()
	})
}

// quickRetry retries soon, so the tests run fast.
var quickRetry = &runtime.RetryPolicy{MaxAttempts: 5, Backoff: func(int) time.Duration { return 5 * time.Millisecond }}

// TestReliabilityRetrySerializable runs two SERIALIZABLE transactions on
// PostgreSQL that each read the table's total and insert a row holding
// it: a write skew, so one fails with SQLSTATE 40001. With a retry policy
// both commit, in some serial order, one after a second attempt.
func TestReliabilityRetrySerializable(t *testing.T) {
	url := testdb.Fresh(t, testdb.Dialects[1])
	db, orders := openKW(t, url)
	ctx := context.Background()
	for _, retry := range []*runtime.RetryPolicy{nil, quickRetry} {
		if _, err := db.Exec(ctx, `DELETE FROM "order"`); err != nil {
			t.Fatal(err)
		}
		b := newBarrier(2)
		var attempts atomic.Int64
		errs := make([]error, 2)
		var wg sync.WaitGroup
		for i := range 2 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs[i] = db.Tx(ctx, func(tx *runtime.DB) error {
					attempts.Add(1)
					n, err := runtime.NewQuery[*kw](tx, kwTable).Count(ctx)
					if err != nil {
						return err
					}
					b.wait(i)
					_, err = runtime.NewQuery[*kw](tx, kwTable).Create(ctx, &kw{Text: fmt.Sprint(n), User: fmt.Sprint(i)})
					return err
				}, runtime.TxOptions{Isolation: sql.LevelSerializable, Retry: retry})
			}()
		}
		wg.Wait()
		if retry == nil {
			failed := 0
			for _, err := range errs {
				var pe *pgconn.PgError
				if errors.As(err, &pe) && pe.Code == "40001" && db.Retryable(err) {
					failed++
				} else if err != nil {
					t.Errorf("without retry: %v", err)
				}
			}
			if failed != 1 {
				t.Fatalf("without retry: want one serialization failure, got %v", errs)
			}
			continue
		}
		for _, err := range errs {
			if err != nil {
				t.Errorf("with retry: %v", err)
			}
		}
		if a := attempts.Load(); a != 3 {
			t.Errorf("with retry: %d attempts, want 3", a)
		}
		rows, err := orders.OrderBy(kwID.Asc()).All(ctx)
		if err != nil || len(rows) != 2 || rows[0].Text != "0" || rows[1].Text != "1" {
			t.Errorf("with retry: rows %v, %v; want totals 0 then 1", rows, err)
		}
	}
}

// TestReliabilityRetryDeadlock makes a real deadlock on MariaDB, TiDB and
// Vitess: two transactions update rows A and B in opposite orders. The
// server rolls one back with error 1213; with a retry policy it runs
// again and both commit. A lock wait timeout (1205) is not retried, but
// behind Vitess.
func TestReliabilityRetryDeadlock(t *testing.T) {
	for _, d := range testdb.Dialects {
		if d.Dialect == "mysql" {
			// Lock waits time out after 1 s: set for the session before
			// any transaction, which TiDB heeds (a SET inside the
			// transaction it sometimes did not, waiting its default 50 s).
			t.Run(d.Name, func(t *testing.T) {
				retryDeadlock(t, withParam(testdb.Fresh(t, d), "innodb_lock_wait_timeout", "1"))
			})
		}
	}
}

func retryDeadlock(t *testing.T, url string) {
	db, orders := openKW(t, url)
	ctx := context.Background()
	a, err := orders.Create(ctx, &kw{Text: "a"})
	if err != nil {
		t.Fatal(err)
	}
	bRow, err := orders.Create(ctx, &kw{Text: "b"})
	if err != nil {
		t.Fatal(err)
	}
	for _, retry := range []*runtime.RetryPolicy{nil, quickRetry} {
		bar := newBarrier(2)
		var attempts atomic.Int64
		errs := make([]error, 2)
		var wg sync.WaitGroup
		for i := range 2 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				first, second := a.ID, bRow.ID
				if i == 1 {
					first, second = second, first
				}
				errs[i] = db.Tx(ctx, func(tx *runtime.DB) error {
					attempts.Add(1)
					m := runtime.NewQuery[*kw](tx, kwTable)
					if err := m.Update(ctx, &kw{ID: first}, kwText.Set(fmt.Sprint("by ", i))); err != nil {
						return err
					}
					bar.wait(i)
					return m.Update(ctx, &kw{ID: second}, kwText.Set(fmt.Sprint("by ", i)))
				}, runtime.TxOptions{Retry: retry})
			}()
		}
		wg.Wait()
		if retry == nil {
			deadlocks := 0
			for _, err := range errs {
				var me *mysql.MySQLError
				if errors.As(err, &me) && me.Number == 1213 && db.Retryable(err) {
					deadlocks++
				} else if err != nil {
					t.Errorf("without retry: %v", err)
				}
			}
			if deadlocks != 1 {
				t.Fatalf("without retry: want one deadlock, got %v", errs)
			}
			continue
		}
		for _, err := range errs {
			if err != nil {
				t.Errorf("with retry: %v", err)
			}
		}
		if n := attempts.Load(); n != 3 {
			t.Errorf("with retry: %d attempts, want 3", n)
		}
		ra, _ := orders.Get(ctx, kwID.Eq(a.ID))
		rb, _ := orders.Get(ctx, kwID.Eq(bRow.ID))
		if ra == nil || rb == nil || ra.Text != rb.Text {
			t.Errorf("with retry: rows %+v and %+v: one transaction's writes must win both", ra, rb)
		}
	}

	// Lock wait timeout: not retried.
	holder, err := db.Query(ctx, "SELECT 1") // warm the pool
	if err != nil {
		t.Fatal(err)
	}
	holder.Close()
	locked := make(chan struct{})
	release := make(chan struct{})
	go func() {
		_ = db.Tx(ctx, func(tx *runtime.DB) error {
			if err := runtime.NewQuery[*kw](tx, kwTable).Update(ctx, &kw{ID: a.ID}, kwText.Set("held")); err != nil {
				return err
			}
			close(locked)
			<-release
			return nil
		})
	}()
	<-locked
	var attempts int
	err = db.Tx(ctx, func(tx *runtime.DB) error {
		attempts++
		return runtime.NewQuery[*kw](tx, kwTable).Update(ctx, &kw{ID: a.ID}, kwText.Set("waiter"))
	}, runtime.TxOptions{Retry: quickRetry})
	close(release)
	// Behind Vitess it is: a deadlock across shards ends in one
	// (lang/spec.md's engine table), so the policy runs out.
	want := 1
	if p, ok := db.Dialect().(dialect.Profile); ok && p.Engine() == dialect.Vitess {
		want = quickRetry.MaxAttempts
	}
	var me *mysql.MySQLError
	if !errors.As(err, &me) || me.Number != 1205 || attempts != want {
		t.Errorf("lock wait timeout: %d attempts, %v; want %d and error 1205", attempts, err, want)
	}
}

// errConflict stands for a serialization failure in the policy tests.
var errConflict = errors.New("conflict")

// conflictDriver is SQLite's driver, deeming errConflict retryable.
var conflictDriver = func() *driver.Driver {
	d := *sqlitedrv.Driver
	d.Retryable = func(err error) bool { return errors.Is(err, errConflict) }
	return &d
}()

// TestReliabilityRetryPolicy checks the policy itself: attempts are
// bounded, the backoff is asked after each failure, other errors and
// nested transactions are not retried, and a context ending during the
// backoff stops the retries at once.
func TestReliabilityRetryPolicy(t *testing.T) {
	ctx := context.Background()
	db, err := runtime.Open(ctx, "sqlite:///"+t.TempDir()+"/r.db", conflictDriver)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := runtime.ExecAll(ctx, db, []string{createKW["sqlite"]}); err != nil {
		t.Fatal(err)
	}
	orders := runtime.NewQuery[*kw](db, kwTable)
	var waits []int
	policy := &runtime.RetryPolicy{MaxAttempts: 4, Backoff: func(n int) time.Duration { waits = append(waits, n); return time.Millisecond }}

	// Fails twice, then commits: only the last attempt's row is kept.
	n := 0
	err = db.Tx(ctx, func(tx *runtime.DB) error {
		n++
		if _, err := runtime.NewQuery[*kw](tx, kwTable).Create(ctx, &kw{Text: fmt.Sprint(n)}); err != nil {
			return err
		}
		if n < 3 {
			return fmt.Errorf("attempt %d: %w", n, errConflict)
		}
		return nil
	}, runtime.TxOptions{Retry: policy})
	if err != nil || n != 3 || fmt.Sprint(waits) != "[1 2]" {
		t.Errorf("retried: %v after %d attempts, waits %v", err, n, waits)
	}
	if rows, err := orders.All(ctx); err != nil || len(rows) != 1 || rows[0].Text != "3" {
		t.Errorf("rows after retries: %v, %v", rows, err)
	}

	// Always fails: MaxAttempts attempts, then the last error.
	n = 0
	err = db.Tx(ctx, func(*runtime.DB) error { n++; return errConflict }, runtime.TxOptions{Retry: policy})
	if !errors.Is(err, errConflict) || n != 4 {
		t.Errorf("exhausted: %v after %d attempts", err, n)
	}
	// Not retryable, or no policy: one attempt.
	for _, tc := range []struct {
		err    error
		policy *runtime.RetryPolicy
	}{{errors.New("other"), policy}, {errConflict, nil}, {errConflict, &runtime.RetryPolicy{}}} {
		n = 0
		err = db.Tx(ctx, func(*runtime.DB) error { n++; return tc.err }, runtime.TxOptions{Retry: tc.policy})
		if !errors.Is(err, tc.err) || n != 1 {
			t.Errorf("%v with policy %+v: %v after %d attempts", tc.err, tc.policy, err, n)
		}
	}
	// Nested: the savepoint is not retried, the outer transaction is.
	inner, outer := 0, 0
	err = db.Tx(ctx, func(tx *runtime.DB) error {
		outer++
		err := tx.Tx(ctx, func(*runtime.DB) error { inner++; return errConflict }, runtime.TxOptions{Retry: policy})
		if outer < 2 {
			return err
		}
		return nil
	}, runtime.TxOptions{Retry: policy})
	if err != nil || inner != 2 || outer != 2 {
		t.Errorf("nested: %v, inner %d, outer %d attempts", err, inner, outer)
	}
	// The context ends during the backoff: Tx returns at once with its error.
	cctx, cancel := context.WithCancel(ctx)
	slow := &runtime.RetryPolicy{MaxAttempts: 10, Backoff: func(int) time.Duration { cancel(); return time.Hour }}
	start := time.Now()
	err = db.Tx(cctx, func(*runtime.DB) error { return errConflict }, runtime.TxOptions{Retry: slow})
	if !errors.Is(err, context.Canceled) || !errors.Is(err, errConflict) || time.Since(start) > time.Second {
		t.Errorf("cancelled backoff: %v after %v", err, time.Since(start))
	}
	// DefaultBackoff stays within its bounds.
	for a := 1; a < 20; a++ {
		if d := runtime.DefaultBackoff(a); d <= 0 || d > time.Second+time.Millisecond {
			t.Errorf("DefaultBackoff(%d) = %v", a, d)
		}
	}
}
