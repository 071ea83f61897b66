package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/rogpeppe/go-internal/diff"

	"github.com/ormc/ormc/schema"
)

func fmtCmd() *command {
	c := &command{
		name:    "fmt",
		usage:   "ormc fmt [-w | -l | -d] [FILE.orm...]",
		summary: "format schema files in the canonical layout",
		help: `Fmt prints each schema file in the canonical layout: one member a line,
names aligned, comments kept. With no files it formats standard input.
Files with syntax errors are reported and left alone.

Flags:
  -w   write the result back to each file that changed instead of printing it
  -l   list the files whose layout differs
  -d   print a diff for each file whose layout differs
`,
	}
	c.run = func(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
		fs := flag.NewFlagSet("fmt", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		write := fs.Bool("w", false, "")
		list := fs.Bool("l", false, "")
		showDiff := fs.Bool("d", false, "")
		if done, code := c.parseFlags(fs, args, stdout, stderr); done {
			return code
		}
		n := 0
		for _, b := range []bool{*write, *list, *showDiff} {
			if b {
				n++
			}
		}
		if n > 1 {
			return usageError(c, stderr, "-w, -l and -d exclude each other")
		}
		if fs.NArg() == 0 {
			if *write {
				return usageError(c, stderr, "-w needs files")
			}
			src, err := io.ReadAll(stdin)
			if err != nil {
				fmt.Fprintf(stderr, "ormc fmt: %v\n", err)
				return exitFail
			}
			return formatOne("<stdin>", src, false, *list, *showDiff, stdout, stderr)
		}
		status := exitOK
		for _, path := range fs.Args() {
			src, err := os.ReadFile(path)
			if err != nil {
				fmt.Fprintf(stderr, "ormc fmt: %v\n", err)
				status = exitFail
				continue
			}
			if code := formatOne(path, src, *write, *list, *showDiff, stdout, stderr); code != exitOK {
				status = code
			}
		}
		return status
	}
	return c
}

func formatOne(path string, src []byte, write, list, showDiff bool, stdout, stderr io.Writer) int {
	out, err := schema.FormatSource(path, src)
	if err != nil {
		if l, ok := err.(schema.List); ok {
			printDiags(l, false, stderr)
		} else {
			fmt.Fprintf(stderr, "ormc fmt: %s: %v\n", path, err)
		}
		return exitFail
	}
	changed := !bytes.Equal(src, out)
	switch {
	case list:
		if changed {
			fmt.Fprintln(stdout, path)
		}
	case showDiff:
		if changed {
			stdout.Write(diff.Diff(path+".orig", src, path, out))
		}
	case write:
		if changed {
			if err := os.WriteFile(path, out, 0o644); err != nil {
				fmt.Fprintf(stderr, "ormc fmt: %v\n", err)
				return exitFail
			}
		}
	default:
		stdout.Write(out)
	}
	return exitOK
}
