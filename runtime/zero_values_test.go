package runtime_test

import (
	"context"
	"errors"
	"testing"

	"github.com/ormc/ormc/runtime"
	"github.com/ormc/ormc/runtime/driver/sqlite"
)

// TestZeroValuesRefused: a zero typed field, a zero Rel, a nil Selector
// and a nil row are refused with ErrInvalidQuery before any SQL, never a
// panic, whatever the call.
func TestZeroValuesRefused(t *testing.T) {
	ctx := context.Background()
	db, err := runtime.Open(ctx, "sqlite://:memory:", sqlite.Driver)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := runtime.ExecAll(ctx, db, []string{createNotes["sqlite"]}); err != nil {
		t.Fatal(err)
	}
	notes := runtime.NewQuery[*note](db, noteTable)
	var field runtime.OrderedField[*note, int64]
	var rel runtime.Rel[*note, *note]
	for name, call := range map[string]func() error{
		"filter":     func() error { _, err := notes.Filter(field.Eq(1)).All(ctx); return err },
		"order":      func() error { _, err := notes.OrderBy(field.Asc()).All(ctx); return err },
		"update all": func() error { _, err := notes.UpdateAll(ctx, field.Set(1)); return err },
		"rel is":     func() error { _, err := notes.Filter(rel.Is(&note{ID: 1})).All(ctx); return err },
		"rel match":  func() error { _, err := notes.Filter(rel.Match(noteID.Eq(1))).All(ctx); return err },
		"create nil": func() error { _, err := notes.Create(ctx, nil); return err },
		"update nil": func() error { return notes.Update(ctx, nil) },
		"delete nil": func() error { return notes.Delete(ctx, nil) },
		"upsert nil": func() error { return notes.Upsert(ctx, nil, []runtime.Selector[*note]{&noteID}) },
		"bulk nil":   func() error { return notes.BulkCreate(ctx, []*note{{Text: "a"}, nil}) },
		"nil selector": func() error {
			return notes.Upsert(ctx, &note{Text: "x"}, []runtime.Selector[*note]{nil})
		},
	} {
		err := call()
		if !errors.Is(err, runtime.ErrInvalidQuery) {
			t.Errorf("%s: %v, want ErrInvalidQuery", name, err)
		}
	}
	if n, err := notes.Count(ctx); err != nil || n != 0 {
		t.Errorf("rows written: %d %v", n, err)
	}
}

// TestUpdateOrCreateQueryFilters: UpdateOrCreate, like GetOrCreate, looks
// for the row among the query's rows, not the whole table's.
func TestUpdateOrCreateQueryFilters(t *testing.T) {
	ctx := context.Background()
	db, err := runtime.Open(ctx, "sqlite://:memory:", sqlite.Driver)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := runtime.ExecAll(ctx, db, []string{createNotes["sqlite"]}); err != nil {
		t.Fatal(err)
	}
	notes := runtime.NewQuery[*note](db, noteTable)
	if _, err := notes.Create(ctx, &note{Text: "a"}); err != nil {
		t.Fatal(err)
	}
	done := notes.Filter(noteCompleted.Eq(true))
	for _, c := range []struct {
		name string
		call func() (bool, error)
	}{
		{"get or create", func() (bool, error) { _, c, err := done.GetOrCreate(ctx, noteText.Eq("a")); return c, err }},
		{"update or create", func() (bool, error) {
			_, c, err := done.UpdateOrCreate(ctx, noteText.Eq("a"), noteRank.Set(1))
			return c, err
		}},
	} {
		created, err := c.call()
		if err != nil || !created {
			t.Errorf("%s on completed notes: created %v, %v; want a new row (the note \"a\" is not completed)", c.name, created, err)
		}
	}
	if n, err := notes.Filter(noteText.Eq("a"), noteRank.IsNull(true)).Count(ctx); err != nil || n != 2 {
		t.Errorf("notes \"a\" without a rank: %d %v, want 2 (the first untouched)", n, err)
	}
}
