package runtime_test

import (
	"context"
	"errors"
	"testing"

	"github.com/ormc/ormc/internal/testdb"
	"github.com/ormc/ormc/runtime"
)

// A hand-written model with a composite key, as ormc generates one for
// model Entry "entry" < album ForeignKey(Album); slot String(10);
// note String(20) null; pk(slot, album) >, and its key struct.

type ckEntry struct {
	Album runtime.Ref[*rfAlbum, int64]
	Slot  string
	Note  runtime.Null[string]
}

type ckEntryKey struct {
	Slot  string
	Album int64
}

func (k ckEntryKey) KeyValues() []any { return []any{k.Slot, k.Album} }

func (r *ckEntry) PKValue() any     { return ckEntryKey{Slot: r.Slot, Album: r.Album.PK()} }
func (r *ckEntry) String() string   { return runtime.RowString(ckEntryTable, r) }
func (r *ckEntry) GoString() string { return runtime.RowGoString(ckEntryTable, r) }

var ckEntryTable = &runtime.Table{
	Model: "Entry", Name: "entry", PK: 1, Key: []int{1, 0},
	Columns: []*runtime.Column{
		{Field: "album", Name: "album", Kind: runtime.KindInteger, Index: 0, Ref: rfAlbumTable},
		{Field: "slot", Name: "slot", Kind: runtime.KindString, Index: 1, MaxLength: 10},
		{Field: "note", Name: "note", Kind: runtime.KindString, Index: 2, MaxLength: 20, Null: true},
	},
	New: func() any { return new(ckEntry) },
	Ptr: func(v any, i int) any {
		row := v.(*ckEntry)
		return []any{row.Album.KeyPtr(), &row.Slot, &row.Note}[i]
	},
	Value: func(v any, i int) any {
		row := v.(*ckEntry)
		return []any{row.Album.KeyValue(), row.Slot, row.Note}[i]
	},
	Link: func(v any, i int) runtime.Linker {
		if i == 0 {
			return &v.(*ckEntry).Album
		}
		return nil
	},
	Constraints: []runtime.Constraint{
		{Name: "entry_pkey", Kind: runtime.UniqueViolation, Columns: []string{"slot", "album"}},
	},
}

// TestCompositeKeyRow: a row prints with every key column, in key order.
func TestCompositeKeyRow(t *testing.T) {
	e := &ckEntry{Album: runtime.KeyRef[*rfAlbum](int64(3)), Slot: "b-side"}
	if got, want := e.String(), `Entry(slot="b-side", album=3)`; got != want {
		t.Errorf("String = %s, want %s", got, want)
	}
	if got := ckEntryTable.KeyColumns(); len(got) != 2 || got[0].Field != "slot" || got[1].Field != "album" {
		t.Errorf("KeyColumns = %v", got)
	}
}

// TestCompositeKeyLookups: pk and pk__in take the key struct or a row;
// another lookup on the whole key, a value of another type, a key of the
// wrong length or with a NULL are *LookupErrors, before any SQL.
func TestCompositeKeyLookups(t *testing.T) {
	row := &ckEntry{Album: runtime.KeyRef[*rfAlbum](int64(3)), Slot: "a"}
	for _, ok := range []struct {
		lookup string
		value  any
	}{
		{"pk", ckEntryKey{Slot: "a", Album: 3}},
		{"pk", row},
		{"pk__exact", row},
		{"pk__in", []ckEntryKey{{Slot: "a", Album: 3}, {Slot: "b", Album: 4}}},
		{"pk__in", []any{row, ckEntryKey{Slot: "b", Album: 4}}},
		{"pk__in", []ckEntryKey{}},
	} {
		if _, err := runtime.Lookup[*ckEntry](ckEntryTable, ok.lookup, ok.value); err != nil {
			t.Errorf("Lookup(%q, %v): %v", ok.lookup, ok.value, err)
		}
	}
	for _, bad := range []struct {
		lookup string
		value  any
	}{
		{"pk", "a"},
		{"pk", ckEntryKey{Slot: "a", Album: 3}.KeyValues()},
		{"pk", []ckEntryKey{{Slot: "a", Album: 3}}},
		{"pk", &rfAlbum{ID: 3}},
		{"pk__gt", ckEntryKey{Slot: "a", Album: 3}},
		{"pk__in", ckEntryKey{Slot: "a", Album: 3}},
		{"pk__in", []any{"a"}},
		{"pk__slot", "a"},
		{"pk", runtimeKey{"a"}},
		{"pk", runtimeKey{nil, 3}},
	} {
		_, err := runtime.Lookup[*ckEntry](ckEntryTable, bad.lookup, bad.value)
		var le *runtime.LookupError
		if !errors.As(err, &le) {
			t.Errorf("Lookup(%q, %#v): %v, want a *LookupError", bad.lookup, bad.value, err)
		}
	}
}

// runtimeKey is a CompositeKey of any values, to give one of the wrong
// length or with a NULL.
type runtimeKey []any

func (k runtimeKey) KeyValues() []any { return k }

// TestCompositeKeyAsParent: no foreign key refers to a composite key, so a
// Many (hand-written: ormc generates none) from such a table is refused
// with ErrInvalidQuery, in a filter and in a prefetch, rather than compare
// one column of the key.
func TestCompositeKeyAsParent(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		ctx := context.Background()
		db, err := runtime.Open(ctx, url, drivers...)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		for _, stmt := range []string{
			`CREATE TABLE album (id INTEGER PRIMARY KEY, title VARCHAR(50) NOT NULL)`,
			`CREATE TABLE entry (album INTEGER NOT NULL, slot VARCHAR(10) NOT NULL, note VARCHAR(20), PRIMARY KEY (slot, album))`,
		} {
			if _, err := db.Exec(ctx, stmt); err != nil {
				t.Fatal(err)
			}
		}
		many := runtime.NewMany[*ckEntry, *rfAlbum](ckEntryTable, rfAlbumTable, 0,
			func(any) runtime.ChildSlot { return nil })
		entries := runtime.NewQuery[*ckEntry](db, ckEntryTable)
		if _, err := entries.Filter(many.Any()).All(ctx); !errors.Is(err, runtime.ErrInvalidQuery) {
			t.Errorf("Any from a composite key: %v, want ErrInvalidQuery", err)
		}
		if _, err := entries.Create(ctx, &ckEntry{Album: runtime.KeyRef[*rfAlbum](int64(1)), Slot: "a"}); err != nil {
			t.Fatal(err)
		}
		if _, err := entries.Prefetch(many.Prefetch()).All(ctx); !errors.Is(err, runtime.ErrInvalidQuery) {
			t.Errorf("Prefetch from a composite key: %v, want ErrInvalidQuery", err)
		}
		got, err := entries.Where("pk", ckEntryKey{Slot: "a", Album: 1}).Get(ctx)
		if err != nil || got.Slot != "a" || got.Album.PK() != 1 {
			t.Errorf(`Where("pk", key): %v, %v`, got, err)
		}
	})
}
