package ddl_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/ormc/ormc/compiler/ddl"
	"github.com/ormc/ormc/internal/testdb"
	"github.com/ormc/ormc/runtime"
	"github.com/ormc/ormc/runtime/driver/mysql"
	"github.com/ormc/ormc/runtime/driver/postgres"
	"github.com/ormc/ormc/runtime/driver/sqlite"
)

const bounded = `
model Bounded "bounded" <
  id    Integer pk
  open  Decimal(5, 2, exclusive_minimum: -1, exclusive_maximum: 100) null
  shut  Decimal(30, 10, minimum: 0.5, maximum: 99.5) null
  whole Integer(minimum: -5, exclusive_maximum: 10) null
  ratio Float(exclusive_minimum: 0, maximum: 1.5) null
>
`

// TestCheckBounds: the CHECK constraints of numeric bounds accept values
// at the edges and refuse those just beyond, for rows written with plain
// SQL, binding decimals as text as the client does. On SQLite a Decimal
// is stored as text, which must still compare as a number: "5" and "99.50"
// lie within (-1, 100) although "5" > "100" as text.
func TestCheckBounds(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bounded.orm")
	if err := os.WriteFile(path, []byte(bounded), 0o644); err != nil {
		t.Fatal(err)
	}
	s := load(t, path)
	cases := []struct {
		col  string
		val  any
		okay bool
	}{
		{"open", "5", true}, {"open", "99.50", true}, {"open", "99.99", true}, {"open", "-0.99", true},
		{"open", "0", true}, {"open", "10", true}, {"open", "-1", false}, {"open", "-1.00", false},
		{"open", "100", false}, {"open", "100.00", false}, {"open", "150", false}, {"open", "-5", false},
		{"shut", "0.5", true}, {"shut", "99.5", true}, {"shut", "5", true}, {"shut", "10.0000000001", true},
		{"shut", "0.4999999999", false}, {"shut", "99.5000000001", false}, {"shut", "100", false}, {"shut", "0", false},
		{"whole", int64(-5), true}, {"whole", int64(9), true}, {"whole", int64(-6), false}, {"whole", int64(10), false},
		{"ratio", 1.5, true}, {"ratio", 1e-9, true}, {"ratio", 0.0, false}, {"ratio", 1.5000001, false},
	}
	testdb.Each(t, func(t *testing.T, url string) {
		ctx := context.Background()
		db, err := runtime.Open(ctx, url, postgres.Driver, mysql.Driver, sqlite.Driver)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if err := runtime.ExecAll(ctx, db, ddl.Create(s, db.Dialect())); err != nil {
			t.Fatal(err)
		}
		q := func(sql string) string {
			b := []byte(sql)
			quote := db.Dialect().AppendIdent(nil, "")[0] // the dialect's identifier quote
			for i := range b {
				if b[i] == '"' {
					b[i] = quote
				}
			}
			return string(b)
		}
		for i, c := range cases {
			ph := string(db.Dialect().AppendPlaceholder(nil, 2))
			_, err := db.Exec(ctx, q(`INSERT INTO "bounded" ("id", "`+c.col+`") VALUES (`+
				string(db.Dialect().AppendPlaceholder(nil, 1))+`, `+ph+`)`), int64(i+1), c.val)
			var ce *runtime.ConstraintError
			switch {
			case c.okay && err != nil:
				t.Errorf("%s = %v: refused: %v", c.col, c.val, err)
			case !c.okay && (!errors.As(err, &ce) || ce.Kind != runtime.CheckViolation):
				t.Errorf("%s = %v: want a check violation, got %v", c.col, c.val, err)
			}
		}
	})
}
