package runtime_test

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ormc/ormc/internal/testdb"
	"github.com/ormc/ormc/runtime"
	"github.com/ormc/ormc/runtime/dialect"
)

// counter is a row of shared counters that every worker increments.
type counter struct {
	ID int64
	N  int64
}

func (c *counter) PKValue() any { return c.ID }

var counterTable = &runtime.Table{
	Model: "Counter", Name: "counter", PK: 0,
	Columns: []*runtime.Column{
		{Field: "id", Name: "id", Kind: runtime.KindInteger, Index: 0},
		{Field: "n", Name: "n", Kind: runtime.KindBigInteger, Index: 1},
	},
	New: func() any { return new(counter) },
	Ptr: func(row any, i int) any {
		c := row.(*counter)
		return []any{&c.ID, &c.N}[i]
	},
	Value: func(row any, i int) any {
		c := row.(*counter)
		return []any{c.ID, c.N}[i]
	},
}

var (
	counterID = runtime.NewOrderedField[*counter, int64](runtime.Col(counterTable, 0))
	counterN  = runtime.NewOrderedField[*counter, int64](runtime.Col(counterTable, 1))
)

var createCounter = map[string]string{
	"postgres": `CREATE TABLE "counter" ("id" BIGINT PRIMARY KEY, "n" BIGINT NOT NULL)`,
	"mysql":    "CREATE TABLE `counter` (`id` BIGINT PRIMARY KEY, `n` BIGINT NOT NULL)",
	"sqlite":   `CREATE TABLE "counter" ("id" INTEGER PRIMARY KEY, "n" INTEGER NOT NULL)`,
}

// counterRetry is patient: every worker contends for four rows.
var counterRetry = &runtime.RetryPolicy{MaxAttempts: 50}

