package runtime_test

import (
	"context"
	"database/sql"
	"errors"
	"testing"

	"github.com/ormc/ormc/internal/testdb"
	"github.com/ormc/ormc/runtime"
	"github.com/ormc/ormc/runtime/dialect"
	"github.com/ormc/ormc/runtime/driver/sqlite"
)

// TestProfileIsolationRefused: a transaction at a level the engine does
// not have (TiDB's profile, over a SQLite pool) fails with ErrUnsupported
// before BEGIN, and its function never runs; the levels it has run.
func TestProfileIsolationRefused(t *testing.T) {
	ctx := context.Background()
	url := testdb.Fresh(t, testdb.Dialects[0])
	pool, err := sqlite.Driver.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	db := runtime.NewDB(dialectPool{pool, dialect.MySQLOn(dialect.TiDB, "")}, sqlite.Driver)
	defer db.Close()
	for _, tc := range []struct {
		level sql.IsolationLevel
		ok    bool
	}{
		{sql.LevelDefault, true},
		{sql.LevelReadCommitted, true},
		{sql.LevelRepeatableRead, true},
		{sql.LevelSnapshot, true},
		{sql.LevelSerializable, false},
		{sql.LevelLinearizable, false},
		{sql.LevelReadUncommitted, false},
	} {
		ran := false
		err := db.Tx(ctx, func(*runtime.DB) error { ran = true; return nil }, runtime.TxOptions{Isolation: tc.level})
		if tc.ok && (err != nil || !ran) {
			t.Errorf("%v: ran %v, %v", tc.level, ran, err)
		}
		if !tc.ok && (!errors.Is(err, runtime.ErrUnsupported) || ran) {
			t.Errorf("%v: ran %v, %v; want ErrUnsupported before BEGIN", tc.level, ran, err)
		}
	}
}

// TestProfileShareLocksRefused: on an engine without shared row locks
// (TiDB's profile, over a SQLite pool) a ForShare query fails with
// ErrUnsupported before any SQL is sent; ForUpdate is not refused.
func TestProfileShareLocksRefused(t *testing.T) {
	ctx := context.Background()
	url := testdb.Fresh(t, testdb.Dialects[0])
	pool, err := sqlite.Driver.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	var sent []string
	db := runtime.NewDB(dialectPool{pool, dialect.MySQLOn(dialect.TiDB, "")}, sqlite.Driver,
		runtime.WithHook(func(_ context.Context, ev runtime.QueryEvent) { sent = append(sent, ev.SQL) }))
	defer db.Close()
	if err := runtime.ExecAll(ctx, db, []string{createNotes[dialect.SQLite.Name()]}); err != nil {
		t.Fatal(err)
	}
	err = db.Tx(ctx, func(tx *runtime.DB) error {
		sent = nil
		_, err := runtime.NewQuery[*note](tx, noteTable).Lock(runtime.ForShare).All(ctx)
		if !errors.Is(err, runtime.ErrUnsupported) || len(sent) != 0 {
			t.Errorf("ForShare: %v after %q; want ErrUnsupported before any SQL", err, sent)
		}
		_, err = runtime.NewQuery[*note](tx, noteTable).Lock(runtime.ForUpdate).All(ctx)
		if errors.Is(err, runtime.ErrUnsupported) {
			t.Errorf("ForUpdate: %v", err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
