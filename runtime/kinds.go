package runtime

import (
	"fmt"
	"math"
	"math/big"
	"net/netip"
	"reflect"
	"slices"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/ormc/ormc/runtime/dialect"
)

// Kind is a column's logical type; dialect.Kinds describes each.
type Kind = dialect.Kind

// The column kinds, re-exported so that generated code imports runtime only.
const (
	KindString     = dialect.String
	KindText       = dialect.Text
	KindBoolean    = dialect.Boolean
	KindInteger    = dialect.Integer
	KindBigInteger = dialect.BigInteger
	KindFloat      = dialect.Float
	KindDecimal    = dialect.Decimal
	KindDate       = dialect.Date
	KindTime       = dialect.Time
	KindDateTime   = dialect.DateTime
	KindJSON       = dialect.JSON
	KindUUID       = dialect.UUID
	KindIPAddress  = dialect.IPAddress
)

// kindRule is what the runtime alone knows about a kind: how values of its
// Go type are checked, and how a seed-style lookup value converts to it.
// Every kind of dialect.Kinds has one (TestKindRules).
type kindRule struct {
	// convert converts a seed-style lookup value (rv its reflect.Value),
	// neither nil nor a row, key or Null, to the kind's Go type; false
	// when it does not convert. nil for a kind without lookups.
	convert func(v any, rv reflect.Value) (any, bool)
	// fits reports whether v, a lookup value of the kind's Go type, is a
	// value column c can hold, and so compare with the same answer on
	// every database: finite, in range, a real date.
	fits func(c *Column, v any) bool
	// validate checks v, a non-NULL value written to column c, adding
	// its failures to k. The checker goes by value: a pointer passed
	// through a func value would escape, and cost every write an
	// allocation.
	validate func(k checker, c *Column, v any) checker
	// takes says which values column c takes, for a *LookupError.
	takes func(c *Column) string
	// unset reports whether v, the value of a column of the kind that is
	// not nullable as Table.Value gives it, is the Go zero value that
	// says the field was left unset; nil exactly for the kinds whose
	// descriptor says the zero value is a value (dialect.ZeroIsValue),
	// which TestKindRules checks.
	unset func(v any) bool
}

// kindRules holds the rule of every kind, indexed by Kind.
var kindRules = [...]kindRule{
	KindString:  {convert: convertText, fits: fitsAs(fitText), validate: validateAs(validateText), takes: takesText},
	KindText:    {convert: convertText, fits: fitsAs(fitText), validate: validateAs(validateText), takes: takesText},
	KindBoolean: {convert: convertBool, fits: fitsAny, validate: validateNothing, takes: says("true or false (Boolean)")},
	KindInteger: {convert: intOf, fits: fitsAs(fitInt32), validate: validateAs(checker.integer),
		takes: says("an integer from -2147483648 to 2147483647 (Integer)")},
	KindBigInteger: {convert: intOf, fits: fitsAny, validate: validateAs(checker.integer),
		takes: says("a 64-bit integer (BigInteger)")},
	KindFloat: {convert: floatOf, fits: fitsAs(fitFloat), validate: validateAs(checker.float),
		takes: says("a finite number (Float)")},
	KindDecimal: {convert: convertDecimal, fits: fitsAs(fitDecimal), validate: validateAs(checker.decimal), takes: takesDecimal},
	KindDate: {convert: convertDate, fits: fitsAs(fitDate), validate: validateAs(checker.date),
		takes: says(`a runtime.Date or "2006-01-02" string from 0001-01-01 to 9999-12-31 (Date)`), unset: isZeroOf[Date]},
	KindTime: {convert: convertTime, fits: fitsAs(fitTimeOfDay), validate: validateAs(checker.timeOfDay),
		takes: says(`a runtime.TimeOfDay or "15:04:05.999999" string (Time)`)},
	KindDateTime: {convert: convertDateTime, fits: fitsAs(fitInstant), validate: validateAs(checker.instant),
		takes: says("a time.Time or RFC 3339 string from year 1 to 9999 (DateTime)"), unset: unsetInstant},
	KindJSON: {fits: fitsAny, validate: validateJSON, takes: says("a UTF-8 string (json)"), unset: unsetJSON},
	KindUUID: {convert: convertUUID, fits: fitsAny, validate: validateNothing,
		takes: says(`a runtime.UUID or "123e4567-e89b-12d3-a456-426614174000" string (UUID)`), unset: isZeroOf[UUID]},
	KindIPAddress: {convert: convertAddr, fits: fitsAs(fitAddr), validate: validateAs(checker.hostAddr),
		takes: says(`a netip.Addr or "192.0.2.1" or "2001:db8::1" string, without a zone (IPAddress)`),
		unset: isZeroOf[netip.Addr]},
}

