package runtime_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/ormc/ormc/internal/testdb"
	"github.com/ormc/ormc/runtime"
	"github.com/ormc/ormc/runtime/dialect"
)

// Keys given explicitly and keys the database assigns, in one table: an
// import of rows with their own keys must not break the creates that
// follow it, and an Integer key never goes past 32 bits.

// keyTable is noteTable under another name with a key of kind k.
func keyTable(name string, k runtime.Kind) *runtime.Table {
	t := *noteTable
	t.Name = name
	t.Columns = slices.Clone(t.Columns)
	id := *t.Columns[0]
	id.Kind = k
	t.Columns[0] = &id
	t.Constraints = []runtime.Constraint{{Name: name + "_pkey", Kind: runtime.UniqueViolation, Columns: []string{"id"}}}
	return &t
}

// keyTableDDL creates keyTable(name, k) with the key column compiler/ddl
// would write for d.
func keyTableDDL(d dialect.Dialect, name string, k runtime.Kind) string {
	dk := dialect.Integer
	if k == runtime.KindBigInteger {
		dk = dialect.BigInteger
	}
	q := func(s string) string { return dialect.Quote(d, s) }
	return fmt.Sprintf("CREATE TABLE %s (%s %s, %s VARCHAR(100) NOT NULL, %s BOOLEAN NOT NULL DEFAULT FALSE, %s %s)%s",
		q(name), q("id"), d.AutoIncrementPK("id", dialect.Type{Kind: dk, AutoIncrement: true}),
		q("text"), q("completed"), q("rank"), d.ColumnType(dialect.Type{Kind: dialect.Integer}), d.TableOptions())
}

// TestReliabilityExplicitKeys stores rows with keys of their own through
// every write that takes one (Create, BulkCreate as INSERT and, on
// PostgreSQL, as COPY, Upsert, and each inside a transaction), then creates
// rows without one, for Integer and BigInteger keys: every create gets a
// fresh key. Before, PostgreSQL's identity sequence knew nothing of the
// explicit keys and handed them out again (a unique violation).
func TestReliabilityExplicitKeys(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		ctx := context.Background()
		db, err := openTestDB(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		for _, kind := range []runtime.Kind{runtime.KindInteger, runtime.KindBigInteger} {
			name := "keys_" + kind.String()
			if _, err := db.Exec(ctx, keyTableDDL(db.Dialect(), name, kind)); err != nil {
				t.Fatal(err)
			}
			notes := runtime.NewQuery[*note](db, keyTable(name, kind))
			seen := map[int64]bool{}
			fresh := func(what string, rows ...*note) {
				t.Helper()
				for _, r := range rows {
					if r.ID == 0 || seen[r.ID] {
						t.Fatalf("%s %s: key %d given twice or not at all", kind, what, r.ID)
					}
					seen[r.ID] = true
				}
			}
			mk := func(n int, first int64, prefix string) []*note {
				rows := make([]*note, n)
				for i := range rows {
					rows[i] = &note{Text: fmt.Sprintf("%s %d", prefix, i)}
					if first != 0 {
						rows[i].ID = first + int64(i)
					}
				}
				return rows
			}
			create := func(what string, rows ...*note) {
				t.Helper()
				for _, r := range rows {
					if _, err := notes.Create(ctx, r); err != nil {
						t.Fatalf("%s %s: %v", kind, what, err)
					}
				}
				fresh(what, rows...)
			}
			bulk := func(what string, rows []*note) {
				t.Helper()
				if err := notes.BulkCreate(ctx, rows); err != nil {
					t.Fatalf("%s %s: %v", kind, what, err)
				}
				fresh(what, rows...)
			}

			create("explicit keys 1..3", mk(3, 1, "explicit")...)
			create("a create without a key after keys 1..3", mk(2, 0, "auto")...)
			// Mixed in one BulkCreate: the explicit keys lie just above
			// the ones the sequence has handed out.
			mixed := append(mk(5, 6, "mixed explicit"), mk(5, 0, "mixed auto")...)
			bulk("a BulkCreate mixing keys", mixed)
			create("a create after the mixed BulkCreate", mk(3, 0, "after mixed")...)
			// 300 rows each way: COPY on PostgreSQL, for both groups.
			big := append(mk(300, 1000, "copy explicit"), mk(300, 0, "copy auto")...)
			bulk("a large BulkCreate mixing keys", big)
			bulk("a large BulkCreate after it", mk(300, 0, "copy after"))
			// Upsert inserting a row with its own key.
			up := &note{ID: 5000, Text: "upserted"}
			if err := notes.Upsert(ctx, up, []runtime.Selector[*note]{ordField[*note, int64](runtime.Col(notes.Table(), 0))}); err != nil {
				t.Fatalf("%s upsert: %v", kind, err)
			}
			fresh("upsert", up)
			create("a create after the upsert", mk(2, 0, "after upsert")...)
			// In a transaction, committed and rolled back.
			for _, commit := range []bool{true, false} {
				boom := errors.New("boom")
				err := db.Tx(ctx, func(tx *runtime.DB) error {
					txNotes := runtime.NewQuery[*note](tx, notes.Table())
					first := int64(7000) // rolled back: the keys may be used again
					if commit {
						first = 6000
					}
					rows := mk(2, first, fmt.Sprint("tx ", commit))
					for _, r := range rows {
						if _, err := txNotes.Create(ctx, r); err != nil {
							return err
						}
					}
					if !commit {
						return boom
					}
					return nil
				})
				if commit && err != nil || !commit && !errors.Is(err, boom) {
					t.Fatalf("%s transaction (commit %v): %v", kind, commit, err)
				}
				if commit {
					seen[6000], seen[6001] = true, true
				}
			}
			create("a create after the transactions", mk(3, 0, "after tx")...)
			n, err := notes.Count(ctx)
			if err != nil || n != int64(len(seen)) {
				t.Fatalf("%s: %d rows, %v; want %d", kind, n, err, len(seen))
			}
		}
	})
}

