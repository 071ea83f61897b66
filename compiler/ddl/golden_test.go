package ddl_test

import (
	"context"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/ormc/ormc/internal/testdb"
	"github.com/ormc/ormc/runtime"
	"github.com/ormc/ormc/runtime/dialect"
	"github.com/ormc/ormc/runtime/driver/mysql"
	"github.com/ormc/ormc/runtime/driver/postgres"
	"github.com/ormc/ormc/runtime/driver/sqlite"
	"github.com/rogpeppe/go-internal/txtar"
)

// golden is one `ormc ddl` golden of a testscript: the script a database's
// command-line client would run.
type golden struct {
	script  string // testscript file name
	dialect string
	drop    bool
	name    string // the archive file holding the expected output
	sql     string
}

// ddlCommand matches `exec ormc ddl …` and captures its arguments.
var ddlCommand = regexp.MustCompile(`^exec ormc ddl (.*)$`)

// goldens returns every DDL golden of testdata/scripts: each `exec ormc
// ddl -dialect D [-drop] …` whose next command is `cmp stdout FILE`.
func goldens(t *testing.T) []golden {
	t.Helper()
	paths, err := filepath.Glob("../../testdata/scripts/*.txtar")
	if err != nil || len(paths) == 0 {
		t.Fatalf("no testscripts: %v", err)
	}
	var out []golden
	for _, p := range paths {
		a, err := txtar.ParseFile(p)
		if err != nil {
			t.Fatal(err)
		}
		files := map[string]string{}
		for _, f := range a.Files {
			files[f.Name] = string(f.Data)
		}
		lines := strings.Split(string(a.Comment), "\n")
		for i, line := range lines {
			m := ddlCommand.FindStringSubmatch(strings.TrimSpace(line))
			if m == nil || i+1 >= len(lines) {
				continue
			}
			args := strings.Fields(m[1])
			d := slices.Index(args, "-dialect")
			name, ok := strings.CutPrefix(strings.TrimSpace(lines[i+1]), "cmp stdout ")
			if d < 0 || d+1 >= len(args) || !ok {
				continue
			}
			sql, ok := files[name]
			if !ok {
				t.Fatalf("%s: cmp stdout %s: no such file in the archive", p, name)
			}
			out = append(out, golden{
				script: filepath.Base(p), dialect: args[d+1], drop: slices.Contains(args, "-drop"),
				name: name, sql: sql,
			})
		}
	}
	return out
}

// statements splits a script as ddl.Script writes it.
func statements(script string) []string {
	var stmts []string
	for _, s := range strings.Split(script, ";\n") {
		if s = strings.TrimSpace(s); s != "" {
			stmts = append(stmts, s)
		}
	}
	return stmts
}

// TestGoldensApply runs every DDL golden of the testscripts on its own
// database, as a command-line client would, in one session: the CREATE
// script, then the DROP script twice (the second time with nothing left
// to drop), then both again. A script's create golden must have a drop
// golden beside it.
func TestGoldensApply(t *testing.T) {
	type pair struct{ create, drop *golden }
	pairs := map[string]*pair{} // script + dialect → goldens
	var keys []string
	gs := goldens(t)
	for i := range gs {
		g := &gs[i]
		k := g.script + "/" + g.dialect
		if pairs[k] == nil {
			pairs[k] = &pair{}
			keys = append(keys, k)
		}
		if g.drop {
			pairs[k].drop = g
		} else {
			pairs[k].create = g
		}
	}
	dialects := map[string]bool{}
	for _, k := range keys {
		p := pairs[k]
		if p.create == nil || p.drop == nil {
			t.Errorf("%s: want both a create and a drop golden", k)
			continue
		}
		dialects[p.create.dialect] = true
	}
	for _, want := range []string{"postgres", "mysql", "sqlite"} {
		if !dialects[want] {
			t.Errorf("no DDL golden for %s", want)
		}
	}
	testdb.Each(t, func(t *testing.T, url string) {
		ctx := context.Background()
		// One connection: a script's statements share a session.
		db, err := runtime.Open(ctx, withOneConn(url), postgres.Driver, mysql.Driver, sqlite.Driver)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		ran := 0
		for _, k := range keys {
			p := pairs[k]
			if p.create == nil || p.drop == nil || p.create.dialect != db.Dialect().Name() {
				continue
			}
			run := func(g *golden) {
				t.Helper()
				for _, s := range statements(g.sql) {
					// As the engine takes it, as CreateTables runs it.
					s = dialect.AdaptDDL(db.Dialect(), s)
					if _, err := db.Exec(ctx, s); err != nil {
						t.Fatalf("%s, %s: %v\n%s", g.script, g.name, err, s)
					}
				}
			}
			for range 2 {
				run(p.create)
				run(p.drop)
				run(p.drop)
				if n := countTables(t, db); n != 0 {
					t.Fatalf("%s: %d tables left after %s", p.create.script, n, p.drop.name)
				}
			}
			ran++
		}
		if ran == 0 {
			t.Fatalf("no golden for %s", db.Dialect().Name())
		}
	})
}

func withOneConn(url string) string {
	if strings.Contains(url, "?") {
		return url + "&" + runtime.PoolMaxConns + "=1"
	}
	return url + "?" + runtime.PoolMaxConns + "=1"
}

// countTables counts the tables in the test's database or schema.
func countTables(t *testing.T, db *runtime.DB) int64 {
	t.Helper()
	q := map[string]string{
		"postgres": `SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema()`,
		"mysql":    `SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE()`,
		"sqlite":   `SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'`,
	}[db.Dialect().Name()]
	var n int64
	if err := db.QueryRow(context.Background(), q, nil, &n); err != nil {
		t.Fatal(err)
	}
	return n
}
