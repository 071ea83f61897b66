package main

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/ormc/ormc/examples/music/db"
	"github.com/ormc/ormc/internal/testdb"
	"github.com/ormc/ormc/runtime"
)

// TestRelationKeys: a relation's key, reached as TrackAlbumID or as the
// target's key through the relation (TrackAlbum.ID), is the referring
// column and costs no JOIN; the keys of the target's own relations cost
// the JOIN to the target only. Each gives the same rows as the JOIN would.
func TestRelationKeys(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		ctx := context.Background()
		var mu sync.Mutex
		var last string
		client, err := db.Open(ctx, url, runtime.WithHook(func(_ context.Context, ev runtime.QueryEvent) {
			mu.Lock()
			last = ev.SQL
			mu.Unlock()
		}))
		if err != nil {
			t.Fatal(err)
		}
		defer client.Close()
		if err := client.CreateTables(ctx); err != nil {
			t.Fatal(err)
		}
		defer client.DropTables(context.WithoutCancel(ctx))
		air, err := client.Artists.Create(ctx, &db.Artist{Name: "Air"})
		if err != nil {
			t.Fatal(err)
		}
		moon, err := client.Albums.Create(ctx, &db.Album{Name: "Moon Safari", Artist: db.ArtistRef(air)})
		if err != nil {
			t.Fatal(err)
		}
		lone, err := client.Albums.Create(ctx, &db.Album{Name: "Lone"})
		if err != nil {
			t.Fatal(err)
		}
		for _, tr := range []*db.Track{
			{Album: db.AlbumRef(moon), Title: "La femme d'argent", Position: 1},
			{Album: db.AlbumRef(lone), Title: "Alone", Position: 1},
		} {
			if _, err := client.Tracks.Create(ctx, tr); err != nil {
				t.Fatal(err)
			}
		}
		for _, tc := range []struct {
			name  string
			q     *runtime.Query[*db.Track]
			joins int
			want  string
		}{
			{"key field", client.Tracks.Filter(db.TrackAlbumID.Eq(moon.ID)), 0, "La femme d'argent"},
			{"target's key", client.Tracks.Filter(db.TrackAlbum.ID.Eq(moon.ID)), 0, "La femme d'argent"},
			{"target's key, ordered", client.Tracks.OrderBy(db.TrackAlbum.ID.Desc()), 0, "Alone|La femme d'argent"},
			{"key of the target's relation", client.Tracks.Filter(db.TrackAlbum.ArtistID.IsNull(true)), 1, "Alone"},
			{"key two steps away", client.Tracks.Filter(db.TrackAlbum.Artist.Match(db.ArtistID.Eq(air.ID))), 1, "La femme d'argent"},
			{"a field of the target", client.Tracks.Filter(db.TrackAlbum.Artist.Match(db.ArtistName.Eq("Air"))), 2, "La femme d'argent"},
		} {
			rows, err := tc.q.All(ctx)
			if err != nil {
				t.Fatalf("%s: %v", tc.name, err)
			}
			var got []string
			for _, r := range rows {
				got = append(got, r.Title)
			}
			mu.Lock()
			sql := last
			mu.Unlock()
			if strings.Join(got, "|") != tc.want {
				t.Errorf("%s: got %q, want %q", tc.name, got, tc.want)
			}
			if n := strings.Count(sql, " JOIN "); n != tc.joins {
				t.Errorf("%s: %d JOINs, want %d: %s", tc.name, n, tc.joins, sql)
			}
		}
	})
}
