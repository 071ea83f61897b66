package runtime

import (
	"crypto/rand"
	"database/sql/driver"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
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
// no digit is lost on the way to or from the database. Arithmetic is left
// to the caller through Rat (math/big): ormc only has to carry the value
// exactly, which needs no decimal library in every user's build.
type Decimal struct{ s string }

// ParseDecimal parses a decimal number such as "-12.50".
func ParseDecimal(s string) (Decimal, error) {
	r, ok := new(big.Rat).SetString(s)
	if !ok || strings.ContainsAny(s, "/eE") {
		return Decimal{}, fmt.Errorf("ormc: invalid decimal %q", s)
	}
	_ = r
	return Decimal{canonicalDecimal(s)}, nil
}

// MustDecimal is ParseDecimal for constants; it panics on bad input.
func MustDecimal(s string) Decimal {
	d, err := ParseDecimal(s)
	if err != nil {
		panic(err)
	}
	return d
}

// canonicalDecimal strips a leading + and leading zeros of the integer part.
func canonicalDecimal(s string) string {
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimLeft(s, "+-")
	intPart, frac, hasFrac := strings.Cut(s, ".")
	intPart = strings.TrimLeft(intPart, "0")
	if intPart == "" {
		intPart = "0"
	}
	out := intPart
	if hasFrac {
		out += "." + frac
	}
	if neg && strings.Trim(out, "0.") != "" {
		out = "-" + out
	}
	return out
}

// String returns the number as written, canonicalised ("0" for the zero Decimal).
func (d Decimal) String() string {
	if d.s == "" {
		return "0"
	}
	return d.s
}

// Rat returns the exact value as a big.Rat.
func (d Decimal) Rat() *big.Rat {
	r, _ := new(big.Rat).SetString(d.String())
	return r
}

// Value implements driver.Valuer.
func (d Decimal) Value() (driver.Value, error) { return d.String(), nil }

// Scan implements sql.Scanner.
func (d *Decimal) Scan(src any) error {
	var s string
	switch v := src.(type) {
	case string:
		s = v
	case []byte:
		s = string(v)
	case int64:
		s = fmt.Sprint(v)
	case float64:
		return errors.New("ormc: refusing to scan a float into Decimal: precision would be lost")
	default:
		return fmt.Errorf("ormc: cannot scan %T into Decimal", src)
	}
	v, err := ParseDecimal(s)
	*d = v
	return err
}

// MarshalJSON writes the number as a JSON string, keeping every digit.
func (d Decimal) MarshalJSON() ([]byte, error) { return json.Marshal(d.String()) }

// UnmarshalJSON reads a JSON string or number.
func (d *Decimal) UnmarshalJSON(b []byte) error {
	s := strings.Trim(string(b), `"`)
	v, err := ParseDecimal(s)
	*d = v
	return err
}

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
