package compiler

// Bounds: min_length, max_length and pattern for strings; minimum,
// maximum and the exclusive bounds for numbers, checked against each other
// and against the values the field's type can hold.

import (
	"fmt"
	"math"
	"math/big"
	"regexp"
	"strconv"
	"strings"

	"github.com/ormc/ormc/compiler/ir"
	"github.com/ormc/ormc/schema"
)

func (c *checker) lengthBounds(fs *fieldState, args boundArgs) {
	b := &fs.ir.Bounds
	if a := args.get("min_length"); a != nil {
		if n, ok := intArg(a); ok {
			if n < 0 {
				c.errorf(a.Pos, a.EndPos, schema.CodeBadArgument, "min_length may not be negative, found %d", n)
			}
			b.MinLength = &n
		}
	}
	if fs.ir.Type.Kind == ir.Text {
		if a := args.get("max_length"); a != nil {
			if n, ok := intArg(a); ok && n < 1 {
				c.errorf(a.Pos, a.EndPos, schema.CodeBadArgument, "max_length must be at least 1, found %d", n)
			} else if ok {
				b.MaxLength = &n
			}
		}
	}
	if a := args.get("pattern"); a != nil {
		if _, err := regexp.Compile(a.Value.Text); err != nil {
			msg := strings.TrimPrefix(err.Error(), "error parsing regexp: ")
			c.errorf(a.Value.Pos, a.Value.EndPos, schema.CodeInvalidPattern, "invalid pattern: %s", msg)
		} else {
			b.Pattern = a.Value.Text
		}
	}
	max := fs.ir.Type.MaxLength
	if b.MaxLength != nil {
		max = *b.MaxLength
	}
	if b.MinLength != nil && max > 0 && *b.MinLength > max {
		a := args.get("min_length")
		c.errorf(a.Pos, a.EndPos, schema.CodeContradictoryBounds, "min_length %d is greater than max_length %d", *b.MinLength, max)
	}
}

// numberBounds checks the bounds of a number field: at most one lower and
// one upper bound, whole numbers for the integer types, finite numbers for
// Float, and at least one value of the type between them.
func (c *checker) numberBounds(fs *fieldState, args boundArgs) {
	b := &fs.ir.Bounds
	lo, elo := args.get("minimum"), args.get("exclusive_minimum")
	hi, ehi := args.get("maximum"), args.get("exclusive_maximum")
	if lo != nil && elo != nil {
		c.errorf(elo.Name.Pos, elo.Name.EndPos, schema.CodeContradictoryBounds, "minimum and exclusive_minimum may not both be set")
	}
	if hi != nil && ehi != nil {
		c.errorf(ehi.Name.Pos, ehi.Name.EndPos, schema.CodeContradictoryBounds, "maximum and exclusive_maximum may not both be set")
	}
	kind := fs.ir.Type.Kind
	valid := true
	for _, a := range []*schema.Arg{lo, elo, hi, ehi} {
		switch {
		case a == nil:
		case (kind == ir.Integer || kind == ir.BigInteger) && !isInteger(a.Value.Text):
			c.errorf(a.Value.Pos, a.Value.EndPos, schema.CodeBadArgument, "bound of an integer field must be a whole number, found %s", a.Value.Raw)
			valid = false
		case kind == ir.Float && !finiteFloat(a.Value.Text):
			c.errorf(a.Value.Pos, a.Value.EndPos, schema.CodeBadArgument, "bound %s is out of range for Float: it is not a finite float64", a.Value.Raw)
			valid = false
		}
	}
	if elo != nil {
		lo, b.ExclusiveMinimum = elo, true
	}
	if ehi != nil {
		hi, b.ExclusiveMaximum = ehi, true
	}
	if lo != nil {
		b.Minimum = lo.Value.Text
	}
	if hi != nil {
		b.Maximum = hi.Value.Text
	}
	if !valid || lo == nil && hi == nil {
		return
	}
	c.boundsRange(fs, lo, hi)
}

// boundsRange reports bounds that leave no value of the field's type.
func (c *checker) boundsRange(fs *fieldState, lo, hi *schema.Arg) {
	b := fs.ir.Bounds
	var l, h *big.Rat
	if lo != nil {
		l, _ = new(big.Rat).SetString(lo.Value.Text)
	}
	if hi != nil {
		h, _ = new(big.Rat).SetString(hi.Value.Text)
	}
	if lo != nil && hi != nil && l != nil && h != nil {
		if l.Cmp(h) > 0 || l.Cmp(h) == 0 && (b.ExclusiveMinimum || b.ExclusiveMaximum) {
			c.errorf(hi.Name.Pos, hi.Name.EndPos, schema.CodeContradictoryBounds, "no value lies between %s %s and %s %s",
				lo.Name.Name, lo.Value.Text, hi.Name.Name, hi.Value.Text)
			return
		}
	}
	tname, tmin, tmax, step := typeRange(fs.ir.Type)
	if tmin == nil {
		return // Float: any finite bound leaves values
	}
	// The least and the greatest value of the type within the bounds.
	least, greatest := tmin, tmax
	if l != nil {
		least = maxRat(least, gridUp(l, step, b.ExclusiveMinimum))
	}
	if h != nil {
		greatest = minRat(greatest, gridDown(h, step, b.ExclusiveMaximum))
	}
	if least.Cmp(greatest) <= 0 {
		return
	}
	switch {
	case l != nil && gridUp(l, step, b.ExclusiveMinimum).Cmp(tmax) > 0:
		c.errorf(lo.Name.Pos, lo.Name.EndPos, schema.CodeContradictoryBounds, "no %s value is %s %s: the largest is %s",
			tname, map[bool]string{false: "at least", true: "above"}[b.ExclusiveMinimum], lo.Value.Text, ratText(tmax))
	case h != nil && gridDown(h, step, b.ExclusiveMaximum).Cmp(tmin) < 0:
		c.errorf(hi.Name.Pos, hi.Name.EndPos, schema.CodeContradictoryBounds, "no %s value is %s %s: the smallest is %s",
			tname, map[bool]string{false: "at most", true: "below"}[b.ExclusiveMaximum], hi.Value.Text, ratText(tmin))
	default:
		c.errorf(hi.Name.Pos, hi.Name.EndPos, schema.CodeContradictoryBounds, "no %s value lies between %s %s and %s %s",
			tname, lo.Name.Name, lo.Value.Text, hi.Name.Name, hi.Value.Text)
	}
}

