package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"math/big"
	"path/filepath"
	"testing"
)

// TestDecimalSum: ormc_decimal_sum sums decimal text exactly, where SUM
// goes through floats, and otherwise answers as SUM does.
func TestDecimalSum(t *testing.T) {
	ctx := context.Background()
	db, err := sql.Open("sqlite", "file:"+filepath.Join(t.TempDir(), "sum.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, `CREATE TABLE t (g TEXT, d TEXT, i INTEGER, f REAL)`); err != nil {
		t.Fatal(err)
	}
	rows := [][]any{
		{"a", "0.1", 1, 0.5}, {"a", "0.2", 2, 0.25},
		{"b", "12345678901234.56", 9223372036854775807, 1.0}, {"b", "0.01", 1, nil},
		{"c", "-1.50", -3, nil}, {"c", "1.5", 3, nil},
		{"d", nil, nil, nil},
	}
	for _, r := range rows {
		if _, err := db.ExecContext(ctx, `INSERT INTO t VALUES (?, ?, ?, ?)`, r...); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		expr string
		want map[string]any // by group
	}{
		{"ormc_decimal_sum(d)", map[string]any{"a": "0.3", "b": "12345678901234.57", "c": "0.00", "d": nil}},
		{"SUM(d)", map[string]any{"a": 0.30000000000000004, "b": 12345678901234.56 + 0.01, "c": 0.0, "d": nil}}, // why it exists
		{"ormc_decimal_sum(i)", map[string]any{"a": int64(3), "b": "9223372036854775808", "c": int64(0), "d": nil}},
		{"ormc_decimal_sum(f)", map[string]any{"a": 0.75, "b": 1.0, "c": nil, "d": nil}},
		{"ormc_decimal_sum(d || 'x')", map[string]any{"a": 0.30000000000000004, "c": 0.0, "d": nil}},
		{"ormc_decimal_sum(CASE WHEN i = 1 THEN ' 1.5e1 ' ELSE 'abc' END)", map[string]any{"a": 15.0}},
		{"ormc_decimal_sum(DISTINCT i - i)", map[string]any{"a": int64(0), "c": int64(0), "d": nil}},
	} {
		got := map[string]any{}
		rs, err := db.QueryContext(ctx, `SELECT g, `+tc.expr+` FROM t GROUP BY g`)
		if err != nil {
			t.Fatalf("%s: %v", tc.expr, err)
		}
		for rs.Next() {
			var g string
			var v any
			if err := rs.Scan(&g, &v); err != nil {
				t.Fatal(err)
			}
			got[g] = v
		}
		if err := rs.Close(); err != nil {
			t.Fatal(err)
		}
		for g, want := range tc.want {
			if got[g] != want {
				t.Errorf("%s of %s = %#v, want %#v", tc.expr, g, got[g], want)
			}
		}
	}

	// As a window function: a running total, and one over a sliding frame,
	// which takes values away again.
	rs, err := db.QueryContext(ctx, `SELECT ormc_decimal_sum(d) OVER (ORDER BY rowid),
		ormc_decimal_sum(d) OVER (ORDER BY rowid ROWS BETWEEN 1 PRECEDING AND CURRENT ROW)
		FROM t WHERE d IS NOT NULL ORDER BY rowid`)
	if err != nil {
		t.Fatal(err)
	}
	defer rs.Close()
	want := [][2]string{
		{"0.1", "0.1"}, {"0.3", "0.3"}, {"12345678901234.86", "12345678901234.76"},
		{"12345678901234.87", "12345678901234.57"}, {"12345678901233.37", "-1.49"}, {"12345678901234.87", "0.00"},
	}
	for i := 0; rs.Next(); i++ {
		var run, slide string
		if err := rs.Scan(&run, &slide); err != nil {
			t.Fatal(err)
		}
		if i >= len(want) || run != want[i][0] || slide != want[i][1] {
			t.Errorf("window row %d: %s, %s; want %v", i, run, slide, want[min(i, len(want)-1)])
		}
	}
	if err := rs.Err(); err != nil {
		t.Fatal(err)
	}
}

// TestDecimalSumSmall: the int64 part of the sum hands over to the exact
// one at either end of int64 and back, with values added and taken away
// (a window's frame), and agrees with math/big throughout.
func TestDecimalSumSmall(t *testing.T) {
	const max, min = 1<<63 - 1, -1 << 63
	vals := []int64{max, 1, max, min + 1, -5, min + 1, min + 1, 7, 0, -1}
	s := &decimalSum{exact: new(big.Int)}
	want := new(big.Int)
	for i, v := range vals {
		sign := 1
		if i%3 == 2 {
			sign = -1
		}
		s.add(v, sign)
		want.Add(want, new(big.Int).Mul(big.NewInt(v), big.NewInt(int64(sign))))
		got, err := s.WindowValue(nil)
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(got) != want.String() {
			t.Fatalf("after %d values: %v, want %s", i+1, got, want)
		}
	}
}
