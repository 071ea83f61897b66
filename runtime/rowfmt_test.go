package runtime_test

import (
	"fmt"
	"net/netip"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/ormc/ormc/runtime"
)

// Two hand-written models, as ormc generates them (accessors included, so
// that Ptr on a relation marks its reference set, as KeyPtr does), for
// model Album "album" < id Integer pk; title String(50) >
// model Row "row" < id Integer pk; name String(50); note Text null; flag Boolean;
// ratio Float; price Decimal(6, 2); day Date; at Time; moment DateTime; doc JSON;
// uid UUID; addr IPAddress; mood Enum("up", "down"); maybe Integer null;
// when DateTime null; host IPAddress null; album Album null >
// with String and GoString methods as the generated ones call RowString
// and RowGoString.

type rfAlbum struct {
	ID    int64
	Title string
}

func (r *rfAlbum) String() string   { return runtime.RowString(rfAlbumTable, r) }
func (r *rfAlbum) GoString() string { return runtime.RowGoString(rfAlbumTable, r) }

var rfAlbumTable = &runtime.Table{
	Model: "Album", Name: "album", PK: 0,
	Columns: []*runtime.Column{
		{Field: "id", Name: "id", Kind: runtime.KindInteger, Index: 0, AutoIncrement: true},
		{Field: "title", Name: "title", Kind: runtime.KindString, Index: 1, MaxLength: 50},
	},
	New: func() any { return new(rfAlbum) },
	Ptr: func(v any, i int) any {
		row := v.(*rfAlbum)
		return []any{&row.ID, &row.Title}[i]
	},
	Value: func(v any, i int) any {
		row := v.(*rfAlbum)
		return []any{row.ID, row.Title}[i]
	},
}

type rfMood string

func (m rfMood) EnumValue() string { return string(m) }

type rfRow struct {
	ID     int64
	Name   string
	Note   runtime.Null[string]
	Flag   bool
	Ratio  float64
	Price  runtime.Decimal
	Day    runtime.Date
	At     runtime.TimeOfDay
	Moment time.Time
	Doc    runtime.JSON
	UID    runtime.UUID
	Addr   netip.Addr
	Mood   rfMood
	Maybe  runtime.Null[int64]
	When   runtime.Null[time.Time]
	Host   runtime.Null[netip.Addr]
	Album  runtime.Ref[*rfAlbum, int64]
}

func (r *rfRow) String() string   { return runtime.RowString(rfRowTable, r) }
func (r *rfRow) GoString() string { return runtime.RowGoString(rfRowTable, r) }

