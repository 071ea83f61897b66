package runtime

import (
	"context"
	"errors"
	"slices"

	"github.com/ormc/ormc/runtime/dialect"
)

// MySQL has no INSERT … ON CONFLICT (target): its ON DUPLICATE KEY UPDATE
// updates the row of whichever unique key collides. Upsert uses it where
// the conflict target is the only key that can collide, and otherwise
// updates the row matching the target and inserts when there is none.
//
// Concurrent upserts of one new key contend for InnoDB's locks on that
// key: the update-then-insert form deadlocks (a search for a missing row
// locks the gap, and the inserts into that gap wait for each other),
// and even a single statement can. A deadlock rolls back the whole
// transaction, so Upsert outside a transaction runs in one of its own and
// runs it again (see DB.atomically); inside the caller's transaction the
// error wraps ErrTxAborted and is the caller's RetryPolicy's to retry.

// upsertMySQL upserts row on MySQL: see upsert.
func (q query) upsertMySQL(ctx context.Context, row any, cols []*Column, vals []any, target, upd, back []*Column, withKey bool) error {
	if q.t.onlyUniqueKey(target, withKey) && duplicateKeySetsKey(q.db.dialect) {
		return q.upsertOnDuplicate(ctx, row, cols, vals, upd, back, withKey)
	}
	return q.upsertByUpdate(ctx, row, cols, vals, target, upd, back, withKey)
}

// duplicateKeySetsKey reports whether ON DUPLICATE KEY UPDATE may assign
// a key column on d (dialect.Profile), which upsertOnDuplicate and a
// many-to-many link do: not behind Vitess.
func duplicateKeySetsKey(d dialect.Dialect) bool {
	p, ok := d.(dialect.Profile)
	return !ok || p.DuplicateKeySetsKey()
}

// onlyUniqueKey reports whether target is the one unique key an insert of
// a row can collide on: with the key given (withKey), the primary key
// when the table has no other unique constraint; with the key left to the
// database, the one unique constraint besides the primary key. A table
// without constraint metadata (written by hand) may have any.
func (t *Table) onlyUniqueKey(target []*Column, withKey bool) bool {
	if len(t.Constraints) == 0 {
		return false
	}
	var pk []string
	for _, c := range t.keyColumns() {
		pk = append(pk, c.Name)
	}
	if withKey && !sameColumns(pk, target) {
		return false
	}
	found := false
	for _, c := range t.Constraints {
		if c.Kind != UniqueViolation || !withKey && slices.Equal(c.Columns, pk) {
			continue
		}
		if !sameColumns(c.Columns, target) {
			return false
		}
		found = true
	}
	return found
}

// upsertOnDuplicate is INSERT … ON DUPLICATE KEY UPDATE, for a conflict
// target that is the only unique key that can collide. Without the key
// (withKey false), pk = LAST_INSERT_ID(pk) makes the database report the
// key of the row updated as well as of the row inserted; the values fixed
// at creation, if any, are read back by key.
func (q query) upsertOnDuplicate(ctx context.Context, row any, cols []*Column, vals []any, upd, back []*Column, withKey bool) error {
	t := q.t
	pk := t.PKColumn()
	nkey := len(t.keyColumns()) // back starts with the key's columns
	b := newBuilder(q.db.dialect)
	defer b.free()
	b.insertInto(t, cols)
	b.write(" VALUES (")
	b.argList(vals)
	b.write(") ON DUPLICATE KEY UPDATE ")
	// The values are bound again rather than read with VALUES(col),
	// which MySQL 8.0.20 deprecates.
	assignValues(b, upd, ", ", cols, vals)
	switch {
	case !withKey:
		if len(upd) > 0 {
			b.write(", ")
		}
		b.assign(pk)
		b.write("LAST_INSERT_ID(")
		b.ident(pk.Name)
		b.write(")")
	case len(upd) == 0:
		b.assign(pk) // SET pk = pk: changes nothing
		b.ident(pk.Name)
	}
	stmt, args := b.String(), b.args
	write := func(db *DB) error {
		res, err := db.exec(ctx, stmt, args)
		if err != nil {
			return err
		}
		if !withKey {
			if err := setInt(t.Ptr(row, t.PK), res.LastInsertID); err != nil {
				return err
			}
		}
		if len(back) == nkey { // the key alone
			return nil
		}
		b := newBuilder(db.dialect)
		defer b.free()
		b.write("SELECT ")
		b.columns(back[nkey:])
		b.write(" FROM ")
		b.ident(t.Name)
		b.write(" WHERE ")
		b.whereKey(t, 1)
		return db.queryOne(ctx, b.String(), t.keyArgs(nil, row), ptrs(t, row, back[nkey:])...)
	}
	if len(back) > nkey {
		return q.db.atomically(ctx, write)
	}
	if q.db.InTx() {
		return write(q.db)
	}
	return writeRetry.run(ctx, q.db.Retryable, func() error { return write(q.db) })
}

