package runtime

import (
	sqldriver "database/sql/driver"
	"fmt"

	"github.com/ormc/ormc/runtime/driver"
)

// Statements a server refuses for their size. MySQL closes the connection
// on a statement larger than max_allowed_packet (MariaDB's default is
// 16 MB), which a multi-row INSERT of rows that each fit reaches easily.
// Where the pool knows the limit (driver.PacketPool), BulkCreate sizes
// batches by their bytes as well as their values, and a row that cannot
// fit alone is refused before any SQL is sent.

// valueOverhead is what a bound value costs a statement besides its bytes,
// at most: its type, length and NULL bit in the execute packet, or its
// quotes and separator in text, with room to spare.
const valueOverhead = 24

// stmtOverhead is kept free in every statement for its SQL text besides
// the placeholders and for the packet's header.
const stmtOverhead = 4096

// maxStatementBytes is the most bytes one statement may take, or 0 for no
// limit.
func (db *DB) maxStatementBytes() int {
	if p, ok := db.pool.(driver.PacketPool); ok {
		return p.MaxStatementBytes()
	}
	return 0
}

// argsBytes estimates the bytes args take in a statement.
func argsBytes(args []any) int {
	n := 0
	for _, v := range args {
		n += valueOverhead
		v = bindValue(v)
		if vr, ok := v.(sqldriver.Valuer); ok {
			// What database/sql will send: Null[string], JSON, Decimal.
			v, _ = vr.Value()
		}
		switch v := v.(type) {
		case string:
			n += len(v)
		case []byte:
			n += len(v)
		}
	}
	return n
}

// fits returns an error wrapping ErrStatementTooLarge when a statement
// binding args would be larger than the server takes.
func (db *DB) fits(args []any) error {
	limit := db.maxStatementBytes()
	if limit <= 0 {
		return nil
	}
	if n := argsBytes(args); n > limit-stmtOverhead {
		return tooLarge(n, limit)
	}
	return nil
}

func tooLarge(n, limit int) error {
	return fmt.Errorf("%w: the row's values take about %d bytes, and the server takes at most %d per statement (max_allowed_packet, less %d for the statement)",
		ErrStatementTooLarge, n, limit, stmtOverhead)
}
