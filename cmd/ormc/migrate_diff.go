package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/ormc/ormc/compiler/migrate"
	"github.com/ormc/ormc/schema"
)

// The planning subcommands of ormc migrate: diff, rebase and down. Each
// plans in memory and writes the directory only when the plan has no
// error, every file under a temporary name first.

const planFlags = `  -dir DIR       the migration directory (required)
  -allow-drop    allow destructive and data-dependent changes (every
                 blocking code), and a field dropped and one added that
                 look like an undeclared rename
  -allow CODES   allow these codes only, separated by commas
  -all           print every diagnostic, not just the first 10
`

// planOptions holds the flags every planning subcommand takes.
type planOptions struct {
	dir       string
	allowDrop bool
	allow     string
	all       bool
}

func (o *planOptions) register(fs *flag.FlagSet) {
	fs.StringVar(&o.dir, "dir", "", "")
	fs.BoolVar(&o.allowDrop, "allow-drop", false, "")
	fs.StringVar(&o.allow, "allow", "", "")
	fs.BoolVar(&o.all, "all", false, "")
}

// options checks the flags and returns the planner's options.
func (o *planOptions) options() (migrate.Options, error) {
	opts := migrate.Options{AllowDrop: o.allowDrop}
	if o.dir == "" {
		return opts, errors.New("missing -dir")
	}
	for c := range strings.SplitSeq(o.allow, ",") {
		if c = strings.TrimSpace(c); c == "" {
			continue
		}
		if !slices.Contains(schema.MigrateCodes(), schema.Code(c)) {
			return opts, fmt.Errorf("-allow: unknown code %q", c)
		}
		opts.Allow = append(opts.Allow, schema.Code(c))
	}
	return opts, nil
}

