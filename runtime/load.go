package runtime

import (
	"context"
	"fmt"
	"slices"
)

// load fills sparse references with one query, or with as few as the
// dialect's parameter limit allows: one per MaxParams keys.
func (q query) load(ctx context.Context, refs []loadable) error {
	var keys []any
	seen := map[any]bool{}
	// refKeys[i] is refs[i]'s key as sameKey gives it, when hasKey[i]:
	// worked out once per ref, not again when matching.
	refKeys := make([]any, len(refs))
	hasKey := make([]bool, len(refs))
	for i, r := range refs {
		if k, ok := r.loadKey(); ok {
			sk := sameKey(k)
			refKeys[i], hasKey[i] = sk, true
			if !seen[sk] {
				seen[sk] = true
				keys = append(keys, k)
			}
		}
	}
	if len(keys) == 0 {
		return nil
	}
	t := q.t
	byKey := make(map[any]any, len(keys))
	for chunk := range slices.Chunk(keys, q.db.dialect.MaxParams()) {
		rows, err := q.Filter(cmpPred{ref: Col(t, t.PK), op: OpIn, in: chunk}).fetch(ctx, -1)
		if err != nil {
			return opError("load", t.Model, err)
		}
		for _, row := range rows {
			byKey[sameKey(t.Value(row, t.PK))] = row
		}
	}
	for i, r := range refs {
		if hasKey[i] {
			row, found := byKey[refKeys[i]]
			if !found {
				k, _ := r.loadKey()
				return opError("load", t.Model, fmt.Errorf("%w: no row with key %v", ErrNotFound, k))
			}
			r.loadAny(row)
		}
	}
	return nil
}

// sameKey returns the value by which load matches a reference's key with
// a row's, equal for keys the database finds equal: the key as bound
// (bindKey: an instant in UTC whatever zone it was read in, an enum as a
// string) and a Decimal by its value (9.5 finds 9.50).
func sameKey(k any) any {
	k = bindKey(k)
	if d, ok := k.(Decimal); ok {
		return decimalValue(d.Rat().RatString())
	}
	return k
}

// decimalValue is a Decimal's value as a map key.
type decimalValue string
