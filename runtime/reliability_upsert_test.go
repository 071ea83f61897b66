package runtime_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/ormc/ormc/internal/testdb"
	"github.com/ormc/ormc/runtime"
)

// TestReliabilityConcurrentUpsert runs 16 goroutines at once that each
// Upsert, or UpdateOrCreate, the same new row (by its unique text), five
// rounds of each, on the table with constraint metadata as ormc generates
// it and on one written by hand without (where MySQL's Upsert cannot
// tell that ON DUPLICATE KEY UPDATE is safe, and updates, then inserts);
// then the same Upserts inside transactions with a retry policy. Every
// call succeeds, one row is stored, every caller gets its key, and
// UpdateOrCreate reports one creation per round.
//
// Before, on MariaDB 15 of 16 concurrent Upserts failed with deadlocks
// (1213), and UpdateOrCreate failed with unique violations on PostgreSQL
// and MariaDB when another call created the row after its read.
func TestReliabilityConcurrentUpsert(t *testing.T) {
	const n = 16
	rounds := 5
	if testing.Short() {
		rounds = 2
	}
	testdb.Each(t, func(t *testing.T, url string) {
		ctx := context.Background()
		var conflicts atomic.Int64 // statements that failed: deadlocks and unique violations met, and retried
		failed := map[string]int64{}
		db := relOpen(t, url, createUniqueNotes[dialectOf(url)]).Apply(runtime.WithHook(func(_ context.Context, ev runtime.QueryEvent) {
			if ev.Err != nil {
				conflicts.Add(1)
			}
		}))
		for _, tc := range []struct {
			name  string
			table *runtime.Table
		}{{"generated", uniqueNoteTable}, {"by hand", noteTable}} {
			notes := runtime.NewQuery[*note](db, tc.table)
			run := func(what string, round int, call func(i int, row *note) (bool, error)) {
				t.Helper()
				text := fmt.Sprintf("%s %s %d", tc.name, what, round)
				rows := make([]*note, n)
				errs := make([]error, n)
				var created atomic.Int64
				var wg sync.WaitGroup
				for i := range n {
					rows[i] = &note{Text: text, Rank: runtime.Some(int64(i))}
					wg.Add(1)
					go func() {
						defer wg.Done()
						c, err := call(i, rows[i])
						errs[i] = err
						if c {
							created.Add(1)
						}
					}()
				}
				wg.Wait()
				if err := errors.Join(errs...); err != nil {
					t.Fatalf("%s, round %d: %v", what, round, err)
				}
				stored, err := notes.Filter(noteText.Eq(text)).All(ctx)
				if err != nil || len(stored) != 1 {
					t.Fatalf("%s, round %d: %d rows, %v; want 1", what, round, len(stored), err)
				}
				for i, r := range rows {
					if r.ID != stored[0].ID {
						t.Errorf("%s, round %d: call %d got key %d, the row's is %d", what, round, i, r.ID, stored[0].ID)
					}
				}
				if rank, ok := stored[0].Rank.Get(); !ok || rank < 0 || rank >= n {
					t.Errorf("%s, round %d: stored rank %v, written by none of the calls", what, round, stored[0].Rank)
				}
				if what == "UpdateOrCreate" && created.Load() != 1 {
					t.Errorf("%s, round %d: %d calls created the row, want 1", what, round, created.Load())
				}
				failed[tc.name+" "+what] += conflicts.Swap(0)
			}
			for round := range rounds {
				run("Upsert", round, func(_ int, row *note) (bool, error) {
					return false, notes.Upsert(ctx, row, []runtime.Selector[*note]{&noteText})
				})
				run("UpdateOrCreate", round, func(_ int, row *note) (bool, error) {
					rank, _ := row.Rank.Get()
					got, created, err := notes.UpdateOrCreate(ctx, noteText.Eq(row.Text), noteRank.Set(rank))
					if err != nil {
						return false, err
					}
					// The stored row, as this call wrote it.
					if got.Text != row.Text || got.Rank != row.Rank {
						return created, fmt.Errorf("UpdateOrCreate returned %+v, want text %q and rank %v", got, row.Text, row.Rank)
					}
					row.ID = got.ID
					return created, nil
				})
				run("Upsert in Tx", round, func(_ int, row *note) (bool, error) {
					return false, db.Tx(ctx, func(tx *runtime.DB) error {
						return runtime.NewQuery[*note](tx, tc.table).Upsert(ctx, row, []runtime.Selector[*note]{&noteText})
					}, runtime.TxOptions{Retry: &runtime.RetryPolicy{MaxAttempts: 20}})
				})
			}
		}
		t.Logf("statements that failed and were run again, in %d rounds of %d calls: %v", rounds, n, failed)
	})
}

// dialectOf returns the name of the dialect of a test URL.
func dialectOf(url string) string {
	for _, d := range []string{"postgres", "mysql", "sqlite"} {
		if len(url) >= len(d) && url[:len(d)] == d {
			return d
		}
	}
	return ""
}
