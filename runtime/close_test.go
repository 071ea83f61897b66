package runtime_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ormc/ormc/internal/testdb"
	"github.com/ormc/ormc/runtime"
	"github.com/ormc/ormc/runtime/dialect"
	"github.com/ormc/ormc/runtime/driver"
)

// closeRecorder is a pool that records when it is closed.
type closeRecorder struct {
	driver.Pool
	closed atomic.Bool
}

// Dialect is the pool's, which states the engine's capabilities
// (dialect.Profile) where it knows them.
func (p *closeRecorder) Dialect() dialect.Dialect {
	if dp, ok := p.Pool.(driver.DialectPool); ok {
		return dp.Dialect()
	}
	return nil
}

func (p *closeRecorder) Close() error {
	p.closed.Store(true)
	return p.Pool.Close()
}

// openRecorded opens url with a pool that records its Close, and a notes
// table holding a, b and c.
func openRecorded(t *testing.T, url string) (*runtime.DB, *closeRecorder, *runtime.Query[*note]) {
	t.Helper()
	ctx := context.Background()
	d := drivers[0]
	for _, dr := range drivers {
		for _, s := range dr.Schemes {
			if runtime.Scheme(url) == s {
				d = dr
			}
		}
	}
	pool, err := d.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	rec := &closeRecorder{Pool: pool}
	db := runtime.NewDB(rec, d)
	t.Cleanup(func() { db.Close() })
	if err := runtime.ExecAll(ctx, db, []string{createNotes[db.Dialect().Name()]}); err != nil {
		t.Fatal(err)
	}
	notes := runtime.NewQuery[*note](db, noteTable)
	seedNotes(t, notes)
	return db, rec, notes
}

// closeWithin calls db.Close and fails the test when it has not returned
// within a second.
func closeWithin(t *testing.T, db *runtime.DB) error {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- db.Close() }()
	select {
	case err := <-done:
		return err
	case <-time.After(time.Second):
		t.Fatal("Close waits for the rows or the transaction open on the database")
		return nil
	}
}

// TestCloseDuringIter: Close called while an Iter loop reads returns at
// once, on every database alike; the loop reads its rows to the end,
// statements issued after Close fail with ErrClosed, and the pool is
// closed when the loop ends. Before, Close waited for the loop on
// PostgreSQL only (for ever when the loop body called it), and the others
// failed later statements with their driver's own error.
func TestCloseDuringIter(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		db, rec, notes := openRecorded(t, url)
		var read []string
		for n, err := range notes.OrderBy(noteID.Asc()).Iter(ctx) {
			if err != nil {
				t.Fatalf("loop: %v", err)
			}
			read = append(read, n.Text)
			if len(read) == 1 {
				if err := closeWithin(t, db); err != nil {
					t.Fatalf("Close: %v", err)
				}
				if rec.closed.Load() {
					t.Fatal("the pool was closed under the loop")
				}
				if _, err := notes.Count(ctx); !errors.Is(err, runtime.ErrClosed) {
					t.Fatalf("Count after Close: want ErrClosed, got %v", err)
				}
			}
		}
		if len(read) != 3 {
			t.Fatalf("the loop read %q, want a, b, c", read)
		}
		if !rec.closed.Load() {
			t.Fatal("the pool is still open after the loop ended")
		}
		if _, err := notes.All(ctx); !errors.Is(err, runtime.ErrClosed) {
			t.Fatalf("All after Close: want ErrClosed, got %v", err)
		}
		if err := db.Tx(ctx, func(*runtime.DB) error { return nil }); !errors.Is(err, runtime.ErrClosed) {
			t.Fatalf("Tx after Close: want ErrClosed, got %v", err)
		}
		if err := db.Close(); err != nil {
			t.Fatalf("second Close: %v", err)
		}
	})
}

// TestCloseDuringTx: Close called while a transaction runs returns at
// once; the transaction goes on and commits, and the pool is closed when
// it ends.
func TestCloseDuringTx(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		db, rec, _ := openRecorded(t, url)
		err := db.Tx(ctx, func(tx *runtime.DB) error {
			if err := closeWithin(t, db); err != nil {
				t.Fatalf("Close: %v", err)
			}
			if _, err := runtime.NewQuery[*note](db, noteTable).Count(ctx); !errors.Is(err, runtime.ErrClosed) {
				t.Fatalf("a statement outside the transaction after Close: want ErrClosed, got %v", err)
			}
			_, err := runtime.NewQuery[*note](tx, noteTable).Create(ctx, &note{Text: "d"})
			return err
		})
		if err != nil {
			t.Fatalf("the transaction: %v", err)
		}
		if !rec.closed.Load() {
			t.Fatal("the pool is still open after the transaction ended")
		}
		check, err := runtime.Open(ctx, url, drivers...)
		if err != nil {
			t.Fatal(err)
		}
		defer check.Close()
		if n, err := runtime.NewQuery[*note](check, noteTable).Count(ctx); err != nil || n != 4 {
			t.Fatalf("after the transaction: %d notes, %v; want 4", n, err)
		}
	})
}
