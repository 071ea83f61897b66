package runtime_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/ormc/ormc/internal/testdb"
	"github.com/ormc/ormc/runtime"
)

// seedNotes inserts three notes.
func seedNotes(t *testing.T, notes *runtime.Query[*note]) {
	t.Helper()
	for _, s := range []string{"a", "b", "c"} {
		if _, err := notes.Create(context.Background(), &note{Text: s}); err != nil {
			t.Fatal(err)
		}
	}
}

// iterAndQuery runs an Iter loop over notes whose body counts them with
// another statement on the same database; it returns the rows read and
// the body's errors.
func iterAndQuery(ctx context.Context, notes *runtime.Query[*note]) (read int, inner []error, err error) {
	for _, ierr := range notes.Iter(ctx) {
		if ierr != nil {
			return read, inner, ierr
		}
		read++
		_, cerr := notes.Count(ctx)
		inner = append(inner, cerr)
	}
	return read, inner, nil
}

// TestIterBusyConnection: a statement issued while an Iter loop holds the
// only connection it could run on (a transaction's, or a one-connection
// pool's) fails with ErrConnBusy, instead of breaking the connection
// (MariaDB), failing with "conn busy" (PostgreSQL) or waiting for ever
// (sqlite://:memory:); the loop reads on, and the connection still works.
func TestIterBusyConnection(t *testing.T) {
	busy := func(t *testing.T, what string, want, read int, inner []error, err error) {
		t.Helper()
		if err != nil || read != want || len(inner) != want {
			t.Fatalf("%s: read %d rows, %v", what, read, err)
		}
		for _, e := range inner {
			if !errors.Is(e, runtime.ErrConnBusy) || !strings.Contains(e.Error(), "Iter") {
				t.Fatalf("%s: a statement in the loop: want ErrConnBusy, got %v", what, e)
			}
		}
	}
	testdb.Each(t, func(t *testing.T, url string) {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second) // a hang fails rather than stalls
		defer cancel()
		db, notes := openNotesDB(t, url)
		seedNotes(t, notes)

		// In a transaction, which commits afterwards.
		err := db.Tx(ctx, func(tx *runtime.DB) error {
			txNotes := runtime.NewQuery[*note](tx, noteTable)
			read, inner, err := iterAndQuery(ctx, txNotes)
			busy(t, "in a transaction", 3, read, inner, err)
			_, err = txNotes.Create(ctx, &note{Text: "after the loop"})
			return err
		})
		if err != nil {
			t.Fatalf("transaction: %v", err)
		}
		if n, err := notes.Count(ctx); err != nil || n != 4 {
			t.Fatalf("after the transaction: %d notes, %v", n, err)
		}

		// On a pool of several connections the loop body takes another.
		read, inner, err := iterAndQuery(ctx, notes)
		if err != nil || read != 4 || errors.Join(inner...) != nil {
			t.Fatalf("on a pool: read %d, %v, %v", read, inner, err)
		}

		// On a pool of one connection.
		one, err := openTestDB(ctx, withPoolMax(url, 1))
		if err != nil {
			t.Fatal(err)
		}
		defer one.Close()
		oneNotes := runtime.NewQuery[*note](one, noteTable)
		read, inner, err = iterAndQuery(ctx, oneNotes)
		busy(t, "on a pool of one", 4, read, inner, err)
		if n, err := oneNotes.Count(ctx); err != nil || n != 4 {
			t.Fatalf("after the loop on a pool of one: %d, %v", n, err)
		}
	})
	t.Run("sqlite-memory", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		_, notes := openNotesDB(t, "sqlite://:memory:")
		seedNotes(t, notes)
		read, inner, err := iterAndQuery(ctx, notes)
		busy(t, "on :memory:", 3, read, inner, err)
		if n, err := notes.Count(ctx); err != nil || n != 3 {
			t.Fatalf("after the loop: %d, %v", n, err)
		}
	})
}

// TestTxRowsLeftOpen: a transaction function that returns with rows still
// open is rolled back with ErrConnBusy rather than committed on a busy
// connection.
func TestTxRowsLeftOpen(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		ctx := context.Background()
		db, notes := openNotesDB(t, url)
		var leaked runtime.Rows
		err := db.Tx(ctx, func(tx *runtime.DB) error {
			if _, err := runtime.NewQuery[*note](tx, noteTable).Create(ctx, &note{Text: "rolled back"}); err != nil {
				return err
			}
			var err error
			leaked, err = tx.Query(ctx, `SELECT 1`)
			return err
		})
		if leaked != nil {
			leaked.Close()
		}
		if !errors.Is(err, runtime.ErrConnBusy) {
			t.Fatalf("want ErrConnBusy, got %v", err)
		}
		if n, err := notes.Count(ctx); err != nil || n != 0 {
			t.Errorf("after the rollback: %d notes, %v", n, err)
		}
	})
}
