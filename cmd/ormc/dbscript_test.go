package main

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/ormc/ormc/internal/testdb"
	"github.com/ormc/ormc/runtime"
	"github.com/ormc/ormc/runtime/driver/mysql"
	"github.com/ormc/ormc/runtime/driver/postgres"
	"github.com/ormc/ormc/runtime/driver/sqlite"
)

// Scripts that read a database (pull_*, diff_*, migrate_*) get one of their own on
// each server whose DSN is set, as $POSTGRES_URL and $MYSQL_URL, dropped
// when the script ends; a script guards its lines for a server with the
// condition [postgres] or [mysql]. ormc-sql runs SQL on any of them.

// serverCondition is true for a dialect's name when its server's DSN is
// set.
func serverCondition(cond string) (bool, error) {
	for _, d := range testdb.Dialects {
		if d.Name == cond && d.Env != "" {
			return os.Getenv(d.Env) != "", nil
		}
	}
	return false, fmt.Errorf("unknown condition %q", cond)
}

// scriptDatabases sets the URLs of the script's databases.
func scriptDatabases(e *testscript.Env) error {
	t, ok := e.T().(testing.TB)
	if !ok {
		return nil
	}
	name := t.Name()[strings.LastIndex(t.Name(), "/")+1:]
	if !strings.HasPrefix(name, "pull") && !strings.HasPrefix(name, "diff") && !strings.HasPrefix(name, "migrate") {
		return nil
	}
	for _, d := range testdb.Dialects {
		if d.Env == "" || os.Getenv(d.Env) == "" {
			continue
		}
		e.Setenv(strings.ToUpper(d.Name)+"_URL", testdb.Fresh(t, d))
	}
	return nil
}

// sqlMain is the ormc-sql command: ormc-sql URL FILE runs the statements
// of FILE, separated by lines that end in ";", on the database at URL.
func sqlMain() int {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: ormc-sql URL FILE")
		return 2
	}
	src, err := os.ReadFile(os.Args[2])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	db, err := runtime.Open(ctx, os.Args[1], postgres.Driver, mysql.Driver, sqlite.Driver)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer db.Close()
	for _, stmt := range strings.Split(string(src), ";\n") {
		if strings.TrimSpace(stmt) == "" {
			continue
		}
		if _, err := db.Exec(ctx, stmt); err != nil {
			fmt.Fprintf(os.Stderr, "%v\n%s\n", err, stmt)
			return 1
		}
	}
	return 0
}
