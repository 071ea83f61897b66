package main

import (
	"bytes"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/gotooltest"
	"github.com/rogpeppe/go-internal/testscript"
)

var update = flag.Bool("update", false, "rewrite the expected output in testscripts")

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"ormc":     func() { os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) },
		"ormc-sql": func() { os.Exit(sqlMain()) }, // dbscript_test.go
	})
}

// TestScripts runs testdata/scripts/*.txtar. Scripts that build the
// generated code use the real module and build caches, and ORMC_ROOT to
// point a replace directive at this repository. Each link of a program
// takes seconds, so under -short only build_dialects links and runs one;
// build_basic compiles and vets its client without linking, and the other
// scripts that build one stop there under -short (`[short] stop`, or
// `[short] skip` in build_gotool).
func TestScripts(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	modcache := goEnv(t, "GOMODCACHE")
	p := testscript.Params{
		Dir:                 filepath.Join(root, "testdata", "scripts"),
		RequireExplicitExec: true,
		RequireUniqueNames:  true,
		UpdateScripts:       *update,
		Condition:           serverCondition, // dbscript_test.go
		Setup: func(e *testscript.Env) error {
			e.Setenv("ORMC_ROOT", root)
			return nil
		},
	}
	if err := gotooltest.Setup(&p); err != nil {
		t.Fatal(err)
	}
	inner := p.Setup
	p.Setup = func(e *testscript.Env) error {
		if err := inner(e); err != nil {
			return err
		}
		e.Setenv("GOMODCACHE", modcache)
		e.Setenv("GOFLAGS", "-mod=mod")
		return scriptDatabases(e)
	}
	testscript.Run(t, p)
}

func goEnv(t *testing.T, name string) string {
	out, err := exec.Command("go", "env", name).Output()
	if err != nil {
		t.Fatalf("go env %s: %v", name, err)
	}
	return strings.TrimSpace(string(out))
}

// TestExitCodes checks the exit status of each kind of outcome.
func TestExitCodes(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.orm")
	bad := filepath.Join(dir, "bad.orm")
	os.WriteFile(good, []byte("model Note < id Integer pk; text String(100) >\n"), 0o644)
	os.WriteFile(bad, []byte("model Note < id Integr pk >\n"), 0o644)
	for _, tc := range []struct {
		args []string
		want int
	}{
		{nil, exitUsage},
		{[]string{"-h"}, exitOK},
		{[]string{"help"}, exitOK},
		{[]string{"help", "build"}, exitOK},
		{[]string{"help", "nope"}, exitUsage},
		{[]string{"nope"}, exitUsage},
		{[]string{"check", good}, exitOK},
		{[]string{"check", bad}, exitFail},
		{[]string{"check"}, exitUsage},
		{[]string{"check", "-nope", good}, exitUsage},
		{[]string{"check", filepath.Join(dir, "missing.orm")}, exitFail},
		{[]string{"ddl", good}, exitUsage},
		{[]string{"ddl", "-dialect", "oracle", good}, exitUsage},
		{[]string{"ddl", "-dialect", "sqlite", good}, exitOK},
		{[]string{"ddl", "-dialect", "sqlite", bad}, exitFail},
		{[]string{"build", good}, exitUsage},
		{[]string{"build", "-o", filepath.Join(dir, "db"), good}, exitOK},
		{[]string{"build", "-o", filepath.Join(dir, "db2"), bad}, exitFail},
		{[]string{"build", "-o", filepath.Join(dir, "db3"), "-dialects", "oracle", good}, exitUsage},
		{[]string{"build", "-o", filepath.Join(dir, "db4"), "-pkg", "func", good}, exitUsage},
		{[]string{"build", "-h"}, exitOK},
		{[]string{"check", "-h"}, exitOK},
		{[]string{"ddl", "-help"}, exitOK},
		{[]string{"fmt", "-h"}, exitOK},
		{[]string{"fmt", "-w", "-l", good}, exitUsage},
		{[]string{"fmt", "-l", good}, exitOK},
		{[]string{"fmt", bad}, exitOK}, // bad.orm has no syntax error, only a type error
	} {
		var stdout, stderr bytes.Buffer
		if got := run(tc.args, strings.NewReader(""), &stdout, &stderr); got != tc.want {
			t.Errorf("ormc %s: exit %d, want %d\nstderr: %s", strings.Join(tc.args, " "), got, tc.want, stderr.String())
		}
	}
}
