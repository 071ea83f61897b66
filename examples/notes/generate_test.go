package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ormc/ormc/internal/testdb"
)

// TestGeneratedWalkthrough is the end-to-end test of issue 2: it builds
// this repository's ormc, generates a client from ../notes.orm into a
// module of its own in a temporary directory, compiles the walkthrough of
// main.go against that client and runs it on every dialect whose DSN is
// set. TestWalkthrough runs the committed client; this one runs what ormc
// generates now.
func TestGeneratedWalkthrough(t *testing.T) {
	if testing.Short() {
		t.Skip("builds ormc and a program")
	}
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile(filepath.Join("testdata", "walkthrough.txt"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	ormc := filepath.Join(dir, "ormc")
	runCmd(t, root, "go", "build", "-o", ormc, "./cmd/ormc")

	// The module: this one's requirements (so that every dependency is
	// already in the module cache), with the client as example.com/app/db.
	app := filepath.Join(dir, "app")
	gomod, err := os.ReadFile(filepath.Join("..", "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	gomod = bytes.Replace(gomod, []byte("module github.com/ormc/ormc/examples"), []byte("module example.com/app"), 1)
	gomod = bytes.Replace(gomod, []byte("=> ../"), []byte("=> "+root), 1)
	gosum, err := os.ReadFile(filepath.Join("..", "go.sum"))
	if err != nil {
		t.Fatal(err)
	}
	src, err := os.ReadFile("main.go")
	if err != nil {
		t.Fatal(err)
	}
	main := strings.Replace(string(src), `"github.com/ormc/ormc/examples/notes/db"`, `"example.com/app/db"`, 1)
	var lines []string
	for _, l := range strings.Split(main, "\n") {
		if !strings.HasPrefix(l, "//go:generate") {
			lines = append(lines, l)
		}
	}
	for name, data := range map[string][]byte{"go.mod": gomod, "go.sum": gosum, "main.go": []byte(strings.Join(lines, "\n"))} {
		if err := os.MkdirAll(app, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(app, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	runCmd(t, app, ormc, "build", "-o", "db", filepath.Join(root, "examples", "notes.orm"))
	notes := filepath.Join(dir, "notes")
	runCmd(t, app, "go", "build", "-o", notes, ".")

	testdb.Each(t, func(t *testing.T, url string) {
		out := runCmd(t, app, notes, "-db", url)
		got := out[bytes.IndexByte(out, '\n')+1:] // the first line names the database
		if !bytes.Equal(got, want) {
			t.Errorf("output of the generated client differs from testdata/walkthrough.txt:\n%s", got)
		}
	})
}

// runCmd runs a command in dir and returns its standard output, failing the
// test with its standard error when it fails.
func runCmd(t *testing.T, dir, name string, args ...string) []byte {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, stderr.String())
	}
	return out
}
