package migrate

import (
	"fmt"
	"slices"
	"strings"

	"github.com/ormc/ormc/compiler/ddl"
	"github.com/ormc/ormc/compiler/ir"
	"github.com/ormc/ormc/runtime/dialect"
	"github.com/ormc/ormc/schema"
)

// Step is one statement of a migration file (see docs/migrations.md).
type Step struct {
	SQL   string
	NoTx  bool   // runs outside a transaction
	Check bool   // a pre-check: a SELECT that must return no rows
	Desc  string // what the step does, for people
}

// Plan is a migration planned from two snapshots.
type Plan struct {
	Old, New *ir.Schema
	Changes  []*Change
	// Diagnostics are the lint verdicts and the renames' diagnostics,
	// sorted; errors stop the plan.
	Diagnostics schema.List
	// Allowed are the blocking codes the plan has and was allowed,
	// sorted, which the files' "-- ormc:allow" line names.
	Allowed []schema.Code
}

// Options are what a plan is allowed.
type Options struct {
	// AllowDrop allows every destructive and data-dependent code, and
	// the drop and add of a field that looks like a rename.
	AllowDrop bool
	// Allow lists codes allowed one by one.
	Allow []schema.Code
}

// New plans the migration from old to new. Its diagnostics hold an error
// for each blocking code not allowed; the caller writes nothing then.
func New(old, new *ir.Schema, opts Options) *Plan {
	p := &Plan{Old: old, New: new}
	var diags schema.List
	p.Changes, diags = Diff(old, new, opts.AllowDrop)
	allowed := func(c schema.Code) bool { return opts.AllowDrop || slices.Contains(opts.Allow, c) }
	for _, c := range p.Changes {
		for _, f := range lint(old, new, c) {
			pos, end := position(c)
			d := diags.Errorf(pos, end, f.code, "%s", f.msg)
			switch {
			case strings.HasSuffix(f.msg, unplannable):
				// An error whatever is allowed.
			case !blocking(f.code):
				d.Severity = schema.Warning
			case allowed(f.code):
				d.Severity = schema.Warning
				if !slices.Contains(p.Allowed, f.code) {
					p.Allowed = append(p.Allowed, f.code)
				}
			default:
				d.Hint = "allow it with -allow-drop or -allow " + string(f.code)
			}
		}
	}
	for _, d := range dialect.All {
		w := writerOf(d)
		rewritten := map[string]bool{} // one warning a table: SQLite rebuilds it once
		for _, c := range p.Changes {
			if msg := w.rewrites(p, c); msg != "" && !rewritten[c.Table()] {
				rewritten[c.Table()] = true
				pos, end := position(c)
				diags.Errorf(pos, end, schema.CodeTableRewrite, "%s: %s", d.Name(), msg).Severity = schema.Warning
			}
		}
	}
	slices.Sort(p.Allowed)
	diags.Sort()
	p.Diagnostics = diags
	return p
}

// Steps returns the plan's steps on d: the pre-checks first (after the
// notx steps that must come before any transaction, SQLite's pragma),
// then the changes in order.
func (p *Plan) Steps(d dialect.Dialect) []Step {
	var checks []Step
	for _, c := range p.Changes {
		checks = append(checks, precheck(p, d, c)...)
	}
	steps := writerOf(d).steps(p)
	lead := 0
	for lead < len(steps) && steps[lead].NoTx {
		lead++
	}
	return slices.Concat(steps[:lead], checks, steps[lead:])
}

// File returns the text of the plan's .sql file for d.
func (p *Plan) File(d dialect.Dialect, id string) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, "-- ormc migration %s (%s), planned by ormc migrate diff: review before committing\n", id, d.Name())
	if len(p.Allowed) > 0 {
		b.WriteString("-- ormc:allow")
		for _, c := range p.Allowed {
			b.WriteString(" " + string(c))
		}
		b.WriteString("\n")
	}
	for _, s := range p.Steps(d) {
		b.WriteString("\n-- ormc:step")
		if s.NoTx {
			b.WriteString(" notx")
		}
		if s.Check {
			b.WriteString(" check")
		}
		if s.Desc != "" {
			b.WriteString(" -- " + oneLine(s.Desc))
		}
		b.WriteString("\n" + s.SQL + "\n")
	}
	return []byte(b.String())
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// writer writes one dialect's steps.
type writer interface {
	// steps returns the steps of every change of p, in order.
	steps(p *Plan) []Step
	// rewrites returns why c rewrites or copies its table on this
	// dialect, or "".
	rewrites(p *Plan, c *Change) string
	// length is the length in characters of the text in col.
	length(col string) string
	// decimal is a Decimal column as a number compares it.
	decimal(col string) string
}

var byDialect = map[string]writer{
	dialect.Postgres.Name(): postgresWriter{},
	dialect.MySQL.Name():    mysqlWriter{},
	dialect.SQLite.Name():   sqliteWriter{},
}

func writerOf(d dialect.Dialect) writer {
	w, ok := byDialect[d.Name()]
	if !ok {
		panic(fmt.Sprintf("migrate: no planner for dialect %q", d.Name()))
	}
	return w
}

// q quotes an identifier for d.
func q(d dialect.Dialect, name string) string { return dialect.Quote(d, name) }

func ddlOrder(s *ir.Schema) []*ir.Model { return ddl.ModelOrder(s) }

func columnComment(s *ir.Schema, f *ir.Field) string { return ddl.ColumnComment(s, f) }

// describe names a change for a step's description.
func describe(c *Change) string {
	switch c.Kind {
	case AddModel:
		return "create table " + c.New.Table
	case DropModel:
		return "drop table " + c.Old.Table
	case RenameModel:
		return "rename table " + c.Old.Table + " to " + c.New.Table
	case AddField:
		return "add column " + c.New.Table + "." + c.NewField.Column
	case DropField:
		return "drop column " + c.Table() + "." + c.OldField.Column
	case RenameField:
		return "rename column " + c.Table() + "." + c.OldField.Column + " to " + c.NewField.Column
	case AlterField:
		var what []string
		for _, w := range []struct {
			on   bool
			name string
		}{{c.Type, "type"}, {c.Null, "nullability"}, {c.Default, "default"}, {c.Comment, "comment"}} {
			if w.on {
				what = append(what, w.name)
			}
		}
		return "change the " + strings.Join(what, ", ") + " of " + c.New.Table + "." + c.NewField.Column
	}
	if c.Kind == RenameValues {
		var what []string
		for _, r := range c.Values {
			what = append(what, r.From+" to "+r.To)
		}
		return "rename values " + strings.Join(what, ", ") + " of " + c.New.Table + "." + c.NewField.Column
	}
	if c.Kind == RenameObject {
		_, what, _ := strings.Cut(string(c.Object), "-")
		return "rename " + strings.ReplaceAll(what, "-", " ") + " " + c.OldName + " of " + c.New.Table + " to " + c.Name
	}
	verb, what, _ := strings.Cut(string(c.Kind), "-")
	table := c.Table()
	if verb == "drop" {
		table = dropTable(c)
	}
	return verb + " " + strings.ReplaceAll(what, "-", " ") + " " + c.Name + " of " + table
}

// dropTable is the table name a drop of a constraint or index uses:
// drops run before renames.
func dropTable(c *Change) string { return c.Old.Table }

// deferred returns the foreign keys that creating c's table leaves out
// on d: those of Change.Deferred where d adds them apart.
func deferred(d dialect.Dialect, c *Change) map[*ir.Field]bool {
	if !ddl.AddsCycleKeys(d) {
		return nil
	}
	return c.Deferred
}
