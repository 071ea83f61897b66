package sqlite

import "testing"

func TestCompareDecimals(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want int
	}{
		{"9.5", "9.50", 0},
		{"9.5", "10", -1},
		{"10", "9", 1},
		{"-1", "1", -1},
		{"-10", "-9", -1},
		{"-0.0", "0", 0},
		{"0.5", ".5", 0},
		{"007", "7.000", 0},
		{"1.05", "1.5", -1},
		{"12345678901234567890.1234567891", "12345678901234567890.123456789", 1},
		{"+3", "3", 0},
		{"x", "1", 1},
		{"1", "x", -1},
		{"a", "b", -1},
		{"", "0", 1},
		{"1.2.3", "1", 1},
	} {
		if got := compareDecimals(tc.a, tc.b); got != tc.want {
			t.Errorf("compareDecimals(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
		if got := compareDecimals(tc.b, tc.a); got != -tc.want {
			t.Errorf("compareDecimals(%q, %q) = %d, want %d", tc.b, tc.a, got, -tc.want)
		}
	}
}
