package runtime

import (
	"context"
	"errors"
	"slices"
	"strings"

	"github.com/ormc/ormc/runtime/driver"
)

// Naming the constraint behind a *ConstraintError. A driver classifies a
// violation by its code and reports what the database says about it:
// PostgreSQL names the table and the constraint (and the column of a NOT
// NULL); MySQL names the key or constraint (and the column of a NOT NULL);
// SQLite names the table and columns of a unique or NOT NULL violation and
// the name of a CHECK, but nothing of a foreign key. explain completes the
// error from the constraints compiler/ddl created, which the generated
// Table lists, so that it names the same model, columns and constraint on
// every database.

// newConstraintError is the error of a statement that the driver
// classified as the violation v, before explain names the constraint:
// the driver's error err, or the error v wraps it in.
func newConstraintError(v *driver.Violation, err error) *ConstraintError {
	ce := &ConstraintError{Kind: v.Kind, Table: v.Table, Constraint: v.Constraint, Columns: v.Columns, Err: err}
	if v.Err != nil {
		ce.Err = v.Err
	}
	return ce
}

// explain completes the *ConstraintError in err, if any, of a write to t.
// deleting says that the write deletes rows of t (or changes their keys),
// so that a foreign key violation is one of a referring table's keys.
func explain(err error, t *Table, deleting bool) error {
	var ce *ConstraintError
	if err != nil && errors.As(err, &ce) {
		ce.complete(t, deleting)
	}
	return err
}

// withModel completes a constraint error from a write that inserts or
// updates rows of t.
func withModel(err error, t *Table) error { return explain(err, t, false) }

// explainRow is explain for a write of one row: when the database did not
// say which foreign key broke and t has several that could have (SQLite
// never says), it finds out by looking for the missing referenced row or,
// for a delete, for the rows still referring to row.
func (db *DB) explainRow(ctx context.Context, err error, t *Table, row any, deleting bool) error {
	var ce *ConstraintError
	if err == nil || !errors.As(err, &ce) {
		return err
	}
	ce.complete(t, deleting)
	if ce.Kind == ForeignKeyViolation && ce.Constraint == "" {
		db.probeForeignKey(context.WithoutCancel(ctx), ce, t, row, deleting)
	}
	return err
}

// complete fills in the model, table, columns and constraint name of ce
// from the metadata of t and of the tables around it.
func (ce *ConstraintError) complete(t *Table, deleting bool) {
	if ce.Kind == NotNullViolation {
		// NOT NULL has no name; the database names the column.
		owner := t
		if o := findTable(t, ce.Table); o != nil {
			owner = o
		}
		ce.Model, ce.Table, ce.Constraint = owner.Model, owner.Name, ""
		return
	}
	owner, c := ce.lookup(t, deleting)
	if c == nil {
		if ce.Model == "" {
			owner := t
			if o := findTable(t, ce.Table); o != nil {
				owner = o
			}
			ce.Model, ce.Table = owner.Model, owner.Name
		}
		return
	}
	ce.set(owner, c)
}

func (ce *ConstraintError) set(owner *Table, c *Constraint) {
	ce.Model, ce.Table, ce.Constraint = owner.Model, owner.Name, c.Name
	ce.Columns = slices.Clone(c.Columns)
}

// lookup finds the constraint ce reports: by the name the database gave,
// else by its table and columns, else as the only constraint of its kind
// the write could have broken.
func (ce *ConstraintError) lookup(t *Table, deleting bool) (*Table, *Constraint) {
	tables := around(t)
	if ce.Table != "" {
		tables = slices.DeleteFunc(tables, func(x *Table) bool { return !strings.EqualFold(x.Name, ce.Table) })
	}
	if ce.Constraint != "" {
		for _, x := range tables {
			for i := range x.Constraints {
				if c := &x.Constraints[i]; c.Name == ce.Constraint && c.Kind == ce.Kind {
					return x, c
				}
			}
		}
		// MySQL names every primary key PRIMARY, without its table: the
		// written table's.
		if ce.Kind == UniqueViolation && ce.Constraint == "PRIMARY" {
			owner := t
			if ce.Table != "" && len(tables) > 0 {
				owner = tables[0]
			}
			if c := owner.primaryKey(); c != nil {
				return owner, c
			}
		}
		return nil, nil
	}
	if len(ce.Columns) > 0 {
		for _, x := range tables {
			for i := range x.Constraints {
				if c := &x.Constraints[i]; c.Kind == ce.Kind && slices.Equal(c.Columns, ce.Columns) {
					return x, c
				}
			}
		}
		return nil, nil
	}
	cands := candidates(t, ce.Kind, deleting)
	if len(cands) == 1 {
		return cands[0].table, cands[0].c
	}
	return nil, nil
}

