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

// Pred is a condition on rows: built by the typed fields that ormc
// generates for every model, by Lookup for seed-style strings, and combined
// with And, Or and Not. Preds are immutable.
type Pred interface {
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

// Not matches rows that p does not match, including those where p is
// unknown because a column it reads is NULL: Not(rank.Eq(2)) keeps the rows
// whose rank is NULL, as Django's exclude does, where SQL's NOT would drop
// them.
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
	for _, q := range p.preds {
		if err := q.check(t); err != nil {
			return err
		}
	}
	return nil
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

func (p boolPred) nullable() bool { return slices.ContainsFunc(p.preds, Pred.nullable) }

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
