package ir

import (
	"fmt"
	"math/big"
	"strconv"
	"strings"
	"time"
)

// Literal defaults in the one form both generators print, so that the Go
// client's constructor and the DDL's DEFAULT clause store the same value,
// byte for byte where a database keeps text (SQLite). The checker has
// already validated every literal against its type.

// Literal is a default literal parsed for its field's column type.
type Literal struct {
	Kind Kind
	// Text is the canonical text: for Integer and BigInteger the whole
	// number; for Float the shortest form that reads back as the same
	// float64; for Decimal plain digits with exactly DecimalPlaces
	// digits after the point; for Time "15:04:05" with ".000001" only when
	// there are microseconds; for DateTime the instant in UTC as
	// "2006-01-02 15:04:05.999999" (no zone); for UUID the lowercase
	// canonical form; otherwise the literal itself.
	Text string
	// Time holds Date (at midnight UTC), Time (on 0000-01-01 UTC) and
	// DateTime (in UTC, truncated to the microsecond) values.
	Time time.Time
	// UUID holds a UUID's 16 bytes.
	UUID [16]byte
}

// LiteralDefault returns the literal default of f, a field whose column
// type is t, or false when f has no literal default.
func LiteralDefault(f *Field, t Type) (Literal, bool) {
	if f.Default == nil || f.Default.Kind != DefaultLiteral {
		return Literal{}, false
	}
	return ParseLiteral(t, f.Default.Value)
}

// ParseLiteral parses a checked literal v of column type t. It reports
// false for a literal the checker would not have accepted.
func ParseLiteral(t Type, v string) (Literal, bool) {
	l := Literal{Kind: t.Kind, Text: v}
	switch t.Kind {
	case Integer, BigInteger:
		r, ok := new(big.Rat).SetString(v)
		if !ok || !r.IsInt() {
			return l, false
		}
		l.Text = r.Num().String()
	case Float:
		f, err := strconv.ParseFloat(v, 64)
		if err != nil {
			return l, false
		}
		l.Text = strconv.FormatFloat(f, 'g', -1, 64)
	case Decimal:
		r, ok := new(big.Rat).SetString(v)
		if !ok {
			return l, false
		}
		l.Text = r.FloatString(t.DecimalPlaces)
	case Boolean:
		if v != "true" && v != "false" {
			return l, false
		}
	case Date:
		d, err := time.Parse(time.DateOnly, v)
		if err != nil {
			return l, false
		}
		l.Time, l.Text = d, d.Format(time.DateOnly)
	case Time:
		d, err := time.Parse("15:04:05.999999999", v)
		if err != nil {
			return l, false
		}
		l.Time = d.Truncate(time.Microsecond)
		l.Text = l.Time.Format(time.TimeOnly)
		if us := l.Time.Nanosecond() / 1000; us != 0 {
			l.Text += fmt.Sprintf(".%06d", us)
		}
	case DateTime:
		d, err := time.Parse(time.RFC3339Nano, v)
		if err != nil {
			return l, false
		}
		l.Time = d.UTC().Truncate(time.Microsecond)
		l.Text = l.Time.Format("2006-01-02 15:04:05.999999")
	case UUID:
		h := strings.ReplaceAll(v, "-", "")
		if len(h) != 32 || len(v) != 36 {
			return l, false
		}
		for i := range l.UUID {
			b, err := strconv.ParseUint(h[2*i:2*i+2], 16, 8)
			if err != nil {
				return l, false
			}
			l.UUID[i] = byte(b)
		}
		l.Text = strings.ToLower(v)
	}
	return l, true
}

// IsZero reports whether the literal is the zero value of the Go type
// that holds it (false, 0, ""), which a constructor need not set on a
// field that is not nullable. Decimal, Date, Time, DateTime, JSON and
// UUID literals are never zero: the constructor always spells them out.
func (l Literal) IsZero() bool {
	switch l.Kind {
	case Boolean:
		return l.Text == "false"
	case Integer, BigInteger:
		return l.Text == "0"
	case Float:
		f, _ := strconv.ParseFloat(l.Text, 64)
		return f == 0
	case String, Text, Email, URL, Enum:
		return l.Text == ""
	}
	return false
}
