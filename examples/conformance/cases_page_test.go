package conformance

import (
	"context"
	"errors"
	"strings"

	"github.com/ormc/ormc/examples/conformance/db"
	"github.com/ormc/ormc/runtime"
)

// The cases of Search, Page and Lock (issue 16, items 5 to 7), run by
// TestConformance with the others.
func init() { cases = append(cases, searchPageLockCases...) }

// pages reads q a page of n rows at a time, labelling each page by its
// tracks' titles joined with "|".
func pages(n int, f func(q trackQ) trackQ) runFunc {
	return func(ctx context.Context, c *db.Client) ([]string, error) {
		out := []string{}
		after := ""
		for range 100 {
			rows, next, err := f(c.Tracks).Page(ctx, after, n)
			if err != nil {
				return nil, err
			}
			var titles []string
			for _, r := range rows {
				titles = append(titles, r.Title)
			}
			out = append(out, strings.Join(titles, "|"))
			if next == "" {
				return out, nil
			}
			after = next
		}
		return nil, errors.New("more than 100 pages")
	}
}

// inTx runs f in a transaction of c.
func inTx(f func(ctx context.Context, tx *db.Client) ([]string, error)) runFunc {
	return func(ctx context.Context, c *db.Client) (out []string, err error) {
		err = c.Tx(ctx, func(tx *db.Client) error {
			out, err = f(ctx, tx)
			return err
		})
		return out, err
	}
}

