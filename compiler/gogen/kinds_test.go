package gogen

import (
	"strings"
	"testing"

	"github.com/ormc/ormc/compiler/ir"
	"github.com/ormc/ormc/runtime/dialect"
)

// TestEveryKindGenerates checks that the generator has what it needs of
// every kind of dialect.Kinds: a Go type, a typed field, the runtime's
// constant, and the Go expression of a literal default, plain and
// nullable. A kind whose descriptor has no GoLiteral must be one that
// defaultGo spells out itself.
func TestEveryKindGenerates(t *testing.T) {
	for _, k := range dialect.ColumnKinds() {
		typ := ir.Type{Kind: ir.Kind(k.Info().Name), MaxLength: 10, MaxDigits: 10, DecimalPlaces: 2}
		if g := goType(typ); g == "any" {
			t.Errorf("%s: Go type any", k)
		}
		if kindOf(typ).Type == "" {
			t.Errorf("%s: no runtime constant", k)
		}
		for _, null := range []bool{false, true} {
			expr, _ := defaultGo(ir.Literal{Kind: typ.Kind, Text: "1"}, null, goType(typ))
			if expr == "" || strings.Contains(expr, "%!") {
				t.Errorf("%s (null %v): default literal %q", k, null, expr)
			}
		}
	}
}
