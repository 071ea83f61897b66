package sqlite

import (
	sqldriver "database/sql/driver"
	"math"
	"math/big"
	"regexp"
	"strconv"
	"strings"

	"modernc.org/sqlite"
)

// SQLite's SUM reads a Decimal column's text as a float: SUM of 0.1 and
// 0.2 is 0.30000000000000004, and of 12345678901234.56 and 0.01 loses the
// last digit. ormc_decimal_sum is SUM computed exactly, which raw SQL run
// through runtime.Raw uses for SUM on SQLite:
//
//   - NULL is skipped, and a sum of no value is NULL, as SUM's;
//   - integers alone sum to an integer, as SUM's (one that overflows
//     int64 to the exact digits as text, where SUM fails);
//   - decimal text ("12.50", what ormc stores for a Decimal) and integers
//     sum to the exact value as canonical text, with the largest scale of
//     the values summed, as PostgreSQL's and MySQL's SUM of numeric;
//   - any other value (a float, text that is no decimal) makes the sum a
//     float, as SUM's would be.
//
// It is also a window function (SUM(x) OVER (…)).

func init() {
	err := sqlite.RegisterFunction("ormc_decimal_sum", &sqlite.FunctionImpl{
		NArgs:         1,
		Deterministic: true,
		MakeAggregate: func(sqlite.FunctionContext) (sqlite.AggregateFunction, error) {
			return &decimalSum{exact: new(big.Int)}, nil
		},
	})
	if err != nil {
		panic(err)
	}
}

// decimalSum is the state of one ormc_decimal_sum.
type decimalSum struct {
	// The decimal and integer values, unscaled at scale: exact plus small.
	// small takes them while it can hold the sum, so that summing values
	// of one scale allocates nothing until the sum leaves int64.
	exact  *big.Int
	small  int64
	scale  int     // digits after the point of exact: the most of any value
	n      int     // values summed (not NULL)
	texts  int     // of which decimal text
	floats int     // of which neither an integer nor decimal text
	float  float64 // the sum of those, as SUM reads them
}

func (s *decimalSum) Step(_ *sqlite.FunctionContext, args []sqldriver.Value) error {
	s.add(args[0], 1)
	return nil
}

func (s *decimalSum) WindowInverse(_ *sqlite.FunctionContext, args []sqldriver.Value) error {
	s.add(args[0], -1)
	return nil
}

// add adds v to the sum (sign 1) or takes it away (sign -1).
func (s *decimalSum) add(v sqldriver.Value, sign int) {
	var text string
	switch v := v.(type) {
	case nil:
		return
	case int64:
		s.n += sign
		if s.scale == 0 && v != math.MinInt64 {
			s.addSmall(int64(sign) * v)
			return
		}
		x := new(big.Int).Mul(big.NewInt(v), pow10(s.scale))
		if sign < 0 {
			x.Neg(x)
		}
		s.exact.Add(s.exact, x)
		return
	case float64:
		s.n += sign
		s.floats += sign
		s.float += float64(sign) * v
		return
	case string:
		text = v
	case []byte:
		text = string(v)
	}
	s.n += sign
	x, scale, ok := unscaled(text)
	if !ok {
		s.floats += sign
		s.float += float64(sign) * numericPrefix(text)
		return
	}
	s.texts += sign
	if scale > s.scale {
		s.flush()
		s.exact.Mul(s.exact, pow10(scale-s.scale))
		s.scale = scale
	} else {
		x.Mul(x, pow10(s.scale-scale))
	}
	if sign < 0 {
		x.Neg(x)
	}
	s.exact.Add(s.exact, x)
}

// addSmall adds x, unscaled at s.scale, to small, or moves small to exact
// when the sum would leave int64.
func (s *decimalSum) addSmall(x int64) {
	if sum := s.small + x; (sum > s.small) == (x > 0) {
		s.small = sum
		return
	}
	s.flush()
	s.small = x
}

// flush moves small into exact.
func (s *decimalSum) flush() {
	if s.small != 0 {
		s.exact.Add(s.exact, big.NewInt(s.small))
		s.small = 0
	}
}

func (s *decimalSum) WindowValue(*sqlite.FunctionContext) (sqldriver.Value, error) {
	total := new(big.Int).Add(s.exact, big.NewInt(s.small))
	switch {
	case s.n == 0:
		return nil, nil
	case s.floats > 0:
		f, _ := new(big.Rat).SetFrac(total, pow10(s.scale)).Float64()
		return f + s.float, nil
	case s.texts == 0 && s.scale == 0 && total.IsInt64():
		return total.Int64(), nil
	}
	return formatUnscaled(total, s.scale), nil
}

func (s *decimalSum) Final(*sqlite.FunctionContext) {}

// numberPrefix matches the number text begins with, after white space,
// as SQLite reads text in arithmetic: "0.1x" is 0.1, "abc" 0.
var numberPrefix = regexp.MustCompile(`^[ \t\n\f\r]*[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?`)

// numericPrefix returns the number text begins with, or 0.
func numericPrefix(text string) float64 {
	f, _ := strconv.ParseFloat(strings.TrimLeft(numberPrefix.FindString(text), " \t\n\f\r"), 64)
	return f
}

// unscaled reads decimal text as an integer and its scale: "-12.50" is
// -1250 and 2. It reports false for text that is no decimal.
func unscaled(text string) (*big.Int, int, bool) {
	d, ok := parseDecimal(text)
	if !ok {
		return nil, 0, false
	}
	_, frac, _ := strings.Cut(text, ".")
	scale := len(frac) // the digits written, trailing zeros too
	digits := d.whole + d.fra + strings.Repeat("0", scale-len(d.fra))
	x, ok := new(big.Int).SetString("0"+digits, 10)
	if !ok {
		return nil, 0, false
	}
	if d.neg {
		x.Neg(x)
	}
	return x, scale, true
}

// formatUnscaled writes x × 10^-scale in ormc's canonical decimal form.
func formatUnscaled(x *big.Int, scale int) string {
	neg := x.Sign() < 0
	digits := new(big.Int).Abs(x).String()
	if len(digits) <= scale {
		digits = strings.Repeat("0", scale-len(digits)+1) + digits
	}
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	b.WriteString(digits[:len(digits)-scale])
	if scale > 0 {
		b.WriteByte('.')
		b.WriteString(digits[len(digits)-scale:])
	}
	return b.String()
}

func pow10(n int) *big.Int {
	return new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(n)), nil)
}
