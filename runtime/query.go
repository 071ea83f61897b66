package runtime

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// query is the untyped core of Query: everything but the row type, so that
// the engine's code is compiled once rather than once per model.
type query struct {
	db       *DB
	t        *Table
	where    cond // nil: every row
	order    []sortKey
	limit    int
	hasLimit bool
	offset   int
	related  []*Path  // SelectRelated paths, parents included, sorted by key
	lock     LockMode // 0: no lock (see Lock)
	distinct bool     // Values read each combination once (see Distinct)
	prefetch []*prefetchSpec
	err      error // a deferred error, from Where or a misused method
}

// ErrInvalidQuery is wrapped by the error of a query built with an
// argument no query can have, such as a negative limit.
var ErrInvalidQuery = errors.New("ormc: invalid query")

// ErrTooComplex is wrapped by the error of a query that reads more than
// MaxTables tables or whose condition nests deeper than MaxPredDepth. It
// is returned before any SQL is sent, alike on every database.
var ErrTooComplex = errors.New("ormc: query too complex")

// MaxTables is the most tables one query may read: its model's and those
// it joins to follow foreign keys (lookups, OrderBy and SelectRelated
// across relations; each relation is joined once however often the query
// uses it). MariaDB refuses more than 61 and SQLite more than 64, but
// MariaDB's planner, by default, tries every order of the tables: a chain
// of 14 took it 0.8 s to plan, 18 took 4 s, 20 took 25 s and 61 did not
// finish in 10 minutes. 16 holds on every database, so that a query that
// runs on one runs on all.
const MaxTables = 16

// fail records err, unless an earlier error is recorded: the query then
// fails with it when it runs.
func (q query) fail(err error) query {
	if q.err == nil {
		q.err = err
	}
	return q
}

// Filter returns the query narrowed to rows that match every p.
func (q query) Filter(p ...cond) query {
	for _, x := range p {
		if x == nil {
			continue
		}
		w := x
		if q.where != nil {
			w = and(q.where, x)
		}
		// Before check, which walks x: a hostile depth is refused unread.
		if d := w.depth(); d > MaxPredDepth {
			return q.fail(fmt.Errorf("%w: the condition of a query on %s nests %d levels deep, more than %d (MaxPredDepth)",
				ErrTooComplex, q.t.Model, d, MaxPredDepth))
		}
		if err := x.check(q.t); err != nil {
			return q.fail(err)
		}
		q.where = w
	}
	return q
}

// Exclude returns the query narrowed to rows that do not match all of p.
func (q query) Exclude(p ...cond) query {
	if len(p) == 0 {
		return q
	}
	return q.Filter(not(and(p...)))
}

// Where filters with a seed-style lookup string such as "text__icontains"
// or "album__name__iexact", resolved against the model at run time. An
// unknown field or lookup makes the query fail with a *LookupError when it
// runs.
func (q query) Where(lookup string, value any) query {
	p, err := lookupCond(q.t, lookup, value)
	if err != nil {
		return q.fail(err)
	}
	return q.Filter(p)
}

// OrderBy returns the query ordered by the keys, after any earlier ones.
func (q query) OrderBy(keys ...sortKey) query {
	for _, k := range keys {
		if err := k.Ref.check(q.t); err != nil {
			return q.fail(err)
		}
		if c := k.Ref.Col; c.Kind.Info().NoOrderBy {
			return q.fail(fmt.Errorf("%w: %s.%s cannot order a query: the databases sort %s values differently",
				ErrInvalidQuery, k.Ref.Path.table(q.t).Model, c.Field, c.Kind.Info().Type))
		}
	}
	q.order = append(slices.Clip(q.order), keys...)
	return q
}

// slab returns an allocator for the query's rows, sized by its limit.
func (q query) slab() *slab {
	if q.hasLimit {
		return newSlab(q.t, q.limit)
	}
	return newSlab(q.t, -1)
}

// Limit returns the query limited to at most n rows; a negative n makes
// the query fail with ErrInvalidQuery.
func (q query) Limit(n int) query {
	if n < 0 {
		return q.fail(fmt.Errorf("%w: Limit(%d): a limit cannot be negative", ErrInvalidQuery, n))
	}
	q.limit, q.hasLimit = n, true
	return q
}

// Offset returns the query skipping its first n rows; a negative n makes
// the query fail with ErrInvalidQuery.
func (q query) Offset(n int) query {
	if n < 0 {
		return q.fail(fmt.Errorf("%w: Offset(%d): an offset cannot be negative", ErrInvalidQuery, n))
	}
	q.offset = n
	return q
}

