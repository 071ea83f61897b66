package types

import (
	"context"
	"testing"
	"time"

	"github.com/ormc/ormc/examples/types/db"
	"github.com/ormc/ormc/internal/testdb"
	"github.com/ormc/ormc/runtime"
)

// TestUpsertKeys: Upsert on keys the database does not assign (a UUID and
// a string) inserts, then updates the same row and reports its key; the
// value fixed at creation (auto_now_add) survives the update and auto_now
// moves, on every database.
func TestUpsertKeys(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		ctx := context.Background()
		client := openTypes(t, url)

		// A UUID key, by the key.
		a := account("ups")
		if err := client.Accounts.Upsert(ctx, a, []runtime.Selector[*db.Account]{db.AccountID}); err != nil {
			t.Fatalf("upsert insert: %v", err)
		}
		first, err := client.Accounts.Get(ctx, db.AccountID.Eq(a.ID))
		if err != nil {
			t.Fatal(err)
		}
		time.Sleep(5 * time.Millisecond)
		again := account("ups")
		again.ID, again.Age = a.ID, 44
		if err := client.Accounts.Upsert(ctx, again, []runtime.Selector[*db.Account]{db.AccountID}); err != nil {
			t.Fatalf("upsert update: %v", err)
		}
		got, err := client.Accounts.Get(ctx, db.AccountID.Eq(a.ID))
		if err != nil {
			t.Fatal(err)
		}
		if got.Age != 44 || !got.Created.Equal(first.Created) || !got.Updated.After(first.Updated) {
			t.Errorf("after update: age %d, created %v (was %v), updated %v (was %v)", got.Age, got.Created, first.Created, got.Updated, first.Updated)
		}
		if !again.Created.Equal(first.Created) || again.ID != a.ID {
			t.Errorf("upserted row: created %v, key %v; stored created %v, key %v", again.Created, again.ID, first.Created, a.ID)
		}
		if n, _ := client.Accounts.Count(ctx); n != 1 {
			t.Errorf("%d accounts, want 1", n)
		}

		// A string key, by a unique field: the row that exists keeps its
		// key, and the upserted row is given it.
		e := &db.Event{Code: "first", Name: "launch"}
		if err := client.Events.Upsert(ctx, e, []runtime.Selector[*db.Event]{db.EventName}); err != nil {
			t.Fatalf("upsert event: %v", err)
		}
		other := &db.Event{Code: "second", Name: "launch", Note: "moved"}
		if err := client.Events.Upsert(ctx, other, []runtime.Selector[*db.Event]{db.EventName}); err != nil {
			t.Fatalf("upsert event by name: %v", err)
		}
		if other.Code != "first" || !other.Created.Equal(e.Created) {
			t.Errorf("upserted event: code %q created %v, want %q %v", other.Code, other.Created, "first", e.Created)
		}
		stored, err := client.Events.Get(ctx, db.EventName.Eq("launch"))
		if err != nil || stored.Code != "first" || stored.Note != "moved" {
			t.Errorf("stored event: %+v, %v", stored, err)
		}

		// Conflict fields that are not a unique key are refused before
		// any SQL, the same everywhere.
		err = client.Events.Upsert(ctx, &db.Event{Code: "x", Name: "y"}, []runtime.Selector[*db.Event]{db.EventNote})
		if err == nil {
			t.Error("upsert on a field that is not unique: no error")
		}
	})
}

// TestUpdateKeepsCreated: an update of every field, UpdateOrCreate of one
// field, and UpdateAll leave auto_now_add alone and move auto_now.
func TestUpdateKeepsCreated(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		ctx := context.Background()
		client := openTypes(t, url)
		e := &db.Event{Code: "ev", Name: "party"}
		if _, err := client.Events.Create(ctx, e); err != nil {
			t.Fatal(err)
		}
		created, updated := e.Created, e.Updated
		check := func(step string) {
			t.Helper()
			got, err := client.Events.Get(ctx, db.EventCode.Eq("ev"))
			if err != nil {
				t.Fatal(err)
			}
			if !got.Created.Equal(created) {
				t.Errorf("%s: created %v, want %v", step, got.Created, created)
			}
			if !got.Updated.After(updated) {
				t.Errorf("%s: updated %v, not after %v", step, got.Updated, updated)
			}
			updated = got.Updated
		}

		time.Sleep(5 * time.Millisecond)
		fresh := &db.Event{Code: "ev", Name: "party", Note: "all fields"} // Created left zero
		if err := client.Events.Update(ctx, fresh); err != nil {
			t.Fatal(err)
		}
		check("update")

		time.Sleep(5 * time.Millisecond)
		row, isNew, err := client.Events.UpdateOrCreate(ctx, db.EventName.Eq("party"), db.EventNote.Set("update or create"))
		if err != nil || isNew {
			t.Fatalf("update or create: created %v, %v", isNew, err)
		}
		check("update or create")
		if row.Code != "ev" || !row.Created.Equal(created) || row.Note != "update or create" || !row.Updated.Equal(updated) {
			t.Errorf("update or create returned code %q created %v note %q updated %v", row.Code, row.Created, row.Note, row.Updated)
		}

		time.Sleep(5 * time.Millisecond)
		if n, err := client.Events.Filter(db.EventCode.Eq("ev")).UpdateAll(ctx, db.EventNote.Set("update all")); err != nil || n != 1 {
			t.Fatalf("update all: %d, %v", n, err)
		}
		check("update all")
	})
}
