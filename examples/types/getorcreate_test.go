package types

import (
	"context"
	"errors"
	"testing"

	"github.com/ormc/ormc/examples/types/db"
	"github.com/ormc/ormc/internal/testdb"
	"github.com/ormc/ormc/runtime"
)

// TestGetOrCreate: a create that breaks a unique constraint on another
// field returns that *ConstraintError, not "no row matches", and inside a
// transaction leaves it usable (a savepoint on PostgreSQL); a row created
// concurrently between the Get and the create is returned as found.
func TestGetOrCreate(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		ctx := context.Background()
		client := openTypes(t, url)
		if _, err := client.Events.Create(ctx, &db.Event{Code: "taken", Name: "taken"}); err != nil {
			t.Fatal(err)
		}
		clash := func(c *db.Client) error {
			_, created, err := c.Events.GetOrCreate(ctx, db.EventCode.Eq("new"), db.EventName.Set("taken"))
			var ce *runtime.ConstraintError
			if created || !errors.As(err, &ce) || ce.Constraint != "event_name_key" {
				t.Errorf("get or create with a clash: created %v, %v", created, err)
			}
			return nil
		}
		clash(client)
		err := client.Tx(ctx, func(tx *db.Client) error {
			clash(tx)
			// The transaction goes on.
			row, created, err := tx.Events.GetOrCreate(ctx, db.EventCode.Eq("in-tx"), db.EventName.Set("in-tx"))
			if err != nil || !created || row.Code != "in-tx" || row.Name != "in-tx" {
				t.Errorf("get or create after the clash: created %v, %v", created, err)
			}
			return err
		})
		if err != nil {
			t.Fatalf("transaction: %v", err)
		}
		if ok, _ := client.Events.Filter(db.EventCode.Eq("in-tx")).Exists(ctx); !ok {
			t.Error("the transaction's row was not committed")
		}

		// A concurrent create between the Get and the INSERT.
		var raced bool
		racer, err := db.Open(ctx, url, runtime.WithHook(func(hctx context.Context, ev runtime.QueryEvent) {
			if !raced && ev.Err == nil && len(ev.SQL) > 6 && ev.SQL[:6] == "SELECT" {
				raced = true
				if _, err := client.Events.Create(hctx, &db.Event{Code: "race", Name: "race"}); err != nil {
					t.Errorf("racing create: %v", err)
				}
			}
		}))
		if err != nil {
			t.Fatal(err)
		}
		defer racer.Close()
		got, created, err := racer.Events.GetOrCreate(ctx, db.EventCode.Eq("race"), db.EventName.Set("race"))
		if err != nil || created || got.Code != "race" {
			t.Errorf("get or create losing a race: %v created %v, %v", got, created, err)
		}
	})
}
