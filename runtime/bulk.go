package runtime

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/ormc/ormc/runtime/dialect"
	"github.com/ormc/ormc/runtime/driver"
)

// BulkCreate inserts many rows with as few statements as the dialect
// allows, in one transaction when it takes more than one:
//
//   - PostgreSQL: COPY … FROM STDIN for batches of copyMinRows or more,
//     with the keys drawn from the key column's sequence beforehand;
//     below that, or where the key has no sequence, one INSERT … SELECT
//     FROM unnest($1::type[], …) per batch, one array parameter per
//     column, so that the statement's text and parameter count do not
//     depend on the number of rows;
//   - MySQL and SQLite: one multi-row INSERT … VALUES per batch, under
//     every dialect's limit on bound parameters.
//
// Keys the database assigns come back through RETURNING (PostgreSQL,
// SQLite) or, on MySQL, as the first inserted key plus the row's position
// times auto_increment_increment: InnoDB gives the rows of one multi-row
// INSERT consecutive values in every lock mode.

// maxBulkArgs keeps a multi-row INSERT under every dialect's limit on bound
// parameters (SQLite's is 32766).
const maxBulkArgs = 30000

// maxUnnestRows bounds the rows of one unnest INSERT, so that a huge
// BulkCreate does not build one enormous message.
const maxUnnestRows = 10000

// copyMinRows is the smallest batch loaded with COPY where the database
// has it. COPY costs two round trips more than one unnest INSERT (the
// keys, and COPY's own handshake) and sends less: in bench/'s bulk insert
// with raw pgx, COPY took 1.8× unnest's time at 10 rows, the same at 100,
// and 0.7–0.9× at 1,000.
const copyMinRows = 200

// RowError is the error of one row of a BulkCreate, by its index in the
// slice given. A BulkCreate that fails validation returns one per bad row,
// joined; errors.As finds the first *ValidationError among them.
type RowError struct {
	Row int
	Err error
}

func (e *RowError) Error() string { return fmt.Sprintf("row %d: %v", e.Row, e.Err) }
func (e *RowError) Unwrap() error { return e.Err }

// bulkRows is one group of rows inserted with the same columns.
type bulkRows struct {
	cols []*Column
	rows []any
	vals [][]any // per row, the values of cols
	size []int   // per row, argsBytes of vals, where statements have a byte limit
}

// bulkCreate validates every row, then inserts them all or none.
func (q query) bulkCreate(ctx context.Context, rows []any) error {
	t := q.t
	now := time.Now()
	pk := t.PKColumn()
	stmts := q.db.tableSQL(t)
	// Rows with and without a key of their own go in separate statements,
	// as their column lists differ.
	withKey := bulkRows{cols: t.Columns}
	noKey := bulkRows{cols: stmts.noKeyCols}
	limit := q.db.maxStatementBytes()
	var maxKey int64 // the largest explicit key of an auto-increment column
	var bad []error
	for i, row := range rows {
		fillAuto(t, row, true, now)
		g := &withKey
		if pk.AutoIncrement && isZero(t.Value(row, t.PK)) {
			g = &noKey
		}
		vals := rowArgs(t, row, g.cols, 1) // room for a key COPY draws
		if err := validateArgs(t, g.cols, vals); err != nil {
			bad = append(bad, &RowError{Row: i, Err: err})
			continue
		}
		if limit > 0 {
			n := argsBytes(vals)
			if n > limit-stmtOverhead {
				bad = append(bad, &RowError{Row: i, Err: tooLarge(n, limit)})
				continue
			}
			g.size = append(g.size, n)
		}
		if g == &withKey && pk.AutoIncrement {
			if k, ok := keyInt(t.Value(row, t.PK)); ok {
				maxKey = max(maxKey, k)
			}
		}
		g.rows = append(g.rows, row)
		g.vals = append(g.vals, vals)
	}
	if len(bad) > 0 {
		return opError("bulk create", t.Model, errors.Join(bad...))
	}
	if len(rows) == 0 {
		return nil
	}
	insert := func(db *DB) error {
		if err := db.advanceKeys(ctx, t, maxKey); err != nil {
			return err
		}
		for _, g := range []*bulkRows{&withKey, &noKey} {
			if len(g.rows) == 0 {
				continue
			}
			if err := bulkInsert(ctx, db, t, g, g == &noKey); err != nil {
				return err
			}
		}
		return nil
	}
	// One statement is all or nothing by itself: outside a transaction it
	// needs none, whose BEGIN and COMMIT would cost two round trips more.
	// The keys a COPY draws beforehand do not need one either (a sequence
	// ignores transactions), but a key step (MySQL's) is read on the
	// connection that inserts. Inside a transaction the savepoint stays,
	// so that a failed BulkCreate leaves the transaction usable.
	writes := 0
	for _, g := range []*bulkRows{&withKey, &noKey} {
		writes += len(bulkBatches(q.db, g, limit))
	}
	var err error
	if writes == 1 && q.db.tx == nil && (len(noKey.rows) == 0 || keyStepSQL(q.db.dialect) == "") {
		err = insert(q.db)
	} else {
		err = q.db.Tx(ctx, insert)
	}
	if err != nil {
		// Nothing was stored: the keys of the batches that went in
		// before the failure must not say otherwise.
		for _, row := range noKey.rows {
			_ = setInt(t.Ptr(row, t.PK), 0)
		}
	}
	return opError("bulk create", t.Model, q.db.keysError(withModel(err, t), t))
}

