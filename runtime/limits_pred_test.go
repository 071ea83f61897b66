package runtime_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/ormc/ormc/internal/testdb"
	"github.com/ormc/ormc/runtime"
)

// Conditions of every size a program builds: flat lists of thousands of
// terms, long chains of Filter and Exclude, and deep nesting.

// limTerm is a predicate with what it means in Go: match reports whether
// it holds for a row (false where SQL would say unknown).
type limTerm struct {
	p     runtime.Pred[*note]
	match func(*note) bool
}

// limKind makes the j-th term of one lookup kind, typed for even j and
// seed-style (Lookup) for odd j.
type limKind struct {
	name   string
	lookup string
	value  func(j int) any
	typed  func(v any) runtime.Pred[*note]
	match  func(r *note, v any) bool
}

// sparse spreads j over a range far wider than the rows, so that a list of
// terms matches some rows and not others.
func sparse(j int) int { return (j*7919 + 13) % 20000 }

func rankIs(r *note, f func(int64) bool) bool {
	v, ok := r.Rank.Get()
	return ok && f(v)
}

// limKinds are the lookup kinds of the notes table, each with its meaning.
func limKinds(ids []int64) []limKind {
	id := func(j int) int64 {
		if i := sparse(j); i < len(ids) {
			return ids[i]
		}
		return int64(1_000_000 + j)
	}
	text := func(f string) func(int) any { return func(j int) any { return fmt.Sprintf(f, sparse(j)) } }
	rank := func(j int) any { return int64(sparse(j) % 40) }
	lower := strings.ToLower
	return []limKind{
		{"exact", "pk", func(j int) any { return id(j) },
			func(v any) runtime.Pred[*note] { return noteID.Eq(v.(int64)) },
			func(r *note, v any) bool { return r.ID == v.(int64) }},
		{"exact nullable", "rank", rank,
			func(v any) runtime.Pred[*note] { return noteRank.Eq(v.(int64)) },
			func(r *note, v any) bool { return rankIs(r, func(x int64) bool { return x == v.(int64) }) }},
		{"ne nullable", "rank__ne", rank,
			func(v any) runtime.Pred[*note] { return noteRank.Ne(v.(int64)) },
			func(r *note, v any) bool { return !rankIs(r, func(x int64) bool { return x == v.(int64) }) }},
		{"iexact", "text__iexact", text("NOTE %d!"),
			func(v any) runtime.Pred[*note] { return noteText.IExact(v.(string)) },
			func(r *note, v any) bool { return strings.EqualFold(r.Text, v.(string)) }},
		{"contains", "text__contains", text("e %d!"),
			func(v any) runtime.Pred[*note] { return noteText.Contains(v.(string)) },
			func(r *note, v any) bool { return strings.Contains(r.Text, v.(string)) }},
		{"icontains", "text__icontains", text("TE %d!"),
			func(v any) runtime.Pred[*note] { return noteText.IContains(v.(string)) },
			func(r *note, v any) bool { return strings.Contains(lower(r.Text), lower(v.(string))) }},
		{"startswith", "text__startswith", text("Note %d!"),
			func(v any) runtime.Pred[*note] { return noteText.StartsWith(v.(string)) },
			func(r *note, v any) bool { return strings.HasPrefix(r.Text, v.(string)) }},
		{"istartswith", "text__istartswith", text("NOTE %d!"),
			func(v any) runtime.Pred[*note] { return noteText.IStartsWith(v.(string)) },
			func(r *note, v any) bool { return strings.HasPrefix(lower(r.Text), lower(v.(string))) }},
		{"endswith", "text__endswith", text(" %d!"),
			func(v any) runtime.Pred[*note] { return noteText.EndsWith(v.(string)) },
			func(r *note, v any) bool { return strings.HasSuffix(r.Text, v.(string)) }},
		{"iendswith", "text__iendswith", text("E %d!"),
			func(v any) runtime.Pred[*note] { return noteText.IEndsWith(v.(string)) },
			func(r *note, v any) bool { return strings.HasSuffix(lower(r.Text), lower(v.(string))) }},
		{"lt nullable", "rank__lt", func(j int) any { return int64(sparse(j)%40 - 30) },
			func(v any) runtime.Pred[*note] { return noteRank.Lt(v.(int64)) },
			func(r *note, v any) bool { return rankIs(r, func(x int64) bool { return x < v.(int64) }) }},
		{"gte", "pk__gte", func(j int) any { return id(j) },
			func(v any) runtime.Pred[*note] { return noteID.Gte(v.(int64)) },
			func(r *note, v any) bool { return r.ID >= v.(int64) }},
		{"in", "pk__in", func(j int) any { return []int64{id(j), id(j + 5000)} },
			func(v any) runtime.Pred[*note] { return noteID.In(v.([]int64)...) },
			func(r *note, v any) bool { return slices.Contains(v.([]int64), r.ID) }},
		{"isnull", "rank__isnull", func(int) any { return true },
			func(v any) runtime.Pred[*note] { return noteRank.IsNull(v.(bool)) },
			func(r *note, v any) bool { return r.Rank.IsNull() == v.(bool) }},
		{"boolean", "completed", func(int) any { return true },
			func(v any) runtime.Pred[*note] { return noteCompleted.Eq(v.(bool)) },
			func(r *note, v any) bool { return r.Completed == v.(bool) }},
	}
}

