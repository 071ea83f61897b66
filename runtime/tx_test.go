package runtime_test

import (
	"context"
	"database/sql"
	"errors"
	"testing"

	"github.com/ormc/ormc/internal/testdb"
	"github.com/ormc/ormc/runtime"
	"github.com/ormc/ormc/runtime/dialect"
)

// TestTxOptions: a read-only transaction refuses writes on every database
// (SQLite's driver ignores the option: ormc sets query_only) and leaves
// its connection writable; every isolation level of database/sql runs the
// same everywhere, LevelSnapshot as repeatable read, except
// LevelWriteCommitted, which no database has.
func TestTxOptions(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		ctx := context.Background()
		// One connection: every statement after the transaction runs on
		// the connection it used.
		client, notes := openNotesDB(t, withPoolMax(url, 1))
		if _, err := notes.Create(ctx, &note{Text: "before"}); err != nil {
			t.Fatal(err)
		}
		var createErr error
		err := client.Tx(ctx, func(tx *runtime.DB) error {
			txNotes := runtime.NewQuery[*note](tx, noteTable)
			if n, err := txNotes.Count(ctx); err != nil || n != 1 {
				t.Errorf("read in a read-only transaction: %d, %v", n, err)
			}
			_, createErr = txNotes.Create(ctx, &note{Text: "written"})
			return createErr
		}, runtime.TxOptions{ReadOnly: true})
		if p, ok := client.Dialect().(dialect.Profile); ok && !p.ReadOnlyTx() {
			// TiDB: refused before BEGIN (lang/spec.md); nothing ran.
			if createErr != nil || !errors.Is(err, runtime.ErrUnsupported) {
				t.Errorf("a read-only transaction on %s: the write returned %v, the transaction %v; want ErrUnsupported before BEGIN", p.Engine(), createErr, err)
			}
			createErr = err
		}
		if createErr == nil || !errors.Is(err, createErr) {
			t.Errorf("a read-only transaction: the write returned %v, the transaction %v; want the write refused", createErr, err)
		}
		if _, err := notes.Create(ctx, &note{Text: "after"}); err != nil {
			t.Fatalf("write after a read-only transaction: %v", err)
		}
		if n, _ := notes.Count(ctx); n != 2 {
			t.Errorf("%d notes, want 2", n)
		}

		for _, level := range []sql.IsolationLevel{sql.LevelDefault, sql.LevelReadUncommitted, sql.LevelReadCommitted,
			sql.LevelRepeatableRead, sql.LevelSnapshot, sql.LevelSerializable, sql.LevelLinearizable} {
			err := client.Tx(ctx, func(tx *runtime.DB) error {
				_, err := runtime.NewQuery[*note](tx, noteTable).Create(ctx, &note{Text: level.String()})
				return err
			}, runtime.TxOptions{Isolation: level})
			// An engine that cannot set the level refuses it before
			// BEGIN (lang/spec.md, the distributed engines' table).
			if p, ok := client.Dialect().(dialect.Profile); ok && level != sql.LevelDefault && !p.IsolationLevel(profileLevel(level)) {
				if !errors.Is(err, runtime.ErrUnsupported) {
					t.Errorf("%s on %s: %v, want ErrUnsupported", level, p.Engine(), err)
				}
				continue
			}
			if err != nil {
				t.Errorf("%s: %v", level, err)
			}
		}
		err = client.Tx(ctx, func(*runtime.DB) error { return nil }, runtime.TxOptions{Isolation: sql.LevelWriteCommitted})
		if !errors.Is(err, runtime.ErrUnsupported) {
			t.Errorf("write committed: %v", err)
		}
	})
}

// profileLevel is the standard level database/sql's other names stand
// for, as Tx maps them before it asks the engine's profile.
func profileLevel(l sql.IsolationLevel) sql.IsolationLevel {
	switch l {
	case sql.LevelSnapshot:
		return sql.LevelRepeatableRead
	case sql.LevelLinearizable:
		return sql.LevelSerializable
	}
	return l
}
