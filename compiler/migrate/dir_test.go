package migrate_test

import (
	"errors"
	"testing"
	"testing/fstest"

	"github.com/ormc/ormc/compiler/migrate"
	rtmigrate "github.com/ormc/ormc/runtime/migrate"
)

// TestReadDirRefuses: directories that are not as ormc writes them are
// errors errors.Is tells apart, and a broken snapshot is one, not a
// panic.
func TestReadDirRefuses(t *testing.T) {
	good := directory(t, compile(t, post("")), nil, migrate.Options{})
	with := func(name, data string) fstest.MapFS {
		fsys := fstest.MapFS{}
		for n, f := range good {
			fsys[n] = f
		}
		fsys[name] = &fstest.MapFile{Data: []byte(data)}
		return fsys
	}
	resum := func(fsys fstest.MapFS) fstest.MapFS {
		files := map[string][]byte{}
		for n, f := range fsys {
			if n != migrate.SumFile {
				files[n] = f.Data
			}
		}
		fsys[migrate.SumFile] = &fstest.MapFile{Data: migrate.Sum(files)}
		return fsys
	}
	for _, tc := range []struct {
		name string
		fsys fstest.MapFS
		want error
	}{
		{"a file changed", with("0001_init.sqlite.sql", "-- ormc:step\nSELECT 1\n"), migrate.ErrSum},
		{"a file added", with("notes.txt", "x"), migrate.ErrSum},
		{"no ormc.sum", func() fstest.MapFS { f := with("x", ""); delete(f, migrate.SumFile); return f }(), migrate.ErrSum},
		{"a migration's file missing", resum(func() fstest.MapFS { f := with("x", ""); delete(f, "0001_init.mysql.sql"); return f }()), migrate.ErrLayout},
		{"a version skipped", resum(with("0003_x.schema.json", "{}")), migrate.ErrLayout},
		{"two migrations of one version", resum(with("0001_other.schema.json", "{}")), migrate.ErrLayout},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := migrate.ReadDir(tc.fsys); !errors.Is(err, tc.want) {
				t.Errorf("ReadDir: %v, want %v", err, tc.want)
			}
		})
	}
	for _, snap := range []string{
		`{"version": 2, "models": [{"name": "A", "table": "a", "fields": [], "primary_key": 0}]}`,
		`{"version": 2, "models": [{"name": "A", "table": "a", "fields": [{"name": "id", "column": "id", "type": {"kind": "foreignkey"}}], "primary_key": 0}]}`,
		`{"version": 2, "models": [{"name": "A", "table": "a", "fields": [{"name": "id", "column": "id", "type": {"kind": "foreignkey"}, "relation": {"model": "B"}}], "primary_key": 0}]}`,
		`{"version": 99, "models": []}`,
		`not json`,
	} {
		fsys := resum(with("0001_init.schema.json", snap))
		d, err := migrate.ReadDir(fsys)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := d.Next(compile(t, post("")), "", migrate.Options{}); !errors.Is(err, migrate.ErrLayout) {
			t.Errorf("snapshot %s: %v, want ErrLayout", snap, err)
		}
	}
}

// TestSumAgreesWithApplier: ormc.sum as the planner writes it is what
// runtime/migrate, which reads it, computes.
func TestSumAgreesWithApplier(t *testing.T) {
	fsys := directory(t, compile(t, post("")), compile(t, post("note String(20) null")), migrate.Options{})
	if err := rtmigrate.VerifySum(fsys); err != nil {
		t.Fatal(err)
	}
}
