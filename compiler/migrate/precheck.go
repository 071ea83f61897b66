package migrate

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/ormc/ormc/compiler/ddl"
	"github.com/ormc/ormc/compiler/ir"
	"github.com/ormc/ormc/runtime/dialect"
)

// Pre-checks: for each data-dependent change, a SELECT over the tables as
// they are before the migration (old names) that returns the keys of
// the rows the change would fail on, at most precheckRows of them. The
// applier runs them before any DDL and refuses when one returns rows.

const precheckRows = 10

func precheck(p *Plan, d dialect.Dialect, c *Change) []Step {
	w := writerOf(d)
	var steps []Step
	add := func(desc, cond string, cols ...string) {
		if c.Old == nil {
			return
		}
		sel := []string{q(d, c.Old.PK().Column)}
		for _, col := range cols {
			sel = append(sel, q(d, col))
		}
		steps = append(steps, Step{Check: true, Desc: desc, SQL: fmt.Sprintf("SELECT %s FROM %s WHERE %s ORDER BY %s LIMIT %d",
			strings.Join(sel, ", "), q(d, c.Old.Table), cond, q(d, c.Old.PK().Column), precheckRows)})
	}
	for _, f := range lint(p.Old, p.New, c) {
		switch f.code {
		case "add-not-null":
			if c.Kind == AddField {
				add("table "+c.Old.Table+" must be empty: "+c.NewField.Name+" is added NOT NULL without a default", "1 = 1")
			} else {
				col := q(d, c.OldField.Column)
				add("no NULL in "+c.Old.Table+"."+c.OldField.Column, col+" IS NULL", c.OldField.Column)
			}
		case "narrow-type":
			if cond := narrowCond(w, d, p.Old.ColumnType(c.OldField), p.New.ColumnType(c.NewField), c.OldField.Column); cond != "" {
				if rs := activeRenames(c.OldField, c.NewField); len(rs) > 0 {
					// A renamed value is renamed before the column narrows.
					var olds []string
					for _, r := range rs {
						olds = append(olds, ddl.StringLiteral(d, r.From))
					}
					cond = "(" + cond + ") AND " + q(d, c.OldField.Column) + " NOT IN (" + strings.Join(olds, ", ") + ")"
				}
				add("every value of "+c.Old.Table+"."+c.OldField.Column+" fits "+typeText(p.New.ColumnType(c.NewField)), cond, c.OldField.Column)
			}
		case "add-unique":
			old := oldColumns(c)
			if old == nil {
				continue
			}
			var notNull []string
			for _, col := range old {
				notNull = append(notNull, q(d, col)+" IS NOT NULL")
			}
			list := ddl.QuoteList(d, old)
			steps = append(steps, Step{Check: true, Desc: "no duplicates of " + strings.Join(old, ", ") + " in " + c.Old.Table,
				SQL: fmt.Sprintf("SELECT %s, COUNT(*) FROM %s WHERE %s GROUP BY %s HAVING COUNT(*) > 1 ORDER BY %s LIMIT %d",
					list, q(d, c.Old.Table), strings.Join(notNull, " AND "), list, list, precheckRows)})
		case "tighten-check":
			if c.OldField == nil {
				continue
			}
			f := *c.NewField
			f.Column = c.OldField.Column
			// Rows holding a renamed value pass: the migration renames it.
			f.Type.Values = append([]string(nil), f.Type.Values...)
			for _, r := range activeRenames(c.OldField, c.NewField) {
				f.Type.Values = append(f.Type.Values, r.From)
			}
			add("every row of "+c.Old.Table+" passes CHECK "+c.Name, "NOT ("+ddl.CheckExpr(p.New, d, &f)+")", c.OldField.Column)
		case "add-foreign-key":
			target := p.New.Model(c.NewField.Relation.Model)
			ot := target
			for om, nm := range renamedModels(p) {
				if nm == target.Name {
					ot = p.Old.Model(om)
				}
			}
			if o := p.Old.Model(ot.Name); o != nil {
				ot = o
			} else {
				continue // the target is a new table: every row lacks it
			}
			col := q(d, c.OldField.Column)
			add("every "+c.Old.Table+"."+c.OldField.Column+" has its row in "+ot.Table,
				fmt.Sprintf("%s IS NOT NULL AND NOT EXISTS (SELECT 1 FROM %s ormc_target WHERE ormc_target.%s = %s.%s)",
					col, q(d, ot.Table), q(d, ot.PK().Column), q(d, c.Old.Table), col), c.OldField.Column)
		}
	}
	return steps
}

// oldColumns maps the columns of a new constraint back to their columns
// before the migration, or returns nil when one of them is new.
func oldColumns(c *Change) []string {
	var out []string
	for _, col := range c.Columns {
		var nf *ir.Field
		for _, f := range c.New.Fields {
			if f.Column == col {
				nf = f
			}
		}
		if nf == nil {
			return nil
		}
		of := c.Old.Field(nf.Name)
		if nf.RenamedFrom != "" && c.Old.Field(nf.RenamedFrom) != nil && of == nil {
			of = c.Old.Field(nf.RenamedFrom)
		}
		if of == nil {
			return nil
		}
		out = append(out, of.Column)
	}
	return out
}

// renamedModels maps old model names to new ones, as the diff matched them.
func renamedModels(p *Plan) map[string]string {
	out := map[string]string{}
	for _, c := range p.Changes {
		if c.Kind == RenameModel || c.Old != nil && c.New != nil && c.Old.Name != c.New.Name {
			out[c.Old.Name] = c.New.Name
		}
	}
	return out
}

// narrowCond is the condition that finds the values of column col, of
// type a, that type b cannot hold; "" where no query can tell.
func narrowCond(w writer, d dialect.Dialect, a, b ir.Type, col string) string {
	c := q(d, col)
	switch {
	case a.Kind == ir.String && b.Kind == ir.String, (a.Kind == ir.Text) && b.Kind == ir.String:
		return w.length(c) + " > " + strconv.Itoa(b.MaxLength)
	case a.Kind == ir.BigInteger && b.Kind == ir.Integer:
		return c + " NOT BETWEEN -2147483648 AND 2147483647"
	case a.Kind == ir.Decimal && b.Kind == ir.Decimal:
		limit := "1" + strings.Repeat("0", b.MaxDigits-b.DecimalPlaces)
		num := w.decimal(c)
		cond := "ABS(" + num + ") >= " + limit
		if b.DecimalPlaces < a.DecimalPlaces {
			cond += " OR " + num + " <> ROUND(" + num + ", " + strconv.Itoa(b.DecimalPlaces) + ")"
		}
		return cond
	}
	return ""
}
