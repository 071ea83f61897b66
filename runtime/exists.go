package runtime

import (
	"fmt"
	"strconv"

	"github.com/ormc/ormc/runtime/dialect"
)

// Conditions across the reverse side of a foreign key: the rows of a
// model that some (or no) row referring to them matches. They are written
// as EXISTS subqueries, never as JOINs, so that a row with several
// matching children still comes back once.

// existsPred matches the rows that have (or, with none, do not have) a
// child row matching inner: a row of child whose foreign key fk refers to
// the row's key. outer is that key, as reached from the query's model.
type existsPred struct {
	// parent is the table whose rows are matched, whose key outer is
	// (or, rerooted through a relation, the foreign key that refers to it).
	parent *Table
	outer  ColRef
	child  *Table
	fk     *Column
	inner  cond // nil: any child
	none   bool
}

func (p existsPred) appendSQL(b *builder) {
	// The subquery's own tables get aliases of their own (s1, s1_1, …),
	// numbered by how many subqueries the statement has so far, so that
	// a subquery inside another never reuses an outer alias.
	if err := referable(p.parent, p.child); err != nil {
		b.fail(err)
		return
	}
	b.subqueries++
	prefix := "s" + strconv.Itoa(b.subqueries)
	outerAlias := b.alias
	pl := subPlan(p.inner, prefix)
	if len(pl.alias) > MaxTables {
		b.fail(fmt.Errorf("%w: a condition on %s's rows reads %d tables, more than %d (MaxTables)",
			ErrTooComplex, p.child.Model, len(pl.alias), MaxTables))
		return
	}
	from := func() {
		b.ident(p.child.Name)
		b.write(" AS ")
		b.write(prefix)
		b.alias = pl.alias
		for _, j := range pl.joins {
			b.join(j)
		}
		b.write(" WHERE ")
	}
	fk := func() {
		b.write(prefix)
		b.write(".")
		b.ident(p.fk.Name)
	}
	if p.none && !negatedExists(b.d) && !p.outer.canBeNull() {
		// outer NOT IN (SELECT fk … WHERE inner AND fk IS NOT NULL): the
		// same rows as NOT EXISTS where outer is never NULL, and a form
		// vtgate plans over shards (uncorrelated: it runs the subquery
		// first).
		b.col(p.outer)
		b.write(" NOT IN (SELECT ")
		fk()
		b.write(" FROM ")
		from()
		if p.inner != nil {
			p.inner.appendSQL(b)
			b.write(" AND ")
		}
		fk()
		b.write(" IS NOT NULL)")
		b.alias = outerAlias
		return
	}
	if p.none {
		b.write("NOT ")
	}
	b.write("EXISTS (SELECT 1 FROM ")
	from()
	fk()
	b.write(" = ")
	b.alias = outerAlias
	b.col(p.outer)
	if p.inner != nil {
		b.alias = pl.alias
		b.write(" AND ")
		p.inner.appendSQL(b)
	}
	b.alias = outerAlias
	b.write(")")
}

// negatedExists reports whether d plans NOT EXISTS of a correlated
// subquery (dialect.Profile): vtgate does not over a sharded keyspace.
func negatedExists(d dialect.Dialect) bool {
	p, ok := d.(dialect.Profile)
	return !ok || p.NegatedExists()
}

// subPlan returns the joins a subquery's condition needs, its own table
// aliased prefix and each joined one prefix_n.
func subPlan(c cond, prefix string) joinPlan {
	pl := joinPlan{alias: map[string]string{"": prefix}}
	if c != nil {
		c.walkCols(func(r ColRef) { pl.add(r.Path) })
	}
	for i, p := range pl.joins {
		pl.alias[p.key] = prefix + "_" + strconv.Itoa(i+1)
	}
	return pl
}

// walkCols reports only the outer key: the subquery's columns are its own.
func (p existsPred) walkCols(fn func(ColRef)) { fn(p.outer) }
func (p existsPred) hasPath() bool            { return p.outer.Path != nil }

// An EXISTS is true or false, never NULL.
func (p existsPred) nullable() bool { return false }

func (p existsPred) check(t *Table) error {
	if err := p.outer.check(t); err != nil {
		return err
	}
	if p.inner != nil {
		return p.inner.check(p.child)
	}
	return nil
}

func (p existsPred) depth() int {
	if p.inner == nil {
		return 1
	}
	return p.inner.depth() + 1
}

func (p existsPred) reroot(path *Path) cond {
	p.outer = path.reroot(p.outer)
	return p
}

