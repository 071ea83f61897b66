package runtime_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/ormc/ormc/internal/testdb"
	"github.com/ormc/ormc/runtime"
)

// Predicates re-rooted through relations (Rel.Match, Rel.Order), and
// IsNull and SetNull on fields that cannot be NULL.

func chainIDs(rows []*chainRow) []int64 {
	ids := make([]int64, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	return ids
}

// TestRelMatch: on the hand-written chain C1.next (nullable) → C2.next →
// C3, a predicate on C3 matched through two relations (Match of a Match)
// selects the C1 rows the seed-style lookup through the same keys selects;
// several predicates are ANDed; the related row's key needs no JOIN; Not
// and Exclude of a Match keep the row whose key is NULL, which the Match
// does not select; Order re-roots an ordering, NULL keys first ascending.
func TestRelMatch(t *testing.T) {
	ts := chainTables(3)[1:] // C1.next nullable → C2.next required → C3
	c1ID := runtime.NewOrderedField[*chainRow, int64](runtime.Col(ts[0], 0))
	c2ID := runtime.NewOrderedField[*chainRow, int64](runtime.Col(ts[1], 0))
	c2Name := runtime.NewStringField[*chainRow](runtime.Col(ts[1], 1))
	c3Name := runtime.NewStringField[*chainRow](runtime.Col(ts[2], 1))
	next1 := runtime.NewRel[*chainRow, *chainRow](runtime.Col(ts[0], 2).Follow()) // from C1 to C2
	next2 := runtime.NewRel[*chainRow, *chainRow](runtime.Col(ts[1], 2).Follow()) // from C2 to C3
	testdb.Each(t, func(t *testing.T, url string) {
		ctx := context.Background()
		var ev events
		db := relOpen(t, url).Apply(runtime.WithHook(ev.hook))
		createChain(t, db, ts)
		c1 := runtime.NewQuery[*chainRow](db, ts[0]).OrderBy(c1ID.Asc())
		seed, err := runtime.Lookup[*chainRow](ts[1], "next__name__iexact", "C3-2") // on C2
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			name  string
			q     *runtime.Query[*chainRow]
			want  []int64
			joins int
		}{
			{"a seed-style predicate re-rooted", c1.Filter(next1.Match(seed)), []int64{2}, 2},
			{"two steps", c1.Filter(next1.Match(next2.Match(c3Name.Eq("c3-1")))), []int64{1}, 2},
			{"two steps, seed-style", c1.Where("next__next__name", "c3-1"), []int64{1}, 2},
			{"two steps, text lookup", c1.Filter(next1.Match(next2.Match(c3Name.StartsWith("c3-")))), []int64{1, 2}, 2},
			{"ANDed", c1.Filter(next1.Match(c2Name.Eq("c2-2"), next2.Match(c3Name.Eq("c3-2")))), []int64{2}, 2},
			{"ANDed, none", c1.Filter(next1.Match(c2Name.Eq("c2-1"), next2.Match(c3Name.Eq("c3-2")))), nil, 2},
			{"Not inside, the key not NULL", c1.Filter(next1.Match(c2ID.IsNull(false), next2.Match(runtime.Not(c3Name.Eq("c3-1"))))), []int64{2}, 2},
			{"Or inside", c1.Filter(next1.Match(runtime.Or(c2Name.Eq("c2-1"), c2Name.Eq("c2-2")))), []int64{1, 2}, 1},
			{"the related key", c1.Filter(next1.Match(c2ID.Eq(2))), []int64{2}, 0},
			{"the related key, two steps", c1.Filter(next1.Match(next2.Match(ordField[*chainRow, int64](runtime.Col(ts[2], 0)).In(1)))), []int64{1}, 1},
			{"Not keeps the NULL key", c1.Filter(runtime.Not(next1.Match(next2.Match(c3Name.Eq("c3-1"))))), []int64{2, 3}, 2},
			{"Exclude keeps the NULL key", c1.Exclude(next1.Match(c2Name.Eq("c2-1"))), []int64{2, 3}, 1},
			{"Not of a key match keeps the NULL key", c1.Filter(runtime.Not(next1.Match(c2ID.Eq(1)))), []int64{2, 3}, 0},
			{"ordered through two steps", runtime.NewQuery[*chainRow](db, ts[0]).OrderBy(next1.Order(next2.Order(c3Name.Desc()))), []int64{2, 1, 3}, 2},
			{"ordered, NULL first", runtime.NewQuery[*chainRow](db, ts[0]).OrderBy(next1.Order(c2Name.Asc())), []int64{3, 1, 2}, 1},
		} {
			ev.take()
			rows, err := c.q.All(ctx)
			if err != nil {
				t.Errorf("%s: %v", c.name, err)
				continue
			}
			if got := chainIDs(rows); !slices.Equal(got, c.want) {
				t.Errorf("%s: rows %v, want %v", c.name, got, c.want)
			}
			evs := ev.take()
			if len(evs) != 1 {
				t.Errorf("%s: %d statements", c.name, len(evs))
				continue
			}
			if n := strings.Count(evs[0].SQL, "JOIN"); n != c.joins {
				t.Errorf("%s: %d JOINs, want %d: %s", c.name, n, c.joins, evs[0].SQL)
			}
		}

		// A Rel is a Relation: the rows it leads to are loaded.
		rows, err := runtime.NewQuery[*chainRow](db, ts[0]).SelectRelated(next1).Filter(next1.Match(c2ID.Eq(2))).All(ctx)
		if err != nil || len(rows) != 1 {
			t.Fatalf("select related: %v, %v", chainIDs(rows), err)
		}
		if r, err := rows[0].Next.Value(); err != nil || r == nil || r.Name != "c2-2" {
			t.Errorf("select related: %v, %v", r, err)
		}
	})
}

