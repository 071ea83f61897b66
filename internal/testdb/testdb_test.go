package testdb

import (
	"testing"

	"github.com/ormc/ormc/runtime/dialect"
)

// TestDialects: tests run every dialect of the registry, each with a way
// to make its databases, SQLite (no server) first, then the servers in the
// registry's order, as tests that index Dialects expect.
func TestDialects(t *testing.T) {
	var got []string
	for _, d := range Dialects {
		got = append(got, d.Name)
		s, ok := servers[d.Name]
		if !ok || s.fresh == nil || s.env != d.Env {
			t.Errorf("dialect %q: no test setup, or another variable than %q", d.Name, d.Env)
		}
	}
	want := []string{dialect.SQLite.Name(), dialect.Postgres.Name(), dialect.MySQL.Name()}
	if len(got) != len(want) || len(Dialects) != len(dialect.All) {
		t.Fatalf("Dialects = %q, want %q", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("Dialects = %q, want %q", got, want)
		}
	}
}
