package runtime_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/ormc/ormc/internal/testdb"
	"github.com/ormc/ormc/runtime"
	"github.com/ormc/ormc/runtime/dialect"
)

// A transaction the database has rolled back behind the caller's back
// must commit nothing, even when the caller handles the failed
// statement's error and goes on.

// TestReliabilityTxAbortedDeadlock makes a deadlock inside a nested Tx:
// T1 updates C, then, in a savepoint, A and B; T2 updates four other rows
// and B, then A. T1 waits first and has written less, so it is the victim
// on both servers. T1's function handles the nested error, as "a failed
// nested call rolls back only its own work" invites, and updates D.
//
// MariaDB rolls back all of T1 on a deadlock (1213), so there is no
// savepoint to go back to: the update of D, and T1's commit, fail with
// ErrTxAborted (matching 1213, so retryable), nothing of T1 is kept, and
// with a retry policy T1 runs again and commits whole. PostgreSQL rolls
// back only the savepoint (40P01): T1 commits C and D.
func TestReliabilityTxAbortedDeadlock(t *testing.T) {
	serverDialects(t, func(t *testing.T, url string) {
		db, orders := openKW(t, url)
		ctx := context.Background()
		mariadb := db.Dialect().Name() == "mysql"
		// TiDB makes the transaction whose wait closes the cycle the
		// victim, whatever it wrote (InnoDB weighs the writes, PostgreSQL
		// aborts the one that waited first): there T1 closes it.
		t1Closes := false
		if p, ok := db.Dialect().(dialect.Profile); ok && p.Engine() == dialect.TiDB {
			t1Closes = true
		}
		pause := func(closer bool) {
			if closer {
				time.Sleep(300 * time.Millisecond) // the other waits first
			}
		}
		for _, retry := range []*runtime.RetryPolicy{nil, quickRetry} {
			if _, err := orders.DeleteAll(ctx); err != nil {
				t.Fatal(err)
			}
			var ids []int64
			for _, s := range []string{"c", "a", "b", "d", "e1", "e2", "e3", "e4"} {
				r, err := orders.Create(ctx, &kw{Text: s})
				if err != nil {
					t.Fatal(err)
				}
				ids = append(ids, r.ID)
			}
			c, a, b, d := ids[0], ids[1], ids[2], ids[3]
			bar := newBarrier(2)
			var nestedErrs, dErrs []error
			var outerErr, otherErr error
			var wg sync.WaitGroup
			wg.Add(2)
			go func() {
				defer wg.Done()
				outerErr = db.Tx(ctx, func(tx *runtime.DB) error {
					m := runtime.NewQuery[*kw](tx, kwTable)
					if err := m.Update(ctx, &kw{ID: c}, kwText.Set("T1 C")); err != nil {
						return err
					}
					nestedErrs = append(nestedErrs, tx.Tx(ctx, func(tx *runtime.DB) error {
						m := runtime.NewQuery[*kw](tx, kwTable)
						if err := m.Update(ctx, &kw{ID: a}, kwText.Set("T1 A")); err != nil {
							return err
						}
						bar.wait(0)
						pause(t1Closes)
						return m.Update(ctx, &kw{ID: b}, kwText.Set("T1 B"))
					}))
					err := m.Update(ctx, &kw{ID: d}, kwText.Set("T1 D"))
					dErrs = append(dErrs, err)
					return err
				}, runtime.TxOptions{Retry: retry})
			}()
			go func() {
				defer wg.Done()
				otherErr = db.Tx(ctx, func(tx *runtime.DB) error {
					m := runtime.NewQuery[*kw](tx, kwTable)
					// More writes than T1, so that InnoDB makes T1 the victim.
					for _, id := range append(ids[4:], b) {
						if err := m.Update(ctx, &kw{ID: id}, kwText.Set("T2")); err != nil {
							return err
						}
					}
					bar.wait(1)
					pause(!t1Closes) // T1 waits for B first
					return m.Update(ctx, &kw{ID: a}, kwText.Set("T2"))
				})
			}()
			wg.Wait()
			t.Logf("retry %v: nested %v; D %v; T1 %v; T2 %v", retry != nil, nestedErrs, dErrs, outerErr, otherErr)
			if otherErr != nil {
				t.Fatalf("T2 failed: %v", otherErr)
			}
			got := map[int64]string{}
			rows, err := orders.All(ctx)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range rows {
				got[r.ID] = r.Text
			}
			if !deadlocked(nestedErrs[0]) {
				t.Fatalf("nested Tx: want a deadlock, got %v", nestedErrs[0])
			}
			switch {
			case mariadb && retry == nil:
				if !errors.Is(dErrs[0], runtime.ErrTxAborted) || !deadlocked(dErrs[0]) || !db.Retryable(dErrs[0]) {
					t.Errorf("update after the deadlock: want ErrTxAborted matching 1213, got %v", dErrs[0])
				}
				if !errors.Is(outerErr, runtime.ErrTxAborted) {
					t.Errorf("T1: want ErrTxAborted, got %v", outerErr)
				}
				want := map[int64]string{c: "c", a: "T2", b: "T2", d: "d"}
				for id, w := range want {
					if got[id] != w {
						t.Errorf("row %d: %q, want %q (nothing of T1 may be kept)", id, got[id], w)
					}
				}
			case mariadb:
				if outerErr != nil || len(nestedErrs) != 2 || nestedErrs[1] != nil {
					t.Errorf("T1 with retries: %v (nested: %v)", outerErr, nestedErrs)
				}
				want := map[int64]string{c: "T1 C", a: "T1 A", b: "T1 B", d: "T1 D"}
				for id, w := range want {
					if got[id] != w {
						t.Errorf("row %d: %q, want %q (T1 run again whole)", id, got[id], w)
					}
				}
			default: // PostgreSQL: the savepoint alone is rolled back.
				if outerErr != nil || dErrs[0] != nil || len(nestedErrs) != 1 {
					t.Errorf("T1: %v (D: %v)", outerErr, dErrs)
				}
				want := map[int64]string{c: "T1 C", a: "T2", b: "T2", d: "T1 D"}
				for id, w := range want {
					if got[id] != w {
						t.Errorf("row %d: %q, want %q", id, got[id], w)
					}
				}
			}
		}
	})
}

