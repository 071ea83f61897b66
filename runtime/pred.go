package runtime

import (
	"slices"
	"strings"
)

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

// cond is the untyped core of Pred: a condition on rows, built by the typed
// fields, by seed-style lookup strings, and combined with and, or and not.
// conds are immutable.
type cond interface {
	appendSQL(b *builder)
	walkCols(fn func(ColRef))
	// hasPath reports whether the predicate reaches through a relation.
	hasPath() bool
	// nullable reports whether the predicate can be NULL (unknown) for
	// some row, as SQL's three-valued logic makes `col = 1` when col is
	// NULL.
	nullable() bool
	// check returns an error wrapping ErrWrongModel unless every column
	// the predicate reads belongs to t or is reached from it.
	check(t *Table) error
	// depth is how many levels the predicate's SQL nests (see
	// MaxPredDepth), known without walking it.
	depth() int
	// reroot returns the condition on the rows that reach, through path,
	// the rows it holds for (see Rel.Match).
	reroot(path *Path) cond
	// args is how many arguments the condition binds, at most: what a
	// statement that holds it has left for others (Prefetch's keys).
	args() int
	// subquery reports whether the condition holds an EXISTS or a
	// subquery: an UPDATE or DELETE then selects its keys in a derived
	// table, as MySQL wants when a subquery reads the table the
	// statement writes.
	subquery() bool
}

func (p cmpPred) args() int      { return max(1, len(p.in)) }
func (p cmpPred) subquery() bool { return false }

func (p boolPred) args() int {
	n := 0
	for _, q := range p.preds {
		n += q.args()
	}
	return n
}

func (p boolPred) subquery() bool { return slices.ContainsFunc(p.preds, cond.subquery) }

func (p notPred) args() int      { return p.p.args() }
func (p notPred) subquery() bool { return p.p.subquery() }

func (p cmpPred) reroot(path *Path) cond {
	p.ref = path.reroot(p.ref)
	return p
}

func (p boolPred) reroot(path *Path) cond {
	ps := make([]cond, len(p.preds))
	for i, q := range p.preds {
		ps[i] = q.reroot(path)
	}
	return newBool(p.or, ps)
}

func (p notPred) reroot(path *Path) cond { return notPred{p: p.p.reroot(path), d: p.d} }

type cmpPred struct {
	ref ColRef
	op  Op
	val any   // the single value
	in  []any // OpIn's values
}

// boolPred is an And or an Or. A term that is itself a boolPred of the
// same kind is read as its terms, And(And(a, b), c) as a AND b AND c, so
// that a chain of Filter calls is one flat list.
type boolPred struct {
	or     bool
	preds  []cond
	n      int  // the number of terms, read so
	inner  int  // the depth of the deepest term
	nested bool // some of preds are of the same kind
}

type notPred struct {
	p cond
	d int // p's depth + 1
}

// Pred is a condition on rows of model M (the pointer to its Go type, as
// *db.Track): built by the typed fields generated for M, by a relation's
// Match, by Lookup, and combined with And, Or and Not. A Pred of another
// model does not compile where a Pred[M] is wanted. The zero Pred is no
// condition: it matches every row. Preds are immutable.
type Pred[M any] struct{ c cond }

// And matches rows that match every p. And() matches every row.
func And[M any](p ...Pred[M]) Pred[M] { return Pred[M]{newBool(false, conds(p))} }

// Or matches rows that match at least one p. Or() matches no row.
func Or[M any](p ...Pred[M]) Pred[M] { return Pred[M]{newBool(true, conds(p))} }

// Not matches rows that p does not match, including those where p is
// unknown because a column it reads is NULL: Not(rank.Eq(2)) keeps the rows
// whose rank is NULL, as Django's exclude does, where SQL's NOT would drop
// them. Not of the zero Pred, which matches every row, matches none.
func Not[M any](p Pred[M]) Pred[M] { return Pred[M]{not(p.c)} }

// conds returns the conditions of ps, leaving out zero Preds.
func conds[M any](ps []Pred[M]) []cond {
	out := make([]cond, 0, len(ps))
	for _, p := range ps {
		if p.c != nil {
			out = append(out, p.c)
		}
	}
	return out
}

func and(p ...cond) cond { return newBool(false, p) }

func newBool(or bool, ps []cond) boolPred {
	b := boolPred{or: or, preds: compact(ps)}
	for _, q := range b.preds {
		if c, ok := q.(boolPred); ok && c.or == or {
			b.nested = true
			b.n += c.n
			b.inner = max(b.inner, c.inner)
		} else {
			b.n++
			b.inner = max(b.inner, q.depth())
		}
	}
	return b
}

