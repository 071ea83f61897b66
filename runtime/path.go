package runtime

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Path is a chain of foreign keys followed from a query's model, such as
// Track.album → Album.artist. The nil *Path is the model itself. Paths are
// immutable and share their prefixes.
type Path struct {
	parent *Path
	from   *Table  // the table fk belongs to; nil when unknown (see Join)
	fk     *Column // a foreign key column of the parent's table (or the root's)
	key    string  // "album.artist": identifies the join
	depth  int
}

func (p *Path) join(from *Table, fk *Column) *Path {
	np := &Path{parent: p, from: from, fk: fk, key: fk.Field, depth: 1}
	if p != nil {
		np.key = p.key + "." + fk.Field
		np.depth = p.depth + 1
	}
	return np
}

// Table returns the table the path ends at, given the root table.
func (p *Path) table(root *Table) *Table {
	if p == nil {
		return root
	}
	return p.fk.Ref
}

// nullable reports whether any key on the path can be NULL: its JOINs are
// then LEFT JOINs, and the rows they find may be missing.
func (p *Path) nullable() bool {
	for ; p != nil; p = p.parent {
		if p.fk.Null {
			return true
		}
	}
	return false
}

// Key identifies the path; "" for the root.
func (p *Path) Key() string {
	if p == nil {
		return ""
	}
	return p.key
}

// reroot returns r, a column reached from some table, as reached from the
// root of p, whose last step leads to that table. A primary key becomes
// the foreign key that leads to it, which needs no JOIN (see ColAt).
func (p *Path) reroot(r ColRef) ColRef {
	if p == nil {
		return r
	}
	np := p.extend(r.Path)
	if r.t != nil && r.Col == r.t.Columns[r.t.PK] {
		return np.ColRef()
	}
	return ColRef{Path: np, Col: r.Col, t: r.t}
}

// extend returns p followed by the steps of r, a path from the table p
// leads to.
func (p *Path) extend(r *Path) *Path {
	var chain [8]*Path
	steps := chain[:0]
	for s := r; s != nil; s = s.parent {
		steps = append(steps, s)
	}
	np := p
	for i := len(steps) - 1; i >= 0; i-- {
		np = np.join(steps[i].from, steps[i].fk)
	}
	return np
}

// first returns the path's first step, from the query's own table.
func (p *Path) first() *Path {
	for p != nil && p.parent != nil {
		p = p.parent
	}
	return p
}

// ColRef is a column reached through a path.
type ColRef struct {
	Path *Path
	Col  *Column
	t    *Table // the table Col belongs to, when known
}

// Col returns a reference to column i of t, on the query's own model.
//
// It is not inlined: generated code calls Col (and ColAt) once per typed
// field while package variables are initialized, and inlined, each call's
// bounds check would make the package's init function one block per
// field, for every model, which the compiler is slow to build.
//
//go:noinline
func Col(t *Table, i int) ColRef { return ColRef{Col: t.Columns[i], t: t} }

// ColAt returns a reference to column i of t reached through path p,
// which must lead to t. The primary key of the table a path leads to is
// the foreign key that leads there, one step back: album.id through
// track.album is track.album, and needs no JOIN. (Generated code calls
// ColAt while package variables are initialized, before the foreign keys'
// Ref is set, so p's target cannot be asked for.)
//
//go:noinline
func ColAt(p *Path, t *Table, i int) ColRef {
	if p != nil && i == t.PK {
		return p.ColRef()
	}
	return ColRef{Path: p, Col: t.Columns[i], t: t}
}

// ColRef returns the foreign key column the path's last step follows,
// reached through the steps before it: a *Path names its relation's
// column, for Update's fields and Upsert's conflict fields.
func (p *Path) ColRef() ColRef {
	if p == nil {
		return ColRef{} // a zero Rel's: refused as naming no column
	}
	return ColRef{Path: p.parent, Col: p.fk, t: p.from}
}

// Follow returns the path that follows the foreign key r refers to, to
// reach the fields of the row it refers to.
func (r ColRef) Follow() *Path { return r.Path.join(r.t, r.Col) }

