package runtime

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"strconv"
)

// Aggregates: Count, Sum, Avg, Min and Max over typed fields, of a whole
// query or of its rows grouped by a field (issue 16, item 1). Like the
// projections (values.go), they are generic functions, compiled only where
// a program calls them:
//
//	total, err := runtime.Sum(ctx, client.Orders.Filter(…), db.OrderTotal)
//	byCustomer, err := runtime.GroupBy(ctx, client.Orders, db.OrderCustomer.Name,
//		runtime.SumOf(db.OrderTotal), runtime.SumOf(db.OrderTotal).Gt(db.MustDecimal("100")))
//
// Results are typed, and exact on every database: the sum of an Integer
// is an int64, of a Decimal a Decimal (on SQLite through the exact
// ormc_decimal_sum), of a Float a float64; Min and Max keep the field's
// type; Avg is a float64, or with AvgDecimalOf an exact Decimal. A result
// that SQL makes NULL (no row, or only NULL values) is a Null that is not
// Valid; a count is never NULL.

// Number is the Go types Sum and Avg take: those of the Integer,
// BigInteger, Float and Decimal fields. A field of any other type does
// not compile there.
type Number interface {
	int64 | float64 | Decimal
}

// ErrOutOfRange is wrapped by the error of an aggregate whose exact
// result the Go type cannot hold, such as a sum of Integers beyond int64.
var ErrOutOfRange = errors.New("ormc: aggregate out of range")

// aggFn is an aggregate function.
type aggFn uint8

const (
	aggCount aggFn = iota + 1
	aggCountDistinct
	aggSum
	aggAvg // SUM and COUNT, divided in Go
	aggMin
	aggMax
)

var aggNames = [...]string{aggCount: "count", aggCountDistinct: "count distinct", aggSum: "sum", aggAvg: "avg", aggMin: "min", aggMax: "max"}

// aggregate is the untyped core of Agg.
type aggregate struct {
	fn  aggFn
	ref ColRef
	err error // a deferred error, from building the aggregate
}

// check returns why a cannot run on a query of t.
func (a aggregate) check(t *Table) error {
	if a.err != nil {
		return a.err
	}
	if err := a.ref.check(t); err != nil {
		return err
	}
	switch a.fn {
	case aggSum, aggAvg:
		switch a.ref.Col.Kind {
		case KindInteger, KindBigInteger, KindFloat, KindDecimal:
		default:
			return fmt.Errorf("%w: %s of %s, a %s: only numbers are summed and averaged",
				ErrInvalidQuery, aggNames[a.fn], a.ref.name(), a.ref.Col.Kind.Info().Type)
		}
	case aggMin, aggMax:
		if a.ref.Col.Kind.Info().NoOrderBy {
			return fmt.Errorf("%w: %s of %s: the databases order %s values differently",
				ErrInvalidQuery, aggNames[a.fn], a.ref.name(), a.ref.Col.Kind.Info().Type)
		}
	}
	return nil
}

// appendSQL writes the aggregate's select expressions: one, or for an
// average its sum and its count.
func (a aggregate) appendSQL(b *builder) {
	switch a.fn {
	case aggAvg:
		a.sum(b)
		b.write(", COUNT(")
		b.col(a.ref)
		b.write(")")
	default:
		a.expr(b)
	}
}

// expr writes the aggregate as one expression, for SELECT and HAVING.
func (a aggregate) expr(b *builder) {
	switch a.fn {
	case aggCount:
		b.write("COUNT(")
		b.col(a.ref)
	case aggCountDistinct:
		// The decimal collation makes 9.5 and 9.50 one value on SQLite.
		b.write("COUNT(DISTINCT ")
		b.cmpCol(a.ref)
	case aggSum:
		a.sum(b)
		return
	case aggMin:
		b.write("MIN(")
		b.cmpCol(a.ref)
	case aggMax:
		b.write("MAX(")
		b.cmpCol(a.ref)
	}
	b.write(")")
}

