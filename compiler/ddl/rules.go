package ddl

import (
	"fmt"

	"github.com/ormc/ormc/compiler/ir"
	"github.com/ormc/ormc/runtime/dialect"
)

// rules is what one dialect's DDL writes its own way, beyond the quoting,
// type names and table options that runtime/dialect gives the query
// engine too. Each dialect has its own file: postgres.go, mysql.go,
// sqlite.go.
type rules interface {
	// addsCycleKeys reports whether a foreign key that closes a cycle is
	// added with ALTER TABLE once the tables exist; false where CREATE
	// TABLE takes a reference to a table not created yet.
	addsCycleKeys() bool
	// dropFirst returns the statements Drop runs in its transaction
	// before its DROP TABLEs so that tables of a cycle can go; deferred
	// are the foreign keys that Create adds last.
	dropFirst(order []*ir.Model, deferred map[*ir.Field]bool) []string
	// dropSession returns the session settings that let tables of a
	// cycle go, made before Drop's transaction begins (before), and the
	// statements that restore them once it has ended, committed or not
	// (after); nil where Drop needs none.
	dropSession(s *ir.Schema, deferred map[*ir.Field]bool) (before, after []string)

	// stringLiteral writes s as an SQL string literal.
	stringLiteral(s string) string
	// decimalLiteral writes a Decimal default, in its exact text.
	decimalLiteral(text string) string
	// dateTimeLiteral writes an instant's default, in UTC.
	dateTimeLiteral(lit ir.Literal) string
	// textDefault writes the default of a Text or JSON column.
	textDefault(text string) string
	// now is the current date, time of day or instant (by k), in UTC
	// whatever the session's time zone, in the form the client stores.
	now(k ir.Kind) string
	// uuid is a new random UUID in canonical lowercase text.
	uuid() string
	// number is col, a column of kind k, as CHECK compares it with a
	// number.
	number(col string, k ir.Kind) string
	// primaryKeyName is the name the database gives m's primary key,
	// which Create declares without one.
	primaryKeyName(m *ir.Model) string

	// inlineComment is what gives a column (after its definition) or a
	// table (after CREATE TABLE's options) the comment text, and
	// commentStatement the statement that gives it apart from CREATE
	// TABLE, to the table when column is ""; "" where the dialect writes
	// it the other way, or has no comments (see comment.go).
	inlineComment(text string) string
	commentStatement(table, column, text string) string
}

// byDialect holds the rules of every dialect of dialect.All, by name.
var byDialect = map[string]rules{
	dialect.Postgres.Name(): postgresRules{},
	dialect.MySQL.Name():    mysqlRules{},
	dialect.SQLite.Name():   sqliteRules{},
}

// rulesOf returns d's rules. Every dialect of the registry has some
// (TestRulesForEveryDialect), so a miss is a programming error.
func rulesOf(d dialect.Dialect) rules {
	r, ok := byDialect[d.Name()]
	if !ok {
		panic(fmt.Sprintf("ddl: no DDL rules for dialect %q", d.Name()))
	}
	return r
}