// ruleOf returns the rule of kind k; an empty one for an unknown kind.
func ruleOf(k Kind) *kindRule {
	if int(k) < len(kindRules) {
		return &kindRules[k]
	}
	return &kindRule{}
}

// ---------------------------------------------------------------------------
// Helpers that make a rule's functions from typed ones

// fitsAs makes a fits function of one taking the kind's Go type T; a value
// of another type fits, as before a typed API existed for it.
func fitsAs[T any](f func(c *Column, x T) bool) func(*Column, any) bool {
	return func(c *Column, v any) bool {
		x, ok := v.(T)
		return !ok || f(c, x)
	}
}

func fitsAny(*Column, any) bool { return true }

// validateAs makes a validate function of one taking the kind's Go type T.
func validateAs[T any](f func(k checker, c *Column, x T) checker) func(checker, *Column, any) checker {
	return func(k checker, c *Column, v any) checker {
		if x, ok := v.(T); ok {
			return f(k, c, x)
		}
		return k
	}
}

func validateNothing(k checker, _ *Column, _ any) checker { return k }

func validateText(k checker, c *Column, s string) checker { k.text(c, s); return k }

func validateJSON(k checker, c *Column, v any) checker { k.checkJSON(c, v); return k }

// says makes a takes function of a fixed description.
func says(s string) func(*Column) string { return func(*Column) string { return s } }

// ---------------------------------------------------------------------------
// Values that say a field was left unset

// unset reports whether v, the value of column c as Table.Value gives it,
// says that the field was left unset, so that create applies c's default
// in its place (fillAuto) and validation, refusing it, says how to set
// it: for a column that is not nullable, the zero value of a kind whose
// zero value is no value anyone means (rule.unset), or "" in an Enum,
// none of whose values it is (the checker refuses an empty one). A
// nullable column's zero value is NULL, which is stored as it is.
func (c *Column) unset(v any) bool {
	switch {
	case c.Null:
		return false
	case len(c.Values) > 0:
		if e, ok := v.(Enum); ok {
			v = e.EnumValue()
		}
		s, ok := v.(string)
		return ok && s == "" && !slices.Contains(c.Values, "")
	}
	if unset := ruleOf(c.Kind).unset; unset != nil {
		return unset(v)
	}
	return false
}

// isZeroOf reports whether v is the zero value of T.
func isZeroOf[T comparable](v any) bool {
	var zero T
	x, ok := v.(T)
	return ok && x == zero
}

// unsetInstant reports whether v is the zero time.Time, as a DateTime
// field gives it (runtime.BindUTC) or a UTCTime.
func unsetInstant(v any) bool {
	switch x := v.(type) {
	case time.Time:
		return x.IsZero()
	case UTCTime:
		return time.Time(x).IsZero()
	}
	return false
}

// unsetJSON reports whether v is the empty JSON, which holds no document.
func unsetJSON(v any) bool {
	x, ok := v.(JSON)
	return ok && len(x) == 0
}

// ---------------------------------------------------------------------------
// Conversions of seed-style lookup values

func convertText(v any, rv reflect.Value) (any, bool) {
	if rv.Kind() == reflect.Slice && rv.Type().Elem().Kind() == reflect.Uint8 {
		return string(rv.Bytes()), true // SQLite never finds a BLOB equal to TEXT
	}
	return stringOf(v, rv)
}

func convertBool(v any, rv reflect.Value) (any, bool) {
	if rv.Kind() == reflect.Bool {
		return rv.Bool(), true
	}
	if s, ok := stringOf(v, rv); ok && (s == "true" || s == "false") {
		return s == "true", true
	}
	return nil, false
}

func convertDecimal(v any, rv reflect.Value) (any, bool) {
	switch {
	case rv.CanInt():
		return Decimal{strconv.FormatInt(rv.Int(), 10)}, true
	case rv.CanUint():
		return Decimal{strconv.FormatUint(rv.Uint(), 10)}, true
	}
	if d, ok := v.(Decimal); ok {
		return d, true
	}
	if s, ok := stringOf(v, rv); ok {
		d, err := ParseDecimal(s)
		return d, err == nil
	}
	return nil, false
}

func convertDate(v any, rv reflect.Value) (any, bool) {
	if d, ok := v.(Date); ok {
		return d, true
	}
	if s, ok := stringOf(v, rv); ok {
		d, err := ParseDate(s)
		return d, err == nil
	}
	return nil, false
}

