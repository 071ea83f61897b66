package runtime_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/ormc/ormc/runtime"
	"github.com/ormc/ormc/runtime/driver/sqlite"
)

// TestSQLiteURLs: the seed's URL forms name the files they should.
func TestSQLiteURLs(t *testing.T) {
	for _, tc := range []struct{ url, path string }{
		{"sqlite:///db.sqlite", "db.sqlite"},
		{"sqlite:///dir/db.sqlite", "dir/db.sqlite"},
		{"sqlite:////abs/path.db", "/abs/path.db"},
		{"sqlite://:memory:", ":memory:"},
		{"sqlite:///with%20space.db?_pragma=x", "with space.db"},
	} {
		p, _, err := sqlite.Path(tc.url)
		if err != nil || p != tc.path {
			t.Errorf("Path(%q) = %q, %v; want %q", tc.url, p, err, tc.path)
		}
	}
	for _, bad := range []string{"sqlite://", "sqlite:", "sqlite://relative.db", "file:x.db"} {
		if _, _, err := sqlite.Path(bad); err == nil {
			t.Errorf("Path(%q): want an error", bad)
		}
	}

	// A relative URL opens a file relative to the working directory.
	dir := t.TempDir()
	t.Chdir(dir)
	db, err := runtime.Open(context.Background(), "sqlite:///rel.db", sqlite.Driver)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	if _, err := os.Stat(filepath.Join(dir, "rel.db")); err != nil {
		t.Errorf("sqlite:///rel.db did not create rel.db in the working directory: %v", err)
	}
	abs := filepath.Join(dir, "abs.db")
	db, err = runtime.Open(context.Background(), "sqlite:///"+abs, sqlite.Driver)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	if _, err := os.Stat(abs); err != nil {
		t.Errorf("sqlite:////…/abs.db did not create %s: %v", abs, err)
	}
}
