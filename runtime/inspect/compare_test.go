package inspect_test

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"testing"

	"github.com/ormc/ormc/internal/testdb"
	"github.com/ormc/ormc/runtime"
	"github.com/ormc/ormc/runtime/driver/mysql"
	"github.com/ormc/ormc/runtime/driver/postgres"
	"github.com/ormc/ormc/runtime/driver/sqlite"
	"github.com/ormc/ormc/runtime/inspect"
)

// TestCheckErrors: CheckSchema's failures other than drift are errors a
// caller can tell apart, never a panic: a dialect the client was not
// generated for (runtime.ErrUnsupported), a description that does not
// parse, a cancelled context (context.Canceled), a closed database
// (runtime.ErrClosed).
func TestCheckErrors(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		ctx := context.Background()
		db, err := runtime.Open(ctx, url, postgres.Driver, mysql.Driver, sqlite.Driver)
		if err != nil {
			t.Fatal(err)
		}
		name := db.Dialect().Name()
		empty := `{"dialect":"` + name + `","tables":[]}`

		err = inspect.Descriptions{"nodialect": empty}.Check(ctx, db)
		if !errors.Is(err, runtime.ErrUnsupported) {
			t.Errorf("another dialect: %v", err)
		}
		if err := (inspect.Descriptions{name: `{"dialect":`}).Check(ctx, db); err == nil || errors.Is(err, runtime.ErrSchemaDrift) {
			t.Errorf("a broken description: %v", err)
		}
		if err := (inspect.Descriptions{name: empty}).Check(ctx, db); err != nil {
			t.Errorf("no tables: %v", err)
		}
		missing := `{"dialect":"` + name + `","tables":[{"name":"gone","model":"Gone","columns":[{"name":"id","db_type":"INTEGER"}]}]}`
		err = inspect.Descriptions{name: missing}.Check(ctx, db)
		var de *runtime.SchemaDriftError
		if !errors.As(err, &de) || len(de.Differences) != 1 || de.Differences[0].Kind != runtime.DriftTableMissing ||
			de.Differences[0].String() != "Gone: table missing" {
			t.Errorf("a missing table: %v", err)
		}

		cancelled, cancel := context.WithCancel(ctx)
		cancel()
		if _, err := inspect.Inspect(cancelled, db, inspect.Options{}); !errors.Is(err, context.Canceled) {
			t.Errorf("a cancelled context: %v", err)
		}
		db.Close()
		if _, err := inspect.Inspect(ctx, db, inspect.Options{}); !errors.Is(err, runtime.ErrClosed) {
			t.Errorf("a closed database: %v", err)
		}
	})
}

// TestCompareReportsExtras: what the database has and the schema does not
// (a table, a column, a unique constraint, an index, a foreign key, a
// CHECK) is reported, each once, in the description's order.
func TestCompareReportsExtras(t *testing.T) {
	want := &inspect.Schema{Dialect: "sqlite", Tables: []*inspect.Table{{
		Name: "a", Model: "A",
		Columns:    []*inspect.Column{{Name: "id", Field: "id", DBType: "INTEGER", AutoIncrement: true}},
		PrimaryKey: &inspect.PrimaryKey{Columns: []string{"id"}},
	}}}
	got := &inspect.Schema{Dialect: "sqlite", Tables: []*inspect.Table{{
		Name: "a",
		Columns: []*inspect.Column{
			{Name: "id", DBType: "INTEGER", AutoIncrement: true},
			{Name: "x", DBType: "TEXT", Nullable: true},
		},
		PrimaryKey:  &inspect.PrimaryKey{Columns: []string{"id"}},
		Uniques:     []*inspect.Unique{{Name: "a_x_key", Columns: []string{"x"}}},
		Indexes:     []*inspect.Index{{Name: "a_x_idx", Columns: []string{"x"}}},
		ForeignKeys: []*inspect.ForeignKey{{Name: "a_x_fkey", Columns: []string{"x"}, RefTable: "b", RefColumns: []string{"id"}, OnDelete: inspect.NoAction, OnUpdate: inspect.NoAction}},
		Checks:      []*inspect.Check{{Name: "a_x_check", Expr: `"x" <> ''`}},
	}, {Name: "b"}}}
	for _, s := range []*inspect.Schema{want, got} {
		if err := inspect.Normalize(s); err != nil {
			t.Fatal(err)
		}
	}
	var lines []string
	for _, d := range inspect.Compare(want, got) {
		lines = append(lines, d.String())
	}
	wantLines := []string{
		"A.x: column not in the schema (TEXT)",
		"A: unique constraint a_x_key not in the schema ((x))",
		"A: index a_x_idx not in the schema ((x))",
		"A: foreign key a_x_fkey not in the schema ((x) REFERENCES b (id) ON DELETE NO ACTION ON UPDATE NO ACTION)",
		`A: check a_x_check not in the schema ("x" <> '')`,
		"b: table not in the schema",
	}
	if len(lines) != len(wantLines) {
		t.Fatalf("differences %q\nwant %q", lines, wantLines)
	}
	for i := range lines {
		if lines[i] != wantLines[i] {
			t.Errorf("difference %d: %q, want %q", i, lines[i], wantLines[i])
		}
	}
	if d := inspect.Compare(want, want); len(d) != 0 {
		t.Errorf("a description differs from itself: %v", d)
	}
}

// TestMySQLNoDatabase: on a MySQL connection with no database selected,
// Inspect fails instead of reading that there are no tables (which
// CheckSchema would report as every table missing).
func TestMySQLNoDatabase(t *testing.T) {
	for _, d := range testdb.Dialects {
		if d.Name != "mysql" {
			continue
		}
		u, err := url.Parse(testdb.Base(t, d))
		if err != nil {
			t.Fatal(err)
		}
		u.Path = "/"
		ctx := context.Background()
		db, err := runtime.Open(ctx, u.String(), mysql.Driver)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if _, err := inspect.Inspect(ctx, db, inspect.Options{}); err == nil || !strings.Contains(err.Error(), "no database selected") {
			t.Errorf("Inspect = %v, want no database selected", err)
		}
	}
}