// sum writes SUM(col): on SQLite the exact ormc_decimal_sum, whose sum of
// Decimals is exact text where SUM's is a float, and whose sum of
// Integers beyond int64 is exact where SUM fails.
func (a aggregate) sum(b *builder) {
	if rawRulesOf(b.d).exactSum {
		b.write("ormc_decimal_sum(")
	} else {
		b.write("SUM(")
	}
	b.col(a.ref)
	b.write(")")
}

// ---------------------------------------------------------------------------
// Typed aggregates

// Agg is an aggregate of the rows of model M whose result is a V: the
// value of each group for GroupBy, and of Having's conditions. Make one
// with CountOf, CountDistinctOf, SumOf, AvgOf, AvgDecimalOf, MinOf or
// MaxOf.
type Agg[M, V any] struct {
	a    aggregate
	cell func() aggCell[V]
	_    [0]func() // not comparable
}

// aggCell reads an aggregate's value from its select expressions.
type aggCell[V any] interface {
	dests() []any
	get() (Null[V], error)
}

func refOf[M, V any](f FieldOf[M, V]) ColRef {
	var zero M
	return f.colOf(zero)
}

// CountOf counts the rows whose f is not NULL (every row, for a field
// that cannot be NULL).
func CountOf[M, V any](f FieldOf[M, V]) Agg[M, int64] {
	return Agg[M, int64]{a: aggregate{fn: aggCount, ref: refOf(f)}, cell: newCountCell}
}

// CountDistinctOf counts the distinct values of f, NULL not counted.
func CountDistinctOf[M, V any](f FieldOf[M, V]) Agg[M, int64] {
	return Agg[M, int64]{a: aggregate{fn: aggCountDistinct, ref: refOf(f)}, cell: newCountCell}
}

// SumOf sums f, skipping NULL: an int64 for an Integer, a float64 for a
// Float, an exact Decimal (at the field's scale) for a Decimal; NULL when
// there is no value. A sum of Integers beyond int64 is an error wrapping
// ErrOutOfRange.
func SumOf[M any, V Number](f OrderedOf[M, V]) Agg[M, V] {
	ref := refOf[M, V](f)
	return Agg[M, V]{a: aggregate{fn: aggSum, ref: ref}, cell: func() aggCell[V] { return newSumCell[V](ref) }}
}

// AvgOf averages f, skipping NULL, as a float64: the exact sum divided by
// the count, rounded once to the nearest float64, the same on every
// database; NULL when there is no value.
func AvgOf[M any, V Number](f OrderedOf[M, V]) Agg[M, float64] {
	ref := refOf[M, V](f)
	return Agg[M, float64]{a: aggregate{fn: aggAvg, ref: ref}, cell: func() aggCell[float64] {
		return &avgCell[V, float64]{sum: newSumCell[V](ref)}
	}}
}

// AvgDecimalOf averages an Integer or Decimal f, skipping NULL, as an
// exact Decimal: the exact sum divided by the count (Decimal.Quo), rounded
// half to even to places digits after the point; NULL when there is no
// value.
func AvgDecimalOf[M any, V int64 | Decimal](f OrderedOf[M, V], places int) Agg[M, Decimal] {
	ref := refOf[M, V](f)
	a := aggregate{fn: aggAvg, ref: ref, err: checkRounding(places, RoundHalfEven)}
	return Agg[M, Decimal]{a: a, cell: func() aggCell[Decimal] {
		return &avgCell[V, Decimal]{sum: newSumCell[V](ref), places: places}
	}}
}

// MinOf is the least value of f, NULL skipped, as f's type; NULL when
// there is no value.
func MinOf[M, V any](f OrderedOf[M, V]) Agg[M, V] {
	ref := refOf[M, V](f)
	return Agg[M, V]{a: aggregate{fn: aggMin, ref: ref}, cell: func() aggCell[V] { return &minMaxCell[V]{ref: ref} }}
}

