package mysql

import (
	"errors"
	"fmt"
	"testing"

	"github.com/go-sql-driver/mysql"
)

func myErr(n uint16, state string) error {
	e := &mysql.MySQLError{Number: n, Message: "m"}
	copy(e.SQLState[:], state)
	return e
}

// TestRetryable classifies errors by number and SQLSTATE, never by
// message, through wrapping.
func TestRetryable(t *testing.T) {
	for _, tc := range []struct {
		name      string
		err       error
		retryable bool
		aborted   bool
	}{
		{"deadlock", myErr(1213, "40001"), true, true},
		{"deadlock, wrapped", fmt.Errorf("ormc: x: %w", myErr(1213, "40001")), true, true},
		{"deadlock, no SQLSTATE", myErr(1213, ""), true, true},
		{"another number with SQLSTATE 40001", myErr(3101, "40001"), true, true},
		{"TiDB write conflict", myErr(9007, "HY000"), true, true},
		{"TiDB SELECT FOR UPDATE conflict", myErr(8002, "HY000"), true, true},
		{"TiDB retryable commit", myErr(8022, "HY000"), true, true},
		{"TiDB schema changed", myErr(8028, "HY000"), true, true},
		{"TiDB stale write conflict", myErr(8005, "HY000"), true, true},
		{"TiDB resource group missing", myErr(8249, "HY000"), false, false},
		{"TiDB isolation level refused", myErr(8048, "HY000"), false, false},
		{"lock wait timeout", myErr(1205, "HY000"), false, false},
		{"lock wait timeout, innodb_rollback_on_timeout", &rolledBackError{myErr(1205, "HY000")}, false, true},
		{"duplicate key", myErr(1062, "23000"), false, false},
		{"SQLSTATE 40000 (XA rollback)", myErr(1614, "XA102"), false, false},
		{"message only", errors.New("Error 1213 (40001): Deadlock found"), false, false},
		{"nil", nil, false, false},
	} {
		if got := retryable(tc.err); got != tc.retryable {
			t.Errorf("%s: retryable %v, want %v", tc.name, got, tc.retryable)
		}
		if got := txAborted(tc.err); got != tc.aborted {
			t.Errorf("%s: txAborted %v, want %v", tc.name, got, tc.aborted)
		}
	}
}
