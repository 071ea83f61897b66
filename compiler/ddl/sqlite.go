package ddl

import (
	"github.com/ormc/ormc/compiler/ir"
)

// sqliteRules is SQLite's DDL.
type sqliteRules struct{}

// addsCycleKeys is false: SQLite takes references to tables that do not
// exist yet, and has no ALTER TABLE … ADD CONSTRAINT.
func (sqliteRules) addsCycleKeys() bool { return false }

func (sqliteRules) dropFirst([]*ir.Model, map[*ir.Field]bool) []string { return nil }

// dropSession switches foreign keys off for the session when relations
// form a cycle (a self-reference included): with them on, DROP TABLE
// first deletes the table's rows, and in a cycle every order leaves a
// table whose rows' ON DELETE actions or checks reach a table already
// dropped ("no such table"), which deferring the checks does not avoid.
// PRAGMA foreign_keys is a no-op inside a transaction, so it is set before
// Drop's begins; after, it is on, as runtime/driver/sqlite opens every
// connection.
func (sqliteRules) dropSession(s *ir.Schema, _ map[*ir.Field]bool) (before, after []string) {
	if hasCycle(s) {
		return []string{"PRAGMA foreign_keys = OFF"}, []string{"PRAGMA foreign_keys = ON"}
	}
	return nil, nil
}

func (sqliteRules) stringLiteral(s string) string { return quoteString(s) }

// decimalLiteral is text, exact, as the client binds a Decimal.
func (sqliteRules) decimalLiteral(text string) string { return quoteString(text) }

// dateTimeLiteral is the driver's text for an instant in UTC (see package
// runtime/driver/sqlite): fractional seconds without trailing zeros, then
// the offset.
func (sqliteRules) dateTimeLiteral(lit ir.Literal) string {
	return quoteString(lit.Time.Format("2006-01-02 15:04:05.999999-07:00"))
}

func (sqliteRules) textDefault(text string) string { return quoteString(text) }

// now: SQLite's clock is UTC and has milliseconds. The client writes a
// time of day as 15:04:05 or 15:04:05.000001, and an instant as the
// driver does: 2006-01-02 15:04:05.5+00:00, no trailing zeros.
func (sqliteRules) now(k ir.Kind) string {
	return map[ir.Kind]string{
		ir.Date: "CURRENT_DATE",
		ir.Time: "(CASE WHEN strftime('%f', 'now') LIKE '%.000' THEN strftime('%H:%M:%S', 'now') " +
			"ELSE strftime('%H:%M:%f', 'now') || '000' END)",
		ir.DateTime: "(rtrim(rtrim(strftime('%Y-%m-%d %H:%M:%f', 'now'), '0'), '.') || '+00:00')",
	}[k]
}

// uuid is a version 4 UUID from SQLite's randomness.
func (sqliteRules) uuid() string {
	return "(lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-' || " +
		"substr('89ab', 1 + (abs(random()) % 4), 1) || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6))))"
}

// number compares a Decimal, which SQLite keeps as text and would compare
// with a number as text, by its value as a double.
func (sqliteRules) number(col string, k ir.Kind) string {
	if k == ir.Decimal {
		return "CAST(" + col + " AS REAL)"
	}
	return col
}

// primaryKeyName is empty: SQLite keeps a name only where CREATE TABLE
// writes one, and Create writes none.
func (sqliteRules) primaryKeyName(*ir.Model) string { return "" }

// SQLite has no comments.
func (sqliteRules) inlineComment(string) string                    { return "" }
func (sqliteRules) commentStatement(string, string, string) string { return "" }
