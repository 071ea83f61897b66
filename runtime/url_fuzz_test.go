package runtime_test

import (
	"errors"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/ormc/ormc/runtime"
	"github.com/ormc/ormc/runtime/driver/mysql"
	"github.com/ormc/ormc/runtime/driver/sqlite"
)

// Fuzz targets for the database URL parsers: runtime.Scheme,
// runtime.Redact, sqlite.Path and mysql.Config. None may panic, and
// Redact must never let a password through.

var urlSeeds = []string{
	"postgresql://postgres@127.0.0.1:5432/test",
	"postgresql://u:s3cret@db.example:5432/app?sslmode=disable&search_path=x",
	"postgres://u:p%40ss%2Fw%3Ford@h/db",
	"postgres://h/db?password=s3cret&sslpassword=k3y",
	"postgres://u:pa:ss@h/db",
	"postgres://:onlypass@h/db",
	"postgres://u:@h/db",
	"postgres://u:p@ss@h/db",
	"postgres://u:p#ss@h/db",
	"postgres://u:p/ss@h/db",
	"postgres://u:p?ss@h/db",
	"postgres://[::1]:5432/db",
	"mysql://root@127.0.0.1:3306/test",
	"mysql://u:s3cret@tcp-host:3306/db?parseTime=false&pool_max_conns=4",
	"mysql://u:s3cret@h/db?charset=utf8mb4&collation=utf8mb4_bin",
	"mysql://u:s3cret@h/db?%zz",
	"mysql://u:s3cret@h:notaport/db",
	"mysql://h/db?Password=x",
	"sqlite:///relative.db",
	"sqlite:////absolute/path.db?_pragma=foo(1)",
	"sqlite://:memory:",
	"sqlite://",
	"sqlite:///",
	"sqlite:///a%zzb.db",
	"sqlite:///file.db?pool_max_conns=2",
	"://",
	"",
	"x://a:b@",
	"oracle://scott:tiger@h/db",
	"host=h user=u password=s3cret",
}

// FuzzRedact checks Scheme and Redact on any input: Redact is idempotent,
// and whatever password net/url, pgx or the mysql driver would read from
// the URL, they read "xxxxx" (or none) from its redaction, while the user,
// host, path and other parameters survive.
func FuzzRedact(f *testing.F) {
	for _, s := range urlSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		if sch := runtime.Scheme(raw); sch != "" && !strings.HasPrefix(raw, sch+"://") {
			t.Fatalf("Scheme(%q) = %q, not a prefix", raw, sch)
		}
		r := runtime.Redact(raw)
		if rr := runtime.Redact(r); rr != r {
			t.Fatalf("Redact not idempotent: %q → %q → %q", raw, r, rr)
		}
		if u, err := url.Parse(raw); err == nil {
			u2, err := url.Parse(r)
			if err != nil {
				return // no driver reads anything from it, so no password either
			}
			if pw, ok := u2.User.Password(); ok && pw != "" && pw != "xxxxx" {
				t.Fatalf("Redact(%q) = %q: password %q left", raw, r, pw)
			}
			if strings.Contains(raw, "@") || strings.Contains(raw, "#") {
				// Where the drivers disagree on the user information,
				// Redact hides more; nothing else is to be kept exactly.
				return
			}
			if u.User.Username() != u2.User.Username() || u.Host != u2.Host || u.Path != u2.Path || u.Scheme != u2.Scheme {
				t.Fatalf("Redact(%q) = %q changed more than the password", raw, r)
			}
			for k, vs := range u2.Query() {
				lk := strings.ToLower(k)
				if strings.Contains(lk, "password") || strings.Contains(lk, "passwd") {
					for _, v := range vs {
						if v != "" && v != "xxxxx" {
							t.Fatalf("Redact(%q) = %q: parameter %q=%q left", raw, r, k, v)
						}
					}
				} else if !equalStrings(vs, u.Query()[k]) {
					t.Fatalf("Redact(%q) = %q changed parameter %q", raw, r, k)
				}
			}
		}
		if cfg, err := mysql.Config(raw); err == nil && cfg.Passwd != "" {
			if cfg2, err := mysql.Config(r); err == nil && cfg2.Passwd != "xxxxx" {
				t.Fatalf("Redact(%q) = %q: mysql reads password %q", raw, r, cfg2.Passwd)
			}
		}
		if s := runtime.Scheme(raw); s == "postgres" || s == "postgresql" {
			if cfg, err := pgconn.ParseConfig(raw); err == nil && cfg.Password != "" {
				if cfg2, err := pgconn.ParseConfig(r); err == nil && cfg2.Password != "xxxxx" {
					t.Fatalf("Redact(%q) = %q: pgx reads password %q", raw, r, cfg2.Password)
				}
			}
		}
	})
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// FuzzRedactBuilt builds URLs the way a program would, from a user, a
// password, a host and a parameter, and checks that the password, as
// written or escaped, is nowhere in the redaction (unless it is also part
// of the URL's other text, where it is no secret).
func FuzzRedactBuilt(f *testing.F) {
	f.Add("postgresql", "u", "s3cret", "h:5432", "x", false)
	f.Add("mysql", "root", "p@ss/w?rd#", "127.0.0.1", "y", true)
	f.Add("postgres", "", "::::", "h", "", false)
	f.Add("mysql", "a:b", "%41%", "[::1]:3306", "password", true)
	f.Fuzz(func(t *testing.T, scheme, user, pass, host, param string, inQuery bool) {
		if len(pass) < 3 || strings.Contains("xxxxx", pass) {
			return
		}
		u := &url.URL{Scheme: scheme, Host: host, Path: "/db"}
		q := url.Values{"p": {param}}
		if inQuery {
			u.User = url.User(user)
			q.Set("password", pass)
		} else {
			u.User = url.UserPassword(user, pass)
		}
		u.RawQuery = q.Encode()
		raw := u.String()
		if p, err := url.Parse(raw); err != nil || p.Scheme != strings.ToLower(scheme) {
			return // not a URL with that scheme, so not a database URL
		}
		// The same URL without the password: where pass shows there, it
		// is not the password showing.
		u.User = url.User(user)
		q.Del("password")
		u.RawQuery = q.Encode()
		rest := u.String()
		r := runtime.Redact(raw)
		for _, form := range []string{pass, url.QueryEscape(pass), url.PathEscape(pass), (&url.URL{User: url.UserPassword("", pass)}).String()[3:]} {
			if len(form) >= 3 && !strings.Contains(rest, form) && strings.Contains(r, form) {
				t.Fatalf("Redact(%q) = %q shows the password as %q", raw, r, form)
			}
		}
	})
}