func deadlocked(err error) bool {
	var me *mysql.MySQLError
	var pe *pgconn.PgError
	return errors.As(err, &me) && me.Number == 1213 || errors.As(err, &pe) && pe.Code == "40P01"
}

// TestReliabilityTxAbortedInterrupt interrupts a write inside a nested Tx
// with a context of its own, and the caller goes on. SQLite rolls back
// the whole transaction of an interrupted write, MariaDB's connection is
// killed, PostgreSQL's aborted: on every database the next statement and
// the commit fail with ErrTxAborted, and nothing is committed, even when
// the function swallows that error too.
func TestReliabilityTxAbortedInterrupt(t *testing.T) {
	slowInsert := map[string]string{
		"sqlite":   `INSERT INTO "order" ("group", "user") SELECT 'slow', '' FROM (WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 1000000000) SELECT x FROM c)`,
		"postgres": `INSERT INTO "order" ("group", "user") SELECT 'slow', '' FROM generate_series(1, 1000000000)`,
		"mysql":    "INSERT INTO `order` (`group`, `user`) SELECT 'slow', '' FROM (SELECT BENCHMARK(3000000000, MD5('x'))) AS b",
	}
	testdb.Each(t, func(t *testing.T, url string) {
		db, orders := openKW(t, url)
		ctx := context.Background()
		row, err := orders.Create(ctx, &kw{Text: "c"})
		if err != nil {
			t.Fatal(err)
		}
		for _, swallow := range []bool{false, true} {
			var nestedErr, afterErr error
			err := db.Tx(ctx, func(tx *runtime.DB) error {
				m := runtime.NewQuery[*kw](tx, kwTable)
				if err := m.Update(ctx, &kw{ID: row.ID}, kwText.Set("T C")); err != nil {
					return err
				}
				nestedErr = tx.Tx(ctx, func(tx *runtime.DB) error {
					sctx, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
					defer cancel()
					slow := slowInsert[db.Dialect().Name()]
					if tidb(db) {
						slow = "INSERT INTO `order` (`group`, `user`) SELECT 'slow', '' FROM " + tidbCrossJoin
					}
					_, err := tx.Exec(sctx, slow)
					return err
				})
				_, afterErr = m.Create(ctx, &kw{Text: "T D"})
				if swallow {
					return nil
				}
				return afterErr
			})
			t.Logf("swallow %v: nested %v; next %v; Tx %v", swallow, nestedErr, afterErr, err)
			if !errors.Is(nestedErr, context.DeadlineExceeded) {
				t.Errorf("nested: want DeadlineExceeded, got %v", nestedErr)
			}
			if !errors.Is(afterErr, runtime.ErrTxAborted) || !errors.Is(err, runtime.ErrTxAborted) {
				t.Errorf("swallow %v: want ErrTxAborted from the next statement and Tx, got %v and %v", swallow, afterErr, err)
			}
			rows, err := orders.All(ctx)
			if err != nil {
				t.Fatal(err)
			}
			var texts []string
			for _, r := range rows {
				texts = append(texts, r.Text)
			}
			if len(texts) != 1 || texts[0] != "c" {
				t.Errorf("swallow %v: rows %q, want only the untouched %q", swallow, texts, "c")
			}
		}
	})
}
