package runtime_test

import (
	"context"
	"errors"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ormc/ormc/internal/testdb"
	"github.com/ormc/ormc/runtime"
)

var (
	rawOrderID       = runtime.NewOrderedField[*rawOrder, int64](runtime.Col(rawOrderTable, 0))
	rawOrderCustomer = runtime.NewStringField[*rawOrder](runtime.Col(rawOrderTable, 1))
	rawOrderTotal    = runtime.NewOrderedField[*rawOrder, runtime.Decimal](runtime.Col(rawOrderTable, 2))
)

// TestGroupBySumMatchesRaw: the typed order total per customer is the
// report TestRawConformance runs as raw SQL, the same exact Decimals on
// every database (floats would give 0.30000000000000004 and lose the last
// digit of bob's), from one statement that sums exactly on SQLite too.
func TestGroupBySumMatchesRaw(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		ctx := context.Background()
		var ev events
		db, _ := openRawOrders(t, url, runtime.WithHook(ev.hook))
		orders := runtime.NewQuery[*rawOrder](db, rawOrderTable)
		gs, err := runtime.GroupBy(ctx, orders.Filter(rawOrderCustomer.Ne("dan")), &rawOrderCustomer, runtime.SumOf(&rawOrderTotal))
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, g := range gs {
			got = append(got, g.Key+" "+g.Value.V.String())
		}
		if want := []string{"ann 0.30", "bob 12345678901234.58", "cat 1.00"}; !slices.Equal(got, want) {
			t.Errorf("totals = %q, want %q", got, want)
		}
		evs := ev.take()
		if len(evs) != 1 || !strings.Contains(evs[0].SQL, " GROUP BY ") {
			t.Fatalf("hook saw %+v, want one GROUP BY statement", evs)
		}
		if exact := strings.Contains(evs[0].SQL, "ormc_decimal_sum("); exact != (db.Dialect().Name() == "sqlite") {
			t.Errorf("%s: %s; want ormc_decimal_sum on SQLite only", db.Dialect().Name(), evs[0].SQL)
		}

		// The same query again is the same text: built once per shape.
		if _, err := runtime.GroupBy(ctx, orders.Filter(rawOrderCustomer.Ne("ann")), &rawOrderCustomer, runtime.SumOf(&rawOrderTotal)); err != nil {
			t.Fatal(err)
		}
		if again := ev.take(); len(again) != 1 || again[0].SQL != evs[0].SQL {
			t.Errorf("the second run's SQL differs: %+v", again)
		}

		// Having compares Decimals as numbers, not as text ("12345…" < "9").
		counts, err := runtime.GroupBy(ctx, orders, &rawOrderCustomer, runtime.CountOf(&rawOrderID),
			runtime.SumOf(&rawOrderTotal).Gt(runtime.MustDecimal("0.9")))
		if err != nil {
			t.Fatal(err)
		}
		got = got[:0]
		for _, g := range counts {
			got = append(got, g.Key)
		}
		if want := []string{"bob", "cat"}; !slices.Equal(got, want) {
			t.Errorf("having sum > 0.9 = %q, want %q", got, want)
		}
	})
}

// TestSumBeyondInt64: a sum of BigIntegers that int64 cannot hold is an
// error wrapping ErrOutOfRange on every database (SQLite's SUM would fail
// with "integer overflow", the others return numeric); the average is
// still exact.
func TestSumBeyondInt64(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		ctx := context.Background()
		db, _ := openRawOrders(t, url)
		orders := runtime.NewQuery[*rawOrder](db, rawOrderTable)
		for _, id := range []int64{math.MaxInt64 - 1, math.MaxInt64 - 3} {
			if _, err := orders.Create(ctx, &rawOrder{ID: id, Customer: "big", Total: runtime.MustDecimal("1"), Placed: at0}); err != nil {
				t.Fatal(err)
			}
		}
		big := orders.Filter(rawOrderCustomer.Eq("big"))
		if s, err := runtime.Sum(ctx, big, &rawOrderID); !errors.Is(err, runtime.ErrOutOfRange) {
			t.Errorf("Sum beyond int64 = %v, %v; want ErrOutOfRange", s, err)
		}
		avg, err := runtime.AvgDecimal(ctx, big, &rawOrderID, 1)
		if err != nil || avg.V.String() != "9223372036854775805.0" {
			t.Errorf("AvgDecimal = %v, %v; want 9223372036854775805.0", avg, err)
		}
		if mx, err := runtime.Max(ctx, big, &rawOrderID); err != nil || mx.V != math.MaxInt64-1 {
			t.Errorf("Max = %v, %v", mx, err)
		}
	})
}

var at0 = time.Date(2026, 3, 1, 9, 30, 0, 0, time.UTC)

