package types

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ormc/ormc/examples/types/db"
	"github.com/ormc/ormc/internal/testdb"
	"github.com/ormc/ormc/runtime"
	"github.com/ormc/ormc/runtime/dialect"
)

// wantPreset is what every row of Preset holds in its literal-default
// columns, written out here rather than taken from NewPreset, so that a
// wrong constructor fails too.
func wantPreset() *db.Preset {
	uid, _ := runtime.ParseUUID("123e4567-e89b-12d3-a456-426614174000")
	nuid, _ := runtime.ParseUUID("00000000-0000-0000-0000-000000000001")
	return &db.Preset{
		Str: "abc", Text: "long", Flag: true, Small: -7, Big: 9223372036854775807, Ratio: 1500,
		Price:  runtime.MustDecimal("9.90"),
		Zero:   runtime.MustDecimal("0.00"),
		Day:    runtime.Date{Year: 1969, Month: time.July, Day: 20},
		At:     runtime.TimeOfDay{Hour: 13, Minute: 45, Microsecond: 500000},
		Moment: time.Date(2024, 1, 31, 11, 45, 0, 250000000, time.UTC),
		Doc:    runtime.JSON(`{"a": [1, 2]}`),
		UID:    uid,
		Addr:   netip.MustParseAddr("10.0.0.1"),
		Kind:   db.PresetKindBC,
		Site:   "https://example.com",

		NStr: runtime.Some(""), NText: runtime.Some(""), NFlag: runtime.Some(false),
		NSmall: runtime.Some[int64](0), NBig: runtime.Some[int64](0), NRatio: runtime.Some[float64](0),
		NPrice: runtime.Some(runtime.MustDecimal("0.00")), NKind: runtime.Some(db.PresetNKindA),

		NDay:    runtime.Some(runtime.Date{Year: 2000, Month: time.February, Day: 29}),
		NAt:     runtime.Some(runtime.TimeOfDay{}),
		NMoment: runtime.Some(time.Unix(0, 0).UTC()),
		NDoc:    runtime.Some(runtime.JSON(`[]`)),
		NUID:    runtime.Some(nuid),
		NAddr:   runtime.Some(netip.MustParseAddr("2001:db8::1")),
	}
}

// comparePreset checks the literal-default columns of got. (That SQLite,
// which stores decimals and times as text, stores the client's text is
// checked by TestDefaults with Eq.)
func comparePreset(t *testing.T, row string, got *db.Preset) {
	t.Helper()
	w := wantPreset()
	for _, c := range []struct {
		name string
		ok   bool
		g, w any
	}{
		{"str", got.Str == w.Str, got.Str, w.Str},
		{"text", got.Text == w.Text, got.Text, w.Text},
		{"flag", got.Flag == w.Flag, got.Flag, w.Flag},
		{"small", got.Small == w.Small, got.Small, w.Small},
		{"big", got.Big == w.Big, got.Big, w.Big},
		{"ratio", got.Ratio == w.Ratio, got.Ratio, w.Ratio},
		{"price", got.Price.Rat().Cmp(w.Price.Rat()) == 0, got.Price, w.Price},
		{"zero", got.Zero.Rat().Cmp(w.Zero.Rat()) == 0, got.Zero, w.Zero},
		{"day", got.Day == w.Day, got.Day, w.Day},
		{"at", got.At == w.At, got.At, w.At},
		{"moment", got.Moment.Equal(w.Moment) && got.Moment.Location() == time.UTC, got.Moment, w.Moment},
		{"doc", jsonEqual(got.Doc, w.Doc), string(got.Doc), string(w.Doc)},
		{"uid", got.UID == w.UID, got.UID, w.UID},
		{"addr", got.Addr == w.Addr, got.Addr, w.Addr},
		{"kind", got.Kind == w.Kind, got.Kind, w.Kind},
		{"site", got.Site == w.Site, got.Site, w.Site},
		{"n_str", got.NStr == w.NStr, got.NStr, w.NStr},
		{"n_text", got.NText == w.NText, got.NText, w.NText},
		{"n_flag", got.NFlag == w.NFlag, got.NFlag, w.NFlag},
		{"n_small", got.NSmall == w.NSmall, got.NSmall, w.NSmall},
		{"n_big", got.NBig == w.NBig, got.NBig, w.NBig},
		{"n_ratio", got.NRatio == w.NRatio, got.NRatio, w.NRatio},
		{"n_price", got.NPrice.Valid && got.NPrice.V.Rat().Sign() == 0, got.NPrice, w.NPrice},
		{"n_kind", got.NKind == w.NKind, got.NKind, w.NKind},
		{"n_day", got.NDay == w.NDay, got.NDay, w.NDay},
		{"n_at", got.NAt == w.NAt, got.NAt, w.NAt},
		{"n_moment", got.NMoment.Valid && got.NMoment.V.Equal(w.NMoment.V), got.NMoment, w.NMoment},
		{"n_doc", got.NDoc.Valid && jsonEqual(got.NDoc.V, w.NDoc.V), got.NDoc, w.NDoc},
		{"n_uid", got.NUID == w.NUID, got.NUID, w.NUID},
		{"n_addr", got.NAddr == w.NAddr, got.NAddr, w.NAddr},
		{"n_none", !got.NNone.Valid, got.NNone, "NULL"},
	} {
		if !c.ok {
			t.Errorf("%s: %s: got %v, want %v", row, c.name, c.g, c.w)
		}
	}
}

