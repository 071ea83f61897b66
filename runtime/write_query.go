package runtime

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"
)

// Writes by query: every row the query matches, filters across relations
// included.

// UpdateAll sets the assigned columns on every row the query matches and
// returns how many rows matched. The values are validated first.
func (q query) UpdateAll(ctx context.Context, sets ...assignment) (int64, error) {
	t := q.t
	if q.err != nil {
		return 0, opError("update all", t.Model, q.err)
	}
	if len(sets) == 0 {
		return 0, opError("update all", t.Model, errors.New("nothing to set"))
	}
	for _, a := range sets {
		if err := settable(t, a.Ref); err != nil {
			return 0, opError("update all", t.Model, err)
		}
	}
	if err := checkExprs(t, sets); err != nil {
		return 0, opError("update all", t.Model, err)
	}
	if err := validateValues(t, sets); err != nil {
		return 0, opError("update all", t.Model, err)
	}
	pl, err := q.plan()
	if err != nil {
		return 0, opError("update all", t.Model, err)
	}
	sets = withAutoNow(t, sets, time.Now())
	b := newBuilder(q.db.dialect)
	b.write("UPDATE ")
	b.ident(t.Name)
	b.write(" SET ")
	writeList(b, sets, ", ", func(b *builder, a assignment) {
		b.assign(a.Ref.Col)
		b.setValue(a)
	})
	q.whereByKey(b, pl)
	if b.err != nil {
		return 0, opError("update all", t.Model, b.err)
	}
	res, err := q.db.exec(ctx, b.String(), b.args)
	return res.RowsAffected, opError("update all", t.Model, withModel(err, t))
}

// withAutoNow adds to sets the assignment of now to every auto_now column
// that sets does not assign itself.
func withAutoNow(t *Table, sets []assignment, now time.Time) []assignment {
	out := sets
	for _, c := range t.Columns {
		if !c.AutoNow || slices.ContainsFunc(sets, func(a assignment) bool { return a.Ref.Col == c }) {
			continue
		}
		if len(out) == len(sets) {
			out = slices.Clip(sets) // never append to the caller's array
		}
		var v any = NowUTC(now)
		if c.Kind == KindDate {
			v = DateOf(NowUTC(now))
		}
		out = append(out, assignment{Ref: Col(t, c.Index), Value: v})
	}
	return out
}

// settable returns an error unless ref is a column of t itself: a write
// sets t's own columns, never one reached through a relation.
func settable(t *Table, ref ColRef) error {
	if err := ref.check(t); err != nil {
		return err
	}
	if ref.Path != nil {
		return fmt.Errorf("%w: %s.%s is reached through a relation; only %s's own fields can be written",
			ErrInvalidQuery, ref.Path.key, ref.Col.Field, t.Model)
	}
	return nil
}

// DeleteAll deletes every row the query matches and returns how many.
func (q query) DeleteAll(ctx context.Context) (int64, error) {
	t := q.t
	if q.err != nil {
		return 0, opError("delete all", t.Model, q.err)
	}
	pl, err := q.plan()
	if err != nil {
		return 0, opError("delete all", t.Model, err)
	}
	b := newBuilder(q.db.dialect)
	b.write("DELETE FROM ")
	b.ident(t.Name)
	q.whereByKey(b, pl)
	if b.err != nil {
		return 0, opError("delete all", t.Model, b.err)
	}
	res, err := q.db.exec(ctx, b.String(), b.args)
	return res.RowsAffected, opError("delete all", t.Model, explain(err, t, true))
}

// whereByKey writes the WHERE clause of an UPDATE or DELETE. A query that
// needs no JOIN, LIMIT or OFFSET filters the table directly; any other
// selects the keys in a derived table, which MySQL requires when a
// statement reads the table it writes.
func (q query) whereByKey(b *builder, pl joinPlan) {
	if len(pl.joins) == 0 && !q.hasLimit && q.offset == 0 && (q.where == nil || !q.where.subquery()) {
		if q.where != nil {
			b.write(" WHERE ")
			q.where.appendSQL(b) // b.alias is nil: unqualified columns
		}
		return
	}
	// Every key column, as a row value when there are several: PostgreSQL,
	// MySQL and MariaDB, and SQLite from 3.15 compare (a, b) IN (SELECT …).
	keys := q.t.keyColumns()
	b.write(" WHERE ")
	if len(keys) > 1 {
		b.write("(")
	}
	writeList(b, keys, ", ", func(b *builder, c *Column) { b.ident(c.Name) })
	if len(keys) > 1 {
		b.write(")")
	}
	b.write(" IN (SELECT ")
	for i := range keys {
		if i > 0 {
			b.write(", ")
		}
		b.write(keyAlias(i, len(keys)))
	}
	b.write(" FROM (SELECT ")
	for i, c := range keys {
		if i > 0 {
			b.write(", ")
		}
		b.write("t0.")
		b.ident(c.Name)
		b.write(" AS ")
		b.write(keyAlias(i, len(keys)))
	}
	b.alias = pl.alias
	q.fromWhere(b, pl)
	q.orderLimit(b, -1)
	b.alias = nil
	b.write(") AS keys_sub)")
}

// keyAlias is the name of the i-th of n key columns in whereByKey's
// derived table: k for a single key, k0, k1, … for a composite one.
func keyAlias(i, n int) string {
	if n == 1 {
		return "k"
	}
	return fmt.Sprintf("k%d", i)
}
