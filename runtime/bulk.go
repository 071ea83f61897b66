package runtime

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"
)

// maxBulkArgs keeps a multi-row INSERT under every dialect's limit on bound
// parameters (SQLite's is 32766).
const maxBulkArgs = 30000

// bulkCreate validates every row, then inserts them all or none.
func (q query) bulkCreate(ctx context.Context, rows []any) error {
	t := q.t
	now := time.Now()
	for i, row := range rows {
		fillAuto(t, row, true, now)
		if err := validateArgs(t, t.Columns, rowArgs(t, row, t.Columns, 0)); err != nil {
			return opError("bulk create", t.Model, fmt.Errorf("row %d: %w", i, err))
		}
	}
	if len(rows) == 0 {
		return nil
	}
	err := q.db.Tx(ctx, func(tx *DB) error {
		// Rows with and without a key of their own go in separate
		// statements, as their column lists differ.
		var withKey, noKey []any
		pk := t.PKColumn()
		for _, row := range rows {
			if !pk.AutoIncrement || !isZero(t.Value(row, t.PK)) {
				withKey = append(withKey, row)
			} else {
				noKey = append(noKey, row)
			}
		}
		for _, group := range []struct {
			rows    []any
			withKey bool
		}{{withKey, true}, {noKey, false}} {
			if err := bulkInsert(ctx, tx, t, group.rows, group.withKey); err != nil {
				return err
			}
		}
		return nil
	})
	return opError("bulk create", t.Model, withModel(err, t))
}

func bulkInsert(ctx context.Context, db *DB, t *Table, rows []any, withKey bool) error {
	var cols []*Column
	for _, c := range t.Columns {
		if c.Index != t.PK || withKey || !c.AutoIncrement {
			cols = append(cols, c)
		}
	}
	batch := max(1, min(1000, maxBulkArgs/len(cols)))
	for start := 0; start < len(rows); start += batch {
		part := rows[start:min(start+batch, len(rows))]
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
		b.write(") VALUES ")
		for r, row := range part {
			if r > 0 {
				b.write(", ")
			}
			b.write("(")
			for i, c := range cols {
				if i > 0 {
					b.write(", ")
				}
				b.arg(t.Value(row, c.Index))
			}
			b.write(")")
		}
		returning := !withKey && db.dialect.Returning()
		if returning {
			b.write(" RETURNING ")
			b.ident(t.PKColumn().Name)
		}
		if returning {
			if err := scanKeys(ctx, db, b, t, part); err != nil {
				return err
			}
			continue
		}
		res, err := db.exec(ctx, b.String(), b.args)
		if err != nil {
			return err
		}
		if res.RowsAffected != int64(len(part)) {
			return fmt.Errorf("inserted %d rows of %d", res.RowsAffected, len(part))
		}
		if !withKey {
			for i, row := range part {
				if err := setInt(t.Ptr(row, t.PK), res.LastInsertID+int64(i)); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// scanKeys runs an INSERT … RETURNING and stores the keys in order.
func scanKeys(ctx context.Context, db *DB, b *builder, t *Table, rows []any) error {
	res, err := db.query(ctx, b.String(), b.args)
	if err != nil {
		return err
	}
	defer res.Close()
	n := 0
	for res.Next() {
		if n == len(rows) {
			return errors.New("more keys returned than rows inserted")
		}
		if err := res.Scan(t.Ptr(rows[n], t.PK)); err != nil {
			return err
		}
		n++
	}
	if err := res.Err(); err != nil {
		return err
	}
	if n != len(rows) {
		return errors.New("inserted " + strconv.Itoa(n) + " rows of " + strconv.Itoa(len(rows)))
	}
	return res.Close()
}
