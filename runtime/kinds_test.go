package runtime

import (
	"go/ast"
	"go/parser"
	"go/token"
	"testing"

	"github.com/ormc/ormc/runtime/dialect"
)

// TestKindRules checks that the runtime knows every kind of
// dialect.Kinds: how its lookup values convert and are checked, how its
// written values are validated, what it takes for an error message, and
// the constant generated code names it by.
func TestKindRules(t *testing.T) {
	if len(kindRules) != len(dialect.Kinds) {
		t.Errorf("kindRules has %d entries, dialect.Kinds %d", len(kindRules), len(dialect.Kinds))
	}
	consts := exportedConsts(t, "kinds.go")
	for _, k := range dialect.ColumnKinds() {
		r := ruleOf(k)
		if r.fits == nil || r.validate == nil || r.takes == nil {
			t.Errorf("%s: no fits, validate or takes", k)
		}
		if r.convert == nil && k.Info().Family != dialect.SetOnlyFamily {
			t.Errorf("%s has lookups but no conversion of their values", k)
		}
		if name := "Kind" + k.Info().Type; !consts[name] {
			t.Errorf("%s: runtime does not declare %s, which generated code names", k, name)
		}
	}
}

// exportedConsts returns the exported constants declared in a file of
// this package.
func exportedConsts(t *testing.T, file string) map[string]bool {
	f, err := parser.ParseFile(token.NewFileSet(), file, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	for _, d := range f.Decls {
		if g, ok := d.(*ast.GenDecl); ok && g.Tok == token.CONST {
			for _, s := range g.Specs {
				for _, n := range s.(*ast.ValueSpec).Names {
					out[n.Name] = n.IsExported()
				}
			}
		}
	}
	return out
}