// ErrWrongModel is wrapped by the error of a query given a typed field of
// another model, such as Tracks.Filter(db.AlbumID.Eq(2)).
var ErrWrongModel = errors.New("ormc: field of another model")

// hasColumn reports whether c is one of t's columns.
func (t *Table) hasColumn(c *Column) bool {
	return c.Index < len(t.Columns) && t.Columns[c.Index] == c
}

// check returns an error wrapping ErrWrongModel unless r is a column of t
// or reached from t: the path's first key must be a column of t, each
// further key one of the table the previous key refers to, and the column
// one of the path's last table.
func (r ColRef) check(t *Table) error {
	if r.Col == nil {
		return fmt.Errorf("%w: a typed field of no column (a zero value, not one the generated code declares) used in a query on %s", ErrInvalidQuery, t.Model)
	}
	cur := t
	if r.Path != nil {
		var chain [8]*Path
		steps := chain[:0]
		for p := r.Path; p != nil; p = p.parent {
			steps = append(steps, p)
		}
		for i := len(steps) - 1; i >= 0; i-- {
			if !cur.hasColumn(steps[i].fk) {
				return r.wrongModel(t)
			}
			cur = steps[i].fk.Ref
		}
	}
	if !cur.hasColumn(r.Col) {
		return r.wrongModel(t)
	}
	return nil
}

func (r ColRef) wrongModel(t *Table) error {
	owner, name := r.t, r.Col.Field
	if r.Path != nil {
		owner, name = r.Path.first().from, r.Path.key+"."+name
	}
	model := "another model"
	if owner != nil {
		model = owner.Model
		name = owner.Model + "." + name
	}
	return fmt.Errorf("%w: %s (a field of %s) used in a query on %s", ErrWrongModel, name, model, t.Model)
}

// ---------------------------------------------------------------------------
// Join plans

// joinPlan is what one statement of a query joins: worked out once, from
// the paths its condition, ordering and SelectRelated follow, and read by
// every part of the statement that names a table.
type joinPlan struct {
	// alias maps each path's key to its table's alias, "" (the model's
	// own table) to "t0", the others numbered in order of key, so that a
	// parent's number is below its children's. rootAlias when there is
	// no join.
	alias map[string]string
	// joins are the paths to join, each relation once, in order of first
	// use and each after its parent: the order of the JOIN clauses.
	joins []*Path
}

// rootAlias is the alias map of every query without a JOIN; it is never
// written to.
var rootAlias = map[string]string{"": "t0"}

// plan returns the joins of the query's statements. It fails with
// ErrTooComplex when they would read more than MaxTables tables.
func (q query) plan() (joinPlan, error) {
	if !q.usesPaths() {
		return joinPlan{alias: rootAlias}, nil
	}
	pl := joinPlan{alias: map[string]string{"": "t0"}}
	add := func(r ColRef) { pl.add(r.Path) }
	if q.where != nil {
		q.where.walkCols(add)
	}
	for _, o := range q.order {
		pl.add(o.Ref.Path)
	}
	for _, p := range q.related {
		pl.add(p)
	}
	if n := len(pl.alias); n > MaxTables {
		return joinPlan{}, fmt.Errorf("%w: a query on %s reads %d tables (its own and %d joined), more than %d (MaxTables)",
			ErrTooComplex, q.t.Model, n, n-1, MaxTables)
	}
	byKey := slices.Clone(pl.joins)
	slices.SortFunc(byKey, func(a, b *Path) int { return strings.Compare(a.key, b.key) })
	for i, p := range byKey {
		pl.alias[p.key] = "t" + strconv.Itoa(i+1)
	}
	return pl, nil
}

// add plans the joins of p, its parents' first.
func (pl *joinPlan) add(p *Path) {
	if p == nil {
		return
	}
	if _, ok := pl.alias[p.key]; ok {
		return // and so are its parents
	}
	pl.add(p.parent)
	pl.alias[p.key] = "" // numbered once every path is known
	pl.joins = append(pl.joins, p)
}

// usesPaths reports whether the query reaches through any relation.
func (q query) usesPaths() bool {
	if len(q.related) > 0 {
		return true
	}
	for _, o := range q.order {
		if o.Ref.Path != nil {
			return true
		}
	}
	return q.where != nil && q.where.hasPath()
}
