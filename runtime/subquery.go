package runtime

import (
	"fmt"
	"strconv"
)

// Subqueries (issue 16, item 4): a query's keys, or one field of its
// rows, as the values another query's field is tested against, written
// as a subquery of the statement that runs (IN or EXISTS), never read
// first. Like the aggregates, they are generic functions, compiled only
// where a program calls them:
//
//	recent := client.Albums.Filter(db.AlbumReleased.Gte(d))
//	tracks, err := client.Tracks.Filter(runtime.InQuery(db.TrackAlbum, recent)).All(ctx)

// RelationTo is a foreign key followed from model M to rows of model T:
// every Rel, such as db.TrackAlbum.Artist, and the first steps generated
// with T's fields on them, such as db.TrackAlbum.
type RelationTo[M, T any] interface {
	Relation[M]
	Match(p ...Pred[T]) Pred[M]
}

// InQuery matches the rows of M whose relation r refers to one of the
// rows q selects (its primary keys); a NULL key matches nothing. q's
// conditions, order, Limit and Offset apply (a limited q without an order
// takes the first rows by primary key); its SelectRelated and Prefetch
// play no part, and a locked q is refused. q is written into the
// statement that runs, on that statement's connection: q's own client or
// transaction is not used.
func InQuery[M, T any](r RelationTo[M, T], q *Query[T]) Pred[M] {
	var zero M
	p := r.relOf(zero)
	ref := p.fk.Ref
	return Pred[M]{subPred{outer: p.ColRef(), sub: q.q, inner: Col(ref, ref.PK)}}
}

// InValues matches the rows of M whose field f is one of the values of
// field g in the rows q selects, as InQuery does with keys. f and g have
// values of the same Go type V, which the compiler checks; either may be
// reached through a relation. A NULL f matches nothing, nor does a value
// not among g's when g has a NULL among them (NULL IN is unknown), and
// Not keeps both rows, as it keeps every row a condition does not match.
func InValues[M, T, V any](f FieldOf[M, V], q *Query[T], g FieldOf[T, V]) Pred[M] {
	return Pred[M]{subPred{outer: refOf(f), sub: q.q, inner: refOf(g)}}
}

// Exists matches the rows of M for which q selects at least one row whose
// field g equals their field f (a correlated EXISTS): InValues without
// the NULL, true or false for every row. q may not have a Limit or
// Offset, which would limit the rows of q for each row of M: the query
// then fails with ErrInvalidQuery.
func Exists[M, T, V any](f FieldOf[M, V], q *Query[T], g FieldOf[T, V]) Pred[M] {
	return Pred[M]{subPred{outer: refOf(f), sub: q.q, inner: refOf(g), exists: true}}
}

// subPred is the condition of InQuery, InValues and Exists: outer, a
// column reached from the query's model, among the values of inner, a
// column reached from sub's model, in sub's rows.
type subPred struct {
	outer  ColRef
	sub    query
	inner  ColRef
	exists bool // EXISTS (… AND inner = outer), rather than outer IN (SELECT inner …)
}

// limited reports whether the subquery has a Limit or Offset, and is so
// wrapped in a derived table: MySQL refuses LIMIT in an IN subquery.
func (p subPred) limited() bool { return p.sub.hasLimit || p.sub.offset > 0 }

func (p subPred) appendSQL(b *builder) {
	// The subquery's tables get aliases of their own, as EXISTS's do
	// (see existsPred).
	b.subqueries++
	prefix := "s" + strconv.Itoa(b.subqueries)
	outerAlias := b.alias
	pl := joinPlan{alias: map[string]string{"": prefix}}
	if p.sub.where != nil {
		p.sub.where.walkCols(func(r ColRef) { pl.add(r.Path) })
	}
	pl.add(p.inner.Path)
	sub := p.sub
	if p.limited() {
		if len(sub.order) == 0 {
			sub.order = []sortKey{{Ref: Col(sub.t, sub.t.PK)}}
		}
		for _, o := range sub.order {
			pl.add(o.Ref.Path)
		}
	}
	for i, j := range pl.joins {
		pl.alias[j.key] = prefix + "_" + strconv.Itoa(i+1)
	}
	if len(pl.alias) > MaxTables {
		b.fail(fmt.Errorf("%w: a subquery on %s reads %d tables, more than %d (MaxTables)",
			ErrTooComplex, sub.t.Model, len(pl.alias), MaxTables))
		return
	}
	from := func() {
		b.write(" FROM ")
		b.ident(sub.t.Name)
		b.write(" AS ")
		b.write(prefix)
		for _, j := range pl.joins {
			b.join(j)
		}
	}
	if p.exists {
		b.write("EXISTS (SELECT 1")
		b.alias = pl.alias
		from()
		b.write(" WHERE ")
		if sub.where != nil {
			sub.where.appendSQL(b)
			b.write(" AND ")
		}
		b.cmpCol(p.inner)
		b.write(" = ")
		b.alias = outerAlias
		b.col(p.outer)
		b.write(")")
		return
	}
	b.cmpCol(p.outer)
	b.write(" IN (SELECT ")
	if p.limited() {
		b.write("v FROM (SELECT ")
	}
	b.alias = pl.alias
	b.col(p.inner)
	if p.limited() {
		b.write(" AS v")
	}
	from()
	if sub.where != nil {
		b.write(" WHERE ")
		sub.where.appendSQL(b)
	}
	if p.limited() {
		sub.orderLimit(b, -1)
		b.write(") AS ")
		b.write(prefix)
		b.write("_v")
	}
	b.alias = outerAlias
	b.write(")")
}

// walkCols reports only the outer column: the subquery's are its own.
func (p subPred) walkCols(fn func(ColRef)) { fn(p.outer) }
func (p subPred) subquery() bool           { return true }

func (p subPred) args() int {
	if p.sub.where == nil {
		return 0
	}
	return p.sub.where.args()
}
func (p subPred) hasPath() bool { return p.outer.Path != nil }

// An EXISTS is true or false; an IN is NULL for a NULL value, or for a
// value not found among values with a NULL.
func (p subPred) nullable() bool {
	return !p.exists && (p.outer.canBeNull() || p.inner.canBeNull())
}

func (p subPred) depth() int {
	if p.sub.where == nil {
		return 1
	}
	return p.sub.where.depth() + 1
}

func (p subPred) reroot(path *Path) cond {
	p.outer = path.reroot(p.outer)
	return p
}

func (p subPred) check(t *Table) error {
	if err := p.outer.check(t); err != nil {
		return err
	}
	sub := p.sub
	if sub.err != nil {
		return sub.err
	}
	if err := p.inner.check(sub.t); err != nil {
		return err
	}
	if sub.lock != 0 {
		return fmt.Errorf("%w: a subquery on %s is locked: it reads values, not rows", ErrInvalidQuery, sub.t.Model)
	}
	if p.exists && p.limited() {
		return fmt.Errorf("%w: Exists of a query on %s with a Limit or Offset, which would apply to each row; use InValues", ErrInvalidQuery, sub.t.Model)
	}
	for _, r := range []ColRef{p.outer, p.inner} {
		if r.Col.Kind == KindJSON {
			return fmt.Errorf("%w: %s is JSON, which the databases compare differently", ErrInvalidQuery, r.name())
		}
	}
	return nil
}
