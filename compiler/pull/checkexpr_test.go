package pull

import (
	"reflect"
	"strings"
	"testing"
)

// TestParseCheck reads the CHECKs ormc writes as each database returns
// them (the PostgreSQL and MariaDB texts are what pg_get_constraintdef
// and information_schema gave for them), and refuses what ormc never
// writes.
func TestParseCheck(t *testing.T) {
	for _, tc := range []struct {
		expr      string
		backslash bool
		want      *checkRule // nil: refused
	}{
		// PostgreSQL.
		{expr: `CHECK (((kind)::text = ANY ((ARRAY['a'::character varying, 'b''c'::character varying])::text[])))`,
			want: &checkRule{Column: "kind", Values: []string{"a", "b'c"}}},
		{expr: `CHECK (((k1)::text = 'x'::text))`, want: &checkRule{Column: "k1", Values: []string{"x"}}},
		{expr: `CHECK (((stars >= 0) AND (stars <= 5)))`, want: &checkRule{Column: "stars", Min: "0", Max: "5"}},
		{expr: `CHECK (((price > '-1.5'::numeric) AND (price < '1000'::numeric)))`,
			want: &checkRule{Column: "price", Min: "-1.5", MinEx: true, Max: "1000", MaxEx: true}},
		{expr: `CHECK ((r >= ('-2'::integer)::double precision))`, want: &checkRule{Column: "r", Min: "-2"}},
		{expr: `CHECK ((b >= '-9223372036854775808'::bigint))`, want: &checkRule{Column: "b", Min: "-9223372036854775808"}},
		{expr: `CHECK (("Odd Name" >= (0)::numeric))`, want: &checkRule{Column: "Odd Name", Min: "0"}},
		// MariaDB.
		{expr: "`kind` in ('a','b\\'c','d\\\\e')", backslash: true, want: &checkRule{Column: "kind", Values: []string{"a", "b'c", `d\e`}}},
		{expr: "`stars` >= 0 and `stars` <= 5", backslash: true, want: &checkRule{Column: "stars", Min: "0", Max: "5"}},
		{expr: "`price` > -1.5 and `price` < 1e3", backslash: true, want: &checkRule{Column: "price", Min: "-1.5", MinEx: true, Max: "1e3", MaxEx: true}},
		// TiDB and MySQL 8: strings after a character set introducer.
		{expr: "(`kind` in (_utf8mb4'a',_utf8mb4'b''c',_utf8mb4'd\\\\e'))", backslash: true, want: &checkRule{Column: "kind", Values: []string{"a", "b'c", `d\e`}}},
		// SQLite: the text ormc wrote.
		{expr: `"kind" IN ('a', 'b')`, want: &checkRule{Column: "kind", Values: []string{"a", "b"}}},
		{expr: `CAST("price" AS REAL) >= 0 AND CAST("price" AS REAL) <= 9.99`, want: &checkRule{Column: "price", Min: "0", Max: "9.99", Cast: true}},
		{expr: `"id" <= 2147483647`, want: &checkRule{Column: "id", Max: "2147483647"}},
		{expr: `[Total] >= 0`, want: &checkRule{Column: "Total", Min: "0"}},
		// Not ormc's.
		{expr: `a > 0 OR a < -5`},
		{expr: `a > b`},
		{expr: `length(a) > 3`},
		{expr: `a >= 0 AND b <= 3`},
		{expr: `a >= 0 AND a >= 1`},
		{expr: `a <> 0`},
		{expr: `a IN (1, 2)`},
		{expr: `'x' = a`},
		{expr: `a >= 0x10`},
		{expr: `a >= 'abc'`},
		{expr: `(a >= 0`},
		{expr: `a >= 0 garbage`},
		{expr: `CAST(a AS INTEGER) >= 0`},
		{expr: `a`},
		{expr: `-a`},
		{expr: `(a)`},
		{expr: `a = ANY (b)`},
		{expr: `a = ANY (ARRAY['x', 1])`},
		{expr: strings.Repeat("(", 100) + "a >= 0" + strings.Repeat(")", 100)},
		{expr: ""},
	} {
		got, err := parseCheck(tc.expr, tc.backslash)
		if tc.want == nil {
			if err == nil {
				t.Errorf("parseCheck(%s) = %+v, want an error", tc.expr, got)
			}
			continue
		}
		if err != nil {
			t.Errorf("parseCheck(%s): %v", tc.expr, err)
			continue
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("parseCheck(%s)\n got %+v\nwant %+v", tc.expr, got, tc.want)
		}
	}
}

// FuzzParseCheck: no CHECK text, however hostile, makes parseCheck panic
// or return a rule without a column.
func FuzzParseCheck(f *testing.F) {
	for _, s := range []string{
		`CHECK (((kind)::text = ANY ((ARRAY['a'::character varying])::text[])))`,
		"`stars` >= 0 and `stars` <= 5", `CAST("p" AS REAL) > -1.5e3`, `[x] IN ('a', 'b''c')`, `((((`,
	} {
		f.Add(s, false)
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, expr string, backslash bool) {
		r, err := parseCheck(expr, backslash)
		if err == nil && (r == nil || r.Column == "") {
			t.Errorf("parseCheck(%q) = %+v without an error", expr, r)
		}
	})
}
