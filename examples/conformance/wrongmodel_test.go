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

// TestWrongModel: a generated field of another model does not compile
// where a query or a write on Track takes one (see
// TestModelCheckedAtCompileTime). A field built by hand on a column of
// another table, as code for hand-written tables can build one, is still
// refused wherever a query or a write takes it: it fails with
// ErrWrongModel naming both models before any SQL is sent, where it would
// read or write the column at the same position of the query's own table.
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
		// Album's columns, typed as if they were Track's.
		albums := client.Albums.Table()
		col := func(field string) runtime.ColRef { return runtime.Col(albums, albums.Column(field).Index) }
		albumID := runtime.NewOrderedField[*db.Track, int64](col("id"))
		albumName := runtime.NewStringField[*db.Track](col("name"))
		albumArtist := runtime.NewRel[*db.Track, *db.Artist](col("artist").Follow())
		for _, tc := range []struct {
			name, field string // field: how the error names it
			run         func() error
		}{
			{"Filter", "Album.id", func() error { _, err := client.Tracks.Filter(albumID.Eq(20)).All(ctx); return err }},
			{"Filter in an Or", "Album.name", func() error {
				_, err := client.Tracks.Filter(runtime.Or(db.TrackID.Eq(1), albumName.Eq("x"))).Count(ctx)
				return err
			}},
			{"Exclude", "Album.id", func() error { _, err := client.Tracks.Exclude(albumID.Eq(20)).Exists(ctx); return err }},
			{"Get", "Album.id", func() error { _, err := client.Tracks.Get(ctx, albumID.Eq(20)); return err }},
			{"a path from another model", "Album.artist.name", func() error {
				_, err := client.Tracks.Filter(albumArtist.Match(db.ArtistName.Eq("Metric"))).All(ctx)
				return err
			}},
			{"OrderBy", "Album.name", func() error { _, err := client.Tracks.OrderBy(albumName.Asc()).All(ctx); return err }},
			{"SelectRelated", "Album.artist", func() error { _, err := client.Tracks.SelectRelated(albumArtist).All(ctx); return err }},
			{"Update", "Album.name", func() error { return client.Tracks.Update(ctx, row, albumName.Set("x")) }},
			{"UpdateAll", "Album.name", func() error { _, err := client.Tracks.UpdateAll(ctx, albumName.Set("x")); return err }},
			{"DeleteAll", "Album.id", func() error { _, err := client.Tracks.Filter(albumID.Eq(20)).DeleteAll(ctx); return err }},
			{"Upsert", "Album.name", func() error {
				return client.Tracks.Upsert(ctx, row, []runtime.Selector[*db.Track]{db.TrackID}, &albumName)
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
