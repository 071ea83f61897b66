// Command ormc compiles .orm schema files into a typed Go client and the
// SQL that creates its tables.
//
// Usage:
//
//	ormc build -o DIR [-pkg NAME] [-dialects LIST] FILE.orm...
//	ormc ddl -dialect postgres|mysql|sqlite [-drop] FILE.orm...
//	ormc check [-json] [-all] FILE.orm...
//	ormc fmt [-w|-l|-d] FILE.orm...
//	ormc pull -db URL [-o FILE.orm] [-tables PATTERN]
//	ormc diff -db URL [-all] FILE.orm...
//	ormc migrate diff -dir DIR [-name NAME] [-allow-drop] [-allow CODES] FILE.orm...
//	ormc migrate rebase -dir DIR NNNN_name FILE.orm...
//	ormc migrate down -dir DIR [-name NAME]
//	ormc migrate apply -db URL -dir DIR [-v]
//	ormc migrate status [-db URL] -dir DIR
//	ormc migrate baseline -db URL -dir DIR [-version NNNN] [-force]
//	ormc version
//	ormc help [COMMAND]
//
// Flags may come before or after the file arguments; "--" ends them.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// Exit codes.
const (
	exitOK    = 0
	exitFail  = 1 // diagnostics or a failure
	exitUsage = 2
)

// command is one subcommand.
type command struct {
	name    string
	usage   string // the synopsis line
	summary string // one line for `ormc help`
	help    string // the rest of `ormc help NAME`
	run     func(args []string, stdin io.Reader, stdout, stderr io.Writer) int
}

func commands() []*command {
	return []*command{buildCmd(), checkCmd(), ddlCmd(), fmtCmd(), pullCmd(), diffCmd(), migrateCmd(), versionCmd()}
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		mainUsage(stderr)
		return exitUsage
	}
	switch args[0] {
	case "-h", "-help", "--help":
		mainUsage(stdout)
		return exitOK
	case "help":
		return runHelp(args[1:], stdout, stderr)
	case "-version", "--version":
		args = append([]string{"version"}, args[1:]...)
	}
	for _, c := range commands() {
		if c.name == args[0] {
			return c.run(args[1:], stdin, stdout, stderr)
		}
	}
	fmt.Fprintf(stderr, "ormc: unknown command %q\nRun 'ormc help' for usage.\n", args[0])
	return exitUsage
}

func mainUsage(w io.Writer) {
	fmt.Fprint(w, "ormc compiles .orm schemas into a typed Go client and SQL DDL.\n\nUsage:\n\n\tormc <command> [arguments]\n\nCommands:\n\n")
	for _, c := range commands() {
		fmt.Fprintf(w, "\t%-8s %s\n", c.name, c.summary)
	}
	fmt.Fprint(w, "\nRun 'ormc help <command>' for more about a command.\n")
}

func runHelp(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		mainUsage(stdout)
		return exitOK
	}
	if len(args) == 2 && args[0] == "migrate" {
		if s := migrateSubcommand(args[1]); s != nil {
			fmt.Fprintf(stdout, "usage: %s\n\n%s", s.usage, s.help)
			return exitOK
		}
	}
	if len(args) > 1 {
		fmt.Fprintln(stderr, "usage: ormc help [command]")
		return exitUsage
	}
	for _, c := range commands() {
		if c.name == args[0] {
			fmt.Fprintf(stdout, "usage: %s\n\n%s", c.usage, c.help)
			return exitOK
		}
	}
	fmt.Fprintf(stderr, "ormc help: unknown command %q\n", args[0])
	return exitUsage
}

// usageError prints a usage error for c and returns exitUsage.
func usageError(c *command, stderr io.Writer, format string, args ...any) int {
	fmt.Fprintf(stderr, "ormc %s: %s\nusage: %s\nRun 'ormc help %s' for details.\n", c.name, fmt.Sprintf(format, args...), c.usage, c.name)
	return exitUsage
}

// parseFlags parses the flags of c, which may come before, between or
// after its other arguments (ormc build shop.orm -o db); "--" ends the
// flags. When it returns done, the command ends with code: after -h or
// -help, which print the command's help to stdout and succeed, or after a
// usage error.
func (c *command) parseFlags(fs *flag.FlagSet, args []string, stdout, stderr io.Writer) (done bool, code int) {
	args, err := flagsFirst(fs, args)
	if err == nil {
		err = fs.Parse(args)
	}
	switch {
	case err == nil:
		return false, 0
	case errors.Is(err, flag.ErrHelp):
		fmt.Fprintf(stdout, "usage: %s\n\n%s", c.usage, c.help)
		return true, exitOK
	}
	return true, usageError(c, stderr, "%s", trimFlagError(err))
}

// flagsFirst returns args with the flags of fs (and their values) moved
// before the other arguments, which follow a "--": the flag package stops
// at the first argument that is not a flag, and this lets flags come
// anywhere, as the go command's do. A "--" in args ends the flags, so a
// file whose name starts with "-" can follow it; a lone "-" is an
// argument. A flag fs does not define is moved too, for Parse to report;
// the error is a flag that needs a value and is the last argument.
func flagsFirst(fs *flag.FlagSet, args []string) ([]string, error) {
	var flags, rest []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			rest = append(rest, args[i+1:]...)
			break
		}
		if len(a) < 2 || a[0] != '-' {
			rest = append(rest, a)
			continue
		}
		flags = append(flags, a)
		name := strings.TrimPrefix(a[1:], "-")
		if strings.Contains(name, "=") {
			continue
		}
		if f := fs.Lookup(name); f != nil && !isBoolFlag(f) {
			if i+1 == len(args) {
				// Parse would take the "--" added below as the value.
				return nil, fmt.Errorf("flag needs an argument: %s", a)
			}
			i++
			flags = append(flags, args[i]) // its value, even one starting with "-"
		}
	}
	return append(append(flags, "--"), rest...), nil
}

// isBoolFlag reports whether f takes no value (-v rather than -o DIR), as
// the flag package decides it.
func isBoolFlag(f *flag.Flag) bool {
	b, ok := f.Value.(interface{ IsBoolFlag() bool })
	return ok && b.IsBoolFlag()
}

// trimFlagError turns the flag package's message into ours. An unknown
// flag that looks like a schema file's name says how to pass one.
func trimFlagError(err error) string {
	name, ok := strings.CutPrefix(err.Error(), "flag provided but not defined: ")
	switch {
	case !ok:
		return err.Error()
	case strings.HasSuffix(name, ".orm"):
		return fmt.Sprintf("unknown flag %s (a file whose name starts with \"-\" goes after \"--\")", name)
	}
	return "unknown flag " + name
}
