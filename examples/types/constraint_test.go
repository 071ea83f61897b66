package types

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/ormc/ormc/examples/types/db"
	"github.com/ormc/ormc/internal/testdb"
	"github.com/ormc/ormc/runtime"
)

// unchecked returns a query of bookings whose metadata drops every
// validation, so that the database's own NOT NULL and CHECK constraints
// are what refuse a bad row, as they would a row written by other code.
func unchecked(client *db.Client) *runtime.Query[*db.Booking] {
	t := *client.Bookings.Table()
	t.Columns = nil
	for _, c := range client.Bookings.Table().Columns {
		c := *c
		c.Null, c.Min, c.Max = true, nil, nil
		t.Columns = append(t.Columns, &c)
	}
	return runtime.NewQuery[*db.Booking](client.DB(), &t)
}

// TestConstraintErrors: a violation of each kind of constraint is one
// *ConstraintError that names the same model, columns and constraint on
// every database, whatever each reports (PostgreSQL names the constraint,
// MySQL names it in its message only, SQLite names a foreign key not at
// all), and wraps the driver's error.
func TestConstraintErrors(t *testing.T) {
	testdb.EachSharded(t, "db/schema.json", func(t *testing.T, url string) {
		ctx := context.Background()
		client := openTypes(t, url)
		must := func(err error) {
			t.Helper()
			if err != nil {
				t.Fatal(err)
			}
		}
		ann, bob := account("ann"), account("bob")
		for _, a := range []*db.Account{ann, bob} {
			_, err := client.Accounts.Create(ctx, a)
			must(err)
		}
		ev := &db.Event{Code: "gig", Name: "gig"}
		_, err := client.Events.Create(ctx, ev)
		must(err)
		_, err = client.Bookings.Create(ctx, &db.Booking{Event: db.EventRef(ev), Account: db.AccountRef(ann), Host: runtime.NewRef(bob.ID, bob), Seat: 1})
		must(err)
		missing := runtime.NewUUID()

		for _, tc := range []struct {
			name       string
			write      func() error
			kind       runtime.ConstraintKind
			model      string
			columns    []string
			constraint string
			// kept: on a sharded Vitess keyspace the write succeeds, as
			// lang/spec.md's engine rows say: no shard can check a foreign
			// key, nor a unique constraint beyond the sharding key
			// between rows on different shards.
			kept bool
		}{
			{"primary key", func() error {
				_, err := client.Events.Create(ctx, &db.Event{Code: "gig", Name: "other"})
				return err
			}, runtime.UniqueViolation, "Event", []string{"code"}, "event_pkey", false},
			{"unique field", func() error {
				_, err := client.Events.Create(ctx, &db.Event{Code: "other", Name: "gig"})
				return err
			}, runtime.UniqueViolation, "Event", []string{"name"}, "event_name_key", true},
			{"unique fields", func() error {
				_, err := client.Bookings.Create(ctx, &db.Booking{Event: db.EventRef(ev), Account: db.AccountRef(bob), Seat: 1})
				return err
			}, runtime.UniqueViolation, "Booking", []string{"event", "seat"}, "booking_event_seat_key", true},
			{"unique fields on update", func() error {
				b := &db.Booking{Event: db.EventRef(ev), Account: db.AccountRef(ann), Seat: 2}
				if _, err := client.Bookings.Create(ctx, b); err != nil {
					return err
				}
				b.Seat = 1
				return client.Bookings.Update(ctx, b)
			}, runtime.UniqueViolation, "Booking", []string{"event", "seat"}, "booking_event_seat_key", false},
			{"foreign key, second of three", func() error {
				_, err := client.Bookings.Create(ctx, &db.Booking{Event: db.EventRef(ev), Account: runtime.KeyRef[*db.Account](missing), Seat: 3})
				return err
			}, runtime.ForeignKeyViolation, "Booking", []string{"account"}, "booking_account_fkey", true},
			{"foreign key, third of three", func() error {
				_, err := client.Bookings.Create(ctx, &db.Booking{Event: db.EventRef(ev), Account: db.AccountRef(ann), Host: runtime.KeyRef[*db.Account](missing), Seat: 4})
				return err
			}, runtime.ForeignKeyViolation, "Booking", []string{"host"}, "booking_host_fkey", true},
			{"foreign key by upsert", func() error {
				return client.Bookings.Upsert(ctx, &db.Booking{Event: runtime.KeyRef[*db.Event]("nowhere"), Account: db.AccountRef(ann), Seat: 5},
					[]runtime.Selector[*db.Booking]{db.BookingEventID, db.BookingSeat})
			}, runtime.ForeignKeyViolation, "Booking", []string{"event"}, "booking_event_fkey", true},
			{"delete of a referenced row", func() error {
				return client.Accounts.Delete(ctx, bob) // a host only: the second of the two keys to Account
			}, runtime.ForeignKeyViolation, "Booking", []string{"host"}, "booking_host_fkey", true},
			{"delete of a row referenced once", func() error {
				return client.Events.Delete(ctx, ev)
			}, runtime.ForeignKeyViolation, "Booking", []string{"event"}, "booking_event_fkey", true},
			{"delete all", func() error {
				_, err := client.Events.DeleteAll(ctx)
				return err
			}, runtime.ForeignKeyViolation, "Booking", []string{"event"}, "booking_event_fkey", true},
			{"check", func() error {
				_, err := unchecked(client).Create(ctx, &db.Booking{Event: db.EventRef(ev), Account: db.AccountRef(ann), Seat: 0})
				return err
			}, runtime.CheckViolation, "Booking", []string{"seat"}, "booking_seat_check", false},
			{"check by update all", func() error {
				u := unchecked(client)
				seat := runtime.NewOrderedField[*db.Booking, int64](runtime.Col(u.Table(), u.Table().Column("seat").Index))
				_, err := u.Filter(seat.Eq(1)).UpdateAll(ctx, seat.Set(-1))
				return err
			}, runtime.CheckViolation, "Booking", []string{"seat"}, "booking_seat_check", false},
			{"not null", func() error {
				_, err := unchecked(client).Create(ctx, &db.Booking{Account: db.AccountRef(ann), Seat: 9})
				return err
			}, runtime.NotNullViolation, "Booking", []string{"event"}, "", false},
		} {
			err := tc.write()
			if tc.kept && testdb.OnSharded(t) {
				if err != nil {
					t.Errorf("%s: %v, want the row written on a sharded keyspace", tc.name, err)
				}
				continue
			}
			var ce *runtime.ConstraintError
			if !errors.As(err, &ce) {
				t.Errorf("%s: want a *ConstraintError, got %v", tc.name, err)
				continue
			}
			if ce.Kind != tc.kind || ce.Model != tc.model || !slices.Equal(ce.Columns, tc.columns) || ce.Constraint != tc.constraint {
				t.Errorf("%s: got %s %s %v %q, want %s %s %v %q\n%v", tc.name, ce.Kind, ce.Model, ce.Columns, ce.Constraint,
					tc.kind, tc.model, tc.columns, tc.constraint, err)
			}
			if ce.Err == nil || errors.Unwrap(ce) != ce.Err {
				t.Errorf("%s: the driver's error is not wrapped", tc.name)
			}
		}
	})
}
