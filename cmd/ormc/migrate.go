package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/signal"
	"strings"

	"github.com/ormc/ormc/compiler/ddl"
	compmigrate "github.com/ormc/ormc/compiler/migrate"
	"github.com/ormc/ormc/runtime"
	"github.com/ormc/ormc/runtime/driver/mysql"
	"github.com/ormc/ormc/runtime/driver/postgres"
	"github.com/ormc/ormc/runtime/driver/sqlite"
	"github.com/ormc/ormc/runtime/inspect"
	"github.com/ormc/ormc/runtime/migrate"
)

// migrateSubcommands are the subcommands of ormc migrate. The planner's
// (diff, rebase, down) plan a directory offline; the applier's (apply,
// status, baseline) read it against a database.
func migrateSubcommands() []*command {
	return []*command{
		migrateDiffCmd(), migrateRebaseCmd(), migrateDownCmd(), // the planner's (migrate_diff.go)
		migrateApplyCmd(), migrateStatusCmd(), migrateBaselineCmd(),
	}
}

// migrateSubcommand returns the subcommand called name ("apply"), or nil.
func migrateSubcommand(name string) *command {
	for _, s := range migrateSubcommands() {
		if s.name == "migrate "+name {
			return s
		}
	}
	return nil
}

func migrateCmd() *command {
	c := &command{
		name:    "migrate",
		usage:   "ormc migrate <subcommand> [arguments]",
		summary: "plan, apply and inspect schema migrations",
	}
	var help strings.Builder
	help.WriteString("Migrate plans schema changes into a migration directory and applies them\n(docs/migrations.md). Subcommands:\n\n")
	for _, s := range migrateSubcommands() {
		fmt.Fprintf(&help, "  %-9s %s\n", strings.TrimPrefix(s.name, "migrate "), s.summary)
	}
	help.WriteString("\nRun 'ormc migrate <subcommand> -h' for more about one.\n")
	c.help = help.String()
	c.run = func(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
		if len(args) == 0 {
			return usageError(c, stderr, "no subcommand given")
		}
		switch args[0] {
		case "-h", "-help", "--help", "help":
			fmt.Fprintf(stdout, "usage: %s\n\n%s", c.usage, c.help)
			return exitOK
		}
		if s := migrateSubcommand(args[0]); s != nil {
			return s.run(args[1:], stdin, stdout, stderr)
		}
		return usageError(c, stderr, "unknown subcommand %q", args[0])
	}
	return c
}

const dbFlagHelp = `  -db URL     the database, as Open takes it: postgres://…, mysql://…,
              sqlite:///file.db
  -dir DIR    the migration directory
`

// openDB opens the database of a migrate subcommand, which ends when the
// user interrupts it.
func openDB(name, url string, stderr io.Writer) (context.Context, *runtime.DB, func()) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	db, err := runtime.Open(ctx, url, postgres.Driver, mysql.Driver, sqlite.Driver)
	if err != nil {
		stop()
		fmt.Fprintf(stderr, "ormc migrate %s: %v\n", name, err) // Open hides the URL's password
		return nil, nil, nil
	}
	return ctx, db, func() { db.Close(); stop() }
}

