package conformance

import (
	"context"
	"slices"
	"testing"

	"github.com/ormc/ormc/examples/conformance/db"
	"github.com/ormc/ormc/internal/testdb"
	"github.com/ormc/ormc/runtime"
)

// TestQueriesAreImmutable derives two queries from a stored one whose
// order keys and related paths have spare capacity, so that a method that
// appended to the stored slices in place (without slices.Clip or
// slices.Clone) would let the second derivation overwrite the first, or
// re-sort the stored query's paths. Each query's SQL and rows must be
// those of the same query built from scratch.
func TestQueriesAreImmutable(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		ctx := context.Background()
		var last string
		client, err := db.Open(ctx, url, runtime.WithHook(func(_ context.Context, ev runtime.QueryEvent) { last = ev.SQL }))
		if err != nil {
			t.Fatal(err)
		}
		defer client.Close()
		seed(t, ctx, client)

		// run returns a query's SQL and its rows, labelled.
		run := func(q *runtime.Query[*db.Track]) (string, []string) {
			t.Helper()
			rows, err := q.All(ctx)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, r := range rows {
				s := r.Title
				if a, err := r.Album.Value(); err == nil && a != nil {
					s += "/" + a.Name
				}
				if x, err := r.RemixOf.Value(); err == nil && x != nil {
					s += " remix of " + x.Title
				}
				out = append(out, s)
			}
			return last, out
		}
		same := func(what string, derived, scratch *runtime.Query[*db.Track]) {
			t.Helper()
			sqlD, rowsD := run(derived)
			sqlS, rowsS := run(scratch)
			if sqlD != sqlS || !slices.Equal(rowsD, rowsS) {
				t.Errorf("%s differs from the same query built from scratch:\n%s\n%q\n%s\n%q", what, sqlD, rowsD, sqlS, rowsS)
			}
		}

		// OrderBy: three keys, one at a time, leave room for a fourth.
		orders := []runtime.Order[*db.Track]{db.TrackKind.Asc(), db.TrackExplicit.Desc(), db.TrackAlbum.Name.Asc()}
		base := client.Tracks.OrderBy(orders[0]).OrderBy(orders[1]).OrderBy(orders[2])
		byTitle := base.OrderBy(db.TrackTitle.Desc())
		byPosition := base.OrderBy(db.TrackPosition.Asc())
		same("OrderBy, first derivation", byTitle, client.Tracks.OrderBy(append(slices.Clone(orders), db.TrackTitle.Desc())...))
		same("OrderBy, second derivation", byPosition, client.Tracks.OrderBy(append(slices.Clone(orders), db.TrackPosition.Asc())...))
		same("OrderBy, the stored query", base, client.Tracks.OrderBy(orders...))

		// SelectRelated: three paths leave room for a fourth, which sorts
		// before them all. The generated fields reach two relations
		// (TrackRemixOf.Album); the third step is a hand-built Rel.
		albums := client.Albums.Table()
		remixArtist := runtime.NewRel[*db.Track, *db.Artist](runtime.ColAt(db.TrackRemixOf.AlbumID.Ref.Follow(), albums, albums.Column("artist").Index).Follow())
		rel := client.Tracks.SelectRelated(remixArtist).OrderBy(db.TrackID.Asc())
		withAlbum := rel.SelectRelated(db.TrackAlbum)
		withArtist := rel.SelectRelated(db.TrackAlbum.Artist)
		scratch := client.Tracks.OrderBy(db.TrackID.Asc())
		same("SelectRelated, the stored query", rel, scratch.SelectRelated(remixArtist))
		same("SelectRelated, first derivation", withAlbum, scratch.SelectRelated(remixArtist, db.TrackAlbum))
		same("SelectRelated, second derivation", withArtist, scratch.SelectRelated(remixArtist, db.TrackAlbum.Artist))

		// Filter: two derivations of one stored filter.
		f := client.Tracks.Filter(db.TrackPosition.Gte(1)).Filter(db.TrackExplicit.Eq(false)).OrderBy(db.TrackID.Asc())
		f1 := f.Filter(db.TrackKind.Eq(db.TrackKindAlbum))
		f2 := f.Filter(db.TrackKind.Eq(db.TrackKindBonus))
		fresh := func(p ...runtime.Pred[*db.Track]) *runtime.Query[*db.Track] {
			return client.Tracks.Filter(db.TrackPosition.Gte(1)).Filter(db.TrackExplicit.Eq(false)).Filter(p...).OrderBy(db.TrackID.Asc())
		}
		same("Filter, first derivation", f1, fresh(db.TrackKind.Eq(db.TrackKindAlbum)))
		same("Filter, second derivation", f2, fresh(db.TrackKind.Eq(db.TrackKindBonus)))
		same("Filter, the stored query", f, fresh())
	})
}
