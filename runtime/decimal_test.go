package runtime_test

import (
	"encoding/json"
	"errors"
	"math/big"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/ormc/ormc/runtime"
)

// Decimal text: only plain decimal notation is a Decimal, and every
// Decimal that exists is one (see ParseDecimal).

// decimalCases are texts and the canonical Decimal each is, or "" when it
// is no Decimal. Go's own parsers (big.Rat, strconv) accept many of the
// refused ones: prefixes, underscores, binary exponents, NaN, Inf.
var decimalCases = []struct{ in, want string }{
	{"0", "0"},
	{"-0", "0"},
	{"+0", "0"},
	{"-0.00", "0.00"},
	{"12.50", "12.50"},
	{"-12.50", "-12.50"},
	{"+7", "7"},
	{"007", "7"},
	{"017", "17"}, // not octal
	{"08", "8"},
	{"00.100", "0.100"},
	{".5", "0.5"},
	{"-.5", "-0.5"},
	{"5.", "5"},
	{"-5.", "-5"},
	{"1e3", "1000"},
	{"1E3", "1000"},
	{"1e+3", "1000"},
	{"1.5e-3", "0.0015"},
	{"15e-1", "1.5"},
	{"1.50e1", "15.0"},
	{"0e5", "0"},
	{"0e-5", "0.00000"},
	{"-0e-2", "0.00"},
	{".5e1", "5"},
	{"1e0000000000000000003", "1000"},
	{"1e1000", "1" + strings.Repeat("0", 1000)},
	{"1e-1000", "0." + strings.Repeat("0", 999) + "1"},
	{"12345678901234567890.0123456789", "12345678901234567890.0123456789"},

	// Not decimal notation.
	{"", ""},
	{"+", ""},
	{"-", ""},
	{".", ""},
	{"-.", ""},
	{"e5", ""},
	{".e5", ""},
	{"1e", ""},
	{"1e+", ""},
	{"1e-", ""},
	{"1e1.5", ""},
	{"1.2.3", ""},
	{"--1", ""},
	{"+-1", ""},
	{"0x10", ""},
	{"0X10", ""},
	{"0b101", ""},
	{"0o17", ""},
	{"0x1p4", ""},
	{"0x1.8p1", ""},
	{"1_000", ""},
	{"1,000", ""},
	{"1/2", ""},
	{"NaN", ""},
	{"nan", ""},
	{"Inf", ""},
	{"-Infinity", ""},
	{"infinity", ""},
	{" 1", ""},
	{"1 ", ""},
	{"1\n", ""},
	{"1\x00", ""},
	{"١", ""},      // Arabic-Indic digit one
	{"１", ""},      // fullwidth digit one
	{"1e1001", ""}, // exponents are bounded: no text asks for a billion digits
	{"1e-1001", ""},
	{"1e999999999", ""},
	{"0e999999999", ""},
	{"1e-9223372036854775808", ""},
	{"1e99999999999999999999999", ""},
	{"x10", ""},
	{`"1"`, ""},
}

func TestParseDecimal(t *testing.T) {
	for _, tc := range decimalCases {
		d, err := runtime.ParseDecimal(tc.in)
		if tc.want == "" {
			if err == nil || !errors.Is(err, runtime.ErrInvalidDecimal) {
				t.Errorf("ParseDecimal(%q) = %q, %v; want ErrInvalidDecimal", tc.in, d, err)
			}
			continue
		}
		if err != nil || d.String() != tc.want {
			t.Errorf("ParseDecimal(%q) = %q, %v; want %q", tc.in, d, err, tc.want)
		}
	}
}

// TestDecimalDecoders: UnmarshalJSON, UnmarshalText and Scan accept what
// ParseDecimal does and nothing else, and leave the Decimal alone when
// they fail.
func TestDecimalDecoders(t *testing.T) {
	keep := runtime.MustDecimal("42")
	for _, tc := range decimalCases {
		check := func(how string, d runtime.Decimal, err error) {
			t.Helper()
			switch {
			case tc.want == "" && (err == nil || d != keep):
				t.Errorf("%s(%q) = %q, %v; want an error and 42 kept", how, tc.in, d, err)
			case tc.want != "" && (err != nil || d.String() != tc.want):
				t.Errorf("%s(%q) = %q, %v; want %q", how, tc.in, d, err, tc.want)
			}
		}
		d := keep
		err := d.UnmarshalText([]byte(tc.in))
		check("UnmarshalText", d, err)
		d = keep
		err = d.Scan(tc.in)
		check("Scan(string)", d, err)
		d = keep
		err = d.Scan([]byte(tc.in))
		check("Scan([]byte)", d, err)
		quoted, _ := json.Marshal(tc.in)
		d = keep
		err = json.Unmarshal(quoted, &d)
		check("json.Unmarshal(string)", d, err)
	}
	for _, tc := range []struct{ in, want string }{
		{`12.50`, "12.50"},
		{`-1e-7`, "-0.0000001"}, // as JavaScript writes small numbers
		{`1e21`, "1" + strings.Repeat("0", 21)},
		{`"\u0031\u002e5"`, "1.5"},
		{`null`, "42"}, // as encoding/json leaves other types alone
		{`"0x10"`, ""},
		{`"1`, ""},
		{`1"`, ""},
		{`""1""`, ""},
		{`""`, ""},
		{`true`, ""},
		{`[1]`, ""},
		{`{}`, ""},
		{`1e1001`, ""},
	} {
		d := keep
		err := d.UnmarshalJSON([]byte(tc.in))
		switch {
		case tc.want == "" && (err == nil || d != keep):
			t.Errorf("UnmarshalJSON(%s) = %q, %v; want an error and 42 kept", tc.in, d, err)
		case tc.want != "" && (err != nil || d.String() != tc.want):
			t.Errorf("UnmarshalJSON(%s) = %q, %v; want %q", tc.in, d, err, tc.want)
		}
	}
	for _, tc := range []struct {
		src  any
		want string
	}{
		{int64(-12), "-12"},
		{1.5, ""}, // a float has lost digits already
		{nil, ""},
		{true, ""},
	} {
		d := keep
		err := d.Scan(tc.src)
		switch {
		case tc.want == "" && (err == nil || d != keep):
			t.Errorf("Scan(%#v) = %q, %v; want an error and 42 kept", tc.src, d, err)
		case tc.want != "" && (err != nil || d.String() != tc.want):
			t.Errorf("Scan(%#v) = %q, %v; want %q", tc.src, d, err, tc.want)
		}
	}
	var zero runtime.Decimal
	if zero.String() != "0" || zero.Rat().Sign() != 0 {
		t.Errorf("zero Decimal: %q, %v", zero, zero.Rat())
	}
	if v, err := zero.Value(); v != "0" || err != nil {
		t.Errorf("zero Decimal binds %#v, %v", v, err)
	}
}

