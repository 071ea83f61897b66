package postgres

import (
	"errors"
	"fmt"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
)

// TestRetryable classifies errors by SQLSTATE, never by message, through
// wrapping: serialization failures and deadlocks are retried; any error
// the server reported fails the transaction it ran in.
func TestRetryable(t *testing.T) {
	pg := func(code string) error { return &pgconn.PgError{Code: code, Message: "m"} }
	for _, tc := range []struct {
		name      string
		err       error
		retryable bool
		failed    bool
	}{
		{"serialization failure", pg("40001"), true, true},
		{"deadlock", pg("40P01"), true, true},
		{"deadlock, wrapped", fmt.Errorf("ormc: x: %w", pg("40P01")), true, true},
		{"unique violation", pg("23505"), false, true},
		{"query canceled", pg("57014"), false, true},
		{"message only", errors.New("ERROR: deadlock detected (SQLSTATE 40P01)"), false, false},
		{"connection error", &pgconn.ConnectError{}, false, false},
		{"nil", nil, false, false},
	} {
		if got := retryable(tc.err); got != tc.retryable {
			t.Errorf("%s: retryable = %v, want %v", tc.name, got, tc.retryable)
		}
		if got := txFailed(tc.err); got != tc.failed {
			t.Errorf("%s: txFailed = %v, want %v", tc.name, got, tc.failed)
		}
	}
}
