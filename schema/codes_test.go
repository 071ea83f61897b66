package schema

import (
	"go/ast"
	goparser "go/parser"
	gotoken "go/token"
	"regexp"
	"strconv"
	"testing"
)

// TestCodes checks that Codes and PullCodes list every Code constant of
// codes.go once between them, and that each code is lowercase words
// joined by hyphens. (The checker
// and spec tests check that each code is produced, and that nothing else
// is.)
func TestCodes(t *testing.T) {
	f, err := goparser.ParseFile(gotoken.NewFileSet(), "codes.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	declared := map[Code]string{}
	for _, d := range f.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != gotoken.CONST {
			continue
		}
		for _, spec := range g.Specs {
			vs := spec.(*ast.ValueSpec)
			if id, ok := vs.Type.(*ast.Ident); !ok || id.Name != "Code" {
				continue
			}
			for i, name := range vs.Names {
				lit, ok := vs.Values[i].(*ast.BasicLit)
				if !ok {
					t.Fatalf("%s: not a string literal", name.Name)
				}
				v, err := strconv.Unquote(lit.Value)
				if err != nil {
					t.Fatal(err)
				}
				declared[Code(v)] = name.Name
			}
		}
	}
	word := regexp.MustCompile(`^[a-z]+(-[a-z]+)*$`)
	listed := map[Code]bool{}
	for _, c := range PullCodes() {
		if listed[c] {
			t.Errorf("PullCodes lists %q twice", c)
		}
		listed[c] = true
		if c.Known() {
			t.Errorf("%q of PullCodes is also a checker code", c)
		}
	}
	for _, c := range MigrateCodes() {
		if listed[c] {
			t.Errorf("MigrateCodes lists %q twice", c)
		}
		listed[c] = true
		if c.Known() {
			t.Errorf("%q of MigrateCodes is also a checker code", c)
		}
		if !word.MatchString(string(c)) {
			t.Errorf("code %q is not lowercase words joined by hyphens", c)
		}
	}
	for _, c := range Codes() {
		if listed[c] {
			t.Errorf("Codes lists %q twice", c)
		}
		listed[c] = true
		if _, ok := declared[c]; !ok {
			t.Errorf("Codes lists %q, which is no constant of codes.go", c)
		}
		if !word.MatchString(string(c)) {
			t.Errorf("code %q is not lowercase words joined by hyphens", c)
		}
		if !c.Known() {
			t.Errorf("%q.Known() = false", c)
		}
	}
	for c, name := range declared {
		if !listed[c] {
			t.Errorf("%s (%q) is not in Codes", name, c)
		}
	}
	if len(declared) < 30 {
		t.Errorf("codes.go declares only %d codes", len(declared))
	}
	for _, c := range []Code{"", "Syntax", "unknown"} {
		if c.Known() {
			t.Errorf("%q.Known() = true", c)
		}
	}
}