// parsePlanFlags parses the flags of the commands that write a plan (diff
// and down): -name and planFlags. done reports that the command has ended,
// with code: help was asked for or a flag is wrong.
func parsePlanFlags(c *command, cmd string, args []string, stdout, stderr io.Writer) (fs *flag.FlagSet, po planOptions, opts migrate.Options, name string, done bool, code int) {
	fs = flag.NewFlagSet(cmd, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	po.register(fs)
	fs.StringVar(&name, "name", "", "")
	if done, code := c.parseFlags(fs, args, stdout, stderr); done {
		return fs, po, opts, name, true, code
	}
	opts, err := po.options()
	if err != nil {
		return fs, po, opts, name, true, usageError(c, stderr, "%v", err)
	}
	if name != "" && !migrate.ValidName(name) {
		return fs, po, opts, name, true, usageError(c, stderr, "-name %q: a name is lowercase letters, digits and _", name)
	}
	return fs, po, opts, name, false, 0
}

func migrateDiffCmd() *command {
	c := &command{
		name:    "migrate diff",
		usage:   "ormc migrate diff -dir DIR [-name NAME] [-allow-drop] [-allow CODES] FILE.orm...",
		summary: "plan the next migration from the schema",
		help: `Diff checks the schema files, compares them with the snapshot of the last
migration in DIR (none: an empty database), and writes the next migration:
NNNN_name.<dialect>.sql for every dialect, NNNN_name.schema.json, and
ormc.sum. Lint findings are printed at the schema's positions; a
destructive or data-dependent change stops the plan unless allowed, and
then nothing is written. A schema equal to the last snapshot writes
nothing.

Flags:
  -name NAME     the migration's name, [a-z0-9_]+ (default "init" for
                 the first, "migration" after)
` + planFlags,
	}
	c.run = func(args []string, _ io.Reader, stdout, stderr io.Writer) int {
		fs, po, opts, name, done, code := parsePlanFlags(c, "migrate diff", args, stdout, stderr)
		if done {
			return code
		}
		if fs.NArg() == 0 {
			return usageError(c, stderr, "no schema files given")
		}
		s, diags, err := loadDiags(fs.Args())
		if err != nil {
			fmt.Fprintf(stderr, "ormc: %v\n", err)
			return exitFail
		}
		if diags.HasErrors() {
			printDiags(diags, po.all, stderr)
			return exitFail
		}
		d, err := migrate.ReadDir(os.DirFS(po.dir))
		if err != nil {
			fmt.Fprintf(stderr, "ormc migrate diff: %s: %v\n", po.dir, err)
			return exitFail
		}
		u, err := d.Next(s, name, opts)
		return finish(c, po, u, err, stdout, stderr)
	}
	return c
}

func migrateRebaseCmd() *command {
	c := &command{
		name:    "migrate rebase",
		usage:   "ormc migrate rebase -dir DIR [-allow-drop] [-allow CODES] NNNN_name FILE.orm...",
		summary: "plan a branch's migration again after another branch's",
		help: `Rebase takes the migration NNNN_name of this branch, which another
branch's migrations now precede (the two branches both added a version,
and ormc.sum conflicts), and plans it again after the last of the others:
from that migration's snapshot to the schema files, which hold both
branches' changes, under the allowance of its "-- ormc:allow" line. It is
renumbered, keeps its name, and ormc.sum is written again; its old files
go. Nothing is written when the plan fails.

Flags:
` + planFlags,
	}
	c.run = func(args []string, _ io.Reader, stdout, stderr io.Writer) int {
		fs := flag.NewFlagSet("migrate rebase", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		var po planOptions
		po.register(fs)
		if done, code := c.parseFlags(fs, args, stdout, stderr); done {
			return code
		}
		opts, err := po.options()
		if err != nil {
			return usageError(c, stderr, "%v", err)
		}
		if fs.NArg() < 2 {
			return usageError(c, stderr, "want a migration's id and the schema files")
		}
		s, diags, err := loadDiags(fs.Args()[1:])
		if err != nil {
			fmt.Fprintf(stderr, "ormc: %v\n", err)
			return exitFail
		}
		if diags.HasErrors() {
			printDiags(diags, po.all, stderr)
			return exitFail
		}
		u, err := migrate.Rebase(os.DirFS(po.dir), fs.Arg(0), s, opts)
		return finish(c, po, u, err, stdout, stderr)
	}
	return c
}

func migrateDownCmd() *command {
	c := &command{
		name:    "migrate down",
		usage:   "ormc migrate down -dir DIR [-name NAME] [-allow-drop] [-allow CODES]",
		summary: "plan the migration that undoes the last one",
		help: `Down plans the reverse of the last migration in DIR, from its snapshot
back to the one before it, and writes it as the next migration (named
revert_<name> unless -name says otherwise): the ledger only goes
forward. Renames are renamed back. It is linted like any plan: undoing
an added field drops it, which needs -allow-drop.

Flags:
  -name NAME     the migration's name, [a-z0-9_]+
` + planFlags,
	}
	c.run = func(args []string, _ io.Reader, stdout, stderr io.Writer) int {
		fs, po, opts, name, done, code := parsePlanFlags(c, "migrate down", args, stdout, stderr)
		if done {
			return code
		}
		if fs.NArg() > 0 {
			return usageError(c, stderr, "down takes no schema files: it plans from the snapshots")
		}
		d, err := migrate.ReadDir(os.DirFS(po.dir))
		if err != nil {
			fmt.Fprintf(stderr, "ormc migrate down: %s: %v\n", po.dir, err)
			return exitFail
		}
		u, err := d.Down(name, opts)
		return finish(c, po, u, err, stdout, stderr)
	}
	return c
}

// finish prints a plan's diagnostics and, when it has no error, writes
// its update to the directory and names the files written.
func finish(c *command, po planOptions, u *migrate.Update, err error, stdout, stderr io.Writer) int {
	if u != nil && u.Plan != nil {
		printPlanDiags(c, u.Plan.Diagnostics, po.all, stderr)
	}
	switch {
	case errors.Is(err, migrate.ErrNoChanges) && u.Writes == nil:
		fmt.Fprintf(stdout, "no changes: nothing written\n")
		return exitOK
	case err != nil && !errors.Is(err, migrate.ErrNoChanges):
		fmt.Fprintf(stderr, "ormc %s: %v\n", c.name, err)
		return exitFail
	case u.Plan.Diagnostics.HasErrors():
		fmt.Fprintf(stderr, "ormc %s: nothing written\n", c.name)
		return exitFail
	}
	if err := writeUpdate(po.dir, u); err != nil {
		fmt.Fprintf(stderr, "ormc %s: %v; nothing written\n", c.name, err)
		return exitFail
	}
	for _, n := range u.Removes {
		fmt.Fprintf(stdout, "removed %s\n", filepath.ToSlash(filepath.Join(po.dir, n)))
	}
	names := make([]string, 0, len(u.Writes))
	for n := range u.Writes {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		fmt.Fprintf(stdout, "wrote %s\n", filepath.ToSlash(filepath.Join(po.dir, n)))
	}
	return exitOK
}

// writeUpdate writes u's files under temporary names, then renames them
// into place and removes u's removed files: a failure before the renames
// leaves the directory as it was.
func writeUpdate(dir string, u *migrate.Update) error {
	if err := os.MkdirAll(dir, 0o777); err != nil {
		return err
	}
	names := make([]string, 0, len(u.Writes))
	for n := range u.Writes {
		names = append(names, n)
	}
	slices.Sort(names)
	var temps []string
	for _, n := range names {
		tmp := filepath.Join(dir, ".ormc-"+n+".tmp")
		if err := os.WriteFile(tmp, u.Writes[n], 0o666); err != nil {
			for _, t := range temps {
				os.Remove(t)
			}
			os.Remove(tmp)
			return err
		}
		temps = append(temps, tmp)
	}
	for i, n := range names {
		if err := os.Rename(temps[i], filepath.Join(dir, n)); err != nil {
			return err
		}
	}
	for _, n := range u.Removes {
		if err := os.Remove(filepath.Join(dir, n)); err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
	}
	return nil
}

// printPlanDiags prints a plan's diagnostics, one a line: position (none
// for a dropped model, whose declaration is gone), "warning: " unless an
// error, the message, the hint, and the code in brackets.
func printPlanDiags(c *command, diags schema.List, all bool, w io.Writer) {
	if wd, err := os.Getwd(); err == nil {
		diags.RelativeTo(wd)
	}
	for i, d := range diags {
		if !all && i == maxErrors {
			fmt.Fprintf(w, "too many diagnostics (%d more; -all prints them)\n", len(diags)-maxErrors)
			return
		}
		where := "ormc " + c.name
		if d.Pos.IsValid() {
			where = d.Pos.String()
		}
		sev := ""
		if d.Severity == schema.Warning {
			sev = "warning: "
		}
		hint := ""
		if d.Hint != "" {
			hint = " (" + d.Hint + ")"
		}
		fmt.Fprintf(w, "%s: %s%s%s [%s]\n", where, sev, d.Msg, hint, d.Code)
	}
}
