package runtime

import (
	"context"
	"database/sql"
	sqldriver "database/sql/driver"
	"errors"
	"fmt"
	"slices"
	"time"
)

// The writes of one row, behind Query's Create, Update, Delete and
// GetOrCreate.
// create validates row, inserts it and fills in its key.
func (q query) create(ctx context.Context, row any) error {
	t, db := q.t, q.db
	fillAuto(t, row, true, time.Now())
	pk := t.PKColumn()
	withKey := !pk.AutoIncrement || !isZero(t.Value(row, t.PK))
	stmts := db.tableSQL(t)
	stmt, cols := stmts.insertNoKey, stmts.noKeyCols
	if withKey {
		stmt, cols = stmts.insert, t.Columns
	}
	args := rowArgs(t, row, cols, 0)
	if err := validateArgs(t, cols, args); err != nil {
		return err
	}
	if err := db.fits(args); err != nil {
		return err
	}
	if withKey && pk.AutoIncrement {
		// Only an explicit key pays for the sequence.
		if key, ok := keyInt(t.Value(row, t.PK)); ok {
			if err := db.advanceKeys(ctx, t, key); err != nil {
				return err
			}
		}
	}
	if db.dialect.Returning() && !t.composite() {
		err := db.queryOne(ctx, stmt, args, t.Ptr(row, t.PK))
		return db.keysError(db.explainRow(ctx, err, t, row, false), t)
	}
	res, err := db.exec(ctx, stmt, args)
	if err != nil {
		return db.keysError(db.explainRow(ctx, err, t, row, false), t)
	}
	if !withKey {
		return setInt(t.Ptr(row, t.PK), res.LastInsertID)
	}
	return nil
}

// rowArgs returns the values of row's cols, to bind, with room for extra
// more.
func rowArgs(t *Table, row any, cols []*Column, extra int) []any {
	args := make([]any, len(cols), len(cols)+extra)
	for i, c := range cols {
		args[i] = t.Value(row, c.Index)
	}
	return args
}

// update writes row by primary key: every column when sets is empty;
// otherwise sets are applied to row first and only their columns (and the
// auto_now ones) are written. The values are validated before any SQL.
func (q query) update(ctx context.Context, row any, sets []assignment) error {
	if hasExpr(sets) {
		return q.updateExprs(ctx, row, sets)
	}
	t, db := q.t, q.db
	var cols []*Column
	stmt := ""
	if len(sets) > 0 {
		if err := validateValues(t, sets); err != nil {
			return opError("update", t.Model, err)
		}
		for _, a := range sets {
			c, err := ownColumn(t, a.Ref)
			if err != nil {
				return opError("update", t.Model, err)
			}
			if t.isKey(c.Index) {
				return opError("update", t.Model, fmt.Errorf("%w: %s.%s is the primary key, which Update does not change", ErrInvalidQuery, t.Model, c.Field))
			}
			if !slices.Contains(cols, c) {
				cols = append(cols, c)
			}
		}
		for _, a := range sets {
			if err := putColumn(t, row, a.Ref.Col, a.Value); err != nil {
				return opError("update", t.Model, err)
			}
		}
	}
	auto := fillAuto(t, row, false, time.Now())
	if len(sets) == 0 {
		stmts := db.tableSQL(t)
		stmt, cols = stmts.updateAll, stmts.nonKey
	} else {
		for _, c := range auto {
			if !slices.Contains(cols, c) {
				cols = append(cols, c)
			}
		}
		stmt = db.updateSQL(t, cols)
	}
	if len(cols) == 0 {
		// Nothing but the key to write (a table of keys only): set the
		// key to itself, which still finds the row or not.
		cols = t.keyColumns()
		stmt = db.updateSQL(t, cols)
	}
	args := rowArgs(t, row, cols, len(t.Key)+1)
	if err := validateArgs(t, cols, args); err != nil {
		return opError("update", t.Model, err)
	}
	args = t.keyArgs(args, row)
	res, err := db.exec(ctx, stmt, args)
	if err == nil && res.RowsAffected == 0 {
		err = ErrNotFound
	}
	return opError("update", t.Model, db.explainRow(ctx, err, t, row, false))
}

