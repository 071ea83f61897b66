package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/ormc/ormc/examples/music/db"
	"github.com/ormc/ormc/internal/testdb"
	"github.com/ormc/ormc/runtime"
	"github.com/ormc/ormc/runtime/dialect"
)

// names lists the names of tags or playlists, in order.
func names[R interface{ *db.Tag | *db.Playlist }](rows []R) string {
	var s []string
	for _, r := range rows {
		switch r := any(r).(type) {
		case *db.Tag:
			s = append(s, r.Name)
		case *db.Playlist:
			s = append(s, r.Name)
		}
	}
	return strings.Join(s, ",")
}

// TestPlaylists is issue 15's acceptance: the seed's music schema extended
// with playlists, a many-to-many relation of playlists and tracks through
// a model with each track's position, end to end on every database.
func TestPlaylists(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		ctx := context.Background()
		client, count := open(t, url)
		must := func(err error) {
			t.Helper()
			if err != nil {
				t.Fatal(err)
			}
		}
		if err := client.CheckSchema(ctx); err != nil {
			t.Fatalf("CheckSchema: %v", err)
		}
		malibu, err := client.Albums.Create(ctx, &db.Album{Name: "Malibu"})
		must(err)
		var tr []*db.Track
		for i, title := range []string{"The Bird", "Heart don't stand a chance", "The Waters", "The Season"} {
			row, err := client.Tracks.Create(ctx, &db.Track{Album: db.AlbumRef(malibu), Title: title, Position: int64(i + 1)})
			must(err)
			tr = append(tr, row)
		}
		road, err := client.Playlists.Create(ctx, &db.Playlist{Name: "Road"})
		must(err)
		calm, err := client.Playlists.Create(ctx, &db.Playlist{Name: "Calm"})
		must(err)
		empty, err := client.Playlists.Create(ctx, &db.Playlist{Name: "Empty"})
		must(err)
		// Road plays the Waters, the Bird, the Season; Calm the Bird only.
		must(client.PlaylistEntries.BulkCreate(ctx, []*db.PlaylistEntry{
			{Playlist: db.PlaylistRef(road), Track: db.TrackRef(tr[2]), Position: 1},
			{Playlist: db.PlaylistRef(road), Track: db.TrackRef(tr[0]), Position: 2},
			{Playlist: db.PlaylistRef(road), Track: db.TrackRef(tr[3]), Position: 3},
			{Playlist: db.PlaylistRef(calm), Track: db.TrackRef(tr[0]), Position: 1},
		}))

		// A playlist's tracks, in its order: the entries with their tracks.
		items, err := client.PlaylistItems(road).OrderBy(db.PlaylistEntryPosition.Asc()).SelectRelated(db.PlaylistEntryTrack).All(ctx)
		must(err)
		var inOrder []*db.Track
		for _, it := range items {
			row, err := it.Track.Value()
			must(err)
			inOrder = append(inOrder, row)
		}
		if got := titles(inOrder); got != "The Waters,The Bird,The Season" {
			t.Errorf("Road in order: %s", got)
		}
		// The relation itself queries the tracks, in any order of theirs.
		got, err := client.PlaylistTracks(road).OrderBy(db.TrackTitle.Asc()).All(ctx)
		must(err)
		if titles(got) != "The Bird,The Season,The Waters" {
			t.Errorf("Road's tracks by title: %s", titles(got))
		}
		if n, err := client.PlaylistTracks(empty).Count(ctx); err != nil || n != 0 {
			t.Errorf("Empty's tracks: %d %v", n, err)
		}
		// And from the other side.
		pls, err := client.TrackPlaylists(tr[0]).OrderBy(db.PlaylistName.Asc()).All(ctx)
		must(err)
		if names(pls) != "Calm,Road" {
			t.Errorf("the Bird's playlists: %s", names(pls))
		}

		// Filters across the relation: each playlist once, however many
		// of its tracks match.
		pls, err = client.Playlists.Filter(db.PlaylistTracks.Any(db.TrackTitle.StartsWith("The"))).OrderBy(db.PlaylistName.Asc()).All(ctx)
		must(err)
		if names(pls) != "Calm,Road" {
			t.Errorf("Any(title starts with The): %s", names(pls))
		}
		pls, err = client.Playlists.Where("tracks__title__icontains", "the").OrderBy(db.PlaylistName.Asc()).All(ctx)
		must(err)
		if names(pls) != "Calm,Road" {
			t.Errorf("tracks__title__icontains: %s", names(pls))
		}
		pls, err = client.Playlists.Filter(db.PlaylistTracks.None()).All(ctx)
		must(err)
		if names(pls) != "Empty" {
			t.Errorf("None(): %s", names(pls))
		}
		pls, err = client.Playlists.Filter(db.PlaylistTracks.All(db.TrackTitle.Eq("The Bird"))).OrderBy(db.PlaylistName.Asc()).All(ctx)
		must(err)
		if names(pls) != "Calm,Empty" {
			t.Errorf("All(title = The Bird): %s", names(pls))
		}
		tracks, err := client.Tracks.Filter(db.TrackPlaylists.Any(db.PlaylistName.Eq("Road")), db.Not(db.TrackPlaylists.Any(db.PlaylistName.Eq("Calm")))).OrderBy(db.TrackPosition.Asc()).All(ctx)
		must(err)
		if titles(tracks) != "The Waters,The Season" {
			t.Errorf("on Road, not on Calm: %s", titles(tracks))
		}
		if n, err := client.Tracks.Where("playlists__isnull", true).Count(ctx); err != nil || n != 1 {
			t.Errorf("tracks on no playlist: %d %v", n, err)
		}

		// Prefetch: playlists with their tracks, in playlist order through
		// the entries, and with the tracks themselves: two statements each.
		count.Store(0)
		pls, err = client.Playlists.OrderBy(db.PlaylistName.Asc()).Prefetch(
			db.PlaylistItems.OrderBy(db.PlaylistEntryPosition.Asc()).SelectRelated(db.PlaylistEntryTrack).Prefetch(),
			db.PlaylistTracks.OrderBy(db.TrackTitle.Desc()).Prefetch(),
		).All(ctx)
		must(err)
		if n := count.Load(); n != 3 {
			t.Errorf("prefetch of two relations ran %d statements, want 3", n)
		}
		want := map[string][2]string{
			"Calm":  {"The Bird", "The Bird"},
			"Empty": {"", ""},
			"Road":  {"The Waters,The Bird,The Season", "The Waters,The Season,The Bird"},
		}
		for _, p := range pls {
			its, err := p.Edges.Items.All()
			must(err)
			var byPos []*db.Track
			for _, it := range its {
				row, err := it.Track.Value()
				must(err)
				byPos = append(byPos, row)
			}
			ts, err := p.Edges.Tracks.All()
			must(err)
			if w := want[p.Name]; titles(byPos) != w[0] || titles(ts) != w[1] {
				t.Errorf("%s prefetched: %s / %s, want %s / %s", p.Name, titles(byPos), titles(ts), w[0], w[1])
			}
		}

		// Linking through a model with a position of its own: Add cannot
		// know the position, so it refuses before any SQL; Remove and
		// Clear delete entries.
		err = client.PlaylistTracks(empty).Add(ctx, tr[1])
		if !errors.Is(err, runtime.ErrInvalidQuery) || !strings.Contains(err.Error(), "position") {
			t.Errorf("Add through PlaylistEntry: %v, want ErrInvalidQuery naming position", err)
		}
		must(client.PlaylistTracks(road).Remove(ctx, tr[0], tr[1]))
		got, err = client.PlaylistTracks(road).OrderBy(db.TrackTitle.Asc()).All(ctx)
		must(err)
		if titles(got) != "The Season,The Waters" {
			t.Errorf("Road after Remove: %s", titles(got))
		}
		must(client.PlaylistTracks(calm).Clear(ctx))
		if n, err := client.PlaylistEntries.Count(ctx); err != nil || n != 2 {
			t.Errorf("entries after Remove and Clear: %d %v", n, err)
		}
		// Deleting a track deletes its entries (on_delete: cascade).
		must(client.Tracks.Delete(ctx, tr[2]))
		got, err = client.PlaylistTracks(road).All(ctx)
		must(err)
		if titles(got) != "The Season" {
			t.Errorf("Road after deleting the Waters: %s", titles(got))
		}
	})
}

