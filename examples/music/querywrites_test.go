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
	testdb.Each(t, func(t *testing.T, url string) {
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

		// GetOrCreate.
		art, created, err := client.Artists.GetOrCreate(ctx, &db.Artist{Name: "Grouper"}, db.ArtistName.Eq("Grouper"))
		must(err)
		again, created2, err := client.Artists.GetOrCreate(ctx, &db.Artist{Name: "Grouper"}, db.ArtistName.Eq("Grouper"))
		must(err)
		if !created || created2 || again.ID != art.ID {
			t.Errorf("get or create: %v %v %d %d", created, created2, art.ID, again.ID)
		}

		// UpdateOrCreate.
		row := &db.Artist{Name: "Grouper", Bio: "Liz Harris"}
		created, err = client.Artists.UpdateOrCreate(ctx, row, []runtime.Pred{db.ArtistName.Eq("Grouper")}, db.ArtistBio)
		must(err)
		if created || row.ID != art.ID {
			t.Errorf("update or create (update): created=%v id=%d", created, row.ID)
		}
		fresh := &db.Artist{Name: "Tirzah"}
		created, err = client.Artists.UpdateOrCreate(ctx, fresh, []runtime.Pred{db.ArtistName.Eq("Tirzah")})
		must(err)
		if !created || fresh.ID == 0 {
			t.Errorf("update or create (create): created=%v id=%d", created, fresh.ID)
		}

		// Upsert on the unique name: an update that reports the row's key,
		// then an insert.
		up := &db.Artist{Name: "Grouper", Bio: "upserted"}
		must(client.Artists.Upsert(ctx, up, []runtime.Selector{db.ArtistName}))
		got, err := client.Artists.Get(ctx, db.ArtistName.Eq("Grouper"))
		must(err)
		if up.ID != art.ID || got.Bio != "upserted" {
			t.Errorf("upsert update: key %d want %d, bio %q", up.ID, art.ID, got.Bio)
		}
		newRow := &db.Artist{Name: "Broadcast"}
		must(client.Artists.Upsert(ctx, newRow, []runtime.Selector{db.ArtistName}))
		if newRow.ID == 0 || newRow.ID == art.ID {
			t.Errorf("upsert insert: key %d", newRow.ID)
		}
		if c, _ := client.Artists.Count(ctx); c != 3 {
			t.Errorf("artists: %d", c)
		}
	})
}
