package runtime_test

import (
	"errors"
	"math/big"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/ormc/ormc/runtime"
)

// Decimal arithmetic: exact, checked against math/big.Rat.

var modes = []runtime.RoundingMode{
	runtime.RoundHalfEven, runtime.RoundHalfUp, runtime.RoundHalfDown,
	runtime.RoundDown, runtime.RoundUp, runtime.RoundFloor, runtime.RoundCeiling,
}

func dec(s string) runtime.Decimal { return runtime.MustDecimal(s) }

func TestDecimalArithmetic(t *testing.T) {
	for _, tc := range []struct {
		op, a, b, want string
	}{
		{"add", "0.1", "0.2", "0.3"},
		{"add", "0.10", "0.2", "0.30"},
		{"add", "12345678901234.56", "0.01", "12345678901234.57"},
		{"add", "99999999999999999999.99", "0.01", "100000000000000000000.00"},
		{"add", "-1.5", "1.5", "0.0"},
		{"add", "0", "-0.001", "-0.001"},
		{"sub", "1", "0.001", "0.999"},
		{"sub", "0.001", "1", "-0.999"},
		{"sub", "-2", "-2.00", "0.00"},
		{"mul", "1.5", "0.25", "0.375"},
		{"mul", "1.50", "2.00", "3.0000"},
		{"mul", "-3", "0.1", "-0.3"},
		{"mul", "-3", "0.0", "0.0"},
		{"mul", "123456789012345678901234567890", "987654321098765432109876543210", "121932631137021795226185032733622923332237463801111263526900"},
	} {
		a, b := dec(tc.a), dec(tc.b)
		var got runtime.Decimal
		switch tc.op {
		case "add":
			got = a.Add(b)
		case "sub":
			got = a.Sub(b)
		case "mul":
			got = a.Mul(b)
		}
		if got.String() != tc.want {
			t.Errorf("%s %s %s = %s, want %s", tc.a, tc.op, tc.b, got, tc.want)
		}
	}
	for _, tc := range []struct{ in, want string }{
		{"0", "0"}, {"0.00", "0.00"}, {"1.5", "-1.5"}, {"-1.5", "1.5"},
	} {
		if got := dec(tc.in).Neg(); got.String() != tc.want {
			t.Errorf("Neg(%s) = %s, want %s", tc.in, got, tc.want)
		}
	}
	var zero runtime.Decimal
	if zero.Neg().String() != "0" || zero.Add(dec("1.5")).String() != "1.5" || zero.Sign() != 0 || zero.Cmp(dec("0.00")) != 0 {
		t.Errorf("the zero Decimal is not 0 in arithmetic: %s, %s", zero.Neg(), zero.Add(dec("1.5")))
	}
	for _, tc := range []struct {
		a, b string
		want int
	}{
		{"9.5", "9.50", 0}, {"10", "9", 1}, {"-10", "-9", -1}, {"-0.001", "0", -1}, {"0.00", "0", 0},
		{"12345678901234567890.1234567891", "12345678901234567890.123456789", 1},
	} {
		if got := dec(tc.a).Cmp(dec(tc.b)); got != tc.want {
			t.Errorf("Cmp(%s, %s) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
	}
}

func TestDecimalRound(t *testing.T) {
	// Each input rounded to 0 places in the order of modes.
	for _, tc := range []struct {
		in   string
		want [7]string
	}{
		{"2.5", [7]string{"2", "3", "2", "2", "3", "2", "3"}},
		{"3.5", [7]string{"4", "4", "3", "3", "4", "3", "4"}},
		{"-2.5", [7]string{"-2", "-3", "-2", "-2", "-3", "-3", "-2"}},
		{"2.51", [7]string{"3", "3", "3", "2", "3", "2", "3"}},
		{"-2.49", [7]string{"-2", "-2", "-2", "-2", "-3", "-3", "-2"}},
		{"-0.4", [7]string{"0", "0", "0", "0", "-1", "-1", "0"}},
		{"7", [7]string{"7", "7", "7", "7", "7", "7", "7"}},
	} {
		for i, m := range modes {
			got, err := dec(tc.in).Round(0, m)
			if err != nil || got.String() != tc.want[i] {
				t.Errorf("Round(%s, 0, %v) = %s, %v; want %s", tc.in, m, got, err, tc.want[i])
			}
		}
	}
	for _, tc := range []struct {
		in     string
		places int
		mode   runtime.RoundingMode
		want   string
	}{
		{"0.125", 2, runtime.RoundHalfEven, "0.12"},
		{"0.135", 2, runtime.RoundHalfEven, "0.14"},
		{"0.125", 2, runtime.RoundHalfUp, "0.13"},
		{"0.3", 2, runtime.RoundHalfEven, "0.30"}, // padded to the places asked for
		{"1250", -2, runtime.RoundHalfUp, "1300"},
		{"1250", -2, runtime.RoundHalfEven, "1200"},
		{"-1250", -3, runtime.RoundFloor, "-2000"},
		{"0.0049", 2, runtime.RoundHalfUp, "0.00"},
		{"-0.0049", 2, runtime.RoundHalfUp, "0.00"}, // no negative zero
		{"-0.0049", 2, runtime.RoundFloor, "-0.01"},
		{"99.995", 2, runtime.RoundHalfUp, "100.00"},
	} {
		got, err := dec(tc.in).Round(tc.places, tc.mode)
		if err != nil || got.String() != tc.want {
			t.Errorf("Round(%s, %d, %v) = %s, %v; want %s", tc.in, tc.places, tc.mode, got, err, tc.want)
		}
	}
	for _, tc := range []struct {
		a, b   string
		places int
		mode   runtime.RoundingMode
		want   string
	}{
		{"1", "3", 4, runtime.RoundHalfEven, "0.3333"},
		{"2", "3", 4, runtime.RoundHalfEven, "0.6667"},
		{"2", "3", 4, runtime.RoundDown, "0.6666"},
		{"-2", "3", 4, runtime.RoundFloor, "-0.6667"},
		{"-2", "-3", 2, runtime.RoundCeiling, "0.67"},
		{"10", "4", 0, runtime.RoundHalfEven, "2"},
		{"10", "4", 0, runtime.RoundHalfUp, "3"},
		{"1", "0.001", 0, runtime.RoundDown, "1000"},
		{"12345678901234.56", "0.01", 2, runtime.RoundDown, "1234567890123456.00"},
		{"100", "7", -1, runtime.RoundHalfUp, "10"},
	} {
		got, err := dec(tc.a).Quo(dec(tc.b), tc.places, tc.mode)
		if err != nil || got.String() != tc.want {
			t.Errorf("Quo(%s, %s, %d, %v) = %s, %v; want %s", tc.a, tc.b, tc.places, tc.mode, got, err, tc.want)
		}
	}
}

// TestDecimalErrors: division by zero, places out of range and an unknown
// mode are errors, and no panic.
func TestDecimalErrors(t *testing.T) {
	if got, err := dec("1").Quo(dec("0.00"), 2, runtime.RoundHalfEven); !errors.Is(err, runtime.ErrDivisionByZero) {
		t.Errorf("1 / 0.00 = %s, %v; want ErrDivisionByZero", got, err)
	}
	var zero runtime.Decimal
	if _, err := dec("1").Quo(zero, 2, runtime.RoundHalfEven); !errors.Is(err, runtime.ErrDivisionByZero) {
		t.Errorf("1 / the zero Decimal: %v; want ErrDivisionByZero", err)
	}
	for _, places := range []int{1001, -1001, 1 << 40} {
		if _, err := dec("1").Round(places, runtime.RoundHalfEven); !errors.Is(err, runtime.ErrDecimalRange) {
			t.Errorf("Round(1, %d): %v; want ErrDecimalRange", places, err)
		}
		if _, err := dec("1").Quo(dec("3"), places, runtime.RoundHalfEven); !errors.Is(err, runtime.ErrDecimalRange) {
			t.Errorf("Quo(1, 3, %d): %v; want ErrDecimalRange", places, err)
		}
	}
	if _, err := dec("1").Round(2, runtime.RoundingMode(99)); !errors.Is(err, runtime.ErrDecimalRange) {
		t.Errorf("Round with mode 99: %v; want ErrDecimalRange", err)
	}
	if got, err := dec("1").Round(1000, runtime.RoundDown); err != nil || got.Scale() != 1000 {
		t.Errorf("Round(1, 1000): scale %d, %v", got.Scale(), err)
	}
}

// randDecimal returns a random decimal text: up to 30 digits before the
// point and 15 after, sometimes zero, sometimes negative.
func randDecimal(r *rand.Rand) string {
	var b strings.Builder
	if r.IntN(2) == 0 {
		b.WriteByte('-')
	}
	digits := func(n int) {
		for range n {
			b.WriteByte(byte('0' + r.IntN(10)))
		}
	}
	if r.IntN(8) == 0 {
		b.WriteByte('0')
	} else {
		digits(1 + r.IntN(30))
	}
	if n := r.IntN(16); n > 0 {
		b.WriteByte('.')
		if r.IntN(4) == 0 {
			b.WriteString(strings.Repeat("0", n)) // a zero fraction
		} else {
			digits(n)
		}
	}
	return b.String()
}

// roundRat rounds v to an integer by mode, written from the definitions of
// the modes with big.Rat, apart from the implementation.
func roundRat(v *big.Rat, mode runtime.RoundingMode) *big.Int {
	floor := new(big.Int).Div(v.Num(), v.Denom()) // Euclidean, Denom > 0: the floor
	frac := new(big.Rat).Sub(v, new(big.Rat).SetInt(floor))
	if frac.Sign() == 0 {
		return floor
	}
	ceil := new(big.Int).Add(floor, big.NewInt(1))
	toZero, awayZero := floor, ceil
	if v.Sign() < 0 {
		toZero, awayZero = ceil, floor
	}
	half := frac.Cmp(big.NewRat(1, 2))
	switch mode {
	case runtime.RoundFloor:
		return floor
	case runtime.RoundCeiling:
		return ceil
	case runtime.RoundDown:
		return toZero
	case runtime.RoundUp:
		return awayZero
	}
	switch {
	case half < 0:
		return floor
	case half > 0:
		return ceil
	case mode == runtime.RoundHalfUp:
		return awayZero
	case mode == runtime.RoundHalfDown:
		return toZero
	case floor.Bit(0) == 0:
		return floor
	}
	return ceil
}

// checkRounded checks got against the exact value v rounded to places by
// mode, and its scale.
func checkRounded(t *testing.T, what string, got runtime.Decimal, v *big.Rat, places int, mode runtime.RoundingMode) {
	t.Helper()
	scale := new(big.Rat).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(abs(places))), nil))
	x := new(big.Rat).Set(v)
	if places >= 0 {
		x.Mul(x, scale)
	} else {
		x.Quo(x, scale)
	}
	want := new(big.Rat).SetInt(roundRat(x, mode))
	if places >= 0 {
		want.Quo(want, scale)
	} else {
		want.Mul(want, scale)
	}
	if got.Rat().Cmp(want) != 0 {
		t.Fatalf("%s = %s, want %s", what, got, want.FloatString(max(places, 0)))
	}
	if got.Scale() != max(places, 0) {
		t.Fatalf("%s = %s: scale %d, want %d", what, got, got.Scale(), max(places, 0))
	}
	if again, err := runtime.ParseDecimal(got.String()); err != nil || again != got {
		t.Fatalf("%s = %q: not canonical (%q, %v)", what, got, again, err)
	}
}