// The reference grammar and form of FuzzParseDecimal, written apart from
// the parser.
var (
	plainDecimal     = regexp.MustCompile(`^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE]([+-]?[0-9]+))?$`)
	canonicalDecimal = regexp.MustCompile(`^-?(0|[1-9][0-9]*)(\.[0-9]+)?$`)
)

// FuzzParseDecimal checks ParseDecimal against math/big: it accepts
// exactly plain decimal notation whose exponent is at most 1000 either
// way, gives big.Rat's value for it, keeps the digits after the point
// the text has (moved by the exponent), and writes a canonical form
// that parses to itself; the JSON and text encodings round-trip.
func FuzzParseDecimal(f *testing.F) {
	for _, tc := range decimalCases {
		f.Add(tc.in)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := runtime.ParseDecimal(s)
		m := plainDecimal.FindStringSubmatch(s)
		expOK := true
		exp := int64(0)
		if m != nil && m[3] != "" {
			digits := strings.TrimLeft(strings.TrimLeft(m[3], "+-"), "0")
			if len(digits) > 6 {
				expOK = false
			} else if digits != "" {
				exp, _ = strconv.ParseInt(digits, 10, 64)
				if strings.HasPrefix(m[3], "-") {
					exp = -exp
				}
				expOK = -1000 <= exp && exp <= 1000
			}
		}
		if m == nil || !expOK {
			if err == nil {
				t.Fatalf("ParseDecimal(%q) = %q; want an error", s, d)
			}
			if !errors.Is(err, runtime.ErrInvalidDecimal) {
				t.Fatalf("ParseDecimal(%q): %v does not match ErrInvalidDecimal", s, err)
			}
			return
		}
		if err != nil {
			t.Fatalf("ParseDecimal(%q): %v", s, err)
		}
		want, ok := new(big.Rat).SetString(s)
		if !ok {
			t.Fatalf("big.Rat refuses %q", s)
		}
		c := d.String()
		if !canonicalDecimal.MatchString(c) || c == "-0" || strings.HasPrefix(c, "-0.") && strings.Trim(c, "-0.") == "" {
			t.Fatalf("ParseDecimal(%q) = %q: not canonical", s, c)
		}
		if d.Rat().Cmp(want) != 0 {
			t.Fatalf("ParseDecimal(%q) = %q, want the value %s", s, c, want.RatString())
		}
		mant := strings.TrimLeft(s, "+-")
		if i := strings.IndexAny(mant, "eE"); i >= 0 {
			mant = mant[:i]
		}
		_, frac, _ := strings.Cut(mant, ".")
		_, gotFrac, _ := strings.Cut(c, ".")
		if scale := max(int64(len(frac))-exp, 0); int64(len(gotFrac)) != scale {
			t.Fatalf("ParseDecimal(%q) = %q: %d digits after the point, want %d", s, c, len(gotFrac), scale)
		}
		again, err := runtime.ParseDecimal(c)
		if err != nil || again != d {
			t.Fatalf("ParseDecimal(%q) = %q, %v; want itself", c, again, err)
		}
		b, err := json.Marshal(d)
		var fromJSON runtime.Decimal
		if err != nil || json.Unmarshal(b, &fromJSON) != nil || fromJSON != d {
			t.Fatalf("JSON of %q: %s, %v, read back %q", c, b, err, fromJSON)
		}
		text, err := d.MarshalText()
		var fromText runtime.Decimal
		if err != nil || fromText.UnmarshalText(text) != nil || fromText != d {
			t.Fatalf("text of %q: %s, %v, read back %q", c, text, err, fromText)
		}
	})
}
