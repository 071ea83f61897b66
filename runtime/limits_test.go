package runtime_test

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/ormc/ormc/internal/testdb"
	"github.com/ormc/ormc/runtime"
)

// openNotesDB is openNotes, returning the database too.
func openNotesDB(t *testing.T, url string, opts ...runtime.Option) (*runtime.DB, *runtime.Query[*note]) {
	t.Helper()
	ctx := context.Background()
	db, err := openTestDB(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	db = db.Apply(opts...)
	if err := runtime.ExecAll(ctx, db, []string{createNotes[db.Dialect().Name()]}); err != nil {
		t.Fatal(err)
	}
	return db, runtime.NewQuery[*note](db, noteTable)
}

// TestParamLimits: with more keys than a statement may bind, Load splits
// them into as few queries as the dialect's limit allows, an In list of
// exactly the limit still runs, and one value more fails with
// ErrTooManyParams before anything is sent.
func TestParamLimits(t *testing.T) {
	if testing.Short() {
		t.Skip("inserts 65,545 rows per server database")
	}
	testdb.Each(t, func(t *testing.T, url string) {
		ctx := context.Background()
		var sent atomic.Int64
		db, notes := openNotesDB(t, url, runtime.WithHook(func(context.Context, runtime.QueryEvent) { sent.Add(1) }))
		max := db.Dialect().MaxParams()
		n := max + 10
		rows := make([]*note, n)
		for i := range rows {
			rows[i] = &note{Text: fmt.Sprint("note ", i)}
		}
		if err := notes.BulkCreate(ctx, rows); err != nil {
			t.Fatal(err)
		}

		refs := make([]runtime.Ref[*note, int64], n)
		loadables := make([]runtime.Loadable[*note], n)
		ids := make([]int64, n)
		for i, r := range rows {
			refs[i] = runtime.KeyRef[*note](r.ID)
			loadables[i] = &refs[i]
			ids[i] = r.ID
		}
		sent.Store(0)
		if err := notes.Load(ctx, loadables...); err != nil {
			t.Fatalf("load %d keys: %v", n, err)
		}
		if sent.Load() != 2 {
			t.Errorf("load of %d keys took %d queries, want 2 (at most %d keys each)", n, sent.Load(), max)
		}
		for i, r := range refs {
			if v, err := r.Value(); err != nil || v.Text != rows[i].Text {
				t.Fatalf("ref %d: %v, %v", i, v, err)
			}
		}

		sent.Store(0)
		if c, err := notes.Filter(noteID.In(ids[:max]...)).Count(ctx); err != nil || c != int64(max) {
			t.Errorf("In with %d values: %d, %v", max, c, err)
		}
		if sent.Load() != 1 {
			t.Errorf("In with %d values: %d statements", max, sent.Load())
		}
		sent.Store(0)
		if _, err := notes.Filter(noteID.In(ids[:max+1]...)).All(ctx); !errors.Is(err, runtime.ErrTooManyParams) {
			t.Errorf("In with %d values: want ErrTooManyParams, got %v", max+1, err)
		}
		if _, err := notes.Where("pk__in", ids).Count(ctx); !errors.Is(err, runtime.ErrTooManyParams) {
			t.Errorf("pk__in with %d values: want ErrTooManyParams, got %v", n, err)
		}
		if sent.Load() != 0 {
			t.Errorf("%d statements sent for In lists over the limit", sent.Load())
		}
	})
}
