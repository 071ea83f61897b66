package ddl_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/ormc/ormc/compiler/ddl"
	"github.com/ormc/ormc/compiler/ir"
	"github.com/ormc/ormc/runtime/dialect"
)

// namedRE finds the names the DDL gives constraints and indexes.
var namedRE = regexp.MustCompile("(?:CONSTRAINT|INDEX) [\"`]([^\"`]+)[\"`]")

// snapshotSchemas are the schemas the snapshot tests read: every example,
// a cycle of relations, and names long enough to be shortened.
func snapshotSchemas(t *testing.T) map[string]*ir.Schema {
	dir := t.TempDir()
	srcs := map[string]string{"cyclic.orm": cyclic, "long.orm": `
model LongName "` + strings.Repeat("t", 60) + `" <
  id Integer pk
  ` + strings.Repeat("c", 60) + ` String(10) unique
  ` + strings.Repeat("d", 60) + ` Integer(minimum: 0) index
  parent ForeignKey(LongName) null
  index(` + strings.Repeat("c", 60) + `, ` + strings.Repeat("d", 60) + `)
>
`}
	out := map[string]*ir.Schema{}
	for name, src := range srcs {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		out[name] = load(t, p)
	}
	for _, p := range []string{"../../examples/notes.orm", "../../examples/music.orm", "../../examples/types.orm", "../../examples/hostile.orm", "../../examples/conformance.orm"} {
		out[filepath.Base(p)] = load(t, p)
	}
	return out
}

// TestSnapshotNames: the schema snapshot alone gives the same DDL and the
// same constraint metadata as the checked schema, on every dialect. With
// TestDDLReadsStoredNames, this says that every name the DDL uses is
// written in the snapshot, so that two snapshots can be compared name by
// name.
func TestSnapshotNames(t *testing.T) {
	for name, s := range snapshotSchemas(t) {
		data, err := ir.MarshalSnapshot(s)
		if err != nil {
			t.Fatal(err)
		}
		var back ir.Schema
		if err := json.Unmarshal(data, &back); err != nil {
			t.Fatal(err)
		}
		if back.Version != ir.Version {
			t.Errorf("%s: version %d, want %d", name, back.Version, ir.Version)
		}
		for i, m := range s.Models {
			bm := back.Models[i]
			if !reflect.DeepEqual(s.Constraints(m), back.Constraints(bm)) {
				t.Errorf("%s: model %s: constraints %+v from the snapshot, %+v checked", name, m.Name, back.Constraints(bm), s.Constraints(m))
			}
			if bm.PrimaryKeyName != m.PrimaryKeyName || bm.SequenceName != m.SequenceName {
				t.Errorf("%s: model %s: key %q and sequence %q from the snapshot, %q and %q checked", name, m.Name, bm.PrimaryKeyName, bm.SequenceName, m.PrimaryKeyName, m.SequenceName)
			}
		}
		for _, d := range dialect.All {
			if got, want := ddl.Create(&back, d), ddl.Create(s, d); !slices.Equal(got, want) {
				t.Errorf("%s, %s: CREATE from the snapshot:\n%s\nchecked:\n%s", name, d.Name(), ddl.Script(got), ddl.Script(want))
			}
			if got, want := ddl.Drop(&back, d), ddl.Drop(s, d); !slices.Equal(got, want) {
				t.Errorf("%s, %s: DROP from the snapshot:\n%s\nchecked:\n%s", name, d.Name(), ddl.Script(got), ddl.Script(want))
			}
		}
	}
}

// TestDDLReadsStoredNames: the DDL and the constraint metadata take every
// name from the IR, where the checker stored it, and work out none again.
func TestDDLReadsStoredNames(t *testing.T) {
	const mark = "renamed_"
	for name, s := range snapshotSchemas(t) {
		rename := func(n *string) {
			if *n != "" {
				*n = mark + *n
			}
		}
		for _, m := range s.Models {
			rename(&m.PrimaryKeyName)
			rename(&m.SequenceName)
			for _, f := range m.Fields {
				rename(&f.UniqueName)
				rename(&f.IndexName)
				rename(&f.ForeignKeyName)
				rename(&f.CheckName)
			}
			for _, ix := range m.Indexes {
				rename(&ix.Name)
			}
			for _, c := range s.Constraints(m) {
				if !strings.HasPrefix(c.Name, mark) {
					t.Errorf("%s: model %s: constraint %q is not the stored name", name, m.Name, c.Name)
				}
			}
		}
		for _, d := range dialect.All {
			stmts := append(ddl.Create(s, d), ddl.Drop(s, d)...)
			for _, stmt := range stmts {
				for _, m := range namedRE.FindAllStringSubmatch(stmt, -1) {
					if m[1] != dialect.KeyRangeCheck && !strings.HasPrefix(m[1], mark) {
						t.Errorf("%s, %s: name %q is not the stored name in\n%s", name, d.Name(), m[1], stmt)
					}
				}
			}
		}
	}
}