func abs(n int) int { return max(n, -n) }

// TestDecimalAgainstRat: on random operands, every operation gives
// big.Rat's exact result, with the scale it documents, in canonical form.
func TestDecimalAgainstRat(t *testing.T) {
	n := 20000
	if testing.Short() {
		n = 2000
	}
	r := rand.New(rand.NewPCG(1, 2))
	for range n {
		as, bs := randDecimal(r), randDecimal(r)
		a, b := dec(as), dec(bs)
		ra, rb := a.Rat(), b.Rat()
		check := func(op string, got runtime.Decimal, want *big.Rat, scale int) {
			t.Helper()
			if got.Rat().Cmp(want) != 0 || got.Scale() != scale {
				t.Fatalf("%s %s %s = %s, want %s with scale %d", as, op, bs, got, want.FloatString(scale), scale)
			}
			if again, err := runtime.ParseDecimal(got.String()); err != nil || again != got {
				t.Fatalf("%s %s %s = %q: not canonical (%q, %v)", as, op, bs, got, again, err)
			}
		}
		check("+", a.Add(b), new(big.Rat).Add(ra, rb), max(a.Scale(), b.Scale()))
		check("-", a.Sub(b), new(big.Rat).Sub(ra, rb), max(a.Scale(), b.Scale()))
		check("×", a.Mul(b), new(big.Rat).Mul(ra, rb), a.Scale()+b.Scale())
		check("neg", a.Neg(), new(big.Rat).Neg(ra), a.Scale())
		if got, want := a.Cmp(b), ra.Cmp(rb); got != want {
			t.Fatalf("Cmp(%s, %s) = %d, want %d", as, bs, got, want)
		}
		if got, want := a.Sign(), ra.Sign(); got != want {
			t.Fatalf("Sign(%s) = %d, want %d", as, got, want)
		}
		mode := modes[r.IntN(len(modes))]
		places := r.IntN(24) - 4
		got, err := a.Round(places, mode)
		if err != nil {
			t.Fatalf("Round(%s, %d, %v): %v", as, places, mode, err)
		}
		checkRounded(t, "Round("+as+")", got, ra, places, mode)
		if rb.Sign() == 0 {
			continue
		}
		got, err = a.Quo(b, places, mode)
		if err != nil {
			t.Fatalf("Quo(%s, %s, %d, %v): %v", as, bs, places, mode, err)
		}
		checkRounded(t, "Quo("+as+", "+bs+")", got, new(big.Rat).Quo(ra, rb), places, mode)
	}
}

