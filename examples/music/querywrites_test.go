package main

import (
	"context"
	"errors"
	"testing"

	"github.com/ormc/ormc/examples/music/db"
	"github.com/ormc/ormc/internal/testdb"
	"github.com/ormc/ormc/runtime"
)

// TestWritesByQuery: UpdateAll and DeleteAll, filters across relations,
// GetOrCreate, UpdateOrCreate and Upsert, on every dialect.
func TestWritesByQuery(t *testing.T) {
	testdb.EachSharded(t, "db/schema.json", func(t *testing.T, url string) {
		ctx := context.Background()
		client, _ := open(t, url)
		must := func(err error) {
			t.Helper()
			if err != nil {
				t.Fatal(err)
			}
		}
		a1, err := client.Albums.Create(ctx, &db.Album{Name: "one"})
		must(err)
		a2, err := client.Albums.Create(ctx, &db.Album{Name: "two"})
		must(err)
		for i, a := range []*db.Album{a1, a1, a2} {
			_, err := client.Tracks.Create(ctx, &db.Track{Album: db.AlbumRef(a), Title: "t", Position: int64(i)})
			must(err)
		}

		// Update across a relation.
		n, err := client.Tracks.Filter(db.TrackAlbum.Name.Eq("one")).UpdateAll(ctx, db.TrackTitle.Set("renamed"))
		must(err)
		if n != 2 {
			t.Errorf("update all: %d rows", n)
		}
		if c, _ := client.Tracks.Filter(db.TrackTitle.Eq("renamed")).Count(ctx); c != 2 {
			t.Errorf("renamed: %d", c)
		}
		// Values are validated first.
		_, err = client.Tracks.UpdateAll(ctx, db.TrackTitle.Set(""))
		var ve *runtime.ValidationError
		if !errors.As(err, &ve) {
			t.Errorf("update all with a blank title: %v", err)
		}
		// Limited update.
		n, err = client.Tracks.OrderBy(db.TrackPosition.Asc()).Limit(1).UpdateAll(ctx, db.TrackPosition.Set(100))
		must(err)
		if n != 1 {
			t.Errorf("limited update: %d rows", n)
		}
		// Delete across a relation.
		n, err = client.Tracks.Filter(db.TrackAlbum.Name.Eq("two")).DeleteAll(ctx)
		must(err)
		if c, _ := client.Tracks.Count(ctx); n != 1 || c != 2 {
			t.Errorf("delete all: %d deleted, %d left", n, c)
		}

		// GetOrCreate: the row where's equality fills, then the defaults.
		art, created, err := client.Artists.GetOrCreate(ctx, db.ArtistName.Eq("Grouper"), db.ArtistBio.Set("drone"))
		must(err)
		again, created2, err := client.Artists.GetOrCreate(ctx, db.ArtistName.Eq("Grouper"), db.ArtistBio.Set("ignored"))
		must(err)
		if !created || created2 || again.ID != art.ID || art.ID == 0 || again.Bio != "drone" {
			t.Errorf("get or create: %v %v %d %d %q", created, created2, art.ID, again.ID, again.Bio)
		}

		// UpdateOrCreate: the stored row, updated or created.
		row, created, err := client.Artists.UpdateOrCreate(ctx, db.ArtistName.Eq("Grouper"), db.ArtistBio.Set("Liz Harris"))
		must(err)
		if created || row.ID != art.ID || row.Bio != "Liz Harris" || row.Name != "Grouper" {
			t.Errorf("update or create (update): created=%v %#v", created, row)
		}
		if got, _ := client.Artists.Get(ctx, db.ArtistID.Eq(art.ID)); got == nil || got.Bio != "Liz Harris" {
			t.Errorf("update or create (update) stored %#v", got)
		}
		fresh, created, err := client.Artists.UpdateOrCreate(ctx, db.ArtistName.Eq("Tirzah"))
		must(err)
		if !created || fresh.ID == 0 || fresh.Name != "Tirzah" {
			t.Errorf("update or create (create): created=%v %#v", created, fresh)
		}

		// Upsert on the unique name: an update that reports the row's key,
		// then an insert.
		up := &db.Artist{Name: "Grouper", Bio: "upserted"}
		must(client.Artists.Upsert(ctx, up, []runtime.Selector[*db.Artist]{db.ArtistName}))
		got, err := client.Artists.Get(ctx, db.ArtistName.Eq("Grouper"))
		must(err)
		if up.ID != art.ID || got.Bio != "upserted" {
			t.Errorf("upsert update: key %d want %d, bio %q", up.ID, art.ID, got.Bio)
		}
		newRow := &db.Artist{Name: "Broadcast"}
		must(client.Artists.Upsert(ctx, newRow, []runtime.Selector[*db.Artist]{db.ArtistName}))
		if newRow.ID == 0 || newRow.ID == art.ID {
			t.Errorf("upsert insert: key %d", newRow.ID)
		}
		if c, _ := client.Artists.Count(ctx); c != 3 {
			t.Errorf("artists: %d", c)
		}
	})
}

