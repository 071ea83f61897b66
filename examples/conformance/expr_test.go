package conformance

import (
	"context"
	"errors"
	"fmt"

	"github.com/ormc/ormc/examples/conformance/db"
	"github.com/ormc/ormc/runtime"
)

// Column expressions and subqueries (issue 16, items 3 and 4), through
// the generated package's wrappers: the same answers on every target.
// Decimals compare by value (9.5 equals 9.50) and add exactly; NULL on
// either side of a comparison matches nothing; the writes run in a
// transaction that is rolled back, so that the fixture stays as it is.

func init() { cases = append(cases, exprCases...) }

var errRollback = errors.New("rolled back")

// rolledBack runs f in a transaction of c and rolls it back.
func rolledBack(f func(ctx context.Context, tx *db.Client) ([]string, error)) runFunc {
	return func(ctx context.Context, c *db.Client) (out []string, err error) {
		err = c.Tx(ctx, func(tx *db.Client) error {
			if out, err = f(ctx, tx); err != nil {
				return err
			}
			return errRollback
		})
		if errors.Is(err, errRollback) {
			err = nil
		}
		return out, err
	}
}

// positions labels the tracks of q by title and position, by key.
func positions(ctx context.Context, q trackQ) ([]string, error) {
	rows, err := q.OrderBy(db.TrackID.Asc()).All(ctx)
	out := []string{}
	for _, r := range rows {
		out = append(out, r.Title+": "+nstr(r.Position))
	}
	return out, err
}

// refused labels the sentinel err matches, or a *ValidationError by its
// field and code.
func refused(err error) ([]string, error) {
	var ve *db.ValidationError
	if errors.As(err, &ve) && len(ve.Fields) == 1 {
		return q("invalid: " + ve.Fields[0].Field + " " + ve.Fields[0].Code), nil
	}
	if err == nil {
		return q("no error"), nil
	}
	return errLabel(err)
}