// not negates p (see Not); a nil p, like and(), matches every row, so
// not(nil) matches none.
func not(p cond) cond {
	if p == nil {
		p = and()
	}
	if b, ok := p.(boolPred); ok && len(b.preds) == 1 {
		p = b.preds[0] // And(p) is p (Exclude's)
	}
	if e, ok := p.(existsPred); ok {
		// EXISTS is never unknown: its negation is NOT EXISTS, which
		// behind Vitess can be written in a form vtgate plans (None).
		e.none = !e.none
		return e
	}
	return notPred{p: p, d: p.depth() + 1}
}

func compact(ps []cond) []cond {
	out := make([]cond, 0, len(ps))
	for _, p := range ps {
		if p != nil {
			out = append(out, p)
		}
	}
	return out
}

// MaxPredDepth is how many levels deep a query's condition may nest; a
// deeper one makes the query fail with ErrTooComplex before any SQL is
// sent. Each Not is one level, and an And or Or of n terms ⌈log₂ n⌉
// levels (ormc writes a list as a balanced tree: 10,000 terms are 14
// levels), over the deepest of its terms; a comparison is none. An And
// directly inside an And (an Or inside an Or) adds no level: a chain of
// Filter calls is one list. 100 levels stay well inside what every
// database parses: SQLite refuses an expression about 1,000 deep (each Not
// is two), MariaDB runs out of stack at about 470 Nots.
const MaxPredDepth = 100

func (p cmpPred) depth() int { return 0 }
func (p boolPred) depth() int {
	d := p.inner
	for n := 1; n < p.n; n *= 2 {
		d++
	}
	return d
}
func (p notPred) depth() int { return p.d }

// each calls fn with each term of p, read as a flat list, until fn
// returns false. It keeps a stack of its own rather than recurse, since a
// chain of Filter calls nests one And per call.
func (p boolPred) each(fn func(cond) bool) bool {
	stack := [][]cond{p.preds}
	for len(stack) > 0 {
		top := stack[len(stack)-1]
		if len(top) == 0 {
			stack = stack[:len(stack)-1]
			continue
		}
		stack[len(stack)-1] = top[1:]
		if c, ok := top[0].(boolPred); ok && c.or == p.or {
			stack = append(stack, c.preds)
		} else if !fn(top[0]) {
			return false
		}
	}
	return true
}

func (p cmpPred) walkCols(fn func(ColRef)) { fn(p.ref) }
func (p boolPred) walkCols(fn func(ColRef)) {
	p.each(func(q cond) bool { q.walkCols(fn); return true })
}
func (p notPred) walkCols(fn func(ColRef)) { p.p.walkCols(fn) }

func (p cmpPred) hasPath() bool { return p.ref.Path != nil }
func (p boolPred) hasPath() bool {
	return !p.each(func(q cond) bool { return !q.hasPath() })
}
func (p notPred) hasPath() bool { return p.p.hasPath() }

func (p cmpPred) check(t *Table) error {
	if err := p.ref.check(t); err != nil {
		return err
	}
	return p.checkValues(t)
}

// checkValues returns the *LookupError of a typed predicate's value that
// its column cannot hold (NaN, an Integer beyond 32 bits, an invalid
// date; see checkValue), spelling the predicate as its seed-style lookup.
func (p cmpPred) checkValues(root *Table) error {
	bad := func(v any) error {
		lookup := p.ref.Col.Field + "__" + p.op.String()
		if k := p.ref.Path.Key(); k != "" {
			lookup = strings.ReplaceAll(k, ".", "__") + "__" + lookup
		}
		return valueError(p.ref.Path.table(root), p.ref.Col, lookup, p.op, v)
	}
	switch {
	case p.op == OpIsNull:
	case p.op == OpIn:
		for _, v := range p.in {
			if v != nil && !checkValue(p.ref.Col, v) {
				return bad(v)
			}
		}
	case p.val != nil && !checkValue(p.ref.Col, p.val):
		return bad(p.val)
	}
	return nil
}
func (p boolPred) check(t *Table) error {
	var err error
	p.each(func(q cond) bool {
		err = q.check(t)
		return err == nil
	})
	return err
}
func (p notPred) check(t *Table) error { return p.p.check(t) }

// canBeNull reports whether the column can read as NULL: a nullable column,
// or any column reached through a nullable foreign key (a LEFT JOIN).
func (r ColRef) canBeNull() bool { return r.Col.Null || r.Path.nullable() }

func (p cmpPred) nullable() bool {
	switch p.op {
	case OpIsNull, OpNe:
		return false // IS [NOT] NULL, and ne says OR col IS NULL itself
	case OpExact:
		return p.val != nil && p.ref.canBeNull()
	}
	return p.ref.canBeNull()
}

func (p boolPred) nullable() bool {
	return !p.each(func(q cond) bool { return !q.nullable() })
}

// A negation is never NULL: see notPred.appendSQL.
func (p notPred) nullable() bool { return false }

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
