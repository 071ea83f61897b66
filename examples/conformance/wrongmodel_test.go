package conformance

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/ormc/ormc/examples/conformance/db"
	"github.com/ormc/ormc/internal/testdb"
	"github.com/ormc/ormc/runtime"
)

// TestWrongModel: a typed field of another model, wherever a query or a
// write takes one, fails with ErrWrongModel naming both models before
// any SQL is sent, where it used to read or write the column at the same
// position of the query's own table.
func TestWrongModel(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		ctx := context.Background()
		var sent []string
		client, err := db.Open(ctx, url, runtime.WithHook(func(_ context.Context, ev runtime.QueryEvent) { sent = append(sent, ev.SQL) }))
		if err != nil {
			t.Fatal(err)
		}
		defer client.Close()
		seed(t, ctx, client)
		sent = nil
		row := new(*trackRows[0])
		for _, tc := range []struct {
			name, field string // field: how the error names it
			run         func() error
		}{
			{"Filter", "Album.id", func() error { _, err := client.Tracks.Filter(db.AlbumID.Eq(20)).All(ctx); return err }},
			{"Filter in an Or", "Album.name", func() error {
				_, err := client.Tracks.Filter(runtime.Or(db.TrackID.Eq(1), db.AlbumName.Eq("x"))).Count(ctx)
				return err
			}},
			{"Exclude", "Album.id", func() error { _, err := client.Tracks.Exclude(db.AlbumID.Eq(20)).Exists(ctx); return err }},
			{"Get", "Album.id", func() error { _, err := client.Tracks.Get(ctx, db.AlbumID.Eq(20)); return err }},
			{"a path from another model", "Album.artist.name", func() error {
				_, err := client.Tracks.Filter(db.AlbumArtist.Name.Eq("Metric")).All(ctx)
				return err
			}},
			{"OrderBy", "Album.name", func() error { _, err := client.Tracks.OrderBy(db.AlbumName.Asc()).All(ctx); return err }},
			{"SelectRelated", "Album.artist", func() error { _, err := client.Tracks.SelectRelated(db.AlbumArtist).All(ctx); return err }},
			{"Update", "Album.name", func() error { return client.Tracks.Update(ctx, row, db.AlbumName) }},
			{"UpdateAll", "Album.name", func() error { _, err := client.Tracks.UpdateAll(ctx, db.AlbumName.Set("x")); return err }},
			{"DeleteAll", "Album.id", func() error { _, err := client.Tracks.Filter(db.AlbumID.Eq(20)).DeleteAll(ctx); return err }},
			{"Upsert", "Album.name", func() error {
				return client.Tracks.Upsert(ctx, row, []runtime.Selector{db.TrackID}, db.AlbumName)
			}},
		} {
			err := tc.run()
			if !errors.Is(err, runtime.ErrWrongModel) {
				t.Errorf("%s: want ErrWrongModel, got %v", tc.name, err)
				continue
			}
			if msg := err.Error(); !strings.Contains(msg, tc.field) || !strings.Contains(msg, "query on Track") {
				t.Errorf("%s: %q should name %s and Track", tc.name, msg, tc.field)
			}
		}
		if len(sent) > 0 {
			t.Errorf("statements sent: %q", sent)
		}
		// The right fields still work, through the relation.
		if n, err := client.Tracks.Filter(db.TrackAlbum.ID.Eq(20)).Count(ctx); err != nil || n != 3 {
			t.Errorf("TrackAlbum.ID: %d, %v", n, err)
		}
		// A write through a relation is refused: only the model's own fields.
		_, err = client.Tracks.UpdateAll(ctx, db.TrackAlbum.Name.Set("x"))
		if !errors.Is(err, runtime.ErrInvalidQuery) {
			t.Errorf("UpdateAll through a relation: %v", err)
		}
	})
}
