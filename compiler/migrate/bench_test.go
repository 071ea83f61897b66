package migrate_test

import (
	"os/exec"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/ormc/ormc/compiler/migrate"
)

// BenchmarkNext500 plans the migration of one changed field of the
// benchmark's 500-model schema (bench/cmd/genschema): the directory read
// and checked, the snapshot decoded, the diff, the lint and the files of
// every dialect with ormc.sum. Parsing and checking the schema, which
// every ormc command does, is not counted.
func BenchmarkNext500(b *testing.B) {
	out, err := exec.Command("go", "run", "-C", "../../bench", "./cmd/genschema").Output()
	if err != nil {
		b.Skipf("genschema: %v", err)
	}
	before := compile(b, string(out))
	after := compile(b, strings.Replace(string(out), "f08 String(100)", "f08 String(120)", 1))
	fsys := fstest.MapFS{}
	d, _ := migrate.ReadDir(fsys)
	u, err := d.Next(before, "init", migrate.Options{})
	if err != nil {
		b.Fatal(err)
	}
	for n, data := range u.Writes {
		fsys[n] = &fstest.MapFile{Data: data}
	}
	b.ResetTimer()
	for b.Loop() {
		d, err := migrate.ReadDir(fsys)
		if err != nil {
			b.Fatal(err)
		}
		u, err := d.Next(after, "widen", migrate.Options{})
		if err != nil || len(u.Plan.Changes) != 1 {
			b.Fatalf("%v, %d changes", err, len(u.Plan.Changes))
		}
	}
}
