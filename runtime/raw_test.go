package runtime_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ormc/ormc/internal/testdb"
	"github.com/ormc/ormc/runtime"
	"github.com/ormc/ormc/runtime/dialect"
)

// Raw SQL: one text for every database, run through the same hook, error
// mapping, context and transaction as the generated client's SQL.

type rawOrder struct {
	ID       int64
	Customer string
	Total    runtime.Decimal
	Placed   time.Time
}

var rawOrderTable = &runtime.Table{
	Model: "RawOrder", Name: "raw_orders", PK: 0,
	Columns: []*runtime.Column{
		{Field: "id", Name: "id", Kind: runtime.KindBigInteger, Index: 0, AutoIncrement: true},
		{Field: "customer", Name: "customer", Kind: runtime.KindString, Index: 1, MaxLength: 40},
		{Field: "total", Name: "total", Kind: runtime.KindDecimal, Index: 2, MaxDigits: 16, DecimalPlaces: 2},
		{Field: "placed", Name: "placed", Kind: runtime.KindDateTime, Index: 3},
	},
	New: func() any { return new(rawOrder) },
	Ptr: func(row any, i int) any {
		o := row.(*rawOrder)
		return []any{&o.ID, &o.Customer, &o.Total, (*runtime.UTCTime)(&o.Placed)}[i]
	},
	Value: func(row any, i int) any {
		o := row.(*rawOrder)
		return []any{o.ID, o.Customer, o.Total, runtime.BindUTC(o.Placed)}[i]
	},
}

// openRawOrders creates raw_orders, with the column types ormc's DDL
// gives each kind, and fills it: sums of these totals in floats come out
// wrong (0.1 + 0.2, ten times 0.1, 14 digits before the point).
func openRawOrders(t *testing.T, url string, opts ...runtime.Option) (*runtime.DB, []*rawOrder) {
	t.Helper()
	ctx := context.Background()
	db, err := openTestDB(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	d := db.Dialect()
	ddl := "CREATE TABLE raw_orders (id " + d.AutoIncrementPK("raw_orders", dialect.Type{Kind: dialect.BigInteger}) +
		", customer " + d.ColumnType(dialect.Type{Kind: dialect.String, MaxLength: 40}) + " NOT NULL" +
		", total " + d.ColumnType(dialect.Type{Kind: dialect.Decimal, Precision: 16, Scale: 2}) + " NOT NULL" +
		", placed " + d.ColumnType(dialect.Type{Kind: dialect.DateTime}) + " NOT NULL)"
	if _, err := db.Exec(ctx, ddl); err != nil {
		t.Fatalf("%s: %v", ddl, err)
	}
	m := runtime.NewQuery[*rawOrder](db, rawOrderTable)
	at := time.Date(2026, 3, 1, 9, 30, 0, 123456000, time.FixedZone("CET", 3600))
	var rows []*rawOrder
	add := func(customer, total string) {
		o, err := m.Create(ctx, &rawOrder{Customer: customer, Total: runtime.MustDecimal(total), Placed: at.Add(time.Duration(len(rows)) * time.Hour)})
		if err != nil {
			t.Fatal(err)
		}
		rows = append(rows, o)
	}
	add("ann", "0.10")
	add("ann", "0.20")
	add("bob", "12345678901234.56")
	add("bob", "0.01")
	add("bob", "0.01")
	for range 10 {
		add("cat", "0.10")
	}
	add("dan", "-5.00")
	return db.Apply(opts...), rows
}

// TestRawConformance: the order total per customer of the report, the
// same text on every database, gives the same exact Decimals on each.
func TestRawConformance(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		ctx := context.Background()
		var ev events
		db, _ := openRawOrders(t, url, runtime.WithHook(ev.hook))

		// A ? before GROUP BY, which PostgreSQL read as an operator.
		const totals = "SELECT customer, SUM(total) AS total FROM raw_orders WHERE customer <> ? GROUP BY customer ORDER BY customer"
		c, err := db.Raw(ctx, totals, "dan")
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for c.Next() {
			var customer string
			var total runtime.Decimal
			if err := c.Scan(&customer, &total); err != nil {
				t.Fatal(err)
			}
			got = append(got, customer+" "+total.String())
		}
		if err := c.Err(); err != nil {
			t.Fatal(err)
		}
		if cols, err := c.Columns(); err != nil || !slices.Equal(cols, []string{"customer", "total"}) {
			t.Errorf("columns = %q, %v", cols, err)
		}
		if err := c.Close(); err != nil {
			t.Fatal(err)
		}
		if want := []string{"ann 0.30", "bob 12345678901234.58", "cat 1.00"}; !slices.Equal(got, want) {
			t.Errorf("totals = %q, want %q", got, want)
		}
		evs := ev.take()
		if len(evs) != 1 || evs[0].Rows != 3 || evs[0].Err != nil || !strings.Contains(evs[0].SQL, "GROUP BY") {
			t.Errorf("hook saw %+v, want the query once, with 3 rows", evs)
		} else if placeholder := string(db.Dialect().AppendPlaceholder(nil, 1)); !strings.Contains(evs[0].SQL, "<> "+placeholder+" GROUP") {
			t.Errorf("hook saw %q, want the placeholder %s", evs[0].SQL, placeholder)
		}

		// One column: typed values.
		sums, err := runtime.RawScan[runtime.Decimal](ctx, db, "SELECT SUM(total) FROM raw_orders WHERE customer IN (?, ?)", "ann", "cat")
		if err != nil || len(sums) != 1 || sums[0].String() != "1.30" {
			t.Errorf("RawScan[Decimal] = %v, %v; want [1.30]", sums, err)
		}
		none, err := runtime.RawScan[runtime.Null[runtime.Decimal]](ctx, db, "SELECT SUM(total) FROM raw_orders WHERE customer = ?", "nobody")
		if err != nil || len(none) != 1 || none[0].Valid {
			t.Errorf("RawScan[Null[Decimal]] of no row's sum = %v, %v; want [NULL]", none, err)
		}
		if _, err := runtime.RawScan[runtime.Decimal](ctx, db, "SELECT SUM(total) FROM raw_orders WHERE customer = ?", "nobody"); err == nil {
			t.Errorf("RawScan[Decimal] of NULL: no error")
		}
		counts, err := runtime.RawScan[int64](ctx, db, "SELECT COUNT(*) FROM raw_orders WHERE customer = ? GROUP BY customer", "cat")
		if err != nil || !slices.Equal(counts, []int64{10}) {
			t.Errorf("RawScan[int64] = %v, %v; want [10]", counts, err)
		}
		names, err := runtime.RawScan[string](ctx, db, "SELECT customer FROM raw_orders WHERE total < ? ORDER BY id", runtime.MustDecimal("0"))
		if err != nil || !slices.Equal(names, []string{"dan"}) {
			t.Errorf("RawScan[string] = %q, %v; want [dan]", names, err)
		}
		empty, err := runtime.RawScan[string](ctx, db, "SELECT customer FROM raw_orders WHERE customer = ?", "nobody")
		if err != nil || empty == nil || len(empty) != 0 {
			t.Errorf("RawScan of no row = %#v, %v; want an empty slice", empty, err)
		}
		if _, err := runtime.RawScan[string](ctx, db, "SELECT customer, total FROM raw_orders"); !errors.Is(err, runtime.ErrRawSQL) {
			t.Errorf("RawScan of two columns: %v; want ErrRawSQL", err)
		}

		// Instants in UTC, also where SQLite returns text (an aggregate).
		want := time.Date(2026, 3, 1, 8, 30, 0, 123456000, time.UTC)
		for _, q := range []string{"SELECT placed FROM raw_orders WHERE customer = ? ORDER BY id", "SELECT MIN(placed) FROM raw_orders WHERE customer = ?"} {
			times, err := runtime.RawScan[time.Time](ctx, db, q, "ann")
			if err != nil || len(times) == 0 || !times[0].Equal(want) || times[0].Location() != time.UTC {
				t.Errorf("%s: %v, %v; want %v first", q, times, err, want)
			}
		}
		// A time.Time argument is bound as a DateTime field is.
		after, err := runtime.RawScan[int64](ctx, db, "SELECT COUNT(*) FROM raw_orders WHERE placed >= ?", want.Add(14*time.Hour).In(time.FixedZone("X", -7*3600)))
		if err != nil || !slices.Equal(after, []int64{2}) {
			t.Errorf("count placed after a time = %v, %v; want [2]", after, err)
		}
	})
}

