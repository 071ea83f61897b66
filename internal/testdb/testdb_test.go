package testdb

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ormc/ormc/runtime/dialect"
)

// TestDialects: tests run every dialect of the registry, each with a way
// to make its databases, SQLite (no server) first, then the servers in the
// registry's order, as tests that index Dialects expect; then the engines,
// each speaking a dialect's protocol.
func TestDialects(t *testing.T) {
	var got []string
	for _, d := range Dialects {
		got = append(got, d.Name)
		s, ok := servers[d.Name]
		if !ok || s.fresh == nil || s.env != d.Env {
			t.Errorf("dialect %q: no test setup, or another variable than %q", d.Name, d.Env)
		}
		if dialect.ByName(d.Dialect) == nil {
			t.Errorf("target %q: Dialect %q is no dialect", d.Name, d.Dialect)
		}
	}
	want := []string{dialect.SQLite.Name(), dialect.Postgres.Name(), dialect.MySQL.Name(), "tidb", "vitess"}
	if len(got) != len(want) || len(Dialects) != len(dialect.All)+len(Engines) {
		t.Fatalf("Dialects = %q, want %q", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("Dialects = %q, want %q", got, want)
		}
	}
}

// TestEnginesRequiredInCI: under CI=true a missing DSN fails a dialect's
// test, and an engine's only where ORMC_TEST_ONLY names it (CI's engine
// step); elsewhere it is skipped and the skip is in the summary. A target
// ORMC_TEST_ONLY leaves out is skipped whatever is set.
func TestEnginesRequiredInCI(t *testing.T) {
	t.Setenv("CI", "true")
	for _, only := range []string{"", strings.Join(Engines, ",")} {
		t.Setenv(onlyEnv, only)
		for _, d := range Dialects {
			if d.Env == "" {
				continue
			}
			t.Setenv(d.Env, "")
			r := probe(func(tb testing.TB) { Base(tb, d) })
			engine := slices.Contains(Engines, d.Name)
			wantFail := !engine && only == "" || engine && only != ""
			if r.failed != wantFail || r.skipped == wantFail {
				t.Errorf("%s=%q: %s failed %v, skipped %v without %s; want failed %v", onlyEnv, only, d.Name, r.failed, r.skipped, d.Env, wantFail)
			}
			if engine && only == "" && !strings.Contains(Summary(), d.Name+" ("+d.Env+" not set)") {
				t.Errorf("summary %q does not list %s as skipped", Summary(), d.Name)
			}
		}
	}
}

// TestLeaseKeyspace: a keyspace held by one test is not leased to
// another, in this process or by another file's lock; the next free one
// is, and a released one is free again.
func TestLeaseKeyspace(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("TMPDIR", dir)
	pool := []string{"ormc0", "ormc1"}
	base := "mysql://root@127.0.0.1:1/"
	ks0, rel0, err := leaseKeyspace(base, pool, 0)
	if err != nil || ks0 != "ormc0" {
		t.Fatalf("first lease = %q, %v; want ormc0", ks0, err)
	}
	ks1, rel1, err := leaseKeyspace(base, pool, 0)
	if err != nil || ks1 != "ormc1" {
		t.Fatalf("second lease = %q, %v; want ormc1", ks1, err)
	}
	if ks, _, err := leaseKeyspace(base, pool, 0); err == nil {
		t.Fatalf("third lease of a pool of two = %q, want an error", ks)
	}
	rel0()
	ks, rel, err := leaseKeyspace(base, pool, 0)
	if err != nil || ks != "ormc0" {
		t.Fatalf("lease after release = %q, %v; want ormc0", ks, err)
	}
	rel()
	rel1()
	if _, err := os.Stat(filepath.Join(dir, "ormc-vitess-127.0.0.1_1-ormc0.lock")); err != nil {
		t.Errorf("lock file: %v", err)
	}
}

// probeTB is a testing.TB whose Fatalf and Skipf stop only the probed
// function, and record which it was: what Base calls. Its other methods
// are the nil embedded TB's, and panic.
type probeTB struct {
	testing.TB
	failed, skipped bool
}

type stop struct{}

func (p *probeTB) Helper()               {}
func (p *probeTB) Fatalf(string, ...any) { p.failed = true; panic(stop{}) }
func (p *probeTB) Skipf(string, ...any)  { p.skipped = true; panic(stop{}) }

// probe runs fn with a probeTB and reports how it ended.
func probe(fn func(tb testing.TB)) (p *probeTB) {
	p = &probeTB{}
	defer func() {
		if r := recover(); r != nil {
			if _, ok := r.(stop); !ok {
				panic(r)
			}
		}
	}()
	fn(p)
	return p
}

// TestSummaryRan: a dialect a test used is listed as run.
func TestSummaryRan(t *testing.T) {
	Fresh(t, Dialects[0])
	if s := Summary(); !strings.Contains(s, "dialects run: "+Dialects[0].Name) {
		t.Errorf("summary %q does not list %s as run", s, Dialects[0].Name)
	}
}
