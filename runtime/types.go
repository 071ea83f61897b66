package runtime

import (
	"crypto/rand"
	"database/sql/driver"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"strconv"
	"strings"
	"time"
)

// Go types for the schema types that have no exact standard-library
// counterpart. Each scans from what the three drivers return and binds as
// text every database accepts.

// Date is a calendar date with no time of day and no time zone.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// DateOf returns the date of t in t's location.
func DateOf(t time.Time) Date { y, m, d := t.Date(); return Date{y, m, d} }

// ParseDate parses "2006-01-02".
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, fmt.Errorf("ormc: invalid date %q", s)
	}
	return DateOf(t), nil
}

// valid reports whether d is a calendar date every database stores: a
// real day of a year from 1 to 9999.
func (d Date) valid() bool {
	if d.Year < 1 || d.Year > 9999 || d.Month < time.January || d.Month > time.December || d.Day < 1 {
		return false
	}
	return d.Day <= time.Date(d.Year, d.Month+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// String returns the date as "2006-01-02".
func (d Date) String() string { return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day) }

// Value implements driver.Valuer.
func (d Date) Value() (driver.Value, error) { return d.String(), nil }

// Scan implements sql.Scanner.
func (d *Date) Scan(src any) error {
	switch v := src.(type) {
	case time.Time:
		*d = DateOf(v)
		return nil
	case string:
		return d.parse(v)
	case []byte:
		return d.parse(string(v))
	}
	return fmt.Errorf("ormc: cannot scan %T into Date", src)
}

func (d *Date) parse(s string) error {
	if len(s) > 10 {
		s = s[:10] // a DATETIME-shaped value: keep the date
	}
	v, err := ParseDate(s)
	*d = v
	return err
}

// TimeOfDay is a time of day with microsecond precision and no time zone.
type TimeOfDay struct {
	Hour, Minute, Second int
	Microsecond          int
}

// ParseTimeOfDay parses "15:04:05" with optional fractional seconds.
func ParseTimeOfDay(s string) (TimeOfDay, error) {
	t, err := time.Parse("15:04:05.999999999", s)
	if err != nil {
		return TimeOfDay{}, fmt.Errorf("ormc: invalid time of day %q", s)
	}
	return TimeOfDay{t.Hour(), t.Minute(), t.Second(), t.Nanosecond() / 1000}, nil
}

// valid reports whether t is a time of day: 00:00:00 to 23:59:59.999999.
func (t TimeOfDay) valid() bool {
	return 0 <= t.Hour && t.Hour < 24 && 0 <= t.Minute && t.Minute < 60 &&
		0 <= t.Second && t.Second < 60 && 0 <= t.Microsecond && t.Microsecond < 1000000
}

// String returns "15:04:05" or "15:04:05.000001".
func (t TimeOfDay) String() string {
	s := fmt.Sprintf("%02d:%02d:%02d", t.Hour, t.Minute, t.Second)
	if t.Microsecond != 0 {
		s += fmt.Sprintf(".%06d", t.Microsecond)
	}
	return s
}

// Value implements driver.Valuer.
func (t TimeOfDay) Value() (driver.Value, error) { return t.String(), nil }

// Scan implements sql.Scanner.
func (t *TimeOfDay) Scan(src any) error {
	switch v := src.(type) {
	case time.Time:
		*t = TimeOfDay{v.Hour(), v.Minute(), v.Second(), v.Nanosecond() / 1000}
		return nil
	case string:
		return t.parse(v)
	case []byte:
		return t.parse(string(v))
	}
	return fmt.Errorf("ormc: cannot scan %T into TimeOfDay", src)
}

func (t *TimeOfDay) parse(s string) error {
	v, err := ParseTimeOfDay(s)
	*t = v
	return err
}

// Decimal is an exact decimal number, kept as its canonical text so that
// no digit is lost on the way to or from the database. It is a value:
// its methods return new Decimals and never change one. Arithmetic (Add,
// Sub, Mul, Neg, Cmp, Round, Quo) is exact, computed with math/big, never
// through a float; Rat gives the value to math/big for anything else.
//
// Every Decimal is a number: only ParseDecimal, the decoders built on it
// (Scan, UnmarshalJSON, UnmarshalText) and the arithmetic make one, and
// the zero Decimal is 0. Two Decimals of equal value may differ in scale
// (9.5 and 9.50) and so under ==: compare values with Cmp.
type Decimal struct {
	s string // canonical (see parseDecimal); "" for the zero Decimal
}

// ErrInvalidDecimal is matched (errors.Is) by the error of every text that
// is not a decimal number, from ParseDecimal and the decoders of Decimal.
var ErrInvalidDecimal = errors.New("ormc: invalid decimal")

// maxDecimalExponent bounds the exponent of a decimal's text, so that a
// few bytes ("1e999999999") cannot ask for a billion digits.
const maxDecimalExponent = 1000

// ParseDecimal parses a decimal number in plain notation: an optional
// sign, digits with an optional point ("-12.50", ".5", "5."), and an
// optional exponent of at most 1000 either way ("1.5e-3"). Nothing else
// is a decimal: no hexadecimal, binary or octal prefix, no underscore,
// no NaN or infinity, no white space.
func ParseDecimal(s string) (Decimal, error) {
	c, ok := parseDecimal(s)
	if !ok {
		return Decimal{}, fmt.Errorf("%w %q", ErrInvalidDecimal, clip(s, 40))
	}
	return Decimal{c}, nil
}

// MustDecimal is ParseDecimal for constants; it panics on bad input.
func MustDecimal(s string) Decimal {
	d, err := ParseDecimal(s)
	if err != nil {
		panic(err)
	}
	return d
}

// parseDecimal returns s in canonical form: no '+', no exponent (the point
// moved instead, keeping the digits after it that s has), no leading
// zeros but the one before a point, no point without digits after it, and
// no '-' on zero. It reports false when s is not plain decimal notation.
func parseDecimal(s string) (string, bool) {
	i, neg, plus := 0, false, false
	if i < len(s) && (s[i] == '-' || s[i] == '+') {
		neg, plus = s[i] == '-', s[i] == '+'
		i++
	}
	intStart := i
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	whole, frac, point := s[intStart:i], "", false
	if i < len(s) && s[i] == '.' {
		point = true
		i++
		start := i
		for i < len(s) && isDigit(s[i]) {
			i++
		}
		frac = s[start:i]
	}
	if whole == "" && frac == "" {
		return "", false
	}
	exp, hasExp := 0, false
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		hasExp = true
		i++
		expNeg := false
		if i < len(s) && (s[i] == '-' || s[i] == '+') {
			expNeg = s[i] == '-'
			i++
		}
		start := i
		for ; i < len(s) && isDigit(s[i]); i++ {
			if exp = exp*10 + int(s[i]-'0'); exp > maxDecimalExponent {
				return "", false
			}
		}
		if i == start {
			return "", false
		}
		if expNeg {
			exp = -exp
		}
	}
	if i != len(s) {
		return "", false
	}
	zero := strings.Trim(whole, "0") == "" && strings.Trim(frac, "0") == ""
	if !plus && !hasExp && (len(whole) == 1 || whole != "" && whole[0] != '0') &&
		(frac != "" || !point) && !(neg && zero) {
		return s, true // canonical already: no copy
	}
	// The digits, and where the point goes among them.
	digits := whole + frac
	at := len(whole) + exp
	var b []byte
	if neg && !zero {
		b = append(b, '-')
	}
	switch {
	case at <= 0:
		b = append(b, "0."...)
		b = append(b, strings.Repeat("0", -at)...)
		b = append(b, digits...)
	case at >= len(digits):
		b = appendWhole(b, digits+strings.Repeat("0", at-len(digits)))
	default:
		b = appendWhole(b, digits[:at])
		b = append(b, '.')
		b = append(b, digits[at:]...)
	}
	return string(b), true
}

