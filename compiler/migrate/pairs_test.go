package migrate_test

import (
	"bytes"
	"testing"

	"github.com/ormc/ormc/compiler/ir"
	"github.com/ormc/ormc/compiler/migrate"
	"github.com/ormc/ormc/runtime/dialect"
)

// TestEveryPair plans from every schema of the scenarios to every other
// (it logs how many pairs), allowed to drop or not, on every dialect: no
// plan panics, and planning twice writes the same bytes. Under -short it
// plans about a quarter of the pairs: each schema to and from a quarter
// of the others, to and from the empty schema, and to itself.
func TestEveryPair(t *testing.T) {
	seen := map[string]bool{}
	var schemas []*ir.Schema
	for _, sc := range scenarios {
		for _, src := range []string{sc.before, sc.after} {
			if !seen[src] {
				seen[src] = true
				schemas = append(schemas, compile(t, src))
			}
		}
	}
	schemas = append(schemas, &ir.Schema{Version: ir.Version})
	empty := len(schemas) - 1
	n := 0
	for i, a := range schemas {
		for j, b := range schemas {
			if testing.Short() && (i+j)%4 != 0 && i != j && i != empty && j != empty {
				continue
			}
			n++
			for _, drop := range []bool{false, true} {
				p1 := migrate.New(a, b, migrate.Options{AllowDrop: drop})
				p2 := migrate.New(a, b, migrate.Options{AllowDrop: drop})
				for _, d := range dialect.All {
					if !bytes.Equal(p1.File(d, "0002_x"), p2.File(d, "0002_x")) {
						t.Fatalf("schemas %d → %d on %s: two plans differ", i, j, d.Name())
					}
				}
			}
		}
	}
	t.Logf("%d schemas, %d pairs", len(schemas), n)
}
