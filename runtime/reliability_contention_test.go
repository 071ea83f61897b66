package runtime_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ormc/ormc/internal/testdb"
	"github.com/ormc/ormc/runtime"
)

// TestReliabilityContention: transactions that each increment two of
// three shared counters, in a random order, reading each with its row
// locked, deadlock with one another on every server (MariaDB, PostgreSQL,
// Vitess, TiDB in its default pessimistic mode: 1213 or 40P01); in TiDB's
// optimistic mode, where FOR UPDATE waits for nothing, they conflict at
// commit instead (9007). Tx with a retry policy runs each again until it
// commits: at the end every counter equals the increments acknowledged,
// none lost and none applied twice, and the servers retried (SQLite
// serializes the transactions and needs none).
func TestReliabilityContention(t *testing.T) {
	run := func(t *testing.T, url string) {
		db, _ := openKW(t, url)
		ctx := context.Background()
		if err := runtime.ExecAll(ctx, db, []string{createCounter[db.Dialect().Name()]}); err != nil {
			t.Fatal(err)
		}
		counters := runtime.NewQuery[*counter](db, counterTable)
		const nCounters, workers = 3, 8
		each := 12
		if testing.Short() {
			each = 4 // a deadlock costs PostgreSQL its deadlock_timeout (1 s)
			if testdb.OnSharded(t) {
				each = 2 // and one across shards a lock wait timeout (1 s)
			}
		}
		for id := range int64(nCounters) {
			if _, err := counters.Create(ctx, &counter{ID: id + 1}); err != nil {
				t.Fatal(err)
			}
		}
		var acked [workers][nCounters]int64
		var attempts atomic.Int64
		var wg sync.WaitGroup
		for w := range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				rng := rand.New(rand.NewPCG(uint64(w), 11))
				for range each {
					first := rng.Int64N(nCounters) + 1
					second := first%nCounters + 1
					if rng.IntN(2) == 0 {
						first, second = second, first
					}
					err := db.Tx(ctx, func(tx *runtime.DB) error {
						attempts.Add(1)
						m := runtime.NewQuery[*counter](tx, counterTable).Lock(runtime.ForUpdate)
						for i, id := range []int64{first, second} {
							c, err := m.Get(ctx, counterID.Eq(id))
							if err != nil {
								return err
							}
							if err := m.Update(ctx, c, counterN.Set(c.N+1)); err != nil {
								return err
							}
							if i == 0 {
								time.Sleep(time.Millisecond) // let another take the second row
							}
						}
						return nil
					}, runtime.TxOptions{Retry: counterRetry})
					if err != nil {
						t.Errorf("worker %d: %v", w, err)
						return
					}
					acked[w][first-1]++
					acked[w][second-1]++
				}
			}()
		}
		wg.Wait()
		total := checkCounters(t, counters, func(id int64) (n int64) {
			for w := range workers {
				n += acked[w][id-1]
			}
			return n
		})
		txs := total / 2
		retries := attempts.Load() - txs
		t.Logf("%d transactions committed in %d attempts (%d retries)", txs, attempts.Load(), retries)
		if txs != int64(workers*each) {
			t.Errorf("%d transactions committed, want %d", txs, workers*each)
		}
		if retries == 0 && db.Dialect().Name() != "sqlite" {
			t.Errorf("no transaction was retried: the test made no conflict")
		}
	}
	testdb.Each(t, run)
	// The counters on two shards: each transaction spans both.
	t.Run(testdb.VitessShardedTarget, func(t *testing.T) {
		// A deadlock across the shards is one neither sees: it ends when
		// a wait times out (1205, retryable behind Vitess), after a second
		// rather than the default 20.
		url := testdb.VitessShardedTables(t, counterTable)
		run(t, withParam(url, "innodb_lock_wait_timeout", "1"))
		if n := rowsPerShard(t, url, counterTable); n[0] == 0 || n[1] == 0 {
			t.Errorf("counters per shard %v: the transactions spanned one shard", n)
		}
	})
	// TiDB's other transaction mode, as a session sets it.
	for _, d := range testdb.Dialects {
		if d.Name == "tidb" {
			t.Run("tidb-optimistic", func(t *testing.T) {
				run(t, withParam(testdb.Fresh(t, d), "tidb_txn_mode", "'optimistic'"))
			})
		}
	}
}

// withParam adds a query parameter to a database URL.
func withParam(url, key, value string) string {
	sep := "?"
	if strings.Contains(url, "?") {
		sep = "&"
	}
	return fmt.Sprintf("%s%s%s=%s", url, sep, key, value)
}
