package runtime

import (
	"errors"
	"fmt"
	"math/big"
	"strings"
)

// Decimal arithmetic is exact: every result is computed on integers
// (math/big) from the digits of the operands, never through a float.
// Sums, differences and products keep every digit, with the scale (the
// digits after the point) PostgreSQL and MySQL give them; only Round and
// Quo drop digits, to the places asked for, in the RoundingMode asked for.

// RoundingMode says how Round and Quo drop the digits beyond the places
// asked for. The zero RoundingMode is RoundHalfEven.
type RoundingMode uint8

const (
	// RoundHalfEven rounds to the nearest, and a tie to the even neighbour
	// (banker's rounding): 2.5 → 2, 3.5 → 4, -2.5 → -2.
	RoundHalfEven RoundingMode = iota
	// RoundHalfUp rounds to the nearest, and a tie away from zero, as
	// PostgreSQL's and MySQL's round() do: 2.5 → 3, -2.5 → -3.
	RoundHalfUp
	// RoundHalfDown rounds to the nearest, and a tie toward zero:
	// 2.5 → 2, -2.5 → -2.
	RoundHalfDown
	// RoundDown rounds toward zero (truncates): 2.9 → 2, -2.9 → -2.
	RoundDown
	// RoundUp rounds away from zero: 2.1 → 3, -2.1 → -3.
	RoundUp
	// RoundFloor rounds toward negative infinity: 2.9 → 2, -2.1 → -3.
	RoundFloor
	// RoundCeiling rounds toward positive infinity: 2.1 → 3, -2.9 → -2.
	RoundCeiling
)

var roundingModes = [...]string{"half-even", "half-up", "half-down", "down", "up", "floor", "ceiling"}

func (m RoundingMode) String() string {
	if int(m) < len(roundingModes) {
		return roundingModes[m]
	}
	return fmt.Sprintf("RoundingMode(%d)", uint8(m))
}

var (
	// ErrDivisionByZero is wrapped by the error of Quo by zero.
	ErrDivisionByZero = errors.New("ormc: decimal division by zero")
	// ErrDecimalRange is wrapped by the error of Round or Quo asked for
	// more than 1000 places either way, or given an unknown
	// RoundingMode.
	ErrDecimalRange = errors.New("ormc: decimal argument out of range")
)

// maxDecimalPlaces bounds the places of Round and Quo, as
// maxDecimalExponent bounds a parsed exponent: a small argument cannot ask
// for a billion digits.
const maxDecimalPlaces = maxDecimalExponent

// Add returns d + e, with the larger scale of the two: 0.10 + 0.2 is 0.30.
func (d Decimal) Add(e Decimal) Decimal {
	x, y, scale := align(d, e)
	return fromUnscaled(x.Add(x, y), scale)
}

// Sub returns d - e, with the larger scale of the two.
func (d Decimal) Sub(e Decimal) Decimal {
	x, y, scale := align(d, e)
	return fromUnscaled(x.Sub(x, y), scale)
}

// Mul returns d × e, with the sum of their scales: 1.5 × 0.25 is 0.375,
// 1.50 × 2.00 is 3.0000.
func (d Decimal) Mul(e Decimal) Decimal {
	x, sx := d.unscaled()
	y, sy := e.unscaled()
	return fromUnscaled(x.Mul(x, y), sx+sy)
}

// Neg returns -d, with d's scale (the negation of 0.00 is 0.00).
func (d Decimal) Neg() Decimal {
	switch {
	case d.Sign() == 0:
		return d
	case strings.HasPrefix(d.s, "-"):
		return Decimal{d.s[1:]}
	}
	return Decimal{"-" + d.s}
}

// Abs returns |d|, with d's scale.
func (d Decimal) Abs() Decimal {
	if d.Sign() < 0 {
		return d.Neg()
	}
	return d
}

// Sign returns -1, 0 or +1 as d is negative, zero or positive.
func (d Decimal) Sign() int {
	switch {
	case strings.HasPrefix(d.s, "-"):
		return -1 // a canonical negative is never zero
	case strings.Trim(d.s, "0.") == "":
		return 0
	}
	return 1
}

// Cmp compares the values of d and e, whatever their scales: it returns
// -1, 0 or +1 as d < e, d == e (9.5 and 9.50) or d > e. Compare Decimals
// with Cmp, not ==, which compares their texts.
func (d Decimal) Cmp(e Decimal) int {
	x, y, _ := align(d, e)
	return x.Cmp(y)
}

// Scale returns the number of digits after d's point: 2 for 12.50.
func (d Decimal) Scale() int {
	_, frac, _ := strings.Cut(d.s, ".")
	return len(frac)
}