// TestRawRows: a model's rows from raw SQL, its columns in any order,
// through the table's scanners; a result that is not the table's is an
// error naming the columns.
func TestRawRows(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		ctx := context.Background()
		db, stored := openRawOrders(t, url)
		rows, err := runtime.RawRows[*rawOrder](ctx, db, rawOrderTable,
			"SELECT placed, total, customer, id FROM raw_orders WHERE customer = ? ORDER BY id", "bob")
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 3 {
			t.Fatalf("rows = %d, want 3", len(rows))
		}
		for i, r := range rows {
			w := stored[2+i]
			if r.ID != w.ID || r.Customer != "bob" || r.Total.Cmp(w.Total) != 0 || !r.Placed.Equal(w.Placed) || r.Placed.Location() != time.UTC {
				t.Errorf("row %d = %+v, want %+v", i, r, w)
			}
		}
		if rows, err := runtime.RawRows[*rawOrder](ctx, db, rawOrderTable, "SELECT * FROM raw_orders WHERE customer = ?", "nobody"); err != nil || rows == nil || len(rows) != 0 {
			t.Errorf("no row: %v, %v; want an empty slice", rows, err)
		}
		for _, tc := range []struct{ sql, want string }{
			{"SELECT id, customer, total, placed, 1 AS extra FROM raw_orders", `has no column "extra"`},
			{"SELECT id, customer FROM raw_orders", `column "total", "placed" of table "raw_orders" missing`},
			{"SELECT id, id, customer, total, placed FROM raw_orders", `column "id" named twice`},
		} {
			_, err := runtime.RawRows[*rawOrder](ctx, db, rawOrderTable, tc.sql)
			if !errors.Is(err, runtime.ErrRawSQL) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("%s: %v; want ErrRawSQL saying %s", tc.sql, err, tc.want)
			}
		}
		if _, err := runtime.RawRows[*note](ctx, db, rawOrderTable, "SELECT * FROM raw_orders"); !errors.Is(err, runtime.ErrRawSQL) {
			t.Errorf("RawRows of another type: %v; want ErrRawSQL", err)
		}
	})
}

