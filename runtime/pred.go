package runtime

import "strings"

// Path is a chain of foreign keys followed from a query's model, such as
// Track.album → Album.artist. The nil *Path is the model itself. Paths are
// immutable and share their prefixes.
type Path struct {
	parent *Path
	fk     *Column // a foreign key column of the parent's table (or the root's)
	key    string  // "album.artist": identifies the join
	depth  int
}

// Join returns the path extended by the foreign key column fk of the
// path's last table.
func (p *Path) Join(fk *Column) *Path {
	np := &Path{parent: p, fk: fk, key: fk.Field, depth: 1}
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

// ColRef is a column reached through a path.
type ColRef struct {
	Path *Path
	Col  *Column
}

// Col returns a reference to column i of t, on the query's own model.
func Col(t *Table, i int) ColRef { return ColRef{Col: t.Columns[i]} }

// ColAt returns a reference to column i of t reached through path p.
func ColAt(p *Path, t *Table, i int) ColRef { return ColRef{Path: p, Col: t.Columns[i]} }

// RelPath returns the path itself: a *Path is a Relation.
func (p *Path) RelPath() *Path { return p }

// Op is a lookup operator.
type Op uint8

const (
	OpExact Op = iota
	OpIExact
	OpContains
	OpIContains
	OpStartsWith
	OpIStartsWith
	OpEndsWith
	OpIEndsWith
	OpLt
	OpLte
	OpGt
	OpGte
	OpIn
	OpIsNull
	OpNe
)

// lookupNames are the seed-style names of the operators, indexed by Op.
var lookupNames = [...]string{
	OpExact: "exact", OpIExact: "iexact", OpContains: "contains", OpIContains: "icontains",
	OpStartsWith: "startswith", OpIStartsWith: "istartswith", OpEndsWith: "endswith", OpIEndsWith: "iendswith",
	OpLt: "lt", OpLte: "lte", OpGt: "gt", OpGte: "gte", OpIn: "in", OpIsNull: "isnull", OpNe: "ne",
}

func (o Op) String() string { return lookupNames[o] }

// isText reports whether the operator only makes sense on text.
func (o Op) isText() bool { return o >= OpIExact && o <= OpIEndsWith }

// isOrdered reports whether the operator needs an ordered type.
func (o Op) isOrdered() bool { return o >= OpLt && o <= OpGte }

// Pred is a condition on rows: built by the typed fields that ormc
// generates for every model, by Lookup for seed-style strings, and combined
// with And, Or and Not. Preds are immutable.
type Pred interface {
	appendSQL(b *builder)
	walkCols(fn func(ColRef))
	// hasPath reports whether the predicate reaches through a relation.
	hasPath() bool
}

type cmpPred struct {
	ref ColRef
	op  Op
	val any   // the single value
	in  []any // OpIn's values
}

type boolPred struct {
	or    bool
	preds []Pred
}

type notPred struct{ p Pred }

// And matches rows that match every p. And() matches every row.
func And(p ...Pred) Pred { return boolPred{preds: compact(p)} }

// Or matches rows that match at least one p. Or() matches no row.
func Or(p ...Pred) Pred { return boolPred{or: true, preds: compact(p)} }

// Not matches rows that p does not match.
func Not(p Pred) Pred { return notPred{p} }

func compact(ps []Pred) []Pred {
	out := make([]Pred, 0, len(ps))
	for _, p := range ps {
		if p != nil {
			out = append(out, p)
		}
	}
	return out
}

func (p cmpPred) walkCols(fn func(ColRef)) { fn(p.ref) }
func (p boolPred) walkCols(fn func(ColRef)) {
	for _, q := range p.preds {
		q.walkCols(fn)
	}
}
func (p notPred) walkCols(fn func(ColRef)) { p.p.walkCols(fn) }

func (p cmpPred) hasPath() bool { return p.ref.Path != nil }
func (p boolPred) hasPath() bool {
	for _, q := range p.preds {
		if q.hasPath() {
			return true
		}
	}
	return false
}
func (p notPred) hasPath() bool { return p.p.hasPath() }

// likeEscape is the escape character of every LIKE pattern ormc builds. It
// is not a backslash, so that MySQL's string-literal escaping plays no part.
const likeEscape = '!'

// escapeLike escapes the LIKE wildcards and the escape character in s.
func escapeLike(s string) string {
	if !strings.ContainsAny(s, "%_!") {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if r == '%' || r == '_' || r == likeEscape {
			b.WriteRune(likeEscape)
		}
		b.WriteRune(r)
	}
	return b.String()
}
