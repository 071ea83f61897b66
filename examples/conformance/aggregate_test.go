package conformance

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/ormc/ormc/examples/conformance/db"
	"github.com/ormc/ormc/runtime"
)

// Aggregates, groups and projections (issue 16, items 1 and 2): the same
// answers on every target, Decimals exact where a float would round (the
// two prices of twenty digits before the point), and NULL results told
// from zero.

func init() { cases = append(cases, aggregateCases...) }

// str labels a value: NULL for a Null that is not Valid, a float in the
// shortest form that reads back as it, a time in RFC 3339.
func str[V any](v V) string {
	switch x := any(v).(type) {
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64)
	case time.Time:
		return x.UTC().Format(time.RFC3339)
	case fmt.Stringer:
		return x.String()
	}
	return fmt.Sprint(v)
}

func nstr[V any](n runtime.Null[V]) string {
	if !n.Valid {
		return "NULL"
	}
	return str(n.V)
}

// num labels a Decimal by its value, whatever its scale: each database
// returns a Decimal column's values at the scale it stores them (9.50 on
// SQLite, 9.5000000000 elsewhere), as rows read them.
func num(n runtime.Null[runtime.Decimal]) string {
	if !n.Valid {
		return "NULL"
	}
	s := n.V.Rat().FloatString(10)
	for s[len(s)-1] == '0' {
		s = s[:len(s)-1]
	}
	if s[len(s)-1] == '.' {
		s = s[:len(s)-1]
	}
	return s
}

// one labels a single result.
func one[V any](f func(ctx context.Context, c *db.Client) (V, error), label func(V) string) runFunc {
	return func(ctx context.Context, c *db.Client) ([]string, error) {
		v, err := f(ctx, c)
		if err != nil {
			return errLabel(err)
		}
		return q(label(v)), nil
	}
}

// errLabel labels the sentinel an error matches, or returns it.
func errLabel(err error) ([]string, error) {
	for _, s := range []error{runtime.ErrInvalidQuery, runtime.ErrNullValue, runtime.ErrUnsupported, runtime.ErrOutOfRange} {
		if errors.Is(err, s) {
			return q("error: " + s.Error()), nil
		}
	}
	return nil, err
}

// groups labels the groups of GroupBy as "key: value".
func groups[K, V any](f func(ctx context.Context, c *db.Client) ([]runtime.Group[K, V], error), key func(K) string) runFunc {
	return func(ctx context.Context, c *db.Client) ([]string, error) {
		gs, err := f(ctx, c)
		if err != nil {
			return errLabel(err)
		}
		out := []string{}
		for _, g := range gs {
			out = append(out, key(g.Key)+": "+nstr(g.Value))
		}
		return out, nil
	}
}

// list labels each value of a projection.
func list[V any](f func(ctx context.Context, c *db.Client) ([]V, error), label func(V) string) runFunc {
	return func(ctx context.Context, c *db.Client) ([]string, error) {
		vs, err := f(ctx, c)
		if err != nil {
			return errLabel(err)
		}
		out := []string{}
		for _, v := range vs {
			out = append(out, label(v))
		}
		return out, nil
	}
}

func none(c *db.Client) trackQ { return c.Tracks.Filter(db.TrackTitle.Eq("no such track")) }

const (
	priceTotal = "24691357802469135909.2469135781" // floats give 24691357802469134000
	priceBig   = "12345678901234567890.123456789"  // the two prices differ in the last place
)

