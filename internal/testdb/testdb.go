// Package testdb gives each test its own empty database on every dialect
// the machine offers: a temporary SQLite file always, a fresh PostgreSQL
// schema when ORMC_TEST_POSTGRES is set, and a fresh MySQL/MariaDB
// database when ORMC_TEST_MYSQL is set. Each is dropped when the test
// ends, so tests can run in parallel and twice in a row.
//
// Two distributed engines that speak MySQL's protocol are targets too,
// after the three dialects (issue 18): TiDB when ORMC_TEST_TIDB is set (a
// fresh database per test, as on MySQL) and Vitess when ORMC_TEST_VITESS
// is set (a keyspace of a fixed pool leased per test, see vitess.go).
// scripts/engines.sh builds and starts both on loopback.
//
// With CI=true a missing DSN of a dialect fails the test instead of
// skipping it. The engines are slower to run everything on, so CI runs
// the suites on them in a step of their own, which names them in
// ORMC_TEST_ONLY: there a missing engine DSN fails too (see Base).
package testdb

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ormc/ormc/runtime"
	"github.com/ormc/ormc/runtime/dialect"
	"github.com/ormc/ormc/runtime/driver"
	"github.com/ormc/ormc/runtime/driver/mysql"
	"github.com/ormc/ormc/runtime/driver/postgres"
)

// Dialect is one database a test can run against: a dialect's own
// server, or an engine that speaks a dialect's protocol.
type Dialect struct {
	// Name is a name of dialect.Names, or of an engine of Engines
	// ("tidb", "vitess"): the subtest's name.
	Name string
	Env  string // the environment variable holding its base URL; "" for SQLite
	// Dialect is the name of dialect.Names whose driver opens its URLs:
	// Name itself but for an engine ("mysql" for TiDB and Vitess).
	Dialect string
}

// server is how tests reach one dialect: env names the variable holding
// a server's base URL ("" where the database is a file of the test's),
// and fresh makes an empty database called name on it.
type server struct {
	env   string
	fresh func(t testing.TB, base, name string) string
	// dialect is the protocol an engine speaks; "" for a dialect's own
	// server.
	dialect string
}

// servers holds the test setup of every dialect of dialect.All, and of
// every engine of Engines, by name.
var servers = map[string]server{
	dialect.SQLite.Name():   {fresh: freshSQLite},
	dialect.Postgres.Name(): {env: "ORMC_TEST_POSTGRES", fresh: freshPostgres},
	dialect.MySQL.Name():    {env: "ORMC_TEST_MYSQL", fresh: freshMySQL},
	"tidb":                  {env: "ORMC_TEST_TIDB", fresh: freshTiDB, dialect: dialect.MySQL.Name()},
	"vitess":                {env: "ORMC_TEST_VITESS", fresh: freshVitess, dialect: dialect.MySQL.Name()},
}

// Engines are the distributed engines tests run after the dialects, each
// speaking a dialect's protocol (issue 18, docs/scaling.md).
var Engines = []string{"tidb", "vitess"}

// Dialects are every dialect of dialect.All, in the order tests run them:
// those that need no server (SQLite) first; then the engines of Engines,
// so that Dialects[i] is the same dialect with or without them.
var Dialects = dialects()

func dialects() []Dialect {
	var local, remote []Dialect
	for _, d := range dialect.All {
		td := Dialect{Name: d.Name(), Env: servers[d.Name()].env, Dialect: d.Name()}
		if td.Env == "" {
			local = append(local, td)
		} else {
			remote = append(remote, td)
		}
	}
	out := append(local, remote...)
	for _, e := range Engines {
		out = append(out, Dialect{Name: e, Env: servers[e].env, Dialect: servers[e].dialect})
	}
	return out
}

// skipped and used are, for the package summary, the names of the
// dialects a test skipped for want of a DSN, and of those a test used.
var skipped, used sync.Map

// Each runs fn once per dialect as a subtest named after the dialect, with
// the URL of an empty database of its own.
func Each(t *testing.T, fn func(t *testing.T, url string)) {
	t.Helper()
	for _, d := range Dialects {
		t.Run(d.Name, func(t *testing.T) {
			fn(t, Fresh(t, d))
		})
	}
}

