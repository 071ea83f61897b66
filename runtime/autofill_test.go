package runtime

import (
	"errors"
	"net/netip"
	"reflect"
	"testing"
	"time"

	"github.com/ormc/ormc/runtime/dialect"
)

// zeroCase is one kind's field, not nullable, as generated code declares
// it: the decision whether its Go zero value says "left unset", a default
// and another value of its Go type, and fresh fields of it.
type zeroCase struct {
	unset        bool // the Go zero value says the field was left unset
	def, other   any  // values of the field's Go type
	want, wantOf any  // def and other as Table.Value gives them
	zeroValue    any  // the zero value as Table.Value gives it
	// fresh returns a new field holding v, or its zero value when v is
	// nil: its scan destination (Table.Ptr) and a function giving its
	// value as Table.Value does.
	fresh func(v any) (ptr any, value func() any)
}

// caseOf makes the zeroCase of a field of Go type T, scanned through
// ptr(&field) and bound as value(field).
func caseOf[T any](unset bool, def, other T, ptr func(*T) any, value func(T) any) zeroCase {
	var zero T
	return zeroCase{
		unset: unset, def: def, other: other,
		want: value(def), wantOf: value(other), zeroValue: value(zero),
		fresh: func(v any) (any, func() any) {
			x := new(T)
			if v != nil {
				*x = v.(T)
			}
			return ptr(x), func() any { return value(*x) }
		},
	}
}

func addr[T any](p *T) any { return p }
func same[T any](x T) any  { return x }

// zeroCases holds every kind's case. The decisions are written here
// rather than read from dialect.Kinds, so that TestUnsetByKind fails for
// a kind added without one, and for a descriptor that changes its own.
var zeroCases = map[Kind]zeroCase{
	KindString:     caseOf(false, "abc", "x", addr[string], same[string]),
	KindText:       caseOf(false, "long", "x", addr[string], same[string]),
	KindBoolean:    caseOf(false, true, true, addr[bool], same[bool]),
	KindInteger:    caseOf(false, int64(-7), int64(1), addr[int64], same[int64]),
	KindBigInteger: caseOf(false, int64(1<<40), int64(1), addr[int64], same[int64]),
	KindFloat:      caseOf(false, 1.5, -0.5, addr[float64], same[float64]),
	KindDecimal:    caseOf(false, MustDecimal("9.90"), MustDecimal("0.01"), addr[Decimal], same[Decimal]),
	KindDate: caseOf(true, Date{Year: 1969, Month: time.July, Day: 20}, Date{Year: 2000, Month: time.February, Day: 29},
		addr[Date], same[Date]),
	KindTime: caseOf(false, TimeOfDay{Hour: 13, Minute: 45}, TimeOfDay{Second: 1},
		addr[TimeOfDay], same[TimeOfDay]),
	// As generated code has it: scanned as a UTCTime, bound in UTC.
	KindDateTime: caseOf(true, time.Date(2024, time.January, 31, 11, 45, 0, 250000000, time.UTC),
		time.Date(1970, time.January, 1, 0, 0, 0, 0, time.UTC),
		func(p *time.Time) any { return (*UTCTime)(p) }, func(x time.Time) any { return BindUTC(x) }),
	KindJSON: caseOf(true, JSON(`{"a": [1, 2]}`), JSON(`null`), addr[JSON], same[JSON]),
	KindUUID: caseOf(true, UUID{0x12, 0x3e, 0x45, 0x67}, UUID{15: 1}, addr[UUID], same[UUID]),
	// Scanned as a HostAddr, bound as text (the zero Addr as itself).
	KindIPAddress: caseOf(true, netip.MustParseAddr("10.0.0.1"), netip.MustParseAddr("2001:db8::1"),
		func(p *netip.Addr) any { return (*HostAddr)(p) }, func(x netip.Addr) any { return BindAddr(x) }),
}

// oneColumn returns a table of column c alone, whose one row is the field
// behind ptr and value.
func oneColumn(c *Column, ptr any, value func() any) *Table {
	c.Field, c.Name, c.Index = "f", "f", 0
	return &Table{Model: "Row", Name: "rows", Columns: []*Column{c},
		Ptr:   func(any, int) any { return ptr },
		Value: func(any, int) any { return value() },
	}
}

