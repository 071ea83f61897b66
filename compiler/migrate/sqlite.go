package migrate

import (
	"fmt"
	"slices"
	"strings"

	"github.com/ormc/ormc/compiler/ddl"
	"github.com/ormc/ormc/compiler/ir"
	"github.com/ormc/ormc/runtime/dialect"
)

// sqliteWriter plans for SQLite: native ALTER TABLE where it suffices
// (add, drop and rename a column, rename a table, indexes); any other
// change of a table is the rebuild of SQLite's documentation
// (https://sqlite.org/lang_altertable.html#otheralter): foreign keys
// switched off before the transaction begins (the pragma does nothing
// inside one), the new table created, the rows copied, the old table
// dropped, the new one renamed, its indexes created, and the foreign keys
// checked before COMMIT.
type sqliteWriter struct{}

func (sqliteWriter) length(col string) string  { return "length(" + col + ")" }
func (sqliteWriter) decimal(col string) string { return "CAST(" + col + " AS REAL)" }

// fkCheck is the temporary table whose CHECK makes a step fail when
// pragma_foreign_key_check finds rows: a statement cannot otherwise fail
// on a query's result.
const fkCheck = "ormc_foreign_key_check"

func (w sqliteWriter) steps(p *Plan) []Step {
	d := dialect.SQLite
	rebuild := w.rebuilds(p)
	var steps []Step
	placed, deferring := false, false
	placeRebuilds := func() {
		if placed {
			return
		}
		placed = true
		for _, m := range ddlOrder(p.New) {
			if om, ok := rebuild[m]; ok {
				steps = append(steps, w.rebuild(p, d, om, m)...)
			}
		}
	}
	for _, c := range p.Changes {
		if c.New != nil && c.Old != nil {
			if _, ok := rebuild[c.New]; ok {
				continue
			}
		}
		if c.Kind == DropForeignKey && c.New == nil {
			// Its table goes with the others of a cycle: their rows'
			// keys are checked at COMMIT, when none is left, as Drop does.
			if !deferring {
				deferring = true
				steps = append(steps, Step{SQL: "PRAGMA defer_foreign_keys = ON", Desc: "tables of a cycle go: check their keys at COMMIT"})
			}
			continue
		}
		if c.Kind == AlterField || c.Kind == DropField || c.Kind == DropModel || c.Kind == AddIndex || c.Kind == AddUnique || c.Kind == AddCheck || c.Kind == AddForeignKey {
			placeRebuilds()
		}
		steps = append(steps, w.change(p, d, c)...)
	}
	placeRebuilds()
	if len(rebuild) == 0 {
		return steps
	}
	pre := Step{NoTx: true, SQL: "PRAGMA foreign_keys = OFF", Desc: "foreign keys off for the table rebuild, before its transaction"}
	post := []Step{
		{SQL: "CREATE TEMP TABLE " + q(d, fkCheck) + " (violations INTEGER NOT NULL CHECK (violations = 0))", Desc: "check foreign keys before COMMIT"},
		{SQL: "INSERT INTO temp." + q(d, fkCheck) + " SELECT COUNT(*) FROM pragma_foreign_key_check", Desc: "fails when a row refers to no row"},
		{SQL: "DROP TABLE temp." + q(d, fkCheck), Desc: "check foreign keys before COMMIT"},
		{NoTx: true, SQL: "PRAGMA foreign_keys = ON", Desc: "foreign keys on again"},
	}
	return append(append([]Step{pre}, steps...), post...)
}

// rebuilds returns the tables (new model → old model) that a change
// native ALTER cannot make forces to rebuild.
func (w sqliteWriter) rebuilds(p *Plan) map[*ir.Model]*ir.Model {
	out := map[*ir.Model]*ir.Model{}
	for _, c := range p.Changes {
		if c.Old != nil && c.New != nil && !w.native(p, c) {
			out[c.New] = c.Old
		}
	}
	return out
}