var aggregateCases = []qcase{
	// Whole-query aggregates.
	{name: "sum of an Integer", run: one(func(ctx context.Context, c *db.Client) (runtime.Null[int64], error) {
		return runtime.Sum(ctx, c.Tracks, db.TrackPosition)
	}, nstr), want: q("10")},
	{name: "sum of Decimals, exact", run: one(func(ctx context.Context, c *db.Client) (runtime.Null[runtime.Decimal], error) {
		return runtime.Sum(ctx, c.Tracks, db.TrackPrice)
	}, nstr), want: q(priceTotal)},
	{name: "sum of 0.1-style Decimals at the field's scale", run: one(func(ctx context.Context, c *db.Client) (runtime.Null[runtime.Decimal], error) {
		return runtime.Sum(ctx, c.Tracks.Filter(db.TrackPrice.Lt(runtime.MustDecimal("11"))), db.TrackPrice)
	}, nstr), want: q("29.0000000000")},
	{name: "sum of Floats", run: one(func(ctx context.Context, c *db.Client) (runtime.Null[float64], error) {
		return runtime.Sum(ctx, c.Tracks, db.TrackSeconds)
	}, nstr), want: q("1249.75")},
	{name: "sum across a relation's filter", run: one(func(ctx context.Context, c *db.Client) (runtime.Null[runtime.Decimal], error) {
		return runtime.Sum(ctx, c.Tracks.Filter(db.TrackAlbum.Name.Eq("Malibu")), db.TrackPrice)
	}, nstr), want: q("24691357802469135789.7469135781")},
	{name: "avg of an Integer is a float64", run: one(func(ctx context.Context, c *db.Client) (runtime.Null[float64], error) {
		return runtime.Avg(ctx, c.Tracks, db.TrackPosition)
	}, nstr), want: q("1.6666666666666667")},
	{name: "avg of Decimals as a float64, from the exact sum", run: one(func(ctx context.Context, c *db.Client) (runtime.Null[float64], error) {
		return runtime.Avg(ctx, c.Tracks, db.TrackPrice)
	}, nstr), want: q("4.1152263004115226e+18")},
	{name: "avg of Decimals, exact to 4 places", run: one(func(ctx context.Context, c *db.Client) (runtime.Null[runtime.Decimal], error) {
		return runtime.AvgDecimal(ctx, c.Tracks, db.TrackPrice, 4)
	}, nstr), want: q("4115226300411522651.5412")},
	{name: "min and max of Decimals keep every digit", run: func(ctx context.Context, c *db.Client) ([]string, error) {
		lo, err1 := runtime.Min(ctx, c.Tracks, db.TrackPrice)
		hi, err2 := runtime.Max(ctx, c.Tracks, db.TrackPrice)
		return q(nstr(lo), nstr(hi)), errors.Join(err1, err2)
	}, want: q("9.5000000000", "12345678901234567890.1234567891")},
	{name: "min and max of DateTimes", run: func(ctx context.Context, c *db.Client) ([]string, error) {
		lo, err1 := runtime.Min(ctx, c.Tracks, db.TrackAdded)
		hi, err2 := runtime.Max(ctx, c.Tracks, db.TrackAdded)
		return q(nstr(lo), nstr(hi)), errors.Join(err1, err2)
	}, want: q("2024-01-01T00:00:00Z", "2024-03-01T10:00:00Z")},
	{name: "min and max of text", run: func(ctx context.Context, c *db.Client) ([]string, error) {
		lo, err1 := runtime.Min(ctx, c.Tracks, db.TrackTitle)
		hi, err2 := runtime.Max(ctx, c.Tracks, db.TrackTitle)
		return q(nstr(lo), nstr(hi)), errors.Join(err1, err2)
	}, want: q(heart, untitled)},
	{name: "min of a Date across a nullable relation", run: one(func(ctx context.Context, c *db.Client) (runtime.Null[runtime.Date], error) {
		return runtime.Min(ctx, c.Tracks, db.TrackAlbum.Released)
	}, nstr), want: q("2009-04-14")},
	{name: "count distinct: 9.5 and 9.50 are one value", run: one(func(ctx context.Context, c *db.Client) (int64, error) {
		return runtime.CountDistinct(ctx, c.Tracks, db.TrackPrice)
	}, str), want: q("5")},
	{name: "count distinct of a relation's field", run: one(func(ctx context.Context, c *db.Client) (int64, error) {
		return runtime.CountDistinct(ctx, c.Tracks, db.TrackAlbum.Name)
	}, str), want: q("3")},
	{name: "aggregates of no row: NULL, and a count of 0", run: func(ctx context.Context, c *db.Client) ([]string, error) {
		s, err1 := runtime.Sum(ctx, none(c), db.TrackPosition)
		a, err2 := runtime.Avg(ctx, none(c), db.TrackSeconds)
		m, err3 := runtime.Max(ctx, none(c), db.TrackTitle)
		n, err4 := runtime.CountDistinct(ctx, none(c), db.TrackTitle)
		return q(nstr(s), nstr(a), nstr(m), str(n)), errors.Join(err1, err2, err3, err4)
	}, want: q("NULL", "NULL", "NULL", "0")},
	{name: "aggregates of only NULL values: NULL", run: func(ctx context.Context, c *db.Client) ([]string, error) {
		only := c.Tracks.Filter(db.TrackID.Eq(301))
		s, err1 := runtime.Sum(ctx, only, db.TrackPrice)
		a, err2 := runtime.AvgDecimal(ctx, only, db.TrackPrice, 2)
		m, err3 := runtime.Min(ctx, only, db.TrackAdded)
		return q(nstr(s), nstr(a), nstr(m)), errors.Join(err1, err2, err3)
	}, want: q("NULL", "NULL", "NULL")},
	{name: "an aggregate refuses Limit", run: one(func(ctx context.Context, c *db.Client) (runtime.Null[int64], error) {
		return runtime.Sum(ctx, c.Tracks.Limit(2), db.TrackPosition)
	}, nstr), want: q("error: " + runtime.ErrInvalidQuery.Error())},

	// GroupBy.
	{name: "group by a relation's field: exact Decimal sums", run: groups(func(ctx context.Context, c *db.Client) ([]runtime.Group[string, runtime.Decimal], error) {
		return runtime.GroupBy(ctx, c.Tracks, db.TrackAlbum.Name, runtime.SumOf(db.TrackPrice))
	}, str), want: q("Demos: 100.0000000000", "Fantasies: 19.5000000000", "Malibu: 24691357802469135789.7469135781")},
	{name: "group by an Enum: counts, in order of key", run: groups(func(ctx context.Context, c *db.Client) ([]runtime.Group[db.TrackKindEnum, int64], error) {
		return runtime.GroupBy(ctx, c.Tracks, db.TrackKind, runtime.CountOf(db.TrackID))
	}, str), want: q("album: 4", "bonus: 1", "single: 2")},
	{name: "group by a nullable field: the NULL group first", run: groups(func(ctx context.Context, c *db.Client) ([]runtime.Group[runtime.Null[int64], int64], error) {
		return runtime.GroupBy(ctx, c.Tracks, runtime.Nullable(db.TrackPosition), runtime.CountOf(db.TrackID))
	}, nstr[int64]), want: q("NULL: 1", "1: 3", "2: 2", "3: 1")},
	{name: "group by a key across a nullable relation", run: groups(func(ctx context.Context, c *db.Client) ([]runtime.Group[runtime.Null[int64], float64], error) {
		return runtime.GroupBy(ctx, c.Tracks, runtime.Nullable(db.TrackAlbum.ArtistID), runtime.AvgOf(db.TrackSeconds))
	}, nstr[int64]), want: q("NULL: 61.5", "1: 269.125", "2: 216.66666666666666")},
	{name: "group: a group of only NULL values sums to NULL", run: groups(func(ctx context.Context, c *db.Client) ([]runtime.Group[string, int64], error) {
		return runtime.GroupBy(ctx, c.Tracks.Filter(db.TrackID.In(301, 201)), db.TrackTitle, runtime.SumOf(db.TrackPosition))
	}, str), want: q("Help I'm Alive: 1", "Untitled: NULL")},
	{name: "group: Having a count", run: groups(func(ctx context.Context, c *db.Client) ([]runtime.Group[string, runtime.Decimal], error) {
		return runtime.GroupBy(ctx, c.Tracks, db.TrackAlbum.Name, runtime.MaxOf(db.TrackPrice), runtime.CountOf(db.TrackID).Gt(2))
	}, str), want: q("Malibu: 12345678901234567890.1234567891")},
	{name: "group: Having a Decimal sum, compared as numbers", run: groups(func(ctx context.Context, c *db.Client) ([]runtime.Group[string, int64], error) {
		return runtime.GroupBy(ctx, c.Tracks, db.TrackAlbum.Name, runtime.CountOf(db.TrackPrice),
			runtime.SumOf(db.TrackPrice).Gte(runtime.MustDecimal("100")), runtime.SumOf(db.TrackPrice).Lt(runtime.MustDecimal("1e19")))
	}, str), want: q("Demos: 1")},
	{name: "group by two fields", run: groups(func(ctx context.Context, c *db.Client) ([]runtime.Group[runtime.Tuple2[string, bool], int64], error) {
		return runtime.GroupBy2(ctx, c.Tracks.Filter(db.TrackAlbum.Name.Ne("Demos")), db.TrackAlbum.Name, db.TrackExplicit, runtime.CountOf(db.TrackID))
	}, func(k runtime.Tuple2[string, bool]) string { return k.A + " " + str(k.B) }),
		want: q("Fantasies false: 1", "Fantasies true: 1", "Malibu false: 2", "Malibu true: 1")},
	{name: "group by a nullable field read as plain", run: groups(func(ctx context.Context, c *db.Client) ([]runtime.Group[int64, int64], error) {
		return runtime.GroupBy(ctx, c.Tracks, db.TrackPosition, runtime.CountOf(db.TrackID))
	}, str), want: q("error: " + runtime.ErrNullValue.Error())},
	{name: "group: Having an average is refused", run: groups(func(ctx context.Context, c *db.Client) ([]runtime.Group[string, int64], error) {
		return runtime.GroupBy(ctx, c.Tracks, db.TrackTitle, runtime.CountOf(db.TrackID), runtime.AvgOf(db.TrackSeconds).Gt(1))
	}, str), want: q("error: " + runtime.ErrUnsupported.Error())},

	{name: "the generated package's wrappers, as lang/spec.md writes them", run: func(ctx context.Context, c *db.Client) ([]string, error) {
		client := c
		total, err1 := db.Sum(ctx, client.Tracks.Filter(db.TrackAlbum.Name.Eq("Malibu")), db.TrackPrice)
		n, err2 := db.CountDistinct(ctx, client.Tracks, db.TrackAlbum.Name)
		byAlbum, err3 := db.GroupBy(ctx, client.Tracks, db.TrackAlbum.Name, db.SumOf(db.TrackPrice),
			db.CountOf(db.TrackID).Gt(2))
		pairs, err4 := db.Values2(ctx, client.Tracks.OrderBy(db.TrackID.Asc()).Limit(1), db.TrackTitle, db.Nullable(db.TrackPrice))
		names, err5 := db.Values(ctx, db.Distinct(client.Tracks), db.TrackAlbum.Name)
		if err := errors.Join(err1, err2, err3, err4, err5); err != nil {
			return nil, err
		}
		return q(nstr(total), str(n), byAlbum[0].Key+" "+nstr(byAlbum[0].Value), pairs[0].A+" "+num(pairs[0].B), str(len(names))), nil
	}, want: q("24691357802469135789.7469135781", "3", "Malibu 24691357802469135789.7469135781", heart+" 12345678901234567890.1234567891", "3")},

	// Values and Distinct.
	{name: "values of two fields, in the query's order", run: list(func(ctx context.Context, c *db.Client) ([]runtime.Tuple2[string, runtime.Null[runtime.Decimal]], error) {
		return runtime.Values2(ctx, c.Tracks.OrderBy(db.TrackPrice.Desc()).Limit(3), db.TrackTitle, runtime.Nullable(db.TrackPrice))
	}, func(t runtime.Tuple2[string, runtime.Null[runtime.Decimal]]) string { return t.A + " " + num(t.B) }),
		want: q(heart+" 12345678901234567890.1234567891", bird+" "+priceBig, untitled+" 100")},
	{name: "values of three fields, across a nullable relation", run: list(func(ctx context.Context, c *db.Client) ([]runtime.Tuple3[int64, runtime.Null[runtime.Date], runtime.Null[time.Time]], error) {
		return runtime.Values3(ctx, c.Tracks.OrderBy(db.TrackID.Asc()).Offset(4).Limit(3), db.TrackID, runtime.Nullable(db.TrackAlbum.Released), runtime.Nullable(db.TrackAdded))
	}, func(t runtime.Tuple3[int64, runtime.Null[runtime.Date], runtime.Null[time.Time]]) string {
		return str(t.A) + " " + nstr(t.B) + " " + nstr(t.C)
	}), want: q("202 2009-04-14 NULL", "301 NULL NULL", "302 NULL 2024-03-01T10:00:00Z")},
	{name: "values of an Enum and a Boolean", run: list(func(ctx context.Context, c *db.Client) ([]runtime.Tuple2[db.TrackKindEnum, bool], error) {
		return runtime.Values2(ctx, c.Tracks.Filter(db.TrackAlbum.Name.Eq("Fantasies")).OrderBy(db.TrackID.Asc()), db.TrackKind, db.TrackExplicit)
	}, func(t runtime.Tuple2[db.TrackKindEnum, bool]) string { return str(t.A) + " " + str(t.B) }), want: q("album true", "single false")},
	{name: "values of a nullable field read as plain", run: list(func(ctx context.Context, c *db.Client) ([]float64, error) {
		return runtime.Values(ctx, c.Tracks, db.TrackSeconds)
	}, str), want: q("error: " + runtime.ErrNullValue.Error())},
	{name: "distinct values of a relation's field", run: list(func(ctx context.Context, c *db.Client) ([]string, error) {
		return runtime.Values(ctx, runtime.Distinct(c.Tracks), db.TrackAlbum.Name)
	}, str), want: q("Demos", "Fantasies", "Malibu")},
	{name: "distinct values, NULL first", run: list(func(ctx context.Context, c *db.Client) ([]runtime.Null[int64], error) {
		return runtime.Values(ctx, runtime.Distinct(c.Tracks), runtime.Nullable(db.TrackPosition))
	}, nstr[int64]), want: q("NULL", "1", "2", "3")},
	{name: "distinct pairs, ordered by the query's key first", run: list(func(ctx context.Context, c *db.Client) ([]runtime.Tuple2[db.TrackKindEnum, string], error) {
		return runtime.Values2(ctx, runtime.Distinct(c.Tracks.OrderBy(db.TrackAlbum.Name.Desc())).Limit(4), db.TrackKind, db.TrackAlbum.Name)
	}, func(t runtime.Tuple2[db.TrackKindEnum, string]) string { return t.B + " " + str(t.A) }),
		want: q("Malibu album", "Malibu single", "Fantasies album", "Fantasies single")},
	{name: "distinct values ordered by a field not read", run: list(func(ctx context.Context, c *db.Client) ([]string, error) {
		return runtime.Values(ctx, runtime.Distinct(c.Tracks.OrderBy(db.TrackID.Asc())), db.TrackTitle)
	}, str), want: q("error: " + runtime.ErrInvalidQuery.Error())},
}
