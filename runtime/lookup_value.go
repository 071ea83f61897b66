package runtime

import (
	"errors"
	"fmt"
	"math"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// Lookup values. A seed-style lookup's value is converted to the Go type
// the typed API uses for its field, by one function for every kind of
// column, before any SQL is built; a typed predicate's value is checked by
// the same rules (checkValue). A value that fits neither is a *LookupError
// wrapping ErrLookupValue. No database is left to coerce a value itself:
// each coerces differently ("2abc" is 2 to MariaDB, 0 to SQLite's
// comparison, an error to PostgreSQL), and a DeleteAll would then remove
// other rows on each. The table of conversions is in lang/spec.md.

// ErrLookupValue is wrapped by the *LookupError of a lookup value that the
// field cannot hold: of another type, a string that is not a literal of
// the field's type, out of the field's range, NaN, or a nil pointer.
var ErrLookupValue = errors.New("ormc: lookup value does not fit its field")

// keyValuer is a *Ref, which gives the key it refers to as bound.
type keyValuer interface{ KeyValue() any }

var keyValuerType = reflect.TypeFor[keyValuer]()

// keyColumn returns the column whose values c holds: c itself, or for a
// relation the key of the table it refers to, followed to its end.
func keyColumn(c *Column) *Column {
	for i := 0; c.Ref != nil && i < 32; i++ {
		c = c.Ref.PKColumn()
	}
	return c
}

// Strict literals: no spaces, no hexadecimal, no trailing text.
var (
	floatLiteral = regexp.MustCompile(`^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$`)
	timeLiteral  = regexp.MustCompile(`^[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,6})?$`)
)

// maxExactFloat is the largest integer below which every integer is a
// float64: integers beyond it are converted to a float only when exact.
const maxExactFloat = 1 << 53

// convertValue converts v, a seed-style lookup value for column c of
// table t, to the Go type the typed API uses for c. ok is false when v
// does not convert; checkValue then decides whether the value fits.
func convertValue(t *Table, c *Column, v any) (out any, ok bool) {
	if v == nil {
		return nil, true
	}
	rv := reflect.ValueOf(v)
	if rv.Kind() == reflect.Pointer && rv.IsNil() {
		return nil, false // a typed nil: NULL or a mistake? refuse
	}
	switch x := v.(type) {
	case PKValuer:
		if !isRowOf(x, t, c) {
			return nil, false
		}
		return convertValue(t, c, x.PKValue())
	case nullable:
		if x.IsNull() {
			return nil, true
		}
		return convertValue(t, c, x.any())
	case keyValuer: // a *Ref: its key
		return convertValue(t, c, x.KeyValue())
	}
	if rv.Kind() == reflect.Struct && reflect.PointerTo(rv.Type()).Implements(keyValuerType) {
		// A Ref by value (track.Album), whose methods have pointer
		// receivers: its key, through a copy.
		p := reflect.New(rv.Type())
		p.Elem().Set(rv)
		return convertValue(t, c, p.Interface().(keyValuer).KeyValue())
	}
	k := keyColumn(c)
	if len(k.Values) > 0 {
		s, ok := stringOf(v, rv)
		return s, ok && slices.Contains(k.Values, s)
	}
	if convert := ruleOf(k.Kind).convert; convert != nil {
		return convert(v, rv)
	}
	return nil, false
}

// isRowOf reports whether row, a model row used as a lookup value, is a row
// of the table c refers to, or of t when c is t's primary key. A table
// without New (hand-written metadata) takes any row.
func isRowOf(row PKValuer, t *Table, c *Column) bool {
	target := c.Ref
	if target == nil {
		if c != t.PKColumn() {
			return false
		}
		target = t
	}
	return target.New == nil || reflect.TypeOf(row) == reflect.TypeOf(target.New())
}

// stringOf returns v as a string when its kind is string: a string, a
// generated enum type, json.Number.
func stringOf(v any, rv reflect.Value) (string, bool) {
	if e, ok := v.(Enum); ok {
		return e.EnumValue(), true
	}
	if rv.Kind() == reflect.String {
		return rv.String(), true
	}
	return "", false
}

// intOf converts any Go integer, an integral float that is exact, or a
// decimal string such as "-42" to an int64.
func intOf(_ any, rv reflect.Value) (any, bool) {
	switch {
	case rv.CanInt():
		return rv.Int(), true
	case rv.CanUint():
		u := rv.Uint()
		return int64(u), u <= math.MaxInt64
	case rv.CanFloat():
		f := rv.Float()
		return int64(f), f == math.Trunc(f) && math.Abs(f) <= maxExactFloat
	case rv.Kind() == reflect.String:
		n, err := strconv.ParseInt(rv.String(), 10, 64)
		return n, err == nil
	}
	return nil, false
}

// floatOf converts any Go float, an integer a float64 holds exactly, or a
// decimal string such as "1.5e3" to a float64.
func floatOf(_ any, rv reflect.Value) (any, bool) {
	switch {
	case rv.CanFloat():
		return rv.Float(), true
	case rv.CanInt():
		n := rv.Int()
		return float64(n), n >= -maxExactFloat && n <= maxExactFloat
	case rv.CanUint():
		u := rv.Uint()
		return float64(u), u <= maxExactFloat
	case rv.Kind() == reflect.String && floatLiteral.MatchString(rv.String()):
		f, err := strconv.ParseFloat(rv.String(), 64)
		return f, err == nil
	}
	return nil, false
}

// checkValue reports whether v, of the Go type the typed API uses for
// column c, is a value c can hold and so compare with the same answer on
// every database: finite, in range, a real date.
func checkValue(c *Column, v any) bool {
	k := keyColumn(c)
	fits := ruleOf(k.Kind).fits
	return fits == nil || fits(k, v)
}

// decimalFits reports whether d has no more digits before and after the
// point than c's precision and scale allow (as validation requires of
// writes).
func decimalFits(c *Column, d Decimal) bool {
	intPart, frac, _ := strings.Cut(strings.TrimPrefix(d.String(), "-"), ".")
	frac = strings.TrimRight(frac, "0")
	intPart = strings.TrimLeft(intPart, "0")
	return len(frac) <= c.DecimalPlaces && len(intPart) <= c.MaxDigits-c.DecimalPlaces
}

// lookupValue converts and checks one value of lookup for column c of
// table t, or returns the *LookupError that refuses it.
func lookupValue(t *Table, c *Column, lookup string, op Op, v any) (any, error) {
	out, ok := convertValue(t, c, v)
	if ok && (out == nil || checkValue(c, out)) {
		return out, nil
	}
	return nil, valueError(t, c, lookup, op, v)
}

// valueError is the *LookupError of a value v that column c of table t
// cannot hold, naming the model, the field, what it takes and v.
func valueError(t *Table, c *Column, lookup string, op Op, v any) *LookupError {
	return &LookupError{Model: t.Model, Lookup: lookup, Segment: op.String(), err: ErrLookupValue,
		msg: fmt.Sprintf("%s.%s takes %s, found %s", t.Model, c.Field, expected(c), describeValue(v))}
}

// expected says which values column c takes, for an error message.
func expected(c *Column) string {
	k := keyColumn(c)
	var s string
	switch {
	case len(k.Values) > 0:
		q := make([]string, len(k.Values))
		for i, v := range k.Values {
			q[i] = strconv.Quote(v)
		}
		s = "one of " + strings.Join(q, ", ") + " (Enum)"
	case ruleOf(k.Kind).takes != nil:
		s = ruleOf(k.Kind).takes(k)
	default:
		s = "a value of kind " + k.Kind.String()
	}
	if c.Ref != nil {
		s = "a row or key of " + c.Ref.Model + ", " + s
	}
	return s
}

// describeValue names a lookup value and its type for an error message.
func describeValue(v any) string {
	if v == nil {
		return "nil"
	}
	if rv := reflect.ValueOf(v); rv.Kind() == reflect.Pointer && rv.IsNil() {
		return fmt.Sprintf("a nil %T", v)
	}
	s := fmt.Sprintf("%v", v)
	if _, isString := v.(string); isString {
		s = strconv.Quote(s)
	}
	if len(s) > 64 {
		s = s[:61] + "..."
	}
	return fmt.Sprintf("%T %s", v, s)
}
