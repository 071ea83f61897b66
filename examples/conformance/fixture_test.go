package conformance

import (
	"context"
	"testing"
	"time"

	"github.com/ormc/ormc/examples/conformance/db"
	"github.com/ormc/ormc/runtime"
)

// The rows every case reads. Keys are explicit and rows are inserted out
// of key order, so that a database returning ties in insertion order (a
// PostgreSQL heap) and one returning them in key order (SQLite's rowid,
// InnoDB's clustered index) disagree unless ormc breaks ties by the key.

var (
	paak   = &db.Artist{ID: 2, Name: "Anderson .Paak"}
	metric = &db.Artist{ID: 1, Name: "Metric"}

	malibu    = &db.Album{ID: 20, Name: "Malibu", Artist: db.ArtistRef(paak), Released: runtime.Some(date(2016, 1, 15))}
	fantasies = &db.Album{ID: 10, Name: "Fantasies", Artist: db.ArtistRef(metric), Released: runtime.Some(date(2009, 4, 14))}
	demos     = &db.Album{ID: 30, Name: "Demos"} // no artist, no release date
)

func date(y int, m time.Month, d int) runtime.Date { return runtime.Date{Year: y, Month: m, Day: d} }

func instant(s string) runtime.Null[time.Time] {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return runtime.Some(t)
}

func dec(s string) runtime.Null[runtime.Decimal] { return runtime.Some(runtime.MustDecimal(s)) }

func uuid(s string) runtime.Null[runtime.UUID] {
	u, err := runtime.ParseUUID(s)
	if err != nil {
		panic(err)
	}
	return runtime.Some(u)
}

const (
	uuidBird     = "6f1c2a8e-1d2b-4c3a-9e8f-0a1b2c3d4e5f"
	uuidUntitled = "00000000-0000-4000-8000-000000000001"
)

// trackRows are in insertion order; a track's remix_of is inserted before it.
var trackRows = []*db.Track{
	{ID: 302, Album: db.AlbumRef(demos), Title: "untitled", Position: runtime.Some[int64](1), Seconds: runtime.Some(61.5),
		Price: dec("100"), Kind: db.TrackKindBonus, Added: instant("2024-03-01T10:00:00Z"), Meta: runtime.Some(runtime.JSON(`{"b": 1}`)), Code: uuid(uuidUntitled)},
	{ID: 202, Album: db.AlbumRef(fantasies), Title: "Sick Muse", Position: runtime.Some[int64](2), Seconds: runtime.Some(254.0),
		Price: dec("9.50"), Kind: db.TrackKindSingle},
	{ID: 201, Album: db.AlbumRef(fantasies), Title: "Help I'm Alive", Position: runtime.Some[int64](1), Seconds: runtime.Some(284.25),
		Price: dec("10"), Kind: db.TrackKindAlbum, Explicit: true, Added: instant("2024-01-01T00:00:00Z")},
	{ID: 301, Album: db.AlbumRef(demos), Title: "Untitled", Kind: db.TrackKindAlbum},
	{ID: 103, Album: db.AlbumRef(malibu), Title: "The Bird", Position: runtime.Some[int64](1), Seconds: runtime.Some(220.0),
		Price: dec("12345678901234567890.1234567890"), Kind: db.TrackKindSingle, Explicit: true,
		Added: instant("2024-02-01T12:30:00Z"), Meta: runtime.Some(runtime.JSON(`{"a": [1, 2]}`)), Code: uuid(uuidBird)},
	{ID: 102, Album: db.AlbumRef(malibu), Title: "The Waters", Position: runtime.Some[int64](3), Seconds: runtime.Some(180.0),
		Price: dec("9.5"), Kind: db.TrackKindAlbum, RemixOf: runtime.KeyRef[*db.Track](int64(202))},
	{ID: 101, Album: db.AlbumRef(malibu), Title: "Heart don't stand a chance", Position: runtime.Some[int64](2), Seconds: runtime.Some(250.0),
		Price: dec("12345678901234567890.1234567891"), Kind: db.TrackKindAlbum, RemixOf: runtime.KeyRef[*db.Track](int64(302))},
}

// wordRows are for the text lookups: case folding beyond ASCII, LIKE's
// wildcards and escape character, trailing spaces, the empty string and
// NULL.
var wordRows = []*db.Word{
	{ID: 8, Text: "ΣΊΣΥΦΟΣ", Note: runtime.Some("greek")},
	{ID: 1, Text: "ÉCOLE élève", Note: runtime.Some("accents")},
	{ID: 2, Text: "Ärger"},
	{ID: 16, Text: "50 percent"},
	{ID: 3, Text: "ascii", Note: runtime.Some("plain")},
	{ID: 4, Text: "100% sure_thing!"},
	{ID: 5, Text: "STRASSE ẞ", Note: runtime.Some("capital sharp s")},
	{ID: 6, Text: "\U00010400\U00010401 Deseret"},
	{ID: 7, Text: "\u13e3\u13b3\u13a9 Cherokee"},
	{ID: 9, Text: "a!b"},
	{ID: 11, Text: "trailing"},
	{ID: 10, Text: "trailing ", Note: runtime.Some("space")},
	{ID: 12, Text: "", Note: runtime.Some("empty")},
	{ID: 14, Text: "underXscore"},
	{ID: 13, Text: "under_score"},
	{ID: 15, Text: "50%"},
}

// seed creates the tables and inserts the fixture.
func seed(t *testing.T, ctx context.Context, c *db.Client) {
	t.Helper()
	if err := c.CreateTables(ctx); err != nil {
		t.Fatal(err)
	}
	err := c.Tx(ctx, func(tx *db.Client) error {
		for _, a := range []*db.Artist{paak, metric} {
			if _, err := tx.Artists.Create(ctx, new(*a)); err != nil {
				return err
			}
		}
		for _, a := range []*db.Album{demos, fantasies, malibu} {
			if _, err := tx.Albums.Create(ctx, new(*a)); err != nil {
				return err
			}
		}
		for _, tr := range trackRows {
			if _, err := tx.Tracks.Create(ctx, new(*tr)); err != nil {
				return err
			}
		}
		for _, w := range wordRows {
			if _, err := tx.Words.Create(ctx, new(*w)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
