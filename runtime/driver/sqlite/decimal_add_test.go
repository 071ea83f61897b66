package sqlite

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
)

// TestDecimalAdd: ormc_decimal_add adds decimal text exactly, where +
// goes through floats, and otherwise answers as + does.
func TestDecimalAdd(t *testing.T) {
	ctx := context.Background()
	db, err := sql.Open("sqlite", "file:"+filepath.Join(t.TempDir(), "add.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, tc := range []struct {
		expr string
		want any
	}{
		{"ormc_decimal_add('0.1', '0.2')", "0.3"},
		{"'0.1' + '0.2'", 0.30000000000000004}, // why it exists
		{"ormc_decimal_add('12345678901234567890.1234567890', '1')", "12345678901234567891.1234567890"},
		{"ormc_decimal_add('9.50', '-10')", "-0.50"},
		{"ormc_decimal_add('-1.5', '1.50')", "0.00"},
		{"ormc_decimal_add(2, 3)", int64(5)},
		{"ormc_decimal_add(9223372036854775807, 1)", "9223372036854775808"},
		{"ormc_decimal_add(1.5, '1')", 2.5},
		{"ormc_decimal_add('abc', 1)", 1.0},
		{"ormc_decimal_add(NULL, '1')", nil},
		{"ormc_decimal_add('1', NULL)", nil},
	} {
		var got any
		if err := db.QueryRowContext(ctx, `SELECT `+tc.expr).Scan(&got); err != nil {
			t.Fatalf("%s: %v", tc.expr, err)
		}
		if got != tc.want {
			t.Errorf("%s = %#v, want %#v", tc.expr, got, tc.want)
		}
	}
}
