package runtime_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/ormc/ormc/internal/testdb"
	"github.com/ormc/ormc/runtime"
)

// TestSchemaDDLDialects: a client's CreateTables and DropTables run the
// statements of the database's dialect, and on a dialect the client was
// not generated for fail with ErrUnsupported, naming it, rather than
// running nothing.
func TestSchemaDDLDialects(t *testing.T) {
	all := runtime.SchemaDDL{}
	for _, d := range []string{"postgres", "mysql", "sqlite"} {
		all[d] = runtime.DialectDDL{
			Create: []string{"CREATE TABLE ddl_probe (id INTEGER PRIMARY KEY)"},
			Drop:   []string{"DROP TABLE IF EXISTS ddl_probe"},
		}
	}
	testdb.Each(t, func(t *testing.T, url string) {
		ctx := context.Background()
		db, err := openTestDB(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		name := db.Dialect().Name()
		lacking := runtime.SchemaDDL{}
		for d, ddl := range all {
			if d != name {
				lacking[d] = ddl
			}
		}
		for op, run := range map[string]func(context.Context, *runtime.DB) error{
			"CreateTables": lacking.CreateTables, "DropTables": lacking.DropTables,
		} {
			err := run(ctx, db)
			if !errors.Is(err, runtime.ErrUnsupported) || !strings.Contains(err.Error(), `"`+name+`"`) {
				t.Errorf("%s without dialect %s: got %v, want ErrUnsupported naming it", op, name, err)
			}
		}
		if _, err := db.Exec(ctx, "SELECT COUNT(*) FROM ddl_probe"); err == nil {
			t.Fatal("CreateTables without the dialect created a table")
		}
		if err := all.CreateTables(ctx, db); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Exec(ctx, "SELECT COUNT(*) FROM ddl_probe"); err != nil {
			t.Fatalf("after CreateTables: %v", err)
		}
		if err := all.DropTables(ctx, db); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Exec(ctx, "SELECT COUNT(*) FROM ddl_probe"); err == nil {
			t.Fatal("DropTables left the table")
		}
	})
}

// TestDropTablesSession: DropTables runs DropBefore on the connection of
// its transaction before the transaction begins and DropAfter after it,
// also when a Drop statement fails (the drop rolled back where DDL is
// transactional), so that no setting is left on a pooled connection; and
// inside a transaction where DDL is transactional, where a setting made
// there may not hold (SQLite's PRAGMA foreign_keys), it refuses with
// ErrUnsupported and runs nothing.
func TestDropTablesSession(t *testing.T) {
	// A session setting per dialect, its probe, and the value it has
	// when restored.
	settings := map[string]struct{ before, after, probe, restored string }{
		"postgres": {"SET statement_timeout = 123456", "RESET statement_timeout", "SHOW statement_timeout", "0"},
		"mysql":    {"SET FOREIGN_KEY_CHECKS = 0", "SET FOREIGN_KEY_CHECKS = 1", "SELECT @@foreign_key_checks", "1"},
		"sqlite":   {"PRAGMA foreign_keys = OFF", "PRAGMA foreign_keys = ON", "PRAGMA foreign_keys", "1"},
	}
	testdb.Each(t, func(t *testing.T, url string) {
		ctx := context.Background()
		sep := "?"
		if strings.Contains(url, "?") {
			sep = "&"
		}
		// One connection: the one DropTables used is the one probed.
		db, err := openTestDB(ctx, url+sep+runtime.PoolMaxConns+"=1")
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		name := db.Dialect().Name()
		set := settings[name]
		schema := runtime.SchemaDDL{name: {
			Create:     []string{"CREATE TABLE ddl_session_probe (id INTEGER PRIMARY KEY)"},
			Drop:       []string{"DROP TABLE IF EXISTS ddl_session_probe", "SELECT no_such_column FROM no_such_table"},
			DropBefore: []string{set.before},
			DropAfter:  []string{set.after},
		}}
		if err := schema.CreateTables(ctx, db); err != nil {
			t.Fatal(err)
		}
		defer db.Exec(context.WithoutCancel(ctx), "DROP TABLE IF EXISTS ddl_session_probe")
		probe := func(when string) {
			t.Helper()
			var got string
			if err := db.QueryRow(ctx, set.probe, nil, &got); err != nil {
				t.Fatal(err)
			}
			if got != set.restored {
				t.Errorf("%s: %s = %q, want %q (DropAfter did not run)", when, set.probe, got, set.restored)
			}
		}
		if err := schema.DropTables(ctx, db); err == nil {
			t.Fatal("DropTables with a failing statement succeeded")
		}
		probe("after a failed DropTables")
		_, err = db.Exec(ctx, "SELECT COUNT(*) FROM ddl_session_probe")
		if kept := err == nil; kept != db.Dialect().TransactionalDDL() {
			t.Errorf("after a failed DropTables, table kept = %v, want %v (rolled back where DDL is transactional)", kept, db.Dialect().TransactionalDDL())
		}

		if _, err := db.Exec(ctx, "CREATE TABLE IF NOT EXISTS ddl_session_probe (id INTEGER PRIMARY KEY)"); err != nil {
			t.Fatal(err)
		}
		err = db.Tx(ctx, func(tx *runtime.DB) error { return schema.DropTables(ctx, tx) })
		if db.Dialect().TransactionalDDL() {
			if !errors.Is(err, runtime.ErrUnsupported) {
				t.Errorf("DropTables with session settings inside a transaction: got %v, want ErrUnsupported", err)
			}
			if _, err := db.Exec(ctx, "SELECT COUNT(*) FROM ddl_session_probe"); err != nil {
				t.Errorf("a refused DropTables dropped the table: %v", err)
			}
		} else if err == nil {
			t.Error("DropTables with a failing statement inside a transaction succeeded")
		}
		probe("after DropTables inside a transaction")
	})
}