// Fresh returns the URL of an empty database on dialect d for this test
// (or fuzz target: t may be a *testing.F), dropped when the test ends. It skips the test when d's DSN is not set,
// or fails it under CI=true.
func Fresh(t testing.TB, d Dialect) string {
	t.Helper()
	s, ok := servers[d.Name]
	if !ok {
		t.Fatalf("unknown dialect %q", d.Name)
	}
	if !chosen(d.Name) {
		t.Skipf("%s: not in %s=%s", d.Name, onlyEnv, os.Getenv(onlyEnv))
	}
	if d.Env == "" {
		used.Store(d.Name, true)
		return s.fresh(t, "", "")
	}
	return s.fresh(t, Base(t, d), uniqueName(t))
}

// freshSQLite is a file in a directory of the test's own, in memory
// (/dev/shm) where the system has one: no test needs the file to outlive
// the machine, and on a disk each commit waits for fsync, which made a
// test of 3,200 small commits take 5 s where it takes 0.2 s in memory.
// Elsewhere it is in the test's temporary directory.
func freshSQLite(t testing.TB, _, _ string) string {
	dir := ""
	if fi, err := os.Stat("/dev/shm"); err == nil && fi.IsDir() {
		if d, err := os.MkdirTemp("/dev/shm", "ormc-test-"); err == nil {
			dir = d
			t.Cleanup(func() { os.RemoveAll(d) })
		}
	}
	if dir == "" {
		dir = t.TempDir()
	}
	// Escaped: a test's directory may hold "#" or "%" (subtest "x#01").
	return (&url.URL{Scheme: "sqlite", Path: "/" + dir + "/test.db"}).String()
}

// freshPostgres is a schema of its own, which the URL's search_path names.
func freshPostgres(t testing.TB, base, name string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	admin, err := runtime.Open(ctx, base, postgres.Driver)
	if err != nil {
		t.Fatalf("postgres: %v", err)
	}
	defer admin.Close()
	if _, err := admin.Exec(ctx, `CREATE SCHEMA "`+name+`"`); err != nil {
		t.Fatalf("postgres: %v", err)
	}
	t.Cleanup(func() { dropAll(t, base, postgres.Driver, `DROP SCHEMA "`+name+`" CASCADE`) })
	return withParam(t, base, "search_path", name)
}

// freshMySQL is a database of its own.
func freshMySQL(t testing.TB, base, name string) string {
	t.Helper()
	return freshMySQLCollated(t, base, name, "utf8mb4_nopad_bin")
}

// freshTiDB is a database of its own, as on MySQL, in TiDB's NO PAD
// binary collation: it has no utf8mb4_nopad_bin (MariaDB's).
func freshTiDB(t testing.TB, base, name string) string {
	t.Helper()
	return freshMySQLCollated(t, base, name, "utf8mb4_0900_bin")
}

// freshMySQLCollated is a database of its own whose default collation
// is collation.
func freshMySQLCollated(t testing.TB, base, name, collation string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	admin, err := runtime.Open(ctx, base, mysql.Driver)
	if err != nil {
		t.Fatalf("mysql: %v", err)
	}
	defer admin.Close()
	if _, err := admin.Exec(ctx, "CREATE DATABASE `"+name+"` CHARACTER SET utf8mb4 COLLATE "+collation); err != nil {
		t.Fatalf("mysql: %v", err)
	}
	t.Cleanup(func() { dropAll(t, base, mysql.Driver, "DROP DATABASE `"+name+"`") })
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("invalid database URL: %v", err)
	}
	u.Path = "/" + name
	return u.String()
}

// PostgresDatabase returns the URL of a new PostgreSQL database of its own
// for this test, created with options such as "LC_CTYPE 'C'", for the
// behaviour that depends on a database's settings; it is dropped when the
// test ends. It skips or fails as Fresh does without a DSN.
func PostgresDatabase(t *testing.T, options string) string {
	t.Helper()
	pg := Dialect{Name: dialect.Postgres.Name(), Env: servers[dialect.Postgres.Name()].env}
	base := Base(t, pg) // skips or fails without a DSN
	name := uniqueName(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	admin, err := runtime.Open(ctx, base, postgres.Driver)
	if err != nil {
		t.Fatalf("postgres: %v", err)
	}
	defer admin.Close()
	if _, err := admin.Exec(ctx, `CREATE DATABASE "`+name+`" TEMPLATE template0 ENCODING 'UTF8' `+options); err != nil {
		t.Fatalf("postgres: %v", err)
	}
	t.Cleanup(func() { dropAll(t, base, postgres.Driver, `DROP DATABASE "`+name+`" WITH (FORCE)`) })
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("ORMC_TEST_POSTGRES: %v", err)
	}
	u.Path = "/" + name
	return u.String()
}