// quoteSQL writes `"` identifiers in the dialect's quotes.
func quoteSQL(dialect, sql string) string {
	if dialect == "mysql" {
		return strings.ReplaceAll(sql, `"`, "`")
	}
	return sql
}

// engine is the engine behind a MySQL dialect's pool, or MySQLServer
// elsewhere (the zero Engine, which no test here asks about).
func engine(d *runtime.DB) dialect.Engine {
	if p, ok := d.Dialect().(dialect.Profile); ok {
		return p.Engine()
	}
	return dialect.MySQLServer
}

// tidbDefaultsMissing pins what lang/spec.md says of TiDB's defaults: it
// takes none on TEXT and JSON columns and has no expression for the time
// of day, so the DDL leaves those defaults out, and a plain SQL INSERT
// that leaves such a NOT NULL column out is refused (1364) rather than
// given a value. (The client's Create fills them in: NewPreset above.)
func tidbDefaultsMissing(t *testing.T, d *runtime.DB) {
	t.Helper()
	_, err := d.Exec(context.Background(), "INSERT INTO `preset` (`id`) VALUES (1001)")
	var ce *runtime.ConstraintError
	if !errors.As(err, &ce) || ce.Kind != runtime.NotNullViolation || len(ce.Columns) != 1 ||
		!slices.Contains([]string{"text", "doc", "clock"}, ce.Columns[0]) {
		t.Fatalf("plain SQL INSERT leaving out TiDB's missing defaults: %v; want a NOT NULL violation of text, doc or clock", err)
	}
}

