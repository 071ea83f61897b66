package runtime

// Composite primary keys: a Table whose Key lists two or more columns.
// The engine keeps its single-key paths as they are (Table.PK) and asks
// keyColumns, keyArgs and whereKey where a statement names a row by its
// key. No foreign key refers to such a table (the compiler refuses one),
// so relations, Load and Prefetch never lead to it.

import (
	"fmt"
	"reflect"
	"strings"
)

// CompositeKey is implemented by the key struct generated for a model with
// a composite primary key (PlaylistTrackKey): its values in key order, as
// Table.Key lists the columns. A seed-style lookup on "pk" takes one, or a
// row of the model, and matches every column of the key.
type CompositeKey interface {
	KeyValues() []any
}

// composite reports whether t's primary key has more than one column.
func (t *Table) composite() bool { return len(t.Key) > 1 }

// keyColumns returns the columns of t's primary key, in key order.
func (t *Table) keyColumns() []*Column {
	if !t.composite() {
		return []*Column{t.PKColumn()}
	}
	cols := make([]*Column, len(t.Key))
	for i, k := range t.Key {
		cols[i] = t.Columns[k]
	}
	return cols
}

// KeyColumns returns the columns of t's primary key, in key order: the
// one column PK names, or a composite key's columns.
func (t *Table) KeyColumns() []*Column { return t.keyColumns() }

// isKey reports whether column i is part of t's primary key.
func (t *Table) isKey(i int) bool {
	if !t.composite() {
		return i == t.PK
	}
	for _, k := range t.Key {
		if k == i {
			return true
		}
	}
	return false
}

// keyArgs appends the values of row's key columns to args, in key order.
func (t *Table) keyArgs(args []any, row any) []any {
	if !t.composite() {
		return append(args, t.Value(row, t.PK))
	}
	for _, k := range t.Key {
		args = append(args, t.Value(row, k))
	}
	return args
}

// whereKey writes `a = $n AND b = $n+1 …`, the key columns of t bound from
// placeholder n on, unqualified.
func (b *builder) whereKey(t *Table, n int) {
	for i, c := range t.keyColumns() {
		if i > 0 {
			b.write(" AND ")
		}
		b.assign(c)
		b.placeholder(n + i)
	}
}

// whereRowKey writes `a = ? AND b = ? …`, binding the values of row's key
// columns, unqualified.
func (b *builder) whereRowKey(t *Table, row any) {
	for i, c := range t.keyColumns() {
		if i > 0 {
			b.write(" AND ")
		}
		b.assign(c)
		b.arg(t.Value(row, c.Index))
	}
}

// keyCond returns the condition that matches the row of t whose key is
// vals, one value of each key column in key order, converted as a
// seed-style lookup converts a value for its column.
func keyCond(t *Table, path *Path, lookup string, vals []any) (cond, error) {
	cols := t.keyColumns()
	if len(vals) != len(cols) {
		return nil, &LookupError{Model: t.Model, Lookup: lookup,
			msg: fmt.Sprintf("the key of %s has %d fields, found %d values", t.Model, len(cols), len(vals))}
	}
	cs := make([]cond, len(cols))
	for i, c := range cols {
		v, err := lookupValue(t, c, lookup, OpExact, vals[i])
		if err != nil {
			return nil, err
		}
		if v == nil {
			return nil, &LookupError{Model: t.Model, Lookup: lookup,
				msg: fmt.Sprintf("%s.%s is part of the primary key, which is never NULL", t.Model, c.Field)}
		}
		cs[i] = cmpPred{ref: ColRef{Path: path, Col: c, t: t}, op: OpExact, val: v}
	}
	return and(cs...), nil
}

// compositeKeyLookup resolves "pk" and "pk__in" on t, whose key has more
// than one column: the value is a CompositeKey, or a row of t standing for
// its key; for __in, a list of them. No other lookup applies to the whole
// key.
func compositeKeyLookup(t *Table, path *Path, lookup string, rest []string, value any) (cond, error) {
	op := OpExact
	if len(rest) > 0 {
		o, ok := opByName(rest[0])
		if !ok || (o != OpExact && o != OpIn) || len(rest) > 1 {
			return nil, &LookupError{Model: t.Model, Lookup: lookup, Segment: rest[0], Choices: []string{"exact", "in"},
				msg: fmt.Sprintf("the primary key of %s has %d fields; only exact and in apply to it, found %q", t.Model, len(t.Key), strings.Join(rest, "__"))}
		}
		op = o
	}
	one := func(v any) (cond, error) {
		if r, ok := v.(PKValuer); ok && (t.New == nil || reflect.TypeOf(r) == reflect.TypeOf(t.New())) {
			v = r.PKValue()
		}
		k, ok := v.(CompositeKey)
		if !ok {
			return nil, &LookupError{Model: t.Model, Lookup: lookup,
				msg: fmt.Sprintf("the primary key of %s has %d fields; lookup %q needs its key (a value of the generated key type) or a row, found %s", t.Model, len(t.Key), lookup, describe(v))}
		}
		return keyCond(t, path, lookup, k.KeyValues())
	}
	if op == OpExact {
		if isList(value) {
			return nil, &LookupError{Model: t.Model, Lookup: lookup, Segment: "exact",
				msg: fmt.Sprintf("lookup %q needs a single key (use pk__in for a list), found %s", lookup, describe(value))}
		}
		return one(value)
	}
	vals, ok := expandSlice(value)
	if !ok || !isList(value) {
		return nil, &LookupError{Model: t.Model, Lookup: lookup, Segment: "in",
			msg: fmt.Sprintf("lookup in needs a list of keys, found %s", describe(value))}
	}
	cs := make([]cond, 0, len(vals))
	for _, v := range vals {
		c, err := one(v)
		if err != nil {
			return nil, err
		}
		cs = append(cs, c)
	}
	if len(cs) == 0 {
		// An empty list matches no row, as pk__in of a single key does.
		return cmpPred{ref: ColRef{Path: path, Col: t.PKColumn(), t: t}, op: OpIn, in: nil}, nil
	}
	return newBool(true, cs), nil
}
