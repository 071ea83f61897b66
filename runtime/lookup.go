package runtime

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/ormc/ormc/internal/suggest"
	"github.com/ormc/ormc/runtime/dialect"
)

// Seed-style lookups: "text__icontains", "album__name__iexact", "pk__in".
// They are resolved against a table's metadata at run time; anything that
// is not a field or lookup name is rejected, never spliced into SQL. The
// lookups a field accepts are exactly the methods of its typed field.

// PKValuer is implemented by every generated model: a row used as a lookup
// value (`Where("album", malibu)`) stands for its primary key.
type PKValuer interface {
	PKValue() any
}

// Lookup returns the predicate for a seed-style lookup string and value,
// as a typed predicate on M, the model of root (for use in Or and Not).
func Lookup[M any](root *Table, lookup string, value any) (Pred[M], error) {
	c, err := lookupCond(root, lookup, value)
	return Pred[M]{c}, err
}

// lookupCond resolves a seed-style lookup string against root.
func lookupCond(root *Table, lookup string, value any) (cond, error) {
	// A path may join at most MaxTables-1 relations, then name a field and
	// a lookup. Refusing longer strings first keeps a hostile one of any
	// length from costing more than a scan of it.
	if n := strings.Count(lookup, "__"); n > MaxTables {
		return nil, &LookupError{Model: root.Model, Lookup: shorten(lookup), err: ErrTooComplex,
			msg: fmt.Sprintf("lookup has %d segments, a path through up to %d tables, more than %d (MaxTables)", n+1, n+1, MaxTables)}
	}
	segs := strings.Split(lookup, "__")
	t := root
	var path *Path
	var col *Column
	op := OpExact
	i := 0
	for {
		seg := segs[i]
		col = t.Column(seg)
		if seg == "pk" {
			if t.composite() {
				return compositeKeyLookup(t, path, lookup, segs[i+1:], value)
			}
			col = t.PKColumn()
		}
		if col == nil {
			if r := t.reverseOf(seg); r != nil {
				return reverseLookup(t, path, r, lookup, segs[i+1:], value)
			}
			return nil, fieldError(t, path, lookup, seg, i == len(segs)-1)
		}
		i++
		if i == len(segs) {
			break // a bare field: exact
		}
		next := segs[i]
		o, isOp := opByName(next)
		if col.Ref != nil && !(isOp && (i == len(segs)-1 || col.Ref.Column(next) == nil)) {
			// Follow the foreign key to a field of the row it refers to.
			path = path.join(t, col)
			t = col.Ref
			continue
		}
		if !isOp {
			choices := opChoices(col)
			return nil, &LookupError{Model: t.Model, Lookup: lookup, Segment: next, Choices: choices,
				Suggestion: suggest.Closest(next, choices),
				msg:        fmt.Sprintf("%s.%s has no lookup %q", t.Model, col.Field, next)}
		}
		op = o
		i++
		break
	}
	if i < len(segs) {
		return nil, &LookupError{Model: t.Model, Lookup: lookup, Segment: segs[i],
			msg: fmt.Sprintf("nothing may follow lookup %q, found %q", op, segs[i])}
	}
	if !opFits(op, col) {
		return nil, &LookupError{Model: t.Model, Lookup: lookup, Segment: op.String(), Choices: opChoices(col),
			msg: fmt.Sprintf("lookup %q does not apply to %s.%s (%s)", op, t.Model, col.Field, kindName(col))}
	}
	ref := ColRef{Path: path, Col: col, t: t}
	needs := func(what string) error {
		return &LookupError{Model: t.Model, Lookup: lookup, Segment: op.String(),
			msg: fmt.Sprintf("lookup %s needs %s, found %s", op, what, describe(value))}
	}
	switch {
	case op == OpIn:
		vals, ok := expandSlice(value)
		if !ok || !isList(value) {
			return nil, needs("a list of values")
		}
		vals = slices.DeleteFunc(vals, func(v any) bool { return v == nil }) // NULL is in no list
		for i, v := range vals {
			v, err := lookupValue(t, col, lookup, op, v)
			if err != nil {
				return nil, err
			}
			vals[i] = v
		}
		// A Null element that is NULL converts to nil: in no list either.
		vals = slices.DeleteFunc(vals, func(v any) bool { return v == nil })
		return cmpPred{ref: ref, op: OpIn, in: vals}, nil
	case op == OpIsNull:
		b, ok := value.(bool)
		if !ok {
			return nil, needs("true or false")
		}
		return cmpPred{ref: ref, op: OpIsNull, val: b}, nil
	case isList(value):
		return nil, needs("a single value (use __in for a list)")
	case op.isOrdered() && value == nil:
		return nil, needs("a value to compare with (nil is never less or greater)")
	}
	v, err := lookupValue(t, col, lookup, op, value)
	if err != nil {
		return nil, err
	}
	if v == nil && op != OpExact && op != OpNe {
		// A NULL Null or Ref: text and order lookups have no NULL form.
		return nil, needs("a value that is not NULL")
	}
	return cmpPred{ref: ref, op: op, val: v}, nil
}

