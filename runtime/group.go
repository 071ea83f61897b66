package runtime

import (
	"context"
	"errors"
	"fmt"
)

// Grouping: the rows of a query grouped by the values of a field (or two),
// one aggregate per group, and Having's conditions on aggregates.

// Group is one group of GroupBy: the key's value and the aggregate's.
type Group[K, V any] struct {
	Key   K
	Value Null[V]
}

// Having is a condition on an aggregate of the rows of model M, for
// GroupBy: it keeps the groups that satisfy it.
type Having[M any] struct {
	h havingCond
	_ [0]func() // not comparable
}

// havingCond is the untyped core of Having.
type havingCond struct {
	a   aggregate
	op  Op
	val any
}

func (a Agg[M, V]) having(op Op, v V) Having[M] {
	return Having[M]{h: havingCond{a: a.a, op: op, val: v}}
}

// Eq keeps the groups whose aggregate equals v.
func (a Agg[M, V]) Eq(v V) Having[M] { return a.having(OpExact, v) }

// Gt keeps the groups whose aggregate is greater than v.
func (a Agg[M, V]) Gt(v V) Having[M] { return a.having(OpGt, v) }

// Gte keeps the groups whose aggregate is greater than or equal to v.
func (a Agg[M, V]) Gte(v V) Having[M] { return a.having(OpGte, v) }

// Lt keeps the groups whose aggregate is less than v.
func (a Agg[M, V]) Lt(v V) Having[M] { return a.having(OpLt, v) }

// Lte keeps the groups whose aggregate is less than or equal to v.
func (a Agg[M, V]) Lte(v V) Having[M] { return a.having(OpLte, v) }

// check returns why h cannot filter the groups of a query on t. A group
// whose aggregate is NULL satisfies no condition.
func (h havingCond) check(t *Table) error {
	if err := h.a.check(t); err != nil {
		return err
	}
	if h.a.fn == aggAvg {
		return fmt.Errorf("%w: Having on the average of %s: the databases compute averages differently; compare the sum with the count instead, or filter the groups in Go",
			ErrUnsupported, h.a.ref.name())
	}
	return nil
}

func (h havingCond) appendSQL(b *builder) {
	h.a.expr(b)
	if h.a.ref.Col.Kind == KindDecimal && h.a.fn != aggCount && h.a.fn != aggCountDistinct {
		b.write(b.d.DecimalCollation())
	}
	b.write([...]string{OpExact: " = ", OpLt: " < ", OpLte: " <= ", OpGt: " > ", OpGte: " >= "}[h.op])
	b.arg(h.val)
}

// GroupBy groups the rows q matches by the value of key, a field of M or
// one reached through its relations (db.OrderCustomer.Name), and returns
// each group's key and agg, in order of key (NULL first), keeping the
// groups that satisfy every having:
//
//	groups, err := runtime.GroupBy(ctx, client.Tracks, db.TrackAlbum.Name,
//		runtime.SumOf(db.TrackPrice), runtime.CountOf(db.TrackID).Gt(1))
//
// A key that can be NULL (a nullable field, or one across a nullable
// relation) must be read with Nullable; its NULL rows make one group.
// The query's OrderBy plays no part; a Limit or Offset is refused
// (ErrInvalidQuery).
func GroupBy[M, K, V any](ctx context.Context, q *Query[M], key FieldOf[M, K], agg Agg[M, V], having ...Having[M]) ([]Group[K, V], error) {
	ref := refOf(key)
	kc, err := cellOf(key, ref)
	if err != nil {
		return nil, opError("group by", q.q.t.Model, err)
	}
	ac := agg.cell()
	var out []Group[K, V]
	err = q.q.groupBy(ctx, []ColRef{ref}, agg.a, havings(having), append([]any{kc.dest()}, ac.dests()...), func() error {
		k, err1 := kc.get()
		v, err2 := ac.get()
		out = append(out, Group[K, V]{Key: k, Value: v})
		return errors.Join(err1, err2)
	})
	if err != nil {
		return nil, opError("group by", q.q.t.Model, err)
	}
	return out, nil
}