// referable returns an error when parent has a composite key, which no
// foreign key of child can refer to: the compiler refuses such a
// relation, so no generated Many has such a parent, and one written by
// hand would compare one column of the key (in Any and in Prefetch).
func referable(parent, child *Table) error {
	if parent == nil || !parent.composite() {
		return nil
	}
	return fmt.Errorf("%w: %s's primary key has %d columns; no foreign key of %s refers to it",
		ErrInvalidQuery, parent.Model, len(parent.Key), child.Model)
}

func (p existsPred) subquery() bool { return true }

func (p existsPred) args() int {
	if p.inner == nil {
		return 0
	}
	return p.inner.args()
}

// Many is the reverse side of a foreign key: the rows of model C that
// refer to a row of model M (an Author's Books, through Book.author).
// Generated code declares one per foreign key (db.AuthorBooks), and one
// per side of a many-to-many relation (db.PostTags, db.TagPosts), whose
// rows are linked through the rows of a join table.
type Many[M, C any] struct {
	outer ColRef // M's key, as reached from M
	child *Table // C's table, or the join table of a many-to-many relation
	fk    *Column
	// via is the join table's column that refers to C's rows, for a
	// many-to-many relation; nil when child is C's table.
	via *Column
	// unfillable is the first field of the join table that linking rows
	// (Members.Add) cannot fill in: not nullable, with no default and
	// not set by the database; "" when there is none.
	unfillable string
	slot       func(parent any) ChildSlot // where a row's prefetched children go
	where      cond                       // Prefetch's filter (Where)
	order      []sortKey                  // and order (OrderBy)
	related    []*Path                    // and relations of C to load with them (SelectRelated)
}

// NewMany returns the reverse side of foreign key column fk of table
// child, which refers to rows of parent; slot returns where a parent row
// keeps its prefetched children (nil: they cannot be prefetched).
func NewMany[M, C any](parent *Table, child *Table, fk int, slot func(parent any) ChildSlot) Many[M, C] {
	return Many[M, C]{outer: Col(parent, parent.PK), child: child, fk: child.Columns[fk], slot: slot}
}

// NewManyThrough returns a many-to-many relation of parent's rows: the
// rows of C that rows of table join link to them, whose column fk refers
// to parent and column via to C's table. unfillable names the first field
// of join that linking rows cannot fill in ("" for none: Members.Add
// refuses to link rows otherwise); slot is as for NewMany.
func NewManyThrough[M, C any](parent, join *Table, fk, via int, unfillable string, slot func(parent any) ChildSlot) Many[M, C] {
	return Many[M, C]{outer: Col(parent, parent.PK), child: join, fk: join.Columns[fk], via: join.Columns[via],
		unfillable: unfillable, slot: slot}
}

// viaPath returns the path from the join table of a many-to-many
// relation to the linked rows; nil for a foreign key's reverse side.
func viaPath(child *Table, via *Column) *Path {
	if via == nil {
		return nil
	}
	return (*Path)(nil).join(child, via)
}

// childCond returns the condition on the rows of child that cs, conditions
// on the linked rows, put: as they are for a foreign key's reverse side,
// reached through via on a join table. nil for none.
func childCond(child *Table, via *Column, cs []cond) cond {
	if p := viaPath(child, via); p != nil {
		for i, c := range cs {
			cs[i] = c.reroot(p)
		}
	}
	switch len(cs) {
	case 0:
		return nil
	case 1:
		return cs[0]
	}
	return and(cs...)
}

// existsOf is a function, not a method: a method would be compiled once
// per model, called or not.
func existsOf[M, C any](m *Many[M, C], p []Pred[C], none bool) Pred[M] {
	inner := childCond(m.child, m.via, conds(p))
	return Pred[M]{existsPred{parent: m.outer.t, outer: m.outer, child: m.child, fk: m.fk, inner: inner, none: none}}
}

// Any matches the rows of M that at least one row of C refers to and
// matches every p (with no p: that any row refers to). Each row comes back
// once, however many of its C rows match.
//
//go:noinline
func (m *Many[M, C]) Any(p ...Pred[C]) Pred[M] { return existsOf(m, p, false) }

// None matches the rows of M that no row of C referring to them matches
// (with no p: that no row refers to).
//
//go:noinline
func (m *Many[M, C]) None(p ...Pred[C]) Pred[M] { return existsOf(m, p, true) }

// All matches the rows of M whose every referring row of C matches all of
// p, a row with none included: None of the rows where p does not hold,
// where a row for which p is unknown (a NULL) does not hold.
//
//go:noinline
func (m *Many[M, C]) All(p ...Pred[C]) Pred[M] {
	// With no p, not(nil) matches no child, so every row of M holds.
	inner := not(childCond(m.child, m.via, conds(p)))
	return Pred[M]{existsPred{parent: m.outer.t, outer: m.outer, child: m.child, fk: m.fk, inner: inner, none: true}}
}
