package runtime

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// updateOrCreate writes row to the one row matching p, or creates it.
func (q query) updateOrCreate(ctx context.Context, row any, p []Pred, fields ...Selector) (created bool, err error) {
	err = q.db.Tx(ctx, func(tx *DB) error {
		qt := query{db: tx, t: q.t}
		existing, err := qt.get(ctx, p...)
		switch {
		case errors.Is(err, ErrNotFound):
			created = true
			if err := qt.create(ctx, row); err != nil {
				return opError("create", q.t.Model, withModel(err, q.t))
			}
			return nil
		case err != nil:
			return err
		}
		t := q.t
		if err := setKey(t.Ptr(row, t.PK), t.Value(existing, t.PK)); err != nil {
			return err
		}
		return qt.update(ctx, row, fields...)
	})
	return created, err
}

// upsert inserts row or updates the row it conflicts with.
func (q query) upsert(ctx context.Context, row any, conflict []Selector, update ...Selector) error {
	t, db := q.t, q.db
	if len(conflict) == 0 {
		return opError("upsert", t.Model, errors.New("no conflict fields given"))
	}
	fillAuto(t, row, true, time.Now())
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
	for i, v := range vals {
		if i > 0 {
			b.write(", ")
		}
		b.arg(v)
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
	return opError("upsert", t.Model, db.explainRow(ctx, err, t, row, false))
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
