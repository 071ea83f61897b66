package migrate

import (
	"fmt"

	"github.com/ormc/ormc/compiler/ddl"
	"github.com/ormc/ormc/compiler/ir"
	"github.com/ormc/ormc/runtime/dialect"
)

// postgresWriter plans for PostgreSQL: DDL is transactional, so changes
// run in one transaction under a lock_timeout; indexes are built and
// dropped CONCURRENTLY outside it, a unique constraint is attached to
// its concurrently built index, and foreign keys, checks and NOT NULL
// are added NOT VALID and validated apart, which takes no lock that
// stops writers.
type postgresWriter struct{}

// lockTimeout bounds how long a step waits for its table's lock; the
// applier retries a step that timed out (docs/migrations.md).
const lockTimeout = "5s"

func (postgresWriter) length(col string) string  { return "char_length(" + col + ")" }
func (postgresWriter) decimal(col string) string { return col }

func (w postgresWriter) steps(p *Plan) []Step {
	if len(p.Changes) == 0 {
		return nil
	}
	d := dialect.Postgres
	steps := []Step{{SQL: "SET lock_timeout = '" + lockTimeout + "'", Desc: "wait at most " + lockTimeout + " for a lock; the applier retries"}}
	for _, c := range p.Changes {
		steps = append(steps, w.change(p, d, c)...)
	}
	return steps
}

func (w postgresWriter) change(p *Plan, d dialect.Dialect, c *Change) []Step {
	desc := describe(c)
	one := func(format string, args ...any) []Step {
		return []Step{{SQL: fmt.Sprintf(format, args...), Desc: desc}}
	}
	switch c.Kind {
	case AddModel:
		return stepsOf(ddl.CreateTable(p.New, d, c.New, "", deferred(d, c)), desc)
	case DropModel:
		return one("DROP TABLE %s", q(d, c.Old.Table))
	case RenameModel:
		steps := one("ALTER TABLE %s RENAME TO %s", q(d, c.Old.Table), q(d, c.New.Table))
		if c.Old.PrimaryKeyName != c.New.PrimaryKeyName {
			steps = append(steps, one("ALTER TABLE %s RENAME CONSTRAINT %s TO %s", q(d, c.New.Table), q(d, c.Old.PrimaryKeyName), q(d, c.New.PrimaryKeyName))...)
		}
		if c.Old.SequenceName != "" && c.New.SequenceName != "" && c.Old.SequenceName != c.New.SequenceName {
			steps = append(steps, one("ALTER SEQUENCE %s RENAME TO %s", q(d, c.Old.SequenceName), q(d, c.New.SequenceName))...)
		}
		return steps
	case AddField:
		steps := one("ALTER TABLE %s ADD COLUMN %s", q(d, c.New.Table), ddl.ColumnDef(p.New, d, c.NewField))
		return append(steps, stepsOf(ddl.CommentStatements(p.New, d, c.New, c.NewField), desc)...)
	case DropField:
		return one("ALTER TABLE %s DROP COLUMN %s", q(d, c.New.Table), q(d, c.OldField.Column))
	case RenameField:
		return one("ALTER TABLE %s RENAME COLUMN %s TO %s", q(d, c.New.Table), q(d, c.OldField.Column), q(d, c.NewField.Column))
	case AlterField:
		return w.alter(p, d, c, desc)
	case RenameValues:
		return []Step{valueUpdate(d, c)}
	case RenameObject:
		if c.Object == AddIndex {
			return one("ALTER INDEX %s RENAME TO %s", q(d, c.OldName), q(d, c.Name))
		}
		return one("ALTER TABLE %s RENAME CONSTRAINT %s TO %s", q(d, c.New.Table), q(d, c.OldName), q(d, c.Name))
	case AddIndex:
		return []Step{{NoTx: true, Desc: desc, SQL: ddl.CreateIndex(d, "CONCURRENTLY", c.Name, c.New.Table, c.Columns, false)}}
	case DropIndex:
		return []Step{{NoTx: true, Desc: desc, SQL: "DROP INDEX CONCURRENTLY " + q(d, c.Name)}}
	case AddUnique:
		return []Step{
			{NoTx: true, Desc: desc + ": its index, built concurrently", SQL: ddl.CreateIndex(d, "CONCURRENTLY", c.Name, c.New.Table, c.Columns, true)},
			{Desc: desc + ": the constraint, on its index", SQL: fmt.Sprintf("ALTER TABLE %s ADD CONSTRAINT %s UNIQUE USING INDEX %s", q(d, c.New.Table), q(d, c.Name), q(d, c.Name))},
		}
	case DropUnique, DropForeignKey, DropCheck:
		return one("ALTER TABLE %s DROP CONSTRAINT %s", q(d, dropTable(c)), q(d, c.Name))
	case AddForeignKey:
		return validated(d, c.New.Table, c.Name, ddl.ForeignKey(p.New, d, c.New, c.NewField), desc)
	case AddCheck:
		return validated(d, c.New.Table, c.Name, fmt.Sprintf("CONSTRAINT %s CHECK (%s)", q(d, c.Name), ddl.CheckExpr(p.New, d, c.NewField)), desc)
	}
	return nil
}

