package runtime

import (
	"errors"
	"fmt"
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

// RelPath returns the path itself: a *Path is a Relation.
func (p *Path) RelPath() *Path { return p }

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
func (p *Path) ColRef() ColRef { return ColRef{Path: p.parent, Col: p.fk, t: p.from} }

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
