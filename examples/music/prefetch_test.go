package main

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/ormc/ormc/examples/music/db"
	"github.com/ormc/ormc/internal/testdb"
)

// TestPrefetch covers eager loading of children (issue 15 item 4) on every
// database: one statement per relation level however many parents,
// nested, filtered and ordered, combined with SelectRelated, and children
// that tell "none" from "not loaded".
func TestPrefetch(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		ctx := context.Background()
		client, count := open(t, url)
		must := func(err error) {
			t.Helper()
			if err != nil {
				t.Fatal(err)
			}
		}
		// 1,000 albums of 10 artists; each album has 2 tracks and 1 review,
		// but the last artist's albums have none.
		var artists []*db.Artist
		for i := range 10 {
			artists = append(artists, &db.Artist{Name: fmt.Sprintf("artist %02d", i)})
		}
		must(client.Artists.BulkCreate(ctx, artists))
		var albums []*db.Album
		for i := range 1000 {
			albums = append(albums, &db.Album{Name: fmt.Sprintf("album %04d", i), Artist: db.ArtistRef(artists[i%10])})
		}
		must(client.Albums.BulkCreate(ctx, albums))
		var tracks []*db.Track
		var reviews []*db.Review
		for i, a := range albums {
			if i%10 == 9 {
				continue
			}
			tracks = append(tracks, &db.Track{Album: db.AlbumRef(a), Title: "b", Position: 2}, &db.Track{Album: db.AlbumRef(a), Title: "a", Position: 1})
			reviews = append(reviews, &db.Review{Album: db.AlbumRef(a), Stars: int64(1 + i%5)})
		}
		must(client.Tracks.BulkCreate(ctx, tracks))
		must(client.Reviews.BulkCreate(ctx, reviews))

		// Artists, their albums, and the albums' tracks: three statements.
		count.Store(0)
		got, err := client.Artists.OrderBy(db.ArtistName.Asc()).Prefetch(
			db.ArtistAlbums.Prefetch(db.AlbumTracks.OrderBy(db.TrackPosition.Asc()).Prefetch()),
		).All(ctx)
		must(err)
		if n := count.Load(); n != 3 {
			t.Errorf("prefetch of artists, albums and tracks ran %d statements, want 3", n)
		}
		if len(got) != 10 {
			t.Fatalf("got %d artists", len(got))
		}
		total := 0
		for i, a := range got {
			as, err := a.Edges.Albums.All()
			must(err)
			if len(as) != 100 {
				t.Errorf("%s has %d albums, want 100", a.Name, len(as))
			}
			for _, al := range as {
				if al.Artist.PK() != a.ID {
					t.Fatalf("album %s of artist %d is under %s", al.Name, al.Artist.PK(), a.Name)
				}
				if back, err := al.Artist.Value(); err != nil || back != a {
					t.Fatalf("album's artist not linked back to the prefetched row: %v %v", back, err)
				}
				ts, err := al.Edges.Tracks.All()
				must(err)
				total += len(ts)
				if i == 9 && len(ts) != 0 {
					t.Errorf("%s should have no tracks, has %d", al.Name, len(ts))
				}
				if i != 9 && (len(ts) != 2 || ts[0].Title != "a" || ts[1].Title != "b") {
					t.Fatalf("%s tracks not as ordered: %v", al.Name, ts)
				}
				// Reviews were not asked for: not loaded, not empty.
				if _, err := al.Edges.Reviews.All(); !errors.Is(err, db.ErrNotLoaded) || al.Edges.Reviews.Loaded() {
					t.Fatalf("reviews not prefetched: %v", err)
				}
			}
		}
		if total != 1800 {
			t.Errorf("prefetched %d tracks, want 1800", total)
		}

		// 1,000 albums with their tracks and reviews, filtered, and the
		// artist by JOIN: three statements.
		count.Store(0)
		all, err := client.Albums.SelectRelated(db.AlbumArtist).Prefetch(
			db.AlbumTracks.Where(db.TrackTitle.Eq("b")).Prefetch(),
			db.AlbumReviews.Where(db.ReviewStars.Gte(4)).Prefetch(),
		).All(ctx)
		must(err)
		if n := count.Load(); n != 3 {
			t.Errorf("prefetch of two relations ran %d statements, want 3", n)
		}
		withReview := 0
		for _, al := range all {
			ts, _ := al.Edges.Tracks.All()
			rs, _ := al.Edges.Reviews.All()
			withReview += len(rs)
			if artist, err := al.Artist.Value(); err != nil || artist == nil {
				t.Fatalf("artist not selected: %v", err)
			}
			if len(ts) > 1 || len(ts) == 1 && ts[0].Title != "b" {
				t.Fatalf("filtered tracks: %v", ts)
			}
		}
		if withReview != 300 {
			t.Errorf("%d reviews of 4 stars or more, want 300", withReview)
		}

		// 1,000 parents with children and grandchildren: three statements
		// (each under MaxParams keys on every database).
		var many []*db.Artist
		for i := range 1000 {
			many = append(many, &db.Artist{Name: fmt.Sprintf("solo %04d", i)})
		}
		must(client.Artists.BulkCreate(ctx, many))
		var solo []*db.Album
		for _, a := range many {
			solo = append(solo, &db.Album{Name: "only " + a.Name, Artist: db.ArtistRef(a)})
		}
		must(client.Albums.BulkCreate(ctx, solo))
		var soloTracks []*db.Track
		for _, al := range solo {
			soloTracks = append(soloTracks, &db.Track{Album: db.AlbumRef(al), Title: "x", Position: 1}, &db.Track{Album: db.AlbumRef(al), Title: "y", Position: 2})
		}
		must(client.Tracks.BulkCreate(ctx, soloTracks))
		count.Store(0)
		thousand, err := client.Artists.Filter(db.ArtistName.StartsWith("solo ")).Prefetch(
			db.ArtistAlbums.Prefetch(db.AlbumTracks.Prefetch()),
		).All(ctx)
		must(err)
		if n := count.Load(); n != 3 {
			t.Errorf("prefetch of 1,000 artists, their albums and tracks ran %d statements, want 3", n)
		}
		grandchildren := 0
		for _, a := range thousand {
			as, err := a.Edges.Albums.All()
			must(err)
			for _, al := range as {
				ts, err := al.Edges.Tracks.All()
				must(err)
				grandchildren += len(ts)
			}
		}
		if len(thousand) != 1000 || grandchildren != 2000 {
			t.Errorf("prefetched %d artists and %d tracks, want 1000 and 2000", len(thousand), grandchildren)
		}

		// Get and First prefetch; Iter refuses.
		one, err := client.Albums.Prefetch(db.AlbumTracks.Prefetch()).Get(ctx, db.AlbumName.Eq("album 0003"))
		must(err)
		if ts, err := one.Edges.Tracks.All(); err != nil || len(ts) != 2 {
			t.Errorf("Get with prefetch: %v %v", ts, err)
		}
		for _, err := range client.Albums.Prefetch(db.AlbumTracks.Prefetch()).Iter(ctx) {
			if !errors.Is(err, db.ErrInvalidQuery) {
				t.Errorf("Iter with prefetch: %v", err)
			}
		}
	})
}
