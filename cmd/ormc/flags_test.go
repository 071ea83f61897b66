package main

import (
	"bytes"
	"flag"
	"io"
	"slices"
	"strings"
	"testing"
)

// TestFlagsFirst checks the reordering that lets flags follow the file
// arguments: values stay with their flags, "--" ends the flags, and a
// value flag at the end is an error rather than taking the "--".
func TestFlagsFirst(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want []string // nil: an error
	}{
		{nil, []string{"--"}},
		{[]string{"a.orm"}, []string{"--", "a.orm"}},
		{[]string{"-o", "db", "a.orm"}, []string{"-o", "db", "--", "a.orm"}},
		{[]string{"a.orm", "-o", "db"}, []string{"-o", "db", "--", "a.orm"}},
		{[]string{"a.orm", "-v", "b.orm"}, []string{"-v", "--", "a.orm", "b.orm"}},
		{[]string{"a.orm", "--o=db", "-v=false"}, []string{"--o=db", "-v=false", "--", "a.orm"}},
		{[]string{"a.orm", "-o", "-v"}, []string{"-o", "-v", "--", "a.orm"}},                   // -v is -o's value
		{[]string{"a.orm", "-o", "--", "b.orm"}, []string{"-o", "--", "--", "a.orm", "b.orm"}}, // so is "--"
		{[]string{"a.orm", "--", "-v", "-o"}, []string{"--", "a.orm", "-v", "-o"}},
		{[]string{"-", "-v"}, []string{"-v", "--", "-"}},
		{[]string{"a.orm", "-nope", "b.orm"}, []string{"-nope", "--", "a.orm", "b.orm"}}, // Parse reports it
		{[]string{"a.orm", "-o"}, nil},
		{[]string{"a.orm", "--o"}, nil},
	} {
		fs := flag.NewFlagSet("t", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		fs.String("o", "", "")
		fs.Bool("v", false, "")
		got, err := flagsFirst(fs, tc.args)
		switch {
		case tc.want == nil && err == nil:
			t.Errorf("flagsFirst(%q) = %q, want an error", tc.args, got)
		case tc.want != nil && err != nil:
			t.Errorf("flagsFirst(%q): %v", tc.args, err)
		case !slices.Equal(got, tc.want):
			t.Errorf("flagsFirst(%q) = %q, want %q", tc.args, got, tc.want)
		}
	}
}

// TestFlagsAfterArguments checks that every command and migrate
// subcommand reads a flag after an argument: -h there prints its help.
func TestFlagsAfterArguments(t *testing.T) {
	cmds := commands()
	for _, c := range cmds {
		if c.name == "migrate" {
			cmds = append(cmds, migrateSubcommands()...)
		}
	}
	for _, c := range cmds {
		if c.name == "migrate" || c.name == "version" {
			continue // no arguments before a subcommand; none at all
		}
		args := append(strings.Fields(c.name), "missing.orm", "-h")
		var stdout, stderr bytes.Buffer
		code := run(args, strings.NewReader(""), &stdout, &stderr)
		if code != exitOK || !strings.HasPrefix(stdout.String(), "usage: "+c.usage+"\n") {
			t.Errorf("ormc %s: exit %d, stdout %q, stderr %q; want its help", strings.Join(args, " "), code, stdout.String(), stderr.String())
		}
	}
}