// TestReliabilityKeyRange fills an Integer key up to 2,147,483,647 and
// creates a row more, alone and in a BulkCreate: every database refuses it
// with an error wrapping runtime.ErrKeysExhausted that names the model and
// field, and stores nothing. Before, SQLite handed out 2,147,483,648 (a
// key the Integer field cannot hold), MariaDB failed with error 167 and
// PostgreSQL handed out 1, its sequence never told of the explicit key.
func TestReliabilityKeyRange(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		ctx := context.Background()
		db, err := openTestDB(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		if _, err := db.Exec(ctx, keyTableDDL(db.Dialect(), "range", runtime.KindInteger)); err != nil {
			t.Fatal(err)
		}
		notes := runtime.NewQuery[*note](db, keyTable("range", runtime.KindInteger))
		if _, err := notes.Create(ctx, &note{ID: math.MaxInt32 - 1, Text: "next to last"}); err != nil {
			t.Fatal(err)
		}
		last, err := notes.Create(ctx, &note{Text: "last"})
		if err != nil || last.ID != math.MaxInt32 {
			t.Fatalf("the last key: %d, %v; want %d", last.ID, err, math.MaxInt32)
		}
		refused := func(what string, err error) {
			t.Helper()
			if !errors.Is(err, runtime.ErrKeysExhausted) {
				t.Fatalf("%s: want ErrKeysExhausted, got %v", what, err)
			}
			var ce *runtime.ConstraintError
			if errors.As(err, &ce) {
				t.Errorf("%s: a *ConstraintError too, which other databases do not give: %v", what, err)
			}
			for _, s := range []string{"Note", `"id"`} {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("%s: %q does not name %s", what, err, s)
				}
			}
			if n, err := notes.Count(ctx); err != nil || n != 2 {
				t.Fatalf("%s: %d rows, %v; want 2", what, n, err)
			}
		}
		row := &note{Text: "one more"}
		_, err = notes.Create(ctx, row)
		refused("create", err)
		if row.ID != 0 {
			t.Errorf("create: the refused row has key %d", row.ID)
		}
		refused("bulk create", notes.BulkCreate(ctx, []*note{{Text: "a"}, {Text: "b"}}))
		refused("bulk create of 300", notes.BulkCreate(ctx, mkNotes(300, "many")))
		refused("upsert", notes.Upsert(ctx, &note{Text: "up"}, []runtime.Selector[*note]{ordField[*note, int64](runtime.Col(notes.Table(), 0))}))
	})
}

func mkNotes(n int, prefix string) []*note {
	rows := make([]*note, n)
	for i := range rows {
		rows[i] = &note{Text: fmt.Sprintf("%s %d", prefix, i)}
	}
	return rows
}
