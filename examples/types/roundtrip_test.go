package types

import (
	"context"
	"math"
	"net/netip"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ormc/ormc/examples/types/db"
	"github.com/ormc/ormc/internal/testdb"
	"github.com/ormc/ormc/runtime"
)

func TestMain(m *testing.M) { testdb.Main(m) }

func values() []*db.Value {
	uid, _ := runtime.ParseUUID("0b9f3c1e-8f6a-4c2d-9e7b-1a2b3c4d5e6f")
	return []*db.Value{
		{
			Str:      strings.Repeat("é", 20), // multi-byte text at max_length
			BlankStr: "",
			Text:     runtime.Some(""), // empty, not NULL
			Flag:     true,
			Small:    math.MaxInt32,
			Big:      math.MaxInt64,
			Ratio:    math.Pi,
			Price:    runtime.MustDecimal("12345678901234567890.0123456789"),
			Day:      runtime.Date{Year: 1969, Month: time.July, Day: 20}, // before 1970
			At:       runtime.TimeOfDay{Hour: 23, Minute: 59, Second: 58, Microsecond: 999999},
			Moment:   time.Date(1960, 2, 29, 12, 34, 56, 123456000, time.FixedZone("X", -(9*3600+30*60))),
			Doc:      runtime.JSON(`{"a": [1, 2.5, "x", null, true]}`),
			UID:      uid,
			Addr:     netip.MustParseAddr("2001:db8:85a3::8a2e:370:7334"),
			Kind:     "gift card",
			Email:    runtime.Some("a@example.com"),
			Site:     runtime.Some("https://example.com/ü"),
			Maybe:    runtime.Some[int64](0), // zero, not NULL
			When:     runtime.Some(time.Date(2038, 1, 19, 3, 14, 8, 1000, time.UTC)),
			Mood:     runtime.Some(db.ValueMoodSad),
			Host:     runtime.Some(netip.MustParseAddr("::ffff:192.0.2.255")), // reads back as 192.0.2.255
		},
		{
			Str:    "plain",
			Small:  math.MinInt32,
			Big:    math.MinInt64,
			Ratio:  -0.0000001,
			Price:  runtime.MustDecimal("-0.0000000001"),
			Day:    runtime.Date{Year: 1, Month: time.January, Day: 1},
			At:     runtime.TimeOfDay{},
			Moment: time.Date(2024, 12, 31, 23, 59, 59, 999999000, time.UTC),
			Doc:    runtime.JSON(`[]`),
			UID:    runtime.NewUUID(),
			Addr:   netip.IPv4Unspecified(),
			Kind:   "single",
			// Text, Email, Site, Maybe, When, Host: NULL
		},
	}
}

// TestRoundTrip writes edge values of every type and reads them back,
// exactly, on every dialect.
func TestRoundTrip(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		ctx := context.Background()
		client, err := db.Open(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		defer client.Close()
		if err := client.CreateTables(ctx); err != nil {
			t.Fatal(err)
		}
		for i, want := range values() {
			if _, err := client.Values.Create(ctx, want); err != nil {
				t.Fatalf("row %d: create: %v", i, err)
			}
			got, err := client.Values.Get(ctx, db.ValueID.Eq(want.ID))
			if err != nil {
				t.Fatalf("row %d: get: %v", i, err)
			}
			compare(t, i, got, want)
			// The same values find the row again.
			n, err := client.Values.Filter(
				db.ValueStr.Eq(want.Str), db.ValueBig.Eq(want.Big), db.ValueDay.Eq(want.Day),
				db.ValueUID.Eq(want.UID), db.ValuePrice.Eq(want.Price), db.ValueMoment.Eq(want.Moment),
				db.ValueKind.Eq(want.Kind), db.ValueKind.In(want.Kind, db.ValueKindAlbum),
				db.ValueAddr.Eq(want.Addr), db.ValueAddr.In(want.Addr, netip.IPv6Unspecified()),
			).Count(ctx)
			if err != nil || n != 1 {
				t.Errorf("row %d: filter by its own values: %d rows, %v", i, n, err)
			}
		}
	})
}

