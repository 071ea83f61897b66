package runtime

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/ormc/ormc/runtime/dialect"
)

// Column expressions (issue 16, item 3): a field's new value computed by
// the database from its old one, and conditions that compare two fields
// of the same row. Like the aggregates, they are generic functions, not
// methods of the typed fields: a function is compiled only where a
// program calls it, a method for every field of every model (see
// typed.go):
//
//	n, err := client.Products.Filter(db.ProductID.Eq(id)).UpdateAll(ctx, runtime.Add(db.ProductStock, -1))
//	late, err := client.Orders.Filter(runtime.Compare(db.OrderShipped, runtime.OpGt, db.OrderPlaced)).All(ctx)

// addExpr is the value of an assignment that the database computes:
// the column it is assigned to, plus n.
type addExpr struct {
	n any // an int64, float64 or Decimal
}

// Add returns the assignment f = f + n, which the database computes from
// the value it holds when the statement runs: concurrent Adds to one row
// each count, where reading the value and Setting it would lose some. A
// NULL stays NULL. f is an Integer, BigInteger, Float or Decimal field of
// M's own (a field of another type does not compile); a key, n a value f
// cannot hold, or an Add in GetOrCreate or UpdateOrCreate is refused
// before any SQL. The sum is exact for a Decimal on every database. A
// result outside f's bounds is refused by the database's CHECK
// constraint, a *ConstraintError: it is not known before the statement
// runs.
func Add[M any, V Number](f OrderedOf[M, V], n V) Assignment[M] {
	return Assignment[M]{a: assignment{Ref: refOf[M, V](f), Value: addExpr{n: n}}}
}

// isExpr reports whether a is computed by the database.
func (a assignment) isExpr() bool {
	_, ok := a.Value.(addExpr)
	return ok
}

// hasExpr reports whether some of sets are computed by the database.
func hasExpr(sets []assignment) bool { return slices.ContainsFunc(sets, assignment.isExpr) }

// checkExprs returns the error of an Add to a column that is not a
// number, or is a key (a shifted key refers to another row), or that
// another assignment sets too (which the databases would resolve
// differently: PostgreSQL refuses it, MySQL applies both in turn).
func checkExprs(t *Table, sets []assignment) error {
	for i, a := range sets {
		if !a.isExpr() {
			continue
		}
		c := a.Ref.Col
		for j, o := range sets {
			if j != i && o.Ref.Col == c {
				return fmt.Errorf("%w: %s.%s is assigned twice, once by Add", ErrInvalidQuery, t.Model, c.Field)
			}
		}
		switch c.Kind {
		case KindInteger, KindBigInteger, KindFloat, KindDecimal:
		default:
			return fmt.Errorf("%w: Add to %s.%s, a %s: only numbers are added to", ErrInvalidQuery, t.Model, c.Field, c.Kind.Info().Type)
		}
		if c.Ref != nil || t.isKey(c.Index) {
			return fmt.Errorf("%w: Add to %s.%s, a key: a key plus a number is another row's", ErrInvalidQuery, t.Model, c.Field)
		}
	}
	return nil
}

// refuseExprs returns the error of an Add where no row's value is there
// to add to: a row GetOrCreate or UpdateOrCreate creates.
func refuseExprs(t *Table, sets []assignment) error {
	for _, a := range sets {
		if a.isExpr() {
			return fmt.Errorf("%w: Add to %s.%s: a created row has no value to add to; Set a value", ErrInvalidQuery, t.Model, a.Ref.Col.Field)
		}
	}
	return nil
}

// addend checks n, added to column c: a value c could hold itself (an
// Integer within 32 bits, a finite Float, a Decimal within c's precision
// and scale). The sum's bounds are the database's to check.
func (k *checker) addend(c *Column, n any) {
	if !checkValue(c, n) {
		k.add(c, "addend", "cannot add %s: %s takes %s", describeValue(n), c.Field, expected(c))
	}
}

// setValue writes the value of assignment a in an UPDATE's SET: a
// placeholder, or the expression the database computes.
func (b *builder) setValue(a assignment) {
	if x, ok := a.Value.(addExpr); ok {
		b.plus(a.Ref, x.n)
		return
	}
	b.arg(a.Value)
}

