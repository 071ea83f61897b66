package main

import (
	"fmt"
	"io"
	"os"

	"github.com/ormc/ormc/compiler"
	"github.com/ormc/ormc/compiler/gogen"
	"github.com/ormc/ormc/compiler/ir"
	"github.com/ormc/ormc/schema"
)

// maxErrors is how many diagnostics are printed unless -all is given.
const maxErrors = 10

// load parses and checks the schema files. On failure it prints the
// diagnostics (paths relative to the working directory) and returns nil.
func load(paths []string, all bool, stderr io.Writer) *ir.Schema {
	s, diags, err := loadDiags(paths)
	if err != nil {
		fmt.Fprintf(stderr, "ormc: %v\n", err)
		return nil
	}
	if diags.HasErrors() {
		printDiags(diags, all, stderr)
		return nil
	}
	return s
}

// loadDiags parses and checks the files, returning the IR or diagnostics;
// err is set when a file cannot be read.
func loadDiags(paths []string) (*ir.Schema, schema.List, error) {
	var files []*schema.File
	var diags schema.List
	for _, p := range paths {
		src, err := os.ReadFile(p)
		if err != nil {
			return nil, nil, err
		}
		f, err := schema.Parse(p, src)
		if err != nil {
			if l, ok := err.(schema.List); ok {
				diags = append(diags, l...)
			} else {
				return nil, nil, err
			}
		}
		files = append(files, f)
	}
	// The partial trees of files with syntax errors are checked too, so
	// one run reports as much as it can; Check leaves out what a syntax
	// error makes meaningless.
	s, more := compiler.CheckWith([]compiler.NameCheck{gogen.CheckNames}, files...)
	if len(diags) > 0 {
		diags = append(diags, more...)
		diags.Sort()
		return nil, diags, nil
	}
	return s, more, nil
}

func printDiags(diags schema.List, all bool, w io.Writer) {
	if wd, err := os.Getwd(); err == nil {
		diags.RelativeTo(wd)
	}
	max := maxErrors
	if all {
		max = 0
	}
	diags.Print(w, max)
}
