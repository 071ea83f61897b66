package runtime

import (
	"go/ast"
	"go/parser"
	"go/token"
	"net/netip"
	"testing"
	"time"

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
		if (r.unset != nil) != (k.Info().Zero == dialect.ZeroIsUnset) {
			t.Errorf("%s: the descriptor says its zero value is unset: %v; the rule has an unset function: %v", k, k.Info().Zero == dialect.ZeroIsUnset, r.unset != nil)
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

// TestValidateAllocs checks that validating a value that passes costs
// no allocation, for a value of every kind: the checker must not escape
// through the rules' func values.
func TestValidateAllocs(t *testing.T) {
	valid := map[Kind]any{
		KindString: "x", KindText: "x", KindBoolean: true, KindInteger: int64(1), KindBigInteger: int64(1),
		KindFloat: 1.5, KindDecimal: MustDecimal("1.5"), KindDate: Date{Year: 2024, Month: 1, Day: 31},
		KindTime: TimeOfDay{Hour: 1}, KindDateTime: time.Unix(0, 0), KindJSON: JSON(`1`), KindUUID: UUID{1},
		KindIPAddress: netip.MustParseAddr("192.0.2.1"),
	}
	for _, k := range dialect.ColumnKinds() {
		v, ok := valid[k]
		if !ok {
			t.Errorf("%s: no valid value in this test", k)
			continue
		}
		c := &Column{Field: "f", Kind: k, MaxDigits: 10, DecimalPlaces: 2} // bounds allocate big.Rats
		allocs := testing.AllocsPerRun(100, func() {
			var ch checker
			ch.check(c, v)
			if len(ch.errs) > 0 {
				t.Fatalf("%s: %v fails: %v", k, v, ch.errs)
			}
		})
		if allocs != 0 {
			t.Errorf("%s: validating %v allocates %v times", k, v, allocs)
		}
	}
}
