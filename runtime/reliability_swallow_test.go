package runtime_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/ormc/ormc/internal/testdb"
	"github.com/ormc/ormc/runtime"
	sqlitelib "modernc.org/sqlite"
)

// A transaction function that swallows the error of one of its statements
// and goes on must not commit what the database will not: PostgreSQL
// refuses every statement after a failed one and turns the commit into a
// rollback, so ormc refuses them itself, with an error wrapping
// ErrTxAborted and the failure, which a RetryPolicy sees.

// TestReliabilityTxSwallowedConflict: T1 loses a race to T2 and swallows
// the error, returning nil. On PostgreSQL the race is a write skew between
// two SERIALIZABLE transactions (T2 commits first, T1's insert fails with
// 40001); on MariaDB a deadlock (1213). Without a retry policy T1's Tx
// fails with an error wrapping ErrTxAborted and matching the code, which
// Retryable accepts, and nothing of T1 is kept; with one, T1 runs again
// and commits. Before, PostgreSQL's Tx returned "commit unexpectedly
// resulted in rollback", unretryable, and a policy made one attempt.
func TestReliabilityTxSwallowedConflict(t *testing.T) {
	serverDialects(t, func(t *testing.T, url string) {
		db, orders := openKW(t, url)
		ctx := context.Background()
		pg := db.Dialect().Name() == "postgres"
		for _, retry := range []*runtime.RetryPolicy{nil, quickRetry} {
			if _, err := orders.DeleteAll(ctx); err != nil {
				t.Fatal(err)
			}
			var ids []int64
			for _, s := range []string{"a", "b", "e1", "e2", "e3", "e4"} {
				r, err := orders.Create(ctx, &kw{Text: s})
				if err != nil {
					t.Fatal(err)
				}
				ids = append(ids, r.ID)
			}
			a, b := ids[0], ids[1]
			opts := runtime.TxOptions{Retry: retry}
			if pg {
				opts.Isolation = sql.LevelSerializable
			}
			bar := newBarrier(2)
			t2done := make(chan struct{})
			var attempts atomic.Int64
			var swallowed []error
			var err1, err2 error
			var wg sync.WaitGroup
			wg.Add(2)
			go func() {
				defer wg.Done()
				err1 = db.Tx(ctx, func(tx *runtime.DB) error {
					n := attempts.Add(1)
					m := runtime.NewQuery[*kw](tx, kwTable)
					var err error
					if pg {
						var total int64
						if total, err = m.Count(ctx); err != nil {
							return err
						}
						bar.wait(0)
						if n == 1 {
							<-t2done
						}
						_, err = m.Create(ctx, &kw{Text: fmt.Sprint("T1 saw ", total)})
					} else {
						if err := m.Update(ctx, &kw{ID: a}, kwText.Set("T1 A")); err != nil {
							return err
						}
						bar.wait(0)
						if n == 1 {
							time.Sleep(300 * time.Millisecond) // T2 waits for A first
						}
						err = m.Update(ctx, &kw{ID: b}, kwText.Set("T1 B"))
					}
					swallowed = append(swallowed, err)
					return nil // the error is swallowed
				}, opts)
			}()
			go func() {
				defer wg.Done()
				defer close(t2done)
				err2 = db.Tx(ctx, func(tx *runtime.DB) error {
					m := runtime.NewQuery[*kw](tx, kwTable)
					if pg {
						total, err := m.Count(ctx)
						if err != nil {
							return err
						}
						bar.wait(1)
						_, err = m.Create(ctx, &kw{Text: fmt.Sprint("T2 saw ", total)})
						return err
					}
					// More writes than T1, so that InnoDB makes T1 the victim.
					for _, id := range append(ids[2:], b) {
						if err := m.Update(ctx, &kw{ID: id}, kwText.Set("T2")); err != nil {
							return err
						}
					}
					bar.wait(1)
					return m.Update(ctx, &kw{ID: a}, kwText.Set("T2"))
				}, runtime.TxOptions{Isolation: opts.Isolation})
			}()
			wg.Wait()
			t.Logf("retry %v: %d attempts; swallowed %v; T1 %v; T2 %v", retry != nil, attempts.Load(), swallowed, err1, err2)
			if err2 != nil {
				t.Fatalf("T2: %v", err2)
			}
			if !conflicted(swallowed[0]) {
				t.Fatalf("T1's first attempt: want a conflict to swallow, got %v", swallowed[0])
			}
			rows, err := orders.All(ctx)
			if err != nil {
				t.Fatal(err)
			}
			var t1 []string
			for _, r := range rows {
				if len(r.Text) > 2 && r.Text[:2] == "T1" {
					t1 = append(t1, r.Text)
				}
			}
			if retry == nil {
				if !errors.Is(err1, runtime.ErrTxAborted) || !conflicted(err1) || !db.Retryable(err1) {
					t.Errorf("T1: want a retryable error wrapping ErrTxAborted and the conflict, got %v", err1)
				}
				if len(t1) != 0 {
					t.Errorf("T1 failed, yet %q were written", t1)
				}
				continue
			}
			if err1 != nil || attempts.Load() != 2 {
				t.Errorf("T1 with retries: %v after %d attempts, want success after 2", err1, attempts.Load())
			}
			want := []string{"T1 saw 7"}
			if !pg {
				want = []string{"T1 A", "T1 B"}
			}
			slices.Sort(t1)
			if !slices.Equal(t1, want) {
				t.Errorf("T1 with retries wrote %q, want %q", t1, want)
			}
		}
	})
}

