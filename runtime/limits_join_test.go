package runtime_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/ormc/ormc/internal/testdb"
	"github.com/ormc/ormc/runtime"
	"github.com/ormc/ormc/runtime/dialect"
)

// chainRow is a row of every table of a chain: C0.next → C1.next → … → C70.
type chainRow struct {
	ID   int64
	Name string
	Next runtime.Ref[*chainRow, int64]
}

// chainTables returns n+1 tables, as ormc generates them for
// model C0 "c0" < id Integer pk; name String(20); next C1 > … model Cn < id; name >,
// every odd key nullable, so that the chain mixes JOINs and LEFT JOINs.
func chainTables(n int) []*runtime.Table {
	ts := make([]*runtime.Table, n+1)
	for i := range ts {
		cols := []*runtime.Column{
			{Field: "id", Name: "id", Kind: runtime.KindInteger, Index: 0},
			{Field: "name", Name: "name", Kind: runtime.KindString, Index: 1, MaxLength: 20},
		}
		if i < n {
			cols = append(cols, &runtime.Column{Field: "next", Name: "next", Kind: runtime.KindInteger, Index: 2, Null: i%2 == 1})
		}
		null := i%2 == 1
		ts[i] = &runtime.Table{
			Model: fmt.Sprintf("C%d", i), Name: fmt.Sprintf("c%d", i), PK: 0, Columns: cols,
			New: func() any { return new(chainRow) },
			Ptr: func(row any, c int) any {
				r := row.(*chainRow)
				switch c {
				case 0:
					return &r.ID
				case 1:
					return &r.Name
				}
				if null {
					return &r.Next
				}
				return r.Next.KeyPtr()
			},
			Value: func(row any, c int) any {
				r := row.(*chainRow)
				return []any{r.ID, r.Name, r.Next.KeyValue()}[c]
			},
			Link: func(row any, c int) runtime.Linker { return &row.(*chainRow).Next },
		}
	}
	for i := range n {
		ts[i].Columns[2].Ref = ts[i+1]
	}
	return ts
}