var searchPageLockCases = []qcase{
	// Search: icontains over every text field, OR'ed.
	{name: "Search a Text field", run: wordsByID(func(q wordQ) wordQ { return q.Search("PLAIN") }), want: q(`"ascii"`)},
	{name: "Search every text field", run: wordsByID(func(q wordQ) wordQ { return q.Search("acc") }), want: q(`"ÉCOLE élève"`)},
	{name: "Search % is literal", run: wordsByID(func(q wordQ) wordQ { return q.Search("0%") }), want: q(`"100% sure_thing!"`, `"50%"`)},
	{name: "Search _ is literal", run: wordsByID(func(q wordQ) wordQ { return q.Search("r_s") }), want: q(`"under_score"`)},
	{name: "Search folds non-ASCII letters", run: wordsByID(func(q wordQ) wordQ { return q.Search("ÉLÈ") }),
		want: q(`"ÉCOLE élève"`), except: cFolds()},
	{name: "Search the empty term matches all", run: outcome(func(ctx context.Context, c *db.Client) (any, error) {
		return c.Words.Search("").Count(ctx)
	}), want: q("16")},
	{name: "Search reads no enum", run: tracksByID(func(q trackQ) trackQ { return q.Search("single") }), want: q()},
	{name: "Search and Filter", run: tracksByID(func(q trackQ) trackQ { return q.Search("E").Filter(db.TrackPosition.Gte(2)) }),
		want: q(heart, waters, sick)},

	// Page: keyset pagination in OrderBy's order, NULLs where it puts them.
	{name: "Page by key", run: pages(3, func(q trackQ) trackQ { return q }),
		want: q(heart+"|"+waters+"|"+bird, help+"|"+sick+"|"+untitledU, untitled)},
	{name: "Page by a nullable key: NULL first", run: pages(2, func(q trackQ) trackQ { return q.OrderBy(db.TrackPosition.Asc()) }),
		want: q(untitledU+"|"+bird, help+"|"+untitled, heart+"|"+sick, waters)},
	{name: "Page by a nullable key desc: NULL last", run: pages(2, func(q trackQ) trackQ { return q.OrderBy(db.TrackPosition.Desc()) }),
		want: q(waters+"|"+heart, sick+"|"+bird, help+"|"+untitled, untitledU)},
	{name: "Page by decimal: 9.5 and 9.50 tie, by key", run: pages(2, func(q trackQ) trackQ { return q.OrderBy(db.TrackPrice.Asc()) }),
		want: q(untitledU+"|"+waters, sick+"|"+help, untitled+"|"+bird, heart)},
	{name: "Page by an instant desc", run: pages(3, func(q trackQ) trackQ { return q.OrderBy(db.TrackAdded.Desc()) }),
		want: q(untitled+"|"+bird+"|"+help, heart+"|"+waters+"|"+sick, untitledU)},
	{name: "Page by enum, then title desc", run: pages(4, func(q trackQ) trackQ { return q.OrderBy(db.TrackKind.Asc(), db.TrackTitle.Desc()) }),
		want: q(untitledU+"|"+waters+"|"+help+"|"+heart, untitled+"|"+bird+"|"+sick)},
	{name: "Page a filtered query, one page", run: pages(5, func(q trackQ) trackQ { return q.Filter(db.TrackExplicit.Eq(true)) }),
		want: q(bird + "|" + help)},
	{name: "Page of no row", run: pages(5, func(q trackQ) trackQ { return q.Search("nothing like it") }), want: q("")},
	{name: "Page prefetches", run: func(ctx context.Context, c *db.Client) ([]string, error) {
		out := []string{}
		after := ""
		for {
			albums, next, err := c.Albums.OrderBy(db.AlbumName.Desc()).
				Prefetch(db.AlbumTracks.OrderBy(db.TrackID.Asc()).Prefetch()).Page(ctx, after, 2)
			if err != nil {
				return nil, err
			}
			for _, a := range albums {
				ts, err := a.Edges.Tracks.All()
				if err != nil {
					return nil, err
				}
				s := a.Name + ":"
				for _, tr := range ts {
					s += " " + tr.Title
				}
				out = append(out, s)
			}
			if next == "" {
				return out, nil
			}
			after = next
		}
	}, want: q("Malibu: "+heart+" "+waters+" "+bird, "Fantasies: "+help+" "+sick, "Demos: "+untitledU+" "+untitled)},
	{name: "Page with SelectRelated and a filter across a nullable relation", run: func(ctx context.Context, c *db.Client) ([]string, error) {
		out := []string{}
		after := ""
		for {
			rows, next, err := c.Tracks.SelectRelated(db.TrackAlbum).Filter(db.TrackAlbum.Artist.Match(db.ArtistName.Ne("Metric"))).
				OrderBy(db.TrackPosition.Desc()).Page(ctx, after, 2)
			if err != nil {
				return nil, err
			}
			for _, r := range rows {
				a, err := r.Album.Value()
				if err != nil {
					return nil, err
				}
				out = append(out, r.Title+"/"+a.Name)
			}
			if next == "" {
				return out, nil
			}
			after = next
		}
	}, want: q(waters+"/Malibu", heart+"/Malibu", bird+"/Malibu")}, // Demos has no artist: Match never holds for it
	{name: "Page across a relation is refused", run: outcome(func(ctx context.Context, c *db.Client) (any, error) {
		rows, _, err := c.Tracks.OrderBy(db.TrackAlbum.Name.Asc()).Page(ctx, "", 2)
		return len(rows), err
	}), want: q("error: " + runtime.ErrInvalidQuery.Error())},
	{name: "Page with another ordering's cursor is refused", run: outcome(func(ctx context.Context, c *db.Client) (any, error) {
		_, next, err := c.Tracks.OrderBy(db.TrackPosition.Asc()).Page(ctx, "", 2)
		if err != nil {
			return nil, err
		}
		rows, _, err := c.Tracks.OrderBy(db.TrackPosition.Desc()).Page(ctx, next, 2)
		return len(rows), err
	}), want: q("error: " + runtime.ErrInvalidQuery.Error())},

	// Lock: the same rows, locked, in a transaction.
	{name: "Lock ForUpdate|SkipLocked, first job", run: inTx(func(ctx context.Context, tx *db.Client) ([]string, error) {
		return outcome(func(ctx context.Context, c *db.Client) (any, error) {
			tr, err := c.Tracks.Filter(db.TrackExplicit.Eq(false)).OrderBy(db.TrackID.Asc()).Limit(1).Lock(db.ForUpdate | db.SkipLocked).First(ctx)
			if err != nil {
				return nil, err
			}
			return tr.Title, nil
		})(ctx, tx)
	}), want: q(heart), except: []exception{{target: "tidb", want: q("error: " + runtime.ErrUnsupported.Error()), what: skipLockedC}}},
	{name: "Lock across a nullable relation locks the model's rows", run: inTx(func(ctx context.Context, tx *db.Client) ([]string, error) {
		return tracksByID(func(q trackQ) trackQ {
			return q.Filter(db.TrackAlbum.Artist.Match(db.ArtistName.Eq("Metric"))).Lock(db.ForUpdate | db.NoWait)
		})(ctx, tx)
	}), want: q(help, sick)},
	{name: "Lock ForShare, Get", run: inTx(func(ctx context.Context, tx *db.Client) ([]string, error) {
		return outcome(func(ctx context.Context, c *db.Client) (any, error) {
			tr, err := c.Tracks.Lock(db.ForShare).Get(ctx, db.TrackID.Eq(201))
			if err != nil {
				return nil, err
			}
			return tr.Title, nil
		})(ctx, tx)
	}), want: q(help), except: []exception{{target: "tidb", want: q("error: " + runtime.ErrUnsupported.Error()), what: shareLocksC}}},
	{name: "Lock outside a transaction is refused", run: outcome(func(ctx context.Context, c *db.Client) (any, error) {
		return c.Tracks.Lock(db.ForUpdate).First(ctx)
	}), want: q("error: " + runtime.ErrInvalidQuery.Error())},
	{name: "Lock SkipLocked alone is refused", run: inTx(func(ctx context.Context, tx *db.Client) ([]string, error) {
		return outcome(func(ctx context.Context, c *db.Client) (any, error) {
			return c.Tracks.Lock(db.SkipLocked).All(ctx)
		})(ctx, tx)
	}), want: q("error: " + runtime.ErrInvalidQuery.Error())},
}
