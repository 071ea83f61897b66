package types

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"testing"

	"github.com/ormc/ormc/examples/types/db"
	"github.com/ormc/ormc/internal/testdb"
	"github.com/ormc/ormc/runtime"
)

// TestAutoRandom: on TiDB, the URL parameter auto_random makes the keys
// the database generates for a BIGINT key AUTO_RANDOM(5) in the tables
// CreateTables makes; an INT key stays AUTO_INCREMENT. Create and
// BulkCreate return the keys stored, which spread over the key space
// (the shard bits change from one statement to the next), CheckSchema
// finds no drift, and a key given by the caller is refused by TiDB
// (8216), as lang/spec.md says. Any other server refuses the parameter
// before anything is created.
func TestAutoRandom(t *testing.T) {
	for _, d := range testdb.Dialects {
		t.Run(d.Name, func(t *testing.T) {
			if d.Name != "tidb" && d.Name != "mysql" {
				t.Skip("auto_random is a parameter of the mysql:// URL, for TiDB")
			}
			ctx := context.Background()
			u := withAutoRandom(t, testdb.Fresh(t, d), "5")
			if d.Name != "tidb" {
				if c, err := db.Open(ctx, u); !errors.Is(err, runtime.ErrInvalidURL) || !strings.Contains(err.Error(), "TiDB's") {
					if c != nil {
						c.Close()
					}
					t.Fatalf("auto_random on %s: %v, want ErrInvalidURL naming TiDB", d.Name, err)
				}
				return
			}
			client := openTypes(t, u)
			for table, want := range map[string]string{"by_big_integer": "AUTO_RANDOM(5)", "by_integer": "AUTO_INCREMENT"} {
				var name, create string
				if err := client.DB().QueryRow(ctx, "SHOW CREATE TABLE "+table, nil, &name, &create); err != nil {
					t.Fatal(err)
				}
				if !strings.Contains(create, want) {
					t.Errorf("%s is not %s:\n%s", table, want, create)
				}
			}
			q := client.ByBigIntegers
			var rows []*db.ByBigInteger
			for _, name := range []string{"a", "b", "c"} {
				r, err := q.Create(ctx, &db.ByBigInteger{Name: name})
				if err != nil {
					t.Fatal(err)
				}
				rows = append(rows, r)
			}
			bulk := []*db.ByBigInteger{{Name: "d"}, {Name: "e"}, {Name: "f"}}
			if err := q.BulkCreate(ctx, bulk); err != nil {
				t.Fatal(err)
			}
			rows = append(rows, bulk...)
			shards := map[int64]bool{}
			for _, r := range rows {
				got, err := q.Get(ctx, db.ByBigIntegerID.Eq(r.ID))
				if err != nil || got.Name != r.Name {
					t.Errorf("key %d: %v, %v; want %q", r.ID, got, err, r.Name)
				}
				shards[r.ID>>58] = true // the 5 shard bits below the sign bit
			}
			for i := 1; i < len(bulk); i++ {
				if bulk[i].ID != bulk[0].ID+int64(i) {
					t.Errorf("BulkCreate's keys %d, %d: one statement's keys are consecutive", bulk[0].ID, bulk[i].ID)
				}
			}
			if len(shards) < 2 {
				t.Errorf("keys %v: the shard bits never changed over 4 statements", rows)
			}
			if err := client.CheckSchema(ctx); err != nil {
				t.Errorf("CheckSchema: %v", err)
			}
			_, err := q.Create(ctx, &db.ByBigInteger{ID: 7, Name: "given"})
			if err == nil || !strings.Contains(err.Error(), "8216") {
				t.Errorf("a given key: %v, want TiDB's 8216", err)
			}
		})
	}
}

// withAutoRandom adds auto_random=bits to a database URL.
func withAutoRandom(t *testing.T, rawURL, bits string) string {
	t.Helper()
	u, err := url.Parse(rawURL)
	if err != nil {
		t.Fatal(err)
	}
	v := u.Query()
	v.Set("auto_random", bits)
	u.RawQuery = v.Encode()
	return u.String()
}
