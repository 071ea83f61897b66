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

// TestReliabilityConcurrency runs 32 goroutines for two seconds, each
// creating, updating, reading and deleting rows (alone or two at a time in
// a transaction with retries), then checks that the table holds exactly
// what was acknowledged. No operation may fail: on SQLite, that means no
// "database is locked".
func TestReliabilityConcurrency(t *testing.T) {
	const workers = 32
	run := 2 * time.Second
	if testing.Short() {
		run = 300 * time.Millisecond
	}
	testdb.Each(t, func(t *testing.T, url string) {
		db, orders := openKW(t, url)
		ctx, cancel := context.WithTimeout(context.Background(), run)
		defer cancel()
		acked := make([]map[int64]string, workers) // per worker: id → text
		var ops, failures atomic.Int64
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
					switch op := rng.IntN(10); {
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
							m := runtime.NewManager[*kw](tx, kwTable)
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
		t.Logf("%d operations by %d goroutines in %v (%.0f/s), %d failed, %d rows at the end",
			ops.Load(), workers, run, float64(ops.Load())/run.Seconds(), failures.Load(), len(got))
	})
}