// TestRelMatchWrongModel: a predicate re-rooted by a relation from
// another model than the query's fails the query with ErrWrongModel,
// whatever its type says (a hand-written table can claim any).
func TestRelMatchWrongModel(t *testing.T) {
	ts := chainTables(3)
	c3Name := runtime.NewStringField[*chainRow](runtime.Col(ts[3], 1))
	next2 := runtime.NewRel[*chainRow, *chainRow](runtime.Col(ts[2], 2).Follow()) // from C2, not C1
	db := relOpen(t, "sqlite://:memory:")
	createChain(t, db, ts[1:])
	_, err := runtime.NewQuery[*chainRow](db, ts[1]).Filter(next2.Match(c3Name.Eq("x"))).All(context.Background())
	if !errors.Is(err, runtime.ErrWrongModel) {
		t.Errorf("a Match from C2 on C1: %v", err)
	}
}

// TestIsNullNotNull: IsNull, which every typed field has, on a field that
// cannot be NULL matches no row (true) or every row (false) and sends the
// query as usual; one step through a nullable relation (as
// db.TrackAlbum.Name) such a field reads NULL for the rows whose key is
// NULL, which IsNull(true) then selects, as Django's album__name__isnull.
func TestIsNullNotNull(t *testing.T) {
	ts := chainTables(2)[1:] // C1.next nullable → C2
	c1ID := runtime.NewOrderedField[*chainRow, int64](runtime.Col(ts[0], 0))
	c1Name := runtime.NewStringField[*chainRow](runtime.Col(ts[0], 1))
	nextName := runtime.NewStringField[*chainRow](runtime.ColAt(runtime.Col(ts[0], 2).Follow(), ts[1], 1))
	testdb.Each(t, func(t *testing.T, url string) {
		ctx := context.Background()
		notes := openNotes(t, url)
		for _, n := range []*note{{Text: "a"}, {Text: "b", Rank: runtime.Some[int64](1)}} {
			if _, err := notes.Create(ctx, n); err != nil {
				t.Fatal(err)
			}
		}
		byID := notes.OrderBy(noteID.Asc())
		for _, c := range []struct {
			name string
			p    runtime.Pred[*note]
			want string
		}{
			{"text is NULL", noteText.IsNull(true), ""},
			{"text is not NULL", noteText.IsNull(false), "a|b"},
			{"completed is NULL", noteCompleted.IsNull(true), ""},
			{"id is not NULL", noteID.IsNull(false), "a|b"},
			{"not: text is NULL", runtime.Not(noteText.IsNull(true)), "a|b"},
			{"or with a nullable field", runtime.Or(noteText.IsNull(true), noteRank.IsNull(true)), "a"},
		} {
			rows, err := byID.Filter(c.p).All(ctx)
			if err != nil {
				t.Errorf("%s: %v", c.name, err)
				continue
			}
			if got := texts(rows); got != c.want {
				t.Errorf("%s: got %q, want %q", c.name, got, c.want)
			}
		}

		db := relOpen(t, url)
		createChain(t, db, ts)
		c1 := runtime.NewQuery[*chainRow](db, ts[0]).OrderBy(c1ID.Asc())
		for _, c := range []struct {
			name string
			p    runtime.Pred[*chainRow]
			want []int64
		}{
			{"own name is NULL", c1Name.IsNull(true), nil},
			{"related name is NULL", nextName.IsNull(true), []int64{3}},
			{"related name is not NULL", nextName.IsNull(false), []int64{1, 2}},
		} {
			rows, err := c1.Filter(c.p).All(ctx)
			if err != nil {
				t.Errorf("%s: %v", c.name, err)
				continue
			}
			if got := chainIDs(rows); !slices.Equal(got, c.want) {
				t.Errorf("%s: rows %v, want %v", c.name, got, c.want)
			}
		}
	})
}

