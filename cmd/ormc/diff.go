package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"

	"github.com/ormc/ormc/compiler/ddl"
	"github.com/ormc/ormc/runtime"
	"github.com/ormc/ormc/runtime/driver/mysql"
	"github.com/ormc/ormc/runtime/driver/postgres"
	"github.com/ormc/ormc/runtime/driver/sqlite"
	"github.com/ormc/ormc/runtime/inspect"
)

func diffCmd() *command {
	c := &command{
		name:    "diff",
		usage:   "ormc diff -db URL [-all] FILE.orm...",
		summary: "report how a database differs from the schema",
		help: `Diff compares the tables of a database with the tables the schema's DDL
makes on it (what ormc ddl prints and a client's CreateTables runs), as a
generated client's CheckSchema does, and prints each difference on a line
of its own in schema terms:

  Book.subtitle: column missing (VARCHAR(100))
  Book.title: VARCHAR(100) in the schema, text in the database
  Book: index book_isbn_idx missing ((isbn))

It reads only the schema's tables and changes nothing. It exits 0 when the
database matches the schema, 1 when it differs or cannot be read, and 2 on
a usage error.

Flags:
  -db URL   the database, as Open takes it: postgres://…, mysql://…,
            sqlite:///file.db (on PostgreSQL the search_path's first
            schema, public by default)
  -all      print every diagnostic of the schema, not just the first 10
`,
	}
	c.run = func(args []string, _ io.Reader, stdout, stderr io.Writer) int {
		fs := flag.NewFlagSet("diff", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		url := fs.String("db", "", "")
		all := fs.Bool("all", false, "")
		if done, code := c.parseFlags(fs, args, stdout, stderr); done {
			return code
		}
		if *url == "" {
			return usageError(c, stderr, "no database given: -db URL")
		}
		if fs.NArg() == 0 {
			return usageError(c, stderr, "no schema files given")
		}
		s := load(fs.Args(), *all, stderr)
		if s == nil {
			return exitFail
		}
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
		defer stop()
		db, err := runtime.Open(ctx, *url, postgres.Driver, mysql.Driver, sqlite.Driver)
		if err != nil {
			fmt.Fprintf(stderr, "ormc diff: %v\n", err) // Open hides the URL's password
			return exitFail
		}
		defer db.Close()
		want, err := ddl.Describe(s, db.Dialect())
		if err == nil {
			err = inspect.CheckAgainst(ctx, db, want)
		}
		var drift *runtime.SchemaDriftError
		switch {
		case errors.As(err, &drift):
			for _, d := range drift.Differences {
				fmt.Fprintln(stdout, d)
			}
			return exitFail
		case err != nil:
			fmt.Fprintf(stderr, "ormc diff: %v\n", err)
			return exitFail
		}
		return exitOK
	}
	return c
}