func compare(t *testing.T, i int, got, want *db.Value) {
	t.Helper()
	check := func(field string, ok bool, g, w any) {
		t.Helper()
		if !ok {
			t.Errorf("row %d: %s: got %v, want %v", i, field, g, w)
		}
	}
	check("str", got.Str == want.Str, got.Str, want.Str)
	check("blank_str", got.BlankStr == want.BlankStr, got.BlankStr, want.BlankStr)
	check("text", got.Text == want.Text, got.Text, want.Text)
	check("flag", got.Flag == want.Flag, got.Flag, want.Flag)
	check("small", got.Small == want.Small, got.Small, want.Small)
	check("big", got.Big == want.Big, got.Big, want.Big)
	check("ratio", got.Ratio == want.Ratio, got.Ratio, want.Ratio)
	check("price", got.Price.Rat().Cmp(want.Price.Rat()) == 0, got.Price, want.Price)
	check("day", got.Day == want.Day, got.Day, want.Day)
	check("at", got.At == want.At, got.At, want.At)
	check("moment", got.Moment.Equal(want.Moment) && got.Moment.Location() == time.UTC, got.Moment, want.Moment)
	check("doc", jsonEqual(got.Doc, want.Doc), string(got.Doc), string(want.Doc))
	check("uid", got.UID == want.UID, got.UID, want.UID)
	check("addr", got.Addr == want.Addr.Unmap(), got.Addr, want.Addr)
	check("host", got.Host.Valid == want.Host.Valid && got.Host.V == want.Host.V.Unmap(), got.Host, want.Host)
	check("kind", got.Kind == want.Kind, got.Kind, want.Kind)
	check("email", got.Email == want.Email, got.Email, want.Email)
	check("site", got.Site == want.Site, got.Site, want.Site)
	check("maybe", got.Maybe == want.Maybe, got.Maybe, want.Maybe)
	check("mood", got.Mood == want.Mood, got.Mood, want.Mood)
	check("when", got.When.Valid == want.When.Valid && got.When.V.Equal(want.When.V), got.When, want.When)
}

// TestBulkRoundTrip writes the same edge values with BulkCreate, which
// binds them differently (one array per column on PostgreSQL, a
// multi-row VALUES elsewhere), and reads them back exactly. A batch of
// 600 rows goes through COPY on PostgreSQL, which encodes every value
// anew: the hook must see one COPY there, and the values come back alike.
func TestBulkRoundTrip(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		ctx := context.Background()
		var copies atomic.Int64
		client, err := db.Open(ctx, url, runtime.WithHook(func(_ context.Context, ev runtime.QueryEvent) {
			if strings.HasPrefix(ev.SQL, "COPY ") {
				copies.Add(1)
			}
		}))
		if err != nil {
			t.Fatal(err)
		}
		defer client.Close()
		if err := client.CreateTables(ctx); err != nil {
			t.Fatal(err)
		}
		small := values()
		var large []*db.Value
		for len(large) < 600 {
			large = append(large, values()...)
		}
		for _, want := range [][]*db.Value{small, large} {
			if err := client.Values.BulkCreate(ctx, want); err != nil {
				t.Fatal(err)
			}
			for i, w := range want {
				got, err := client.Values.Get(ctx, db.ValueID.Eq(w.ID))
				if err != nil {
					t.Fatalf("row %d of %d: get: %v", i, len(want), err)
				}
				compare(t, i, got, w)
			}
		}
		want := int64(0)
		if strings.HasPrefix(url, "postgres") {
			want = 1
		}
		if got := copies.Load(); got != want {
			t.Errorf("%d COPY statements, want %d", got, want)
		}
	})
}
