package runtime

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/ormc/ormc/runtime/dialect"
)

// updateOrCreate applies sets to the one row matching where and writes
// them, or creates a row from where's equalities, sets and the schema's
// defaults, as one unit (see DB.atomically). It returns the stored row.
// A concurrent call may create the row between the get and the create:
// the create then fails with a unique violation, in a savepoint so that
// the transaction goes on, and the row is read again and updated, as
// getOrCreate does.
func (q query) updateOrCreate(ctx context.Context, where cond, sets []assignment) (row any, created bool, err error) {
	t := q.t
	if err := checkSets(t, sets); err != nil {
		return nil, false, opError("update_or_create", t.Model, err)
	}
	if err := validateValues(t, sets); err != nil {
		return nil, false, opError("update_or_create", t.Model, err)
	}
	err = q.db.atomically(ctx, func(tx *DB) error {
		row, created = nil, false
		qt := q // with the query's own conditions, as GetOrCreate
		qt.db = tx
		existing, err := qt.get(ctx, where)
		if errors.Is(err, ErrNotFound) {
			fresh, err := newFrom(t, where, sets)
			if err != nil {
				return opError("update_or_create", t.Model, err)
			}
			cerr := tx.Tx(ctx, func(sp *DB) error { return query{db: sp, t: t}.create(ctx, fresh) })
			if cerr == nil {
				row, created = fresh, true
				return nil
			}
			cerr = opError("create", t.Model, withModel(cerr, t))
			var ce *ConstraintError
			if !errors.As(cerr, &ce) || ce.Kind != UniqueViolation {
				return cerr
			}
			// Created since the get, unless the violation is of another
			// key, or the row is not visible to the transaction (whose
			// snapshot is older, at REPEATABLE READ).
			existing, err = qt.get(ctx, where)
			switch {
			case errors.Is(err, ErrNotFound):
				return cerr
			case err != nil:
				return errors.Join(cerr, err)
			}
		} else if err != nil {
			return err
		}
		if err := qt.update(ctx, existing, sets); err != nil {
			return err
		}
		row = existing
		return nil
	})
	if err != nil {
		return nil, false, err
	}
	return row, created, nil
}

// newFrom returns a new row of t with the schema's defaults, the values
// where's equalities on t's own columns name, and then sets: what
// GetOrCreate and UpdateOrCreate create.
func newFrom(t *Table, where cond, sets []assignment) (any, error) {
	var row any
	if t.Make != nil {
		row = t.Make()
	} else {
		row = t.New()
	}
	var err error
	eachEquality(where, func(p cmpPred) {
		if err == nil {
			err = putColumn(t, row, p.ref.Col, p.val)
		}
	})
	for _, a := range sets {
		if err == nil {
			err = putColumn(t, row, a.Ref.Col, a.Value)
		}
	}
	return row, err
}

// checkSets returns the error of an assignment to a field that is not one
// of t's own (one reached through a relation, such as Track's
// db.TrackAlbum.Name, or of another model), which newFrom would store in
// the column of t at the same index, and a found row would ignore.
func checkSets(t *Table, sets []assignment) error {
	for _, a := range sets {
		if err := settable(t, a.Ref); err != nil {
			return err
		}
	}
	return refuseExprs(t, sets)
}

// eachEquality calls fn with each equality on a column of the model
// itself (no relation followed) that where requires: its own, or one of
// an And's terms.
func eachEquality(where cond, fn func(cmpPred)) {
	switch p := where.(type) {
	case cmpPred:
		if p.op == OpExact && p.ref.Path == nil && p.val != nil {
			fn(p)
		}
	case boolPred:
		if !p.or {
			p.each(func(q cond) bool { eachEquality(q, fn); return true })
		}
	}
}