func convertTime(v any, rv reflect.Value) (any, bool) {
	if d, ok := v.(TimeOfDay); ok {
		return d, true
	}
	if s, ok := stringOf(v, rv); ok && timeLiteral.MatchString(s) {
		d, err := ParseTimeOfDay(s)
		return d, err == nil
	}
	return nil, false
}

func convertDateTime(v any, rv reflect.Value) (any, bool) {
	if d, ok := v.(time.Time); ok {
		return d, true
	}
	if s, ok := stringOf(v, rv); ok {
		d, err := time.Parse(time.RFC3339Nano, s)
		return d, err == nil
	}
	return nil, false
}

func convertUUID(v any, rv reflect.Value) (any, bool) {
	if rv.Kind() == reflect.Array && rv.Len() == 16 && rv.Type().Elem().Kind() == reflect.Uint8 {
		var u UUID
		reflect.Copy(reflect.ValueOf(u[:]), rv)
		return u, true
	}
	if s, ok := stringOf(v, rv); ok {
		u, err := ParseUUID(s)
		return u, err == nil
	}
	return nil, false
}

// ---------------------------------------------------------------------------
// What lookup values fit

func fitText(_ *Column, s string) bool { return utf8.ValidString(s) }

func fitInt32(_ *Column, x int64) bool { return math.MinInt32 <= x && x <= math.MaxInt32 }

func fitFloat(_ *Column, x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

func fitDecimal(c *Column, d Decimal) bool { return c.MaxDigits == 0 || decimalFits(c, d) }

func fitDate(_ *Column, d Date) bool { return d.valid() }

func fitTimeOfDay(_ *Column, t TimeOfDay) bool { return t.valid() }

func fitInstant(_ *Column, t time.Time) bool {
	y := BindUTC(t).Year()
	return 1 <= y && y <= 9999
}

// ---------------------------------------------------------------------------
// What a column takes, for errors

func takesText(c *Column) string { return "a UTF-8 string (" + c.Kind.String() + ")" }

func takesDecimal(c *Column) string {
	if c.MaxDigits == 0 {
		return "a runtime.Decimal or decimal string (Decimal)"
	}
	return fmt.Sprintf("a runtime.Decimal or decimal string with at most %d digits before the point and %d after (Decimal(%d, %d))",
		c.MaxDigits-c.DecimalPlaces, c.DecimalPlaces, c.MaxDigits, c.DecimalPlaces)
}

// ---------------------------------------------------------------------------
// Validation of written values

func (k checker) integer(c *Column, x int64) checker {
	if c.Kind == KindInteger && (x < math.MinInt32 || x > math.MaxInt32) {
		k.add(c, "out_of_range", "%d does not fit a 32-bit Integer", x)
	}
	if c.Min != nil || c.Max != nil {
		k.bounds(c, new(big.Rat).SetInt64(x), strconv.FormatInt(x, 10))
	}
	return k
}

func (k checker) float(c *Column, x float64) checker {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		k.add(c, "not_finite", "must be a finite number")
		return k
	}
	if c.Min != nil || c.Max != nil {
		k.bounds(c, new(big.Rat).SetFloat64(x), strconv.FormatFloat(x, 'g', -1, 64))
	}
	return k
}

func (k checker) decimal(c *Column, x Decimal) checker {
	if c.MaxDigits > 0 {
		k.digits(c, x)
	}
	if c.Min != nil || c.Max != nil {
		k.bounds(c, x.Rat(), x.String())
	}
	return k
}

func (k checker) date(c *Column, x Date) checker {
	switch {
	case x == Date{} && !c.Null:
		// The zero Date is no date: a field left unset.
		k.add(c, "required", "is required")
	case !x.valid():
		k.add(c, "invalid_date", "%s is not a date between 0001-01-01 and 9999-12-31", x)
	}
	return k
}

func (k checker) timeOfDay(c *Column, x TimeOfDay) checker {
	if !x.valid() {
		k.add(c, "invalid_time", "%02d:%02d:%02d.%06d is not a time of day between 00:00:00 and 23:59:59.999999", x.Hour, x.Minute, x.Second, x.Microsecond)
	}
	return k
}

func (k checker) instant(c *Column, x time.Time) checker {
	if y := x.UTC().Year(); y < 1 || y > 9999 {
		k.add(c, "out_of_range", "%s is not between years 1 and 9999", x.UTC().Format(time.RFC3339Nano))
	}
	return k
}
