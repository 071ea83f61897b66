package types

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/ormc/ormc/examples/types/db"
	"github.com/ormc/ormc/internal/testdb"
	"github.com/ormc/ormc/runtime"
)

// TestDecimalDigits: a Decimal with more decimal places or more digits
// before the point than its column holds is refused before any SQL, where
// PostgreSQL and MySQL would round it or fail with errors of their own and
// SQLite would keep it; the values at the limits round-trip exactly.
func TestDecimalDigits(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		ctx := context.Background()
		var statements int
		client := openTypes(t, url, runtime.WithHook(func(context.Context, runtime.QueryEvent) { statements++ }))
		for _, tc := range []struct {
			balance string // Decimal(12, 2)
			want    []string
		}{
			{"1.234", []string{"balance:decimal_places"}},
			{"0.001", []string{"balance:decimal_places"}},
			{"10000000000", []string{"balance:max_digits"}},
			{"10000000000.001", []string{"balance:decimal_places", "balance:max_digits"}},
		} {
			a := account("dec")
			a.Balance = runtime.MustDecimal(tc.balance)
			before := statements
			_, err := client.Accounts.Create(ctx, a)
			if got := codes(err); !slices.Equal(got, tc.want) {
				t.Errorf("balance %s: got %v (%v), want %v", tc.balance, got, err, tc.want)
			}
			if statements != before {
				t.Errorf("balance %s: SQL sent for an invalid row", tc.balance)
			}
			_, err = client.Accounts.UpdateAll(ctx, db.AccountBalance.Set(a.Balance))
			if got := codes(err); !slices.Equal(got, tc.want) {
				t.Errorf("update all, balance %s: got %v, want %v", tc.balance, got, tc.want)
			}
		}
		// The limits: 10 digits before the point and 2 after for (12, 2),
		// trailing zeros beyond the scale, 20 and 10 for (30, 10).
		for i, balance := range []string{"9999999999.99", "0.00", "1.230000", "0.01"} {
			a := account("dec" + string(rune('a'+i)))
			a.Balance = runtime.MustDecimal(balance)
			if _, err := client.Accounts.Create(ctx, a); err != nil {
				t.Fatalf("balance %s: %v", balance, err)
			}
			got, err := client.Accounts.Get(ctx, db.AccountID.Eq(a.ID))
			if err != nil || got.Balance.Rat().Cmp(a.Balance.Rat()) != 0 {
				t.Errorf("balance %s: read back %v, %v", balance, got.Balance, err)
			}
		}
		v := values()[1]
		v.Price = runtime.MustDecimal("123456789012345678901") // 21 digits before the point
		if got := codes(create(ctx, client, v)); !slices.Equal(got, []string{"price:max_digits"}) {
			t.Errorf("21 digits in Decimal(30, 10): %v", got)
		}
		v.Price = runtime.MustDecimal("-99999999999999999999.9999999999")
		if err := create(ctx, client, v); err != nil {
			t.Errorf("20 digits and 10 places in Decimal(30, 10): %v", err)
		}
	})
}

// TestEnumValidation: every form of Enum field is checked against its
// values, through every write: non-null and nullable, set on the row, by
// UpdateAll and by Upsert.
func TestEnumValidation(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		ctx := context.Background()
		client := openTypes(t, url)
		good := values()[0]
		if err := create(ctx, client, good); err != nil {
			t.Fatal(err)
		}

		bad := values()[1]
		bad.Kind = "ep"
		bad.Mood = runtime.Some[db.ValueMoodEnum]("angry")
		if got, want := codes(create(ctx, client, bad)), []string{"kind:enum", "mood:enum"}; !slices.Equal(got, want) {
			t.Errorf("create: %v, want %v", got, want)
		}
		good.Mood = runtime.Some[db.ValueMoodEnum]("angry")
		if got, want := codes(client.Values.Update(ctx, good)), []string{"mood:enum"}; !slices.Equal(got, want) {
			t.Errorf("update: %v, want %v", got, want)
		}
		if got, want := codes(client.Values.Upsert(ctx, good, []runtime.Selector[*db.Value]{db.ValueID})), []string{"mood:enum"}; !slices.Equal(got, want) {
			t.Errorf("upsert: %v, want %v", got, want)
		}
		_, err := client.Values.UpdateAll(ctx, db.ValueMood.Set("angry"), db.ValueKind.Set("ep"))
		if got, want := codes(err), []string{"mood:enum", "kind:enum"}; !slices.Equal(got, want) {
			t.Errorf("update all: %v, want %v", got, want)
		}
		a := account("enum")
		a.Plan = "gold"
		if got, want := codes(client.Accounts.Upsert(ctx, a, []runtime.Selector[*db.Account]{db.AccountID})), []string{"plan:enum"}; !slices.Equal(got, want) {
			t.Errorf("upsert of a non-null enum: %v, want %v", got, want)
		}
		if got, want := codes(client.Accounts.BulkCreate(ctx, []*db.Account{a})), []string{"plan:enum"}; !slices.Equal(got, want) {
			t.Errorf("bulk create: %v, want %v", got, want)
		}

		// Valid values, including NULL and a value with a space, pass
		// every write and read back.
		good.Mood = runtime.Null[db.ValueMoodEnum]{}
		if err := client.Values.Update(ctx, good); err != nil {
			t.Fatal(err)
		}
		if _, err := client.Values.UpdateAll(ctx, db.ValueMood.Set(db.ValueMoodHappy), db.ValueKind.Set(db.ValueKindGiftCard)); err != nil {
			t.Fatal(err)
		}
		got, err := client.Values.Get(ctx, db.ValueID.Eq(good.ID))
		if err != nil || got.Mood != runtime.Some(db.ValueMoodHappy) || got.Kind != db.ValueKindGiftCard {
			t.Errorf("read back %v %v, %v", got.Mood, got.Kind, err)
		}
	})
}