// appendWhole appends the digits before a point without leading zeros.
func appendWhole(b []byte, digits string) []byte {
	if digits = strings.TrimLeft(digits, "0"); digits == "" {
		digits = "0"
	}
	return append(b, digits...)
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// clip returns s, cut to n bytes to show in a message.
func clip(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}

// String returns the number in canonical form ("0" for the zero Decimal).
func (d Decimal) String() string {
	if d.s == "" {
		return "0"
	}
	return d.s
}

// Rat returns the exact value as a big.Rat.
func (d Decimal) Rat() *big.Rat {
	r, ok := new(big.Rat).SetString(d.String())
	if !ok {
		panic("ormc: Decimal " + strconv.Quote(d.s) + " is not canonical") // parseDecimal makes every one
	}
	return r
}

// Value implements driver.Valuer.
func (d Decimal) Value() (driver.Value, error) { return d.String(), nil }

// Scan implements sql.Scanner. It leaves d alone when it fails.
func (d *Decimal) Scan(src any) error {
	var s string
	switch v := src.(type) {
	case string:
		s = v
	case []byte:
		s = string(v)
	case int64:
		s = strconv.FormatInt(v, 10)
	case float64:
		// SQLite's SUM and AVG of a Decimal column's text are floats:
		// DB.Raw writes SUM as an exact sum there (see raw.go).
		return errors.New("ormc: refusing to scan a float into Decimal: precision would be lost (on SQLite, SUM over a Decimal is a float unless run through DB.Raw)")
	default:
		return fmt.Errorf("ormc: cannot scan %T into Decimal", src)
	}
	return d.set(s)
}

func (d *Decimal) set(s string) error {
	v, err := ParseDecimal(s)
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// MarshalJSON writes the number as a JSON string, keeping every digit.
func (d Decimal) MarshalJSON() ([]byte, error) { return json.Marshal(d.String()) }

// UnmarshalJSON reads a JSON string holding a decimal, or a JSON number.
// null leaves d alone, as encoding/json does for other types.
func (d *Decimal) UnmarshalJSON(b []byte) error {
	s := string(b)
	switch {
	case s == "null":
		return nil
	case strings.HasPrefix(s, `"`):
		if err := json.Unmarshal(b, &s); err != nil {
			return fmt.Errorf("%w: %v", ErrInvalidDecimal, err)
		}
	}
	return d.set(s)
}

// MarshalText implements encoding.TextMarshaler.
func (d Decimal) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler, as ParseDecimal.
func (d *Decimal) UnmarshalText(b []byte) error { return d.set(string(b)) }

// JSON is a JSON document, kept as its encoded bytes.
type JSON []byte

// MarshalJSONValue encodes v as a JSON document.
func MarshalJSONValue(v any) (JSON, error) {
	b, err := json.Marshal(v)
	return JSON(b), err
}

// Decode decodes the document into v.
func (j JSON) Decode(v any) error { return json.Unmarshal(j, v) }

// MarshalJSON returns the document itself ("null" when empty).
func (j JSON) MarshalJSON() ([]byte, error) {
	if len(j) == 0 {
		return []byte("null"), nil
	}
	return j, nil
}

// UnmarshalJSON stores a copy of the document.
func (j *JSON) UnmarshalJSON(b []byte) error {
	*j = append((*j)[:0], b...)
	return nil
}

// Value implements driver.Valuer; the empty JSON binds as JSON null.
func (j JSON) Value() (driver.Value, error) {
	if len(j) == 0 {
		return "null", nil
	}
	if !json.Valid(j) {
		return nil, errors.New("ormc: invalid JSON document")
	}
	return string(j), nil
}

// Scan implements sql.Scanner.
func (j *JSON) Scan(src any) error {
	switch v := src.(type) {
	case string:
		*j = JSON(v)
	case []byte:
		*j = append(JSON(nil), v...)
	default:
		b, err := json.Marshal(v)
		if err != nil {
			return fmt.Errorf("ormc: cannot scan %T into JSON", src)
		}
		*j = b
	}
	return nil
}

// UUID is a universally unique identifier.
type UUID [16]byte

// NewUUID returns a random (version 4) UUID.
func NewUUID() UUID {
	var u UUID
	_, _ = rand.Read(u[:])
	u[6] = u[6]&0x0f | 0x40
	u[8] = u[8]&0x3f | 0x80
	return u
}

// ParseUUID parses the canonical 36-character form.
func ParseUUID(s string) (UUID, error) {
	var u UUID
	if len(s) != 36 || s[8] != '-' || s[13] != '-' || s[18] != '-' || s[23] != '-' {
		return u, fmt.Errorf("ormc: invalid UUID %q", s)
	}
	h := s[:8] + s[9:13] + s[14:18] + s[19:23] + s[24:]
	if _, err := hex.Decode(u[:], []byte(h)); err != nil {
		return UUID{}, fmt.Errorf("ormc: invalid UUID %q", s)
	}
	return u, nil
}

// String returns the canonical lowercase form.
func (u UUID) String() string {
	var b [36]byte
	hex.Encode(b[:8], u[:4])
	b[8] = '-'
	hex.Encode(b[9:13], u[4:6])
	b[13] = '-'
	hex.Encode(b[14:18], u[6:8])
	b[18] = '-'
	hex.Encode(b[19:23], u[8:10])
	b[23] = '-'
	hex.Encode(b[24:], u[10:])
	return string(b[:])
}

// Value implements driver.Valuer.
func (u UUID) Value() (driver.Value, error) { return u.String(), nil }

// Scan implements sql.Scanner.
func (u *UUID) Scan(src any) error {
	switch v := src.(type) {
	case string:
		p, err := ParseUUID(v)
		*u = p
		return err
	case []byte:
		if len(v) == 16 {
			copy(u[:], v)
			return nil
		}
		p, err := ParseUUID(string(v))
		*u = p
		return err
	case [16]byte:
		*u = v
		return nil
	}
	return fmt.Errorf("ormc: cannot scan %T into UUID", src)
}

// MarshalText implements encoding.TextMarshaler.
func (u UUID) MarshalText() ([]byte, error) { return []byte(u.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (u *UUID) UnmarshalText(b []byte) error {
	p, err := ParseUUID(string(b))
	*u = p
	return err
}
