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
//	ormc help [COMMAND]
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
	return []*command{buildCmd(), checkCmd(), ddlCmd(), fmtCmd(), pullCmd(), diffCmd(), migrateCmd()}
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

// parseFlags parses the flags of c. When it returns done, the command
// ends with code: after -h or -help, which print the command's help to
// stdout and succeed, or after a usage error.
func (c *command) parseFlags(fs *flag.FlagSet, args []string, stdout, stderr io.Writer) (done bool, code int) {
	err := fs.Parse(args)
	switch {
	case err == nil:
		return false, 0
	case errors.Is(err, flag.ErrHelp):
		fmt.Fprintf(stdout, "usage: %s\n\n%s", c.usage, c.help)
		return true, exitOK
	}
	return true, usageError(c, stderr, "%s", trimFlagError(err))
}

// trimFlagError turns the flag package's message into ours.
func trimFlagError(err error) string {
	return strings.TrimPrefix(err.Error(), "flag provided but not defined: ")
}