// TestDefaults: NewPreset sets every literal default, and a row inserted
// with plain SQL that leaves every column but the key out gets the same
// values from the DDL's defaults, plus a current date, time and instant
// in UTC and a new UUID, in the form the client writes: each value finds
// its row again through the client, on every dialect.
func TestDefaults(t *testing.T) {
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
		name := client.DB().Dialect().Name()
		before := time.Now().UTC().Add(-2 * time.Second)

		made := db.NewPreset()
		if _, err := client.Presets.Create(ctx, made); err != nil {
			t.Fatal(err)
		}
		got, err := client.Presets.Get(ctx, db.PresetID.Eq(made.ID))
		if err != nil {
			t.Fatal(err)
		}
		comparePreset(t, "NewPreset", got)

		// Plain SQL, once through the client's own session and once
		// through a session in another time zone (UTC+14 or +13, where
		// the date is ahead of UTC's for over half the day).
		sessions := map[int64]*runtime.DB{1001: client.DB()}
		if other := otherZone(url); other != "" {
			o, err := db.Open(ctx, other)
			if err != nil {
				t.Fatal(err)
			}
			defer o.Close()
			sessions[1002] = o.DB()
		}
		if engine(client.DB()) == dialect.TiDB {
			tidbDefaultsMissing(t, client.DB())
			return
		}
		for id, s := range sessions {
			if _, err := s.Exec(ctx, quoteSQL(name, fmt.Sprintf(`INSERT INTO "preset" ("id") VALUES (%d)`, id))); err != nil {
				t.Fatal(err)
			}
		}
		after := time.Now().UTC().Add(2 * time.Second)

		for id := range sessions {
			row := fmt.Sprintf("plain SQL row %d", id)
			p, err := client.Presets.Get(ctx, db.PresetID.Eq(id))
			if err != nil {
				t.Fatal(err)
			}
			comparePreset(t, row, p)
			checkFilled(t, row, p, before, after)
			// The differences lang/spec.md lists: SQLite's clock has
			// milliseconds; MySQL's UUID() is version 1.
			if ns := p.Stamp.Nanosecond(); name == "sqlite" && ns%int(time.Millisecond) != 0 {
				t.Errorf("%s: stamp %v has more than milliseconds", row, p.Stamp)
			}
			version := map[string]byte{"postgres": 4, "mysql": 1, "sqlite": 4}[name]
			if v := p.Token[6] >> 4; v != version || p.Token[8]>>6 != 2 {
				t.Errorf("%s: token %v is version %d, want an RFC 4122 version %d", row, p.Token, v, version)
			}
			// Every value reads back equal to what the client binds for
			// it: the stored form agrees with the client's.
			for _, c := range []struct {
				name string
				pred runtime.Pred[*db.Preset]
			}{
				{"price", db.PresetPrice.Eq(p.Price)}, {"zero", db.PresetZero.Eq(p.Zero)},
				{"day", db.PresetDay.Eq(p.Day)}, {"at", db.PresetAt.Eq(p.At)},
				{"moment", db.PresetMoment.Eq(p.Moment)}, {"uid", db.PresetUID.Eq(p.UID)},
				{"n_price", db.PresetNPrice.Eq(p.NPrice.V)}, {"n_at", db.PresetNAt.Eq(p.NAt.V)},
				{"n_moment", db.PresetNMoment.Eq(p.NMoment.V)}, {"n_uid", db.PresetNUID.Eq(p.NUID.V)},
				{"today", db.PresetToday.Eq(p.Today)}, {"clock", db.PresetClock.Eq(p.Clock)},
				{"stamp", db.PresetStamp.Eq(p.Stamp)}, {"added", db.PresetAdded.Eq(p.Added)},
				{"changed", db.PresetChanged.Eq(p.Changed)}, {"born", db.PresetBorn.Eq(p.Born.V)},
				{"token", db.PresetToken.Eq(p.Token)},
				{"addr", db.PresetAddr.Eq(p.Addr)}, {"n_addr", db.PresetNAddr.Eq(p.NAddr.V)},
			} {
				n, err := client.Presets.Filter(db.PresetID.Eq(id), c.pred).Count(ctx)
				if err != nil || n != 1 {
					t.Errorf("%s: %s.Eq(its own value): %d rows, %v", row, c.name, n, err)
				}
			}
		}
		if len(sessions) > 1 {
			a, _ := client.Presets.Get(ctx, db.PresetID.Eq(1001))
			b, _ := client.Presets.Get(ctx, db.PresetID.Eq(1002))
			if a.Token == b.Token {
				t.Errorf("two rows got the same uuid default %v", a.Token)
			}
		}
	})
}

// checkFilled checks the now, auto_now, auto_now_add and uuid columns of a
// row inserted between before and after: set, in UTC.
func checkFilled(t *testing.T, row string, p *db.Preset, before, after time.Time) {
	t.Helper()
	within := func(name string, v time.Time) {
		t.Helper()
		if v.Before(before) || v.After(after) || v.Location() != time.UTC {
			t.Errorf("%s: %s = %v, want a UTC instant between %v and %v", row, name, v, before, after)
		}
	}
	within("stamp", p.Stamp)
	within("added", p.Added)
	within("changed", p.Changed)
	date := func(name string, d runtime.Date) {
		t.Helper()
		if d != runtime.DateOf(before) && d != runtime.DateOf(after) {
			t.Errorf("%s: %s = %v, want the UTC date %v", row, name, d, runtime.DateOf(after))
		}
	}
	date("today", p.Today)
	date("born", p.Born.V)
	if !p.Born.Valid {
		t.Errorf("%s: born is NULL", row)
	}
	// The time of day, in UTC: within the window, modulo midnight.
	c := p.Clock
	sec := func(t time.Time) int { return t.Hour()*3600 + t.Minute()*60 + t.Second() }
	cs, lo, hi := c.Hour*3600+c.Minute*60+c.Second, sec(before), sec(after)
	if lo <= hi && (cs < lo || cs > hi) || lo > hi && cs < lo && cs > hi {
		t.Errorf("%s: clock = %v, want a UTC time of day between %v and %v", row, c, before.Format(time.TimeOnly), after.Format(time.TimeOnly))
	}
	if p.Token == (runtime.UUID{}) {
		t.Errorf("%s: token is not set", row)
	}
}

// otherZone returns url with a session time zone of UTC+14 (+13 on
// MySQL), or "" for
// SQLite, which has no session time zone.
func otherZone(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil || u.Scheme == "sqlite" {
		return ""
	}
	q := u.Query()
	switch u.Scheme {
	case "mysql":
		q.Set("time_zone", "'+13:00'") // MariaDB's largest offset
	default:
		q.Set("timezone", "Pacific/Kiritimati")
	}
	u.RawQuery = q.Encode()
	return u.String()
}
