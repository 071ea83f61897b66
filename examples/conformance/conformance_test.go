package conformance

import (
	"context"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/ormc/ormc/examples/conformance/db"
	"github.com/ormc/ormc/internal/testdb"
)

func TestMain(m *testing.M) { testdb.Main(m) }

// target is one database the suite runs on.
type target struct {
	name string
	url  func(t *testing.T) string
}

// targets are every dialect, plus PostgreSQL with LC_CTYPE C, whose
// lower() folds ASCII only, and Vitess's sharded keyspace, where every
// table is spread over two shards.
func targets() []target {
	var out []target
	for _, d := range testdb.Dialects {
		out = append(out, target{d.Name, func(t *testing.T) string { return testdb.Fresh(t, d) }})
	}
	return append(out, target{"postgres-ctype-c", func(t *testing.T) string {
		return testdb.PostgresDatabase(t, "LC_COLLATE 'C' LC_CTYPE 'C'")
	}}, target{testdb.VitessShardedTarget, func(t *testing.T) string {
		return testdb.VitessShardedSchema(t, "db/schema.json")
	}})
}

// TestConformance runs every case on every target, against the same
// expectations but for the documented exceptions.
func TestConformance(t *testing.T) {
	for _, tg := range targets() {
		t.Run(tg.name, func(t *testing.T) {
			ctx := context.Background()
			client, err := db.Open(ctx, tg.url(t))
			if err != nil {
				t.Fatal(err)
			}
			defer client.Close()
			seed(t, ctx, client)
			for _, c := range cases {
				want, wantErr := c.want, ""
				for _, e := range c.except {
					if e.target == tg.name {
						want, wantErr = e.want, e.err
					}
				}
				got, err := c.run(ctx, client)
				if wantErr != "" {
					if err == nil || !strings.Contains(err.Error(), wantErr) {
						t.Errorf("%s: got %q, %v; want an error with %q", c.name, got, err, wantErr)
					}
					continue
				}
				if err != nil {
					t.Errorf("%s: %v", c.name, err)
					continue
				}
				if !slices.Equal(got, want) {
					t.Errorf("%s:\n got  %q\n want %q", c.name, got, want)
				}
			}
		})
	}
}

// TestExceptionsDocumented: every exception in the suite is a row of the
// "Dialect differences" table of lang/spec.md that names this suite as
// what pins it, and names a known target; and every case has a unique
// name.
func TestExceptionsDocumented(t *testing.T) {
	rows := differences(t)
	names := map[string]bool{}
	var known []string
	for _, tg := range targets() {
		known = append(known, tg.name)
	}
	for _, c := range cases {
		if names[c.name] {
			t.Errorf("case %q is listed twice", c.name)
		}
		names[c.name] = true
		for _, e := range c.except {
			pinned, ok := rows[e.what]
			switch {
			case !ok:
				t.Errorf("case %q: exception on %s: %q is not a row of lang/spec.md's Dialect differences table", c.name, e.target, e.what)
			case !strings.Contains(pinned, "TestConformance"):
				t.Errorf("case %q: the spec's row %q does not name TestConformance as what pins it", c.name, e.what)
			}
			if !slices.Contains(known, e.target) {
				t.Errorf("case %q: exception for unknown target %q", c.name, e.target)
			}
			if e.err == "" && slices.Equal(e.want, c.want) {
				t.Errorf("case %q: the exception on %s expects what every target does", c.name, e.target)
			}
		}
	}
}

// TestManyToManyExceptionsDocumented: every exception of TestManyToMany
// on the sharded keyspace is a row of the spec's table naming it.
func TestManyToManyExceptionsDocumented(t *testing.T) {
	rows := differences(t)
	for name, e := range manyToManySharded {
		if pinned, ok := rows[e.what]; !ok || !strings.Contains(pinned, "TestManyToMany") {
			t.Errorf("case %q: %q is not a row of lang/spec.md's table naming TestManyToMany", name, e.what)
		}
	}
}

// differences returns the rows of the spec's Dialect differences table:
// the first column (the "what") → the last (what pins it).
func differences(t *testing.T) map[string]string {
	t.Helper()
	spec, err := os.ReadFile("../../lang/spec.md")
	if err != nil {
		t.Fatal(err)
	}
	_, table, ok := strings.Cut(string(spec), "### Dialect differences\n")
	if !ok {
		t.Fatal("lang/spec.md has no Dialect differences section")
	}
	rows := map[string]string{}
	for _, line := range strings.Split(table, "\n") {
		if strings.HasPrefix(line, "#") {
			break
		}
		if !strings.HasPrefix(line, "|") {
			continue
		}
		cells := strings.Split(strings.Trim(line, "|"), "|")
		rows[strings.TrimSpace(cells[0])] = strings.TrimSpace(cells[len(cells)-1])
	}
	if len(rows) < 3 {
		t.Fatalf("the Dialect differences table has %d rows", len(rows))
	}
	return rows
}