// TestTags: a many-to-many relation with the join table ormc declares
// (album_tags), linked and unlinked by the client on every database.
func TestTags(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		ctx := context.Background()
		client, count := open(t, url)
		must := func(err error) {
			t.Helper()
			if err != nil {
				t.Fatal(err)
			}
		}
		var tags []*db.Tag
		for _, n := range []string{"funk", "soul", "jazz", "indie"} {
			tag, err := client.Tags.Create(ctx, &db.Tag{Name: n})
			must(err)
			tags = append(tags, tag)
		}
		funk, soul, jazz, indie := tags[0], tags[1], tags[2], tags[3]
		malibu, err := client.Albums.Create(ctx, &db.Album{Name: "Malibu"})
		must(err)
		venice, err := client.Albums.Create(ctx, &db.Album{Name: "Venice"})
		must(err)
		plain, err := client.Albums.Create(ctx, &db.Album{Name: "Plain"})
		must(err)
		albums := func(q interface {
			All(context.Context) ([]*db.Album, error)
		}) string {
			t.Helper()
			rows, err := q.All(ctx)
			must(err)
			var s []string
			for _, a := range rows {
				s = append(s, a.Name)
			}
			return strings.Join(s, ",")
		}
		tagNames := func(a *db.Album) string {
			t.Helper()
			rows, err := client.AlbumTags(a).OrderBy(db.TagName.Asc()).All(ctx)
			must(err)
			return names(rows)
		}

		// Add links each row once: again, or twice in one call, is one link.
		must(client.AlbumTags(malibu).Add(ctx, funk, soul, funk))
		must(client.AlbumTags(malibu).Add(ctx, soul))
		must(client.TagAlbums(jazz).Add(ctx, venice, malibu)) // from the other side
		if got := tagNames(malibu); got != "funk,jazz,soul" {
			t.Errorf("Malibu's tags: %s", got)
		}
		if n, err := client.AlbumTagsLinks.Count(ctx); err != nil || n != 4 {
			t.Errorf("links: %d %v, want 4", n, err)
		}
		// Set keeps the links it is given, adds the missing, drops the rest.
		must(client.AlbumTags(venice).Set(ctx, indie, jazz))
		if got := tagNames(venice); got != "indie,jazz" {
			t.Errorf("Venice's tags after Set: %s", got)
		}
		must(client.AlbumTags(venice).Set(ctx, indie))
		if got := tagNames(venice); got != "indie" {
			t.Errorf("Venice's tags after second Set: %s", got)
		}

		// Filters: Malibu matches with three tags and comes back once.
		if got := albums(client.Albums.Filter(db.AlbumTags.Any(db.TagName.In("funk", "soul", "jazz"))).OrderBy(db.AlbumName.Asc())); got != "Malibu" {
			t.Errorf("Any(tag in funk, soul, jazz): %s", got)
		}
		if got := albums(client.Albums.Where("tags__name__iexact", "INDIE")); got != "Venice" {
			t.Errorf("tags__name__iexact: %s", got)
		}
		if got := albums(client.Albums.Filter(db.AlbumTags.None()).OrderBy(db.AlbumName.Asc())); got != "Plain" {
			t.Errorf("None(): %s", got)
		}
		if got := albums(client.Albums.Filter(db.Or(db.AlbumTags.Any(db.TagName.Eq("indie")), db.AlbumName.Eq("Plain"))).OrderBy(db.AlbumName.Asc())); got != "Plain,Venice" {
			t.Errorf("Or(Any(indie), Plain): %s", got)
		}
		if got := albums(client.Albums.Exclude(db.AlbumTags.Any(db.TagName.Eq("funk"))).OrderBy(db.AlbumName.Asc())); got != "Plain,Venice" {
			t.Errorf("Exclude(Any(funk)): %s", got)
		}
		// The linked rows' own filters, with the relation's.
		if n, err := client.AlbumTags(malibu).Filter(db.TagName.Gt("g")).Count(ctx); err != nil || n != 2 {
			t.Errorf("Malibu's tags after g: %d %v", n, err)
		}
		if n, err := client.Tags.Where("albums__name", "Malibu").Count(ctx); err != nil || n != 3 {
			t.Errorf("albums__name = Malibu: %d %v", n, err)
		}

		// Prefetch from both sides, nested: two statements per level.
		count.Store(0)
		rows, err := client.Albums.OrderBy(db.AlbumName.Asc()).Prefetch(
			db.AlbumTags.OrderBy(db.TagName.Desc()).Prefetch(db.TagAlbums.Prefetch()),
		).All(ctx)
		must(err)
		if n := count.Load(); n != 3 {
			t.Errorf("albums, their tags and the tags' albums ran %d statements, want 3", n)
		}
		want := map[string]string{"Malibu": "soul,jazz,funk", "Plain": "", "Venice": "indie"}
		for _, a := range rows {
			ts, err := a.Edges.Tags.All()
			must(err)
			if names(ts) != want[a.Name] {
				t.Errorf("%s's prefetched tags: %s, want %s", a.Name, names(ts), want[a.Name])
			}
			for _, tag := range ts {
				back, err := tag.Edges.Albums.All()
				must(err)
				if len(back) == 0 {
					t.Errorf("tag %s of %s has no albums prefetched", tag.Name, a.Name)
				}
			}
		}
		// A Where on the prefetch narrows the linked rows.
		rows, err = client.Albums.Filter(db.AlbumID.Eq(malibu.ID)).Prefetch(db.AlbumTags.Where(db.TagName.Lt("k")).Prefetch()).All(ctx)
		must(err)
		if ts, _ := rows[0].Edges.Tags.All(); names(ts) != "funk,jazz" {
			t.Errorf("Malibu's tags before k: %s", names(ts))
		}

		// Linking a row that is not in the database fails with the join
		// table's foreign key, and links nothing else.
		ghost := &db.Tag{ID: 999, Name: "ghost"}
		err = client.AlbumTags(plain).Add(ctx, funk, ghost)
		var ce *runtime.ConstraintError
		if !errors.As(err, &ce) || ce.Constraint != "album_tags_tag_fkey" {
			t.Errorf("Add of a missing tag: %v, want the constraint album_tags_tag_fkey", err)
		}
		if got := tagNames(plain); got != "" {
			t.Errorf("Plain's tags after a failed Add: %q", got)
		}
		// Rows without a key, and nil rows, are refused before any SQL.
		if err := client.AlbumTags(plain).Add(ctx, &db.Tag{Name: "new"}); !errors.Is(err, runtime.ErrInvalidQuery) {
			t.Errorf("Add of an unsaved tag: %v", err)
		}
		if err := client.AlbumTags(plain).Add(ctx, nil); !errors.Is(err, runtime.ErrInvalidQuery) {
			t.Errorf("Add of nil: %v", err)
		}
		if _, err := client.AlbumTags(nil).All(ctx); !errors.Is(err, runtime.ErrInvalidQuery) {
			t.Errorf("the tags of a nil album: %v", err)
		}

		// Remove, Clear, and deletes cascading to the links.
		must(client.AlbumTags(malibu).Remove(ctx, funk, indie))
		if got := tagNames(malibu); got != "jazz,soul" {
			t.Errorf("Malibu's tags after Remove: %s", got)
		}
		must(client.Tags.Delete(ctx, soul))
		if got := tagNames(malibu); got != "jazz" {
			t.Errorf("Malibu's tags after deleting soul: %s", got)
		}
		must(client.AlbumTags(malibu).Clear(ctx))
		if got := tagNames(malibu); got != "" {
			t.Errorf("Malibu's tags after Clear: %s", got)
		}
		must(client.Albums.Delete(ctx, venice))
		if n, err := client.AlbumTagsLinks.Count(ctx); err != nil || n != 0 {
			t.Errorf("links left: %d %v", n, err)
		}
	})
}