// TestReliabilityConcurrency runs 32 goroutines for two seconds, each
// creating, updating, reading and deleting rows of its own (alone or two
// at a time in a transaction with retries), and incrementing one of four
// counters all of them share, by reading it and writing it plus one in a
// SERIALIZABLE transaction with a retry policy, so that goroutines
// conflict: PostgreSQL fails one of two concurrent increments with 40001,
// MariaDB with a deadlock (1213), SQLite serializes them. Then it checks
// that the table holds exactly what was acknowledged, and that each
// counter equals the increments acknowledged: a lost update, or an
// increment applied by an attempt that failed, would show (the default
// isolation loses updates on both servers). No operation may fail: on
// SQLite, that means no "database is locked".
func TestReliabilityConcurrency(t *testing.T) {
	// CI's race detector runs it without -short, for the full 2 s.
	const workers = 32
	run := 2 * time.Second
	if testing.Short() {
		run = 500 * time.Millisecond
	}
	each := func(t *testing.T, url string) {
		db, orders := openKW(t, url)
		// Increments run at SERIALIZABLE, or where the engine sets no
		// level (Vitess over MariaDB) at its default with the counter's
		// row locked.
		level, serializable := sql.LevelSerializable, true
		if p, ok := db.Dialect().(dialect.Profile); ok && !p.IsolationLevel(level) {
			level, serializable = sql.LevelDefault, false
		}
		if err := runtime.ExecAll(context.Background(), db, []string{createCounter[db.Dialect().Name()]}); err != nil {
			t.Fatal(err)
		}
		counters := runtime.NewQuery[*counter](db, counterTable)
		const nCounters = 4
		for id := range int64(nCounters) {
			if _, err := counters.Create(context.Background(), &counter{ID: id + 1}); err != nil {
				t.Fatal(err)
			}
		}
		ctx, cancel := context.WithTimeout(context.Background(), run)
		defer cancel()
		acked := make([]map[int64]string, workers)      // per worker: id → text
		increments := make([][nCounters]int64, workers) // per worker: acknowledged increments of each counter
		var ops, failures, attempts atomic.Int64
		var wg sync.WaitGroup
		for w := range workers {
			acked[w] = map[int64]string{}
			wg.Add(1)
			go func() {
				defer wg.Done()
				mine := acked[w]
				rng := rand.New(rand.NewPCG(uint64(w), 7))
				user := fmt.Sprintf("w%02d", w)
				fail := func(op string, err error) {
					failures.Add(1)
					t.Errorf("worker %d %s: %v", w, op, err)
				}
				for n := 0; ctx.Err() == nil; n++ {
					// Statements use a context of their own, so that the run
					// ending never leaves an operation half-acknowledged.
					opCtx, opCancel := context.WithTimeout(context.Background(), 30*time.Second)
					var ids []int64
					for id := range mine {
						ids = append(ids, id)
					}
					switch op := rng.IntN(12); {
					case op < 3 || len(ids) < 2:
						r, err := orders.Create(opCtx, &kw{Text: fmt.Sprintf("%s-%d", user, n), User: user})
						if err != nil {
							fail("create", err)
							break
						}
						mine[r.ID] = r.Text
					case op < 5:
						id := ids[rng.IntN(len(ids))]
						text := fmt.Sprintf("%s-%d-u", user, n)
						if err := orders.Update(opCtx, &kw{ID: id, Text: text, User: user}); err != nil {
							fail("update", err)
							break
						}
						mine[id] = text
					case op < 6:
						id := ids[rng.IntN(len(ids))]
						if err := orders.Delete(opCtx, &kw{ID: id}); err != nil {
							fail("delete", err)
							break
						}
						delete(mine, id)
					case op < 7:
						// Two writes that land together or not at all.
						a, b := ids[0], ids[1]
						ta, tb := fmt.Sprintf("%s-%d-a", user, n), fmt.Sprintf("%s-%d-b", user, n)
						txErr := db.Tx(opCtx, func(tx *runtime.DB) error {
							m := runtime.NewQuery[*kw](tx, kwTable)
							if err := m.Update(opCtx, &kw{ID: a, Text: ta, User: user}); err != nil {
								return err
							}
							return m.Update(opCtx, &kw{ID: b, Text: tb, User: user})
						}, runtime.TxOptions{Retry: runtime.DefaultRetry})
						if txErr != nil {
							fail("tx", txErr)
							break
						}
						mine[a], mine[b] = ta, tb
					case op >= 10:
						// Read, add one, write: conflicts with every other
						// increment of the same counter.
						id := rng.Int64N(nCounters) + 1
						err := db.Tx(opCtx, func(tx *runtime.DB) error {
							attempts.Add(1)
							m := runtime.NewQuery[*counter](tx, counterTable)
							if !serializable {
								// The row lock instead (Vitess over
								// MariaDB sets no level).
								m = m.Lock(runtime.ForUpdate)
							}
							c, err := m.Get(opCtx, counterID.Eq(id))
							if err != nil {
								return err
							}
							return m.Update(opCtx, c, counterN.Set(c.N+1))
						}, runtime.TxOptions{Isolation: level, Retry: counterRetry})
						if err != nil {
							fail("increment", err)
							break
						}
						increments[w][id-1]++
					default:
						rows, err := orders.Filter(kwUser.Eq(user)).All(opCtx)
						if err != nil {
							fail("read", err)
							break
						}
						if len(rows) != len(mine) {
							fail("read", fmt.Errorf("%d rows, want %d", len(rows), len(mine)))
						}
						if _, err := orders.Count(opCtx); err != nil {
							fail("count", err)
						}
					}
					opCancel()
					ops.Add(1)
				}
			}()
		}
		wg.Wait()
		rows, err := orders.All(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		want := map[int64]string{}
		for _, m := range acked {
			for id, text := range m {
				want[id] = text
			}
		}
		got := map[int64]string{}
		for _, r := range rows {
			got[r.ID] = r.Text
			if !strings.HasPrefix(r.Text, r.User+"-") {
				t.Errorf("row %d: text %q written by another worker than %q", r.ID, r.Text, r.User)
			}
		}
		if len(got) != len(want) {
			t.Errorf("%d rows, want %d acknowledged", len(got), len(want))
		}
		for id, text := range want {
			if got[id] != text {
				t.Errorf("row %d: %q, want %q", id, got[id], text)
			}
		}
		total := checkCounters(t, counters, func(id int64) (n int64) {
			for w := range workers {
				n += increments[w][id-1]
			}
			return n
		})
		t.Logf("%d operations by %d goroutines in %v (%.0f/s), %d failed, %d rows at the end; "+
			"%d increments of %d shared counters in %d attempts (%d retries)",
			ops.Load(), workers, run, float64(ops.Load())/run.Seconds(), failures.Load(), len(got),
			total, nCounters, attempts.Load(), attempts.Load()-total)
	}
	testdb.Each(t, each)
	// The rows and the counters on two shards, with transactions over
	// both, whose deadlocks end in a lock wait timeout (see
	// TestReliabilityContention).
	t.Run(testdb.VitessShardedTarget, func(t *testing.T) {
		url := testdb.VitessShardedTables(t, kwTable, counterTable)
		each(t, withParam(url, "innodb_lock_wait_timeout", "1"))
	})
}

// checkCounters compares every counter with the increments acknowledged
// for it, acked(id), and returns their sum.
func checkCounters(t *testing.T, counters *runtime.Query[*counter], acked func(id int64) int64) (total int64) {
	t.Helper()
	cs, err := counters.OrderBy(counterID.Asc()).All(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cs {
		want := acked(c.ID)
		total += want
		if c.N != want {
			t.Errorf("counter %d is %d, want the %d increments acknowledged", c.ID, c.N, want)
		}
	}
	return total
}

// TestReliabilitySQLiteWAL asks SQLite, through the client, how each of
// four connections open at once is set up: a file database runs in WAL
// mode with a 5 s busy timeout (a writer waits for the lock instead of
// failing with "database is locked") and enforces foreign keys, what
// TestReliabilityConcurrency relies on. Then it shows WAL at work: a
// write commits at once while a query on another connection is half
// read, where a rollback journal would make it wait for the reader.
func TestReliabilitySQLiteWAL(t *testing.T) {
	ctx := context.Background()
	db, orders := openKW(t, testdb.Fresh(t, testdb.Dialects[0]))
	const conns = 4
	var open []runtime.Rows
	closeAll := func() {
		for _, r := range open {
			r.Close()
		}
		open = nil
	}
	defer closeAll()
	// Rows left open hold their connection, so each query takes another.
	for range conns {
		rows, err := db.Query(ctx, `SELECT j.journal_mode, b.timeout, f.foreign_keys FROM pragma_journal_mode() AS j, pragma_busy_timeout() AS b, pragma_foreign_keys() AS f`)
		if err != nil {
			t.Fatal(err)
		}
		open = append(open, rows)
	}
	for i, rows := range open {
		if !rows.Next() {
			t.Fatalf("connection %d: no row: %v", i, rows.Err())
		}
		var mode string
		var timeout, fk int64
		if err := rows.Scan(&mode, &timeout, &fk); err != nil {
			t.Fatal(err)
		}
		if mode != "wal" || timeout != 5000 || fk != 1 {
			t.Errorf("connection %d: journal_mode %q, busy_timeout %d, foreign_keys %d; want wal, 5000, 1", i, mode, timeout, fk)
		}
	}
	closeAll()

	for _, s := range []string{"a", "b", "c"} {
		if _, err := orders.Create(ctx, &kw{Text: s}); err != nil {
			t.Fatal(err)
		}
	}
	reader, err := db.Query(ctx, `SELECT "group" FROM "order"`)
	if err != nil {
		t.Fatal(err)
	}
	open = append(open, reader)
	if !reader.Next() {
		t.Fatalf("reader: %v", reader.Err())
	}
	start := time.Now()
	wctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	if _, err := orders.Create(wctx, &kw{Text: "written while read"}); err != nil {
		t.Fatalf("write while a query is open: %v", err)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("write while a query is open took %v: it waited for the reader", d)
	}
	n := 1
	for reader.Next() {
		n++
	}
	if err := reader.Err(); err != nil || n != 3 {
		t.Errorf("reader: %d rows, %v; want the 3 of its snapshot", n, err)
	}
}
