package mysql

import (
	"errors"
	"fmt"
	"testing"

	"github.com/go-sql-driver/mysql"
	"github.com/ormc/ormc/runtime/driver"
)

func myErr(n uint16, state string) error {
	e := &mysql.MySQLError{Number: n, Message: "m"}
	copy(e.SQLState[:], state)
	return e
}

// TestRetryable classifies errors by number and SQLSTATE, through
// wrapping; by message only TiDB's that have no number of their own
// (1105), matched whole.
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
		{"lock wait timeout of a shard, behind Vitess", &mysql.MySQLError{Number: 1205, SQLState: [5]byte{'H', 'Y', '0', '0', '0'},
			Message: "target: ks.-80.primary: vttablet: rpc error: code = DeadlineExceeded desc = Lock wait timeout exceeded; try restarting transaction (errno 1205) (sqlstate HY000)"}, true, true},
		{"duplicate key", myErr(1062, "23000"), false, false},
		{"SQLSTATE 40000 (XA rollback)", myErr(1614, "XA102"), false, false},
		{"message only", errors.New("Error 1213 (40001): Deadlock found"), false, false},
		{"TiDB pessimistic lock retry limit", &mysql.MySQLError{Number: 1105, Message: "pessimistic lock retry limit reached"}, true, true},
		{"1105 with another message", &mysql.MySQLError{Number: 1105, Message: "pessimistic lock retry limit reached, or not"}, false, false},
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

// TestConstraintVitess: the names of a violation are read from the
// message of the server behind vtgate, which Vitess wraps in its own, as
// from MariaDB's; a message that is not Vitess's is read as it is.
func TestConstraintVitess(t *testing.T) {
	const trailer = ` (CallerID: userData1): Sql: "insert into ` + "`event`(`code`, `name`)" + ` values (:v1, :v2)", BindVars: {v1: "type:VARCHAR value:\"x\""}`
	for _, tc := range []struct {
		name string
		n    uint16
		msg  string
		want driver.Violation
	}{
		{"MariaDB duplicate", 1062, "Duplicate entry 'taken' for key 'event_name_key'",
			driver.Violation{Kind: driver.UniqueViolation, Constraint: "event_name_key"}},
		{"Vitess duplicate", 1062, "target: ormc0.0.primary: vttablet: rpc error: code = AlreadyExists desc = Duplicate entry 'taken' for key 'event_name_key' (errno 1062) (sqlstate 23000)" + trailer,
			driver.Violation{Kind: driver.UniqueViolation, Constraint: "event_name_key"}},
		{"Vitess duplicate of a value quoting the key", 1062, "target: ormc0.0.primary: vttablet: rpc error: code = AlreadyExists desc = Duplicate entry 'x'' for key ''y' for key 'event_name_key' (errno 1062) (sqlstate 23000)" + trailer,
			driver.Violation{Kind: driver.UniqueViolation, Constraint: "event_name_key"}},
		{"Vitess foreign key", 1452, "target: ormc0.0.primary: vttablet: rpc error: code = FailedPrecondition desc = Cannot add or update a child row: a foreign key constraint fails (`vt_ormc0_0`.`track`, CONSTRAINT `track_album_fkey` FOREIGN KEY (`album`) REFERENCES `album` (`id`) ON DELETE CASCADE) (errno 1452) (sqlstate 23000)" + trailer,
			driver.Violation{Kind: driver.ForeignKeyViolation, Table: "track", Constraint: "track_album_fkey"}},
		{"Vitess check", 4025, "target: ormc0.0.primary: vttablet: rpc error: code = Unknown desc = CONSTRAINT `track_kind_check` failed for `vt_ormc0_0`.`track` (errno 4025) (sqlstate 23000)" + trailer,
			driver.Violation{Kind: driver.CheckViolation, Table: "track", Constraint: "track_kind_check"}},
		{"Vitess not null", 1048, "target: ormc0.0.primary: vttablet: rpc error: code = InvalidArgument desc = Column 'name' cannot be null (errno 1048) (sqlstate 23000)" + trailer,
			driver.Violation{Kind: driver.NotNullViolation, Columns: []string{"name"}}},
	} {
		got := constraint(&mysql.MySQLError{Number: tc.n, Message: tc.msg})
		if got == nil {
			t.Errorf("%s: no violation", tc.name)
			continue
		}
		if got.Kind != tc.want.Kind || got.Table != tc.want.Table || got.Constraint != tc.want.Constraint || fmt.Sprint(got.Columns) != fmt.Sprint(tc.want.Columns) {
			t.Errorf("%s: got %+v, want %+v", tc.name, *got, tc.want)
		}
	}
}

// TestTiDBErrors: TiDB's lock wait timeout (GET_LOCK's) is a busy lock,
// its AUTO_INCREMENT constant out of range exhausts the keys (an
// out-of-range value of another kind does not), and a cascade deeper than
// 15 rows (3008) is a foreign key violation wrapping ErrCascadeDepth.
func TestTiDBErrors(t *testing.T) {
	if !lockBusy(&mysql.MySQLError{Number: 1105, Message: "lock wait timeout"}) || lockBusy(&mysql.MySQLError{Number: 1105, Message: "other"}) {
		t.Error("TiDB's lock wait timeout (1105) misread")
	}
	if !keysExhausted(&mysql.MySQLError{Number: 1690, Message: "constant 2147483648 overflows int"}) ||
		keysExhausted(&mysql.MySQLError{Number: 1690, Message: "BIGINT value is out of range in '(`a` + 1)'"}) ||
		!keysExhausted(&mysql.MySQLError{Number: 167}) || !keysExhausted(&mysql.MySQLError{Number: 1467}) {
		t.Error("exhausted keys misread")
	}
	v := constraint(&mysql.MySQLError{Number: 3008, Message: "Foreign key cascade delete/update exceeds max depth of 15."})
	if v == nil || v.Kind != driver.ForeignKeyViolation || !errors.Is(v.Err, driver.ErrCascadeDepth) {
		t.Errorf("3008: %+v", v)
	}
}