// terms returns n terms of kind k.
func (k limKind) terms(t *testing.T, n int) []limTerm {
	out := make([]limTerm, n)
	for j := range out {
		v := k.value(j)
		p := k.typed(v)
		if j%2 == 1 {
			var err error
			if p, err = runtime.Lookup[*note](noteTable, k.lookup, v); err != nil {
				t.Fatal(err)
			}
		}
		out[j] = limTerm{p, func(r *note) bool { return k.match(r, v) }}
	}
	return out
}

// limNotes stores n notes: mixed case, every fifth rank NULL.
func limNotes(t *testing.T, notes *runtime.Query[*note], n int) []*note {
	rows := make([]*note, n)
	for i := range rows {
		f := "Note %d!"
		if i%2 == 1 {
			f = "nOTE %d!"
		}
		rows[i] = &note{Text: fmt.Sprintf(f, i), Completed: i%3 == 0}
		if i%5 != 0 {
			rows[i].Rank = runtime.Some(int64(i % 40))
		}
	}
	if err := notes.BulkCreate(context.Background(), rows); err != nil {
		t.Fatal(err)
	}
	return rows
}

// wantIDs returns the keys of the rows that match, in order.
func wantIDs(rows []*note, match func(*note) bool) []int64 {
	var out []int64
	for _, r := range rows {
		if match(r) {
			out = append(out, r.ID)
		}
	}
	return out
}

func gotIDs(rows []*note) []int64 {
	out := make([]int64, len(rows))
	for i, r := range rows {
		out[i] = r.ID
	}
	slices.Sort(out)
	return out
}

func anyOf(ts []limTerm) func(*note) bool {
	return func(r *note) bool { return slices.ContainsFunc(ts, func(x limTerm) bool { return x.match(r) }) }
}

func noneOf(ts []limTerm) func(*note) bool {
	any := anyOf(ts)
	return func(r *note) bool { return !any(r) }
}

func preds(ts []limTerm) []runtime.Pred[*note] {
	out := make([]runtime.Pred[*note], len(ts))
	for i, x := range ts {
		out[i] = x.p
	}
	return out
}

