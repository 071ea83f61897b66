package main

import (
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/ormc/ormc/compiler/ddl"
	"github.com/ormc/ormc/runtime/dialect"
)

func ddlCmd() *command {
	c := &command{
		name:    "ddl",
		usage:   "ormc ddl -dialect " + strings.Join(dialect.Names, "|") + " [-drop] [-all] FILE.orm...",
		summary: "print the SQL that creates the tables",
		help: `Ddl checks the schema files and prints the statements that create every
table, index and constraint for one dialect, referenced tables first.

Flags:
  -dialect D   ` + dialectList() + ` (required)
  -drop        print the statements that drop the tables instead
  -all         print every diagnostic, not just the first 10
`,
	}
	c.run = func(args []string, _ io.Reader, stdout, stderr io.Writer) int {
		fs := flag.NewFlagSet("ddl", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		name := fs.String("dialect", "", "")
		drop := fs.Bool("drop", false, "")
		all := fs.Bool("all", false, "")
		if done, code := c.parseFlags(fs, args, stdout, stderr); done {
			return code
		}
		if *name == "" {
			return usageError(c, stderr, "missing -dialect")
		}
		d := dialect.ByName(*name)
		if d == nil {
			return usageError(c, stderr, "unknown dialect %q (want %s)", *name, dialectList())
		}
		if fs.NArg() == 0 {
			return usageError(c, stderr, "no schema files given")
		}
		s := load(fs.Args(), *all, stderr)
		if s == nil {
			return exitFail
		}
		script := ddl.Script(ddl.Create(s, d))
		if *drop {
			script = ddl.DropScript(s, d)
		}
		fmt.Fprint(stdout, script)
		return exitOK
	}
	return c
}

// dialectList names the registry's dialects as prose: "a, b or c".
func dialectList() string {
	n := dialect.Names
	return strings.Join(n[:len(n)-1], ", ") + " or " + n[len(n)-1]
}
