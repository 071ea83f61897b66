package ir_test

import (
	"testing"

	"github.com/ormc/ormc/compiler/ir"
)

// TestParseLiteral: the canonical text the generators print for each
// kind, and which literals count as their Go type's zero value.
func TestParseLiteral(t *testing.T) {
	for _, c := range []struct {
		t    ir.Type
		in   string
		text string
		zero bool
	}{
		{ir.Type{Kind: ir.Integer}, "+08", "8", false},
		{ir.Type{Kind: ir.BigInteger}, "-0", "0", true},
		{ir.Type{Kind: ir.Float}, "1.5e3", "1500", false},
		{ir.Type{Kind: ir.Float}, "0.0", "0", true},
		{ir.Type{Kind: ir.Decimal, MaxDigits: 10, DecimalPlaces: 2}, "9.9", "9.90", false},
		{ir.Type{Kind: ir.Decimal, MaxDigits: 10, DecimalPlaces: 2}, "0", "0.00", false},
		{ir.Type{Kind: ir.Decimal, MaxDigits: 5, DecimalPlaces: 0}, "1e2", "100", false},
		{ir.Type{Kind: ir.Decimal, MaxDigits: 5, DecimalPlaces: 3}, "-0.5", "-0.500", false},
		{ir.Type{Kind: ir.Boolean}, "false", "false", true},
		{ir.Type{Kind: ir.String, MaxLength: 5}, "", "", true},
		{ir.Type{Kind: ir.Date}, "1969-07-20", "1969-07-20", false},
		{ir.Type{Kind: ir.Time}, "13:45:00.5", "13:45:00.500000", false},
		{ir.Type{Kind: ir.Time}, "00:00:00", "00:00:00", false},
		{ir.Type{Kind: ir.Time}, "23:59:59.9999999", "23:59:59.999999", false},
		{ir.Type{Kind: ir.DateTime}, "2024-01-31T13:45:00.25+02:00", "2024-01-31 11:45:00.25", false},
		{ir.Type{Kind: ir.DateTime}, "2024-01-31T13:45:00.0000009Z", "2024-01-31 13:45:00", false},
		{ir.Type{Kind: ir.UUID}, "123E4567-E89B-12D3-A456-426614174000", "123e4567-e89b-12d3-a456-426614174000", false},
		{ir.Type{Kind: ir.JSON}, `{"a": 1}`, `{"a": 1}`, false},
	} {
		l, ok := ir.ParseLiteral(c.t, c.in)
		if !ok || l.Text != c.text || l.IsZero() != c.zero {
			t.Errorf("%s %q: got %q, zero %v, ok %v; want %q, zero %v", c.t.Kind, c.in, l.Text, l.IsZero(), ok, c.text, c.zero)
		}
	}
	for _, c := range []struct {
		t  ir.Type
		in string
	}{
		{ir.Type{Kind: ir.Integer}, "1.5"},
		{ir.Type{Kind: ir.Date}, "2024-02-30"},
		{ir.Type{Kind: ir.UUID}, "123e4567e89b12d3a456426614174000"},
	} {
		if _, ok := ir.ParseLiteral(c.t, c.in); ok {
			t.Errorf("%s %q: accepted", c.t.Kind, c.in)
		}
	}
}