// TestAggregateRefusals: what an aggregate or projection cannot do is an
// error before any SQL, alike on every database.
func TestAggregateRefusals(t *testing.T) {
	ctx := context.Background()
	notes := openNotes(t, "sqlite://:memory:")
	textAsInt := ordField[*note, int64](runtime.Col(noteTable, 1)) // a hand-built field on the text column
	wrong := ordField[*note, int64](runtime.Col(rawOrderTable, 0)) // a column of another table
	for _, tc := range []struct {
		name string
		err  error
		want error
	}{
		{"sum of text", second(runtime.Sum(ctx, notes, textAsInt)), runtime.ErrInvalidQuery},
		{"another model's field", second(runtime.Max(ctx, notes, wrong)), runtime.ErrWrongModel},
		{"group by another model's field", second(runtime.GroupBy(ctx, notes, wrong, runtime.CountOf(&noteID))), runtime.ErrWrongModel},
		{"values of another model's field", second(runtime.Values(ctx, notes, wrong)), runtime.ErrWrongModel},
		{"avg to 5000 places", second(runtime.AvgDecimal(ctx, notes, &noteRank, 5000)), runtime.ErrDecimalRange},
		{"offset", second(runtime.CountDistinct(ctx, notes.Offset(1), &noteText)), runtime.ErrInvalidQuery},
		{"group with limit", second(runtime.GroupBy(ctx, notes.Limit(1), &noteText, runtime.CountOf(&noteID))), runtime.ErrInvalidQuery},
		{"a nullable key", second(runtime.GroupBy(ctx, notes, &noteRank, runtime.CountOf(&noteID))), runtime.ErrNullValue},
		{"a locked sum", second(runtime.Sum(ctx, notes.Lock(runtime.ForUpdate), &noteRank)), runtime.ErrInvalidQuery},
		{"locked values", second(runtime.Values(ctx, notes.Lock(runtime.ForShare), &noteText)), runtime.ErrInvalidQuery},
		{"a deferred query error", second(runtime.Values(ctx, notes.Where("nope", 1), &noteText)), nil},
	} {
		if tc.want == nil {
			var le *runtime.LookupError
			if !errors.As(tc.err, &le) {
				t.Errorf("%s: %v; want a *LookupError", tc.name, tc.err)
			}
			continue
		}
		if !errors.Is(tc.err, tc.want) {
			t.Errorf("%s: %v; want %v", tc.name, tc.err, tc.want)
		}
		var oe *runtime.OpError
		if !errors.As(tc.err, &oe) || oe.Model != "Note" {
			t.Errorf("%s: %v; want an *OpError on Note", tc.name, tc.err)
		}
	}

	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := runtime.Values2(cancelled, notes, &noteText, &noteCompleted); !errors.Is(err, context.Canceled) {
		t.Errorf("Values2 with a cancelled context: %v", err)
	}
}

// TestValuesReadNoRows: a projection reads the chosen columns only, into
// its values, and Nullable keeps NULL apart from zero.
func TestValuesReadNoRows(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		ctx := context.Background()
		var ev events
		_, notes := openNotesDB(t, url, runtime.WithHook(ev.hook))
		for _, n := range []note{{Text: "a", Rank: runtime.Some[int64](0)}, {Text: "b"}, {Text: "a", Completed: true}} {
			if _, err := notes.Create(ctx, &n); err != nil {
				t.Fatal(err)
			}
		}
		ev.take()
		got, err := runtime.Values2(ctx, notes.OrderBy(noteID.Asc()), &noteText, runtime.Nullable(&noteRank))
		if err != nil {
			t.Fatal(err)
		}
		want := []runtime.Tuple2[string, runtime.Null[int64]]{{"a", runtime.Some[int64](0)}, {"b", runtime.Null[int64]{}}, {"a", runtime.Null[int64]{}}}
		if !slices.Equal(got, want) {
			t.Errorf("Values2 = %v, want %v", got, want)
		}
		if evs := ev.take(); len(evs) != 1 || strings.Contains(evs[0].SQL, "completed") {
			t.Errorf("hook saw %+v; want one statement reading text and rank only", evs)
		}
		texts, err := runtime.Values(ctx, runtime.Distinct(notes), &noteText)
		if err != nil || !slices.Equal(texts, []string{"a", "b"}) {
			t.Errorf("distinct texts = %q, %v", texts, err)
		}
		if evs := ev.take(); len(evs) != 1 || !strings.Contains(evs[0].SQL, "SELECT DISTINCT ") {
			t.Errorf("hook saw %+v; want SELECT DISTINCT", evs)
		}
		// Distinct leaves rows alone.
		if n, err := runtime.Distinct(notes).Count(ctx); err != nil || n != 3 {
			t.Errorf("Distinct(notes).Count = %d, %v; want 3", n, err)
		}
	})
}

func second[T any](_ T, err error) error { return err }