// MaxOf is the greatest value of f, NULL skipped, as f's type; NULL when
// there is no value.
func MaxOf[M, V any](f OrderedOf[M, V]) Agg[M, V] {
	ref := refOf[M, V](f)
	return Agg[M, V]{a: aggregate{fn: aggMax, ref: ref}, cell: func() aggCell[V] { return &minMaxCell[V]{ref: ref} }}
}

// ---------------------------------------------------------------------------
// Whole-query aggregates

// Aggregate returns a over every row q matches.
func Aggregate[M, V any](ctx context.Context, q *Query[M], a Agg[M, V]) (Null[V], error) {
	c := a.cell()
	err := q.q.aggregate(ctx, a.a, c.dests())
	if err == nil {
		var v Null[V]
		v, err = c.get()
		if err == nil {
			return v, nil
		}
	}
	return Null[V]{}, opError(aggNames[a.a.fn], q.q.t.Model, err)
}

// Sum returns the sum of f over the rows q matches (see SumOf).
func Sum[M any, V Number](ctx context.Context, q *Query[M], f OrderedOf[M, V]) (Null[V], error) {
	return Aggregate(ctx, q, SumOf(f))
}

// Avg returns the average of f over the rows q matches, as a float64
// (see AvgOf).
func Avg[M any, V Number](ctx context.Context, q *Query[M], f OrderedOf[M, V]) (Null[float64], error) {
	return Aggregate(ctx, q, AvgOf(f))
}

// AvgDecimal returns the exact average of f over the rows q matches,
// rounded to places (see AvgDecimalOf).
func AvgDecimal[M any, V int64 | Decimal](ctx context.Context, q *Query[M], f OrderedOf[M, V], places int) (Null[Decimal], error) {
	return Aggregate(ctx, q, AvgDecimalOf(f, places))
}

// Min returns the least value of f over the rows q matches.
func Min[M, V any](ctx context.Context, q *Query[M], f OrderedOf[M, V]) (Null[V], error) {
	return Aggregate(ctx, q, MinOf(f))
}

// Max returns the greatest value of f over the rows q matches.
func Max[M, V any](ctx context.Context, q *Query[M], f OrderedOf[M, V]) (Null[V], error) {
	return Aggregate(ctx, q, MaxOf(f))
}

// CountDistinct returns the number of distinct values of f, NULL not
// counted, over the rows q matches.
func CountDistinct[M, V any](ctx context.Context, q *Query[M], f FieldOf[M, V]) (int64, error) {
	n, err := Aggregate(ctx, q, CountDistinctOf(f))
	return n.V, err
}

// aggregate runs SELECT a FROM … WHERE … and scans the row into dest.
func (q query) aggregate(ctx context.Context, a aggregate, dest []any) error {
	if err := q.checkAggregate(); err != nil {
		return err
	}
	if err := a.check(q.t); err != nil {
		return err
	}
	s := selectExprs{paths: pathsOf([]ColRef{a.ref}), list: a.appendSQL}
	stmt, args, err := q.exprSQL(s)
	if err != nil {
		return err
	}
	return q.db.queryOne(ctx, stmt, args, dest...)
}

// checkAggregate refuses what an aggregate of a query cannot honour.
func (q query) checkAggregate() error {
	if q.err != nil {
		return q.err
	}
	if q.hasLimit || q.offset > 0 {
		return fmt.Errorf("%w: aggregates and GroupBy read every row the query matches: they take no Limit or Offset", ErrInvalidQuery)
	}
	return q.checkNoLock()
}

// checkNoLock refuses a locked query: aggregates and projections read
// values, not rows, and lock none (lock them with All, Get or First).
func (q query) checkNoLock() error {
	if q.lock != 0 {
		return fmt.Errorf("%w: aggregates, GroupBy and Values lock no rows; lock them with All, Get or First", ErrInvalidQuery)
	}
	return nil
}

// ---------------------------------------------------------------------------
// Cells

type countCell struct{ n Null[int64] }

func newCountCell() aggCell[int64] { return &countCell{} }

func (c *countCell) dests() []any { return []any{&c.n} }

