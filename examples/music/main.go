// Command music runs the Album/Track walkthrough of encode/orm's README
// with the client ormc generates from ../music.orm: sparse foreign keys,
// explicit loading, select_related, filters across relations and limit.
//
//	go run ./music                       # a fresh SQLite file
//	go run ./music -db mysql://root@127.0.0.1:3306/test
package main

//go:generate go run github.com/ormc/ormc/cmd/ormc build -o db ../music.orm

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/ormc/ormc/examples/music/db"
)

func main() {
	url := flag.String("db", "", "database URL (default: a new SQLite file in a temporary directory)")
	flag.Parse()
	if *url == "" {
		dir, err := os.MkdirTemp("", "ormc-music-")
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		defer os.RemoveAll(dir)
		*url = "sqlite:///" + filepath.Join(dir, "db.sqlite")
	}
	if err := run(context.Background(), *url, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "music:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, url string, w io.Writer, opts ...db.Option) (err error) {
	client, err := db.Open(ctx, url, opts...)
	if err != nil {
		return err
	}
	defer client.Close()
	if err := client.CreateTables(ctx); err != nil {
		return err
	}
	defer func() {
		if derr := client.DropTables(context.WithoutCancel(ctx)); err == nil {
			err = derr
		}
	}()
	return walkthrough(ctx, client, w)
}

func walkthrough(ctx context.Context, client *db.Client, w io.Writer) error {
	step := func(s string) { fmt.Fprintf(w, "\n# %s\n", s) }
	check := func(ok bool, format string, args ...any) error {
		if !ok {
			return fmt.Errorf(format, args...)
		}
		return nil
	}

	step("Create some records to work with")
	malibu, err := client.Albums.Create(ctx, &db.Album{Name: "Malibu"})
	if err != nil {
		return err
	}
	for i, title := range []string{"The Bird", "Heart don't stand a chance", "The Waters"} {
		if _, err := client.Tracks.Create(ctx, &db.Track{Album: db.AlbumRef(malibu), Title: title, Position: int64(i + 1)}); err != nil {
			return err
		}
	}
	fantasies, err := client.Albums.Create(ctx, &db.Album{Name: "Fantasies"})
	if err != nil {
		return err
	}
	for i, title := range []string{"Help I'm Alive", "Sick Muse"} {
		if _, err := client.Tracks.Create(ctx, &db.Track{Album: db.AlbumRef(fantasies), Title: title, Position: int64(i + 1)}); err != nil {
			return err
		}
	}
	fmt.Fprintln(w, "  2 albums, 5 tracks")

	step(`Get(TrackTitle.Eq("The Bird")): the album is sparse`)
	track, err := client.Tracks.Get(ctx, db.TrackTitle.Eq("The Bird"))
	if err != nil {
		return err
	}
	_, err = track.Album.Value()
	fmt.Fprintf(w, "  track.Album.PK() == malibu.ID: %v\n", track.Album.PK() == malibu.ID)
	fmt.Fprintf(w, "  track.Album.Loaded(): %v\n", track.Album.Loaded())
	fmt.Fprintf(w, "  errors.Is(err, db.ErrNotLoaded): %v\n", errors.Is(err, db.ErrNotLoaded))
	if err := check(track.Album.PK() == malibu.ID && errors.Is(err, db.ErrNotLoaded), "sparse album: %v", err); err != nil {
		return err
	}

	step("Albums.Load(ctx, &track.Album)")
	if err := client.Albums.Load(ctx, &track.Album); err != nil {
		return err
	}
	album, err := track.Album.Value()
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "  track.Album: %q\n", album.Name)
	if err := check(album.Name == "Malibu", "loaded album %q", album.Name); err != nil {
		return err
	}

	step(`SelectRelated(TrackAlbum).Get(TrackTitle.Eq("The Bird"))`)
	track, err = client.Tracks.SelectRelated(db.TrackAlbum).Get(ctx, db.TrackTitle.Eq("The Bird"))
	if err != nil {
		return err
	}
	album, err = track.Album.Value()
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "  track.Album: %q\n", album.Name)
	if err := check(album.Name == "Malibu", "select_related album %q", album.Name); err != nil {
		return err
	}

	step(`Filter(TrackAlbum.Name.Eq("Fantasies"))`)
	tracks, err := client.Tracks.Filter(db.TrackAlbum.Name.Eq("Fantasies")).OrderBy(db.TrackPosition.Asc()).All(ctx)
	if err != nil {
		return err
	}
	for _, t := range tracks {
		fmt.Fprintf(w, "  %d. %s\n", t.Position, t.Title)
	}
	if err := check(len(tracks) == 2, "album__name: %d tracks", len(tracks)); err != nil {
		return err
	}

	step(`Filter(TrackAlbum.Name.IExact("fantasies")) and Where("album__name__iexact", "fantasies")`)
	n1, err := client.Tracks.Filter(db.TrackAlbum.Name.IExact("fantasies")).Count(ctx)
	if err != nil {
		return err
	}
	n2, err := client.Tracks.Where("album__name__iexact", "fantasies").Count(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "  %d and %d tracks\n", n1, n2)
	if err := check(n1 == 2 && n2 == 2, "album__name__iexact: %d, %d", n1, n2); err != nil {
		return err
	}

	step(`Update(malibu, AlbumArtist.Set(paak)), then Filter(TrackAlbum.Artist.Match(ArtistName.Eq("Anderson .Paak")))`)
	paak, err := client.Artists.Create(ctx, &db.Artist{Name: "Anderson .Paak"})
	if err != nil {
		return err
	}
	if err := client.Albums.Update(ctx, malibu, db.AlbumArtist.Set(paak)); err != nil {
		return err
	}
	tracks, err = client.Tracks.Filter(db.TrackAlbum.Artist.Match(db.ArtistName.Eq("Anderson .Paak"))).OrderBy(db.TrackPosition.Asc()).All(ctx)
	if err != nil {
		return err
	}
	for _, t := range tracks {
		fmt.Fprintf(w, "  %d. %s\n", t.Position, t.Title)
	}
	if err := check(len(tracks) == 3 && !malibu.Artist.IsNull() && malibu.Artist.PK() == paak.ID, "album__artist__name: %d tracks, malibu's artist %v", len(tracks), malibu.Artist.PK()); err != nil {
		return err
	}

	step("Limit(1).All()")
	tracks, err = client.Tracks.Limit(1).All(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "  %d track\n", len(tracks))
	if err := check(len(tracks) == 1, "limit: %d tracks", len(tracks)); err != nil {
		return err
	}

	step("AlbumTracks(malibu): the reverse side, as a query")
	n, err := client.AlbumTracks(malibu).Count(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "  %d tracks on Malibu\n", n)
	if err := check(n == 3, "reverse: %d tracks", n); err != nil {
		return err
	}

	step(`AlbumTags(malibu).Add(soul, funk), then Filter(AlbumTags.Any(TagName.Eq("funk"))) and Prefetch(AlbumTags.Prefetch())`)
	var tags []*db.Tag
	for _, name := range []string{"soul", "funk"} {
		tag, err := client.Tags.Create(ctx, &db.Tag{Name: name})
		if err != nil {
			return err
		}
		tags = append(tags, tag)
	}
	if err := client.AlbumTags(malibu).Add(ctx, tags...); err != nil {
		return err
	}
	albums, err := client.Albums.Filter(db.AlbumTags.Any(db.TagName.Eq("funk"))).All(ctx)
	if err != nil {
		return err
	}
	for _, a := range albums {
		fmt.Fprintf(w, "  tagged funk: %s\n", a.Name)
	}
	albums, err = client.Albums.OrderBy(db.AlbumName.Asc()).Prefetch(db.AlbumTags.OrderBy(db.TagName.Asc()).Prefetch()).All(ctx)
	if err != nil {
		return err
	}
	for _, a := range albums {
		ts, err := a.Edges.Tags.All()
		if err != nil {
			return err
		}
		var names []string
		for _, t := range ts {
			names = append(names, t.Name)
		}
		fmt.Fprintf(w, "  %s: [%s]\n", a.Name, strings.Join(names, " "))
	}
	return check(len(albums) == 2, "prefetch: %d albums", len(albums))
}