// TestLimitsJoins: on a chain of 70 foreign keys, a query that reads
// runtime.MaxTables tables (its own and MaxTables-1 joined) works on every
// database, through typed fields, seed-style lookups, SelectRelated,
// OrderBy, Count, UpdateAll and DeleteAll; one that needs one more, or 71,
// fails with ErrTooComplex before anything is sent, alike on all three.
// Without the limit MariaDB refused 62 tables (error 1116) and took
// seconds to plan 18, SQLite refused 65, and PostgreSQL ran them.
func TestLimitsJoins(t *testing.T) {
	const n, maxTables = 70, runtime.MaxTables
	ts := chainTables(n)
	paths := make([]*runtime.Path, n+1) // paths[d] leads from C0 to Cd
	for d := 1; d <= n; d++ {
		paths[d] = runtime.ColAt(paths[d-1], ts[d-1], 2).Follow()
	}
	name := func(d int) *runtime.StringField[*chainRow] {
		return strField[*chainRow](runtime.ColAt(paths[d], ts[d], 1))
	}
	related := func(d int) *runtime.Rel[*chainRow, *chainRow] { return rel[*chainRow, *chainRow](paths[d]) }
	lookup := func(d int) string { return strings.Repeat("next__", d) + "name" }

	testdb.Each(t, func(t *testing.T, url string) {
		ctx := context.Background()
		var sent atomic.Int64
		db, err := openTestDB(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		db = db.Apply(runtime.WithHook(func(context.Context, runtime.QueryEvent) { sent.Add(1) }))
		d := db.Dialect()
		for i := n; i >= 0; i-- {
			q := func(s string) string { return dialect.Quote(d, s) }
			ddl := fmt.Sprintf("CREATE TABLE %s (%s INTEGER PRIMARY KEY, %s VARCHAR(20) NOT NULL", q(ts[i].Name), q("id"), q("name"))
			ins := fmt.Sprintf("INSERT INTO %s VALUES (1, '%s-1'), (2, '%s-2')", q(ts[i].Name), ts[i].Name, ts[i].Name)
			if i < n {
				ddl += fmt.Sprintf(", %s INTEGER REFERENCES %s (%s)", q("next"), q(ts[i+1].Name), q("id"))
				ins = fmt.Sprintf("INSERT INTO %s VALUES (1, '%s-1', 1), (2, '%s-2', 2)", q(ts[i].Name), ts[i].Name, ts[i].Name)
			}
			for _, s := range []string{ddl + ")", ins} {
				if _, err := db.Exec(ctx, s); err != nil {
					t.Fatalf("%s: %v", s, err)
				}
			}
		}
		c0 := runtime.NewQuery[*chainRow](db, ts[0])

		// MaxTables tables: every form runs and finds row 1 through MaxTables-1 keys.
		max := maxTables - 1
		for _, c := range []struct {
			form string
			q    *runtime.Query[*chainRow]
		}{
			{"typed", c0.Filter(name(max).Eq(fmt.Sprintf("c%d-1", max)))},
			{"seed-style", c0.Where(lookup(max), fmt.Sprintf("c%d-1", max))},
			{"select related", c0.SelectRelated(related(max)).Filter(ordField[*chainRow, int64](runtime.Col(ts[0], 0)).Eq(1))},
			{"order and filter", c0.Filter(name(max / 2).IExact(fmt.Sprintf("C%d-1", max/2))).OrderBy(name(max).Desc())},
			{"select related and filter", c0.SelectRelated(related(max / 2)).Filter(name(max).EndsWith("-1"))},
		} {
			got, err := c.q.All(ctx)
			if err != nil || len(got) != 1 || got[0].ID != 1 {
				t.Fatalf("%s, %d tables: %v, %v", c.form, maxTables, got, err)
			}
			if cnt, err := c.q.Limit(5).Count(ctx); err != nil || cnt != 1 {
				t.Errorf("%s, %d tables, count over a subquery: %d, %v", c.form, maxTables, cnt, err)
			}
		}
		got, err := c0.SelectRelated(related(max)).OrderBy(name(max).Desc()).All(ctx)
		if err != nil || len(got) != 2 || got[0].ID != 2 {
			t.Fatalf("select related %d levels, ordered: %v, %v", max, got, err)
		}
		row := got[0]
		for lvl := 1; lvl <= max; lvl++ {
			next, err := row.Next.Value()
			if err != nil || next == nil || next.Name != fmt.Sprintf("c%d-2", lvl) {
				t.Fatalf("level %d of the related rows: %v, %v", lvl, next, err)
			}
			row = next
		}
		if _, err := row.Next.Value(); !errors.Is(err, runtime.ErrNotLoaded) {
			t.Errorf("level %d was not asked for: %v", max+1, err)
		}
		if u, err := c0.Filter(name(max).Eq(fmt.Sprintf("c%d-2", max))).UpdateAll(ctx, strField[*chainRow](runtime.Col(ts[0], 1)).Set("moved")); err != nil || u != 1 {
			t.Errorf("update across %d tables: %d, %v", maxTables, u, err)
		}

		// MaxTables+1 and 71 tables: refused alike, nothing sent.
		sent.Store(0)
		for _, deep := range []int{max + 1, n} {
			for _, c := range []struct {
				form string
				run  func() error
			}{
				{"typed", func() error { _, err := c0.Filter(name(deep).Eq("x")).All(ctx); return err }},
				{"seed-style", func() error { _, err := c0.Where(lookup(deep), "x").All(ctx); return err }},
				{"select related", func() error { _, err := c0.SelectRelated(related(deep)).All(ctx); return err }},
				{"order", func() error { _, err := c0.OrderBy(name(deep).Asc()).All(ctx); return err }},
				{"select related and filter", func() error {
					_, err := c0.SelectRelated(related(deep / 2)).Filter(name(deep).Eq("x")).First(ctx)
					return err
				}},
				{"count", func() error { _, err := c0.Filter(name(deep).Eq("x")).Count(ctx); return err }},
				{"exists", func() error { _, err := c0.Where(lookup(deep), "x").Exists(ctx); return err }},
				{"update", func() error {
					_, err := c0.Filter(name(deep).Eq("x")).UpdateAll(ctx, strField[*chainRow](runtime.Col(ts[0], 1)).Set("y"))
					return err
				}},
				{"delete", func() error { _, err := c0.Where(lookup(deep), fmt.Sprintf("c%d-1", deep)).DeleteAll(ctx); return err }},
			} {
				err := c.run()
				var op *runtime.OpError
				if !errors.Is(err, runtime.ErrTooComplex) || !errors.As(err, &op) || op.Model != "C0" ||
					!strings.Contains(err.Error(), fmt.Sprint(deep+1, " tables")) {
					t.Errorf("%s, %d tables: want ErrTooComplex naming C0 and %d tables, got %v", c.form, deep+1, deep+1, err)
				}
			}
		}
		if sent.Load() != 0 {
			t.Errorf("%d statements sent for queries over %d tables", sent.Load(), maxTables)
		}

		// DeleteAll across MaxTables tables, last: it removes row 1 only.
		if del, err := c0.Where(lookup(max), fmt.Sprintf("c%d-1", max)).DeleteAll(ctx); err != nil || del != 1 {
			t.Fatalf("delete across %d tables: %d, %v", maxTables, del, err)
		}
		if left, err := c0.All(ctx); err != nil || len(left) != 1 || left[0].ID != 2 || left[0].Name != "moved" {
			t.Fatalf("after update and delete: %v, %v", left, err)
		}
	})
}

// TestLimitsLookupLength: a seed-style lookup longer than a path through
// MaxTables tables (and a lookup) is refused as a *LookupError wrapping ErrTooComplex
// before its segments are resolved, so a hostile string of a million
// segments over a self-reference costs a scan, not a path per segment
// (which grew with the square of its length).
func TestLimitsLookupLength(t *testing.T) {
	self := chainTables(1)[0]
	self.Columns[2].Ref = self
	ok := strings.Repeat("next__", runtime.MaxTables-1) + "name__iexact"
	if _, err := runtime.Lookup[*chainRow](self, ok, "x"); err != nil {
		t.Fatalf("Lookup through %d tables: %v", runtime.MaxTables, err)
	}
	for _, n := range []int{runtime.MaxTables + 1, 1_000_000} {
		lookup := strings.Repeat("next__", n) + "name"
		_, err := runtime.Lookup[*chainRow](self, lookup, "x")
		var le *runtime.LookupError
		if !errors.Is(err, runtime.ErrTooComplex) || !errors.As(err, &le) {
			t.Fatalf("Lookup of %d joins: err = %v, want a *LookupError wrapping ErrTooComplex", n, err)
		}
		if len(le.Lookup) > 210 {
			t.Errorf("LookupError.Lookup holds %d bytes of the string; want it shortened", len(le.Lookup))
		}
	}
}
