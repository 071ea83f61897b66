package types

import (
	"context"
	"testing"
	"time"

	"github.com/ormc/ormc/examples/types/db"
	"github.com/ormc/ormc/internal/testdb"
	"github.com/ormc/ormc/runtime"
)

// TestEngineDefaults: the engine fills `now` and `uuid` defaults only into
// non-null fields left at a zero value no one stores on purpose; midnight
// stays midnight and NULL stays NULL (NewEvent is where those get theirs).
func TestEngineDefaults(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		ctx := context.Background()
		client := openTypes(t, url)

		// An account built without NewAccount: its uuid key and now date
		// are filled in.
		a := &db.Account{Handle: "bare", Email: "bare@example.com", Age: 20, Balance: runtime.MustDecimal("1"), Ratio: 1, Plan: db.AccountPlanPro}
		if _, err := client.Accounts.Create(ctx, a); err != nil {
			t.Fatal(err)
		}
		if a.ID == (runtime.UUID{}) || a.Joined == (runtime.Date{}) {
			t.Errorf("uuid key %v, joined %v: not filled", a.ID, a.Joined)
		}

		// Midnight and NULL are values, kept as written.
		e := &db.Event{Code: "midnight", Name: "midnight", Starts: runtime.TimeOfDay{}}
		if _, err := client.Events.Create(ctx, e); err != nil {
			t.Fatal(err)
		}
		got, err := client.Events.Get(ctx, db.EventCode.Eq("midnight"))
		if err != nil {
			t.Fatal(err)
		}
		if got.Starts != (runtime.TimeOfDay{}) || got.Day.Valid || got.Token.Valid {
			t.Errorf("stored starts %v, day %v, token %v: want midnight and NULLs", got.Starts, got.Day, got.Token)
		}

		// NewEvent sets the now and uuid defaults the engine leaves
		// alone: a time of day, and nullable fields.
		before := runtime.NowUTC(time.Now())
		n := db.NewEvent()
		n.Code, n.Name = "new", "new"
		if _, err := client.Events.Create(ctx, n); err != nil {
			t.Fatal(err)
		}
		got, err = client.Events.Get(ctx, db.EventCode.Eq("new"))
		if err != nil {
			t.Fatal(err)
		}
		startsAt := time.Date(before.Year(), before.Month(), before.Day(), got.Starts.Hour, got.Starts.Minute, got.Starts.Second, got.Starts.Microsecond*1000, time.UTC)
		if d := startsAt.Sub(before); d < -time.Second || d > time.Minute {
			t.Errorf("starts %v: not the time NewEvent was called (%v)", got.Starts, before)
		}
		if !got.Day.Valid || got.Day.V != n.Day.V || !got.Token.Valid || got.Token.V == (runtime.UUID{}) {
			t.Errorf("stored day %v, token %v: want today and a new UUID", got.Day, got.Token)
		}
	})
}
