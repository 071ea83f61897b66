package runtime

import (
	"encoding/json"
	"errors"
	"math"
	"strings"
	"testing"
	"time"
)

// lvKey and lvRow are a table with a column of every kind, and one that
// refers to it, as ormc generates them.
type lvKeyRow struct{ id UUID }

func (r *lvKeyRow) PKValue() any { return r.id }

type lvOther struct{}

// lvRow is lvTable's model, for the typed predicates; the tests here only
// check values, so it needs no fields.
type lvRow struct{}

func (*lvOther) PKValue() any { return NewUUID() }

var (
	lvKey = &Table{Model: "Key", Name: "key", Columns: []*Column{
		{Field: "id", Name: "id", Kind: KindUUID},
	}, New: func() any { return new(lvKeyRow) }}
	lvTable = &Table{Model: "Row", Name: "row", Columns: []*Column{
		{Field: "id", Name: "id", Kind: KindBigInteger, Index: 0},
		{Field: "str", Name: "str", Kind: KindString, Index: 1, MaxLength: 5},
		{Field: "text", Name: "text", Kind: KindText, Index: 2, Null: true},
		{Field: "flag", Name: "flag", Kind: KindBoolean, Index: 3},
		{Field: "small", Name: "small", Kind: KindInteger, Index: 4},
		{Field: "big", Name: "big", Kind: KindBigInteger, Index: 5},
		{Field: "ratio", Name: "ratio", Kind: KindFloat, Index: 6},
		{Field: "price", Name: "price", Kind: KindDecimal, Index: 7, MaxDigits: 6, DecimalPlaces: 2},
		{Field: "day", Name: "day", Kind: KindDate, Index: 8},
		{Field: "at", Name: "at", Kind: KindTime, Index: 9},
		{Field: "moment", Name: "moment", Kind: KindDateTime, Index: 10},
		{Field: "uid", Name: "uid", Kind: KindUUID, Index: 11},
		{Field: "kind", Name: "kind", Kind: KindString, Index: 12, MaxLength: 9, Values: []string{"single", "gift card"}},
		{Field: "key", Name: "key_id", Kind: KindUUID, Index: 13, Ref: lvKey},
		{Field: "doc", Name: "doc", Kind: KindJSON, Index: 14, Null: true},
	}}
)

type lvEnum string

func (e lvEnum) EnumValue() string { return string(e) }

