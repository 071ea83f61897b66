package runtime

import (
	"context"
	"fmt"
	"slices"
)

// Eager loading of children: a query's Prefetch loads, for every row it
// returns, the rows that refer to it through a foreign key, with one query
// per relation (and per MaxParams keys), nested to any depth.

// Children holds the rows of model C that refer to a row through one
// foreign key, once Prefetch has loaded them: generated rows have one per
// reverse relation, in their Edges (album.Edges.Tracks).
type Children[C any] struct {
	rows   []C
	loaded bool
}

// All returns the rows, in the order the prefetch asked for (by key when
// it named none), or an error wrapping ErrNotLoaded when the query did not
// prefetch them. A row with none has an empty list.
func (c *Children[C]) All() ([]C, error) {
	if !c.loaded {
		return nil, ErrNotLoaded
	}
	return c.rows, nil
}

// Loaded reports whether the rows were prefetched.
func (c *Children[C]) Loaded() bool { return c.loaded }

// setAny stores the rows the engine loaded.
func (c *Children[C]) setAny(rows []any) {
	c.rows = make([]C, len(rows))
	for i, r := range rows {
		c.rows[i] = r.(C)
	}
	c.loaded = true
}

// ChildSlot is implemented by *Children: where the engine stores a row's
// prefetched children. Generated code returns it from the function it
// gives NewMany.
type ChildSlot interface {
	setAny(rows []any)
}

// Prefetch is one relation of model M to load with a query's rows: made
// by a reverse relation's Prefetch (db.AlbumTracks.Prefetch()).
type Prefetch[M any] struct {
	s *prefetchSpec
	_ [0]func() // not comparable: no equality function per model
}

// prefetchSpec is the untyped core of Prefetch. For a many-to-many
// relation, child is the join table and via its column that refers to the
// linked rows, which are read with the join rows, JOINed; where, order
// and related are then on the join table, reaching the linked rows
// through via.
type prefetchSpec struct {
	child   *Table
	fk      *Column
	via     *Column
	slot    func(parent any) ChildSlot
	where   cond
	order   []sortKey
	related []*Path
	nested  []*prefetchSpec
}

// prefetchAll loads the query's prefetches for rows it fetched.
func (q query) prefetchAll(ctx context.Context, rows []any) error {
	return q.loadChildren(ctx, q.t, rows, q.prefetch)
}

// prefetch loads the children each spec names for rows of table t, then
// theirs. It runs one query per spec and MaxParams keys.
func (q query) loadChildren(ctx context.Context, t *Table, rows []any, specs []*prefetchSpec) error {
	if len(rows) == 0 {
		return nil
	}
	for _, s := range specs {
		if s.slot == nil {
			return fmt.Errorf("%w: the relation from %s to %s cannot prefetch (no place for its rows)", ErrInvalidQuery, s.child.Model, t.Model)
		}
		if err := referable(t, s.child); err != nil {
			return err
		}
		var keys []any
		seen := map[any]bool{}
		for _, r := range rows {
			k := t.Value(r, t.PK)
			if sk := sameKey(k); !seen[sk] {
				seen[sk] = true
				keys = append(keys, k)
			}
		}
		// Room for the filter's own arguments in each statement.
		per := q.db.dialect.MaxParams()
		if s.where != nil {
			per -= s.where.args()
		}
		if per < 1 {
			return fmt.Errorf("%w: a prefetch of %s has more arguments than one statement may", ErrTooComplex, s.child.Model)
		}
		byKey := make(map[any][]any, len(keys))
		var children []any
		// The rows are ordered as asked, then by the key of the rows
		// loaded: the child's; or for a many-to-many relation by the
		// parent's key and then the linked row's, the join table's
		// columns, which is each parent's linked rows in their key order
		// and, for a join table keyed by the two, the order of its key,
		// which the database reads without sorting.
		// linked is the table of the rows loaded: the child's, or the
		// one the join rows link to.
		linked := s.child
		order := append(slices.Clip(s.order), sortKey{Ref: Col(s.child, s.child.PK)})
		related := s.related
		if s.via != nil {
			linked = s.via.Ref
			order = append(slices.Clip(s.order), sortKey{Ref: Col(s.child, s.fk.Index)}, sortKey{Ref: Col(s.child, s.via.Index)})
			related = append([]*Path{viaPath(s.child, s.via)}, related...)
		}
		for chunk := range slices.Chunk(keys, per) {
			cq := query{db: q.db, t: s.child}.Filter(keysPred{ref: Col(s.child, s.fk.Index), keys: chunk})
			if s.where != nil {
				cq = cq.Filter(s.where)
			}
			cq = cq.OrderBy(order...).SelectRelated(related...)
			err := cq.each(ctx, -1, cq.slab(), func(c any) error {
				k := sameKey(s.child.Value(c, s.fk.Index))
				if s.via != nil {
					// The join row stands for the row it links to,
					// JOINed with it.
					c = s.child.Link(c, s.via.Index).rowAny()
				}
				byKey[k] = append(byKey[k], c)
				children = append(children, c)
				return nil
			})
			if err != nil {
				return opError("prefetch", linked.Model, err)
			}
		}
		for _, r := range rows {
			kids := byKey[sameKey(t.Value(r, t.PK))]
			if kids == nil {
				kids = []any{}
			}
			s.slot(r).setAny(kids)
			// Each child's reference back is the parent, loaded; a
			// linked row has none.
			if s.child.Link != nil && s.via == nil {
				for _, c := range kids {
					if l := s.child.Link(c, s.fk.Index); l != nil {
						l.loadAny(r)
					}
				}
			}
		}
		if err := q.loadChildren(ctx, linked, children, s.nested); err != nil {
			return err
		}
	}
	return nil
}

