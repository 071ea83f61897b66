package runtime

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// GetOrCreate returns the one row matching p, or creates row when there is
// none. created says which happened. When a concurrent caller creates the
// row first (a unique violation), the existing row is returned.
func (m *Manager[T]) GetOrCreate(ctx context.Context, row *T, p ...Pred) (got *T, created bool, err error) {
	got, err = m.Get(ctx, p...)
	if err == nil || !errors.Is(err, ErrNotFound) {
		return got, false, err
	}
	got, err = m.Create(ctx, row)
	var ce *ConstraintError
	if errors.As(err, &ce) && ce.Kind == UniqueViolation {
		got, err = m.Get(ctx, p...)
		return got, false, err
	}
	return got, err == nil, err
}

// UpdateOrCreate writes the named fields of row (every field when none is
// named) to the one row matching p, or creates row when there is none. On
// update, row's primary key is set to the matched row's.
func (m *Manager[T]) UpdateOrCreate(ctx context.Context, row *T, p []Pred, fields ...Selector) (created bool, err error) {
	err = m.db.Tx(ctx, func(tx *DB) error {
		mt := NewManager[T](tx, m.t)
		existing, err := mt.Get(ctx, p...)
		switch {
		case errors.Is(err, ErrNotFound):
			created = true
			_, err = mt.Create(ctx, row)
			return err
		case err != nil:
			return err
		}
		t := m.t
		if err := setKey(t.Ptr(row, t.PK), t.Value(existing, t.PK)); err != nil {
			return err
		}
		return mt.Update(ctx, row, fields...)
	})
	return created, err
}

// Upsert inserts row, or, when a row with the same values in the conflict
// fields (a unique constraint or the primary key) exists, updates that
// row's update fields (every field but the key and the conflict fields
// when none is named). row's primary key is set to the written row's.
func (m *Manager[T]) Upsert(ctx context.Context, row *T, conflict []Selector, update ...Selector) error {
	t, db := m.t, m.db
	if len(conflict) == 0 {
		return opError("upsert", t.Model, errors.New("no conflict fields given"))
	}
	fillAuto(t, row, true, time.Now())
	if err := validate(t, row, nil); err != nil {
		return opError("upsert", t.Model, err)
	}
	pk := t.PKColumn()
	withKey := !pk.AutoIncrement || !isZero(t.Value(row, t.PK))
	var cols []*Column
	for _, c := range t.Columns {
		if c.Index != t.PK || withKey {
			cols = append(cols, c)
		}
	}
	isConflict := map[*Column]bool{}
	for _, s := range conflict {
		isConflict[s.ColRef().Col] = true
	}
	var upd []*Column
	if len(update) == 0 {
		for _, c := range cols {
			if c.Index != t.PK && !isConflict[c] {
				upd = append(upd, c)
			}
		}
	} else {
		for _, s := range update {
			upd = append(upd, s.ColRef().Col)
		}
	}
	b := newBuilder(db.dialect)
	b.write("INSERT INTO ")
	b.ident(t.Name)
	b.write(" (")
	for i, c := range cols {
		if i > 0 {
			b.write(", ")
		}
		b.ident(c.Name)
	}
	b.write(") VALUES (")
	for i, c := range cols {
		if i > 0 {
			b.write(", ")
		}
		b.arg(t.Value(row, c.Index))
	}
	b.write(")")
	mysql := !db.dialect.Returning()
	if mysql {
		// LAST_INSERT_ID(key) makes the driver report the updated row's key.
		b.write(" ON DUPLICATE KEY UPDATE ")
		b.ident(pk.Name)
		b.write(" = LAST_INSERT_ID(")
		b.ident(pk.Name)
		b.write(")")
		for _, c := range upd {
			b.write(", ")
			b.ident(c.Name)
			b.write(" = VALUES(")
			b.ident(c.Name)
			b.write(")")
		}
	} else {
		b.write(" ON CONFLICT (")
		for i, s := range conflict {
			if i > 0 {
				b.write(", ")
			}
			b.ident(s.ColRef().Col.Name)
		}
		b.write(") DO UPDATE SET ")
		if len(upd) == 0 {
			// Nothing to change, but RETURNING needs the row: a no-op update.
			upd = []*Column{conflict[0].ColRef().Col}
		}
		for i, c := range upd {
			if i > 0 {
				b.write(", ")
			}
			b.ident(c.Name)
			b.write(" = EXCLUDED.")
			b.ident(c.Name)
		}
		b.write(" RETURNING ")
		b.ident(pk.Name)
	}
	var err error
	if mysql {
		var res Result
		res, err = db.exec(ctx, b.String(), b.args)
		if err == nil && !withKey {
			err = setInt(t.Ptr(row, t.PK), res.LastInsertID)
		}
	} else {
		err = db.queryOne(ctx, b.String(), b.args, t.Ptr(row, t.PK))
	}
	return opError("upsert", t.Model, withModel(err, t))
}

// setKey copies a key value into the pointer to a row's key field.
func setKey(ptr, v any) error {
	switch p := ptr.(type) {
	case *int64:
		*p = v.(int64)
	case *string:
		*p = v.(string)
	case *UUID:
		*p = v.(UUID)
	default:
		if n, ok := v.(int64); ok {
			return setInt(ptr, n)
		}
		return fmt.Errorf("cannot copy a key into %T", ptr)
	}
	return nil
}