// TestUpsertConflictTarget: Upsert honours its conflict target on every
// database. An explicit key that collides on the target's row is ignored
// for the stored one, which the row is given; a row that collides only on
// another unique key (here the primary key) is refused, as PostgreSQL and
// SQLite refuse it, where MySQL's ON DUPLICATE KEY UPDATE would update
// that other row.
func TestUpsertConflictTarget(t *testing.T) {
	testdb.EachSharded(t, "db/schema.json", func(t *testing.T, url string) {
		ctx := context.Background()
		client, _ := open(t, url)
		grouper, err := client.Artists.Create(ctx, &db.Artist{Name: "Grouper"})
		if err != nil {
			t.Fatal(err)
		}
		low, err := client.Artists.Create(ctx, &db.Artist{Name: "Low"})
		if err != nil {
			t.Fatal(err)
		}

		// An explicit key, conflicting on the name.
		row := &db.Artist{ID: grouper.ID + low.ID + 1000, Name: "Grouper", Bio: "by name"}
		if err := client.Artists.Upsert(ctx, row, []runtime.Selector[*db.Artist]{db.ArtistName}); err != nil {
			t.Fatal(err)
		}
		if row.ID != grouper.ID {
			t.Errorf("upserted row has key %d, the stored row %d", row.ID, grouper.ID)
		}
		if got, _ := client.Artists.Get(ctx, db.ArtistName.Eq("Grouper")); got == nil || got.ID != grouper.ID || got.Bio != "by name" {
			t.Errorf("stored row: %+v", got)
		}

		// Low's key with a new name: no row has the name, and the key is
		// taken.
		err = client.Artists.Upsert(ctx, &db.Artist{ID: low.ID, Name: "Slowdive", Bio: "x"}, []runtime.Selector[*db.Artist]{db.ArtistName})
		var ce *runtime.ConstraintError
		if !errors.As(err, &ce) || ce.Kind != runtime.UniqueViolation || ce.Constraint != "artist_pkey" || ce.Model != "Artist" {
			t.Errorf("upsert colliding on the key only: %v", err)
		}
		if got, _ := client.Artists.Get(ctx, db.ArtistID.Eq(low.ID)); got == nil || got.Name != "Low" || got.Bio != "" {
			t.Errorf("the row holding the key changed: %+v", got)
		}
		if n, _ := client.Artists.Count(ctx); n != 2 {
			t.Errorf("%d artists, want 2", n)
		}

		// Named update fields: only those change.
		row = &db.Artist{Name: "Low", Bio: "named"}
		if err := client.Artists.Upsert(ctx, row, []runtime.Selector[*db.Artist]{db.ArtistName}, db.ArtistBio); err != nil {
			t.Fatal(err)
		}
		if row.ID != low.ID {
			t.Errorf("key %d, want %d", row.ID, low.ID)
		}

		// A new name is inserted, and the row gets the key the database
		// gave it; upserted again unchanged, it gets the same key (MySQL
		// reports no insert id for an update that changes nothing, unless
		// asked for it).
		row = &db.Artist{Name: "Slowdive", Bio: "new"}
		if err := client.Artists.Upsert(ctx, row, []runtime.Selector[*db.Artist]{db.ArtistName}); err != nil {
			t.Fatal(err)
		}
		got, err := client.Artists.Get(ctx, db.ArtistName.Eq("Slowdive"))
		if err != nil || row.ID == 0 || row.ID != got.ID {
			t.Errorf("inserted: key %d, stored row %+v, %v", row.ID, got, err)
		}
		again := &db.Artist{Name: "Slowdive", Bio: "new"}
		if err := client.Artists.Upsert(ctx, again, []runtime.Selector[*db.Artist]{db.ArtistName}); err != nil {
			t.Fatal(err)
		}
		if again.ID != row.ID {
			t.Errorf("upserted unchanged: key %d, want %d", again.ID, row.ID)
		}
		if n, _ := client.Artists.Count(ctx); n != 3 {
			t.Errorf("%d artists, want 3", n)
		}
	})
}