// validated adds a constraint NOT VALID, which takes a brief lock and
// reads no row, then validates it, which reads the rows under a lock
// that lets writes go on.
func validated(d dialect.Dialect, table, name, clause, desc string) []Step {
	return []Step{
		{Desc: desc + ", not valid yet", SQL: fmt.Sprintf("ALTER TABLE %s ADD %s NOT VALID", q(d, table), clause)},
		{Desc: desc + ": validate", SQL: fmt.Sprintf("ALTER TABLE %s VALIDATE CONSTRAINT %s", q(d, table), q(d, name))},
	}
}

func (w postgresWriter) alter(p *Plan, d dialect.Dialect, c *Change, desc string) []Step {
	t, col := q(d, c.New.Table), q(d, c.NewField.Column)
	var steps []Step
	add := func(format string, args ...any) {
		steps = append(steps, Step{SQL: fmt.Sprintf(format, args...), Desc: desc})
	}
	if c.Type {
		typ := ddl.ColumnType(p.New, d, c.NewField)
		add("ALTER TABLE %s ALTER COLUMN %s TYPE %s USING %s::%s", t, col, typ, col, typ)
	}
	if c.Default || c.Type {
		if def := ddl.DefaultSQL(p.New, d, c.NewField); def != "" {
			add("ALTER TABLE %s ALTER COLUMN %s SET DEFAULT %s", t, col, def)
		} else if c.Default {
			add("ALTER TABLE %s ALTER COLUMN %s DROP DEFAULT", t, col)
		}
	}
	if c.Null && c.NewField.Null {
		add("ALTER TABLE %s ALTER COLUMN %s DROP NOT NULL", t, col)
	}
	if c.Null && !c.NewField.Null {
		if backfill(c.NewField) != nil {
			add("UPDATE %s SET %s = %s WHERE %s IS NULL", t, col, ddl.DefaultSQL(p.New, d, c.NewField), col)
		}
		// SET NOT NULL finds the validated check and reads no row.
		check := notNullCheck(c.New.Table, c.NewField.Column)
		steps = append(steps, validated(d, c.New.Table, check, fmt.Sprintf("CONSTRAINT %s CHECK (%s IS NOT NULL)", q(d, check), col), desc)...)
		add("ALTER TABLE %s ALTER COLUMN %s SET NOT NULL", t, col)
		add("ALTER TABLE %s DROP CONSTRAINT %s", t, q(d, check))
	}
	if c.Comment {
		if stmts := ddl.CommentStatements(p.New, d, c.New, c.NewField); len(stmts) > 0 {
			steps = append(steps, stepsOf(stmts, desc)...)
		} else {
			add("COMMENT ON COLUMN %s.%s IS NULL", t, col)
		}
	}
	return steps
}

// notNullCheck names the temporary check through which a column becomes
// NOT NULL, within PostgreSQL's 63 bytes.
func notNullCheck(table, column string) string {
	name := "ormc_" + table + "_" + column + "_not_null"
	if len(name) > 63 {
		name = name[:63]
	}
	return name
}

func (postgresWriter) rewrites(p *Plan, c *Change) string {
	if c.Kind != AlterField || !c.Type {
		return ""
	}
	a, b := p.Old.ColumnType(c.OldField), p.New.ColumnType(c.NewField)
	if widensOnly(a, b) || a.Kind == ir.String && b.Kind == ir.Text {
		return "" // a longer varchar, or text, is a catalog change only
	}
	return fmt.Sprintf("changing the type of %s.%s rewrites the table under an ACCESS EXCLUSIVE lock", c.New.Table, c.NewField.Column)
}

func stepsOf(stmts []string, desc string) []Step {
	out := make([]Step, len(stmts))
	for i, s := range stmts {
		out[i] = Step{SQL: s, Desc: desc}
	}
	return out
}