// conflicted reports whether err matches a serialization failure or a
// deadlock.
func conflicted(err error) bool {
	var pe *pgconn.PgError
	return deadlocked(err) || errors.As(err, &pe) && pe.Code == "40001"
}

// TestReliabilityTxFailedStatement swallows a failed statement (a query
// of a missing table) in a transaction, and in a nested Tx.
//
// PostgreSQL: the statements that follow fail with ErrTxAborted matching
// the failure, without reaching the server, and Tx fails with it, having
// written nothing. In a nested Tx whose function returns nil, the nested
// Tx rolls back to its savepoint and returns that error; the outer
// transaction goes on and commits its own writes.
//
// MariaDB and SQLite roll back the failed statement alone: the
// transaction goes on and commits everything else.
func TestReliabilityTxFailedStatement(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		plain, orders := openKW(t, url)
		ctx := context.Background()
		var mu sync.Mutex
		var sent []string
		db := plain.Apply(runtime.WithHook(func(_ context.Context, ev runtime.QueryEvent) {
			mu.Lock()
			sent = append(sent, ev.SQL)
			mu.Unlock()
		}))
		pg := db.Dialect().Name() == "postgres"
		const missing = `SELECT * FROM no_such_table`
		stored := func() []string {
			t.Helper()
			rows, err := orders.OrderBy(kwID.Asc()).All(ctx)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, r := range rows {
				out = append(out, r.Text)
			}
			if _, err := orders.DeleteAll(ctx); err != nil {
				t.Fatal(err)
			}
			return out
		}
		failedWith := func(err error) bool {
			var pe *pgconn.PgError
			var me *mysql.MySQLError
			var se *sqlitelib.Error
			return errors.As(err, &pe) && pe.Code == "42P01" || errors.As(err, &me) && me.Number == 1146 ||
				errors.As(err, &se) && se.Code() == 1 // SQLITE_ERROR: no such table
		}

		// The transaction's own function swallows the error.
		var failErr, afterErr error
		sent = nil
		err := db.Tx(ctx, func(tx *runtime.DB) error {
			m := runtime.NewQuery[*kw](tx, kwTable)
			if _, err := m.Create(ctx, &kw{Text: "A1"}); err != nil {
				return err
			}
			_, failErr = tx.Exec(ctx, missing)
			_, afterErr = m.Create(ctx, &kw{Text: "A2"})
			return nil
		})
		t.Logf("swallowed %v; next %v; Tx %v; sent %q", failErr, afterErr, err, sent)
		if !failedWith(failErr) {
			t.Fatalf("query of a missing table: %v", failErr)
		}
		got := stored()
		if pg {
			if !errors.Is(afterErr, runtime.ErrTxAborted) || !failedWith(afterErr) {
				t.Errorf("statement after the failure: want ErrTxAborted matching 42P01, got %v", afterErr)
			}
			if !errors.Is(err, runtime.ErrTxAborted) || !failedWith(err) {
				t.Errorf("Tx: want ErrTxAborted matching 42P01, got %v", err)
			}
			if i := slices.Index(sent, missing); i < 0 || slices.ContainsFunc(sent[i+1:], isInsert) {
				t.Errorf("statements sent: %q; want no INSERT after the failure", sent)
			}
			if len(got) != 0 {
				t.Errorf("rows %q, want none", got)
			}
		} else {
			if afterErr != nil || err != nil {
				t.Errorf("next statement %v, Tx %v; want both to succeed", afterErr, err)
			}
			if !slices.Equal(got, []string{"A1", "A2"}) {
				t.Errorf("rows %q, want A1 A2", got)
			}
		}

		// A nested Tx's function swallows it.
		var nestedErr error
		afterErr = nil
		err = db.Tx(ctx, func(tx *runtime.DB) error {
			m := runtime.NewQuery[*kw](tx, kwTable)
			if _, err := m.Create(ctx, &kw{Text: "B1"}); err != nil {
				return err
			}
			nestedErr = tx.Tx(ctx, func(tx *runtime.DB) error {
				m := runtime.NewQuery[*kw](tx, kwTable)
				if _, err := m.Create(ctx, &kw{Text: "B2"}); err != nil {
					return err
				}
				_, failErr = tx.Exec(ctx, missing)
				return nil
			})
			_, afterErr = m.Create(ctx, &kw{Text: "B3"})
			return afterErr
		})
		t.Logf("nested: swallowed %v; nested Tx %v; next %v; Tx %v", failErr, nestedErr, afterErr, err)
		if err != nil {
			t.Errorf("Tx: %v", err)
		}
		got = stored()
		if pg {
			if !errors.Is(nestedErr, runtime.ErrTxAborted) || !failedWith(nestedErr) {
				t.Errorf("nested Tx: want ErrTxAborted matching 42P01, got %v", nestedErr)
			}
			if !slices.Equal(got, []string{"B1", "B3"}) {
				t.Errorf("rows %q, want B1 B3 (the savepoint rolled back)", got)
			}
		} else {
			if nestedErr != nil {
				t.Errorf("nested Tx: %v", nestedErr)
			}
			if !slices.Equal(got, []string{"B1", "B2", "B3"}) {
				t.Errorf("rows %q, want B1 B2 B3", got)
			}
		}

		// Savepoints nest: a failure two levels down, returned by the
		// inner function and swallowed by the middle one.
		var innerErr error
		nestedErr = nil
		err = db.Tx(ctx, func(tx *runtime.DB) error {
			m := runtime.NewQuery[*kw](tx, kwTable)
			if _, err := m.Create(ctx, &kw{Text: "C1"}); err != nil {
				return err
			}
			nestedErr = tx.Tx(ctx, func(tx *runtime.DB) error {
				m := runtime.NewQuery[*kw](tx, kwTable)
				if _, err := m.Create(ctx, &kw{Text: "C2"}); err != nil {
					return err
				}
				innerErr = tx.Tx(ctx, func(tx *runtime.DB) error {
					_, err := tx.Exec(ctx, missing)
					return err
				})
				_, err := m.Create(ctx, &kw{Text: "C3"})
				return err
			})
			_, err := m.Create(ctx, &kw{Text: "C4"})
			return err
		})
		t.Logf("two levels: inner %v; middle %v; Tx %v", innerErr, nestedErr, err)
		if !failedWith(innerErr) || errors.Is(innerErr, runtime.ErrTxAborted) {
			t.Errorf("inner Tx: want the failure itself, got %v", innerErr)
		}
		if nestedErr != nil || err != nil {
			t.Errorf("middle Tx %v, Tx %v; want both to succeed (the inner savepoint rolled back)", nestedErr, err)
		}
		if got := stored(); !slices.Equal(got, []string{"C1", "C2", "C3", "C4"}) {
			t.Errorf("rows %q, want C1 C2 C3 C4", got)
		}
	})
}

func isInsert(sql string) bool { return len(sql) >= 6 && sql[:6] == "INSERT" }