// selectSQL builds the SELECT for the query, with limitOverride when >= 0.
func (q query) selectSQL(limitOverride int) (string, []any, error) {
	pl, err := q.plan()
	if err != nil {
		return "", nil, err
	}
	b := newBuilder(q.db.dialect)
	defer b.free()
	b.alias = pl.alias
	if len(pl.joins) == 0 {
		// No JOIN: the SELECT … FROM is the same for every query on the
		// table, built once per DB.
		b.write(q.db.tableSQL(q.t).selectFrom)
		if q.where != nil {
			b.write(" WHERE ")
			q.where.appendSQL(b)
		}
	} else {
		b.write("SELECT ")
		q.selectColumns(b)
		q.fromWhere(b, pl)
	}
	q.orderLimit(b, limitOverride)
	q.lockClause(b)
	if b.err != nil {
		return "", nil, b.err
	}
	return q.db.text.of(b), b.args, nil
}

// selectColumns writes the model's columns and those of its related rows.
func (q query) selectColumns(b *builder) {
	var p *Path // the path of the columns being written
	col := func(b *builder, c *Column) { b.col(ColRef{Path: p, Col: c}) }
	writeList(b, q.t.Columns, ", ", col)
	for _, p = range q.related {
		b.write(", ")
		writeList(b, p.fk.Ref.Columns, ", ", col)
	}
}

// fromWhere writes FROM, the joins of pl and WHERE; b.alias is pl.alias.
func (q query) fromWhere(b *builder, pl joinPlan) {
	b.write(" FROM ")
	b.ident(q.t.Name)
	b.write(" AS t0")
	for _, p := range pl.joins {
		b.join(p)
	}
	if q.where != nil {
		b.write(" WHERE ")
		q.where.appendSQL(b)
	}
}

// join writes the JOIN that follows the last foreign key of p. Nullable
// keys are LEFT JOINed so that no row of the query's model disappears.
func (b *builder) join(p *Path) {
	if p.nullable() {
		b.write(" LEFT JOIN ")
	} else {
		b.write(" JOIN ")
	}
	ref := p.fk.Ref
	b.ident(ref.Name)
	b.write(" AS ")
	b.write(b.alias[p.key])
	b.write(" ON ")
	b.write(b.alias[p.key])
	b.write(".")
	b.ident(ref.PKColumn().Name)
	b.write(" = ")
	b.write(b.alias[p.parent.Key()])
	b.write(".")
	b.ident(p.fk.Name)
}

// orderLimit writes ORDER BY, LIMIT and OFFSET. Every dialect sorts NULL
// before every value in ascending order (PostgreSQL is told NULLS FIRST),
// and ties are broken by the primary key, so that an ordered query returns
// its rows in the same order everywhere.
func (q query) orderLimit(b *builder, limitOverride int) {
	if len(q.order) > 0 {
		b.write(" ORDER BY ")
		writeList(b, q.order, ", ", (*builder).orderKey)
		if !q.t.composite() {
			q.tieBreak(b, q.t.PKColumn())
		} else {
			for _, k := range q.t.Key {
				q.tieBreak(b, q.t.Columns[k])
			}
		}
	}
	q.limitOffset(b, limitOverride)
}

// tieBreak writes ", pk" after ORDER BY's keys unless they order by key
// column pk already: every column of a composite key, in key order.
func (q query) tieBreak(b *builder, pk *Column) {
	if !slices.ContainsFunc(q.order, func(o sortKey) bool { return o.Ref.Path == nil && o.Ref.Col == pk }) {
		b.write(", ")
		b.col(ColRef{Col: pk})
	}
}

// limitOffset writes LIMIT and OFFSET, with limitOverride when >= 0 and
// below the query's limit.
func (q query) limitOffset(b *builder, limitOverride int) {
	limit, has := q.limit, q.hasLimit
	if limitOverride >= 0 && (!has || limitOverride < limit) {
		limit, has = limitOverride, true
	}
	if has {
		b.write(" LIMIT ")
		b.buf = strconv.AppendInt(b.buf, int64(limit), 10)
	}
	if q.offset > 0 {
		if all := b.d.LimitAll(); !has && all != "" {
			b.write(" LIMIT ")
			b.write(all)
		}
		b.write(" OFFSET ")
		b.buf = strconv.AppendInt(b.buf, int64(q.offset), 10)
	}
}

// orderKey writes one key of ORDER BY.
func (b *builder) orderKey(o sortKey) {
	b.cmpCol(o.Ref)
	if o.Desc {
		b.write(" DESC")
	}
	if b.d.NullsSortLast() && o.Ref.canBeNull() {
		if o.Desc {
			b.write(" NULLS LAST")
		} else {
			b.write(" NULLS FIRST")
		}
	}
}

// fetch returns the rows the query matches (at most limit when >= 0).
func (q query) fetch(ctx context.Context, limit int) ([]any, error) {
	var out []any
	err := q.each(ctx, limit, nil, func(row any) error {
		out = append(out, row)
		return nil
	})
	return out, err
}