// TestLimitsFlatBool: a flat Or or And of 10,000 terms of every lookup
// kind, typed and seed-style, and chains of 10,000 Filter, Exclude and
// Where calls, return exactly the rows Go selects on every database. SQLite
// refused a flat list of about 1,000 terms ("Expression tree is too
// large"), and a chain of Filter calls nested one parenthesis per call.
func TestLimitsFlatBool(t *testing.T) {
	// 10,000 terms of the first kind, 2,000 of the others, which SQLite
	// is slow to plan; SQLite refused 1,000. Under -short, just over that
	// on 100 rows: SQLite runs each of 1,100 terms on every row, and on
	// 300 the case-insensitive kinds alone took 7 s (ormc_lower is a Go
	// function called per term and row). The rows each kind and shape
	// selects are as few or as many of 100 as of 300: none, all, or some.
	big, small, nrows := 10_000, 2_000, 300
	if testing.Short() {
		big, small, nrows = 1_100, 1_100, 100
	}
	testdb.Each(t, func(t *testing.T, url string) {
		ctx := context.Background()
		notes := openNotes(t, url)
		rows := limNotes(t, notes, nrows)
		ids := make([]int64, len(rows))
		for i, r := range rows {
			ids[i] = r.ID
		}
		for i, k := range limKinds(ids) {
			n := small
			if i == 0 {
				n = big
			}
			ts := k.terms(t, n)
			nots := make([]runtime.Pred[*note], n)
			pairs := make([]runtime.Pred[*note], n/2) // within the parameter limit
			for j, x := range ts {
				nots[j] = runtime.Not(x.p)
				if j < len(pairs) {
					pairs[j] = runtime.And(x.p, runtime.Not(ts[j+1].p))
				}
			}
			filterChain, excludeChain, whereChain := notes, notes, notes
			for j, x := range ts {
				filterChain = filterChain.Filter(runtime.Not(x.p))
				excludeChain = excludeChain.Exclude(x.p)
				whereChain = whereChain.Where(k.lookup, k.value(j))
			}
			for _, c := range []struct {
				shape string
				q     *runtime.Query[*note]
				match func(*note) bool
			}{
				{"or", notes.Filter(runtime.Or(preds(ts)...)), anyOf(ts)},
				{"and of not", notes.Filter(runtime.And(nots...)), noneOf(ts)},
				{"exclude or", notes.Exclude(runtime.Or(preds(ts)...)), noneOf(ts)},
				{"exclude list", notes.Exclude(preds(ts)...), func(r *note) bool {
					return slices.ContainsFunc(ts, func(x limTerm) bool { return !x.match(r) })
				}},
				{"or of and", notes.Filter(runtime.Or(pairs...)), func(r *note) bool {
					for j := range pairs {
						if ts[j].match(r) && !ts[j+1].match(r) {
							return true
						}
					}
					return false
				}},
				{"filter chain", filterChain, noneOf(ts)},
				{"exclude chain", excludeChain, noneOf(ts)},
				{"where chain", whereChain, func(r *note) bool {
					return !slices.ContainsFunc(ts, func(x limTerm) bool { return !x.match(r) })
				}},
			} {
				want := wantIDs(rows, c.match)
				got, err := c.q.All(ctx)
				if err != nil {
					t.Errorf("%s, %s of %d: %v", k.name, c.shape, n, err)
					continue
				}
				if g := gotIDs(got); !slices.Equal(g, want) {
					t.Errorf("%s, %s of %d: %d rows, want %d", k.name, c.shape, n, len(g), len(want))
				}
				if cnt, err := c.q.Count(ctx); err != nil || cnt != int64(len(want)) {
					t.Errorf("%s, %s of %d: count %d, %v; want %d", k.name, c.shape, n, cnt, err, len(want))
				}
			}
		}

		// A write by a flat list deletes exactly the rows it describes.
		n := big
		ts := limKinds(ids)[0].terms(t, n)
		want := wantIDs(rows, anyOf(ts))
		if len(want) == 0 || len(want) == len(rows) {
			t.Fatalf("the list selects %d of %d rows: a weak test", len(want), len(rows))
		}
		if del, err := notes.Filter(runtime.Or(preds(ts)...)).DeleteAll(ctx); err != nil || del != int64(len(want)) {
			t.Fatalf("delete by %d terms: %d, %v; want %d", n, del, err, len(want))
		}
		left, err := notes.All(ctx)
		if err != nil || !slices.Equal(gotIDs(left), wantIDs(rows, noneOf(ts))) {
			t.Fatalf("after delete: %d rows, %v", len(left), err)
		}
	})
}

// limDeep nests d levels over leaf terms of every kind, turn by turn an
// Or, an And and a Not, none directly inside another of its kind, so that
// each adds one level.
func limDeep(t *testing.T, kinds []limKind, d int) limTerm {
	leaf := func(i int) limTerm { return kinds[i%len(kinds)].terms(t, i/len(kinds)+1)[i/len(kinds)] }
	cur := leaf(0)
	for i := range d {
		inner, x := cur, leaf(i+1)
		switch i % 3 {
		case 0:
			cur = limTerm{runtime.Or(x.p, inner.p), func(r *note) bool { return x.match(r) || inner.match(r) }}
		case 1:
			cur = limTerm{runtime.And(inner.p, runtime.Not(x.p)), func(r *note) bool { return inner.match(r) && !x.match(r) }}
		default:
			cur = limTerm{runtime.Not(inner.p), func(r *note) bool { return !inner.match(r) }}
		}
	}
	return cur
}

