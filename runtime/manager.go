package runtime

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"
)

// tableSQL holds the statements of one table that never change shape,
// built once per DB.
type tableSQL struct {
	selectFrom  string // SELECT every column FROM the table AS t0
	insert      string // every column
	insertNoKey string // every column but an auto-increment key
	updateAll   string // the updatable columns, by key
	delete      string // by key

	noKeyCols []*Column // the columns of insertNoKey
	nonKey    []*Column // the columns updateAll sets: updatable(t)

	scanners sync.Pool // *rowScanner of queries without JOINs
}

func (db *DB) tableSQL(t *Table) *tableSQL {
	if s, ok := db.cache.Load(t); ok {
		return s.(*tableSQL)
	}
	sel := query{db: db, t: t}
	b := newBuilder(db.dialect)
	b.alias = rootAlias
	b.write("SELECT ")
	sel.selectColumns(b)
	b.write(" FROM ")
	b.ident(t.Name)
	b.write(" AS t0")
	s := &tableSQL{selectFrom: b.String(), nonKey: updatable(t)}
	for _, c := range t.Columns {
		if c.Index != t.PK || !c.AutoIncrement {
			s.noKeyCols = append(s.noKeyCols, c)
		}
	}
	s.insert = db.insertSQL(t, t.Columns)
	s.insertNoKey = db.insertSQL(t, s.noKeyCols)
	s.updateAll = db.updateSQL(t, s.nonKey)
	s.delete = db.deleteSQL(t)
	actual, _ := db.cache.LoadOrStore(t, s)
	return actual.(*tableSQL)
}

// insertSQL inserts cols, bound in order.
func (db *DB) insertSQL(t *Table, cols []*Column) string {
	b := newBuilder(db.dialect)
	b.insertInto(t, cols)
	b.write(" VALUES (")
	b.placeholders(len(cols))
	b.write(")")
	if db.dialect.Returning() {
		b.write(" RETURNING ")
		b.ident(t.PKColumn().Name)
	}
	return b.String()
}

// updatable returns the columns an update of every field writes: all but
// the key and the values fixed when the row was created (auto_now_add and
// default(uuid) fields), which only an update naming them changes.
func updatable(t *Table) []*Column {
	var cols []*Column
	for _, c := range t.Columns {
		if c.Index != t.PK && !c.AutoNowAdd && !c.DefaultUUID {
			cols = append(cols, c)
		}
	}
	return cols
}

// updateSQL updates cols by key.
func (db *DB) updateSQL(t *Table, cols []*Column) string {
	b := newBuilder(db.dialect)
	b.write("UPDATE ")
	b.ident(t.Name)
	b.write(" SET ")
	n := 0
	writeList(b, cols, ", ", func(b *builder, c *Column) {
		n++
		b.assign(c)
		b.placeholder(n)
	})
	b.write(" WHERE ")
	b.assign(t.PKColumn())
	b.placeholder(n + 1)
	return b.String()
}

func (db *DB) deleteSQL(t *Table) string {
	b := newBuilder(db.dialect)
	b.write("DELETE FROM ")
	b.ident(t.Name)
	b.write(" WHERE ")
	b.assign(t.PKColumn())
	b.placeholder(1)
	return b.String()
}

// create validates row, inserts it and fills in its key.
func (q query) create(ctx context.Context, row any) error {
	t, db := q.t, q.db
	fillAuto(t, row, true, time.Now())
	pk := t.PKColumn()
	withKey := !pk.AutoIncrement || !isZero(t.Value(row, t.PK))
	stmts := db.tableSQL(t)
	query, cols := stmts.insertNoKey, stmts.noKeyCols
	if withKey {
		query, cols = stmts.insert, t.Columns
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
		err := db.queryOne(ctx, query, args, t.Ptr(row, t.PK))
		return db.keysError(db.explainRow(ctx, err, t, row, false), t)
	}
	res, err := db.exec(ctx, query, args)
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
	query := ""
	if len(fields) == 0 {
		stmts := db.tableSQL(t)
		query, cols = stmts.updateAll, stmts.nonKey
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
		query = db.updateSQL(t, cols)
	}
	args := rowArgs(t, row, cols, 1)
	if err := validateArgs(t, cols, args); err != nil {
		return opError("update", t.Model, err)
	}
	args = append(args, t.Value(row, t.PK))
	res, err := db.exec(ctx, query, args)
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

// load fills sparse references with one query, or with as few as the
// dialect's parameter limit allows: one per MaxParams keys.
func (q query) load(ctx context.Context, refs []loadable) error {
	var keys []any
	seen := map[any]bool{}
	// refKeys[i] is refs[i]'s key as sameKey gives it, when hasKey[i]:
	// worked out once per ref, not again when matching.
	refKeys := make([]any, len(refs))
	hasKey := make([]bool, len(refs))
	for i, r := range refs {
		if k, ok := r.loadKey(); ok {
			sk := sameKey(k)
			refKeys[i], hasKey[i] = sk, true
			if !seen[sk] {
				seen[sk] = true
				keys = append(keys, k)
			}
		}
	}
	if len(keys) == 0 {
		return nil
	}
	t := q.t
	byKey := make(map[any]any, len(keys))
	for chunk := range slices.Chunk(keys, q.db.dialect.MaxParams()) {
		rows, err := q.Filter(cmpPred{ref: Col(t, t.PK), op: OpIn, in: chunk}).fetch(ctx, -1)
		if err != nil {
			return opError("load", t.Model, err)
		}
		for _, row := range rows {
			byKey[sameKey(t.Value(row, t.PK))] = row
		}
	}
	for i, r := range refs {
		if hasKey[i] {
			row, found := byKey[refKeys[i]]
			if !found {
				k, _ := r.loadKey()
				return opError("load", t.Model, fmt.Errorf("%w: no row with key %v", ErrNotFound, k))
			}
			r.loadAny(row)
		}
	}
	return nil
}

// sameKey returns the value by which load matches a reference's key with
// a row's, equal for keys the database finds equal: the key as bound
// (bindKey: an instant in UTC whatever zone it was read in, an enum as a
// string) and a Decimal by its value (9.5 finds 9.50).
func sameKey(k any) any {
	k = bindKey(k)
	if d, ok := k.(Decimal); ok {
		return decimalValue(d.Rat().RatString())
	}
	return k
}

// decimalValue is a Decimal's value as a map key.
type decimalValue string

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