// typeRange returns the name of a number type for messages, its least and
// greatest values and the distance between neighbouring values; nil for
// Float, whose values are dense enough for any finite bounds.
func typeRange(t ir.Type) (name string, min, max, step *big.Rat) {
	one := big.NewRat(1, 1)
	switch t.Kind {
	case ir.Integer:
		return "Integer", big.NewRat(math.MinInt32, 1), big.NewRat(math.MaxInt32, 1), one
	case ir.BigInteger:
		return "BigInteger", big.NewRat(math.MinInt64, 1), big.NewRat(math.MaxInt64, 1), one
	case ir.Decimal:
		if t.MaxDigits == 0 {
			return "", nil, nil, nil // the precision was reported
		}
		step = new(big.Rat).SetFrac(big.NewInt(1), pow10(t.DecimalPlaces))
		max = new(big.Rat).Sub(new(big.Rat).SetInt(pow10(t.MaxDigits-t.DecimalPlaces)), step)
		return fmt.Sprintf("Decimal(%d, %d)", t.MaxDigits, t.DecimalPlaces), new(big.Rat).Neg(max), max, step
	}
	return "", nil, nil, nil
}

func pow10(n int) *big.Int { return new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(n)), nil) }

// gridUp returns the least multiple of step that is at least x, or above
// it when strict.
func gridUp(x, step *big.Rat, strict bool) *big.Rat {
	q := new(big.Rat).Quo(x, step)
	n := floor(q)
	if !q.IsInt() || strict {
		n.Add(n, big.NewInt(1))
	}
	return new(big.Rat).Mul(new(big.Rat).SetInt(n), step)
}

// gridDown returns the greatest multiple of step that is at most x, or
// below it when strict.
func gridDown(x, step *big.Rat, strict bool) *big.Rat {
	q := new(big.Rat).Quo(x, step)
	n := floor(q)
	if q.IsInt() && strict {
		n.Sub(n, big.NewInt(1))
	}
	return new(big.Rat).Mul(new(big.Rat).SetInt(n), step)
}

// floor returns the greatest integer at most q.
func floor(q *big.Rat) *big.Int {
	// Euclidean division rounds towards minus infinity for a positive
	// divisor, and a Rat's denominator is positive.
	return new(big.Int).Div(q.Num(), q.Denom())
}

func maxRat(a, b *big.Rat) *big.Rat {
	if a.Cmp(b) >= 0 {
		return a
	}
	return b
}

func minRat(a, b *big.Rat) *big.Rat {
	if a.Cmp(b) <= 0 {
		return a
	}
	return b
}

// ratText prints r as a decimal without trailing zeros.
func ratText(r *big.Rat) string {
	if r.IsInt() {
		return r.Num().String()
	}
	s := r.FloatString(30)
	return strings.TrimRight(strings.TrimRight(s, "0"), ".")
}

// finiteFloat reports whether s is a number a float64 holds without
// overflowing to infinity.
func finiteFloat(s string) bool {
	f, err := strconv.ParseFloat(s, 64)
	return err == nil && !math.IsInf(f, 0)
}

// isInteger reports whether s, a number as the lexer reads it, is written
// as a whole number: digits, with an optional sign (1e3 is not).
func isInteger(s string) bool {
	if s != "" && (s[0] == '-' || s[0] == '+') {
		s = s[1:]
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// fitsDecimal reports whether r, written as text, has at most places
// digits after the point and at most digits-places before it.
func fitsDecimal(text string, r *big.Rat, digits, places int) bool {
	if !strings.ContainsAny(text, "eE") {
		// Written without an exponent: count the digits.
		whole, frac, _ := strings.Cut(strings.TrimLeft(text, "+-"), ".")
		whole, frac = strings.TrimLeft(whole, "0"), strings.TrimRight(frac, "0")
		return len(frac) <= places && len(whole) <= digits-places
	}
	scaled := new(big.Rat).Mul(r, new(big.Rat).SetInt(pow10(places)))
	if !scaled.IsInt() {
		return false
	}
	return new(big.Int).Abs(scaled.Num()).Cmp(pow10(digits)) < 0
}

func outOfBounds(r *big.Rat, b ir.Bounds) string {
	if b.Minimum != "" {
		lo, _ := new(big.Rat).SetString(b.Minimum)
		if c := r.Cmp(lo); c < 0 {
			return "below the minimum " + b.Minimum
		} else if c == 0 && b.ExclusiveMinimum {
			return "not above the exclusive_minimum " + b.Minimum
		}
	}
	if b.Maximum != "" {
		hi, _ := new(big.Rat).SetString(b.Maximum)
		if c := r.Cmp(hi); c > 0 {
			return "above the maximum " + b.Maximum
		} else if c == 0 && b.ExclusiveMaximum {
			return "not below the exclusive_maximum " + b.Maximum
		}
	}
	return ""
}
