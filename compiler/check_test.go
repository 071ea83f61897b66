package compiler_test

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ormc/ormc/compiler"
	"github.com/ormc/ormc/compiler/gogen"
	"github.com/ormc/ormc/compiler/ir"
	"github.com/ormc/ormc/internal/diagtest"
	"github.com/ormc/ormc/schema"
)

// The checker tests: every file in testdata/check, and every subdirectory
// of it as one schema of several files, is parsed and checked. A comment
// `// ERROR "regexp"` says a diagnostic is expected on that line, starting
// at the token right before the comment (or at the token or column that
// `at=` or `col=` names, see internal/diagtest), with a message (and hint)
// matching the regexp. Diagnostics without an expectation, and
// expectations without a diagnostic, fail the test.

// load parses and checks the named files as one schema, the way ormc
// check does: after syntax errors the partial trees are checked too.
func load(t testing.TB, names ...string) (*ir.Schema, schema.List) {
	t.Helper()
	var files []*schema.File
	var diags schema.List
	for _, name := range names {
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		f, err := schema.Parse(filepath.ToSlash(name), src)
		if err != nil {
			diags = append(diags, err.(schema.List)...)
		}
		files = append(files, f)
	}
	s, more := checkAll(files...)
	if len(diags) > 0 {
		diags = append(diags, more...)
		diags.Sort()
		return nil, diags
	}
	return s, more
}

// checkCases returns the schemas of testdata/check: each .orm file, and
// each subdirectory's .orm files together.
func checkCases(t *testing.T) map[string][]string {
	t.Helper()
	entries, err := os.ReadDir(filepath.Join("testdata", "check"))
	if err != nil {
		t.Fatal(err)
	}
	cases := map[string][]string{}
	for _, e := range entries {
		p := filepath.Join("testdata", "check", e.Name())
		switch {
		case e.IsDir():
			files, err := filepath.Glob(filepath.Join(p, "*.orm"))
			if err != nil || len(files) == 0 {
				t.Fatalf("%s: no .orm files", p)
			}
			cases[e.Name()] = files
		case strings.HasSuffix(e.Name(), ".orm"):
			cases[strings.TrimSuffix(e.Name(), ".orm")] = []string{p}
		}
	}
	return cases
}

func TestCheck(t *testing.T) {
	seen := map[schema.Code]bool{} // diagnostic codes produced
	for name, files := range checkCases(t) {
		t.Run(name, func(t *testing.T) {
			var want []*diagtest.Expectation
			for _, f := range files {
				src, err := os.ReadFile(f)
				if err != nil {
					t.Fatal(err)
				}
				exps, err := diagtest.Parse(filepath.ToSlash(f), src)
				if err != nil {
					t.Fatal(err)
				}
				want = append(want, exps...)
			}
			s, diags := load(t, files...)
			if len(want) == 0 && s == nil {
				t.Errorf("no IR for a schema without expected errors")
			}
			for _, d := range diags {
				seen[d.Code] = true
			}
			match(t, want, diags)
		})
	}
	// Every code the checker can emit has a test that produces it (known
	// only when every case ran).
	if f := flag.Lookup("test.run"); f != nil && f.Value.String() != "" {
		return
	}
	for _, code := range schema.Codes() {
		if !seen[code] {
			t.Errorf("no test in testdata/check produces diagnostic code %q", code)
		}
	}
}

// match reports diagnostics without an expectation and expectations
// without a diagnostic.
func match(t *testing.T, want []*diagtest.Expectation, diags schema.List) {
	t.Helper()
	for _, d := range diags {
		if !d.Code.Known() {
			t.Errorf("%s: diagnostic with code %q, which schema.Codes does not list: %s", d.Pos, d.Code, d.Msg)
		}
	}
	for _, msg := range diagtest.Match(want, diags, 0) {
		t.Error(msg)
	}
}

// checkAll checks files as ormc does, with the Go generator's name checks.
func checkAll(files ...*schema.File) (*ir.Schema, schema.List) {
	return compiler.CheckWith([]compiler.NameCheck{gogen.CheckNames}, files...)
}
