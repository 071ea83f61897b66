package runtime_test

import (
	"context"
	"errors"
	neturl "net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
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

// sqlitePragmas opens url and returns what its connection reports of the
// pragmas ormc sets: foreign_keys, journal_mode and busy_timeout.
func sqlitePragmas(t *testing.T, url string) (fk int, journal string, busy int, err error) {
	t.Helper()
	ctx := context.Background()
	db, err := runtime.Open(ctx, url, sqlite.Driver)
	if err != nil {
		return 0, "", 0, err
	}
	defer db.Close()
	rows, err := db.Query(ctx, "SELECT (SELECT foreign_keys FROM pragma_foreign_keys()), (SELECT journal_mode FROM pragma_journal_mode()), (SELECT timeout FROM pragma_busy_timeout())")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	if !rows.Next() {
		t.Fatalf("%s: no pragma row: %v", url, rows.Err())
	}
	if err := rows.Scan(&fk, &journal, &busy); err != nil {
		t.Fatal(err)
	}
	return fk, journal, busy, rows.Close()
}

// dirFiles lists the names in dir.
func dirFiles(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

// TestSQLiteURLFiles: a sqlite URL's path is decoded once, exactly, and
// opens the file it names, with foreign keys, WAL and the busy timeout on,
// whatever the name holds: an escaped "?" or "#" stays part of the name,
// "%2541" is the name "%41" and "%41" is "A". Before, "%3F" ended the file
// name and what followed became options that switched foreign keys off,
// "#" ended the name, and "%2541" was decoded twice.
func TestSQLiteURLFiles(t *testing.T) {
	root := t.TempDir()
	for i, tc := range []struct{ tail, name string }{
		{"x%3F_pragma=foreign_keys(0)%26y=.db", "x?_pragma=foreign_keys(0)&y=.db"},
		{"a%3Fb.db", "a?b.db"},
		{"a%3F_fk=0", "a?_fk=0"},
		{"a%23b.db", "a#b.db"},
		{"a%23%3Fb.db", "a#?b.db"},
		{"%2541.db", "%41.db"},
		{"%41.db", "A.db"},
		{"%25.db", "%.db"},
		{"sp%20ace.db", "sp ace.db"},
		{"%C3%BC%E2%80%AE.db", "ü\u202e.db"},
		{"a&b=c;d.db", "a&b=c;d.db"},
		{"%3Amemory%3A.x", ":memory:.x"},
		{"a+b.db", "a+b.db"},
	} {
		dir := filepath.Join(root, strconv.Itoa(i))
		if err := os.Mkdir(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		url := "sqlite:///" + (&neturl.URL{Path: dir}).EscapedPath() + "/" + tc.tail
		if p, _, err := sqlite.Path(url); err != nil || p != filepath.Join(dir, tc.name) {
			t.Errorf("Path(%q) = %q, %v; want %q", url, p, err, filepath.Join(dir, tc.name))
		}
		fk, journal, busy, err := sqlitePragmas(t, url)
		if err != nil {
			t.Errorf("%s: %v", url, err)
			continue
		}
		if fk != 1 || journal != "wal" || busy != 5000 {
			t.Errorf("%s: foreign_keys %d, journal_mode %q, busy_timeout %d; want 1, wal, 5000", url, fk, journal, busy)
		}
		for _, f := range dirFiles(t, dir) {
			if f != tc.name && f != tc.name+"-wal" && f != tc.name+"-shm" {
				t.Errorf("%s opened %q, want %q", url, f, tc.name)
			}
		}
		if _, err := os.Stat(filepath.Join(dir, tc.name)); err != nil {
			t.Errorf("%s: %v", url, err)
		}
	}
}

// TestSQLiteURLRefused: a sqlite URL whose options could switch off what
// ormc relies on (foreign keys, WAL, the busy timeout, immediate
// transactions, its time format, case-sensitive LIKE), open another
// database than the file, or that has a fragment or a NUL in its path,
// fails with ErrInvalidURL, naming what is wrong, and creates no file.
// Before, every option was passed on to the driver and SQLite.
func TestSQLiteURLRefused(t *testing.T) {
	dir := t.TempDir()
	base := "sqlite:///" + (&neturl.URL{Path: dir}).EscapedPath() + "/x.db"
	for _, tc := range []struct{ url, want string }{
		{base + "?_pragma=foreign_keys(0)", `"_pragma"`},
		{base + "?_pragma=case_sensitive_like(0)", `"_pragma"`},
		{base + "?_fk=0", `"_fk"`},
		{base + "?_foreign_keys=off", `"_foreign_keys"`},
		{base + "?_journal_mode=DELETE", `"_journal_mode"`},
		{base + "?_busy_timeout=0", `"_busy_timeout"`},
		{base + "?_timeout=0", `"_timeout"`},
		{base + "?_txlock=deferred", `"_txlock"`},
		{base + "?_time_format=", `"_time_format"`},
		{base + "?_query_only=1", `"_query_only"`},
		{base + "?mode=memory", `"mode"`},
		{base + "?vfs=memdb", `"vfs"`},
		{base + "?immutable=1", `"immutable"`},
		{base + "?nolock=1", `"nolock"`},
		{base + "?cache=shared", `"cache"`},
		{base + "?pool_max_conns=2&_fk=0", `"_fk"`},
		{base + "?%zz", "parameters"},
		{base + "#frag", "fragment"},
		{base + "%00y", "NUL"},
		{"sqlite:///:memory:", "sqlite://:memory:"},
		{"sqlite://:memory:?_fk=0", `"_fk"`},
	} {
		_, err := runtime.Open(context.Background(), tc.url, sqlite.Driver)
		if !errors.Is(err, runtime.ErrInvalidURL) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Open(%q): want ErrInvalidURL saying %s, got %v", tc.url, tc.want, err)
		}
	}
	if files := dirFiles(t, dir); len(files) > 0 {
		t.Errorf("refused URLs created %q", files)
	}
	// What ormc documents is accepted.
	for _, url := range []string{base + "?pool_max_conns=2", "sqlite://:memory:?pool_max_conns=1", "sqlite://:memory:"} {
		if _, _, _, err := sqlitePragmas(t, url); err != nil {
			t.Errorf("Open(%q): %v", url, err)
		}
	}
}

// TestSQLiteURLBuilt: sqlite.URL writes a URL that names exactly the file
// it was given.
func TestSQLiteURLBuilt(t *testing.T) {
	for _, p := range []string{"/abs/a?b#c%41 d.db", "rel.db", "//x", "dir/:memory:", "ü.db", "a&b=c"} {
		u := sqlite.URL(p)
		if got, q, err := sqlite.Path(u); err != nil || got != p || q != "" {
			t.Errorf("Path(URL(%q)) = Path(%q) = %q, %q, %v", p, u, got, q, err)
		}
	}
}
