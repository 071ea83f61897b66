package runtime

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/ormc/ormc/runtime/dialect"
)

// Members is one row's side of a many-to-many relation: the rows of T
// linked to a row of M (a post's tags), as a query, and the writes that
// link rows to it and unlink them. Generated clients return one from the
// relation's method: client.PostTags(post).
type Members[M, T any] struct {
	// Query is the query of the linked rows, which narrows, orders and
	// reads them as any query of T does.
	*Query[T]
	rel *Many[M, T]
	key any   // the row's key, as bound
	err error // why the row cannot be linked (no row, no key)
}

// NewMembers returns row's side of many-to-many relation rel, whose
// linked rows target queries (the client's query of T).
func NewMembers[M, T any](rel *Many[M, T], target *Query[T], row M) *Members[M, T] {
	m := &Members[M, T]{rel: rel}
	parent := rel.outer.t
	var zero M
	switch {
	case rel.via == nil:
		m.err = fmt.Errorf("%w: the relation from %s to %s is not many-to-many", ErrInvalidQuery, parent.Model, rel.child.Model)
	case any(row) == any(zero):
		m.err = fmt.Errorf("%w: a nil %s row has no linked rows", ErrInvalidQuery, parent.Model)
	default:
		m.key = parent.Value(row, parent.PK)
		if parent.PKColumn().AutoIncrement && isZero(m.key) {
			m.err = fmt.Errorf("%w: the %s row has no key yet: create it before linking rows to it", ErrInvalidQuery, parent.Model)
		}
	}
	q := target.q
	if m.err != nil {
		q = q.fail(m.err)
	} else {
		// The rows of T that a join row links to the row's key.
		t := q.t
		q = q.Filter(existsPred{parent: t, outer: Col(t, t.PK), child: rel.child, fk: rel.via,
			inner: cmpPred{ref: Col(rel.child, rel.fk.Index), op: OpExact, val: m.key}})
	}
	m.Query = &Query[T]{q}
	return m
}

// Add links rows to the row: one join row for each that is not linked to
// it yet (a row linked already stays as it is, once). Rows with the same
// key count once; a row that does not exist in the database fails with a
// *ConstraintError naming the join table's foreign key, and nothing is
// linked. A join model declared with through: and a field that linking
// cannot fill in (not nullable, without a default) refuses Add: create its
// rows with its own query.
func (m *Members[M, T]) Add(ctx context.Context, rows ...T) error {
	keys, err := m.keys("add", rows)
	if err != nil || len(keys) == 0 {
		return err
	}
	db := m.Query.q.db
	if !duplicateKeySetsKey(db.dialect) {
		// No INSERT leaves a linked pair alone here (Vitess): link only
		// the pairs the row does not have yet.
		return db.Tx(ctx, func(tx *DB) error {
			linked, err := m.linkedKeys(ctx, tx)
			if err != nil {
				return err
			}
			var add []any
			for _, k := range keys {
				if !linked[sameKey(k)] {
					add = append(add, k)
				}
			}
			if len(add) == 0 {
				return nil
			}
			return m.link(ctx, tx, add)
		})
	}
	if len(keys) <= linkBatch(db) {
		return m.link(ctx, db, keys)
	}
	return db.Tx(ctx, func(tx *DB) error { return m.link(ctx, tx, keys) })
}

// linkedKeys returns the keys of the rows linked to the row, by sameKey.
func (m *Members[M, T]) linkedKeys(ctx context.Context, tx *DB) (map[any]bool, error) {
	join, via := m.rel.child, m.rel.via
	linked, err := query{db: tx, t: join}.Filter(m.own()).fetch(ctx, -1)
	if err != nil {
		return nil, opError("add", join.Model, err)
	}
	have := make(map[any]bool, len(linked))
	for _, r := range linked {
		have[sameKey(join.Value(r, via.Index))] = true
	}
	return have, nil
}

// Remove unlinks rows from the row, deleting their join rows; rows that
// are not linked to it are left alone.
func (m *Members[M, T]) Remove(ctx context.Context, rows ...T) error {
	keys, err := m.keys("remove", rows)
	if err != nil || len(keys) == 0 {
		return err
	}
	db := m.Query.q.db
	if len(keys) < db.dialect.MaxParams() {
		return m.unlink(ctx, db, keys)
	}
	return db.Tx(ctx, func(tx *DB) error { return m.unlink(ctx, tx, keys) })
}

// Clear unlinks every row from the row.
func (m *Members[M, T]) Clear(ctx context.Context) error {
	if m.err != nil {
		return opError("clear", m.rel.child.Model, m.err)
	}
	_, err := query{db: m.Query.q.db, t: m.rel.child}.Filter(m.own()).DeleteAll(ctx)
	return err
}

// Set makes rows the row's linked rows, in one transaction: it unlinks
// those linked that are not among rows and links those of rows that are
// not linked yet, leaving the join rows of the others (and any fields of
// their own) as they were. Set with no rows is Clear.
func (m *Members[M, T]) Set(ctx context.Context, rows ...T) error {
	keys, err := m.keys("set", rows)
	if err != nil {
		return err
	}
	join, via := m.rel.child, m.rel.via
	return m.Query.q.db.Tx(ctx, func(tx *DB) error {
		linked, err := query{db: tx, t: join}.Filter(m.own()).fetch(ctx, -1)
		if err != nil {
			return opError("set", join.Model, err)
		}
		want := make(map[any]bool, len(keys))
		for _, k := range keys {
			want[sameKey(k)] = true
		}
		have := make(map[any]bool, len(linked))
		var drop []any
		for _, r := range linked {
			k := join.Value(r, via.Index)
			have[sameKey(k)] = true
			if !want[sameKey(k)] {
				drop = append(drop, k)
			}
		}
		var add []any
		for _, k := range keys {
			if !have[sameKey(k)] {
				add = append(add, k)
			}
		}
		if len(drop) > 0 {
			if err := m.unlink(ctx, tx, drop); err != nil {
				return err
			}
		}
		if len(add) > 0 {
			return m.link(ctx, tx, add)
		}
		return nil
	})
}

