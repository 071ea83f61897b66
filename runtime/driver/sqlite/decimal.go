package sqlite

import "strings"

// SQLite stores Decimal columns as text, to keep every digit, and text
// compares byte by byte: "10" < "9" and "9.5" ≠ "9.50". The ormc_decimal
// collation, which the engine names after a Decimal column in comparisons
// and ORDER BY, compares by value instead, as the other databases do.

func init() {
	if err := registerCollation("ormc_decimal", compareDecimals); err != nil {
		panic(err)
	}
}

// compareDecimals orders two decimals written as text ("-12.50") by value.
// Text that is not a decimal sorts after every decimal, byte by byte, so
// that the order stays total.
func compareDecimals(a, b string) int {
	x, okA := parseDecimal(a)
	y, okB := parseDecimal(b)
	switch {
	case okA && okB:
		return x.compare(y)
	case okA:
		return -1
	case okB:
		return 1
	}
	return strings.Compare(a, b)
}

// decimal is a parsed decimal: its digits with no leading zeros before the
// point and no trailing zeros after it, so that equal values are equal.
type decimal struct {
	neg        bool
	whole, fra string
}

func parseDecimal(s string) (decimal, bool) {
	var d decimal
	switch {
	case strings.HasPrefix(s, "-"):
		d.neg, s = true, s[1:]
	case strings.HasPrefix(s, "+"):
		s = s[1:]
	}
	whole, fra, _ := strings.Cut(s, ".")
	if whole == "" && fra == "" || !digits(whole) || !digits(fra) {
		return decimal{}, false
	}
	d.whole, d.fra = strings.TrimLeft(whole, "0"), strings.TrimRight(fra, "0")
	if d.whole == "" && d.fra == "" {
		d.neg = false // -0 is 0
	}
	return d, true
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func (x decimal) compare(y decimal) int {
	if x.neg != y.neg {
		if x.neg {
			return -1
		}
		return 1
	}
	c := len(x.whole) - len(y.whole) // more digits before the point: larger
	if c == 0 {
		c = strings.Compare(x.whole, y.whole)
	}
	if c == 0 {
		c = strings.Compare(x.fra, y.fra) // no trailing zeros: "5" < "51"
	}
	c = max(-1, min(c, 1))
	if x.neg {
		return -c
	}
	return c
}