func migrateApplyCmd() *command {
	c := &command{
		name:    "migrate apply",
		usage:   "ormc migrate apply -db URL -dir DIR [-v]",
		summary: "apply the pending migrations to a database",
		help: `Apply applies the migrations of DIR that the database's ledger
(ormc_migrations) does not record, in order, as a generated client's
Migrate does. It takes the migration lock first, waiting while another
process migrates the same database, and refuses to run anything when
DIR's ormc.sum does not match its files or when a migration the ledger
records has changed or is missing from DIR. A migration an earlier run
left unfinished resumes at its first step not committed.

It prints each migration it applied, and exits 0 when the database is up
to date, 1 when a migration fails (saying which step of how many failed
and how many committed) or is refused, and 2 on a usage error.

Flags:
` + dbFlagHelp + `  -lock-retries N
              how often a step that timed out waiting for a table lock
              (PostgreSQL's lock_timeout) runs again (default 3)
  -v          print each step to stderr as it commits
`,
	}
	c.run = func(args []string, _ io.Reader, stdout, stderr io.Writer) int {
		fs := flag.NewFlagSet("apply", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		url := fs.String("db", "", "")
		dir := fs.String("dir", "", "")
		retries := fs.Int("lock-retries", 3, "")
		verbose := fs.Bool("v", false, "")
		if done, code := c.parseFlags(fs, args, stdout, stderr); done {
			return code
		}
		if code, ok := needDBDir(c, *url, *dir, fs, stderr); !ok {
			return code
		}
		ctx, db, done := openDB("apply", *url, stderr)
		if db == nil {
			return exitFail
		}
		defer done()
		if *retries == 0 {
			*retries = -1 // none; Options reads 0 as the default
		}
		opts := migrate.Options{LockRetries: *retries}
		if *verbose {
			opts.Progress = func(e migrate.Event) {
				if e.Step == 0 {
					fmt.Fprintf(stderr, "%s: %d steps\n", e.Migration, e.Total)
					return
				}
				fmt.Fprintf(stderr, "%s: step %d of %d done", e.Migration, e.Step, e.Total)
				if e.Description != "" {
					fmt.Fprintf(stderr, " (%s)", e.Description)
				}
				fmt.Fprintln(stderr)
			}
		}
		applied, err := migrate.Apply(ctx, db, os.DirFS(*dir), opts)
		for _, id := range applied {
			fmt.Fprintf(stdout, "applied %s\n", id)
		}
		if err != nil {
			fmt.Fprintf(stderr, "ormc migrate apply: %v\n", err)
			return exitFail
		}
		if len(applied) == 0 {
			fmt.Fprintln(stdout, "nothing to apply: the database is up to date")
		}
		return exitOK
	}
	return c
}

func needDBDir(c *command, url, dir string, fs *flag.FlagSet, stderr io.Writer) (int, bool) {
	switch {
	case url == "":
		return usageError(c, stderr, "no database given: -db URL"), false
	case dir == "":
		return usageError(c, stderr, "no migration directory given: -dir DIR"), false
	case fs.NArg() > 0:
		return usageError(c, stderr, "unexpected argument %q", fs.Arg(0)), false
	}
	return 0, true
}

func migrateStatusCmd() *command {
	c := &command{
		name:    "migrate status",
		usage:   "ormc migrate status [-db URL] -dir DIR",
		summary: "show which migrations a database has, and its drift",
		help: `Status without -db checks DIR against its ormc.sum and lists its
migrations. With -db it prints, for each migration of DIR and each the
database's ledger records, where it stands: applied, pending, partial (some steps
committed; apply resumes it), changed (applied, and its file edited
since) or missing (applied, and gone from DIR). Then it compares the
database's tables with the snapshot of the last migration applied, as
ormc diff compares them with a schema, and prints each difference in
schema terms. It takes no lock and changes nothing.

It exits 0 when nothing is changed, missing or drifted (pending
migrations are normal: apply runs them), 1 otherwise or on failure, and
2 on a usage error.

Flags:
` + dbFlagHelp,
	}
	c.run = func(args []string, _ io.Reader, stdout, stderr io.Writer) int {
		fs := flag.NewFlagSet("status", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		url := fs.String("db", "", "")
		dir := fs.String("dir", "", "")
		if done, code := c.parseFlags(fs, args, stdout, stderr); done {
			return code
		}
		if *url == "" && *dir != "" && fs.NArg() == 0 {
			return listMigrations(*dir, stdout, stderr)
		}
		if code, ok := needDBDir(c, *url, *dir, fs, stderr); !ok {
			return code
		}
		ctx, db, done := openDB("status", *url, stderr)
		if db == nil {
			return exitFail
		}
		defer done()
		fsys := os.DirFS(*dir)
		st, err := migrate.Status(ctx, db, fsys)
		if err != nil {
			fmt.Fprintf(stderr, "ormc migrate status: %v\n", err)
			return exitFail
		}
		code := exitOK
		last := 0 // the version of the last migration applied in order
		for i, s := range st {
			fmt.Fprintf(stdout, "%-30s %s", s.ID, s.State)
			switch s.State {
			case migrate.Partial:
				fmt.Fprintf(stdout, " (%d of %d steps)", s.StepsDone, s.Total)
			case migrate.Changed, migrate.Missing:
				code = exitFail
			}
			if s.State == migrate.Applied && last == i {
				last = i + 1
			}
			fmt.Fprintln(stdout)
		}
		if code != exitOK {
			fmt.Fprintln(stdout, "apply refuses to run until the directory holds the migrations the database has, as they were applied")
			return code
		}
		if last == 0 {
			return code
		}
		err = snapshotDrift(ctx, db, fsys, last)
		var de *runtime.SchemaDriftError
		switch {
		case errors.As(err, &de):
			fmt.Fprintf(stdout, "drift from the snapshot of %s:\n", st[last-1].ID)
			for _, d := range de.Differences {
				fmt.Fprintf(stdout, "  %s\n", d)
			}
			fmt.Fprintln(stdout, "the database differs from what its migrations made: change the schema and write a migration (ormc migrate diff), or bring the database back by hand")
			return exitFail
		case err != nil:
			fmt.Fprintf(stderr, "ormc migrate status: %v\n", err)
			return exitFail
		}
		return code
	}
	return c
}

// listMigrations prints the migrations of dir, once its ormc.sum matches.
func listMigrations(dir string, stdout, stderr io.Writer) int {
	d, err := compmigrate.ReadDir(os.DirFS(dir))
	if err != nil {
		fmt.Fprintf(stderr, "ormc migrate status: %v\n", err)
		return exitFail
	}
	for _, m := range d.Migrations {
		fmt.Fprintln(stdout, m.ID())
	}
	fmt.Fprintf(stdout, "%d migrations; %s matches the directory\n", len(d.Migrations), compmigrate.SumFile)
	return exitOK
}

// snapshotDrift compares the database's tables with the snapshot after
// migration number n of the directory, as ormc diff compares them with a
// schema: nil when they agree, a *runtime.SchemaDriftError when not.
func snapshotDrift(ctx context.Context, db *runtime.DB, fsys fs.FS, n int) error {
	dir, err := compmigrate.ReadDir(fsys)
	if err != nil {
		return err
	}
	snap, err := dir.Snapshot(n)
	if err != nil {
		return err
	}
	want, err := ddl.Describe(snap, db.Dialect())
	if err != nil {
		return err
	}
	err = inspect.CheckAgainst(ctx, db, want)
	// The ledger is the applier's, in no snapshot; it is read when the
	// snapshot has no table, and is then no difference.
	var de *runtime.SchemaDriftError
	if errors.As(err, &de) {
		kept := de.Differences[:0]
		for _, d := range de.Differences {
			if d.Table != migrate.LedgerTable {
				kept = append(kept, d)
			}
		}
		if de.Differences = kept; len(kept) == 0 {
			return nil
		}
	}
	return err
}

func migrateBaselineCmd() *command {
	c := &command{
		name:    "migrate baseline",
		usage:   "ormc migrate baseline -db URL -dir DIR [-version NNNN] [-force]",
		summary: "record an existing database as being at a migration",
		help: `Baseline adopts a database whose tables were made without migrations (by
a client's CreateTables, by hand, or read with ormc pull): it records in
the ledger that the migrations of DIR up to -version (the newest by
default) are applied, without running them, so that apply then runs only
those after. It first compares the database with that migration's
snapshot, as ormc diff does, and refuses when they differ, printing each
difference, unless -force is given. It refuses a database whose ledger
already records migrations.

It exits 0 when it recorded the migrations, 1 when it refused or failed,
and 2 on a usage error.

Flags:
` + dbFlagHelp + `  -version NNNN
              the last migration the database has (default: the newest)
  -force      record even when the database differs from the snapshot
`,
	}
	c.run = func(args []string, _ io.Reader, stdout, stderr io.Writer) int {
		fs := flag.NewFlagSet("baseline", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		url := fs.String("db", "", "")
		dir := fs.String("dir", "", "")
		version := fs.String("version", "", "")
		force := fs.Bool("force", false, "")
		if done, code := c.parseFlags(fs, args, stdout, stderr); done {
			return code
		}
		if code, ok := needDBDir(c, *url, *dir, fs, stderr); !ok {
			return code
		}
		ctx, db, done := openDB("baseline", *url, stderr)
		if db == nil {
			return exitFail
		}
		defer done()
		fsys := os.DirFS(*dir)
		migs, err := migrate.Read(fsys, db.Dialect())
		if err != nil {
			fmt.Fprintf(stderr, "ormc migrate baseline: %v\n", err)
			return exitFail
		}
		n := len(migs)
		if *version != "" {
			n = 0
			for i, m := range migs {
				if m.Version == *version || m.ID() == *version {
					n = i + 1
				}
			}
			if n == 0 {
				fmt.Fprintf(stderr, "ormc migrate baseline: the directory has no migration %s\n", *version)
				return exitFail
			}
		}
		if n == 0 {
			fmt.Fprintln(stderr, "ormc migrate baseline: the directory has no migration")
			return exitFail
		}
		err = snapshotDrift(ctx, db, fsys, n)
		var de *runtime.SchemaDriftError
		switch {
		case errors.As(err, &de) && !*force:
			fmt.Fprintf(stdout, "the database differs from the snapshot of %s:\n", migs[n-1].ID())
			for _, d := range de.Differences {
				fmt.Fprintf(stdout, "  %s\n", d)
			}
			fmt.Fprintf(stderr, "ormc migrate baseline: refused: the database is not at %s (-force records it all the same)\n", migs[n-1].ID())
			return exitFail
		case err != nil && de == nil:
			fmt.Fprintf(stderr, "ormc migrate baseline: %v\n", err)
			return exitFail
		}
		ids, err := migrate.Baseline(ctx, db, fsys, migs[n-1].Version)
		if err != nil {
			fmt.Fprintf(stderr, "ormc migrate baseline: %v\n", err)
			return exitFail
		}
		fmt.Fprintf(stdout, "recorded %s as applied (%d migrations)\n", ids[len(ids)-1], len(ids))
		return exitOK
	}
	return c
}
