package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path"
	"strings"

	"github.com/ormc/ormc/compiler"
	"github.com/ormc/ormc/compiler/gogen"
	"github.com/ormc/ormc/compiler/pull"
	"github.com/ormc/ormc/runtime"
	"github.com/ormc/ormc/runtime/driver/mysql"
	"github.com/ormc/ormc/runtime/driver/postgres"
	"github.com/ormc/ormc/runtime/driver/sqlite"
	"github.com/ormc/ormc/runtime/inspect"
)

func pullCmd() *command {
	c := &command{
		name:    "pull",
		usage:   "ormc pull -db URL [-o FILE.orm] [-tables PATTERN]",
		summary: "write a schema from an existing database",
		help: `Pull reads the tables of a database and writes a schema of them, one model
per table, which ormc check accepts and ormc fmt leaves unchanged. It
changes nothing in the database.

Whatever the schema cannot say (a view, a trigger, a column of a type ormc
has none for, a partial index, a composite key …) is a warning: a comment
in the schema above the model it concerns, and a line on stderr,
file:line:col: code: message. Pull exits 0 with warnings, and 1 when it
cannot read the database.

Flags:
  -db URL         the database, as Open takes it: postgres://…, mysql://…,
                  sqlite:///file.db (on PostgreSQL the search_path's first
                  schema, public by default)
  -o FILE.orm     write the schema to FILE.orm instead of stdout
  -tables PATTERN read only the tables whose names match PATTERN, a
                  comma-separated list of shell patterns (album,track_*)
`,
	}
	c.run = func(args []string, _ io.Reader, stdout, stderr io.Writer) int {
		fs := flag.NewFlagSet("pull", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		url := fs.String("db", "", "")
		out := fs.String("o", "", "")
		tables := fs.String("tables", "", "")
		if done, code := c.parseFlags(fs, args, stdout, stderr); done {
			return code
		}
		if fs.NArg() > 0 {
			return usageError(c, stderr, "unexpected argument %q", fs.Arg(0))
		}
		if *url == "" {
			return usageError(c, stderr, "no database given: -db URL")
		}
		patterns := strings.Split(*tables, ",")
		for _, p := range patterns {
			if _, err := path.Match(p, ""); err != nil {
				return usageError(c, stderr, "bad -tables pattern %q", p)
			}
		}
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
		defer stop()
		s, err := inspectDB(ctx, *url, patterns)
		if err != nil {
			fmt.Fprintf(stderr, "ormc pull: %v\n", err) // Open hides the URL's password
			return exitFail
		}
		file := *out
		if file == "" {
			file = "stdout.orm"
		}
		res, err := pull.Write(s, pull.Options{File: file, Checks: []compiler.NameCheck{gogen.CheckNames}})
		if err != nil {
			fmt.Fprintf(stderr, "ormc pull: the schema written does not check (a bug of ormc pull's):\n%v\n", err)
			return exitFail
		}
		if *out == "" {
			stdout.Write(res.Source)
		} else if err := os.WriteFile(*out, res.Source, 0o644); err != nil {
			fmt.Fprintf(stderr, "ormc pull: %v\n", err)
			return exitFail
		}
		for _, w := range res.Warnings {
			fmt.Fprintf(stderr, "%s: %s: %s\n", w.Pos, w.Code, w.Msg)
		}
		return exitOK
	}
	return c
}

// inspectDB reads the description of the tables at url whose names match
// one of patterns ("" matches every table).
func inspectDB(ctx context.Context, url string, patterns []string) (*inspect.Schema, error) {
	db, err := runtime.Open(ctx, url, postgres.Driver, mysql.Driver, sqlite.Driver)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	opts := inspect.Options{}
	if len(patterns) > 1 || patterns[0] != "" {
		opts.Filter = func(table string) bool {
			for _, p := range patterns {
				if ok, _ := path.Match(p, table); ok {
					return true
				}
			}
			return false
		}
	}
	return inspect.Inspect(ctx, db, opts)
}
