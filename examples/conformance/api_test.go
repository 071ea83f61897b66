package conformance

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/ormc/ormc/examples/conformance/db"
	"github.com/ormc/ormc/internal/testdb"
)

// The typed API's writes and printing (issue 17, items 2 and 4), on the
// fixture, on every database. Each test writes to a database of its own.

// openSeeded returns a client on a fresh database holding the fixture.
func openSeeded(t *testing.T, url string) *db.Client {
	t.Helper()
	ctx := context.Background()
	c, err := db.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	seed(t, ctx, c)
	return c
}

// TestRowsPrint: a row prints as its model and key, with %v and %s alike;
// %#v gives every field by its Go name with a readable value, a relation
// by the key it refers to and whether its row is loaded, NULL as null.
func TestRowsPrint(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		ctx := context.Background()
		c := openSeeded(t, url)
		bird, err := c.Tracks.Get(ctx, db.TrackID.Eq(103))
		if err != nil {
			t.Fatal(err)
		}
		for _, got := range []string{fmt.Sprint(bird), fmt.Sprintf("%v", bird), fmt.Sprintf("%s", bird)} {
			if got != "Track(id=103)" {
				t.Errorf("Sprint(track) = %q, want Track(id=103)", got)
			}
		}
		// The album is sparse: its key, not loaded.
		want := `db.Track{ID: 103, Album: Album(id=20) (not loaded), Title: "The Bird", Position: 1, RemixOf: null, Seconds: 220, ` +
			`Price: 12345678901234567890.1234567890, Kind: "single", Explicit: true, Added: 2024-02-01T12:30:00Z, Meta: {"a":[1,2]}, ` +
			`Code: 6f1c2a8e-1d2b-4c3a-9e8f-0a1b2c3d4e5f}`
		if got := fmt.Sprintf("%#v", bird); got != want {
			t.Errorf("%%#v of a track:\n got  %s\n want %s", got, want)
		}

		// Loaded through SelectRelated: the album says so, and prints its
		// own relation by key; a sparse self-relation prints its key.
		waters, err := c.Tracks.SelectRelated(db.TrackAlbum.Artist).Get(ctx, db.TrackID.Eq(102))
		if err != nil {
			t.Fatal(err)
		}
		want = `db.Track{ID: 102, Album: Album(id=20) (loaded), Title: "The Waters", Position: 3, RemixOf: Track(id=202) (not loaded), Seconds: 180, `
		if got := fmt.Sprintf("%#v", waters); len(got) < len(want) || got[:len(want)] != want {
			t.Errorf("%%#v of a track with its album loaded:\n got  %s\n want %s…", got, want)
		}
		album, err := waters.Album.Value()
		if err != nil {
			t.Fatal(err)
		}
		want = `db.Album{ID: 20, Name: "Malibu", Artist: Artist(id=2) (loaded), Released: 2016-01-15}`
		if got := fmt.Sprintf("%#v", album); got != want {
			t.Errorf("%%#v of the loaded album:\n got  %s\n want %s", got, want)
		}
		if got := fmt.Sprint(album); got != "Album(id=20)" {
			t.Errorf("Sprint(album) = %q", got)
		}

		// Before Create: a key yet to be assigned, and a nil row.
		if got := fmt.Sprint(&db.Track{Title: "new"}); got != "Track(id=unset)" {
			t.Errorf("Sprint of a row not created: %q", got)
		}
		if got := fmt.Sprint((*db.Track)(nil)); got != "Track(nil)" {
			t.Errorf("Sprint of a nil row: %q", got)
		}
	})
}

// TestUpdateAssignments: Update with assignments applies them to the row
// and writes those columns only, each value said once; a relation's key
// set leaves a sparse reference; the key, a bad value and a missing row
// are refused.
func TestUpdateAssignments(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		ctx := context.Background()
		c := openSeeded(t, url)
		bird, err := c.Tracks.SelectRelated(db.TrackAlbum).Get(ctx, db.TrackID.Eq(103))
		if err != nil {
			t.Fatal(err)
		}
		bird.Explicit = false // changed on the row, not assigned: not written
		err = c.Tracks.Update(ctx, bird, db.TrackTitle.Set("The Bird (live)"), db.TrackPosition.SetNull(), db.TrackAlbumID.Set(10))
		if err != nil {
			t.Fatal(err)
		}
		if bird.Title != "The Bird (live)" || bird.Position.Valid || bird.Album.PK() != 10 || bird.Album.Loaded() {
			t.Errorf("the row after Update: %#v", bird)
		}
		stored, err := c.Tracks.Get(ctx, db.TrackID.Eq(103))
		if err != nil {
			t.Fatal(err)
		}
		if stored.Title != "The Bird (live)" || stored.Position.Valid || stored.Album.PK() != 10 || !stored.Explicit {
			t.Errorf("stored after Update: %#v", stored)
		}
		if n, err := c.Tracks.Filter(db.TrackAlbum.Name.Eq("Fantasies")).Count(ctx); err != nil || n != 3 {
			t.Errorf("tracks on Fantasies after the move: %d, %v", n, err)
		}

		// No assignments: every field is written.
		if err := c.Tracks.Update(ctx, bird); err != nil {
			t.Fatal(err)
		}
		if stored, err := c.Tracks.Get(ctx, db.TrackID.Eq(103)); err != nil || stored.Explicit {
			t.Errorf("stored after a whole-row Update: %#v, %v", stored, err)
		}

		// Refused before any SQL, the row in the database unchanged.
		err = c.Tracks.Update(ctx, bird, db.TrackTitle.Set(""))
		var ve *db.ValidationError
		if !errors.As(err, &ve) || ve.Model != "Track" {
			t.Errorf("Update with a blank title: %v", err)
		}
		if err := c.Tracks.Update(ctx, bird, db.TrackID.Set(999)); !errors.Is(err, db.ErrInvalidQuery) {
			t.Errorf("Update of the key: %v", err)
		}
		if stored, err := c.Tracks.Get(ctx, db.TrackID.Eq(103)); err != nil || stored.Title != "The Bird (live)" {
			t.Errorf("stored after the refused updates: %#v, %v", stored, err)
		}
		gone := &db.Track{ID: 999}
		if err := c.Tracks.Update(ctx, gone, db.TrackTitle.Set("x")); !errors.Is(err, db.ErrNotFound) {
			t.Errorf("Update of a missing row: %v", err)
		}
	})
}

