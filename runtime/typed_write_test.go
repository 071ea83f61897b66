package runtime_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/ormc/ormc/internal/testdb"
	"github.com/ormc/ormc/runtime"
	"github.com/ormc/ormc/runtime/dialect"
)

// The typed writes: Update with assignments, GetOrCreate and
// UpdateOrCreate with a predicate whose equalities fill the row they
// create, and SetNull refused on a required field before any SQL.

// wantInvalid fails t unless err is a *ValidationError of model naming
// field with code.
func wantInvalid(t *testing.T, what string, err error, model, field, code string) {
	t.Helper()
	var ve *runtime.ValidationError
	if !errors.As(err, &ve) || ve.Model != model || len(ve.Fields) != 1 || ve.Fields[0].Field != field || ve.Fields[0].Code != code {
		t.Errorf("%s: want a *ValidationError of %s.%s (%s), got %v", what, model, field, code, err)
	}
}

// TestUpdateAssignments: Update with assignments applies them to the row
// and writes only their columns; with none it writes every field. A value
// the field cannot hold, NULL in a required field included, is refused
// before any SQL and leaves the database as it was; the primary key is
// not assigned; a missing row is ErrNotFound.
func TestUpdateAssignments(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		ctx := context.Background()
		var ev events
		_, notes := openNotesDB(t, url, runtime.WithHook(ev.hook))
		n, err := notes.Create(ctx, &note{Text: "a", Rank: runtime.Some[int64](1)})
		if err != nil {
			t.Fatal(err)
		}
		stored := func() *note {
			t.Helper()
			got, err := notes.Get(ctx, noteID.Eq(n.ID))
			if err != nil {
				t.Fatal(err)
			}
			return got
		}

		// The row and the database both get the values; other fields of
		// the row, changed or not, are not written.
		n.Completed = true
		if err := notes.Update(ctx, n, noteText.Set("b"), noteRank.SetNull()); err != nil {
			t.Fatal(err)
		}
		if n.Text != "b" || n.Rank.Valid || !n.Completed {
			t.Errorf("row after update: %+v", n)
		}
		if got := stored(); got.Text != "b" || got.Rank.Valid || got.Completed {
			t.Errorf("stored after update of text and rank: %+v", got)
		}
		n.Completed = false
		if err := notes.Update(ctx, n, noteRank.Set(4), noteRank.Set(5)); err != nil {
			t.Fatal(err)
		}
		if got := stored(); got.Rank != runtime.Some[int64](5) || n.Rank != runtime.Some[int64](5) {
			t.Errorf("the last of two assignments to rank wins: row %v, stored %v", n.Rank, got.Rank)
		}

		// Refused before SQL, the database unchanged.
		ev.take()
		before := *stored()
		ev.take()
		for _, c := range []struct {
			name        string
			sets        []runtime.Assignment[*note]
			field, code string
		}{
			{"too long", []runtime.Assignment[*note]{noteRank.Set(9), noteText.Set(strings.Repeat("x", 101))}, "text", "max_length"},
			{"blank", []runtime.Assignment[*note]{noteText.Set("")}, "text", "blank"},
			{"NULL in a required field", []runtime.Assignment[*note]{noteText.SetNull()}, "text", "required"},
			{"NULL in a required boolean", []runtime.Assignment[*note]{noteCompleted.SetNull()}, "completed", "required"},
		} {
			wantInvalid(t, c.name, notes.Update(ctx, n, c.sets...), "Note", c.field, c.code)
			if evs := ev.take(); len(evs) != 0 {
				t.Errorf("%s: %d statements sent, the first %s", c.name, len(evs), evs[0].SQL)
			}
			if got := stored(); *got != before {
				t.Errorf("%s: stored %+v, want %+v", c.name, got, before)
			}
			ev.take()
		}
		if err := notes.Update(ctx, n, noteID.Set(n.ID+1)); !errors.Is(err, runtime.ErrInvalidQuery) {
			t.Errorf("assigning the primary key: %v", err)
		}
		if err := notes.Update(ctx, &note{ID: n.ID + 1000}, noteText.Set("x")); !errors.Is(err, runtime.ErrNotFound) {
			t.Errorf("update of a missing row: %v", err)
		}

		// No assignments: every field, as the row holds it.
		n.Text, n.Completed, n.Rank = "c", true, runtime.Null[int64]{}
		if err := notes.Update(ctx, n); err != nil {
			t.Fatal(err)
		}
		if got := stored(); *got != *n {
			t.Errorf("stored after update of every field: %+v, want %+v", got, n)
		}
	})
}

