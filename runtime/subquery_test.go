package runtime_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/ormc/ormc/internal/testdb"
	"github.com/ormc/ormc/runtime"
)

// TestSubqueries: InQuery, InValues and Exists on the chain C0 → C1 → C2
// (C1's key nullable, its third row's NULL): a query's keys or one field
// as another's values, with Limit and Offset (which MySQL refuses in an
// IN subquery unless wrapped), nested, negated with a NULL about, in
// UpdateAll and DeleteAll of the table the subquery reads (MySQL's
// "can't specify target table"), and the refusals before any SQL.
func TestSubqueries(t *testing.T) {
	ts := chainTables(2)
	id := func(i int) *runtime.OrderedField[*chainRow, int64] {
		return ordField[*chainRow, int64](runtime.Col(ts[i], 0))
	}
	name := func(i int) *runtime.StringField[*chainRow] { return strField[*chainRow](runtime.Col(ts[i], 1)) }
	next := func(i int) *runtime.OrderedField[*chainRow, int64] {
		return ordField[*chainRow, int64](runtime.Col(ts[i], 2))
	}
	next0 := rel[*chainRow, *chainRow](runtime.Col(ts[0], 2).Follow())
	next1 := rel[*chainRow, *chainRow](runtime.Col(ts[1], 2).Follow())
	testdb.Each(t, func(t *testing.T, url string) {
		ctx := context.Background()
		var ev events
		db := relOpen(t, url).Apply(runtime.WithHook(ev.hook))
		createChain(t, db, ts)
		c := []*runtime.Query[*chainRow]{runtime.NewQuery[*chainRow](db, ts[0]), runtime.NewQuery[*chainRow](db, ts[1]), runtime.NewQuery[*chainRow](db, ts[2])}
		ids := func(q *runtime.Query[*chainRow]) []int64 {
			t.Helper()
			rows, err := q.All(ctx)
			slices.SortFunc(rows, func(a, b *chainRow) int { return int(a.ID - b.ID) })
			if err != nil {
				t.Fatal(err)
			}
			out := []int64{}
			for _, r := range rows {
				out = append(out, r.ID)
			}
			return out
		}
		for _, tc := range []struct {
			name string
			q    *runtime.Query[*chainRow]
			want []int64
		}{
			{"keys", c[0].Filter(runtime.InQuery(next0, c[1].Filter(name(1).Eq("c1-2")))), []int64{2}},
			{"keys of none", c[0].Filter(runtime.InQuery(next0, c[1].Filter(name(1).Eq("none")))), []int64{}},
			{"limited, by key", c[0].Filter(runtime.InQuery(next0, c[1].Limit(1))), []int64{1}},
			{"ordered, limited and offset", c[0].Filter(runtime.InQuery(next0, c[1].OrderBy(id(1).Desc()).Limit(2).Offset(1))), []int64{1, 2}},
			{"offset alone", c[0].Filter(runtime.InQuery(next0, c[1].Offset(1))), []int64{2}},
			{"a field", c[1].Filter(runtime.InValues(next(1), c[2].Filter(name(2).Eq("c2-1")), id(2))), []int64{1}},
			{"not keeps NULL", c[1].Exclude(runtime.InValues(next(1), c[2].Filter(name(2).Eq("c2-1")), id(2))), []int64{2, 3}},
			{"values with a NULL", c[0].Filter(runtime.InValues(id(0), c[1], next(1))), []int64{1, 2}},
			{"not, values with a NULL", c[0].Exclude(runtime.InValues(id(0), c[1].Filter(id(1).Eq(1)).Limit(5), next(1))), []int64{2}},
			{"exists", c[1].Filter(runtime.Exists(id(1), c[0], next(0))), []int64{1, 2}},
			{"not exists", c[1].Exclude(runtime.Exists(id(1), c[0], next(0))), []int64{3}},
			{"exists with a condition", c[1].Filter(runtime.Exists(id(1), c[0].Filter(name(0).Eq("c0-2")), next(0))), []int64{2}},
			{"nested", c[0].Filter(runtime.InQuery(next0, c[1].Filter(runtime.InQuery(next1, c[2].Filter(name(2).Eq("c2-2")))))), []int64{2}},
		} {
			if got := ids(tc.q); !slices.Equal(got, tc.want) {
				t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
			}
		}

		// Across relations, outside the subquery and in it.
		if got := ids(c[0].Filter(runtime.InValues(strField[*chainRow](runtime.ColAt(runtime.Col(ts[0], 2).Follow(), ts[1], 1)), c[1].Filter(runtime.InValues(next(1), c[2], id(2))), name(1)))); !slices.Equal(got, []int64{1, 2}) {
			t.Errorf("across relations: %v", got)
		}

		// Count, UpdateAll and DeleteAll, the subquery reading the table
		// written.
		mine := runtime.InValues(id(1), c[1].Filter(name(1).Eq("c1-3")), id(1))
		if n, err := c[1].Filter(mine).Count(ctx); err != nil || n != 1 {
			t.Errorf("Count: %d, %v", n, err)
		}
		if n, err := c[1].Filter(runtime.Exists(id(1), c[1].Filter(next(1).IsNull(true)), id(1))).UpdateAll(ctx, name(1).Set("c1-3b")); err != nil || n != 1 {
			t.Errorf("UpdateAll: %d, %v", n, err)
		}
		if n, err := c[1].Filter(runtime.InValues(name(1), c[1].Filter(id(1).Eq(3)), name(1))).DeleteAll(ctx); err != nil || n != 1 {
			t.Errorf("DeleteAll: %d, %v", n, err)
		}

		// Refused before any SQL.
		ev.take()
		for _, r := range []struct {
			name string
			p    runtime.Pred[*chainRow]
			want error
		}{
			{"Exists with a Limit", runtime.Exists(id(1), c[0].Limit(1), next(0)), runtime.ErrInvalidQuery},
			{"Exists with an Offset", runtime.Exists(id(1), c[0].Offset(1), next(0)), runtime.ErrInvalidQuery},
			{"a locked subquery", runtime.InValues(id(1), c[0].Lock(runtime.ForUpdate), next(0)), runtime.ErrInvalidQuery},
			{"a subquery that fails", runtime.InValues(id(1), c[0].Limit(-1), next(0)), runtime.ErrInvalidQuery},
			{"a field of another model in the subquery", runtime.InValues(id(1), c[0], id(2)), runtime.ErrWrongModel},
			{"a field of another model outside", runtime.InValues(id(2), c[0], next(0)), runtime.ErrWrongModel},
		} {
			if _, err := c[1].Filter(r.p).All(ctx); !errors.Is(err, r.want) {
				t.Errorf("%s: %v, want %v", r.name, err, r.want)
			}
		}
		if evs := ev.take(); len(evs) != 0 {
			t.Errorf("refusals sent %d statements, the first %s", len(evs), evs[0].SQL)
		}
	})
}

// TestSubqueryDecimals: a Decimal among a subquery's values matches by
// value, 9.5 as 9.50, on SQLite too, where both are text.
func TestSubqueryDecimals(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		ctx := context.Background()
		products := openProducts(t, url)
		for _, p := range []product{{Stock: 1, Price: runtime.MustDecimal("9.5")}, {Stock: 2, Price: runtime.MustDecimal("9.50")}, {Stock: 3, Price: runtime.MustDecimal("10")}} {
			if _, err := products.Create(ctx, &p); err != nil {
				t.Fatal(err)
			}
		}
		for _, tc := range []struct {
			name string
			p    runtime.Pred[*product]
		}{
			{"in", runtime.InValues(productPrice, products.Filter(productStock.Eq(2)), productPrice)},
			{"exists", runtime.Exists(productPrice, products.Filter(productStock.Eq(2)), productPrice)},
		} {
			n, err := products.Filter(tc.p).Count(ctx)
			if err != nil || n != 2 {
				t.Errorf("%s: %d rows priced 9.50, %v; want 2", tc.name, n, err)
			}
		}
	})
}