// TestLinkMany: Add of more rows than one statement links (1,000) runs
// several statements in one transaction, and a failure in a later one
// leaves none linked; Set and Remove of thousands work the same, on every
// database.
func TestLinkMany(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		ctx := context.Background()
		client, count := open(t, url)
		must := func(err error) {
			t.Helper()
			if err != nil {
				t.Fatal(err)
			}
		}
		album, err := client.Albums.Create(ctx, &db.Album{Name: "Everything"})
		must(err)
		tags := make([]*db.Tag, 2500)
		for i := range tags {
			tags[i] = &db.Tag{Name: fmt.Sprintf("tag %04d", i)}
		}
		must(client.Tags.BulkCreate(ctx, tags))
		links := client.AlbumTags(album)
		count.Store(0)
		must(links.Add(ctx, tags...))
		// BEGIN, three INSERTs and COMMIT, as the hook sees them; behind
		// Vitess, which has no INSERT that leaves a linked pair alone, a
		// SELECT of the links first (lang/spec.md's engine table).
		want, stmts := int64(5), "BEGIN, three INSERTs, COMMIT"
		if p, ok := client.DB().Dialect().(dialect.Profile); ok && !p.DuplicateKeySetsKey() {
			want, stmts = 6, "BEGIN, SELECT, three INSERTs, COMMIT"
		}
		if n := count.Load(); n != want {
			t.Errorf("Add of 2,500 rows ran %d statements, want %d: %s", n, want, stmts)
		}
		if n, err := links.Count(ctx); err != nil || n != 2500 {
			t.Fatalf("linked %d, %v; want 2500", n, err)
		}
		must(links.Set(ctx, tags[1000:2200]...))
		if n, err := links.Count(ctx); err != nil || n != 1200 {
			t.Errorf("after Set of 1,200: %d, %v", n, err)
		}
		// A missing row in the last statement: nothing of the earlier ones
		// stays linked.
		other, err := client.Albums.Create(ctx, &db.Album{Name: "Other"})
		must(err)
		batch := append(append([]*db.Tag{}, tags[:2400]...), &db.Tag{ID: 1 << 30, Name: "ghost"})
		if err := client.AlbumTags(other).Add(ctx, batch...); err == nil {
			t.Fatal("Add with a missing tag succeeded")
		}
		if n, err := client.AlbumTags(other).Count(ctx); err != nil || n != 0 {
			t.Errorf("after a failed Add: %d linked, %v; want 0", n, err)
		}
		must(links.Remove(ctx, tags...))
		if n, err := client.AlbumTagsLinks.Count(ctx); err != nil || n != 0 {
			t.Errorf("after Remove of every tag: %d links, %v", n, err)
		}
	})
}