// Round returns d rounded to places digits after the point by mode, with
// exactly that scale: Round(2, RoundHalfEven) of 0.125 is 0.12, of 0.3 is
// 0.30. Negative places round to a power of ten: Round(-2, RoundHalfUp) of
// 1250 is 1300. Places beyond ±1000 or an unknown mode give an error
// wrapping ErrDecimalRange.
func (d Decimal) Round(places int, mode RoundingMode) (Decimal, error) {
	if err := checkRounding(places, mode); err != nil {
		return Decimal{}, err
	}
	x, scale := d.unscaled()
	// d × 10^places = x × 10^(places-scale), made an integer by mode.
	num, den := x, big.NewInt(1)
	if k := places - scale; k >= 0 {
		num.Mul(num, pow10(k))
	} else {
		den = pow10(-k)
	}
	return roundQuo(num, den, places, mode), nil
}

// Quo returns d ÷ e rounded to places digits after the point by mode,
// with exactly that scale (negative places as for Round): Quo(1, 3, 4,
// RoundHalfEven) is 0.3333. The quotient is rounded once, from its exact
// value. Division by zero gives an error wrapping ErrDivisionByZero;
// places beyond ±1000 or an unknown mode one wrapping ErrDecimalRange.
func (d Decimal) Quo(e Decimal, places int, mode RoundingMode) (Decimal, error) {
	if err := checkRounding(places, mode); err != nil {
		return Decimal{}, err
	}
	if e.Sign() == 0 {
		return Decimal{}, fmt.Errorf("%w: %s / %s", ErrDivisionByZero, d, e)
	}
	x, sx := d.unscaled()
	y, sy := e.unscaled()
	// d/e × 10^places = x/y × 10^(sy-sx+places).
	if k := sy - sx + places; k >= 0 {
		x.Mul(x, pow10(k))
	} else {
		y.Mul(y, pow10(-k))
	}
	return roundQuo(x, y, places, mode), nil
}

func checkRounding(places int, mode RoundingMode) error {
	if places < -maxDecimalPlaces || places > maxDecimalPlaces {
		return fmt.Errorf("%w: %d places (at most %d either way)", ErrDecimalRange, places, maxDecimalPlaces)
	}
	if int(mode) >= len(roundingModes) {
		return fmt.Errorf("%w: unknown %v", ErrDecimalRange, mode)
	}
	return nil
}

// roundQuo returns num/den made an integer by mode, as the unscaled value
// of a Decimal with places digits after the point (for negative places,
// the integer times 10^-places). den is not zero.
func roundQuo(num, den *big.Int, places int, mode RoundingMode) Decimal {
	q, r := new(big.Int).QuoRem(num, den, new(big.Int)) // q truncated toward zero
	if r.Sign() != 0 {
		neg := num.Sign()*den.Sign() < 0
		half := r.Abs(r).Lsh(r, 1).CmpAbs(den) // 2|r| against |den|: the dropped part against one half
		away := false
		switch mode {
		case RoundUp:
			away = true
		case RoundFloor:
			away = neg
		case RoundCeiling:
			away = !neg
		case RoundHalfUp:
			away = half >= 0
		case RoundHalfDown:
			away = half > 0
		case RoundHalfEven:
			away = half > 0 || half == 0 && q.Bit(0) == 1
		}
		if away && neg {
			q.Sub(q, big.NewInt(1))
		} else if away {
			q.Add(q, big.NewInt(1))
		}
	}
	if places < 0 {
		return fromUnscaled(q.Mul(q, pow10(-places)), 0)
	}
	return fromUnscaled(q, places)
}

// unscaled returns d as an integer and a scale: d = x × 10^-scale.
func (d Decimal) unscaled() (x *big.Int, scale int) {
	s := d.String()
	whole, frac, _ := strings.Cut(s, ".")
	x, ok := new(big.Int).SetString(whole+frac, 10)
	if !ok {
		// Unreachable: every Decimal's text is canonical. Zero rather
		// than a panic, and Rat says so.
		return new(big.Int), 0
	}
	return x, len(frac)
}

// align returns d and e as integers of the same scale, the larger of
// theirs.
func align(d, e Decimal) (x, y *big.Int, scale int) {
	x, sx := d.unscaled()
	y, sy := e.unscaled()
	switch {
	case sx < sy:
		x.Mul(x, pow10(sy-sx))
	case sy < sx:
		y.Mul(y, pow10(sx-sy))
	}
	return x, y, max(sx, sy)
}

// fromUnscaled returns the Decimal x × 10^-scale (scale >= 0) in
// canonical form.
func fromUnscaled(x *big.Int, scale int) Decimal {
	neg := x.Sign() < 0
	digits := x.Abs(x).String()
	if len(digits) <= scale {
		digits = strings.Repeat("0", scale-len(digits)+1) + digits
	}
	var b strings.Builder
	b.Grow(len(digits) + 2)
	if neg {
		b.WriteByte('-') // x is not zero
	}
	b.WriteString(digits[:len(digits)-scale])
	if scale > 0 {
		b.WriteByte('.')
		b.WriteString(digits[len(digits)-scale:])
	}
	return Decimal{b.String()}
}

// pow10 returns 10^n, n >= 0.
func pow10(n int) *big.Int {
	return new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(n)), nil)
}