var exprCases = []qcase{
	// Comparisons of two fields of a row, one of them across a relation.
	{name: "Compare decimals by value", run: tracksByID(func(q trackQ) trackQ {
		return q.Filter(db.Compare(db.TrackPrice, db.OpExact, db.TrackRemixOf.Price))
	}), want: q(waters)},
	{name: "Compare gt", run: tracksByID(func(q trackQ) trackQ {
		return q.Filter(db.Compare(db.TrackPrice, db.OpGt, db.TrackRemixOf.Price))
	}), want: q(heart)},
	{name: "Compare integers gte", run: tracksByID(func(q trackQ) trackQ {
		return q.Filter(db.Compare(db.TrackPosition, db.OpGte, db.TrackRemixOf.Position))
	}), want: q(heart, waters)},
	{name: "Compare ne keeps NULL", run: tracksByID(func(q trackQ) trackQ {
		return q.Filter(db.Compare(db.TrackPrice, db.OpNe, db.TrackRemixOf.Price))
	}), want: q(heart, bird, help, sick, untitledU, untitled)},
	{name: "Compare lt matches no NULL, Not keeps it", run: func(ctx context.Context, c *db.Client) ([]string, error) {
		lt := db.Compare(db.TrackSeconds, db.OpLt, db.TrackRemixOf.Seconds)
		a, err1 := c.Tracks.Filter(lt).Count(ctx)
		b, err2 := c.Tracks.Exclude(lt).Count(ctx)
		return q(fmt.Sprint(a), fmt.Sprint(b)), errors.Join(err1, err2)
	}, want: q("1", "6")},
	{name: "CompareAdd of Decimals, exact", run: tracksByID(func(q trackQ) trackQ {
		return q.Filter(db.CompareAdd(db.TrackPrice, db.OpExact, db.TrackRemixOf.Price, db.MustDecimal("12345678901234567790.1234567891")))
	}), want: q(heart)},
	{name: "CompareAdd of Decimals, one place off", run: tracksByID(func(q trackQ) trackQ {
		return q.Filter(db.CompareAdd(db.TrackPrice, db.OpExact, db.TrackRemixOf.Price, db.MustDecimal("12345678901234567790.123456789")))
	}), want: q()},
	{name: "CompareAdd of integers", run: tracksByID(func(q trackQ) trackQ {
		return q.Filter(db.CompareAdd(db.TrackPosition, db.OpGt, db.TrackRemixOf.Position, 0), db.CompareAdd(db.TrackPosition, db.OpLte, db.TrackRemixOf.Position, 1))
	}), want: q(heart, waters)},
	{name: "Compare with a lookup that compares no two fields", run: outcome(func(ctx context.Context, c *db.Client) (any, error) {
		return c.Tracks.Filter(db.Compare(db.TrackTitle, runtime.OpIContains, db.TrackAlbum.Name)).Count(ctx)
	}), want: q("error: " + db.ErrInvalidQuery.Error())},

	// Add: computed by the database, exact for Decimals.
	{name: "Add in UpdateAll, NULL stays NULL", run: rolledBack(func(ctx context.Context, tx *db.Client) ([]string, error) {
		n, err := tx.Tracks.Filter(db.TrackAlbum.Name.In("Malibu", "Demos")).UpdateAll(ctx, db.Add(db.TrackPosition, 10))
		if err != nil {
			return nil, err
		}
		out, err := positions(ctx, tx.Tracks.Filter(db.TrackAlbum.Name.In("Malibu", "Demos")))
		return append(q(fmt.Sprint(n)), out...), err
	}), want: q("5", heart+": 12", waters+": 13", bird+": 11", untitledU+": NULL", untitled+": 11")},
	{name: "Add to a Decimal, exact", run: rolledBack(func(ctx context.Context, tx *db.Client) ([]string, error) {
		if _, err := tx.Tracks.Filter(db.TrackID.In(103, 202)).UpdateAll(ctx, db.Add(db.TrackPrice, db.MustDecimal("-0.0000000001"))); err != nil {
			return nil, err
		}
		rows, err := tx.Tracks.Filter(db.TrackID.In(103, 202)).OrderBy(db.TrackID.Asc()).All(ctx)
		out := []string{}
		for _, r := range rows {
			out = append(out, num(r.Price))
		}
		return out, err
	}), want: q("12345678901234567890.1234567889", "9.4999999999")},
	{name: "Add to a Float", run: rolledBack(func(ctx context.Context, tx *db.Client) ([]string, error) {
		if _, err := tx.Tracks.Filter(db.TrackID.Eq(201)).UpdateAll(ctx, db.Add(db.TrackSeconds, 0.5)); err != nil {
			return nil, err
		}
		r, err := tx.Tracks.Get(ctx, db.TrackID.Eq(201))
		if err != nil {
			return nil, err
		}
		return q(nstr(r.Seconds)), nil
	}), want: q("284.75")},
	{name: "Update with Add holds what the database computed", run: rolledBack(func(ctx context.Context, tx *db.Client) ([]string, error) {
		r, err := tx.Tracks.Get(ctx, db.TrackID.Eq(202))
		if err != nil {
			return nil, err
		}
		r.Position = db.Some[int64](100) // not written: Add adds to the stored 2
		if err := tx.Tracks.Update(ctx, r, db.Add(db.TrackPosition, 5), db.TrackTitle.Set("Sick Muse 2")); err != nil {
			return nil, err
		}
		stored, err := positions(ctx, tx.Tracks.Filter(db.TrackID.Eq(202)))
		return append(q(r.Title+": "+nstr(r.Position)), stored...), err
	}), want: q("Sick Muse 2: 7", "Sick Muse 2: 7")},
	{name: "Add to a key is refused", run: func(ctx context.Context, c *db.Client) ([]string, error) {
		_, err := c.Tracks.UpdateAll(ctx, db.Add(db.TrackAlbumID, 1))
		return refused(err)
	}, want: q("error: " + db.ErrInvalidQuery.Error())},
	{name: "Add in GetOrCreate is refused", run: func(ctx context.Context, c *db.Client) ([]string, error) {
		_, _, err := c.Tracks.GetOrCreate(ctx, db.TrackID.Eq(201), db.Add(db.TrackPosition, 1))
		return refused(err)
	}, want: q("error: " + db.ErrInvalidQuery.Error())},
	{name: "Add of more than an Integer holds is refused", run: func(ctx context.Context, c *db.Client) ([]string, error) {
		_, err := c.Tracks.UpdateAll(ctx, db.Add(db.TrackPosition, 1<<40))
		return refused(err)
	}, want: q("invalid: position addend")},
	{name: "Add of more places than the Decimal has is refused", run: func(ctx context.Context, c *db.Client) ([]string, error) {
		_, err := c.Tracks.UpdateAll(ctx, db.Add(db.TrackPrice, db.MustDecimal("0.00000000001")))
		return refused(err)
	}, want: q("invalid: price addend")},

	// Subqueries: another query's keys, or one of its fields.
	{name: "InQuery: the keys of another query", run: tracksOf(func(c *db.Client) trackQ {
		return c.Tracks.Filter(db.InQuery(db.TrackAlbum, c.Albums.Filter(db.AlbumName.Eq("Fantasies"))))
	}), want: q(help, sick)},
	{name: "InQuery two relations away", run: tracksOf(func(c *db.Client) trackQ {
		return c.Tracks.Filter(db.InQuery(db.TrackAlbum.Artist, c.Artists.Filter(db.ArtistName.Eq("Anderson .Paak"))))
	}), want: q(heart, waters, bird)},
	{name: "InQuery ordered and limited, NULL last desc", run: tracksOf(func(c *db.Client) trackQ {
		return c.Tracks.Filter(db.InQuery(db.TrackAlbum, c.Albums.OrderBy(db.AlbumReleased.Desc()).Limit(1)))
	}), want: q(heart, waters, bird)},
	{name: "InQuery with an Offset, NULL first asc", run: tracksOf(func(c *db.Client) trackQ {
		return c.Tracks.Filter(db.InQuery(db.TrackAlbum, c.Albums.OrderBy(db.AlbumReleased.Asc()).Offset(1).Limit(1)))
	}), want: q(help, sick)},
	{name: "InQuery limited, unordered: by key", run: tracksOf(func(c *db.Client) trackQ {
		return c.Tracks.Filter(db.InQuery(db.TrackAlbum, c.Albums.Limit(2)))
	}), want: q(heart, waters, bird, help, sick)},
	{name: "InValues: decimals by value", run: tracksOf(func(c *db.Client) trackQ {
		return c.Tracks.Filter(db.InValues(db.TrackPrice, c.Tracks.Filter(db.TrackTitle.Eq(sick)), db.TrackPrice))
	}), want: q(waters, sick)},
	{name: "InValues of a query on another model", run: albumsOf(func(c *db.Client) albumQ {
		return c.Albums.Filter(db.InValues(db.AlbumID, c.Tracks.Filter(db.TrackExplicit.Eq(true)), db.TrackAlbumID))
	}), want: q("Fantasies", "Malibu")},
	{name: "InValues excluded keeps NULL", run: albumsOf(func(c *db.Client) albumQ {
		return c.Albums.Exclude(db.InValues(db.AlbumArtistID, c.Artists.Filter(db.ArtistName.Eq("Metric")), db.ArtistID))
	}), want: q("Malibu", "Demos")},
	{name: "InValues among values with a NULL", run: albumsOf(func(c *db.Client) albumQ {
		return c.Albums.Exclude(db.InValues(db.AlbumID, c.Tracks.Filter(db.TrackPosition.IsNull(true)), db.TrackAlbumID))
	}), want: q("Fantasies", "Malibu")},
	{name: "Exists", run: albumsOf(func(c *db.Client) albumQ {
		return c.Albums.Filter(db.Exists(db.AlbumID, c.Tracks.Filter(db.TrackKind.Eq(db.TrackKindBonus)), db.TrackAlbumID))
	}), want: q("Demos")},
	{name: "Exists excluded", run: albumsOf(func(c *db.Client) albumQ {
		return c.Albums.Exclude(db.Exists(db.AlbumID, c.Tracks.Filter(db.TrackKind.Eq(db.TrackKindBonus)), db.TrackAlbumID))
	}), want: q("Fantasies", "Malibu"),
		except: sharded(shardedNotC, "VT12001: unsupported: correlated subquery is only supported for EXISTS")},
	{name: "Exists with a Limit is refused", run: outcome(func(ctx context.Context, c *db.Client) (any, error) {
		return c.Albums.Filter(db.Exists(db.AlbumID, c.Tracks.Limit(1), db.TrackAlbumID)).Count(ctx)
	}), want: q("error: " + db.ErrInvalidQuery.Error())},
	{name: "Count, UpdateAll and DeleteAll of the table the subquery reads", run: rolledBack(func(ctx context.Context, tx *db.Client) ([]string, error) {
		same := db.InValues(db.TrackAlbumID, tx.Tracks.Filter(db.TrackTitle.Eq(bird)), db.TrackAlbumID)
		n, err := tx.Tracks.Filter(same).Count(ctx)
		if err != nil {
			return nil, err
		}
		u, err := tx.Tracks.Filter(same).UpdateAll(ctx, db.Add(db.TrackPosition, 100))
		if err != nil {
			return nil, err
		}
		out, err := positions(ctx, tx.Tracks.Filter(db.TrackPosition.Gt(100)))
		if err != nil {
			return nil, err
		}
		d, err := tx.Tracks.Filter(db.Exists(db.TrackID, tx.Tracks.Filter(db.TrackPosition.Gt(102)), db.TrackID)).DeleteAll(ctx)
		return append(q(fmt.Sprint(n), fmt.Sprint(u)), append(out, fmt.Sprint(d))...), err
	}), want: q("3", "3", heart+": 102", waters+": 103", bird+": 101", "1"),
		except: sharded(shardedSelfSub, "Unknown column 't0.album' in 'WHERE'")},
}

// tracksOf and albumsOf label the rows of a query that f builds from the
// client (a subquery needs one), by key.
func tracksOf(f func(c *db.Client) trackQ) runFunc {
	return func(ctx context.Context, c *db.Client) ([]string, error) {
		return tracks(func(trackQ) trackQ { return f(c).OrderBy(db.TrackID.Asc()) })(ctx, c)
	}
}

func albumsOf(f func(c *db.Client) albumQ) runFunc {
	return func(ctx context.Context, c *db.Client) ([]string, error) {
		rows, err := f(c).OrderBy(db.AlbumID.Asc()).All(ctx)
		out := []string{}
		for _, r := range rows {
			out = append(out, r.Name)
		}
		return out, err
	}
}
