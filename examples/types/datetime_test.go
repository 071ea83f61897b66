package types

import (
	"context"
	"testing"
	"time"

	"github.com/ormc/ormc/examples/types/db"
	"github.com/ormc/ormc/internal/testdb"
	"github.com/ormc/ormc/runtime"
)

// TestDateTimeMicroseconds: an instant with nanoseconds is stored to the
// microsecond on every database, SQLite included, and found again by the
// value it was written with.
func TestDateTimeMicroseconds(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		ctx := context.Background()
		client := openTypes(t, url)
		v := values()[1]
		v.Moment = time.Date(2024, 5, 6, 7, 8, 9, 123456789, time.UTC)
		v.When = runtime.Some(time.Date(1969, 12, 31, 23, 59, 59, 999999999, time.UTC))
		if err := create(ctx, client, v); err != nil {
			t.Fatal(err)
		}
		got, err := client.Values.Get(ctx, db.ValueID.Eq(v.ID))
		if err != nil {
			t.Fatal(err)
		}
		if want := time.Date(2024, 5, 6, 7, 8, 9, 123456000, time.UTC); !got.Moment.Equal(want) {
			t.Errorf("moment: %v, want %v", got.Moment, want)
		}
		if want := time.Date(1969, 12, 31, 23, 59, 59, 999999000, time.UTC); !got.When.V.Equal(want) {
			t.Errorf("when: %v, want %v", got.When.V, want)
		}
		n, err := client.Values.Filter(db.ValueMoment.Eq(v.Moment), db.ValueWhen.Eq(v.When.V)).Count(ctx)
		if err != nil || n != 1 {
			t.Errorf("filter by the written values: %d rows, %v", n, err)
		}
		n, err = client.Values.Filter(db.ValueMoment.Gt(v.Moment)).Count(ctx)
		if err != nil || n != 0 {
			t.Errorf("greater than the written value: %d rows, %v", n, err)
		}
	})
}