// tableConstraint is a constraint and the table holding it.
type tableConstraint struct {
	table *Table
	c     *Constraint
}

// candidates lists the constraints of kind k a write to t could break:
// t's own, or, for a delete, the restricting foreign keys that refer to t.
func candidates(t *Table, k ConstraintKind, deleting bool) []tableConstraint {
	var out []tableConstraint
	if k == ForeignKeyViolation && deleting {
		for _, r := range t.Referrers {
			for i := range r.Constraints {
				c := &r.Constraints[i]
				if c.Kind == k && c.OnDelete == "restrict" && r.refersTo(c, t) {
					out = append(out, tableConstraint{r, c})
				}
			}
		}
		return out
	}
	for i := range t.Constraints {
		if c := &t.Constraints[i]; c.Kind == k {
			out = append(out, tableConstraint{t, c})
		}
	}
	return out
}

// refersTo reports whether foreign key c of t refers to table target.
func (t *Table) refersTo(c *Constraint, target *Table) bool {
	col := t.columnNamed(c.Columns[0])
	return col != nil && col.Ref == target
}

// primaryKey returns the primary key's constraint: the unique constraint
// on exactly the key column.
func (t *Table) primaryKey() *Constraint {
	var pk []string
	for _, c := range t.keyColumns() {
		pk = append(pk, c.Name)
	}
	for i := range t.Constraints {
		if c := &t.Constraints[i]; c.Kind == UniqueViolation && slices.Equal(c.Columns, pk) {
			return c
		}
	}
	return nil
}

// around returns t and the tables reachable from it through foreign keys,
// either way, nearest first: the tables whose constraints a write to t can
// break, cascades included.
func around(t *Table) []*Table {
	out := []*Table{t}
	for i := 0; i < len(out); i++ {
		x := out[i]
		for _, c := range x.Columns {
			if c.Ref != nil && !slices.Contains(out, c.Ref) {
				out = append(out, c.Ref)
			}
		}
		for _, r := range x.Referrers {
			if !slices.Contains(out, r) {
				out = append(out, r)
			}
		}
	}
	return out
}

// findTable returns the table named name among those around t, or nil.
func findTable(t *Table, name string) *Table {
	if name == "" {
		return nil
	}
	for _, x := range around(t) {
		if strings.EqualFold(x.Name, name) {
			return x
		}
	}
	return nil
}

// probeForeignKey names the foreign key that a write of row to t broke,
// among several candidates, by asking the database: for an insert or
// update, which referenced row is missing; for a delete, which
// restricting table still refers to row. It leaves ce alone when it
// cannot tell.
func (db *DB) probeForeignKey(ctx context.Context, ce *ConstraintError, t *Table, row any, deleting bool) {
	for _, tc := range candidates(t, ForeignKeyViolation, deleting) {
		var col *Column
		var key any
		var target *Table
		if deleting {
			target, col, key = tc.table, tc.table.columnNamed(tc.c.Columns[0]), t.Value(row, t.PK)
		} else {
			col = t.columnNamed(tc.c.Columns[0])
			if col == nil || col.Ref == nil {
				continue
			}
			target, key = col.Ref, t.Value(row, col.Index)
		}
		if col == nil || key == nil {
			continue
		}
		b := newBuilder(db.dialect)
		b.write("SELECT 1 FROM ")
		b.ident(target.Name)
		b.write(" WHERE ")
		if deleting {
			b.ident(col.Name)
		} else {
			b.ident(target.PKColumn().Name)
		}
		b.write(" = ")
		b.arg(key)
		b.write(" LIMIT 1")
		var one int64
		err := db.queryOne(ctx, b.String(), b.args, &one)
		b.free()
		// Inserting, the broken key is the one whose row is missing;
		// deleting, the one whose rows are still there.
		if deleting && err == nil || !deleting && errors.Is(err, ErrNotFound) {
			ce.set(tc.table, tc.c)
			return
		}
	}
}
