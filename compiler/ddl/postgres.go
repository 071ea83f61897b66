package ddl

import (
	"github.com/ormc/ormc/compiler/ir"
	"github.com/ormc/ormc/runtime/dialect"
)

// postgresRules is PostgreSQL's DDL.
type postgresRules struct{}

func (postgresRules) addsCycleKeys() bool { return true }

// dropFirst drops the foreign keys of a cycle first, each only if there
// is one: a table may already be gone.
func (postgresRules) dropFirst(order []*ir.Model, deferred map[*ir.Field]bool) []string {
	d := dialect.Postgres
	var stmts []string
	for _, m := range order {
		for _, f := range m.Fields {
			if deferred[f] {
				stmts = append(stmts, "ALTER TABLE IF EXISTS "+dialect.Quote(d, m.Table)+
					" DROP CONSTRAINT IF EXISTS "+dialect.Quote(d, f.ForeignKeyName))
			}
		}
	}
	return stmts
}

func (postgresRules) dropSession(*ir.Schema, map[*ir.Field]bool) (before, after []string) {
	return nil, nil
}

func (postgresRules) stringLiteral(s string) string     { return quoteString(s) }
func (postgresRules) decimalLiteral(text string) string { return text }
func (postgresRules) textDefault(text string) string    { return quoteString(text) }

// dateTimeLiteral names the offset: a TIMESTAMPTZ literal without one is
// read in the session's time zone.
func (postgresRules) dateTimeLiteral(lit ir.Literal) string { return quoteString(lit.Text + "+00") }

func (postgresRules) now(k ir.Kind) string {
	return map[ir.Kind]string{
		ir.Date:     "((CURRENT_TIMESTAMP AT TIME ZONE 'UTC')::date)",
		ir.Time:     "((CURRENT_TIMESTAMP AT TIME ZONE 'UTC')::time)",
		ir.DateTime: "CURRENT_TIMESTAMP",
	}[k]
}

func (postgresRules) uuid() string { return "gen_random_uuid()" }

func (postgresRules) number(col string, _ ir.Kind) string { return col }

// primaryKeyName is the name the checker stored, which is PostgreSQL's
// own (table_pkey, shortened as PostgreSQL shortens it).
func (postgresRules) primaryKeyName(m *ir.Model) string { return m.PrimaryKeyName }

func (postgresRules) inlineComment(string) string { return "" }

// commentStatement comments on the table when column is "".
func (postgresRules) commentStatement(table, column, text string) string {
	d := dialect.Postgres
	if column == "" {
		return "COMMENT ON TABLE " + dialect.Quote(d, table) + " IS " + quoteString(text)
	}
	return "COMMENT ON COLUMN " + dialect.Quote(d, table) + "." + dialect.Quote(d, column) + " IS " + quoteString(text)
}