// fieldError is the *LookupError of seg, which names no field of t, the
// table path ends at. When path followed a foreign key to t and seg is the
// last segment, seg could have been a lookup on that key too
// ("album__isnul"): its lookups are choices then, and candidates for the
// suggestion.
func fieldError(t *Table, path *Path, lookup, seg string, last bool) *LookupError {
	choices := fieldChoices(t)
	msg := fmt.Sprintf("%s has no field %q", t.Model, seg)
	if path != nil && last {
		choices = append(choices, opChoices(path.fk)...)
		msg += fmt.Sprintf(", nor %s.%s a lookup %q", path.from.Model, path.fk.Field, seg)
	}
	return &LookupError{Model: t.Model, Lookup: lookup, Segment: seg, Choices: choices,
		Suggestion: suggest.Closest(seg, choices), msg: msg}
}

// describe names a lookup value's type for an error message.
func describe(v any) string {
	if v == nil {
		return "nil"
	}
	return fmt.Sprintf("%T", v)
}

// expandSlice returns the elements of a slice or array value. It uses
// reflection, which is acceptable on this run-time string path only.
func expandSlice(v any) ([]any, bool) {
	if vs, ok := v.([]any); ok {
		return slices.Clone(vs), true
	}
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Slice && rv.Kind() != reflect.Array {
		return nil, false
	}
	out := make([]any, rv.Len())
	for i := range out {
		out[i] = rv.Index(i).Interface()
	}
	return out, true
}

// isList reports whether v is a list of values rather than one value:
// a slice or array, except of bytes ([]byte, JSON, UUID are single values).
func isList(v any) bool {
	if v == nil {
		return false
	}
	rt := reflect.TypeOf(v)
	return (rt.Kind() == reflect.Slice || rt.Kind() == reflect.Array) && rt.Elem().Kind() != reflect.Uint8
}

func opByName(name string) (Op, bool) {
	for i, n := range lookupNames {
		if n == name {
			return Op(i), true
		}
	}
	return 0, false
}

// opFits reports whether the lookup applies to the column: the same rule,
// its kind's Family, by which ormc generates the typed field's methods
// (see fields.go). JSON has no equality or order that the three databases
// agree on, an Enum is compared whole, and only a nullable column can be
// NULL.
func opFits(o Op, c *Column) bool {
	enum := len(c.Values) > 0
	family := c.Kind.Info().Family
	switch {
	case o == OpIsNull:
		return c.Null
	case family == dialect.SetOnlyFamily:
		return false
	case o.isText():
		return family == dialect.TextFamily && c.Ref == nil && !enum
	case o.isOrdered():
		return family != dialect.EqualFamily && !enum
	}
	return true
}

// kindName says what kind of field c is, for an error message.
func kindName(c *Column) string {
	switch {
	case c.Ref != nil:
		return "a relation to " + c.Ref.Model
	case len(c.Values) > 0:
		return "an enum"
	}
	return c.Kind.String()
}

func opChoices(c *Column) []string {
	var out []string
	for i, n := range lookupNames {
		if opFits(Op(i), c) {
			out = append(out, n)
		}
	}
	return out
}

func fieldChoices(t *Table) []string {
	out := []string{"pk"}
	for _, c := range t.Columns {
		out = append(out, c.Field)
	}
	for _, r := range t.Reverse {
		out = append(out, r.Name)
	}
	return out
}

// reverseOf returns the foreign key of another table that refers to t and
// that seed-style lookups call name, or nil.
func (t *Table) reverseOf(name string) *Reverse {
	for i := range t.Reverse {
		if t.Reverse[i].Name == name {
			return &t.Reverse[i]
		}
	}
	return nil
}

// reverseLookup resolves rest, the part of a lookup after the name of a
// reverse relation r of t (reached through path), as a condition on the
// rows of t that some row of r.Table referring to them matches: an
// EXISTS, so that no row comes back twice. rest "isnull" with true
// matches the rows no row refers to.
func reverseLookup(t *Table, path *Path, r *Reverse, lookup string, rest []string, value any) (cond, error) {
	outer := ColRef{Path: path, Col: t.PKColumn(), t: t}
	if path != nil {
		outer = path.ColRef()
	}
	p := existsPred{parent: t, outer: outer, child: r.Table, fk: r.Table.Columns[r.FK]}
	if len(rest) == 1 && rest[0] == OpIsNull.String() {
		b, ok := value.(bool)
		if !ok {
			return nil, &LookupError{Model: t.Model, Lookup: lookup, Segment: rest[0],
				msg: fmt.Sprintf("lookup isnull needs true or false, found %s", describe(value))}
		}
		p.none = b
		return p, nil
	}
	if len(rest) == 0 {
		rows := r.Table.Model
		if r.Via != "" {
			if c := r.Table.Column(r.Via); c != nil && c.Ref != nil {
				rows = c.Ref.Model
			}
		}
		return nil, &LookupError{Model: t.Model, Lookup: lookup, Segment: r.Name,
			msg: fmt.Sprintf("%s.%s is a reverse relation: name a field of %s after it (or isnull)", t.Model, r.Name, rows)}
	}
	if r.Via != "" {
		// A many-to-many relation: the rest is a lookup on the linked
		// rows, reached from the join rows through Via.
		rest = append([]string{r.Via}, rest...)
	}
	inner, err := lookupCond(r.Table, strings.Join(rest, "__"), value)
	if err != nil {
		return nil, err
	}
	p.inner = inner
	return p, nil
}

// shorten cuts a lookup string too long to quote whole in an error.
func shorten(s string) string {
	const max = 200
	if len(s) <= max {
		return s
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "..."
}