// keys returns the keys of rows, each once, in order, as they are bound;
// an error when the row or a row cannot be linked, before any SQL.
func (m *Members[M, T]) keys(op string, rows []T) ([]any, error) {
	join := m.rel.child
	if m.err != nil {
		return nil, opError(op, join.Model, m.err)
	}
	if op != "remove" && m.rel.unfillable != "" && len(rows) > 0 {
		return nil, opError(op, join.Model, fmt.Errorf("%w: linking rows creates %s rows, and its field %s has no default: create them with its own query",
			ErrInvalidQuery, join.Model, m.rel.unfillable))
	}
	t := m.Query.q.t
	var zero T
	keys := make([]any, 0, len(rows))
	seen := make(map[any]bool, len(rows))
	for i, row := range rows {
		if any(row) == any(zero) {
			return nil, opError(op, join.Model, fmt.Errorf("%w: row %d is a nil %s", ErrInvalidQuery, i, t.Model))
		}
		k := t.Value(row, t.PK)
		if t.PKColumn().AutoIncrement && isZero(k) {
			return nil, opError(op, join.Model, fmt.Errorf("%w: row %d, a %s, has no key yet: create it before linking it", ErrInvalidQuery, i, t.Model))
		}
		if sk := sameKey(k); !seen[sk] {
			seen[sk] = true
			keys = append(keys, k)
		}
	}
	return keys, nil
}

// own is the condition on the join rows of the row.
func (m *Members[M, T]) own() cond {
	return cmpPred{ref: Col(m.rel.child, m.rel.fk.Index), op: OpExact, val: m.key}
}

// linkBatch is how many rows one INSERT of join rows links: two
// parameters each, well under every dialect's limit.
func linkBatch(db *DB) int { return min(db.dialect.MaxParams()/2, 1000) }

// link inserts a join row for each key that has none: INSERT … ON
// CONFLICT DO NOTHING, or on MySQL ON DUPLICATE KEY UPDATE of the key
// to itself, which leaves the row as it was. (INSERT IGNORE would also
// turn a missing linked row, a foreign key violation, into a warning.)
// The join model's primary key or a unique declaration holds the pair
// (the compiler requires it), so a pair is never linked twice.
func (m *Members[M, T]) link(ctx context.Context, db *DB, keys []any) error {
	join, fk, via := m.rel.child, m.rel.fk, m.rel.via
	for chunk := range slices.Chunk(keys, linkBatch(db)) {
		b := newBuilder(db.dialect)
		b.insertInto(join, []*Column{fk, via})
		b.write(" VALUES ")
		for i, k := range chunk {
			if i > 0 {
				b.write(", ")
			}
			b.write("(")
			b.arg(m.key)
			b.write(", ")
			b.arg(k)
			b.write(")")
		}
		switch db.dialect.Upsert() {
		case dialect.OnConflict:
			b.write(" ON CONFLICT DO NOTHING")
		case dialect.OnDuplicateKey:
			if duplicateKeySetsKey(db.dialect) {
				b.write(" ON DUPLICATE KEY UPDATE ")
				b.assign(fk)
				b.column(fk)
			}
			// Else (Vitess) a plain INSERT of the pairs Add and Set
			// found unlinked in their transaction: a pair another
			// transaction links meanwhile is a UniqueViolation, not a
			// no-op.
		}
		stmt, args := b.String(), b.args
		b.free()
		if _, err := db.exec(ctx, stmt, args); err != nil {
			return opError("add", join.Model, m.explainLink(ctx, db, explain(err, join, false)))
		}
	}
	return nil
}

// explainLink names the foreign key a link broke where the database did
// not (SQLite names none): the row's own, when it is gone, else the
// linked rows'.
func (m *Members[M, T]) explainLink(ctx context.Context, db *DB, err error) error {
	var ce *ConstraintError
	if !errors.As(err, &ce) || ce.Kind != ForeignKeyViolation || ce.Constraint != "" {
		return err
	}
	join, col := m.rel.child, m.rel.via
	parent := m.rel.outer.t
	found, perr := query{db: db, t: parent}.Filter(cmpPred{ref: Col(parent, parent.PK), op: OpExact, val: m.key}).Exists(context.WithoutCancel(ctx))
	if perr == nil && !found {
		col = m.rel.fk
	}
	for i := range join.Constraints {
		if c := &join.Constraints[i]; c.Kind == ForeignKeyViolation && slices.Equal(c.Columns, []string{col.Name}) {
			ce.set(join, c)
		}
	}
	return err
}

// unlink deletes the join rows of the row and keys.
func (m *Members[M, T]) unlink(ctx context.Context, db *DB, keys []any) error {
	join := m.rel.child
	for chunk := range slices.Chunk(keys, db.dialect.MaxParams()-1) {
		in := cmpPred{ref: Col(join, m.rel.via.Index), op: OpIn, in: chunk}
		if _, err := (query{db: db, t: join}).Filter(m.own(), in).DeleteAll(ctx); err != nil {
			return err
		}
	}
	return nil
}