// TestLookupValueConversion: every kind of field converts the Go types
// and literals lang/spec.md lists to the typed API's type, and refuses
// every other value with a *LookupError wrapping ErrLookupValue that names
// the model, the field, what it takes and the value.
func TestLookupValueConversion(t *testing.T) {
	u := UUID{0x12, 0x3e, 0x45, 0x67, 0xe8, 0x9b, 0x12, 0xd3, 0xa4, 0x56, 0x42, 0x66, 0x14, 0x17, 0x40, 0x00}
	at := time.Date(2024, 1, 31, 11, 45, 0, 250000000, time.UTC)
	type myInt int8
	type myString string
	keyRef := KeyRef[*lvKeyRow](u) // a Ref's methods have pointer receivers
	ok := []struct {
		field string
		in    any
		want  any
	}{
		{"id", 2, int64(2)},
		{"id", "2", int64(2)},
		{"id", "-9223372036854775808", int64(math.MinInt64)},
		{"id", uint64(math.MaxInt64), int64(math.MaxInt64)},
		{"id", 2.0, int64(2)},
		{"id", float32(-3), int64(-3)},
		{"id", myInt(7), int64(7)},
		{"id", json.Number("12"), int64(12)},
		{"id", Some[int64](4), int64(4)},
		{"id", Null[int64]{}, nil},
		{"small", int64(math.MaxInt32), int64(math.MaxInt32)},
		{"small", "-2147483648", int64(math.MinInt32)},
		{"big", uint8(255), int64(255)},
		{"str", "x y", "x y"},
		{"str", myString("ab"), "ab"},
		{"str", []byte("ab"), "ab"},
		{"str", JSON(`"x"`), `"x"`},
		{"text", "2abc", "2abc"},
		{"flag", true, true},
		{"flag", "false", false},
		{"ratio", 1.9, 1.9},
		{"ratio", float32(0.5), 0.5},
		{"ratio", 3, 3.0},
		{"ratio", "1.5e3", 1500.0},
		{"ratio", "-.5", -0.5},
		{"ratio", int64(1 << 53), float64(1 << 53)},
		{"price", "12.50", MustDecimal("12.50")},
		{"price", "-0012.5", MustDecimal("-12.5")},
		{"price", MustDecimal("9999.99"), MustDecimal("9999.99")},
		{"price", 12, MustDecimal("12")},
		{"price", "1e3", MustDecimal("1000")},
		{"price", ".5", MustDecimal("0.5")},
		{"day", "2024-02-29", Date{2024, 2, 29}},
		{"day", Date{1, 1, 1}, Date{1, 1, 1}},
		{"at", "13:45:00", TimeOfDay{13, 45, 0, 0}},
		{"at", "13:45:00.000001", TimeOfDay{13, 45, 0, 1}},
		{"moment", "2024-01-31T13:45:00.25+02:00", at},
		{"moment", at, at},
		{"uid", "123E4567-E89B-12D3-A456-426614174000", u},
		{"uid", "123e4567-e89b-12d3-a456-426614174000", u},
		{"uid", [16]byte(u), u},
		{"kind", "gift card", "gift card"},
		{"kind", lvEnum("single"), "single"},
		{"key", "123e4567-e89b-12d3-a456-426614174000", u},
		{"key", &lvKeyRow{u}, u},
		{"key", KeyRef[*lvKeyRow](u), u},
		{"key", &keyRef, u},
		{"key", Ref[*lvKeyRow, UUID]{}, nil},
		{"id", nil, nil},
	}
	for _, tc := range ok {
		c := lvTable.Column(tc.field)
		got, err := lookupValue(lvTable, c, tc.field, OpExact, tc.in)
		if err != nil {
			t.Errorf("%s = %#v: %v", tc.field, tc.in, err)
			continue
		}
		if tm, isTime := got.(time.Time); isTime {
			if !tm.Equal(tc.want.(time.Time)) {
				t.Errorf("%s = %#v: got %v, want %v", tc.field, tc.in, got, tc.want)
			}
		} else if got != tc.want {
			t.Errorf("%s = %#v: got %#v, want %#v", tc.field, tc.in, got, tc.want)
		}
	}

	bad := []struct {
		field string
		in    any
		says  string // what the message must say the field takes
	}{
		{"id", "2abc", "64-bit integer"},
		{"id", " 2", "64-bit integer"},
		{"id", "2 ", "64-bit integer"},
		{"id", "0x10", "64-bit integer"},
		{"id", "", "64-bit integer"},
		{"id", "9223372036854775808", "64-bit integer"},
		{"id", uint64(math.MaxUint64), "64-bit integer"},
		{"id", 1.9, "64-bit integer"},
		{"id", math.NaN(), "64-bit integer"},
		{"id", 1e300, "64-bit integer"},
		{"id", true, "64-bit integer"},
		{"id", (*int64)(nil), "64-bit integer"},
		{"id", new(int64), "64-bit integer"},
		{"id", &lvKeyRow{}, "64-bit integer"}, // a row of another table
		{"small", int64(math.MaxInt32) + 1, "from -2147483648 to 2147483647"},
		{"small", int64(1) << 40, "from -2147483648 to 2147483647"},
		{"small", "-2147483649", "from -2147483648 to 2147483647"},
		{"small", uint32(math.MaxUint32), "from -2147483648 to 2147483647"},
		{"str", 5, "UTF-8 string"},
		{"str", "\xff", "UTF-8 string"},
		{"str", true, "UTF-8 string"},
		{"text", []rune("x"), "UTF-8 string"},
		{"flag", 1, "true or false"},
		{"flag", "1", "true or false"},
		{"flag", "True", "true or false"},
		{"ratio", math.NaN(), "finite number"},
		{"ratio", math.Inf(-1), "finite number"},
		{"ratio", float32(math.Inf(1)), "finite number"},
		{"ratio", "NaN", "finite number"},
		{"ratio", "Inf", "finite number"},
		{"ratio", "0x1p3", "finite number"},
		{"ratio", "1e400", "finite number"},
		{"ratio", "1,5", "finite number"},
		{"ratio", int64(1<<53) + 1, "finite number"},
		{"ratio", true, "finite number"},
		{"price", 1.5, "Decimal(6, 2)"},
		{"price", "0x10", "Decimal(6, 2)"},
		{"price", "1e-3", "Decimal(6, 2)"},
		{"price", " 1", "Decimal(6, 2)"},
		{"price", "1/2", "Decimal(6, 2)"},
		{"price", "0.001", "Decimal(6, 2)"},
		{"price", "10000", "Decimal(6, 2)"},
		{"price", MustDecimal("123456"), "Decimal(6, 2)"},
		{"day", at, "runtime.Date"},
		{"day", "2024-02-30", "runtime.Date"},
		{"day", "2024-2-29", "runtime.Date"},
		{"day", "2024-02-29T00:00:00Z", "runtime.Date"},
		{"day", Date{}, "runtime.Date"},
		{"day", Date{10000, 1, 1}, "runtime.Date"},
		{"at", "13:45", "runtime.TimeOfDay"},
		{"at", "24:00:00", "runtime.TimeOfDay"},
		{"at", "13:45:00.0000001", "runtime.TimeOfDay"},
		{"at", at, "runtime.TimeOfDay"},
		{"at", TimeOfDay{Hour: 25}, "runtime.TimeOfDay"},
		{"moment", "2024-01-31 13:45:00", "RFC 3339"},
		{"moment", "2024-01-31", "RFC 3339"},
		{"moment", Date{2024, 1, 31}, "RFC 3339"},
		{"moment", time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), "RFC 3339"},
		{"moment", time.Time{}.Add(-time.Hour), "RFC 3339"},
		{"moment", int64(1700000000), "RFC 3339"},
		{"uid", "123e4567e89b12d3a456426614174000", "runtime.UUID"},
		{"uid", "{123e4567-e89b-12d3-a456-426614174000}", "runtime.UUID"},
		{"uid", u[:], "runtime.UUID"},
		{"kind", "Single", `one of "single", "gift card"`},
		{"kind", "album", `one of "single", "gift card"`},
		{"kind", 0, `one of "single", "gift card"`},
		{"key", "x", "a row or key of Key"},
		{"key", (*lvKeyRow)(nil), "a row or key of Key"},
		{"key", &lvOther{}, "a row or key of Key"},
		{"key", 7, "a row or key of Key"},
	}
	for _, tc := range bad {
		c := lvTable.Column(tc.field)
		_, err := lookupValue(lvTable, c, tc.field+"__exact", OpExact, tc.in)
		var le *LookupError
		if !errors.As(err, &le) || !errors.Is(err, ErrLookupValue) {
			t.Errorf("%s = %#v: want a *LookupError wrapping ErrLookupValue, got %v", tc.field, tc.in, err)
			continue
		}
		msg := err.Error()
		for _, want := range []string{"Row." + tc.field + " takes", tc.says, "found "} {
			if !strings.Contains(msg, want) {
				t.Errorf("%s = %#v: %q does not say %q", tc.field, tc.in, msg, want)
			}
		}
		if le.Model != "Row" || le.Lookup != tc.field+"__exact" || le.Segment != "exact" {
			t.Errorf("%s = %#v: model %q, lookup %q, segment %q", tc.field, tc.in, le.Model, le.Lookup, le.Segment)
		}
	}
}