// TestRawErrors: a literal ?, a wrong number of arguments, a syntax
// error, a constraint violation, a cancelled context, and a transaction.
func TestRawErrors(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		ctx := context.Background()
		var ev events
		db, stored := openRawOrders(t, url, runtime.WithHook(ev.hook))
		name := db.Dialect().Name()

		// ? in literals, identifiers and comments is text; ?? a literal ?.
		c, err := db.Raw(ctx, "SELECT '?' AS \"q?\", ? AS v -- is this a ?\n", "x")
		if err != nil {
			t.Fatal(err)
		}
		var q, v string
		if !c.Next() || c.Scan(&q, &v) != nil || q != "?" || v != "x" {
			t.Errorf("literal ?: %q, %q, %v", q, v, c.Err())
		}
		c.Close()
		has, err := runtime.RawScan[bool](ctx, db, `SELECT '{"a": 1}'::jsonb ?? 'a'`)
		switch name {
		case "postgres":
			if err != nil || !slices.Equal(has, []bool{true}) {
				t.Errorf("jsonb ?? 'a' = %v, %v; want [true]", has, err)
			}
		default: // every ? is a placeholder there: refused, not sent
			if !errors.Is(err, runtime.ErrRawSQL) {
				t.Errorf("?? on %s: %v; want ErrRawSQL", name, err)
			}
		}

		// Wrong argument counts: refused before anything is sent.
		ev.take()
		if _, err := db.Raw(ctx, "SELECT customer FROM raw_orders WHERE id = ?"); !errors.Is(err, runtime.ErrRawSQL) {
			t.Errorf("missing argument: %v; want ErrRawSQL", err)
		}
		if _, err := db.RawExec(ctx, "DELETE FROM raw_orders WHERE id = ?", 1, 2); !errors.Is(err, runtime.ErrRawSQL) {
			t.Errorf("extra argument: %v; want ErrRawSQL", err)
		}
		if evs := ev.take(); len(evs) != 0 {
			t.Errorf("refused statements were sent: %+v", evs)
		}

		// A syntax error is the database's, reported to the hook.
		_, err = runtime.RawScan[int64](ctx, db, "SELECT FROM WHERE ? GROUP", 1)
		if err == nil || errors.Is(err, runtime.ErrRawSQL) {
			t.Errorf("syntax error: %v; want the database's error", err)
		}
		if evs := ev.take(); len(evs) != 1 || evs[0].Err == nil {
			t.Errorf("hook saw %+v, want the failed statement", evs)
		}

		// A constraint violation is a *ConstraintError.
		_, err = db.RawExec(ctx, "INSERT INTO raw_orders (id, customer, total, placed) VALUES (?, ?, ?, ?)",
			stored[0].ID, "eve", runtime.MustDecimal("1.00"), time.Now())
		var ce *runtime.ConstraintError
		if !errors.As(err, &ce) || ce.Kind != runtime.UniqueViolation {
			t.Errorf("duplicate key: %v; want a unique *ConstraintError", err)
		}

		// The context: ended before, and during a long query.
		cancelled, cancel := context.WithCancel(ctx)
		cancel()
		if _, err := runtime.RawScan[int64](cancelled, db, "SELECT COUNT(*) FROM raw_orders"); !errors.Is(err, context.Canceled) {
			t.Errorf("cancelled context: %v", err)
		}
		short, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
		defer cancel()
		start := time.Now()
		_, err = runtime.RawScan[any](short, db, longSQL[name])
		if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > 10*time.Second {
			t.Errorf("deadline: %v after %v", err, time.Since(start))
		}

		// In a transaction, the tx's *DB runs raw SQL in it.
		oops := errors.New("oops")
		err = db.Tx(ctx, func(tx *runtime.DB) error {
			if _, err := tx.RawExec(ctx, "DELETE FROM raw_orders WHERE customer = ?", "cat"); err != nil {
				return err
			}
			n, err := runtime.RawScan[int64](ctx, tx, "SELECT COUNT(*) FROM raw_orders WHERE customer = ?", "cat")
			if err != nil || !slices.Equal(n, []int64{0}) {
				t.Errorf("in the transaction: %v, %v; want [0]", n, err)
			}
			return oops
		})
		if !errors.Is(err, oops) {
			t.Errorf("Tx: %v", err)
		}
		if n, err := runtime.RawScan[int64](ctx, db, "SELECT COUNT(*) FROM raw_orders WHERE customer = ?", "cat"); err != nil || !slices.Equal(n, []int64{10}) {
			t.Errorf("after rollback: %v, %v; want [10]", n, err)
		}
	})
}
