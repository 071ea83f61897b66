package types

import (
	"context"
	"errors"
	"math"
	"net/netip"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ormc/ormc/examples/types/db"
	"github.com/ormc/ormc/internal/testdb"
	"github.com/ormc/ormc/runtime"
)

// TestLookupValues: a lookup value the field cannot hold (a string that
// is not a literal of its type, a float for an integer, a bool for a
// number, 64 bits for a 32-bit Integer, NaN, a DateTime not in RFC 3339,
// a time.Time for a Date, a typed nil row) is a *runtime.LookupError
// wrapping ErrLookupValue on every database, from All, Count and
// DeleteAll, before any statement is sent; the table is unchanged. Before,
// `Where("pk__lt", "2abc").DeleteAll` emptied the table on SQLite and
// `Where("pk", "2abc")` deleted row 2 on MariaDB. The values the lookup
// converts (lang/spec.md) find the same rows everywhere.
func TestLookupValues(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		ctx := context.Background()
		var sent atomic.Int64
		client := openTypes(t, url, runtime.WithHook(func(context.Context, runtime.QueryEvent) { sent.Add(1) }))
		rows := values()
		for _, v := range rows {
			if err := create(ctx, client, v); err != nil {
				t.Fatal(err)
			}
		}
		one, two := rows[0], rows[1]
		by, err := client.ByIntegers.Create(ctx, &db.ByInteger{ID: 2, Name: "two"})
		if err != nil {
			t.Fatal(err)
		}
		to := &db.ToInteger{ID: 1, To: db.ByIntegerRef(by), Only: db.ByIntegerRef(by)}
		if _, err := client.ToIntegers.Create(ctx, to); err != nil {
			t.Fatal(err)
		}

		refused := []struct {
			name string
			q    func() *runtime.Query[*db.Value]
		}{
			{"pk__lt 2abc", func() *runtime.Query[*db.Value] { return client.Values.Where("pk__lt", "2abc") }},
			{"pk 2abc", func() *runtime.Query[*db.Value] { return client.Values.Where("pk", "2abc") }},
			{"pk ' 2'", func() *runtime.Query[*db.Value] { return client.Values.Where("pk", " 2") }},
			{"pk__in 2abc", func() *runtime.Query[*db.Value] { return client.Values.Where("pk__in", []any{1, "2abc"}) }},
			{"pk nil *Value", func() *runtime.Query[*db.Value] { return client.Values.Where("pk", (*db.Value)(nil)) }},
			{"small 1.9", func() *runtime.Query[*db.Value] { return client.Values.Where("small", 1.9) }},
			{"small true", func() *runtime.Query[*db.Value] { return client.Values.Where("small", true) }},
			{"small__lt 1<<40", func() *runtime.Query[*db.Value] { return client.Values.Where("small__lt", int64(1)<<40) }},
			{"small MaxInt32+1", func() *runtime.Query[*db.Value] { return client.Values.Where("small", int64(math.MaxInt32)+1) }},
			{"big__gt MaxUint64", func() *runtime.Query[*db.Value] { return client.Values.Where("big__gt", uint64(math.MaxUint64)) }},
			{"maybe__in x", func() *runtime.Query[*db.Value] { return client.Values.Where("maybe__in", []string{"0", "x"}) }},
			{"ratio__lt NaN", func() *runtime.Query[*db.Value] { return client.Values.Where("ratio__lt", math.NaN()) }},
			{"ratio__gt -Inf", func() *runtime.Query[*db.Value] { return client.Values.Where("ratio__gt", math.Inf(-1)) }},
			{"ratio 0x1p3", func() *runtime.Query[*db.Value] { return client.Values.Where("ratio", "0x1p3") }},
			{"price__lt 1.5", func() *runtime.Query[*db.Value] { return client.Values.Where("price__lt", 1.5) }},
			{"price__gt 1_000", func() *runtime.Query[*db.Value] { return client.Values.Where("price__gt", "1_000") }},
			{"day time.Time", func() *runtime.Query[*db.Value] {
				return client.Values.Where("day", time.Date(1969, 7, 20, 0, 0, 0, 0, time.UTC))
			}},
			{"day 1969-7-20", func() *runtime.Query[*db.Value] { return client.Values.Where("day__gte", "1969-7-20") }},
			{"at 24:00:00", func() *runtime.Query[*db.Value] { return client.Values.Where("at__lt", "24:00:00") }},
			{"moment SQL text", func() *runtime.Query[*db.Value] {
				return client.Values.Where("moment__lt", "2024-12-31 23:59:59.999999")
			}},
			{"uid braces", func() *runtime.Query[*db.Value] { return client.Values.Where("uid", "{"+one.UID.String()+"}") }},
			{"kind Single", func() *runtime.Query[*db.Value] { return client.Values.Where("kind", "Single") }},
			{"flag 1", func() *runtime.Query[*db.Value] { return client.Values.Where("flag", 1) }},
			{"str 5", func() *runtime.Query[*db.Value] { return client.Values.Where("str", 5) }},
			{"text__contains bad UTF-8", func() *runtime.Query[*db.Value] { return client.Values.Where("text__contains", "\xff") }},
			{"typed ratio Lt NaN", func() *runtime.Query[*db.Value] { return client.Values.Filter(db.ValueRatio.Lt(math.NaN())) }},
			{"typed small Eq 1<<40", func() *runtime.Query[*db.Value] { return client.Values.Filter(db.ValueSmall.Eq(1 << 40)) }},
			{"typed Exclude small Lt 1<<40", func() *runtime.Query[*db.Value] { return client.Values.Exclude(db.ValueSmall.Lt(1 << 40)) }},
			{"typed maybe In 1<<33", func() *runtime.Query[*db.Value] { return client.Values.Filter(db.ValueMaybe.In(0, 1<<33)) }},
			{"typed day Eq zero", func() *runtime.Query[*db.Value] { return client.Values.Filter(db.ValueDay.Eq(runtime.Date{})) }},
			{"addr zone", func() *runtime.Query[*db.Value] { return client.Values.Where("addr", "fe80::1%eth0") }},
			{"addr netmask", func() *runtime.Query[*db.Value] { return client.Values.Where("addr", "192.0.2.1/32") }},
			{"host__in leading zero", func() *runtime.Query[*db.Value] { return client.Values.Where("host__in", []string{"192.0.2.010"}) }},
			{"typed addr Eq zero", func() *runtime.Query[*db.Value] { return client.Values.Filter(db.ValueAddr.Eq(netip.Addr{})) }},
		}
		for _, tc := range refused {
			sent.Store(0)
			_, errAll := tc.q().All(ctx)
			_, errCount := tc.q().Count(ctx)
			_, errDelete := tc.q().DeleteAll(ctx)
			for _, err := range []error{errAll, errCount, errDelete} {
				var le *runtime.LookupError
				if !errors.As(err, &le) || !errors.Is(err, runtime.ErrLookupValue) || le.Model != "Value" {
					t.Errorf("%s: want a *LookupError on Value wrapping ErrLookupValue, got %v", tc.name, err)
				}
			}
			if n := sent.Load(); n != 0 {
				t.Errorf("%s: %d statements sent", tc.name, n)
			}
		}
		for _, tc := range []struct {
			name  string
			value any
		}{{"nil *ByInteger", (*db.ByInteger)(nil)}, {"a ByString row", &db.ByString{ID: "2"}}, {"2abc", "2abc"}} {
			sent.Store(0)
			_, err := client.ToIntegers.Where("to", tc.value).DeleteAll(ctx)
			var le *runtime.LookupError
			if !errors.As(err, &le) || !errors.Is(err, runtime.ErrLookupValue) || !strings.Contains(err.Error(), "ToInteger.to takes a row or key of ByInteger") {
				t.Errorf("ToInteger to %s: want a *LookupError naming ToInteger.to, got %v", tc.name, err)
			}
			if n := sent.Load(); n != 0 {
				t.Errorf("ToInteger to %s: %d statements sent", tc.name, n)
			}
		}
		if n, err := client.Values.Count(ctx); err != nil || n != 2 {
			t.Fatalf("after the refused DeleteAlls: %d rows, %v; want 2", n, err)
		}
		if n, err := client.ToIntegers.Count(ctx); err != nil || n != 1 {
			t.Fatalf("after the refused DeleteAlls: %d ToIntegers, %v; want 1", n, err)
		}

		// Converted values find the rows the typed API finds.
		pad := time.FixedZone("", 2*3600)
		for _, tc := range []struct {
			lookup string
			value  any
			want   []*db.Value
		}{
			{"pk", "2", []*db.Value{two}},
			{"pk__in", []any{"1", 2.0, int8(9)}, []*db.Value{one, two}},
			{"pk", two, []*db.Value{two}},
			{"small__lt", "0", []*db.Value{two}},
			{"small", int64(math.MaxInt32), []*db.Value{one}},
			{"big__gte", uint64(math.MaxInt64), []*db.Value{one}},
			{"ratio__lt", 0, []*db.Value{two}},
			{"ratio__gt", "3.14", []*db.Value{one}},
			{"price__gt", "0", []*db.Value{one}},
			{"price", "12345678901234567890.0123456789", []*db.Value{one}},
			{"price__lt", -0, []*db.Value{two}},
			{"day", "1969-07-20", []*db.Value{one}},
			{"day__lt", runtime.Date{Year: 1, Month: 1, Day: 2}, []*db.Value{two}},
			{"at", "23:59:58.999999", []*db.Value{one}},
			{"moment", two.Moment.In(pad).Format(time.RFC3339Nano), []*db.Value{two}},
			{"moment__lt", "2000-01-01T00:00:00Z", []*db.Value{one}},
			{"uid", strings.ToUpper(one.UID.String()), []*db.Value{one}},
			{"uid__in", []string{strings.ToUpper(two.UID.String())}, []*db.Value{two}},
			{"kind", "gift card", []*db.Value{one}},
			{"kind__in", []db.ValueKindEnum{db.ValueKindSingle}, []*db.Value{two}},
			{"flag", "true", []*db.Value{one}},
			{"maybe", runtime.Some[int64](0), []*db.Value{one}},
			{"maybe", runtime.Null[int64]{}, []*db.Value{two}},
			{"mood", "sad", []*db.Value{one}},
			{"addr", "2001:DB8:85A3::8A2E:370:7334", []*db.Value{one}},
			{"addr__in", []string{"0.0.0.0", "::1"}, []*db.Value{two}},
			{"addr__ne", netip.IPv4Unspecified(), []*db.Value{one}},
			{"host", "::ffff:192.0.2.255", []*db.Value{one}},
			{"host", netip.MustParseAddr("192.0.2.255"), []*db.Value{one}},
			{"host", runtime.Null[netip.Addr]{}, []*db.Value{two}},
		} {
			sent.Store(0)
			got, err := client.Values.Where(tc.lookup, tc.value).OrderBy(db.ValueID.Asc()).All(ctx)
			if err != nil {
				t.Errorf("%s %#v: %v", tc.lookup, tc.value, err)
				continue
			}
			if !slices.EqualFunc(got, tc.want, func(a, b *db.Value) bool { return a.ID == b.ID }) {
				t.Errorf("%s %#v: got %d rows %v, want %v", tc.lookup, tc.value, len(got), ids(got), ids(tc.want))
			}
		}
		got, err := client.ToIntegers.Where("to", by).All(ctx)
		if err != nil || len(got) != 1 {
			t.Errorf("ToInteger to a ByInteger row: %d rows, %v", len(got), err)
		}
	})
}

func ids(vs []*db.Value) []int64 {
	out := make([]int64, len(vs))
	for i, v := range vs {
		out[i] = v.ID
	}
	return out
}