// FuzzSQLitePath checks that sqlite.Path never panics, that what it
// accepts is a non-empty path and the query after the first "?", and that
// a URL it accepts for a file in a directory opens exactly that file, with
// foreign keys, WAL and the busy timeout on, whatever its options, or
// fails and creates nothing.
func FuzzSQLitePath(f *testing.F) {
	for _, s := range urlSeeds {
		f.Add(s)
	}
	for _, s := range []string{
		"sqlite:///x%3F_pragma=foreign_keys(0)%26y=.db",
		"sqlite:///a%23b.db",
		"sqlite:///%2541.db",
		"sqlite:///a.db?_fk=0",
		"sqlite:///a.db?_pragma=journal_mode(DELETE)",
		"sqlite:///a.db?mode=memory",
		"sqlite:///a.db#x",
		"sqlite:///a%00b",
		"sqlite:///:memory:",
		"SQLite:///a.db?pool_max_conns=3",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		p, q, err := sqlite.Path(raw)
		if err != nil {
			if p != "" || q != "" || !errors.Is(err, runtime.ErrInvalidURL) {
				t.Fatalf("Path(%q) returned %q, %q with error %v", raw, p, q, err)
			}
			return
		}
		if p == "" || strings.ContainsRune(p, 0) {
			t.Fatalf("Path(%q): path %q", raw, p)
		}
		if _, after, ok := strings.Cut(raw, "?"); ok && after != q || !ok && q != "" {
			t.Fatalf("Path(%q): query %q", raw, q)
		}
		if p == ":memory:" || strings.Contains(p, "/") || len(p) > 200 {
			return // a name in the directory below, and no other
		}
		dir := t.TempDir()
		inDir := "sqlite:///" + (&url.URL{Path: dir}).EscapedPath() + "/" + raw[len("sqlite:///"):]
		if p2, q2, err := sqlite.Path(inDir); err != nil || p2 != filepath.Join(dir, p) || q2 != q {
			t.Fatalf("Path(%q) = %q, %q, %v; want %q, %q", inDir, p2, q2, err, filepath.Join(dir, p), q)
		}
		fk, journal, busy, err := sqlitePragmas(t, inDir)
		files := dirFiles(t, dir)
		if err != nil {
			if len(files) > 0 {
				t.Fatalf("Open(%q) failed (%v) but created %q", inDir, err, files)
			}
			return
		}
		if fk != 1 || journal != "wal" || busy != 5000 {
			t.Fatalf("Open(%q): foreign_keys %d, journal_mode %q, busy_timeout %d", inDir, fk, journal, busy)
		}
		for _, f := range files {
			if f != p && f != p+"-wal" && f != p+"-shm" {
				t.Fatalf("Open(%q) opened %q, want %q", inDir, f, p)
			}
		}
		if len(files) == 0 {
			t.Fatalf("Open(%q) created no file", inDir)
		}
	})
}

// FuzzMySQLConfig checks that mysql.Config never panics, that its errors
// never quote the URL (and so its password), and that what it accepts
// keeps the URL's user and password.
func FuzzMySQLConfig(f *testing.F) {
	for _, s := range urlSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		cfg, err := mysql.Config(raw)
		u, uerr := url.Parse(raw)
		if err != nil {
			if uerr == nil {
				const usage = "ormc: invalid database URL: want mysql://user:password@host:port/database: invalid mysql URL parameters"
				if pw, ok := u.User.Password(); ok && len(pw) >= 3 && strings.Contains(err.Error(), pw) && !strings.Contains(usage, pw) {
					t.Fatalf("Config(%q): error shows the password: %v", raw, err)
				}
			}
			return
		}
		if uerr != nil {
			t.Fatalf("Config(%q) accepted a URL net/url rejects: %v", raw, uerr)
		}
		pw, _ := u.User.Password()
		if cfg.User != u.User.Username() || cfg.Passwd != pw || !cfg.ParseTime {
			t.Fatalf("Config(%q) = user %q password %q", raw, cfg.User, cfg.Passwd)
		}
	})
}
