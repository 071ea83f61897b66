package runtime

import "testing"

// TestDecimalDigitsCheck counts digits as PostgreSQL's NUMERIC(p, s)
// does: leading zeros of the whole part and trailing zeros of the
// fraction do not count.
func TestDecimalDigitsCheck(t *testing.T) {
	c := &Column{Field: "d", MaxDigits: 5, DecimalPlaces: 2}
	for _, tc := range []struct {
		s     string
		codes string
	}{
		{"999.99", ""},
		{"-999.99", ""},
		{"000999.990000", ""},
		{"0.01", ""},
		{"0", ""},
		{"1.234", "decimal_places"},
		{"1000", "max_digits"},
		{"-1000.001", "decimal_places max_digits"},
	} {
		var k checker
		k.check(c, MustDecimal(tc.s))
		got := ""
		for i, f := range k.errs {
			if i > 0 {
				got += " "
			}
			got += f.Code
		}
		if got != tc.codes {
			t.Errorf("%s in Decimal(5, 2): %q, want %q", tc.s, got, tc.codes)
		}
	}
}
