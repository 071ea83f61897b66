package runtime

import (
	"reflect"
	"slices"
	"strings"
)

// Seed-style lookups: "text__icontains", "album__name__iexact", "pk__in".
// They are resolved against a table's metadata at run time; anything that
// is not a field or lookup name is rejected, never spliced into SQL.

// PKValuer is implemented by every generated model: a row used as a lookup
// value (`Where("album", malibu)`) stands for its primary key.
type PKValuer interface {
	PKValue() any
}

// Lookup returns the predicate for a seed-style lookup string and value.
func Lookup(root *Table, lookup string, value any) (Pred, error) {
	segs := strings.Split(lookup, "__")
	t := root
	var path *Path
	var col *Column
	op := OpExact
	for i, seg := range segs {
		if col != nil {
			// col is a foreign key followed by more segments: traverse it, or
			// apply a lookup to the key itself.
			if o, ok := opByName(seg); ok && i == len(segs)-1 {
				op = o
				break
			}
			path = path.Join(col)
			t = col.Ref
			col = nil
		}
		c := t.Column(seg)
		if seg == "pk" {
			c = t.PKColumn()
		}
		if c != nil {
			col = c
			if c.Ref != nil {
				continue
			}
			if i == len(segs)-1 {
				break
			}
			next := segs[i+1]
			o, ok := opByName(next)
			if !ok || i+1 != len(segs)-1 || !opFits(o, c) {
				return nil, &LookupError{Model: t.Model, Lookup: lookup, Segment: next, Choices: opChoices(c)}
			}
			op = o
			break
		}
		return nil, &LookupError{Model: t.Model, Lookup: lookup, Segment: seg, Choices: fieldChoices(t)}
	}
	if col == nil {
		return nil, &LookupError{Model: root.Model, Lookup: lookup, Segment: lookup, Choices: fieldChoices(root)}
	}
	ref := ColRef{Path: path, Col: col}
	switch op {
	case OpIn:
		vals, ok := expandSlice(value)
		if !ok {
			return nil, &LookupError{Model: t.Model, Lookup: lookup, Segment: "in", Choices: []string{"a slice value"}}
		}
		for i, v := range vals {
			vals[i] = keyOf(v)
		}
		return cmpPred{ref: ref, op: OpIn, in: vals}, nil
	case OpIsNull:
		b, ok := value.(bool)
		if !ok {
			return nil, &LookupError{Model: t.Model, Lookup: lookup, Segment: "isnull", Choices: []string{"true", "false"}}
		}
		return cmpPred{ref: ref, op: OpIsNull, val: b}, nil
	}
	if isList(value) {
		return nil, &LookupError{Model: t.Model, Lookup: lookup, Segment: op.String(), Choices: []string{"a single value (use __in for a list)"}}
	}
	if op.isText() {
		s, ok := value.(string)
		if !ok {
			return nil, &LookupError{Model: t.Model, Lookup: lookup, Segment: op.String(), Choices: []string{"a string value"}}
		}
		return cmpPred{ref: ref, op: op, val: s}, nil
	}
	return cmpPred{ref: ref, op: op, val: keyOf(value)}, nil
}

func keyOf(v any) any {
	if pv, ok := v.(PKValuer); ok {
		return pv.PKValue()
	}
	return v
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

// opFits reports whether the lookup applies to the column's kind.
func opFits(o Op, c *Column) bool {
	switch {
	case o.isText():
		return (c.Kind == KindString || c.Kind == KindText) && c.Ref == nil
	case o.isOrdered():
		return c.Kind != KindBoolean && c.Kind != KindJSON
	case o == OpIsNull:
		return c.Null
	}
	return true
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
	return out
}
