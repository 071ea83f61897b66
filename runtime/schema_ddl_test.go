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