// TestDateAndTimeValidation: dates and times that are not real ones are
// refused before SQL rather than stored as rows that cannot be read back
// (SQLite) or as an hour 25 (MariaDB); the zero Date is no date, so a
// non-null Date field left at it is required.
func TestDateAndTimeValidation(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		ctx := context.Background()
		var statements int
		client := openTypes(t, url, runtime.WithHook(func(context.Context, runtime.QueryEvent) { statements++ }))
		for _, tc := range []struct {
			name string
			set  func(v *db.Value)
			want []string
		}{
			{"zero date", func(v *db.Value) { v.Day = runtime.Date{} }, []string{"day:required"}},
			{"february 30", func(v *db.Value) { v.Day = runtime.Date{Year: 2023, Month: 2, Day: 30} }, []string{"day:invalid_date"}},
			{"february 29 of a common year", func(v *db.Value) { v.Day = runtime.Date{Year: 1900, Month: 2, Day: 29} }, []string{"day:invalid_date"}},
			{"month 13", func(v *db.Value) { v.Day = runtime.Date{Year: 2023, Month: 13, Day: 1} }, []string{"day:invalid_date"}},
			{"year 0", func(v *db.Value) { v.Day = runtime.Date{Year: 0, Month: 1, Day: 1} }, []string{"day:invalid_date"}},
			{"year 10000", func(v *db.Value) { v.Day = runtime.Date{Year: 10000, Month: 1, Day: 1} }, []string{"day:invalid_date"}},
			{"hour 25", func(v *db.Value) { v.At = runtime.TimeOfDay{Hour: 25} }, []string{"at:invalid_time"}},
			{"minute 60", func(v *db.Value) { v.At = runtime.TimeOfDay{Hour: 1, Minute: 60} }, []string{"at:invalid_time"}},
			{"a million microseconds", func(v *db.Value) { v.At = runtime.TimeOfDay{Microsecond: 1000000} }, []string{"at:invalid_time"}},
			{"negative second", func(v *db.Value) { v.At = runtime.TimeOfDay{Second: -1} }, []string{"at:invalid_time"}},
			{"year 10000 instant", func(v *db.Value) { v.Moment = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC) }, []string{"moment:out_of_range"}},
		} {
			v := values()[1]
			tc.set(v)
			before := statements
			if got := codes(create(ctx, client, v)); !slices.Equal(got, tc.want) {
				t.Errorf("%s: got %v, want %v", tc.name, got, tc.want)
			}
			if statements != before {
				t.Errorf("%s: SQL sent for an invalid row", tc.name)
			}
		}
		// The edges that are valid round-trip.
		v := values()[1]
		v.Day = runtime.Date{Year: 2024, Month: 2, Day: 29}
		v.At = runtime.TimeOfDay{Hour: 23, Minute: 59, Second: 59, Microsecond: 999999}
		if err := create(ctx, client, v); err != nil {
			t.Fatal(err)
		}
		got, err := client.Values.Get(ctx, db.ValueID.Eq(v.ID))
		if err != nil || got.Day != v.Day || got.At != v.At {
			t.Errorf("read back %v %v, %v", got.Day, got.At, err)
		}
		_, err = client.Values.UpdateAll(ctx, db.ValueDay.Set(runtime.Date{Year: 2023, Month: 2, Day: 30}))
		if got, want := codes(err), []string{"day:invalid_date"}; !slices.Equal(got, want) {
			t.Errorf("update all: %v, want %v", got, want)
		}
	})
}