// createChain creates the tables of ts, the chain chainTables returns, in
// db, each with rows (id, "<table>-<id>") for ids 1 and 2 whose key refers
// to the row of the same id, and a third row whose nullable key is NULL.
func createChain(t *testing.T, db *runtime.DB, ts []*runtime.Table) {
	t.Helper()
	ctx := context.Background()
	d := db.Dialect()
	q := func(s string) string { return dialect.Quote(d, s) }
	for i := len(ts) - 1; i >= 0; i-- {
		tb := ts[i]
		ddl := fmt.Sprintf("CREATE TABLE %s (%s INTEGER PRIMARY KEY, %s VARCHAR(20) NOT NULL", q(tb.Name), q("id"), q("name"))
		rows := []string{fmt.Sprintf("(1, '%s-1')", tb.Name), fmt.Sprintf("(2, '%s-2')", tb.Name)}
		if len(tb.Columns) > 2 {
			null := " NOT NULL"
			if tb.Columns[2].Null {
				null = ""
			}
			ddl += fmt.Sprintf(", %s INTEGER%s REFERENCES %s (%s)", q("next"), null, q(ts[i+1].Name), q("id"))
			rows = []string{fmt.Sprintf("(1, '%s-1', 1)", tb.Name), fmt.Sprintf("(2, '%s-2', 2)", tb.Name)}
			if null == "" {
				rows = append(rows, fmt.Sprintf("(3, '%s-3', NULL)", tb.Name))
			}
		}
		for _, s := range []string{ddl + ")", fmt.Sprintf("INSERT INTO %s VALUES %s", q(tb.Name), strings.Join(rows, ", "))} {
			if _, err := db.Exec(ctx, s); err != nil {
				t.Fatalf("%s: %v", s, err)
			}
		}
	}
}