// native reports whether c is one ALTER TABLE SQLite has.
func (w sqliteWriter) native(p *Plan, c *Change) bool {
	switch c.Kind {
	case RenameModel, RenameField, AddIndex, DropIndex:
		return true
	case RenameObject:
		return c.Object == AddIndex // an index is dropped and created again
	case AddField:
		f := c.NewField
		def := ddl.DefaultSQL(p.New, dialect.SQLite, f)
		if f.Relation != nil {
			// ADD COLUMN takes REFERENCES on a column whose default is NULL.
			return f.UniqueName == "" && f.CheckName == "" && f.Null && (def == "" || def == "NULL")
		}
		constant := def != "" && !strings.HasPrefix(def, "(") && !strings.HasPrefix(def, "CURRENT_")
		return f.UniqueName == "" && f.CheckName == "" && (f.Null && def == "" || constant)
	case AddForeignKey:
		// The key of a column added with it (see change).
		return c.OldField == nil && w.native(p, &Change{Kind: AddField, Old: c.Old, New: c.New, NewField: c.NewField})
	case DropField:
		f := c.OldField
		return f.UniqueName == "" && f.CheckName == "" && f.Relation == nil && !f.PrimaryKey
	}
	return false
}

func (w sqliteWriter) change(p *Plan, d dialect.Dialect, c *Change) []Step {
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
		return one("ALTER TABLE %s RENAME TO %s", q(d, c.Old.Table), q(d, c.New.Table))
	case AddField:
		if c.NewField.Relation != nil {
			return one("ALTER TABLE %s ADD COLUMN %s %s", q(d, c.New.Table), ddl.ColumnDef(p.New, d, c.NewField), ddl.ColumnReference(p.New, d, c.NewField))
		}
		return one("ALTER TABLE %s ADD COLUMN %s", q(d, c.New.Table), ddl.ColumnDef(p.New, d, c.NewField))
	case AddForeignKey:
		return nil // added with its column
	case DropField:
		return one("ALTER TABLE %s DROP COLUMN %s", q(d, c.New.Table), q(d, c.OldField.Column))
	case RenameField:
		return one("ALTER TABLE %s RENAME COLUMN %s TO %s", q(d, c.New.Table), q(d, c.OldField.Column), q(d, c.NewField.Column))
	case AddIndex:
		return one("%s", ddl.CreateIndex(d, "", c.Name, c.New.Table, c.Columns, false))
	case DropIndex:
		return one("DROP INDEX %s", q(d, c.Name))
	case RenameObject:
		return slices.Concat(one("DROP INDEX %s", q(d, c.OldName)), one("%s", ddl.CreateIndex(d, "", c.Name, c.New.Table, c.Columns, false)))
	}
	panic(fmt.Sprintf("migrate: SQLite has no ALTER for %s", c.Kind)) // rebuilds took every other change
}

// rebuild makes table om into nm: create the new table under a
// temporary name, copy the rows of the columns both have (renamed ones
// included, NULLs filled with the default where a column becomes NOT
// NULL), drop the old table, rename the new one, create its indexes.
func (sqliteWriter) rebuild(p *Plan, d dialect.Dialect, om, nm *ir.Model) []Step {
	tmp := "ormc_new_" + nm.Table
	desc := "rebuild table " + nm.Table
	stmts := ddl.CreateTable(p.New, d, nm, tmp, nil)
	var into, from []string
	for _, nf := range nm.Fields {
		of := om.Field(nf.Name)
		if nf.RenamedFrom != "" && of == nil {
			of = om.Field(nf.RenamedFrom)
		}
		if of == nil {
			continue
		}
		src := q(d, of.Column)
		if rs := activeRenames(of, nf); len(rs) > 0 {
			// The new table's CHECK takes only the new values.
			src = valueUpdateExpr(d, src, rs)
		}
		if of.Null && !nf.Null && backfill(nf) != nil {
			src = "COALESCE(" + src + ", " + ddl.DefaultSQL(p.New, d, nf) + ")"
		}
		into = append(into, q(d, nf.Column))
		from = append(from, src)
	}
	steps := []Step{
		{SQL: stmts[0], Desc: desc + ": the new table"},
		{SQL: fmt.Sprintf("INSERT INTO %s (%s) SELECT %s FROM %s", q(d, tmp), strings.Join(into, ", "), strings.Join(from, ", "), q(d, om.Table)), Desc: desc + ": copy the rows"},
		{SQL: "DROP TABLE " + q(d, om.Table), Desc: desc + ": drop the old table"},
		{SQL: fmt.Sprintf("ALTER TABLE %s RENAME TO %s", q(d, tmp), q(d, nm.Table)), Desc: desc + ": rename the new table"},
	}
	return append(steps, stepsOf(stmts[1:], desc+": its indexes")...)
}

func (w sqliteWriter) rewrites(p *Plan, c *Change) string {
	if c.Old == nil || c.New == nil || w.native(p, c) {
		return ""
	}
	return fmt.Sprintf("%s rebuilds table %s (SQLite's ALTER TABLE cannot), copying every row in one transaction", describe(c), c.Table())
}
