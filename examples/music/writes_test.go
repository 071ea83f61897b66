package main

import (
	"context"
	"errors"
	"testing"

	"github.com/ormc/ormc/examples/music/db"
	"github.com/ormc/ormc/internal/testdb"
	"github.com/ormc/ormc/runtime"
)

// TestOnDelete: cascade, restrict and set_null behave alike everywhere,
// and a broken reference is a *ConstraintError.
func TestOnDelete(t *testing.T) {
	testdb.EachSharded(t, "db/schema.json", func(t *testing.T, url string) {
		ctx := context.Background()
		client, _ := open(t, url)
		must := func(err error) {
			t.Helper()
			if err != nil {
				t.Fatal(err)
			}
		}
		artist, err := client.Artists.Create(ctx, &db.Artist{Name: "Low"})
		must(err)
		album, err := client.Albums.Create(ctx, &db.Album{Name: "Things We Lost", Artist: db.ArtistRef(artist)})
		must(err)
		_, err = client.Tracks.Create(ctx, &db.Track{Album: db.AlbumRef(album), Title: "Sunflower", Position: 1})
		must(err)
		review, err := client.Reviews.Create(ctx, &db.Review{Album: db.AlbumRef(album), Stars: 5})
		must(err)

		if testdb.OnSharded(t) {
			foreignKeysNotKept(t, ctx, client, album, review)
			return
		}

		// A reference to a row that does not exist.
		_, err = client.Tracks.Create(ctx, &db.Track{Album: runtime.KeyRef[*db.Album](int64(987654)), Title: "x", Position: 1})
		var ce *runtime.ConstraintError
		if !errors.As(err, &ce) || ce.Kind != runtime.ForeignKeyViolation || ce.Model != "Track" {
			t.Errorf("dangling reference: %v", err)
		}

		// restrict: the album cannot go while a review refers to it, by
		// Delete or by DeleteAll; the error names the review's key, and
		// the album's tracks, which would cascade, stay.
		err = client.Albums.Delete(ctx, album)
		if !errors.As(err, &ce) || ce.Kind != runtime.ForeignKeyViolation || ce.Model != "Review" || ce.Constraint != "review_album_fkey" {
			t.Errorf("restrict: want review_album_fkey of Review, got %v", err)
		}
		_, err = client.Albums.DeleteAll(ctx)
		if !errors.As(err, &ce) || ce.Kind != runtime.ForeignKeyViolation || ce.Model != "Review" || ce.Constraint != "review_album_fkey" {
			t.Errorf("restrict by DeleteAll: want review_album_fkey of Review, got %v", err)
		}
		if ok, _ := client.Albums.Filter(db.AlbumID.Eq(album.ID)).Exists(ctx); !ok {
			t.Fatal("restrict: the album is gone")
		}
		if n, err := client.AlbumTracks(album).Count(ctx); err != nil || n != 1 {
			t.Errorf("restrict: %d tracks left, %v; want 1", n, err)
		}

		// set_null: deleting the artist clears the album's reference.
		must(client.Artists.Delete(ctx, artist))
		got, err := client.Albums.Get(ctx, db.AlbumID.Eq(album.ID))
		must(err)
		if !got.Artist.IsNull() {
			t.Errorf("set_null: artist is %v", got.Artist.PK())
		}

		// cascade: deleting the album deletes its tracks.
		must(client.Reviews.Delete(ctx, review))
		must(client.Albums.Delete(ctx, album))
		if n, err := client.AlbumTracks(album).Count(ctx); err != nil || n != 0 {
			t.Errorf("cascade: %d tracks left, %v", n, err)
		}
	})
}

// foreignKeysNotKept pins lang/spec.md's engine row "Foreign keys on a
// sharded Vitess keyspace": no shard can check a reference to a row that
// may live on another, so a dangling reference is written, and deleting
// a referenced row neither fails (restrict) nor reaches the rows that
// refer to it (cascade, set_null).
func foreignKeysNotKept(t *testing.T, ctx context.Context, client *db.Client, album *db.Album, review *db.Review) {
	t.Helper()
	if _, err := client.Tracks.Create(ctx, &db.Track{Album: runtime.KeyRef[*db.Album](int64(987654)), Title: "x", Position: 1}); err != nil {
		t.Errorf("dangling reference: %v, want it written", err)
	}
	if err := client.Albums.Delete(ctx, album); err != nil {
		t.Fatalf("delete of a referenced album: %v, want it deleted", err)
	}
	if n, err := client.AlbumTracks(album).Count(ctx); err != nil || n != 1 {
		t.Errorf("cascade: %d tracks left, %v; want 1, the one no cascade reached", n, err)
	}
	if ok, err := client.Reviews.Filter(db.ReviewID.Eq(review.ID)).Exists(ctx); err != nil || !ok {
		t.Errorf("restrict: the review is gone (%v)", err)
	}
}

// TestTx: commit, rollback on error and on panic, savepoints for nested
// calls, and the unique constraint error through a transaction.
func TestTx(t *testing.T) {
	testdb.EachSharded(t, "db/schema.json", func(t *testing.T, url string) {
		ctx := context.Background()
		client, _ := open(t, url)
		count := func() int64 {
			t.Helper()
			n, err := client.Artists.Count(ctx)
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		create := func(c *db.Client, name string) error {
			_, err := c.Artists.Create(ctx, &db.Artist{Name: name})
			return err
		}

		if err := client.Tx(ctx, func(tx *db.Client) error { return create(tx, "committed") }); err != nil {
			t.Fatal(err)
		}
		boom := errors.New("boom")
		if err := client.Tx(ctx, func(tx *db.Client) error {
			if err := create(tx, "rolled back"); err != nil {
				return err
			}
			return boom
		}); !errors.Is(err, boom) {
			t.Fatalf("rollback: %v", err)
		}
		func() {
			defer func() {
				if p := recover(); p != "panic" {
					t.Errorf("the panic was not re-raised: %v", p)
				}
			}()
			_ = client.Tx(ctx, func(tx *db.Client) error {
				if err := create(tx, "panicked"); err != nil {
					return err
				}
				panic("panic")
			})
		}()
		if n := count(); n != 1 {
			t.Fatalf("after commit, rollback and panic: %d artists, want 1", n)
		}

		// A nested failure rolls back only to its savepoint.
		err := client.Tx(ctx, func(tx *db.Client) error {
			if err := create(tx, "outer"); err != nil {
				return err
			}
			if err := tx.Tx(ctx, func(inner *db.Client) error {
				if err := create(inner, "inner"); err != nil {
					return err
				}
				return boom
			}); !errors.Is(err, boom) {
				t.Errorf("inner: %v", err)
			}
			return tx.Tx(ctx, func(inner *db.Client) error { return create(inner, "inner kept") })
		})
		if err != nil {
			t.Fatal(err)
		}
		names, err := client.Artists.OrderBy(db.ArtistName.Asc()).All(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, a := range names {
			got = append(got, a.Name)
		}
		if len(got) != 3 || got[0] != "committed" || got[1] != "inner kept" || got[2] != "outer" {
			t.Errorf("after nested transactions: %v", got)
		}
	})
}