// TestUpdateRelationKey: an assignment to a relation's key stores the new
// key in the row's Ref and forgets the row it had loaded, which is no
// longer the one referred to; NULL makes a nullable reference NULL.
func TestUpdateRelationKey(t *testing.T) {
	ts := chainTables(2) // C0.next required → C1.next nullable → C2
	c0ID := runtime.NewOrderedField[*chainRow, int64](runtime.Col(ts[0], 0))
	c0Next := runtime.NewOrderedField[*chainRow, int64](runtime.Col(ts[0], 2))
	c1ID := runtime.NewOrderedField[*chainRow, int64](runtime.Col(ts[1], 0))
	c1Next := runtime.NewOrderedField[*chainRow, int64](runtime.Col(ts[1], 2))
	next0 := runtime.NewRel[*chainRow, *chainRow](runtime.Col(ts[0], 2).Follow())
	next1 := runtime.NewRel[*chainRow, *chainRow](runtime.Col(ts[1], 2).Follow())
	testdb.Each(t, func(t *testing.T, url string) {
		ctx := context.Background()
		db := relOpen(t, url)
		createChain(t, db, ts)
		c0 := runtime.NewQuery[*chainRow](db, ts[0])
		c1 := runtime.NewQuery[*chainRow](db, ts[1])

		// A required key.
		row, err := c0.SelectRelated(next0).Get(ctx, c0ID.Eq(1))
		if err != nil {
			t.Fatal(err)
		}
		if r, err := row.Next.Value(); err != nil || r.Name != "c1-1" {
			t.Fatalf("loaded before the update: %v, %v", r, err)
		}
		if err := c0.Update(ctx, row, c0Next.Set(2)); err != nil {
			t.Fatal(err)
		}
		if row.Next.PK() != 2 || row.Next.Loaded() {
			t.Errorf("after the update: key %d, loaded %v; want key 2, not loaded", row.Next.PK(), row.Next.Loaded())
		}
		if r, err := row.Next.Value(); !errors.Is(err, runtime.ErrNotLoaded) {
			t.Errorf("Value after the update: %v, %v; want ErrNotLoaded", r, err)
		}
		if got, err := c0.SelectRelated(next0).Get(ctx, c0ID.Eq(1)); err != nil {
			t.Error(err)
		} else if r, err := got.Next.Value(); err != nil || r.ID != 2 || r.Name != "c1-2" {
			t.Errorf("stored after the update: %v, %v", r, err)
		}
		wantInvalid(t, "NULL in a required relation", c0.Update(ctx, row, c0Next.SetNull()), "C0", "next", "required")

		// A nullable key: to NULL, then to a row again.
		row, err = c1.SelectRelated(next1).Get(ctx, c1ID.Eq(1))
		if err != nil || !row.Next.Loaded() || row.Next.PK() != 1 {
			t.Fatalf("nullable, before the update: %+v, %v", row, err)
		}
		if err := c1.Update(ctx, row, c1Next.SetNull()); err != nil {
			t.Fatal(err)
		}
		if r, err := row.Next.Value(); !row.Next.IsNull() || r != nil || err != nil {
			t.Errorf("after SetNull: null %v, row %v, %v", row.Next.IsNull(), r, err)
		}
		if got, err := c1.Get(ctx, c1ID.Eq(1)); err != nil || !got.Next.IsNull() {
			t.Errorf("stored after SetNull: %+v, %v", got, err)
		}
		if err := c1.Update(ctx, row, c1Next.Set(2)); err != nil {
			t.Fatal(err)
		}
		if row.Next.IsNull() || row.Next.PK() != 2 || row.Next.Loaded() {
			t.Errorf("after setting a NULL key: null %v, key %d, loaded %v", row.Next.IsNull(), row.Next.PK(), row.Next.Loaded())
		}
		if got, err := c1.Get(ctx, c1ID.Eq(1)); err != nil || got.Next.IsNull() || got.Next.PK() != 2 {
			t.Errorf("stored after setting a NULL key: %+v, %v", got, err)
		}
	})
}