// GroupBy2 is GroupBy with a key of two fields: a group for each pair of
// values, in order of the first, then the second.
func GroupBy2[M, K1, K2, V any](ctx context.Context, q *Query[M], key1 FieldOf[M, K1], key2 FieldOf[M, K2], agg Agg[M, V], having ...Having[M]) ([]Group[Tuple2[K1, K2], V], error) {
	r1, r2 := refOf(key1), refOf(key2)
	c1, err := cellOf(key1, r1)
	if err != nil {
		return nil, opError("group by", q.q.t.Model, err)
	}
	c2, err := cellOf(key2, r2)
	if err != nil {
		return nil, opError("group by", q.q.t.Model, err)
	}
	ac := agg.cell()
	var out []Group[Tuple2[K1, K2], V]
	dest := append([]any{c1.dest(), c2.dest()}, ac.dests()...)
	err = q.q.groupBy(ctx, []ColRef{r1, r2}, agg.a, havings(having), dest, func() error {
		k1, err1 := c1.get()
		k2, err2 := c2.get()
		v, err3 := ac.get()
		out = append(out, Group[Tuple2[K1, K2], V]{Key: Tuple2[K1, K2]{k1, k2}, Value: v})
		return errors.Join(err1, err2, err3)
	})
	if err != nil {
		return nil, opError("group by", q.q.t.Model, err)
	}
	return out, nil
}

func havings[M any](hs []Having[M]) []havingCond {
	out := make([]havingCond, len(hs))
	for i, h := range hs {
		out[i] = h.h
	}
	return out
}

// groupBy runs SELECT keys, agg FROM … GROUP BY keys HAVING … ORDER BY
// keys and scans each row into dest.
func (q query) groupBy(ctx context.Context, keys []ColRef, agg aggregate, having []havingCond, dest []any, fn func() error) error {
	if err := q.checkAggregate(); err != nil {
		return err
	}
	for _, k := range keys {
		if err := k.check(q.t); err != nil {
			return err
		}
		if k.Col.Kind.Info().NoOrderBy {
			return fmt.Errorf("%w: %s cannot group a query: the databases compare %s values differently",
				ErrInvalidQuery, k.name(), k.Col.Kind.Info().Type)
		}
	}
	if err := agg.check(q.t); err != nil {
		return err
	}
	refs := append([]ColRef{agg.ref}, keys...)
	for _, h := range having {
		if err := h.check(q.t); err != nil {
			return err
		}
		refs = append(refs, h.a.ref)
	}
	order := make([]sortKey, len(keys))
	for i, k := range keys {
		order[i] = sortKey{Ref: k}
	}
	s := selectExprs{
		paths: pathsOf(refs),
		list: func(b *builder) {
			writeList(b, keys, ", ", (*builder).col)
			b.write(", ")
			agg.appendSQL(b)
		},
		group:  keys,
		having: having,
		order:  order,
	}
	stmt, args, err := q.exprSQL(s)
	if err != nil {
		return err
	}
	return q.db.scanEach(ctx, stmt, args, dest, fn)
}

// ---------------------------------------------------------------------------
// SELECT of expressions

// selectExprs is a SELECT of values rather than rows: projections,
// aggregates and groups.
type selectExprs struct {
	paths    []*Path        // the relations the expressions reach through, to join
	list     func(*builder) // writes the select list
	distinct bool           // SELECT DISTINCT
	group    []ColRef       // GROUP BY
	having   []havingCond   // HAVING, ANDed
	order    []sortKey      // ORDER BY, when not rowOrder
	rowOrder bool           // the query's ORDER BY (with its primary key tie-break), LIMIT and OFFSET
	limit    bool           // the query's LIMIT and OFFSET after order
}

// exprSQL builds the statement of s on the query's rows.
func (q query) exprSQL(s selectExprs) (string, []any, error) {
	p := q
	p.related = s.paths
	if !s.rowOrder {
		p.order = s.order
	}
	pl, err := p.plan()
	if err != nil {
		return "", nil, err
	}
	b := newBuilder(q.db.dialect)
	defer b.free()
	b.alias = pl.alias
	b.write("SELECT ")
	if s.distinct {
		b.write("DISTINCT ")
	}
	s.list(b)
	q.fromWhere(b, pl)
	if len(s.group) > 0 {
		b.write(" GROUP BY ")
		writeList(b, s.group, ", ", (*builder).cmpCol)
	}
	if len(s.having) > 0 {
		b.write(" HAVING ")
		writeList(b, s.having, " AND ", func(b *builder, h havingCond) { h.appendSQL(b) })
	}
	if s.rowOrder {
		q.orderLimit(b, -1)
	} else {
		if len(s.order) > 0 {
			b.write(" ORDER BY ")
			writeList(b, s.order, ", ", (*builder).orderKey)
		}
		if s.limit {
			q.limitOffset(b, -1)
		}
	}
	if b.err != nil {
		return "", nil, b.err
	}
	return q.db.text.of(b), b.args, nil
}
