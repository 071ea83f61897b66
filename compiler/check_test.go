package compiler_test

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/ormc/ormc/compiler"
	"github.com/ormc/ormc/compiler/ir"
	"github.com/ormc/ormc/schema"
)

// The checker tests: every file in testdata/check, and every subdirectory
// of it as one schema of several files, is parsed and checked. A comment
// `// ERROR "regexp"` after the offending token says a diagnostic is
// expected on that line, at or before the comment, with a message (and
// hint) matching the regexp. Diagnostics without an expectation, and
// expectations without a diagnostic, fail the test.

// errorRE matches one expectation; a line may hold several. The text
// between the quotes is the regexp exactly as written (`\"` in it matches
// a quote, as any escaped punctuation does), as in go/parser's tests.
var errorRE = regexp.MustCompile(`//\s*ERROR\s+"((?:[^"\\]|\\.)*)"`)

// expectation is one `// ERROR "regexp"` comment.
type expectation struct {
	file string
	line int
	col  int // of the comment: the diagnostic must be at or before it
	re   *regexp.Regexp
}

func expectations(t *testing.T, name string, src []byte) []*expectation {
	t.Helper()
	var out []*expectation
	for i, line := range strings.Split(string(src), "\n") {
		for _, m := range errorRE.FindAllStringSubmatchIndex(line, -1) {
			re, err := regexp.Compile(line[m[2]:m[3]])
			if err != nil {
				t.Fatalf("%s:%d: bad ERROR regexp: %v", name, i+1, err)
			}
			out = append(out, &expectation{file: name, line: i + 1, col: m[0] + 1, re: re})
		}
	}
	return out
}

// load parses and checks the named files as one schema, the way ormc
// check does: after syntax errors the partial trees are checked too, and
// only the first diagnostic of each line is kept.
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
	s, more := compiler.Check(files...)
	if len(diags) > 0 {
		diags = append(diags, more...)
		diags.RemoveMultiples()
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
	seen := map[string]bool{} // diagnostic codes produced
	for name, files := range checkCases(t) {
		t.Run(name, func(t *testing.T) {
			var want []*expectation
			for _, f := range files {
				src, err := os.ReadFile(f)
				if err != nil {
					t.Fatal(err)
				}
				want = append(want, expectations(t, filepath.ToSlash(f), src)...)
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
	for _, code := range checkerCodes(t) {
		if !seen[code] {
			t.Errorf("no test in testdata/check produces diagnostic code %q", code)
		}
	}
}

// match reports diagnostics without an expectation and expectations
// without a diagnostic.
func match(t *testing.T, want []*expectation, diags schema.List) {
	t.Helper()
	used := make([]bool, len(want))
	for _, d := range diags {
		if d.Code == "" {
			t.Errorf("%s: diagnostic without a code: %s", d.Pos, d.Msg)
		}
		text := d.Msg
		if d.Hint != "" {
			text += " (" + d.Hint + ")"
		}
		found := false
		for i, w := range want {
			if !used[i] && w.file == d.Pos.File && w.line == d.Pos.Line && d.Pos.Col <= w.col && w.re.MatchString(text) {
				used[i], found = true, true
				break
			}
		}
		if !found {
			t.Errorf("%s: unexpected diagnostic [%s]: %s", d.Pos, d.Code, text)
		}
	}
	for i, w := range want {
		if !used[i] {
			t.Errorf("%s:%d:%d: missing diagnostic matching %q", w.file, w.line, w.col, w.re)
		}
	}
}

// codeRE finds the code argument of the checker's errorf calls.
var codeRE = regexp.MustCompile(`errorf\([^,]+,[^,]+, "([a-z-]+)"`)

// checkerCodes returns every diagnostic code in the checker's source.
func checkerCodes(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	set := map[string]bool{"syntax": true}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range codeRE.FindAllStringSubmatch(string(src), -1) {
			set[m[1]] = true
		}
	}
	var out []string
	for c := range set {
		out = append(out, c)
	}
	sort.Strings(out)
	if len(out) < 10 {
		t.Fatalf("found only %d diagnostic codes in the checker's source: %v", len(out), out)
	}
	return out
}

// TestCheckCodes prints the code list with -v, for the spec.
func TestCheckCodes(t *testing.T) {
	t.Log(fmt.Sprint(checkerCodes(t)))
}