// upsert inserts row or updates the row it conflicts with on the conflict
// columns, which must be the primary key or a unique constraint. A row
// that collides on another unique constraint is refused with a
// *ConstraintError, on every database: PostgreSQL and SQLite check only
// the conflict target of ON CONFLICT, and MySQL, whose ON DUPLICATE KEY
// UPDATE takes whichever key collides, updates by the conflict columns
// and inserts when none matches instead.
func (q query) upsert(ctx context.Context, row any, conflict, update []ColRef) error {
	t, db := q.t, q.db
	if len(conflict) == 0 {
		return opError("upsert", t.Model, errors.New("no conflict fields given"))
	}
	var target []*Column
	for _, s := range conflict {
		c, err := ownColumn(t, s)
		if err != nil {
			return opError("upsert", t.Model, err)
		}
		target = append(target, c)
	}
	if !t.isUniqueKey(target) {
		return opError("upsert", t.Model, fmt.Errorf("conflict fields (%s) are neither the primary key nor a unique constraint of %s", fieldList(target), t.Model))
	}
	auto := fillAuto(t, row, true, time.Now())
	pk := t.PKColumn()
	withKey := !pk.AutoIncrement || !isZero(t.Value(row, t.PK))
	cols := t.Columns
	if !withKey {
		cols = db.tableSQL(t).noKeyCols
	}
	vals := rowArgs(t, row, cols, 0)
	if err := validateArgs(t, cols, vals); err != nil {
		return opError("upsert", t.Model, err)
	}
	// The update: every field but the key, the conflict fields and the
	// values fixed at creation, or the named fields and the auto_now ones.
	var upd []*Column
	if len(update) == 0 {
		for _, c := range cols {
			if !t.isKey(c.Index) && !slices.Contains(target, c) && !c.AutoNowAdd && !c.DefaultUUID {
				upd = append(upd, c)
			}
		}
	} else {
		for _, s := range update {
			c, err := ownColumn(t, s)
			if err != nil {
				return opError("upsert", t.Model, err)
			}
			if !slices.Contains(cols, c) {
				return opError("upsert", t.Model, fmt.Errorf("cannot update field %q: the database assigns it", c.Field))
			}
			upd = append(upd, c)
		}
		for _, c := range auto {
			if !slices.Contains(upd, c) {
				upd = append(upd, c)
			}
		}
	}
	// Read back what the update leaves as stored: the key and the values
	// fixed at creation.
	// (Every column of a composite key, first.)
	back := t.keyColumns()
	for _, c := range t.Columns {
		if !t.isKey(c.Index) && (c.AutoNowAdd || c.DefaultUUID) && !slices.Contains(upd, c) {
			back = append(back, c)
		}
	}
	err := db.fits(vals)
	if err == nil && withKey && pk.AutoIncrement {
		if key, ok := keyInt(t.Value(row, t.PK)); ok {
			err = db.advanceKeys(ctx, t, key)
		}
	}
	switch {
	case err != nil:
	case db.dialect.Upsert() == dialect.OnConflict:
		err = q.upsertOnConflict(ctx, row, cols, vals, target, upd, back)
	default:
		err = q.upsertMySQL(ctx, row, cols, vals, target, upd, back, withKey)
	}
	return opError("upsert", t.Model, db.keysError(db.explainRow(ctx, err, t, row, false), t))
}

// upsertOnConflict is one INSERT … ON CONFLICT (target) DO UPDATE …
// RETURNING statement, as PostgreSQL and SQLite have it.
func (q query) upsertOnConflict(ctx context.Context, row any, cols []*Column, vals []any, target, upd, back []*Column) error {
	t, db := q.t, q.db
	b := newBuilder(db.dialect)
	defer b.free()
	b.insertInto(t, cols)
	b.write(" VALUES (")
	b.argList(vals)
	b.write(") ON CONFLICT (")
	b.columns(target)
	b.write(") DO UPDATE SET ")
	if len(upd) == 0 {
		// Nothing to change, but RETURNING needs the row: a no-op update.
		upd = target[:1]
	}
	writeList(b, upd, ", ", func(b *builder, c *Column) {
		b.assign(c)
		b.write("EXCLUDED.")
		b.ident(c.Name)
	})
	b.write(" RETURNING ")
	b.columns(back)
	return db.queryOne(ctx, b.String(), b.args, ptrs(t, row, back)...)
}

// ptrs returns the scan destinations of row's cols.
func ptrs(t *Table, row any, cols []*Column) []any {
	out := make([]any, len(cols))
	for i, c := range cols {
		out[i] = t.Ptr(row, c.Index)
	}
	return out
}

// ownColumn returns the column ref names, which must be one of t's own.
func ownColumn(t *Table, ref ColRef) (*Column, error) {
	if err := settable(t, ref); err != nil {
		return nil, err
	}
	return ref.Col, nil
}

// isUniqueKey reports whether cols are the primary key or the columns of a
// unique constraint, in any order. A table without constraint metadata
// (one written by hand) is taken at its word.
func (t *Table) isUniqueKey(cols []*Column) bool {
	if len(t.Constraints) == 0 {
		return true
	}
	if len(cols) == 1 && cols[0].Index == t.PK {
		return true
	}
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = c.Name
	}
	for _, c := range t.Constraints {
		if c.Kind == UniqueViolation && sameNames(c.Columns, names) {
			return true
		}
	}
	return false
}

func sameColumns(names []string, cols []*Column) bool {
	other := make([]string, len(cols))
	for i, c := range cols {
		other[i] = c.Name
	}
	return sameNames(names, other)
}

// sameNames reports whether a and b hold the same names, in any order.
func sameNames(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for _, x := range a {
		if !slices.Contains(b, x) {
			return false
		}
	}
	return true
}

func fieldList(cols []*Column) string {
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = c.Field
	}
	return strings.Join(names, ", ")
}
