package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/ormc/ormc/schema"
)

func checkCmd() *command {
	c := &command{
		name:    "check",
		usage:   "ormc check [-json] [-all] FILE.orm...",
		summary: "report problems in schema files",
		help: `Check parses and checks the schema files together. It prints nothing and
exits 0 when they are valid; otherwise it prints each problem as
file:line:col: message, sorted by position, and exits 1.

Flags:
  -json   print the diagnostics as a JSON array of objects with code, file,
          line, col, end_line, end_col, message, hint and related
  -all    print every diagnostic, not just the first 10
`,
	}
	c.run = func(args []string, _ io.Reader, stdout, stderr io.Writer) int {
		fs := flag.NewFlagSet("check", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		asJSON := fs.Bool("json", false, "")
		all := fs.Bool("all", false, "")
		if done, code := c.parseFlags(fs, args, stdout, stderr); done {
			return code
		}
		if fs.NArg() == 0 {
			return usageError(c, stderr, "no schema files given")
		}
		_, diags, err := loadDiags(fs.Args())
		if err != nil {
			fmt.Fprintf(stderr, "ormc: %v\n", err)
			return exitFail
		}
		if !diags.HasErrors() {
			return exitOK
		}
		if *asJSON {
			if wd, err := os.Getwd(); err == nil {
				diags.RelativeTo(wd)
			}
			writeJSONDiags(stdout, diags)
		} else {
			printDiags(diags, *all, stderr)
		}
		return exitFail
	}
	return c
}

type jsonRelated struct {
	File    string `json:"file"`
	Line    int    `json:"line"`
	Col     int    `json:"col"`
	Message string `json:"message"`
}

type jsonDiag struct {
	Code    schema.Code   `json:"code"`
	File    string        `json:"file"`
	Line    int           `json:"line"`
	Col     int           `json:"col"`
	EndLine int           `json:"end_line,omitempty"`
	EndCol  int           `json:"end_col,omitempty"`
	Message string        `json:"message"`
	Hint    string        `json:"hint,omitempty"`
	Related []jsonRelated `json:"related,omitempty"`
}

func writeJSONDiags(w io.Writer, diags schema.List) {
	out := make([]jsonDiag, 0, len(diags))
	for _, d := range diags {
		jd := jsonDiag{Code: d.Code, File: d.Pos.File, Line: d.Pos.Line, Col: d.Pos.Col,
			EndLine: d.End.Line, EndCol: d.End.Col, Message: d.Msg, Hint: d.Hint}
		for _, r := range d.Related {
			jd.Related = append(jd.Related, jsonRelated{File: r.Pos.File, Line: r.Pos.Line, Col: r.Pos.Col, Message: r.Msg})
		}
		out = append(out, jd)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(out)
}