// onlyEnv names the variable that narrows the targets tests run on: a
// comma-separated list of names of Dialects ("tidb,vitess"). Unset, every
// target whose DSN is set runs.
const onlyEnv = "ORMC_TEST_ONLY"

// chosen reports whether tests run on the target called name.
func chosen(name string) bool {
	only := os.Getenv(onlyEnv)
	return only == "" || slices.Contains(strings.Split(only, ","), name)
}

// required reports whether a missing DSN of the target called name fails
// a test rather than skips it: under CI=true, a dialect always, and an
// engine of Engines where ORMC_TEST_ONLY names it, as CI's engine step
// does (make test-engines). CI's other steps skip the engines, which are
// not started for them.
func required(name string) bool {
	if os.Getenv("CI") != "true" {
		return false
	}
	if !slices.Contains(Engines, name) {
		return true
	}
	return os.Getenv(onlyEnv) != "" && chosen(name)
}

// Base returns the URL in d's environment variable, for tests that need
// the server itself (to create users, say) rather than a fresh database.
// Like Fresh, it skips the test when the variable is not set, or fails it
// where that target is required (see required), and skips it when
// ORMC_TEST_ONLY leaves the target out. A skip for want of a DSN is
// listed in Summary.
func Base(t testing.TB, d Dialect) string {
	t.Helper()
	if !chosen(d.Name) {
		t.Skipf("%s: not in %s=%s", d.Name, onlyEnv, os.Getenv(onlyEnv))
	}
	base := os.Getenv(d.Env)
	if base == "" {
		if required(d.Name) {
			t.Fatalf("%s is not set: CI requires %s here", d.Env, d.Name)
		}
		skipped.Store(d.Name, true)
		t.Skipf("SKIPPED %s: set %s to run it", d.Name, d.Env)
	}
	used.Store(d.Name, true)
	return base
}

func dropAll(t testing.TB, base string, drv *driver.Driver, stmt string) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	admin, err := runtime.Open(ctx, base, drv)
	if err != nil {
		t.Errorf("cleanup: %v", err)
		return
	}
	defer admin.Close()
	if _, err := admin.Exec(ctx, stmt); err != nil {
		t.Errorf("cleanup: %v", err)
	}
}

// uniqueName is a schema or database name no other test uses.
func uniqueName(t testing.TB) string {
	var b [4]byte
	_, _ = rand.Read(b[:])
	tn := strings.Map(func(r rune) rune {
		if 'a' <= r && r <= 'z' || '0' <= r && r <= '9' {
			return r
		}
		if 'A' <= r && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return '_'
	}, t.Name())
	if len(tn) > 40 {
		tn = tn[:40]
	}
	return "ormct_" + tn + "_" + hex.EncodeToString(b[:])
}

func withParam(t testing.TB, base, key, value string) string {
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("invalid database URL: %v", err)
	}
	q := u.Query()
	q.Set(key, value)
	u.RawQuery = q.Encode()
	return u.String()
}

// Summary reports, for TestMain, which dialects ran and which were
// skipped for want of a DSN; a dialect no test asked for (go test -run
// chose none of its tests) is in neither list.
func Summary() string {
	var ran, skip []string
	for _, d := range Dialects {
		if _, ok := skipped.Load(d.Name); ok {
			skip = append(skip, d.Name+" ("+d.Env+" not set)")
		} else if _, ok := used.Load(d.Name); ok {
			ran = append(ran, d.Name)
		}
	}
	s := "dialects run: " + strings.Join(ran, ", ")
	if len(skip) > 0 {
		s += "; SKIPPED: " + strings.Join(skip, ", ")
	}
	return s
}

// Main runs a test binary's tests and then prints the dialect summary to
// standard error, so that skipped dialects are never silent. Use it as
// `func TestMain(m *testing.M) { testdb.Main(m) }`.
func Main(m *testing.M) {
	code := m.Run()
	fmt.Fprintln(os.Stderr, Summary())
	os.Exit(code)
}