// TestDecimalImmutable: arithmetic leaves its operands alone.
func TestDecimalImmutable(t *testing.T) {
	a, b := dec("-12.50"), dec("0.25")
	a.Add(b)
	a.Sub(b)
	a.Mul(b)
	a.Neg()
	a.Round(1, runtime.RoundUp)
	a.Quo(b, 3, runtime.RoundFloor)
	if a.String() != "-12.50" || b.String() != "0.25" {
		t.Errorf("operands changed: %s, %s", a, b)
	}
}

// FuzzDecimalArithmetic checks every operation on any two decimals
// against big.Rat, as TestDecimalAgainstRat does on random ones.
func FuzzDecimalArithmetic(f *testing.F) {
	f.Add("0.1", "0.2", 2, uint8(0))
	f.Add("-2.5", "3", 0, uint8(1))
	f.Add("12345678901234.56", "-0.01", -3, uint8(6))
	f.Fuzz(func(t *testing.T, as, bs string, places int, m uint8) {
		a, errA := runtime.ParseDecimal(as)
		b, errB := runtime.ParseDecimal(bs)
		if errA != nil || errB != nil || len(as)+len(bs) > 200 {
			return
		}
		places %= 30
		mode := runtime.RoundingMode(m % 8) // 7 is no mode
		ra, rb := a.Rat(), b.Rat()
		if got := a.Add(b); got.Rat().Cmp(new(big.Rat).Add(ra, rb)) != 0 || got.Scale() != max(a.Scale(), b.Scale()) {
			t.Fatalf("%s + %s = %s", a, b, got)
		}
		if got := a.Sub(b); got.Rat().Cmp(new(big.Rat).Sub(ra, rb)) != 0 || got.Scale() != max(a.Scale(), b.Scale()) {
			t.Fatalf("%s - %s = %s", a, b, got)
		}
		if got := a.Mul(b); got.Rat().Cmp(new(big.Rat).Mul(ra, rb)) != 0 || got.Scale() != a.Scale()+b.Scale() {
			t.Fatalf("%s × %s = %s", a, b, got)
		}
		if got, want := a.Cmp(b), ra.Cmp(rb); got != want {
			t.Fatalf("Cmp(%s, %s) = %d, want %d", a, b, got, want)
		}
		got, err := a.Round(places, mode)
		if int(mode) >= len(modes) {
			if !errors.Is(err, runtime.ErrDecimalRange) {
				t.Fatalf("Round with %v: %v; want ErrDecimalRange", mode, err)
			}
			return
		}
		if err != nil {
			t.Fatalf("Round(%s, %d, %v): %v", a, places, mode, err)
		}
		checkRounded(t, "Round("+as+")", got, ra, places, mode)
		got, err = a.Quo(b, places, mode)
		if rb.Sign() == 0 {
			if !errors.Is(err, runtime.ErrDivisionByZero) {
				t.Fatalf("%s / %s: %v; want ErrDivisionByZero", a, b, err)
			}
			return
		}
		if err != nil {
			t.Fatalf("Quo(%s, %s, %d, %v): %v", a, b, places, mode, err)
		}
		checkRounded(t, "Quo("+as+", "+bs+")", got, new(big.Rat).Quo(ra, rb), places, mode)
	})
}