// putColumn stores v, a value of column c's Go type or nil for NULL, in
// row's field, as scanning its bound form from the database would. A
// relation's field then holds the new key, with the row it referred to
// forgotten.
func putColumn(t *Table, row any, c *Column, v any) error {
	if err := storeValue(t.Ptr(row, c.Index), v); err != nil {
		return fmt.Errorf("%s.%s: %w", t.Model, c.Field, err)
	}
	if c.Ref != nil && t.Link != nil {
		if l := t.Link(row, c.Index); l != nil {
			l.detach()
		}
	}
	return nil
}

// storeValue stores v, a Go value of a field's type or nil, in the field
// ptr points to (as Table.Ptr returns it): through its bound form, as the
// database would give it back.
func storeValue(ptr, v any) error {
	if v != nil {
		if vr, ok := v.(sqldriver.Valuer); ok {
			dv, err := vr.Value()
			if err != nil {
				return err
			}
			v = dv
		} else {
			v = bindKey(v)
		}
	}
	if s, ok := ptr.(sql.Scanner); ok {
		return s.Scan(v)
	}
	ok := false
	switch p := ptr.(type) {
	case *int64:
		*p, ok = v.(int64)
	case *string:
		*p, ok = v.(string)
	case *bool:
		*p, ok = v.(bool)
	case *float64:
		*p, ok = v.(float64)
	case *time.Time:
		*p, ok = v.(time.Time)
	case *[]byte:
		*p, ok = v.([]byte)
	default:
		if n, isInt := v.(int64); isInt {
			return setInt(ptr, n)
		}
	}
	if !ok {
		return fmt.Errorf("cannot store %T in %T", v, ptr)
	}
	return nil
}

// delete deletes row by primary key.
func (q query) delete(ctx context.Context, row any) error {
	t, db := q.t, q.db
	res, err := db.exec(ctx, db.tableSQL(t).delete, t.keyArgs(nil, row))
	if err == nil && res.RowsAffected == 0 {
		err = ErrNotFound
	}
	return opError("delete", t.Model, db.explainRow(ctx, err, t, row, true))
}

// isZero reports whether a key value is its type's zero value.
func isZero(v any) bool {
	switch v := v.(type) {
	case int64:
		return v == 0
	case int32:
		return v == 0
	case int:
		return v == 0
	case string:
		return v == ""
	case nil:
		return true
	}
	return false
}

// setInt stores a generated key into the pointer to a key field.
func setInt(ptr any, id int64) error {
	switch p := ptr.(type) {
	case *int64:
		*p = id
	case *int32:
		*p = int32(id)
	case *int:
		*p = int(id)
	default:
		return fmt.Errorf("cannot store a generated key in %T", ptr)
	}
	return nil
}

// getOrCreate returns the one row matching where, or creates one from
// where's equalities, defaults and the schema's defaults (see newFrom).
// created says which happened.
func (q query) getOrCreate(ctx context.Context, where cond, defaults []assignment) (got any, created bool, err error) {
	if err := checkSets(q.t, defaults); err != nil {
		return nil, false, opError("get_or_create", q.t.Model, err)
	}
	if err := validateValues(q.t, defaults); err != nil {
		return nil, false, opError("get_or_create", q.t.Model, err)
	}
	got, err = q.get(ctx, where)
	if err == nil || !errors.Is(err, ErrNotFound) {
		return got, false, err
	}
	row, err := newFrom(q.t, where, defaults)
	if err != nil {
		return nil, false, opError("get_or_create", q.t.Model, err)
	}
	if q.db.InTx() {
		err = q.db.Tx(ctx, func(tx *DB) error { return query{db: tx, t: q.t}.create(ctx, row) })
	} else {
		err = q.create(ctx, row)
	}
	if err == nil {
		return row, true, nil
	}
	err = opError("create", q.t.Model, withModel(err, q.t))
	var ce *ConstraintError
	if !errors.As(err, &ce) || ce.Kind != UniqueViolation {
		return nil, false, err
	}
	got, gerr := q.get(ctx, where)
	switch {
	case gerr == nil:
		return got, false, nil
	case errors.Is(gerr, ErrNotFound):
		return nil, false, err
	}
	return nil, false, errors.Join(err, gerr)
}