// TestSetNullRequired: SetNull, which every typed field has, of a field
// that cannot be NULL is refused by validation, naming the field, before
// any SQL is sent, by every write that takes assignments; of a nullable
// field it writes NULL.
func TestSetNullRequired(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		ctx := context.Background()
		var ev events
		_, notes := openNotesDB(t, url, runtime.WithHook(ev.hook))
		n, err := notes.Create(ctx, &note{Text: "a", Rank: runtime.Some[int64](1)})
		if err != nil {
			t.Fatal(err)
		}
		ev.take()
		for _, c := range []struct {
			name string
			run  func() error
		}{
			{"UpdateAll", func() error { _, err := notes.UpdateAll(ctx, noteText.SetNull()); return err }},
			{"UpdateAll, filtered", func() error {
				_, err := notes.Filter(noteID.Eq(n.ID)).UpdateAll(ctx, noteRank.Set(2), noteCompleted.SetNull())
				return err
			}},
			{"Update", func() error { return notes.Update(ctx, n, noteText.SetNull()) }},
			{"GetOrCreate", func() error { _, _, err := notes.GetOrCreate(ctx, noteText.Eq("a"), noteText.SetNull()); return err }},
			{"UpdateOrCreate", func() error { _, _, err := notes.UpdateOrCreate(ctx, noteText.Eq("a"), noteText.SetNull()); return err }},
		} {
			err := c.run()
			var ve *runtime.ValidationError
			if !errors.As(err, &ve) || ve.Model != "Note" || len(ve.Fields) != 1 || ve.Fields[0].Code != "required" {
				t.Errorf("%s: want a *ValidationError with one required field, got %v", c.name, err)
			}
			if evs := ev.take(); len(evs) != 0 {
				t.Errorf("%s: %d statements sent, the first %s", c.name, len(evs), evs[0].SQL)
			}
		}
		if got, err := notes.Get(ctx, noteID.Eq(n.ID)); err != nil || got.Text != "a" || got.Completed || got.Rank != runtime.Some[int64](1) {
			t.Errorf("after the refusals: %+v, %v", got, err)
		}
		if c, err := notes.Filter(noteRank.IsNull(false)).UpdateAll(ctx, noteRank.SetNull()); err != nil || c != 1 {
			t.Errorf("SetNull of a nullable field: %d, %v", c, err)
		}
		if got, err := notes.Get(ctx, noteID.Eq(n.ID)); err != nil || got.Rank.Valid {
			t.Errorf("after SetNull: %+v, %v", got, err)
		}
	})
}

// TestZeroPred: the zero Pred is no condition, which matches every row:
// Filter keeps every row with it, And ignores it, and Not of it and
// Exclude of it, which is Not(And(it)), keep none; Exclude() keeps every
// row. Exclude of the zero Pred kept every row, as if given nothing.
func TestZeroPred(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		ctx := context.Background()
		notes := openNotes(t, url)
		for _, n := range []*note{{Text: "a"}, {Text: "b", Completed: true}} {
			if _, err := notes.Create(ctx, n); err != nil {
				t.Fatal(err)
			}
		}
		var zero runtime.Pred[*note]
		byID := notes.OrderBy(noteID.Asc())
		for _, c := range []struct {
			name string
			q    *runtime.Query[*note]
			want string
		}{
			{"filter", byID.Filter(zero), "a|b"},
			{"and", byID.Filter(runtime.And(zero, noteCompleted.Eq(true))), "b"},
			{"not", byID.Filter(runtime.Not(zero)), ""},
			{"exclude", byID.Exclude(zero), ""},
			{"exclude nothing", byID.Exclude(), "a|b"},
			{"exclude with another", byID.Exclude(zero, noteCompleted.Eq(true)), "a"},
			{"exclude is not of and", byID.Filter(runtime.Not(runtime.And(zero, noteCompleted.Eq(true)))), "a"},
		} {
			rows, err := c.q.All(ctx)
			if err != nil {
				t.Errorf("%s: %v", c.name, err)
				continue
			}
			if got := texts(rows); got != c.want {
				t.Errorf("%s: got %q, want %q", c.name, got, c.want)
			}
		}
	})
}