// TestGetOrCreateFills: the row GetOrCreate creates holds the schema's
// defaults (Table.Make), then the values of where's equalities on the
// model's own fields (alone or in And; not in Or, not across a relation,
// not other lookups), then the defaults given; it is returned as stored,
// with its key. A row found is returned as it is, the defaults not
// applied. The defaults are validated before any SQL.
func TestGetOrCreateFills(t *testing.T) {
	made := *noteTable
	made.Make = func() any { return &note{Completed: true, Rank: runtime.Some[int64](7)} }
	testdb.Each(t, func(t *testing.T, url string) {
		ctx := context.Background()
		var ev events
		db, _ := openNotesDB(t, url, runtime.WithHook(ev.hook))
		notes := runtime.NewQuery[*note](db, &made)
		check := func(what string, got *note, created bool, err error, wantCreated bool, want note) {
			t.Helper()
			if err != nil || created != wantCreated {
				t.Fatalf("%s: %+v, created %v, %v; want created %v", what, got, created, err, wantCreated)
			}
			if got.ID == 0 {
				t.Errorf("%s: no key", what)
			}
			want.ID = got.ID
			if *got != want {
				t.Errorf("%s: returned %+v, want %+v", what, got, want)
			}
			if s, err := notes.Get(ctx, noteID.Eq(got.ID)); err != nil || *s != want {
				t.Errorf("%s: stored %+v, %v; want %+v", what, s, err, want)
			}
		}

		got, created, err := notes.GetOrCreate(ctx, noteText.Eq("alone"))
		check("an equality alone, the schema's defaults", got, created, err, true, note{Text: "alone", Completed: true, Rank: runtime.Some[int64](7)})
		got, created, err = notes.GetOrCreate(ctx, runtime.And(noteText.Eq("and"), noteRank.Eq(4), noteCompleted.Eq(false)), noteRank.Set(5))
		check("equalities in And, then the defaults given", got, created, err, true, note{Text: "and", Completed: false, Rank: runtime.Some[int64](5)})
		first := got.ID
		got, created, err = notes.GetOrCreate(ctx, runtime.And(noteText.Eq("and"), noteCompleted.Eq(false)), noteRank.Set(6))
		check("found: the defaults not applied", got, created, err, false, note{Text: "and", Rank: runtime.Some[int64](5)})
		if got.ID != first {
			t.Errorf("found row %d, created %d", got.ID, first)
		}
		got, created, err = notes.GetOrCreate(ctx, runtime.And(noteText.Eq("nested"), runtime.And(noteRank.Eq(2), noteRank.Gte(1))))
		check("an And in an And; lookups other than exact fill nothing", got, created, err, true, note{Text: "nested", Completed: true, Rank: runtime.Some[int64](2)})
		got, created, err = notes.GetOrCreate(ctx, runtime.Or(noteText.Eq("p"), noteText.Eq("q")), noteText.Set("or"))
		check("equalities in Or fill nothing", got, created, err, true, note{Text: "or", Completed: true, Rank: runtime.Some[int64](7)})
		got, created, err = notes.GetOrCreate(ctx, runtime.And(noteText.Eq("not"), runtime.Not(noteRank.Eq(7))), noteRank.SetNull())
		check("an equality under Not fills nothing", got, created, err, true, note{Text: "not", Completed: true})
		p, err := runtime.Lookup[*note](&made, "text", "seed")
		if err != nil {
			t.Fatal(err)
		}
		got, created, err = notes.GetOrCreate(ctx, p)
		check("a seed-style exact", got, created, err, true, note{Text: "seed", Completed: true, Rank: runtime.Some[int64](7)})

		// A create the where does not fill is validated as any other.
		_, _, err = notes.GetOrCreate(ctx, noteText.Contains("zz"))
		wantInvalid(t, "nothing filled", err, "Note", "text", "blank")

		// Bad defaults: refused before any SQL, nothing stored.
		n, err := notes.Count(ctx)
		if err != nil {
			t.Fatal(err)
		}
		ev.take()
		_, _, err = notes.GetOrCreate(ctx, noteText.Eq("bad"), noteText.SetNull())
		wantInvalid(t, "SetNull of a required field", err, "Note", "text", "required")
		_, _, err = notes.GetOrCreate(ctx, noteText.Eq("bad"), noteText.Set(strings.Repeat("x", 101)))
		wantInvalid(t, "a default too long", err, "Note", "text", "max_length")
		if evs := ev.take(); len(evs) != 0 {
			t.Errorf("bad defaults: %d statements sent, the first %s", len(evs), evs[0].SQL)
		}
		if m, err := notes.Count(ctx); err != nil || m != n {
			t.Errorf("bad defaults: %d rows, %v; want %d", m, err, n)
		}
	})
}