// TestLookupValueThroughLookup: Lookup applies the conversion to single
// values and to each element of an __in list, and refuses a NULL that a
// text or order lookup cannot use.
func TestLookupValueThroughLookup(t *testing.T) {
	p, err := Lookup[*lvRow](lvTable, "small__in", []any{"1", int8(2), nil, Null[int64]{}, 3.0})
	if err != nil {
		t.Fatal(err)
	}
	if in := p.c.(cmpPred).in; len(in) != 3 || in[0] != int64(1) || in[1] != int64(2) || in[2] != int64(3) {
		t.Errorf("small__in: got %#v", in)
	}
	for _, tc := range []struct {
		lookup string
		value  any
	}{
		{"small__in", []any{1, "2abc"}},
		{"small__in", []int64{1, 1 << 40}},
		{"ratio__in", []float64{math.NaN()}},
		{"pk__lt", "2abc"},
		{"pk", "2abc"},
		{"small", 1.9},
		{"small", true},
		{"text__icontains", Null[string]{}},
		{"ratio__lt", Null[float64]{}},
		{"key__lt", Ref[*lvKeyRow, UUID]{}},
		{"text__contains", 5},
	} {
		_, err := Lookup[*lvRow](lvTable, tc.lookup, tc.value)
		var le *LookupError
		if !errors.As(err, &le) || le.Lookup != tc.lookup {
			t.Errorf("%s %#v: want a *LookupError, got %v", tc.lookup, tc.value, err)
		}
	}
}

