package conformance

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/ormc/ormc/examples/conformance/db"
	"github.com/ormc/ormc/internal/testdb"
	"github.com/ormc/ormc/runtime"
)

// entry is a PlaylistTrack of playlist p and track tr at position pos.
func entry(p *db.Playlist, tr int64, pos int64) *db.PlaylistTrack {
	return &db.PlaylistTrack{Playlist: db.PlaylistRef(p), Track: runtime.KeyRef[*db.Track](tr), Position: pos}
}

// entries lists rows as "playlist/track@position", in key order.
func entries(t *testing.T, ctx context.Context, q *runtime.Query[*db.PlaylistTrack]) []string {
	t.Helper()
	rows, err := q.OrderBy(db.PlaylistTrackPlaylistID.Asc()).All(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, r := range rows {
		out = append(out, fmt.Sprintf("%d/%d@%d", r.Playlist.PK(), r.Track.PK(), r.Position))
	}
	return out
}

// TestCompositeKey: a join table keyed by both of its relations, pk(playlist,
// track), on every database: read back by CheckSchema without drift,
// created, got by its whole key (typed, with the
// key struct's Is, and seed-style with the key struct or a row), updated
// and deleted by it, upserted on it, bulk created; a duplicate key is a
// *ConstraintError naming the key; UpdateAll and DeleteAll with filters
// across a relation go by the whole key; ties in an ordering are broken by
// every key column; a row prints with its whole key.
func TestCompositeKey(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		ctx := context.Background()
		c := openSeeded(t, url)
		// The database read back has the composite key the schema says.
		if err := c.CheckSchema(ctx); err != nil {
			t.Fatalf("CheckSchema: %v", err)
		}
		mix, err := c.Playlists.Create(ctx, &db.Playlist{ID: 1, Name: "Mix"})
		if err != nil {
			t.Fatal(err)
		}
		road, err := c.Playlists.Create(ctx, &db.Playlist{ID: 2, Name: "Road"})
		if err != nil {
			t.Fatal(err)
		}

		// Create, and the same key again.
		first, err := c.PlaylistTracks.Create(ctx, entry(mix, 103, 1))
		if err != nil {
			t.Fatal(err)
		}
		if got := fmt.Sprint(first); got != "PlaylistTrack(playlist=1, track=103)" {
			t.Errorf("Sprint = %q", got)
		}
		if got := first.PK(); got != (db.PlaylistTrackKey{Playlist: 1, Track: 103}) {
			t.Errorf("PK() = %+v", got)
		}
		_, err = c.PlaylistTracks.Create(ctx, entry(mix, 103, 9))
		var ce *db.ConstraintError
		if !errors.As(err, &ce) || ce.Kind != db.UniqueViolation || ce.Constraint != "playlist_track_pkey" ||
			!slices.Equal(ce.Columns, []string{"playlist", "track"}) {
			t.Errorf("a duplicate key: %v (%+v)", err, ce)
		}
		// The same track in another playlist, and another track in the
		// same one, are other keys.
		for _, e := range []*db.PlaylistTrack{entry(road, 103, 1), entry(mix, 201, 2)} {
			if _, err := c.PlaylistTracks.Create(ctx, e); err != nil {
				t.Fatal(err)
			}
		}

		// Get by the whole key, three ways.
		key := db.PlaylistTrackKey{Playlist: 1, Track: 201}
		got, err := c.PlaylistTracks.Get(ctx, key.Is())
		if err != nil || got.Position != 2 {
			t.Fatalf("Get(key.Is()) = %v, %v", got, err)
		}
		if got, err := c.PlaylistTracks.Get(ctx, db.PlaylistTrackPlaylistID.Eq(1), db.PlaylistTrackTrackID.Eq(201)); err != nil || got.Position != 2 {
			t.Errorf("Get by both typed fields = %v, %v", got, err)
		}
		if got, err := c.PlaylistTracks.Where("pk", key).Get(ctx); err != nil || got.Position != 2 {
			t.Errorf(`Where("pk", key) = %v, %v`, got, err)
		}
		if got, err := c.PlaylistTracks.Where("pk", first).Get(ctx); err != nil || got.PK() != first.PK() {
			t.Errorf(`Where("pk", row) = %v, %v`, got, err)
		}
		keys := []db.PlaylistTrackKey{{Playlist: 1, Track: 103}, {Playlist: 2, Track: 103}, {Playlist: 2, Track: 201}}
		if got := entries(t, ctx, c.PlaylistTracks.Where("pk__in", keys)); !slices.Equal(got, []string{"1/103@1", "2/103@1"}) {
			t.Errorf(`Where("pk__in", keys) = %q`, got)
		}
		if got := entries(t, ctx, c.PlaylistTracks.Where("pk__in", []db.PlaylistTrackKey{})); len(got) != 0 {
			t.Errorf(`Where("pk__in", none) = %q`, got)
		}
		for _, bad := range []struct {
			lookup string
			value  any
		}{{"pk", 1}, {"pk__gt", key}, {"pk", db.PlaylistTrackKey{Playlist: 1}.KeyValues()}, {"pk", &db.Track{ID: 103}}} {
			var le *db.LookupError
			if _, err := c.PlaylistTracks.Where(bad.lookup, bad.value).Get(ctx); !errors.As(err, &le) {
				t.Errorf("Where(%q, %#v): %v, want a *LookupError", bad.lookup, bad.value, err)
			}
		}

		// Update a field that is not the key; the key is refused.
		got.Note = db.Some("the best")
		if err := c.PlaylistTracks.Update(ctx, got, db.PlaylistTrackPosition.Set(5)); err != nil {
			t.Fatal(err)
		}
		if err := c.PlaylistTracks.Update(ctx, got); err != nil {
			t.Fatal(err)
		}
		if err := c.PlaylistTracks.Update(ctx, got, db.PlaylistTrackTrackID.Set(202)); !errors.Is(err, db.ErrInvalidQuery) {
			t.Errorf("Update of a key field: %v", err)
		}
		if err := c.PlaylistTracks.Update(ctx, entry(road, 201, 1)); !errors.Is(err, db.ErrNotFound) {
			t.Errorf("Update of a missing key: %v", err)
		}
		if got := entries(t, ctx, c.PlaylistTracks.Filter()); !slices.Equal(got, []string{"1/103@1", "1/201@5", "2/103@1"}) {
			t.Errorf("after Update: %q", got)
		}
		if stored, err := c.PlaylistTracks.Get(ctx, key.Is()); err != nil || stored.Note.V != "the best" {
			t.Errorf("stored after Update: %v, %v", stored, err)
		}
		// Update with an Add, computed by the database and read back by
		// the whole key.
		if err := c.PlaylistTracks.Update(ctx, got, db.Add(db.PlaylistTrackPosition, 10)); err != nil || got.Position != 15 {
			t.Errorf("Update with Add: position %d, %v", got.Position, err)
		}
		if err := c.PlaylistTracks.Update(ctx, got, db.Add(db.PlaylistTrackPosition, -10)); err != nil || got.Position != 5 {
			t.Errorf("Update with Add back: position %d, %v", got.Position, err)
		}
		if other, err := c.PlaylistTracks.Get(ctx, db.PlaylistTrackKey{Playlist: 1, Track: 103}.Is()); err != nil || other.Position != 1 {
			t.Errorf("the other row of the playlist after the Adds: %v, %v", other, err)
		}

		// Upsert on the key: an update, then an insert.
		up := entry(mix, 201, 7)
		if err := c.PlaylistTracks.Upsert(ctx, up, []db.Selector[*db.PlaylistTrack]{db.PlaylistTrackPlaylistID, db.PlaylistTrackTrackID}); err != nil {
			t.Fatal(err)
		}
		if err := c.PlaylistTracks.Upsert(ctx, entry(road, 202, 2), []db.Selector[*db.PlaylistTrack]{db.PlaylistTrackTrackID, db.PlaylistTrackPlaylistID}); err != nil {
			t.Fatal(err)
		}
		if got := entries(t, ctx, c.PlaylistTracks.Filter()); !slices.Equal(got, []string{"1/103@1", "1/201@7", "2/103@1", "2/202@2"}) {
			t.Errorf("after Upsert: %q", got)
		}
		if err := c.PlaylistTracks.Upsert(ctx, entry(mix, 202, 1), []db.Selector[*db.PlaylistTrack]{db.PlaylistTrackTrackID}); err == nil {
			t.Errorf("Upsert on part of the key: no error")
		}

		// BulkCreate, all or nothing.
		bulk := []*db.PlaylistTrack{entry(road, 301, 3), entry(road, 302, 4), entry(mix, 301, 3)}
		if err := c.PlaylistTracks.BulkCreate(ctx, bulk); err != nil {
			t.Fatal(err)
		}
		err = c.PlaylistTracks.BulkCreate(ctx, []*db.PlaylistTrack{entry(mix, 302, 4), entry(road, 301, 9)})
		if !errors.As(err, &ce) || ce.Constraint != "playlist_track_pkey" {
			t.Errorf("BulkCreate of a duplicate key: %v", err)
		}
		if n, err := c.PlaylistTracks.Count(ctx); err != nil || n != 7 {
			t.Errorf("rows after BulkCreate: %d, %v", n, err)
		}

		// Ties in an ordering are broken by every key column, in key order.
		rows, err := c.PlaylistTracks.OrderBy(db.PlaylistTrackPosition.Asc()).All(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var order []string
		for _, r := range rows {
			order = append(order, r.String())
		}
		want := []string{"PlaylistTrack(playlist=1, track=103)", "PlaylistTrack(playlist=2, track=103)", "PlaylistTrack(playlist=2, track=202)",
			"PlaylistTrack(playlist=1, track=301)", "PlaylistTrack(playlist=2, track=301)", "PlaylistTrack(playlist=2, track=302)", "PlaylistTrack(playlist=1, track=201)"}
		if !slices.Equal(order, want) {
			t.Errorf("ordered by position:\n got  %q\n want %q", order, want)
		}
		// Pages go by every key column too.
		var paged []string
		for after := ""; ; {
			page, next, err := c.PlaylistTracks.OrderBy(db.PlaylistTrackPosition.Asc()).Page(ctx, after, 2)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range page {
				paged = append(paged, r.String())
			}
			if next == "" {
				break
			}
			after = next
		}
		if !slices.Equal(paged, want) {
			t.Errorf("paged by position:\n got  %q\n want %q", paged, want)
		}

		// UpdateAll and DeleteAll, with a filter across a relation and with
		// a limit, which go through the derived table of keys.
		n, err := c.PlaylistTracks.Filter(db.PlaylistTrackTrack.Match(db.TrackAlbum.Name.Eq("Demos"))).UpdateAll(ctx, db.PlaylistTrackNote.Set("demo"))
		if err != nil || n != 3 {
			t.Errorf("UpdateAll across a relation: %d, %v", n, err)
		}
		n, err = c.PlaylistTracks.Filter(db.PlaylistTrackPlaylistID.Eq(2)).OrderBy(db.PlaylistTrackPosition.Desc()).Limit(1).UpdateAll(ctx, db.PlaylistTrackPosition.Set(40))
		if err != nil || n != 1 {
			t.Errorf("UpdateAll with a limit: %d, %v", n, err)
		}
		if got := entries(t, ctx, c.PlaylistTracks.Filter(db.PlaylistTrackNote.Eq("demo"))); !slices.Equal(got, []string{"1/301@3", "2/301@3", "2/302@40"}) {
			t.Errorf("after UpdateAll: %q", got)
		}
		n, err = c.PlaylistTracks.Filter(db.PlaylistTrackTrack.Match(db.TrackAlbum.Name.Eq("Demos")), db.PlaylistTrackPlaylist.Name.Eq("Road")).DeleteAll(ctx)
		if err != nil || n != 2 {
			t.Errorf("DeleteAll across relations: %d, %v", n, err)
		}
		n, err = c.PlaylistTracks.OrderBy(db.PlaylistTrackPosition.Desc()).Limit(1).DeleteAll(ctx)
		if err != nil || n != 1 {
			t.Errorf("DeleteAll with a limit: %d, %v", n, err)
		}

		// Delete by the whole key: the row of the other playlist stays.
		if err := c.PlaylistTracks.Delete(ctx, first); err != nil {
			t.Fatal(err)
		}
		if err := c.PlaylistTracks.Delete(ctx, first); !errors.Is(err, db.ErrNotFound) {
			t.Errorf("Delete again: %v", err)
		}
		if got := entries(t, ctx, c.PlaylistTracks.Filter()); !slices.Equal(got, []string{"1/301@3", "2/103@1", "2/202@2"}) {
			t.Errorf("after the deletes: %q", got)
		}

		// GetOrCreate and UpdateOrCreate by the key.
		row, created, err := c.PlaylistTracks.GetOrCreate(ctx, db.PlaylistTrackKey{Playlist: 1, Track: 302}.Is(), db.PlaylistTrackPosition.Set(8))
		if err != nil || !created || row.PK() != (db.PlaylistTrackKey{Playlist: 1, Track: 302}) || row.Position != 8 {
			t.Errorf("GetOrCreate of a new key: %v, %v, %v", row, created, err)
		}
		row, created, err = c.PlaylistTracks.UpdateOrCreate(ctx, db.PlaylistTrackKey{Playlist: 1, Track: 302}.Is(), db.PlaylistTrackPosition.Set(9))
		if err != nil || created || row.Position != 9 {
			t.Errorf("UpdateOrCreate of that key: %v, %v, %v", row, created, err)
		}

		// Children of a Track include its playlist entries, prefetched.
		tracks, err := c.Tracks.Filter(db.TrackID.In(103, 202)).OrderBy(db.TrackID.Asc()).Prefetch(db.TrackPlaylistTracks.Prefetch()).All(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var kids []string
		for _, tr := range tracks {
			es, err := tr.Edges.PlaylistTracks.All()
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range es {
				kids = append(kids, e.String())
			}
		}
		if !slices.Equal(kids, []string{"PlaylistTrack(playlist=2, track=103)", "PlaylistTrack(playlist=2, track=202)"}) {
			t.Errorf("prefetched entries: %q", kids)
		}
	})
}