// plus writes ref + n, exactly for a Decimal.
func (b *builder) plus(ref ColRef, n any) {
	c := ref.Col
	if c.Kind != KindDecimal {
		b.col(ref)
		b.write(" + ")
		b.arg(n)
		return
	}
	if fn := b.d.DecimalAdd(); fn != "" {
		// Decimals stored as text, whose + is a float's.
		b.write(fn)
		b.write("(")
		b.col(ref)
		b.write(", ")
		b.arg(n)
		b.write(")")
		return
	}
	// A Decimal bound as text: MySQL's + would read it as a float.
	b.col(ref)
	b.write(" + CAST(")
	b.arg(n)
	b.write(" AS ")
	b.write(b.d.ColumnType(dialect.Type{Kind: c.Kind, Precision: c.MaxDigits, Scale: c.DecimalPlaces}))
	b.write(")")
}

// updateExprs is update with some sets computed by the database: one
// UPDATE writes the other sets' values (applied to row first) and the
// auto_now columns, and computes the Adds, and reads what they computed
// into row: with RETURNING where the dialect has UPDATE … RETURNING,
// else (MySQL, MariaDB) with a SELECT in the same transaction, whose row
// lock, taken by the UPDATE, keeps the value until it ends.
func (q query) updateExprs(ctx context.Context, row any, sets []assignment) error {
	t := q.t
	if err := validateValues(t, sets); err != nil {
		return opError("update", t.Model, err)
	}
	var cols, computed []*Column
	var exprs []assignment
	for _, a := range sets {
		c, err := ownColumn(t, a.Ref)
		if err != nil {
			return opError("update", t.Model, err)
		}
		if t.isKey(c.Index) {
			return opError("update", t.Model, fmt.Errorf("%w: %s.%s is the primary key, which Update does not change", ErrInvalidQuery, t.Model, c.Field))
		}
		if slices.Contains(computed, c) || a.isExpr() && slices.Contains(cols, c) {
			return opError("update", t.Model, fmt.Errorf("%w: %s.%s is assigned twice, once by Add", ErrInvalidQuery, t.Model, c.Field))
		}
		switch {
		case a.isExpr():
			computed, exprs = append(computed, c), append(exprs, a)
		case !slices.Contains(cols, c):
			cols = append(cols, c)
		}
	}
	if err := checkExprs(t, sets); err != nil {
		return opError("update", t.Model, err)
	}
	for _, a := range sets {
		if !a.isExpr() {
			if err := putColumn(t, row, a.Ref.Col, a.Value); err != nil {
				return opError("update", t.Model, err)
			}
		}
	}
	for _, c := range fillAuto(t, row, false, time.Now()) {
		if !slices.Contains(cols, c) && !slices.Contains(computed, c) {
			cols = append(cols, c)
		}
	}
	args := rowArgs(t, row, cols, 0)
	if err := validateArgs(t, cols, args); err != nil {
		return opError("update", t.Model, err)
	}
	b := newBuilder(q.db.dialect)
	defer b.free()
	b.write("UPDATE ")
	b.ident(t.Name)
	b.write(" SET ")
	for i, c := range cols {
		b.assign(c)
		b.arg(args[i])
		b.write(", ")
	}
	writeList(b, exprs, ", ", func(b *builder, a assignment) {
		b.assign(a.Ref.Col)
		b.setValue(a)
	})
	b.write(" WHERE ")
	b.whereRowKey(t, row)
	if q.db.dialect.UpdateReturning() {
		b.write(" RETURNING ")
		b.columns(computed)
		if b.err != nil {
			return opError("update", t.Model, b.err)
		}
		err := q.db.queryOne(ctx, q.db.text.of(b), b.args, ptrs(t, row, computed)...)
		return opError("update", t.Model, q.db.explainRow(ctx, err, t, row, false))
	}
	update, updateArgs := q.db.text.of(b), b.args
	b.buf, b.args = b.buf[:0], nil
	b.write("SELECT ")
	b.columns(computed)
	b.write(" FROM ")
	b.ident(t.Name)
	b.write(" WHERE ")
	b.whereRowKey(t, row)
	if b.err != nil {
		return opError("update", t.Model, b.err)
	}
	read, readArgs := q.db.text.of(b), b.args
	err := q.db.atomically(ctx, func(tx *DB) error {
		res, err := tx.exec(ctx, update, updateArgs)
		if err == nil && res.RowsAffected == 0 {
			err = ErrNotFound
		}
		if err != nil {
			return err
		}
		return tx.queryOne(ctx, read, readArgs, ptrs(t, row, computed)...)
	})
	return opError("update", t.Model, q.db.explainRow(ctx, err, t, row, false))
}