// bulkBatches splits g into the batches that one statement each inserts,
// returning the end of each: as many rows as the dialect's parameter
// limit allows, and, under a limit on a statement's bytes, as fit in it.
func bulkBatches(db *DB, g *bulkRows, limit int) []int {
	rows := maxUnnestRows // COPY's batch too
	switch {
	case len(g.cols) == 0:
		rows = 1 // a row of defaults per statement (insertDefaultRows)
	case db.dialect.BulkInsert() != dialect.UnnestArrays:
		rows = max(1, min(1000, maxBulkArgs/len(g.cols)))
	}
	var ends []int
	start, bytes := 0, 0
	for i := range g.rows {
		if limit > 0 {
			// bulkCreate refused any row larger than the limit alone.
			if i > start && bytes+g.size[i] > limit-stmtOverhead {
				ends = append(ends, i)
				start, bytes = i, 0
			}
			bytes += g.size[i]
		}
		if i+1-start == rows {
			ends = append(ends, i+1)
			start, bytes = i+1, 0
		}
	}
	if start < len(g.rows) {
		ends = append(ends, len(g.rows))
	}
	return ends
}

// bulkInsert inserts one group in batches; assignKeys says whether the
// database assigns the keys, which are then stored in the rows.
func bulkInsert(ctx context.Context, db *DB, t *Table, g *bulkRows, assignKeys bool) error {
	if len(g.cols) == 0 {
		return insertDefaultRows(ctx, db, t, g.rows)
	}
	unnest := db.dialect.BulkInsert() == dialect.UnnestArrays
	step := int64(1)
	if q := keyStepSQL(db.dialect); assignKeys && q != "" {
		if err := db.queryOne(ctx, q, nil, &step); err != nil {
			return err
		}
	}
	copier, _ := db.querier.(driver.Copier)
	start := 0
	for _, end := range bulkBatches(db, g, db.maxStatementBytes()) {
		part := &bulkRows{cols: g.cols, rows: g.rows[start:end], vals: g.vals[start:end]}
		start = end
		if copier != nil && len(part.rows) >= copyMinRows {
			copied, err := copyRows(ctx, db, copier, t, part, assignKeys)
			if err != nil {
				return err
			}
			if copied {
				continue
			}
		}
		b := newBuilder(db.dialect)
		if unnest {
			unnestInsert(b, t, part)
		} else {
			valuesInsert(b, t, part)
		}
		returning := assignKeys && db.dialect.Returning()
		if returning {
			b.write(" RETURNING ")
			b.ident(t.PKColumn().Name)
			err := scanKeys(ctx, db, b.String(), b.args, t, part.rows)
			b.free()
			if err != nil {
				return err
			}
			continue
		}
		res, err := db.exec(ctx, b.String(), b.args)
		b.free()
		if err != nil {
			return err
		}
		if res.RowsAffected != int64(len(part.rows)) {
			return fmt.Errorf("inserted %d rows of %d", res.RowsAffected, len(part.rows))
		}
		if assignKeys {
			for i, row := range part.rows {
				if err := setInt(t.Ptr(row, t.PK), res.LastInsertID+int64(i)*step); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// keyStepSQL is the query for the step between the keys of one multi-row
// INSERT where they are read from the last insert id, or "" where
// RETURNING reads them.
func keyStepSQL(d dialect.Dialect) string {
	if d.Returning() {
		return ""
	}
	return d.KeyStepSQL()
}

// copyRows loads g with c. COPY returns nothing, so keys the database
// would assign are drawn from the key column's sequence first and sent
// with the rows. When the key has no sequence (a table made by other DDL,
// whose key default is an expression), copyRows reports false, having
// written nothing, and the rows must go in another way.
func copyRows(ctx context.Context, db *DB, c driver.Copier, t *Table, g *bulkRows, assignKeys bool) (bool, error) {
	cols := g.cols
	var keys []int64
	if assignKeys {
		kd, ok := db.dialect.(dialect.KeyDrawer)
		if !ok {
			return false, nil
		}
		var err error
		keys, err = drawKeys(ctx, db, kd, t, len(g.rows))
		if err != nil || keys == nil {
			return false, err
		}
		cols = append(slices.Clip(cols), t.PKColumn())
	}
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = c.Name
	}
	// The rows' values are bound in place, each key appended (bulkCreate
	// left room for it): a copy would cost a slice per row.
	rows := g.vals
	for r, vals := range rows {
		for i, v := range vals {
			vals[i] = bindValue(v)
		}
		if keys != nil {
			rows[r] = append(vals, keys[r])
		}
	}
	n, err := db.copyFrom(ctx, c, t.Name, names, rows)
	if err != nil {
		return false, err
	}
	if n != int64(len(rows)) {
		return false, fmt.Errorf("inserted %d rows of %d", n, len(rows))
	}
	if keys != nil {
		for i, row := range g.rows {
			if err := setInt(t.Ptr(row, t.PK), keys[i]); err != nil {
				return false, err
			}
		}
	}
	return true, nil
}

// drawKeys returns n new keys for t's key column, or nil when the column
// has no sequence to draw them from.
func drawKeys(ctx context.Context, db *DB, kd dialect.KeyDrawer, t *Table, n int) ([]int64, error) {
	res, err := db.openRows(ctx, kd.DrawKeysSQL(), []any{dialect.Quote(db.dialect, t.Name), t.PKColumn().Name, n})
	if err != nil {
		return nil, err
	}
	defer res.Close()
	keys := make([]int64, n)
	i := 0
	for res.Next() {
		if i == n {
			return nil, fmt.Errorf("drew more than %d keys", n)
		}
		if err := res.Scan(&keys[i]); err != nil {
			return nil, err
		}
		i++
	}
	if err := res.Err(); err != nil {
		return nil, err
	}
	if i == 0 {
		return nil, res.Close() // no sequence
	}
	if i != n {
		return nil, fmt.Errorf("drew %d keys of %d", i, n)
	}
	return keys, res.Close()
}

// valuesInsert writes INSERT INTO t (cols) VALUES (…), (…), ….
func valuesInsert(b *builder, t *Table, g *bulkRows) {
	b.insertInto(t, g.cols)
	b.write(" VALUES ")
	writeList(b, g.vals, ", ", func(b *builder, vals []any) {
		b.write("(")
		b.argList(vals)
		b.write(")")
	})
}

// unnestInsert writes INSERT INTO t (cols) SELECT * FROM unnest($1::type[],
// …), binding one array of values per column.
func unnestInsert(b *builder, t *Table, g *bulkRows) {
	b.insertInto(t, g.cols)
	b.write(" SELECT * FROM unnest(")
	i := 0 // the column's index in each row of g.vals
	writeList(b, g.cols, ", ", func(b *builder, c *Column) {
		col := make([]any, len(g.vals))
		for r, vals := range g.vals {
			col[r] = bindValue(vals[i])
		}
		i++
		b.args = append(b.args, col)
		b.placeholder(len(b.args))
		b.write("::")
		b.write(b.d.ArrayElemType(c.Kind))
		b.write("[]")
	})
	b.write(")")
}

// scanKeys runs an INSERT … RETURNING and stores the keys in the rows. The
// keys are assigned in ascending order, as the rows were inserted: SQL
// does not promise RETURNING's order, but a table's auto-increment
// sequence only grows.
func scanKeys(ctx context.Context, db *DB, stmt string, args []any, t *Table, rows []any) error {
	res, err := db.openRows(ctx, stmt, args)
	if err != nil {
		return err
	}
	defer res.Close()
	keys := make([]int64, 0, len(rows))
	for res.Next() {
		var k int64
		if err := res.Scan(&k); err != nil {
			return err
		}
		keys = append(keys, k)
	}
	if err := res.Err(); err != nil {
		return err
	}
	if len(keys) != len(rows) {
		return fmt.Errorf("inserted %d rows of %d", len(keys), len(rows))
	}
	slices.Sort(keys)
	for i, row := range rows {
		if err := setInt(t.Ptr(row, t.PK), keys[i]); err != nil {
			return err
		}
	}
	return res.Close()
}

// insertDefaultRows inserts rows of a table whose only column is its
// auto-increment key, one statement each: no multi-row form inserts rows
// of defaults on every dialect, and such tables are small.
func insertDefaultRows(ctx context.Context, db *DB, t *Table, rows []any) error {
	stmt := db.tableSQL(t).insertNoKey
	for _, row := range rows {
		if db.dialect.Returning() {
			if err := db.queryOne(ctx, stmt, nil, t.Ptr(row, t.PK)); err != nil {
				return err
			}
			continue
		}
		res, err := db.exec(ctx, stmt, nil)
		if err != nil {
			return err
		}
		if err := setInt(t.Ptr(row, t.PK), res.LastInsertID); err != nil {
			return err
		}
	}
	return nil
}