// TestUpdateOrCreateReturnsStored: UpdateOrCreate creates a row as
// GetOrCreate does, with its assignments as the defaults, or applies them
// to the row found and writes them only; either way it returns the stored
// row, whose other fields are as the database holds them. Inside a
// transaction it works alike, and bad values are refused before any SQL.
func TestUpdateOrCreateReturnsStored(t *testing.T) {
	made := *noteTable
	made.Make = func() any { return &note{Rank: runtime.Some[int64](7)} }
	testdb.Each(t, func(t *testing.T, url string) {
		ctx := context.Background()
		var ev events
		db, _ := openNotesDB(t, url, runtime.WithHook(ev.hook))
		notes := runtime.NewQuery[*note](db, &made)

		got, created, err := notes.UpdateOrCreate(ctx, noteText.Eq("u"), noteCompleted.Set(true))
		if err != nil || !created || got.ID == 0 || got.Text != "u" || !got.Completed || got.Rank != runtime.Some[int64](7) {
			t.Fatalf("created: %+v, %v, %v", got, created, err)
		}
		id := got.ID
		// Changed behind its back: the row returned next is the stored one.
		if _, err := notes.Filter(noteID.Eq(id)).UpdateAll(ctx, noteRank.Set(8)); err != nil {
			t.Fatal(err)
		}
		got, created, err = notes.UpdateOrCreate(ctx, noteText.Eq("u"), noteCompleted.Set(false))
		if err != nil || created || got.ID != id || got.Text != "u" || got.Completed || got.Rank != runtime.Some[int64](8) {
			t.Errorf("updated: %+v, %v, %v; want id %d, completed false, rank 8", got, created, err, id)
		}
		if s, err := notes.Get(ctx, noteID.Eq(id)); err != nil || *s != *got {
			t.Errorf("stored %+v, %v; returned %+v", s, err, got)
		}
		err = db.Tx(ctx, func(tx *runtime.DB) error {
			txNotes := runtime.NewQuery[*note](tx, &made)
			got, created, err := txNotes.UpdateOrCreate(ctx, runtime.And(noteText.Eq("u"), noteRank.Eq(8)), noteRank.SetNull())
			if err != nil || created || got.ID != id || got.Rank.Valid {
				return fmt.Errorf("update in a transaction: %+v, %v, %v", got, created, err)
			}
			got, created, err = txNotes.UpdateOrCreate(ctx, runtime.And(noteText.Eq("v"), noteRank.Eq(3)))
			if err != nil || !created || got.Text != "v" || got.Rank != runtime.Some[int64](3) {
				return fmt.Errorf("create in a transaction: %+v, %v, %v", got, created, err)
			}
			return nil
		})
		if err != nil {
			t.Error(err)
		}
		if c, err := notes.Count(ctx); err != nil || c != 2 {
			t.Errorf("%d rows, %v; want 2", c, err)
		}

		ev.take()
		for _, c := range []struct {
			name  string
			where runtime.Pred[*note]
			set   runtime.Assignment[*note]
		}{
			{"found, SetNull of a required field", noteText.Eq("u"), noteText.SetNull()},
			{"not found, SetNull of a required field", noteText.Eq("w"), noteCompleted.SetNull()},
			{"found, too long", noteText.Eq("u"), noteText.Set(strings.Repeat("é", 101))},
		} {
			_, _, err := notes.UpdateOrCreate(ctx, c.where, c.set)
			var ve *runtime.ValidationError
			if !errors.As(err, &ve) {
				t.Errorf("%s: want a *ValidationError, got %v", c.name, err)
			}
			if evs := ev.take(); len(evs) != 0 {
				t.Errorf("%s: %d statements sent, the first %s", c.name, len(evs), evs[0].SQL)
			}
		}
		if s, err := notes.Get(ctx, noteID.Eq(id)); err != nil || s.Text != "u" || s.Completed || s.Rank.Valid {
			t.Errorf("after the refusals: %+v, %v", s, err)
		}
	})
}

// TestGetOrCreateRelationKey: an equality on a relation's key, alone or
// as Rel.Match of the related row's key (which needs no JOIN), fills the
// Ref of the row created; one on another field of the related row does
// not, as that row is not the one being created.
func TestGetOrCreateRelationKey(t *testing.T) {
	ts := chainTables(2)
	c0ID := runtime.NewOrderedField[*chainRow, int64](runtime.Col(ts[0], 0))
	c0Name := runtime.NewStringField[*chainRow](runtime.Col(ts[0], 1))
	c0Next := runtime.NewOrderedField[*chainRow, int64](runtime.Col(ts[0], 2))
	c1ID := runtime.NewOrderedField[*chainRow, int64](runtime.Col(ts[1], 0))
	c1Name := runtime.NewStringField[*chainRow](runtime.Col(ts[1], 1))
	next0 := runtime.NewRel[*chainRow, *chainRow](runtime.Col(ts[0], 2).Follow())
	testdb.Each(t, func(t *testing.T, url string) {
		ctx := context.Background()
		db := relOpen(t, url)
		createChain(t, db, ts)
		c0 := runtime.NewQuery[*chainRow](db, ts[0])
		for _, c := range []struct {
			name    string
			where   runtime.Pred[*chainRow]
			id      int64
			rowName string
		}{
			{"the key's field", runtime.And(c0ID.Eq(10), c0Name.Eq("x"), c0Next.Eq(2)), 10, "x"},
			{"Match of the related key", runtime.And(c0ID.Eq(11), c0Name.Eq("y"), next0.Match(c1ID.Eq(2))), 11, "y"},
			{"Match of the related key and name", runtime.And(c0ID.Eq(12), c0Name.Eq("z"), next0.Match(c1ID.Eq(2), c1Name.Eq("c1-2"))), 12, "z"},
		} {
			got, created, err := c0.GetOrCreate(ctx, c.where)
			if err != nil || !created || got.ID != c.id || got.Name != c.rowName || got.Next.PK() != 2 {
				t.Errorf("%s: %+v, created %v, %v", c.name, got, created, err)
				continue
			}
			if s, err := c0.Get(ctx, c0ID.Eq(c.id)); err != nil || s.Name != c.rowName || s.Next.PK() != 2 {
				t.Errorf("%s: stored %+v, %v", c.name, s, err)
			}
		}
		// The related row's name is not the created row's.
		got, created, err := c0.GetOrCreate(ctx, runtime.And(c0ID.Eq(13), c0Name.Eq("n"), next0.Match(c1Name.Eq("c1-1"))), c0Next.Set(1))
		if err != nil || !created || got.Name != "n" || got.Next.PK() != 1 {
			t.Errorf("a related field: %+v, created %v, %v", got, created, err)
		}
	})
}