var rfRowTable = &runtime.Table{
	Model: "Row", Name: "row", PK: 0,
	Columns: []*runtime.Column{
		{Field: "id", Name: "id", Kind: runtime.KindInteger, Index: 0, AutoIncrement: true},
		{Field: "name", Name: "name", Kind: runtime.KindString, Index: 1, MaxLength: 50},
		{Field: "note", Name: "note", Kind: runtime.KindText, Index: 2, Null: true},
		{Field: "flag", Name: "flag", Kind: runtime.KindBoolean, Index: 3},
		{Field: "ratio", Name: "ratio", Kind: runtime.KindFloat, Index: 4},
		{Field: "price", Name: "price", Kind: runtime.KindDecimal, Index: 5, MaxDigits: 6, DecimalPlaces: 2},
		{Field: "day", Name: "day", Kind: runtime.KindDate, Index: 6},
		{Field: "at", Name: "at", Kind: runtime.KindTime, Index: 7},
		{Field: "moment", Name: "moment", Kind: runtime.KindDateTime, Index: 8},
		{Field: "doc", Name: "doc", Kind: runtime.KindJSON, Index: 9},
		{Field: "uid", Name: "uid", Kind: runtime.KindUUID, Index: 10},
		{Field: "addr", Name: "addr", Kind: runtime.KindIPAddress, Index: 11},
		{Field: "mood", Name: "mood", Kind: runtime.KindString, Index: 12, Values: []string{"up", "down"}},
		{Field: "maybe", Name: "maybe", Kind: runtime.KindInteger, Index: 13, Null: true},
		{Field: "when", Name: "when", Kind: runtime.KindDateTime, Index: 14, Null: true},
		{Field: "host", Name: "host", Kind: runtime.KindIPAddress, Index: 15, Null: true},
		{Field: "album", Name: "album", Kind: runtime.KindInteger, Index: 16, Null: true, Ref: rfAlbumTable},
	},
	New: func() any { return new(rfRow) },
	Ptr: func(v any, i int) any {
		row := v.(*rfRow)
		switch i {
		case 8:
			return (*runtime.UTCTime)(&row.Moment)
		case 11:
			return (*runtime.HostAddr)(&row.Addr)
		case 12:
			return (*string)(&row.Mood)
		case 14:
			return (*runtime.NullUTCTime)(&row.When)
		case 15:
			return (*runtime.NullHostAddr)(&row.Host)
		case 16:
			return row.Album.KeyPtr()
		}
		return []any{&row.ID, &row.Name, &row.Note, &row.Flag, &row.Ratio, &row.Price, &row.Day, &row.At,
			nil, &row.Doc, &row.UID, nil, nil, &row.Maybe}[i]
	},
	Value: func(v any, i int) any {
		row := v.(*rfRow)
		switch i {
		case 8:
			return runtime.BindUTC(row.Moment)
		case 11:
			return runtime.BindAddr(row.Addr)
		case 12:
			return string(row.Mood)
		case 14:
			return runtime.BindNullUTC(row.When)
		case 15:
			return runtime.BindNullAddr(row.Host)
		case 16:
			return row.Album.KeyValue()
		}
		return []any{row.ID, row.Name, row.Note, row.Flag, row.Ratio, row.Price, row.Day, row.At,
			nil, row.Doc, row.UID, nil, nil, row.Maybe}[i]
	},
	Link: func(v any, i int) runtime.Linker {
		if i == 16 {
			return &v.(*rfRow).Album
		}
		return nil
	},
}

