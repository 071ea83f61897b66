package ddl_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ormc/ormc/compiler/ddl"
	"github.com/ormc/ormc/compiler/ir"
	"github.com/ormc/ormc/internal/testdb"
	"github.com/ormc/ormc/runtime"
	"github.com/ormc/ormc/runtime/driver/mysql"
	"github.com/ormc/ormc/runtime/driver/postgres"
	"github.com/ormc/ormc/runtime/driver/sqlite"
)

// clientDDL is the schema's statements for db's dialect as the generated
// client carries them (cmd/ormc's build, gogen's client template).
func clientDDL(s *ir.Schema, db *runtime.DB) runtime.SchemaDDL {
	d := db.Dialect()
	before, after := ddl.DropSession(s, d)
	return runtime.SchemaDDL{d.Name(): {Create: ddl.Create(s, d), Drop: ddl.Drop(s, d), DropBefore: before, DropAfter: after}}
}

// TestDropTablesCycle: DropTables drops the tables of models that refer
// to each other in a cycle across tables, and to themselves, with rows
// that refer to each other in both tables, through every ON DELETE action
// (SQLite's DROP TABLE deletes the rows first, and an action on a table
// already dropped used to fail); afterwards foreign keys are still
// enforced on the connection that dropped. Inside a transaction, where
// SQLite cannot switch foreign keys off, it fails with ErrUnsupported
// there and drops elsewhere.
func TestDropTablesCycle(t *testing.T) {
	paths, err := filepath.Glob("../testdata/check/cycle/*.orm")
	if err != nil || len(paths) == 0 {
		t.Fatalf("cycle schema: %v %v", paths, err)
	}
	s := load(t, paths...)
	testdb.Each(t, func(t *testing.T, url string) {
		ctx := context.Background()
		sep := "?"
		if strings.Contains(url, "?") {
			sep = "&"
		}
		// One connection: the one that dropped is the one checked after.
		db, err := runtime.Open(ctx, url+sep+runtime.PoolMaxConns+"=1", postgres.Driver, mysql.Driver, sqlite.Driver)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		schema := clientDDL(s, db)
		q := func(sql string) string {
			return strings.ReplaceAll(sql, `"`, string(db.Dialect().AppendIdent(nil, "")[:1]))
		}
		const c1, c2 = "'0b9f3c1e-8f6a-4c2d-9e7b-1a2b3c4d5e6f'", "'1c9f3c1e-8f6a-4c2d-9e7b-1a2b3c4d5e6f'"
		fill := []string{
			`INSERT INTO "person" ("id") VALUES (1)`,
			`INSERT INTO "person" ("id", "manager", "mentor") VALUES (2, 1, 1)`,
			`UPDATE "person" SET "manager" = 2, "mentor" = 2 WHERE "id" = 1`,
			`INSERT INTO "company" ("id", "owner") VALUES (` + c1 + `, 1)`,
			`INSERT INTO "company" ("id", "owner", "parent") VALUES (` + c2 + `, 2, ` + c1 + `)`,
			`UPDATE "person" SET "employer" = ` + c1 + ` WHERE "id" = 1`,
			`UPDATE "person" SET "employer" = ` + c2 + ` WHERE "id" = 2`,
		}
		for round, inTx := range []bool{false, true} {
			if err := schema.CreateTables(ctx, db); err != nil {
				t.Fatalf("round %d: CreateTables: %v", round, err)
			}
			for _, stmt := range fill {
				if _, err := db.Exec(ctx, q(stmt)); err != nil {
					t.Fatalf("round %d: %s: %v", round, stmt, err)
				}
			}
			if inTx {
				err = db.Tx(ctx, func(tx *runtime.DB) error { return schema.DropTables(ctx, tx) })
				if db.Dialect().Name() == "sqlite" {
					if !errors.Is(err, runtime.ErrUnsupported) {
						t.Fatalf("round %d: DropTables in a transaction: got %v, want ErrUnsupported", round, err)
					}
					err = schema.DropTables(ctx, db)
				}
			} else {
				err = schema.DropTables(ctx, db)
			}
			if err != nil {
				t.Fatalf("round %d: DropTables with rows in a cycle: %v", round, err)
			}
			for _, table := range []string{"person", "company"} {
				if _, err := db.Exec(ctx, q(`SELECT 1 FROM "`+table+`"`)); err == nil {
					t.Fatalf("round %d: DropTables left %q", round, table)
				}
			}
		}

		// Foreign keys hold again on the connection that dropped.
		if err := schema.CreateTables(ctx, db); err != nil {
			t.Fatal(err)
		}
		defer schema.DropTables(context.WithoutCancel(ctx), db)
		_, err = db.Exec(ctx, q(`INSERT INTO "person" ("id", "mentor") VALUES (1, 12345)`))
		var ce *runtime.ConstraintError
		if !errors.As(err, &ce) || ce.Kind != runtime.ForeignKeyViolation {
			t.Errorf("after DropTables, a dangling reference: got %v, want a foreign key violation", err)
		}
	})
}