// get returns the count, 0 for none: COUNT is never NULL.
func (c *countCell) get() (Null[int64], error) { return Some(c.n.V), nil }

// sumCell reads a sum: of a Float as a float64, of Integers and Decimals
// as a Decimal, exactly, whatever each database returns (PostgreSQL's and
// MySQL's numeric, SQLite's integer or text).
type sumCell[V any] struct {
	ref   ColRef
	float bool
	f     Null[float64]
	d     Null[Decimal]
}

func newSumCell[V any](ref ColRef) *sumCell[V] {
	_, float := any(*new(V)).(float64)
	return &sumCell[V]{ref: ref, float: float}
}

func (c *sumCell[V]) dests() []any {
	if c.float {
		return []any{&c.f}
	}
	return []any{&c.d}
}

func (c *sumCell[V]) get() (Null[V], error) {
	var out Null[V]
	switch p := any(&out).(type) {
	case *Null[float64]:
		*p = c.f
	case *Null[int64]:
		if !c.d.Valid {
			break
		}
		n, err := strconv.ParseInt(c.d.V.String(), 10, 64)
		if err != nil {
			return out, fmt.Errorf("%w: the sum of %s is %s, beyond int64", ErrOutOfRange, c.ref.name(), c.d.V)
		}
		*p = Some(n)
	case *Null[Decimal]:
		*p = Null[Decimal]{V: atScale(c.d.V, c.ref.Col), Valid: c.d.Valid}
	}
	return out, nil
}

// rat returns the sum as a big.Rat, and whether it is not NULL.
func (c *sumCell[V]) rat() (*big.Rat, bool) {
	if c.float {
		if !c.f.Valid {
			return nil, false
		}
		r, ok := new(big.Rat).SetString(strconv.FormatFloat(c.f.V, 'g', -1, 64))
		return r, ok
	}
	if !c.d.Valid {
		return nil, false
	}
	return c.d.V.Rat(), true
}

// atScale returns d with the scale of column c's values, so that a sum or
// an extreme of Decimals reads as the same text on every database (SQLite
// keeps each value's own scale).
func atScale(d Decimal, c *Column) Decimal {
	if c.Kind != KindDecimal || c.DecimalPlaces <= 0 || d.Scale() > c.DecimalPlaces {
		return d
	}
	r, err := d.Round(c.DecimalPlaces, RoundHalfEven)
	if err != nil {
		return d
	}
	return r
}

// avgCell reads an average's sum and count and divides them.
type avgCell[V, R any] struct {
	sum    *sumCell[V]
	n      Null[int64]
	places int // of a Decimal result
}

func (c *avgCell[V, R]) dests() []any { return append(c.sum.dests(), &c.n) }

func (c *avgCell[V, R]) get() (Null[R], error) {
	var out Null[R]
	if c.n.V == 0 {
		return out, nil
	}
	switch p := any(&out).(type) {
	case *Null[float64]:
		if c.sum.float {
			*p = Some(c.sum.f.V / float64(c.n.V))
			break
		}
		sum, ok := c.sum.rat()
		if !ok {
			break
		}
		f, _ := sum.Quo(sum, new(big.Rat).SetInt64(c.n.V)).Float64()
		*p = Some(f)
	case *Null[Decimal]:
		if !c.sum.d.Valid {
			break
		}
		d, err := c.sum.d.V.Quo(Decimal{strconv.FormatInt(c.n.V, 10)}, c.places, RoundHalfEven)
		if err != nil {
			return out, err
		}
		*p = Some(d)
	}
	return out, nil
}

// minMaxCell reads a least or greatest value as the field's type.
type minMaxCell[V any] struct {
	ref ColRef
	n   Null[V]
}

func (c *minMaxCell[V]) dests() []any { return []any{nullDestOf(&c.n)} }

func (c *minMaxCell[V]) get() (Null[V], error) {
	if d, ok := any(&c.n).(*Null[Decimal]); ok && d.Valid {
		return any(Some(atScale(d.V, c.ref.Col))).(Null[V]), nil
	}
	return c.n, nil
}
