package runtime

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"math"
	"slices"
	"strconv"
	"time"
)

// Keyset pagination: Page reads a query's rows a page at a time, each page
// starting after the last row of the one before, found by the values of
// its ordering keys (WHERE (k1, pk) > (v1, v_pk), written out so that
// NULLs and descending keys sort as OrderBy sorts them), not by an
// OFFSET: a page costs the same however deep it is, and a row inserted
// or deleted before the cursor neither repeats nor skips a row after it.

// cursorVersion is the version of the cursor's encoding; a cursor of
// another version is refused.
const cursorVersion = 1

// pageCursor is a cursor as encoded: JSON, then unpadded URL-safe
// base64, so that it can be put in a URL as it is.
type pageCursor struct {
	V int       `json:"v"` // cursorVersion
	K uint32    `json:"k"` // the ordering's fingerprint (pageKeys.fingerprint)
	P []*string `json:"p"` // each key's value in its lookup string form; nil for NULL
}

// pageKeys returns the keys a page is ordered by: the query's own, up to
// its primary key, then the primary key ascending when the query's keys
// do not include it, as OrderBy breaks ties. A key across a relation is
// refused: the cursor holds values of the last row's own fields.
func (q query) pageKeys() ([]sortKey, error) {
	need := q.t.keyColumns() // every column of a composite key
	var keys []sortKey
	for _, k := range q.order {
		if k.Ref.Path != nil {
			return nil, fmt.Errorf("%w: Page cannot order %s by %s.%s, across a relation: its cursor holds the values of the model's own fields",
				ErrInvalidQuery, q.t.Model, k.Ref.Path.table(q.t).Model, k.Ref.Col.Field)
		}
		keys = append(keys, k)
		if need = slices.DeleteFunc(need, func(c *Column) bool { return c == k.Ref.Col }); len(need) == 0 {
			return keys, nil
		}
	}
	for _, c := range need {
		keys = append(keys, sortKey{Ref: Col(q.t, c.Index)})
	}
	return keys, nil
}

// fingerprint identifies the model and the ordering keys, so that a
// cursor of another query's ordering is refused rather than misread.
func fingerprint(t *Table, keys []sortKey) uint32 {
	h := fnv.New32a()
	fmt.Fprintf(h, "%s\x00%s", t.Model, t.Name)
	for _, k := range keys {
		fmt.Fprintf(h, "\x00%s\x00%t", k.Ref.Col.Name, k.Desc)
	}
	return h.Sum32()
}

// page runs the query for the n rows after the cursor after ("" for the
// first page), ordered by its keys and the primary key, calling add with
// each, its Prefetch done; next is the cursor of the page after it, ""
// after the last page.
func (q query) page(ctx context.Context, after string, n int, add func(any)) (next string, err error) {
	if q.err != nil {
		return "", q.err
	}
	switch {
	case n <= 0:
		return "", fmt.Errorf("%w: Page(…, %d): a page holds at least one row", ErrInvalidQuery, n)
	case q.hasLimit || q.offset > 0:
		return "", fmt.Errorf("%w: Page reads the whole query a page at a time: it cannot have a Limit or Offset", ErrInvalidQuery)
	}
	keys, err := q.pageKeys()
	if err != nil {
		return "", err
	}
	fp := fingerprint(q.t, keys)
	p := q
	p.order = keys
	if after != "" {
		vals, err := q.decodeCursor(after, keys, fp)
		if err != nil {
			return "", err
		}
		p = p.Filter(keysetAfter(keys, vals))
	}
	// One row more than the page tells whether another page follows.
	p.limit, p.hasLimit = n, true
	if n < math.MaxInt {
		p.limit++
	}
	var rows []any
	err = p.each(ctx, -1, p.slab(), func(row any) error {
		rows = append(rows, row)
		return nil
	})
	if err != nil {
		return "", err
	}
	more := len(rows) > n
	rows = rows[:min(len(rows), n)]
	if len(q.prefetch) > 0 {
		if err := q.prefetchAll(ctx, rows); err != nil {
			return "", err
		}
	}
	for _, row := range rows {
		add(row)
	}
	if !more {
		return "", nil
	}
	return q.encodeCursor(rows[n-1], keys, fp)
}