// ---------------------------------------------------------------------------
// Comparisons of two fields

// fieldCmp compares two columns of the same row: a op b, or a op b + n.
type fieldCmp struct {
	a, b ColRef
	op   Op  // OpExact, OpLt, OpLte, OpGt or OpGte
	n    any // nil, or the number added to b (CompareAdd)
}

// Compare matches the rows whose field a compares to their field b as op
// says: OpExact (equal), OpNe, OpLt, OpLte, OpGt or OpGte. Both are fields
// of M (either may be reached through a relation) with values of the same
// Go type V, which the compiler checks. A NULL on either side makes the
// comparison unknown, so the row does not match, as with a value; OpNe is
// Not(Compare(a, OpExact, b)) and so keeps such rows, as Ne(v) keeps a
// NULL. Decimals compare by value, 9.5 equal to 9.50, on every database.
// Any other op makes the query fail with ErrInvalidQuery.
func Compare[M, V any](a OrderedOf[M, V], op Op, b OrderedOf[M, V]) Pred[M] {
	c := fieldCmp{a: refOf[M, V](a), b: refOf[M, V](b), op: op}
	if op == OpNe {
		c.op = OpExact
		return Pred[M]{not(c)}
	}
	return Pred[M]{c}
}

// CompareAdd is Compare of a with b + n, computed by the database, for
// numbers: a op b + n, as in "shipped more than 7 days after placed",
// CompareAdd(db.OrderShippedDay, runtime.OpGt, db.OrderPlacedDay, 7).
// The sum is exact for Decimals, as Add's is; an n that b could not hold
// makes the query fail with an error wrapping ErrLookupValue.
func CompareAdd[M any, V Number](a OrderedOf[M, V], op Op, b OrderedOf[M, V], n V) Pred[M] {
	c := fieldCmp{a: refOf[M, V](a), b: refOf[M, V](b), op: op, n: n}
	if op == OpNe {
		c.op = OpExact
		return Pred[M]{not(c)}
	}
	return Pred[M]{c}
}

func (p fieldCmp) appendSQL(b *builder) {
	b.cmpCol(p.a)
	b.write([...]string{OpExact: " = ", OpLt: " < ", OpLte: " <= ", OpGt: " > ", OpGte: " >= "}[p.op])
	if p.n != nil {
		// The decimal collation of a, the left operand, compares.
		b.plus(p.b, p.n)
		return
	}
	b.cmpCol(p.b)
}

func (p fieldCmp) walkCols(fn func(ColRef)) { fn(p.a); fn(p.b) }
func (p fieldCmp) subquery() bool           { return false }

func (p fieldCmp) args() int {
	if p.n == nil {
		return 0
	}
	return 1
}
func (p fieldCmp) hasPath() bool  { return p.a.Path != nil || p.b.Path != nil }
func (p fieldCmp) nullable() bool { return p.a.canBeNull() || p.b.canBeNull() }
func (p fieldCmp) depth() int     { return 0 }

func (p fieldCmp) check(t *Table) error {
	switch p.op {
	case OpExact, OpLt, OpLte, OpGt, OpGte:
	default:
		return fmt.Errorf("%w: Compare with %s: two fields compare with exact, ne, lt, lte, gt or gte", ErrInvalidQuery, p.op)
	}
	for _, r := range []ColRef{p.a, p.b} {
		if err := r.check(t); err != nil {
			return err
		}
		if p.op != OpExact && r.Col.Kind.Info().NoOrderBy {
			return fmt.Errorf("%w: Compare of %s with %s: the databases order %s values differently",
				ErrInvalidQuery, r.name(), p.op, r.Col.Kind.Info().Type)
		}
	}
	if p.n != nil && !checkValue(p.b.Col, p.n) {
		return valueError(p.b.Path.table(t), p.b.Col, p.b.name()+" + n", p.op, p.n)
	}
	return nil
}

func (p fieldCmp) reroot(path *Path) cond {
	p.a, p.b = path.reroot(p.a), path.reroot(p.b)
	return p
}