// keysPred matches the rows whose column ref holds one of keys, the keys
// of the rows a prefetch loads children for: col IN (…) with a
// placeholder per key, or where the dialect binds arrays of the column's
// kind (PostgreSQL), when the column is an Integer,
// BigInteger, String or Text and the keys plain int64s or strings,
// col = ANY($1) with one array, which PostgreSQL reads as the same IN.
// The statement is then the same for any number of keys, and PostgreSQL
// plans it once, where an IN list of a hundred placeholders is planned
// again at every call (0.1 to 0.2 ms on the server for Prefetch100x10 in
// bench/). Other kinds keep IN, whose placeholders take the column's type
// (an enum, a UUID, a date) without a cast.
type keysPred struct {
	ref  ColRef
	keys []any
}

func (p keysPred) appendSQL(b *builder) {
	if b.d.ArrayElemType(p.ref.Col.Kind) != "" { // the dialect binds arrays (PostgreSQL)
		if arr := keyArray(p.ref.Col.Kind, p.keys); arr != nil {
			b.col(p.ref)
			b.write(" = ANY(")
			b.arg(arr)
			b.write(")")
			return
		}
	}
	cmpPred{ref: p.ref, op: OpIn, in: p.keys}.appendSQL(b)
}

// keyArray returns the keys of a column of kind k as an []int64 or a
// []string, or nil when k is another kind or a key of another type.
func keyArray(k Kind, keys []any) any {
	if len(keys) == 0 {
		return nil
	}
	switch k {
	case KindInteger, KindBigInteger:
		arr := make([]int64, len(keys))
		for i, k := range keys {
			v, ok := k.(int64)
			if !ok {
				return nil
			}
			arr[i] = v
		}
		return arr
	case KindString, KindText:
		arr := make([]string, len(keys))
		for i, k := range keys {
			v, ok := k.(string)
			if !ok {
				return nil
			}
			arr[i] = v
		}
		return arr
	}
	return nil
}

func (p keysPred) walkCols(fn func(ColRef)) { fn(p.ref) }
func (p keysPred) hasPath() bool            { return p.ref.Path != nil }
func (p keysPred) nullable() bool           { return p.ref.canBeNull() }
func (p keysPred) check(t *Table) error     { return p.ref.check(t) }
func (p keysPred) depth() int               { return 1 }
func (p keysPred) reroot(path *Path) cond   { p.ref = path.reroot(p.ref); return p }
func (p keysPred) args() int                { return len(p.keys) }
func (p keysPred) subquery() bool           { return false }

// prefetchOf returns the Prefetch of m's rows, filtered, ordered and with
// nested prefetches; a function, as a method would be compiled per model.
func prefetchOf[M, C any](m *Many[M, C], nested []Prefetch[C]) Prefetch[M] {
	s := &prefetchSpec{child: m.child, fk: m.fk, via: m.via, slot: m.slot, where: m.where, order: m.order, related: m.related}
	for _, n := range nested {
		if n.s != nil {
			s.nested = append(s.nested, n.s)
		}
	}
	return Prefetch[M]{s: s}
}

// Prefetch returns the relation to load with a query's rows: every row of
// C that refers to each (those Where keeps, in the order OrderBy gives, by
// key without one), and for them the nested relations.
//
//go:noinline
func (m *Many[M, C]) Prefetch(nested ...Prefetch[C]) Prefetch[M] { return prefetchOf(m, nested) }

// Where returns the relation with its rows narrowed to those matching
// every p, for Prefetch; Any, None and All ignore it.
//
//go:noinline
func (m *Many[M, C]) Where(p ...Pred[C]) *Many[M, C] {
	n := *m
	cs := conds(p)
	if len(cs) == 0 {
		return &n
	}
	c := childCond(n.child, n.via, cs)
	if n.where != nil {
		c = and(n.where, c)
	}
	n.where = c
	return &n
}

// OrderBy returns the relation with its rows ordered by keys (then by
// primary key), for Prefetch.
//
//go:noinline
func (m *Many[M, C]) OrderBy(keys ...Order[C]) *Many[M, C] {
	n := *m
	n.order = slices.Clip(n.order)
	p := viaPath(n.child, n.via)
	for _, k := range keys {
		k.k.Ref = p.reroot(k.k.Ref)
		n.order = append(n.order, k.k)
	}
	return &n
}

// SelectRelated returns the relation with the rows its relations rels
// lead to loaded with each of its rows, JOINed, for Prefetch: as a
// query's SelectRelated.
//
//go:noinline
func (m *Many[M, C]) SelectRelated(rels ...Relation[C]) *Many[M, C] {
	n := *m
	n.related = slices.Clip(n.related)
	p := viaPath(n.child, n.via)
	var zero C
	for _, r := range rels {
		if r != nil {
			n.related = append(n.related, p.extend(r.relOf(zero)))
		}
	}
	return &n
}