// TestGetOrCreateShapes: GetOrCreate creates a row from where's
// equalities and then the defaults, or returns the row that matches
// untouched; UpdateOrCreate applies its values to the row that matches
// or creates one with them; both return the stored row and whether it
// was created.
func TestGetOrCreateShapes(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		ctx := context.Background()
		c := openSeeded(t, url)
		where := db.And(db.TrackTitle.Eq("Lost Demo"), db.TrackAlbumID.Eq(30))
		row, created, err := c.Tracks.GetOrCreate(ctx, where, db.TrackKind.Set(db.TrackKindBonus), db.TrackPosition.Set(9))
		if err != nil {
			t.Fatal(err)
		}
		if !created || row.ID == 0 || row.Title != "Lost Demo" || row.Album.PK() != 30 || row.Kind != db.TrackKindBonus || row.Position != db.Some[int64](9) {
			t.Errorf("GetOrCreate (create): created %v, %#v", created, row)
		}
		stored, err := c.Tracks.Get(ctx, db.TrackID.Eq(row.ID))
		if err != nil || stored.Title != "Lost Demo" || stored.Album.PK() != 30 || stored.Kind != db.TrackKindBonus || stored.Position != db.Some[int64](9) || stored.Explicit {
			t.Errorf("GetOrCreate (create) stored %#v, %v", stored, err)
		}
		again, created, err := c.Tracks.GetOrCreate(ctx, where, db.TrackKind.Set(db.TrackKindSingle))
		if err != nil || created || again.ID != row.ID || again.Kind != db.TrackKindBonus {
			t.Errorf("GetOrCreate (get): created %v, %#v, %v", created, again, err)
		}
		// Through a relation: it matches two rows.
		if _, _, err := c.Tracks.GetOrCreate(ctx, db.TrackAlbum.Name.Eq("Fantasies")); !errors.Is(err, db.ErrMultipleFound) {
			t.Errorf("GetOrCreate matching two rows: %v", err)
		}

		// UpdateOrCreate of a row that exists: the whole stored row.
		sick, created, err := c.Tracks.UpdateOrCreate(ctx, db.TrackTitle.Eq("Sick Muse"), db.TrackExplicit.Set(true), db.TrackSeconds.SetNull())
		if err != nil {
			t.Fatal(err)
		}
		if created || sick.ID != 202 || !sick.Explicit || sick.Seconds.Valid || sick.Album.PK() != 10 || sick.Kind != db.TrackKindSingle {
			t.Errorf("UpdateOrCreate (update): created %v, %#v", created, sick)
		}
		if stored, err := c.Tracks.Get(ctx, db.TrackID.Eq(202)); err != nil || !stored.Explicit || stored.Seconds.Valid || stored.Price != sick.Price {
			t.Errorf("UpdateOrCreate (update) stored %#v, %v", stored, err)
		}
		// And of one that does not: created with the schema's defaults,
		// where's equality and the values.
		fresh, created, err := c.Tracks.UpdateOrCreate(ctx, db.TrackTitle.Eq("Brand New"), db.TrackAlbumID.Set(20), db.TrackPosition.Set(4))
		if err != nil {
			t.Fatal(err)
		}
		if !created || fresh.ID == 0 || fresh.Title != "Brand New" || fresh.Album.PK() != 20 || fresh.Position != db.Some[int64](4) || fresh.Kind != db.TrackKindAlbum {
			t.Errorf("UpdateOrCreate (create): created %v, %#v", created, fresh)
		}
		if n, err := c.AlbumTracks(malibu).Count(ctx); err != nil || n != 4 {
			t.Errorf("Malibu's tracks after UpdateOrCreate: %d, %v", n, err)
		}
		// Refused values are refused before the row is looked for.
		if _, _, err := c.Tracks.UpdateOrCreate(ctx, db.TrackTitle.Eq("Brand New"), db.TrackTitle.Set("")); !errors.As(err, new(*db.ValidationError)) {
			t.Errorf("UpdateOrCreate with a blank title: %v", err)
		}
	})
}
