package compiler

import (
	"testing"

	"github.com/ormc/ormc/compiler/ir"
	"github.com/ormc/ormc/runtime/dialect"
)

// TestKindTypes checks that the checker knows every kind of
// dialect.Kinds as a schema type, with its parameters and default
// checks, and that the IR names its column kind as the descriptor does.
func TestKindTypes(t *testing.T) {
	for _, k := range dialect.ColumnKinds() {
		d := k.Info()
		if _, ok := kindTypes[k]; !ok {
			t.Errorf("%s: no entry in kindTypes", k)
		}
		ti, ok := types[d.Type]
		if !ok {
			t.Errorf("%s: no schema type %q", k, d.Type)
			continue
		}
		if ti.checkDefault == nil {
			t.Errorf("type %q: no default check", d.Type)
		}
		if ti.kind != ir.Kind(d.Name) || typeOf(ti.kind).what != ti.what {
			t.Errorf("type %q: IR kind %q, want %q", d.Type, ti.kind, d.Name)
		}
	}
	for name, ti := range types {
		if ti.checkDefault == nil {
			t.Errorf("type %q: no default check", name)
		}
	}
}
