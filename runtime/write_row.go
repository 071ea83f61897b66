package runtime

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"
)

// The writes of one row, behind Manager's Create, Update, Delete and
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
	if db.dialect.Returning() {
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

// update validates row and writes it by primary key.
func (q query) update(ctx context.Context, row any, fields ...Selector) error {
	t, db := q.t, q.db
	auto := fillAuto(t, row, false, time.Now())
	var cols []*Column
	stmt := ""
	if len(fields) == 0 {
		stmts := db.tableSQL(t)
		stmt, cols = stmts.updateAll, stmts.nonKey
	} else {
		for _, f := range fields {
			c, err := ownColumn(t, f)
			if err != nil {
				return opError("update", t.Model, err)
			}
			cols = append(cols, c)
		}
		for _, c := range auto {
			if !slices.Contains(cols, c) {
				cols = append(cols, c)
			}
		}
		stmt = db.updateSQL(t, cols)
	}
	args := rowArgs(t, row, cols, 1)
	if err := validateArgs(t, cols, args); err != nil {
		return opError("update", t.Model, err)
	}
	args = append(args, t.Value(row, t.PK))
	res, err := db.exec(ctx, stmt, args)
	if err == nil && res.RowsAffected == 0 {
		err = ErrNotFound
	}
	return opError("update", t.Model, db.explainRow(ctx, err, t, row, false))
}

// delete deletes row by primary key.
func (q query) delete(ctx context.Context, row any) error {
	t, db := q.t, q.db
	res, err := db.exec(ctx, db.tableSQL(t).delete, []any{t.Value(row, t.PK)})
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

// getOrCreate returns the one row matching p, or creates row.
func (q query) getOrCreate(ctx context.Context, row any, p ...Pred) (got any, created bool, err error) {
	got, err = q.get(ctx, p...)
	if err == nil || !errors.Is(err, ErrNotFound) {
		return got, false, err
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
	got, gerr := q.get(ctx, p...)
	switch {
	case gerr == nil:
		return got, false, nil
	case errors.Is(gerr, ErrNotFound):
		return nil, false, err
	}
	return nil, false, errors.Join(err, gerr)
}
