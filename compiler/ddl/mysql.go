package ddl

import (
	"strings"

	"github.com/ormc/ormc/compiler/ir"
)

// mysqlRules is MySQL's and MariaDB's DDL.
type mysqlRules struct{}

func (mysqlRules) addsCycleKeys() bool { return true }

func (mysqlRules) dropFirst([]*ir.Model, map[*ir.Field]bool) []string { return nil }

// dropSession switches foreign key checks off for the session when tables
// form a cycle: MariaDB refuses to drop such tables even in one statement,
// and MySQL has no IF EXISTS for constraints.
func (mysqlRules) dropSession(_ *ir.Schema, deferred map[*ir.Field]bool) (before, after []string) {
	if len(deferred) > 0 {
		return []string{"SET FOREIGN_KEY_CHECKS = 0"}, []string{"SET FOREIGN_KEY_CHECKS = 1"}
	}
	return nil, nil
}

// stringLiteral also doubles the backslash, an escape character in
// MySQL's strings.
func (mysqlRules) stringLiteral(s string) string {
	return quoteString(strings.ReplaceAll(s, `\`, `\\`))
}

func (mysqlRules) decimalLiteral(text string) string { return text }

// dateTimeLiteral is the UTC wall time, which DATETIME holds.
func (r mysqlRules) dateTimeLiteral(lit ir.Literal) string { return r.stringLiteral(lit.Text) }

// textDefault is an expression: MySQL accepts a default on TEXT and JSON
// only as one (8.0.13 and later; MariaDB takes either).
func (r mysqlRules) textDefault(text string) string { return "(" + r.stringLiteral(text) + ")" }

func (mysqlRules) now(k ir.Kind) string {
	return map[ir.Kind]string{
		ir.Date:     "(UTC_DATE())",
		ir.Time:     "(UTC_TIME(6))",
		ir.DateTime: "(UTC_TIMESTAMP(6))",
	}[k]
}

func (mysqlRules) uuid() string { return "(UUID())" }

func (mysqlRules) number(col string, _ ir.Kind) string { return col }

// primaryKeyName is PRIMARY: MySQL gives every primary key that name.
func (mysqlRules) primaryKeyName(*ir.Model) string { return "PRIMARY" }

func (r mysqlRules) inlineComment(text string) string { return " COMMENT " + r.stringLiteral(text) }

func (mysqlRules) commentStatement(string, string, string) string { return "" }
