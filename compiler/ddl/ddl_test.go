package ddl_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ormc/ormc/compiler"
	"github.com/ormc/ormc/compiler/ddl"
	"github.com/ormc/ormc/compiler/ir"
	"github.com/ormc/ormc/internal/testdb"
	"github.com/ormc/ormc/runtime"
	"github.com/ormc/ormc/runtime/driver/mysql"
	"github.com/ormc/ormc/runtime/driver/postgres"
	"github.com/ormc/ormc/runtime/driver/sqlite"
	"github.com/ormc/ormc/schema"
)

func TestMain(m *testing.M) { testdb.Main(m) }

func load(t *testing.T, paths ...string) *ir.Schema {
	t.Helper()
	var files []*schema.File
	for _, p := range paths {
		src, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		f, err := schema.Parse(p, src)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	s, diags := compiler.Check(files...)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	return s
}

// cyclic has relations that form a cycle and a self-reference.
const cyclic = `
model Person < id Integer pk; name String(50); team ForeignKey(Team, on_delete: set_null) null; mentor ForeignKey(Person, on_delete: set_null) null >
model Team < id Integer pk; name String(50) unique; lead ForeignKey(Person, on_delete: set_null) null; index(name, lead) >
`

// dropAll runs ddl.Drop as the generated client does (see clientDDL).
func dropAll(ctx context.Context, db *runtime.DB, s *ir.Schema) error {
	return clientDDL(s, db).DropTables(ctx, db)
}

// TestApply applies the DDL of every example schema, and of a schema with
// a cycle, to every database, twice (create, drop, create, drop).
func TestApply(t *testing.T) {
	dir := t.TempDir()
	cyc := filepath.Join(dir, "cyclic.orm")
	if err := os.WriteFile(cyc, []byte(cyclic), 0o644); err != nil {
		t.Fatal(err)
	}
	schemas := map[string]*ir.Schema{
		"notes":  load(t, "../../examples/notes.orm"),
		"music":  load(t, "../../examples/music.orm"),
		"types":  load(t, "../../examples/types.orm"),
		"cyclic": load(t, cyc),
	}
	testdb.Each(t, func(t *testing.T, url string) {
		ctx := context.Background()
		db, err := runtime.Open(ctx, url, postgres.Driver, mysql.Driver, sqlite.Driver)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		for name, s := range schemas {
			for range 2 {
				if err := runtime.ExecAll(ctx, db, ddl.Create(s, db.Dialect())); err != nil {
					t.Fatalf("%s: create: %v", name, err)
				}
				if err := dropAll(ctx, db, s); err != nil {
					t.Fatalf("%s: drop: %v", name, err)
				}
			}
		}

		// Defaults and CHECK constraints hold for rows written with plain SQL.
		s := schemas["types"]
		if err := runtime.ExecAll(ctx, db, ddl.Create(s, db.Dialect())); err != nil {
			t.Fatal(err)
		}
		defer dropAll(ctx, db, s)
		q := func(sql string) string {
			// The dialect's identifier quote for the double quotes.
			return strings.ReplaceAll(sql, `"`, string(db.Dialect().AppendIdent(nil, "")[:1]))
		}
		insert := q(`INSERT INTO "account" ("id", "handle", "email", "age", "balance", "ratio", "created", "updated") VALUES ('0b9f3c1e-8f6a-4c2d-9e7b-1a2b3c4d5e6f', 'ann', 'a@b.c', %s, 1, 0.5, '2024-01-01 00:00:00', '2024-01-01 00:00:00')`)
		_, err = db.Exec(ctx, strings.Replace(insert, "%s", "12", 1)) // age below the minimum 13
		var ce *runtime.ConstraintError
		if !errors.As(err, &ce) || ce.Kind != runtime.CheckViolation {
			t.Errorf("check constraint: %v", err)
		}
		if _, err := db.Exec(ctx, strings.Replace(insert, "%s", "30", 1)); err != nil {
			t.Fatal(err)
		}
		rows, err := db.Exec(ctx, q(`UPDATE "account" SET "plan" = 'gold'`))
		if !errors.As(err, &ce) || ce.Kind != runtime.CheckViolation {
			t.Errorf("enum check: %v (%v)", err, rows)
		}
		var n int64
		if err := db.QueryRow(ctx, q(`SELECT COUNT(*) FROM "account" WHERE "plan" = 'free' AND "joined" IS NOT NULL`), nil, &n); err != nil || n != 1 {
			t.Errorf("DDL defaults: %d rows, %v", n, err)
		}
	})
}