// each runs the query and calls fn with each row as it is read: a new row
// from rows, or from t.New when rows is nil.
func (q query) each(ctx context.Context, limit int, rows *slab, fn func(any) error) error {
	if q.err != nil {
		return q.err
	}
	if err := q.checkLock(); err != nil {
		return err
	}
	stmt, args, err := q.selectSQL(limit)
	if err != nil {
		return err
	}
	res, err := q.db.openRows(ctx, stmt, args)
	if err != nil {
		return err
	}
	defer res.Close()
	sc := q.db.scanner(q.t, q.related)
	defer sc.release()
	for res.Next() {
		var row any
		if rows != nil {
			row = rows.next()
		} else {
			row = q.t.New()
		}
		if err := sc.scan(res, row); err != nil {
			return err
		}
		if err := fn(row); err != nil {
			return err
		}
	}
	if err := res.Err(); err != nil {
		return err
	}
	return res.Close()
}

// SelectRelated returns the query fetching the rows its foreign keys refer
// to in the same statement, with JOINs: LEFT JOINs where a key can be
// NULL, so that no row is lost. Following a relation several levels deep
// (track → album → artist) loads every level on the way.
func (q query) SelectRelated(rels ...*Path) query {
	paths := slices.Clone(q.related)
	for _, rp := range rels {
		if rp != nil {
			if err := rp.ColRef().check(q.t); err != nil {
				return q.fail(err)
			}
		}
		for p := rp; p != nil; p = p.parent {
			if !slices.ContainsFunc(paths, func(x *Path) bool { return x.key == p.key }) {
				paths = append(paths, p)
			}
		}
	}
	slices.SortFunc(paths, func(a, b *Path) int { return strings.Compare(a.key, b.key) })
	q.related = paths
	return q
}

// get returns the one row that matches the query and p. It reads up to
// two rows whatever the query's limit, to tell one row from several.
func (q query) get(ctx context.Context, p ...cond) (any, error) {
	var first any
	n := 0
	q.limit, q.hasLimit = 2, true
	err := q.Filter(p...).each(ctx, -1, nil, func(row any) error {
		if n == 0 {
			first = row
		}
		n++
		return nil
	})
	switch {
	case err != nil:
	case n == 0:
		err = ErrNotFound
	case n > 1:
		err = ErrMultipleFound
	default:
		return first, nil
	}
	return nil, opError("get", q.t.Model, err)
}

// first returns the first row the query matches.
func (q query) first(ctx context.Context) (any, error) {
	if len(q.order) == 0 {
		q = q.OrderBy(sortKey{Ref: Col(q.t, q.t.PK)})
	}
	var first any
	err := q.each(ctx, 1, nil, func(row any) error {
		first = row
		return nil
	})
	if err == nil && first == nil {
		err = ErrNotFound
	}
	if err != nil {
		return nil, opError("first", q.t.Model, err)
	}
	return first, nil
}

// Count returns the number of rows the query matches, honouring Limit and
// Offset.
func (q query) Count(ctx context.Context) (int64, error) {
	if q.err != nil {
		return 0, opError("count", q.t.Model, q.err)
	}
	if q.lock != 0 {
		return 0, opError("count", q.t.Model, fmt.Errorf("%w: Count and Exists lock no rows; lock them with All, Get or First", ErrInvalidQuery))
	}
	pl, err := q.plan()
	if err != nil {
		return 0, opError("count", q.t.Model, err)
	}
	b := newBuilder(q.db.dialect)
	defer b.free()
	b.alias = pl.alias
	if q.hasLimit || q.offset > 0 {
		b.write("SELECT COUNT(*) FROM (SELECT t0.")
		b.ident(q.t.PKColumn().Name)
		q.fromWhere(b, pl)
		q.orderLimit(b, -1)
		b.write(") AS sub")
	} else {
		b.write("SELECT COUNT(*)")
		q.fromWhere(b, pl)
	}
	var n int64
	err = b.err
	if err == nil {
		err = q.db.queryOne(ctx, q.db.text.of(b), b.args, &n)
	}
	return n, opError("count", q.t.Model, err)
}

// Exists reports whether the query matches any row, honouring Limit and
// Offset: Limit(0).Exists is false.
func (q query) Exists(ctx context.Context) (bool, error) {
	if !q.hasLimit || q.limit > 1 {
		q.limit, q.hasLimit = 1, true
	}
	n, err := q.Count(ctx)
	return n > 0, err
}

// queryOne runs a query that returns one row and scans it into dest.
func (db *DB) queryOne(ctx context.Context, stmt string, args []any, dest ...any) error {
	rows, err := db.openRows(ctx, stmt, args)
	if err != nil {
		return err
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return err
		}
		return ErrNotFound
	}
	if err := rows.Scan(dest...); err != nil {
		return err
	}
	return rows.Close()
}

// QueryRow runs a query of your own that returns one row and scans it into
// dest; it returns an error wrapping ErrNotFound when there is no row.
// Values are bound as args, never spliced into the SQL.
func (db *DB) QueryRow(ctx context.Context, stmt string, args []any, dest ...any) error {
	return db.queryOne(ctx, stmt, args, dest...)
}
