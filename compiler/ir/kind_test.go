package ir

import (
	"testing"

	"github.com/ormc/ormc/runtime/dialect"
)

// TestTypeNames: every kind the IR names has a type name, and the column
// kinds' constants here are names of dialect.Kinds' descriptors.
func TestTypeNames(t *testing.T) {
	column := []Kind{String, Text, Boolean, Integer, BigInteger, Float, Decimal, Date, Time, DateTime, JSON, UUID, IPAddress}
	for _, k := range column {
		if dialect.KindNamed(string(k)) == dialect.Invalid {
			t.Errorf("ir.Kind %q names no descriptor in dialect.Kinds", k)
		}
	}
	for _, k := range append(column, Enum, Email, URL, ForeignKey, OneToOne) {
		if k.TypeName() == "" {
			t.Errorf("ir.Kind %q has no type name", k)
		}
	}
	for _, dk := range dialect.ColumnKinds() {
		if Kind(dk.Info().Name).TypeName() != dk.Info().Type {
			t.Errorf("%s: TypeName %q, descriptor says %q", dk, Kind(dk.Info().Name).TypeName(), dk.Info().Type)
		}
	}
	if Kind("nonsense").TypeName() != "" {
		t.Error(`Kind("nonsense").TypeName() is not ""`)
	}
}