// TestTypedValueChecked: a typed predicate whose value the column cannot
// hold (NaN, an Integer beyond 32 bits, an invalid date) fails the query
// with the same *LookupError, spelt as its seed-style lookup, before SQL.
func TestTypedValueChecked(t *testing.T) {
	ratio := NewOrderedField[*lvRow, float64](Col(lvTable, 6))
	small := NewOrderedField[*lvRow, int64](Col(lvTable, 4))
	day := NewOrderedField[*lvRow, Date](Col(lvTable, 8))
	str := NewStringField[*lvRow](Col(lvTable, 1))
	for _, tc := range []struct {
		p      Pred[*lvRow]
		lookup string
	}{
		{ratio.Lt(math.NaN()), "ratio__lt"},
		{ratio.Eq(math.Inf(1)), "ratio__exact"},
		{ratio.In(1, math.NaN()), "ratio__in"},
		{Not(ratio.Gte(math.NaN())), "ratio__gte"},
		{Or(small.Eq(1), small.Eq(1<<40)), "small__exact"},
		{small.Lt(math.MinInt32 - 1), "small__lt"},
		{day.Eq(Date{}), "day__exact"},
		{str.Contains("\xff"), "str__contains"},
	} {
		err := tc.p.c.check(lvTable)
		var le *LookupError
		if !errors.As(err, &le) || !errors.Is(err, ErrLookupValue) || le.Lookup != tc.lookup || le.Model != "Row" {
			t.Errorf("%s: want a *LookupError wrapping ErrLookupValue, got %v", tc.lookup, err)
		}
	}
	for _, p := range []Pred[*lvRow]{ratio.Lt(1e300), small.In(math.MaxInt32, math.MinInt32), day.Eq(Date{9999, 12, 31}), str.Eq("x")} {
		if err := p.c.check(lvTable); err != nil {
			t.Errorf("%v: %v", p.c, err)
		}
	}
	// Through a relation, the lookup is spelt with its path.
	keyRef := Col(lvTable, 13)
	path := keyRef.Follow()
	idThrough := NewOrderedField[*lvRow, UUID](ColAt(path, lvKey, 0))
	if err := idThrough.Eq(UUID{}).c.check(lvTable); err != nil {
		t.Errorf("key through path: %v", err)
	}
}