func rfUUID(t *testing.T, s string) runtime.UUID {
	t.Helper()
	u, err := runtime.ParseUUID(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// rfFull is a row with every value set, and the text of its values.
func rfFull(t *testing.T) (*rfRow, string) {
	row := &rfRow{
		ID:     7,
		Name:   "say \"hi\", then leave",
		Note:   runtime.Some("a\nb"),
		Flag:   true,
		Ratio:  0.25,
		Price:  runtime.MustDecimal("12.50"),
		Day:    runtime.Date{Year: 2024, Month: time.March, Day: 1},
		At:     runtime.TimeOfDay{Hour: 9, Minute: 5, Second: 0, Microsecond: 1},
		Moment: time.Date(2024, 3, 1, 12, 30, 0, 500_000_000, time.FixedZone("CET", 3600)),
		Doc:    runtime.JSON("{ \"a\": [1, 2],\n  \"b\": null }"),
		UID:    rfUUID(t, "6ba7b810-9dad-11d1-80b4-00c04fd430c8"),
		Addr:   netip.MustParseAddr("2001:DB8::1"),
		Mood:   "up",
		Maybe:  runtime.Some(int64(-3)),
		When:   runtime.Some(time.Date(2023, 12, 31, 23, 59, 59, 0, time.UTC)),
		Host:   runtime.Some(netip.MustParseAddr("192.0.2.1")),
		Album:  runtime.KeyRef[*rfAlbum](int64(3)),
	}
	return row, `runtime_test.rfRow{ID: 7, Name: "say \"hi\", then leave", Note: "a\nb", Flag: true, ` +
		`Ratio: 0.25, Price: 12.50, Day: 2024-03-01, At: 09:05:00.000001, Moment: 2024-03-01T11:30:00.5Z, ` +
		`Doc: {"a":[1,2],"b":null}, UID: 6ba7b810-9dad-11d1-80b4-00c04fd430c8, Addr: 2001:db8::1, Mood: "up", ` +
		`Maybe: -3, When: 2023-12-31T23:59:59Z, Host: 192.0.2.1, Album: Album(id=3) (not loaded)}`
}

// rfZero is the text of the zero row's values: NULL as null, a NULL
// relation as null.
const rfZero = `runtime_test.rfRow{ID: 0, Name: "", Note: null, Flag: false, Ratio: 0, Price: 0, ` +
	`Day: 0000-00-00, At: 00:00:00, Moment: 0001-01-01T00:00:00Z, Doc: null, ` +
	`UID: 00000000-0000-0000-0000-000000000000, Addr: netip.Addr{}, Mood: "", ` +
	`Maybe: null, When: null, Host: null, Album: null}`

func TestRowString(t *testing.T) {
	full, _ := rfFull(t)
	tagTable := &runtime.Table{Model: "Tag", PK: 0,
		Columns: []*runtime.Column{{Field: "name", Kind: runtime.KindString}},
		Value:   func(v any, i int) any { return *v.(*string) },
	}
	keyTable := func(c runtime.Column, key any) *runtime.Table {
		return &runtime.Table{Model: "Key", PK: 0, Columns: []*runtime.Column{&c},
			Value: func(any, int) any { return key }}
	}
	name := "go"
	for _, tc := range []struct {
		what  string
		table *runtime.Table
		row   any
		want  string
	}{
		{"a row", rfRowTable, full, "Row(id=7)"},
		{"a row not created", rfRowTable, &rfRow{}, "Row(id=unset)"},
		{"a nil row", rfRowTable, nil, "Row(nil)"},
		{"a nil pointer", rfRowTable, (*rfRow)(nil), "Row(nil)"},
		{"another model's row", rfRowTable, &rfAlbum{ID: 1}, "Row(<*runtime_test.rfAlbum is no row of Row>)"},
		{"no table", nil, full, "<nil *runtime.Table>"},
		{"a text key, quoted", tagTable, &name, `Tag(name="go")`},
		{"a key 0 the database did not assign", keyTable(runtime.Column{Field: "n", Kind: runtime.KindInteger}, int64(0)), 1, "Key(n=0)"},
		{"a UUID key to draw", keyTable(runtime.Column{Field: "uid", Kind: runtime.KindUUID, DefaultUUID: true}, runtime.UUID{}), 1, "Key(uid=unset)"},
		{"a UUID key", keyTable(runtime.Column{Field: "uid", Kind: runtime.KindUUID, DefaultUUID: true}, full.UID), 1, "Key(uid=6ba7b810-9dad-11d1-80b4-00c04fd430c8)"},
		{"an address key", keyTable(runtime.Column{Field: "ip", Kind: runtime.KindIPAddress}, runtime.BindAddr(full.Addr)), 1, "Key(ip=2001:db8::1)"},
		{"a date key", keyTable(runtime.Column{Field: "day", Kind: runtime.KindDate}, full.Day), 1, "Key(day=2024-03-01)"},
		{"an enum in a Null", keyTable(runtime.Column{Field: "m", Kind: runtime.KindString, Values: []string{"up", "down"}}, runtime.Some(rfMood("down"))), 1, `Key(m="down")`},
		{"a table without columns", &runtime.Table{Model: "Empty", Value: func(any, int) any { return nil }}, 1, "Empty(?)"},
		{"a table without Value", &runtime.Table{Model: "Bare", Columns: []*runtime.Column{{Field: "id"}}}, 1, "Bare(?)"},
	} {
		if got := runtime.RowString(tc.table, tc.row); got != tc.want {
			t.Errorf("%s: got %s, want %s", tc.what, got, tc.want)
		}
	}
	if got := fmt.Sprint(full); got != "Row(id=7)" {
		t.Errorf("fmt.Sprint of a row through its String method: %s", got)
	}
	if got := fmt.Sprintf("%v", &rfAlbum{ID: 3}); got != "Album(id=3)" {
		t.Errorf("%%v of an album: %s", got)
	}
}

// rfConnTable has relations to a model keyed by an IPAddress, which the
// relation binds as text and prints as an address, not a string; it has
// no Ptr or Link, so its rows print by schema names and say nothing of
// loading.
var rfConnTable = func() *runtime.Table {
	host := &runtime.Table{Model: "Host", PK: 0, Columns: []*runtime.Column{{Field: "ip", Kind: runtime.KindIPAddress}}}
	return &runtime.Table{Model: "Conn", PK: 0,
		Columns: []*runtime.Column{
			{Field: "id", Kind: runtime.KindInteger, Index: 0},
			{Field: "host", Kind: runtime.KindIPAddress, Index: 1, Ref: host},
			{Field: "via", Kind: runtime.KindIPAddress, Index: 2, Ref: host, Null: true},
		},
		Value: func(_ any, i int) any {
			return []any{int64(1), runtime.BindAddr(netip.MustParseAddr("192.0.2.1")), nil}[i]
		},
	}
}()

func TestRowGoString(t *testing.T) {
	full, fullText := rfFull(t)
	loaded := &rfRow{Album: runtime.NewRef(int64(3), &rfAlbum{ID: 3, Title: "x"})}
	loadedText := strings.Replace(rfZero, "Album: null", "Album: Album(id=3) (loaded)", 1)
	noGo := *rfAlbumTable
	noGo.Ptr = nil // without Ptr the fields are not found: schema names
	for _, tc := range []struct {
		what  string
		table *runtime.Table
		row   any
		want  string
	}{
		{"every kind", rfRowTable, full, fullText},
		{"the zero row", rfRowTable, &rfRow{}, rfZero},
		{"a loaded relation", rfRowTable, loaded, loadedText},
		{"a nil pointer", rfRowTable, (*rfRow)(nil), "(*runtime_test.rfRow)(nil)"},
		{"a nil row", rfRowTable, nil, "(*runtime_test.rfRow)(nil)"},
		{"a nil row of a table without New", &runtime.Table{Model: "X"}, nil, "X(nil)"},
		{"another model's row", rfRowTable, &rfAlbum{ID: 1}, "Row(<*runtime_test.rfAlbum is no row of Row>)"},
		{"no table", nil, full, "<nil *runtime.Table>"},
		{"schema names", &noGo, &rfAlbum{ID: 1, Title: "t"}, `runtime_test.rfAlbum{id: 1, title: "t"}`},
		{"invalid JSON", rfRowTable, &rfRow{Doc: runtime.JSON("{x")}, strings.Replace(rfZero, "Doc: null", `Doc: runtime.JSON("{x")`, 1)},
		{"NULL and the zero value apart", rfRowTable, &rfRow{Note: runtime.Some(""), Maybe: runtime.Some(int64(0))},
			strings.Replace(strings.Replace(rfZero, "Note: null", `Note: ""`, 1), "Maybe: null", "Maybe: 0", 1)},
		{"a relation to a key of another kind", rfConnTable, new(rfAlbum), `runtime_test.rfAlbum{id: 1, host: Host(ip=192.0.2.1), via: null}`},
	} {
		if got := runtime.RowGoString(tc.table, tc.row); got != tc.want {
			t.Errorf("%s:\n got %s\nwant %s", tc.what, got, tc.want)
		}
	}
	if got := fmt.Sprintf("%#v", full); got != fullText {
		t.Errorf("%%#v of a row through its GoString method:\n got %s\nwant %s", got, fullText)
	}
}

// TestRowPrintLeavesRow: printing changes nothing in the row (Ptr on a
// relation would mark a NULL reference set), and prints the same twice.
func TestRowPrintLeavesRow(t *testing.T) {
	row := &rfRow{ID: 1}
	first := runtime.RowGoString(rfRowTable, row) + runtime.RowString(rfRowTable, row)
	if !row.Album.IsNull() || !reflect.DeepEqual(*row, rfRow{ID: 1}) {
		t.Fatalf("printing changed the row: %#v", *row)
	}
	if again := runtime.RowGoString(rfRowTable, row) + runtime.RowString(rfRowTable, row); again != first {
		t.Errorf("printed differently twice:\n%s\n%s", first, again)
	}
}

// TestRowPrintPanics: a Table whose accessors panic on a row prints the
// panic instead of passing it on, as fmt does for String methods.
func TestRowPrintPanics(t *testing.T) {
	bad := &runtime.Table{Model: "Bad", Columns: []*runtime.Column{{Field: "id"}},
		Ptr:   func(any, int) any { panic("no field") },
		Value: func(any, int) any { panic("no value") },
	}
	if got, want := runtime.RowString(bad, 1), "Bad(<PANIC=no value>)"; got != want {
		t.Errorf("RowString: got %s, want %s", got, want)
	}
	if got, want := runtime.RowGoString(bad, new(rfAlbum)), "Bad(<PANIC=no field>)"; got != want {
		t.Errorf("RowGoString: got %s, want %s", got, want)
	}
}