// upsertByUpdate upserts on MySQL when another unique key than the
// conflict target may collide, where ON DUPLICATE KEY UPDATE could update
// the wrong row: it updates the row matching the conflict columns and
// inserts when there is none, as one unit (see DB.atomically), trying
// the update again when a concurrent insert of the same row wins the race.
func (q query) upsertByUpdate(ctx context.Context, row any, cols []*Column, vals []any, target, upd, back []*Column, withKey bool) error {
	t := q.t
	if len(upd) == 0 {
		upd = target[:1] // SET col = col: finds the row, changes nothing
	}
	// A key the database assigns conflicts with nothing: insert.
	insertOnly := slices.ContainsFunc(target, func(c *Column) bool { return !slices.Contains(cols, c) })
	return q.db.atomically(ctx, func(tx *DB) error {
		for attempt := 0; ; attempt++ {
			if insertOnly {
				break
			}
			b := newBuilder(tx.dialect)
			b.write("UPDATE ")
			b.ident(t.Name)
			b.write(" SET ")
			assignValues(b, upd, ", ", cols, vals)
			b.write(" WHERE ")
			assignValues(b, target, " AND ", cols, vals)
			res, err := tx.exec(ctx, b.String(), b.args)
			b.free()
			if err != nil {
				return err
			}
			if res.RowsAffected > 0 { // rows matched: the driver reports found rows
				b := newBuilder(tx.dialect)
				b.write("SELECT ")
				b.columns(back)
				b.write(" FROM ")
				b.ident(t.Name)
				b.write(" WHERE ")
				assignValues(b, target, " AND ", cols, vals)
				err := tx.queryOne(ctx, b.String(), b.args, ptrs(t, row, back)...)
				b.free()
				return err
			}
			err = tx.insert(ctx, t, row, vals, withKey)
			var ce *ConstraintError
			if err != nil && attempt == 0 && errors.As(err, &ce) && ce.Kind == UniqueViolation {
				// Inserted concurrently since the update: update it. The
				// violation may be of another key (a table written by
				// hand does not say which key it was): then the update
				// finds nothing again, and the insert fails again.
				continue
			}
			return err
		}
		return tx.insert(ctx, t, row, vals, withKey)
	})
}

// insert runs the INSERT of row on MySQL, with vals bound for every column
// or, without withKey, for all but the auto-increment key, which it then
// sets from the database: read with RETURNING where the dialect has it
// (MariaDB 10.5 and later), as create reads it.
func (db *DB) insert(ctx context.Context, t *Table, row any, vals []any, withKey bool) error {
	stmts := db.tableSQL(t)
	stmt := stmts.insertNoKey
	if withKey {
		stmt = stmts.insert
	}
	if db.dialect.Returning() && !t.composite() {
		return db.queryOne(ctx, stmt, vals, t.Ptr(row, t.PK))
	}
	res, err := db.exec(ctx, stmt, vals)
	if err != nil || withKey {
		return err
	}
	return setInt(t.Ptr(row, t.PK), res.LastInsertID)
}

// assignValues writes col = ? for each of cols, separated by sep, binding
// the value bound for col in an insert of insCols.
func assignValues(b *builder, cols []*Column, sep string, insCols []*Column, vals []any) {
	writeList(b, cols, sep, func(b *builder, c *Column) {
		b.assign(c)
		b.arg(vals[slices.Index(insCols, c)])
	})
}
