package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/ormc/ormc/examples/music/db"
	"github.com/ormc/ormc/internal/testdb"
	"github.com/ormc/ormc/runtime"
)

func TestMain(m *testing.M) { testdb.Main(m) }

// TestWalkthrough runs the seed's Album/Track section on every dialect.
func TestWalkthrough(t *testing.T) {
	want, err := os.ReadFile("testdata/walkthrough.txt")
	if err != nil {
		t.Fatal(err)
	}
	testdb.Each(t, func(t *testing.T, url string) {
		var out bytes.Buffer
		if err := run(context.Background(), url, &out); err != nil {
			t.Fatalf("walkthrough: %v\noutput so far:\n%s", err, out.String())
		}
		if !bytes.Equal(out.Bytes(), want) {
			t.Errorf("output differs from testdata/walkthrough.txt:\n%s", out.String())
		}
	})
}

// open returns a client on fresh tables and a counter of the statements
// it sends.
func open(t *testing.T, url string) (*db.Client, *atomic.Int64) {
	t.Helper()
	ctx := context.Background()
	var n atomic.Int64
	client, err := db.Open(ctx, url, runtime.WithHook(func(context.Context, runtime.QueryEvent) { n.Add(1) }))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { client.Close() })
	if err := client.CreateTables(ctx); err != nil {
		t.Fatal(err)
	}
	return client, &n
}

// TestRelations covers relations two levels deep, NULL relations, ordering
// across relations and streaming on every dialect.
func TestRelations(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		ctx := context.Background()
		client, count := open(t, url)
		must := func(err error) {
			t.Helper()
			if err != nil {
				t.Fatal(err)
			}
		}
		beach, err := client.Artists.Create(ctx, &db.Artist{Name: "Beach House"})
		must(err)
		byArtist, err := client.Albums.Create(ctx, &db.Album{Name: "Bloom", Artist: db.ArtistRef(beach)})
		must(err)
		orphan, err := client.Albums.Create(ctx, &db.Album{Name: "anonymous"}) // artist NULL
		must(err)
		for i, a := range []*db.Album{byArtist, orphan, byArtist} {
			_, err := client.Tracks.Create(ctx, &db.Track{Album: db.AlbumRef(a), Title: fmt.Sprintf("t%d", i), Position: int64(3 - i)})
			must(err)
		}

		// Filter two levels deep, typed and seed-style.
		got, err := client.Tracks.Filter(db.TrackAlbum.Artist.Match(db.ArtistName.Eq("Beach House"))).OrderBy(db.TrackTitle.Asc()).All(ctx)
		must(err)
		if titles(got) != "t0,t2" {
			t.Errorf("album.artist.name: %s", titles(got))
		}
		got, err = client.Tracks.Where("album__artist__name__istartswith", "beach").OrderBy(db.TrackTitle.Asc()).All(ctx)
		must(err)
		if titles(got) != "t0,t2" {
			t.Errorf("album__artist__name__istartswith: %s", titles(got))
		}
		// isnull across a nullable relation.
		got, err = client.Tracks.Filter(db.TrackAlbum.ArtistID.IsNull(true)).All(ctx)
		must(err)
		if titles(got) != "t1" {
			t.Errorf("album.artist isnull: %s", titles(got))
		}

		// Ordering across a relation, ties broken by a second key.
		got, err = client.Tracks.OrderBy(db.TrackAlbum.Name.Desc(), db.TrackPosition.Asc()).All(ctx)
		must(err)
		if titles(got) != "t1,t2,t0" { // binary collation: "anonymous" > "Bloom"
			t.Errorf("order by album name desc, position: %s", titles(got))
		}

		// SelectRelated two levels deep: one statement, LEFT JOIN keeps the
		// track whose album has no artist.
		count.Store(0)
		got, err = client.Tracks.SelectRelated(db.TrackAlbum.Artist).OrderBy(db.TrackTitle.Asc()).All(ctx)
		must(err)
		if count.Load() != 1 || len(got) != 3 {
			t.Fatalf("select_related: %d statements, %d rows", count.Load(), len(got))
		}
		for _, tr := range got {
			album, err := tr.Album.Value()
			if err != nil {
				t.Fatalf("%s: album not loaded: %v", tr.Title, err)
			}
			artist, err := album.Artist.Value()
			switch tr.Title {
			case "t1":
				if err != nil || artist != nil || !album.Artist.IsNull() || album.Name != "anonymous" {
					t.Errorf("t1: artist %v, %v", artist, err)
				}
			default:
				if err != nil || artist == nil || artist.Name != "Beach House" || album.Name != "Bloom" {
					t.Errorf("%s: artist %v, %v", tr.Title, artist, err)
				}
			}
		}

		// That derived queries leave stored ones alone is tested by
		// examples/conformance's TestQueriesAreImmutable.

		// Errors from seed-style lookups name the model, segment and choices.
		_, err = client.Tracks.Where("album__nam", "x").All(ctx)
		var le *runtime.LookupError
		if !errors.As(err, &le) || le.Model != "Album" || le.Segment != "nam" || !strings.Contains(strings.Join(le.Choices, ","), "name") {
			t.Errorf("bad lookup: %v", err)
		}

		// Streaming.
		var streamed []string
		for tr, err := range client.Tracks.OrderBy(db.TrackTitle.Asc()).Iter(ctx) {
			must(err)
			streamed = append(streamed, tr.Title)
		}
		if strings.Join(streamed, ",") != "t0,t1,t2" {
			t.Errorf("iter: %v", streamed)
		}
	})
}

// TestThousandTracks: SelectRelated over 1,000 tracks is one statement,
// and a batch load of their albums one more.
func TestThousandTracks(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		ctx := context.Background()
		client, count := open(t, url)
		var albums []*db.Album
		for i := range 10 {
			a, err := client.Albums.Create(ctx, &db.Album{Name: fmt.Sprintf("album %d", i)})
			if err != nil {
				t.Fatal(err)
			}
			albums = append(albums, a)
		}
		err := client.Tx(ctx, func(tx *db.Client) error {
			for i := range 1000 {
				if _, err := tx.Tracks.Create(ctx, &db.Track{Album: db.AlbumRef(albums[i%10]), Title: fmt.Sprint(i), Position: int64(i)}); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}

		count.Store(0)
		tracks, err := client.Tracks.SelectRelated(db.TrackAlbum).All(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(tracks) != 1000 || count.Load() != 1 {
			t.Fatalf("select_related: %d tracks in %d statements", len(tracks), count.Load())
		}
		for _, tr := range tracks {
			if a, err := tr.Album.Value(); err != nil || a.ID != tr.Album.PK() {
				t.Fatalf("track %s: %v %v", tr.Title, a, err)
			}
		}

		tracks, err = client.Tracks.All(ctx)
		if err != nil {
			t.Fatal(err)
		}
		count.Store(0)
		err = client.Albums.Load(ctx, runtime.RefsOf(tracks, func(t *db.Track) runtime.Loadable[*db.Album] { return &t.Album })...)
		if err != nil {
			t.Fatal(err)
		}
		if count.Load() != 1 {
			t.Fatalf("batch load: %d statements", count.Load())
		}
		for _, tr := range tracks {
			if a, err := tr.Album.Value(); err != nil || a.ID != tr.Album.PK() || a.Name == "" {
				t.Fatalf("track %s: %v %v", tr.Title, a, err)
			}
		}
	})
}

func titles(ts []*db.Track) string {
	var s []string
	for _, t := range ts {
		s = append(s, t.Title)
	}
	return strings.Join(s, ",")
}
