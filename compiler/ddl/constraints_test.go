package ddl_test

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"testing"

	"github.com/ormc/ormc/compiler/ddl"
	"github.com/ormc/ormc/runtime/dialect"
)

var constraintRE = regexp.MustCompile("CONSTRAINT [\"`]([^\"`]+)[\"`]")

// TestConstraintMetadata: the constraints ir.Constraints lists, which the
// generated client carries to name violations, are exactly the named
// constraints the DDL creates, on every dialect; the primary key, which
// the DDL leaves for the database to name, is listed as PostgreSQL names
// it. SQLite's dialect.KeyRangeCheck is not listed: its driver reports it
// as a key column with no key left, never as a constraint violation.
func TestConstraintMetadata(t *testing.T) {
	cyc := filepath.Join(t.TempDir(), "cyclic.orm")
	if err := os.WriteFile(cyc, []byte(cyclic), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"../../examples/notes.orm", "../../examples/music.orm", "../../examples/types.orm", cyc} {
		s := load(t, path)
		var want []string
		for _, m := range s.Models {
			for i, c := range s.Constraints(m) {
				if i == 0 {
					if c.Name != m.Table+"_pkey" || c.Columns[0] != m.PK().Column {
						t.Errorf("%s: first constraint %+v, want the primary key", m.Name, c)
					}
					continue
				}
				want = append(want, c.Name)
			}
		}
		slices.Sort(want)
		for _, d := range []dialect.Dialect{dialect.Postgres, dialect.MySQL, dialect.SQLite} {
			var got []string
			for _, stmt := range ddl.Create(s, d) {
				for _, m := range constraintRE.FindAllStringSubmatch(stmt, -1) {
					if m[1] != dialect.KeyRangeCheck {
						got = append(got, m[1])
					}
				}
			}
			slices.Sort(got)
			if !slices.Equal(got, want) {
				t.Errorf("%s, %s: the DDL names %v, the metadata %v", filepath.Base(path), d.Name(), got, want)
			}
		}
	}
}