// keysetAfter is the condition on the rows that come after the row whose
// keys hold vals, in the order of keys: for keys a, b, pk,
// a > va OR (a = va AND b > vb) OR (a = va AND b = vb AND pk > vpk),
// with NULL before every value ascending and after every value
// descending, as OrderBy sorts it.
func keysetAfter(keys []sortKey, vals []any) cond {
	var ors []cond
	for i, k := range keys {
		beyond := keyBeyond(k, vals[i])
		if beyond == nil {
			continue
		}
		ands := make([]cond, 0, i+1)
		for j := range i {
			ands = append(ands, cmpPred{ref: keys[j].Ref, op: OpExact, val: vals[j]}) // nil: IS NULL
		}
		ors = append(ors, and(append(ands, beyond)...))
	}
	return newBool(true, ors)
}

// keyBeyond is the condition on key k's column of the rows after a row
// whose value there is v; nil when none is (descending, NULL is last).
func keyBeyond(k sortKey, v any) cond {
	r := k.Ref
	switch {
	case v == nil && !k.Desc:
		return cmpPred{ref: r, op: OpIsNull, val: false}
	case v == nil:
		return nil
	case !k.Desc:
		return cmpPred{ref: r, op: OpGt, val: v}
	case r.canBeNull():
		return newBool(true, []cond{cmpPred{ref: r, op: OpLt, val: v}, cmpPred{ref: r, op: OpIsNull, val: true}})
	default:
		return cmpPred{ref: r, op: OpLt, val: v}
	}
}

// encodeCursor returns the cursor after row.
func (q query) encodeCursor(row any, keys []sortKey, fp uint32) (string, error) {
	c := pageCursor{V: cursorVersion, K: fp, P: make([]*string, len(keys))}
	for i, k := range keys {
		col := k.Ref.Col
		v, ok := convertValue(q.t, col, q.t.Value(row, col.Index))
		if !ok {
			return "", fmt.Errorf("ormc: Page: the value of %s.%s in the last row does not fit its field", q.t.Model, col.Field)
		}
		if v == nil {
			continue
		}
		s, err := lookupString(v)
		if err != nil {
			return "", fmt.Errorf("ormc: Page: %s.%s: %w", q.t.Model, col.Field, err)
		}
		c.P[i] = &s
	}
	b, err := json.Marshal(c)
	if err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// lookupString returns v, a value of the Go type the typed API uses for
// its field, as the string its field's lookup conversion reads back as v.
func lookupString(v any) (string, error) {
	switch x := v.(type) {
	case string:
		return x, nil
	case int64:
		return strconv.FormatInt(x, 10), nil
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64), nil
	case bool:
		return strconv.FormatBool(x), nil
	case time.Time:
		return x.UTC().Format(time.RFC3339Nano), nil
	case fmt.Stringer: // Decimal, Date, TimeOfDay, UUID, netip.Addr
		return x.String(), nil
	}
	return "", fmt.Errorf("a value of type %T cannot be held in a cursor", v)
}

// decodeCursor returns the key values a cursor of keys holds, converted
// to their fields' Go types as lookup values are, or an error wrapping
// ErrInvalidQuery for a cursor that is not one of this ordering's.
func (q query) decodeCursor(s string, keys []sortKey, fp uint32) ([]any, error) {
	bad := func(why string) ([]any, error) {
		return nil, fmt.Errorf("%w: Page: the cursor %s", ErrInvalidQuery, why)
	}
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return bad("is not one Page returned")
	}
	var c pageCursor
	if err := json.Unmarshal(raw, &c); err != nil {
		return bad("is not one Page returned")
	}
	switch {
	case c.V != cursorVersion:
		return bad(fmt.Sprintf("is of version %d, not %d", c.V, cursorVersion))
	case c.K != fp || len(c.P) != len(keys):
		return bad(fmt.Sprintf("is of another query: not ordered as this one on %s is", q.t.Model))
	}
	vals := make([]any, len(keys))
	for i, k := range keys {
		col := k.Ref.Col
		if c.P[i] == nil {
			if !col.Null {
				return bad(fmt.Sprintf("holds NULL for %s.%s, which cannot be NULL", q.t.Model, col.Field))
			}
			continue
		}
		v, ok := convertValue(q.t, col, *c.P[i])
		if !ok || !checkValue(col, v) {
			return bad(fmt.Sprintf("holds %q for %s.%s, which it cannot hold", *c.P[i], q.t.Model, col.Field))
		}
		vals[i] = v
	}
	return vals, nil
}