// TestGetOrCreateOwnFields: GetOrCreate's defaults and UpdateOrCreate's
// assignments are to the model's own fields: one to a field reached
// through a relation (which has the model's type, as Track's
// db.TrackAlbum.Name does) is refused with ErrInvalidQuery before any
// SQL, whether the row exists or not. It was stored in the created row's
// field at the same index (C1.name for C2.name), or ignored for a row
// found.
func TestGetOrCreateOwnFields(t *testing.T) {
	ts := chainTables(2)[1:] // C1.next nullable → C2
	c1ID := runtime.NewOrderedField[*chainRow, int64](runtime.Col(ts[0], 0))
	c1Name := runtime.NewStringField[*chainRow](runtime.Col(ts[0], 1))
	relatedName := runtime.NewStringField[*chainRow](runtime.ColAt(runtime.Col(ts[0], 2).Follow(), ts[1], 1))
	testdb.Each(t, func(t *testing.T, url string) {
		ctx := context.Background()
		var ev events
		db := relOpen(t, url)
		createChain(t, db, ts)
		c1 := runtime.NewQuery[*chainRow](db.Apply(runtime.WithHook(ev.hook)), ts[0])
		for _, c := range []struct {
			name string
			run  func() (*chainRow, bool, error)
		}{
			{"GetOrCreate, not found", func() (*chainRow, bool, error) {
				return c1.GetOrCreate(ctx, runtime.And(c1ID.Eq(20), c1Name.Eq("new")), relatedName.Set("x"))
			}},
			{"GetOrCreate, found", func() (*chainRow, bool, error) {
				return c1.GetOrCreate(ctx, c1ID.Eq(1), relatedName.Set("x"))
			}},
			{"UpdateOrCreate, not found", func() (*chainRow, bool, error) {
				return c1.UpdateOrCreate(ctx, runtime.And(c1ID.Eq(20), c1Name.Eq("new")), relatedName.Set("x"))
			}},
			{"UpdateOrCreate, found", func() (*chainRow, bool, error) {
				return c1.UpdateOrCreate(ctx, c1ID.Eq(1), c1Name.Set("y"), relatedName.Set("x"))
			}},
		} {
			ev.take()
			row, created, err := c.run()
			if !errors.Is(err, runtime.ErrInvalidQuery) || row != nil || created {
				t.Errorf("%s: %+v, created %v, %v; want ErrInvalidQuery", c.name, row, created, err)
			}
			if evs := ev.take(); len(evs) != 0 {
				t.Errorf("%s: %d statements sent, the first %s", c.name, len(evs), evs[0].SQL)
			}
		}
		rows, err := c1.OrderBy(c1ID.Asc()).All(ctx)
		if err != nil || len(rows) != 3 || rows[0].Name != "c1-1" {
			t.Errorf("after the refusals: %v, %v", chainIDs(rows), err)
		}
	})
}