// TestLimitsPredDepth: a condition nested runtime.MaxPredDepth levels
// deep runs on every database, in a SELECT, a COUNT over a subquery, an
// UPDATE and a DELETE; one level more, or a hostile depth of 100,000 Nots,
// fails with ErrTooComplex before any statement is sent. SQLite refused
// about 500 nested Nots ("Expression tree is too large"), MariaDB about
// 470 ("Thread stack overrun"), PostgreSQL about 3,000 ("memory exhausted").
func TestLimitsPredDepth(t *testing.T) {
	const maxDepth = runtime.MaxPredDepth
	testdb.Each(t, func(t *testing.T, url string) {
		ctx := context.Background()
		var sent atomic.Int64
		_, notes := openNotesDB(t, url, runtime.WithHook(func(context.Context, runtime.QueryEvent) { sent.Add(1) }))
		rows := limNotes(t, notes, 300)
		ids := make([]int64, len(rows))
		for i, r := range rows {
			ids[i] = r.ID
		}
		kinds := limKinds(ids)

		// At the limit: every statement runs and returns Go's rows.
		deep := limDeep(t, kinds, maxDepth)
		want := wantIDs(rows, deep.match)
		if len(want) == 0 || len(want) == len(rows) {
			t.Fatalf("the condition selects %d of %d rows: a weak test", len(want), len(rows))
		}
		got, err := notes.Filter(deep.p).All(ctx)
		if err != nil || !slices.Equal(gotIDs(got), want) {
			t.Fatalf("depth %d: %d rows, %v; want %d", maxDepth, len(got), err, len(want))
		}
		if c, err := notes.Filter(deep.p).Limit(1000).Count(ctx); err != nil || c != int64(len(want)) {
			t.Errorf("depth %d, count over a subquery: %d, %v; want %d", maxDepth, c, err, len(want))
		}
		under := limDeep(t, kinds, maxDepth-1)
		excl := wantIDs(rows, func(r *note) bool { return !under.match(r) })
		if got, err := notes.Exclude(under.p).All(ctx); err != nil || !slices.Equal(gotIDs(got), excl) {
			t.Errorf("exclude depth %d: %d rows, %v; want %d", maxDepth-1, len(got), err, len(excl))
		}
		if got, err := notes.Filter(under.p).Filter(noteCompleted.Eq(true)).All(ctx); err != nil ||
			!slices.Equal(gotIDs(got), wantIDs(rows, func(r *note) bool { return under.match(r) && r.Completed })) {
			t.Errorf("depth %d and a second filter: %d rows, %v", maxDepth-1, len(got), err)
		}
		if n, err := notes.Filter(deep.p).UpdateAll(ctx, noteText.Set("updated")); err != nil {
			t.Errorf("update at depth %d: %d, %v", maxDepth, n, err)
		}
		if c, err := notes.Filter(noteText.Eq("updated")).Count(ctx); err != nil || c != int64(len(want)) {
			t.Errorf("update at depth %d changed %d rows, %v; want %d", maxDepth, c, err, len(want))
		}

		// Beyond it: refused, nothing sent, the table unchanged.
		deeper := limDeep(t, kinds, maxDepth+1).p
		nots := runtime.Pred[*note](noteRank.Eq(2))
		for range 100_000 {
			nots = runtime.Not(nots)
		}
		mixed := runtime.Pred[*note](noteRank.Eq(2))
		for i := range 10_000 {
			if i%2 == 0 {
				mixed = runtime.Or(noteID.Eq(int64(i)), runtime.And(mixed, noteRank.Ne(int64(i))))
			} else {
				mixed = runtime.And(noteID.Ne(int64(i)), runtime.Or(mixed, noteRank.Eq(int64(i))))
			}
		}
		sent.Store(0)
		for _, c := range []struct {
			name string
			run  func() error
		}{
			{"all", func() error { _, err := notes.Filter(deeper).All(ctx); return err }},
			{"count", func() error { _, err := notes.Filter(deeper).Count(ctx); return err }},
			{"get", func() error { _, err := notes.Get(ctx, deeper); return err }},
			{"exclude at the limit", func() error { _, err := notes.Exclude(deep.p).All(ctx); return err }},
			{"a second filter at the limit", func() error {
				_, err := notes.Filter(deep.p).Filter(noteCompleted.Eq(true)).All(ctx)
				return err
			}},
			{"update", func() error { _, err := notes.Filter(deeper).UpdateAll(ctx, noteText.Set("x")); return err }},
			{"delete", func() error { _, err := notes.Filter(deeper).DeleteAll(ctx); return err }},
			{"100,000 nots", func() error { _, err := notes.Filter(nots).All(ctx); return err }},
			{"10,000 or-and", func() error { _, err := notes.Exclude(mixed).DeleteAll(ctx); return err }},
		} {
			err := c.run()
			var op *runtime.OpError
			if !errors.Is(err, runtime.ErrTooComplex) || !errors.As(err, &op) || op.Model != "Note" {
				t.Errorf("%s: want ErrTooComplex naming Note, got %v", c.name, err)
			}
		}
		if sent.Load() != 0 {
			t.Errorf("%d statements sent for conditions nested too deep", sent.Load())
		}
		if c, err := notes.Count(ctx); err != nil || c != int64(len(rows)) {
			t.Errorf("count after refusals: %d, %v; want %d", c, err, len(rows))
		}
	})
}