// TestUnsetByKind checks, for every kind, the one rule of what create
// does with a field's default: applied where the field, not nullable,
// holds its Go zero value and that value says unset (the kind's
// descriptor), never in place of another value, a nullable field's, or
// on update.
func TestUnsetByKind(t *testing.T) {
	now := time.Date(2026, time.March, 1, 12, 0, 0, 123456789, time.UTC)
	for _, k := range dialect.ColumnKinds() {
		tc, ok := zeroCases[k]
		if !ok {
			t.Errorf("%s: no case; decide whether its Go zero value is a value (dialect.KindInfo.Zero) and add one", k)
			continue
		}
		if got := k.Info().Zero == dialect.ZeroIsUnset; got != tc.unset {
			t.Errorf("%s: descriptor says the zero value is unset: %v, the case %v", k, got, tc.unset)
		}
		for _, w := range []struct {
			name         string
			v            any // the field's value; nil for the zero value
			null, create bool
			hasDef       bool
			want         any // the field's value after, as Table.Value gives it
		}{
			{"zero", nil, false, true, true, pick(tc.unset, tc.want, tc.zeroValue)},
			{"zero on update", nil, false, false, true, tc.zeroValue},
			{"zero in a nullable column", nil, true, true, true, tc.zeroValue},
			{"zero without a default", nil, false, true, false, tc.zeroValue},
			{"another value", tc.other, false, true, true, tc.wantOf},
		} {
			ptr, value := tc.fresh(w.v)
			c := &Column{Kind: k, Null: w.null}
			if w.hasDef {
				c.Default = tc.def
			}
			fillAuto(oneColumn(c, ptr, value), nil, w.create, now)
			if got := value(); !reflect.DeepEqual(got, w.want) {
				t.Errorf("%s, %s: %#v after fillAuto, want %#v", k, w.name, got, w.want)
			}
		}
		c := &Column{Kind: k}
		if got := c.unset(tc.zeroValue); got != tc.unset {
			t.Errorf("%s: unset(zero) = %v", k, got)
		}
		if c.unset(tc.wantOf) || c.unset(tc.want) {
			t.Errorf("%s: a value that is not the zero one is unset", k)
		}
	}
}

func pick(cond bool, a, b any) any {
	if cond {
		return a
	}
	return b
}

// testEnum stands for the string type generated for an Enum field.
type testEnum string

func (e testEnum) EnumValue() string { return string(e) }

// TestUnsetEnum: an Enum's "" is none of its values, so create gives a
// field left at it the default; a value, NULL and "" in an Enum that
// somehow holds it stay. Generated code scans an Enum as a string and
// binds string(field).
func TestUnsetEnum(t *testing.T) {
	now := time.Now()
	values := []string{"admin", "customer"}
	for _, tc := range []struct {
		name   string
		v      string
		col    Column
		create bool
		want   string
	}{
		{"empty", "", Column{Values: values, Default: testEnum("customer")}, true, "customer"},
		{"empty, a string default", "", Column{Values: values, Default: "customer"}, true, "customer"},
		{"a value", "admin", Column{Values: values, Default: testEnum("customer")}, true, "admin"},
		{"empty on update", "", Column{Values: values, Default: testEnum("customer")}, false, ""},
		{"empty without a default", "", Column{Values: values}, true, ""},
		{"empty in a nullable column", "", Column{Values: values, Null: true, Default: testEnum("customer")}, true, ""},
		{"empty among the values", "", Column{Values: []string{"", "x"}, Default: testEnum("x")}, true, ""},
		{"empty in a String", "", Column{Default: "x"}, true, ""},
	} {
		s := tc.v
		c := tc.col
		c.Kind = KindString
		fillAuto(oneColumn(&c, &s, func() any { return s }), nil, tc.create, now)
		if s != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, s, tc.want)
		}
	}
}

// shopper stands for a generated row type, whose constructor is
// NewShopper.
type shopper struct{}

// TestUnsetHint: a value refused because it says unset tells how to set
// it, and the error is the same *ValidationError, with the same codes.
func TestUnsetHint(t *testing.T) {
	tbl := &Table{Model: "Shopper", Name: "shoppers", New: func() any { return new(shopper) }}
	values := []string{"admin", "customer"}
	for _, tc := range []struct {
		name       string
		col        Column
		v          any
		code, want string // "" for no error
	}{
		{"enum without a default", Column{Field: "role", Kind: KindString, Values: values}, "",
			"enum", `"" is not one of ["admin" "customer"] (set it: the schema gives role no default)`},
		{"enum with a default", Column{Field: "role", Kind: KindString, Values: values, Default: testEnum("customer")}, "",
			"enum", `"" is not one of ["admin" "customer"] (set it, or create rows with Newshopper() to get the schema's defaults)`},
		{"enum, another value", Column{Field: "role", Kind: KindString, Values: values}, "root",
			"enum", `"root" is not one of ["admin" "customer"]`},
		{"date", Column{Field: "day", Kind: KindDate, DefaultNow: true}, Date{},
			"required", `is required (set it, or create rows with Newshopper() to get the schema's defaults)`},
		{"address", Column{Field: "host", Kind: KindIPAddress}, netip.Addr{},
			"required", `is required (set it: the schema gives host no default)`},
		{"blank string", Column{Field: "name", Kind: KindString, Default: "x"}, "", "blank", "may not be blank"},
		{"zero instant", Column{Field: "at", Kind: KindDateTime}, time.Time{}, "", ""},
		{"empty JSON", Column{Field: "doc", Kind: KindJSON}, JSON(nil), "", ""},
	} {
		c := tc.col
		err := validateArgs(tbl, []*Column{&c}, []any{tc.v})
		var ve *ValidationError
		switch {
		case tc.want == "":
			if err != nil {
				t.Errorf("%s: %v", tc.name, err)
			}
		case !errors.As(err, &ve) || len(ve.Fields) != 1:
			t.Errorf("%s: %v, want one *ValidationError", tc.name, err)
		case ve.Fields[0].Code != tc.code || ve.Fields[0].Msg != tc.want:
			t.Errorf("%s: %s %q, want %s %q", tc.name, ve.Fields[0].Code, ve.Fields[0].Msg, tc.code, tc.want)
		}
	}
}
