package runtime

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"time"
)

// Projections: reading chosen fields of a query's rows, typed, without
// building rows (issue 16, item 2).
//
// The API is generic functions, not methods of Query or of the typed
// fields: a function is compiled only where a program calls it, where a
// method would be compiled for every model of every generated package
// (see typed.go). A function learns a field's value type V from the
// field's Set method (FieldOf), which every typed field has:
//
//	pairs, err := runtime.Values2(ctx, client.Books, db.BookTitle, db.BookPrice)
//	// pairs is a []runtime.Tuple2[string, runtime.Decimal]

// FieldOf is a typed field of model M whose values are V: every Field,
// OrderedField, StringField and JSONField, those reached through a
// relation (db.TrackAlbum.Name) included, and Nullable of any of them.
// Values, GroupBy and CountDistinct read what it selects.
type FieldOf[M, V any] interface {
	colOf(M) ColRef
	Set(V) Assignment[M]
}

// OrderedOf is a typed field of model M whose values V are ordered:
// every OrderedField and StringField. Min, Max, Sum and Avg take one.
type OrderedOf[M, V any] interface {
	FieldOf[M, V]
	Lt(V) Pred[M]
}

// ErrNullValue is wrapped by the error of a projection or grouping that
// reads a field that can be NULL (a nullable field, or any field across a
// nullable relation) as its plain Go type: read it with Nullable. It is
// returned before any SQL is sent, whether or not a NULL is there.
var ErrNullValue = errors.New("ormc: field can be NULL")

// NullableField is a typed field read as Null[V], so that NULL and the
// zero value stay apart: see Nullable.
type NullableField[M, V any] struct{ ref ColRef }

// Nullable returns f read as a Null[V], for Values, GroupBy and the keys
// of groups, where a field that can be NULL must be read so:
//
//	rows, err := runtime.Values2(ctx, q, db.TrackTitle, runtime.Nullable(db.TrackPosition))
func Nullable[M, V any](f FieldOf[M, V]) *NullableField[M, V] {
	var zero M
	return &NullableField[M, V]{ref: f.colOf(zero)}
}

func (f *NullableField[M, V]) colOf(M) ColRef { return f.ref }

// Set returns an assignment of v to the field: NULL when v is not Valid.
func (f *NullableField[M, V]) Set(v Null[V]) Assignment[M] {
	if !v.Valid {
		return setNullOf[M](f.ref)
	}
	return setOf[M](f.ref, v.V)
}

func (f *NullableField[M, V]) cell() cell[Null[V]] { return &nullCell[V]{} }

// ---------------------------------------------------------------------------
// Cells: one selected value of a result row

// cell reads one selected value as an X: dest is the scan destination,
// get the value scanned into it. A cell is reused for every row.
type cell[X any] interface {
	dest() any
	get() (X, error)
}

// cellMaker is a field that reads its values its own way (NullableField).
type cellMaker[X any] interface{ cell() cell[X] }

// cellOf returns the cell that reads f's values, and an error wrapping
// ErrNullValue when f can read as NULL but its type cannot hold NULL.
func cellOf[M, X any](f FieldOf[M, X], ref ColRef) (cell[X], error) {
	if m, ok := f.(cellMaker[X]); ok {
		return m.cell(), nil
	}
	if ref.canBeNull() {
		what := "nullable"
		if !ref.Col.Null {
			what = "reached through a nullable relation"
		}
		return nil, fmt.Errorf("%w: %s is %s: read it with Nullable, as a Null[%T]", ErrNullValue, ref.name(), what, *new(X))
	}
	return &plainCell[X]{}, nil
}

// name returns the field's name as queries spell it: album.name.
func (r ColRef) name() string {
	if r.Path != nil {
		return r.Path.key + "." + r.Col.Field
	}
	return r.Col.Field
}

// nullDestOf returns the scan destination of a Null[V]: a DateTime reads
// as an instant in UTC (from SQLite's text too, where an expression has no
// column type), an IPAddress as its canonical address.
func nullDestOf[V any](n *Null[V]) any {
	switch p := any(n).(type) {
	case *Null[time.Time]:
		return (*rawNullTime)(p)
	case *Null[netip.Addr]:
		return (*NullHostAddr)(p)
	}
	return n
}

// plainCell reads a value that cannot be NULL. A string, integer, float
// or boolean is scanned straight into its Go type, as the drivers do
// natively (pgx without boxing it in an interface); others through a
// Null, for their Scan methods and conversions.
type plainCell[V any] struct {
	n      Null[V]
	direct bool // scanned into n.V itself
}

func (c *plainCell[V]) dest() any {
	switch p := any(&c.n.V).(type) {
	case *string, *int64, *float64, *bool:
		c.direct = true
		return p
	case *time.Time:
		c.direct = true
		return (*UTCTime)(p)
	}
	return nullDestOf(&c.n)
}

func (c *plainCell[V]) get() (V, error) {
	if !c.direct && !c.n.Valid {
		return c.n.V, fmt.Errorf("%w: read NULL as a %T", ErrNullValue, c.n.V)
	}
	return c.n.V, nil
}

// nullCell reads a value that may be NULL.
type nullCell[V any] struct{ n Null[V] }

func (c *nullCell[V]) dest() any { return nullDestOf(&c.n) }

func (c *nullCell[V]) get() (Null[V], error) { return c.n, nil }

// ---------------------------------------------------------------------------
// Values

// Tuple2 is a result row of Values2.
type Tuple2[A, B any] struct {
	A A
	B B
}

// Tuple3 is a result row of Values3.
type Tuple3[A, B, C any] struct {
	A A
	B B
	C C
}

// Distinct returns q reading each combination of values once: Values,
// Values2 and Values3 of the query return no two equal results, ordered
// by the values read (the query's own OrderBy keys first, which must be
// among them). Rows are distinct already, by primary key: All, Count and
// the others are unchanged.
func Distinct[M any](q *Query[M]) *Query[M] {
	nq := q.q
	nq.distinct = true
	return &Query[M]{nq}
}

// Values returns the values of one field of the rows q matches, in the
// query's order (see OrderBy), honouring Filter, Limit and Offset.
func Values[M, A any](ctx context.Context, q *Query[M], a FieldOf[M, A]) ([]A, error) {
	var zero M
	ca, err := cellOf(a, a.colOf(zero))
	if err != nil {
		return nil, opError("values", q.q.t.Model, err)
	}
	var out []A
	err = q.q.values(ctx, []ColRef{a.colOf(zero)}, []any{ca.dest()}, func() error {
		va, err := ca.get()
		out = append(out, va)
		return err
	})
	if err != nil {
		return nil, opError("values", q.q.t.Model, err)
	}
	return out, nil
}

// Values2 returns the values of two fields of the rows q matches, one
// Tuple2 per row, as Values does.
func Values2[M, A, B any](ctx context.Context, q *Query[M], a FieldOf[M, A], b FieldOf[M, B]) ([]Tuple2[A, B], error) {
	var zero M
	refs := []ColRef{a.colOf(zero), b.colOf(zero)}
	ca, err := cellOf(a, refs[0])
	if err != nil {
		return nil, opError("values", q.q.t.Model, err)
	}
	cb, err := cellOf(b, refs[1])
	if err != nil {
		return nil, opError("values", q.q.t.Model, err)
	}
	var out []Tuple2[A, B]
	err = q.q.values(ctx, refs, []any{ca.dest(), cb.dest()}, func() error {
		va, err1 := ca.get()
		vb, err2 := cb.get()
		out = append(out, Tuple2[A, B]{va, vb})
		return errors.Join(err1, err2)
	})
	if err != nil {
		return nil, opError("values", q.q.t.Model, err)
	}
	return out, nil
}

// Values3 returns the values of three fields of the rows q matches, one
// Tuple3 per row, as Values does.
func Values3[M, A, B, C any](ctx context.Context, q *Query[M], a FieldOf[M, A], b FieldOf[M, B], c FieldOf[M, C]) ([]Tuple3[A, B, C], error) {
	var zero M
	refs := []ColRef{a.colOf(zero), b.colOf(zero), c.colOf(zero)}
	ca, err := cellOf(a, refs[0])
	if err != nil {
		return nil, opError("values", q.q.t.Model, err)
	}
	cb, err := cellOf(b, refs[1])
	if err != nil {
		return nil, opError("values", q.q.t.Model, err)
	}
	cc, err := cellOf(c, refs[2])
	if err != nil {
		return nil, opError("values", q.q.t.Model, err)
	}
	var out []Tuple3[A, B, C]
	err = q.q.values(ctx, refs, []any{ca.dest(), cb.dest(), cc.dest()}, func() error {
		va, err1 := ca.get()
		vb, err2 := cb.get()
		vc, err3 := cc.get()
		out = append(out, Tuple3[A, B, C]{va, vb, vc})
		return errors.Join(err1, err2, err3)
	})
	if err != nil {
		return nil, opError("values", q.q.t.Model, err)
	}
	return out, nil
}

// values runs SELECT [DISTINCT] refs FROM … and scans each row into dest,
// calling fn after each.
func (q query) values(ctx context.Context, refs []ColRef, dest []any, fn func() error) error {
	if q.err != nil {
		return q.err
	}
	if err := q.checkNoLock(); err != nil {
		return err
	}
	for _, r := range refs {
		if err := r.check(q.t); err != nil {
			return err
		}
	}
	s := selectExprs{paths: pathsOf(refs), list: func(b *builder) {
		writeList(b, refs, ", ", (*builder).col)
	}}
	if q.distinct {
		order, err := q.distinctOrder(refs)
		if err != nil {
			return err
		}
		s.distinct, s.order, s.limit = true, order, true
	} else {
		s.rowOrder = true
	}
	stmt, args, err := q.exprSQL(s)
	if err != nil {
		return err
	}
	return q.db.scanEach(ctx, stmt, args, dest, fn)
}

// distinctOrder returns the ORDER BY of distinct values: the query's keys,
// each of which must be one of refs (PostgreSQL sorts DISTINCT rows only
// by what they select), then the rest of refs.
func (q query) distinctOrder(refs []ColRef) ([]sortKey, error) {
	order := append([]sortKey(nil), q.order...)
	for _, o := range q.order {
		if !containsRef(refs, o.Ref) {
			return nil, fmt.Errorf("%w: Distinct values are ordered by the fields read, and %s is not one of them", ErrInvalidQuery, o.Ref.name())
		}
	}
	for _, r := range refs {
		if !containsSortKey(order, r) {
			order = append(order, sortKey{Ref: r})
		}
	}
	return order, nil
}

func sameRef(a, b ColRef) bool { return a.Col == b.Col && a.Path.Key() == b.Path.Key() }

func containsRef(refs []ColRef, r ColRef) bool {
	for _, x := range refs {
		if sameRef(x, r) {
			return true
		}
	}
	return false
}

func containsSortKey(keys []sortKey, r ColRef) bool {
	for _, k := range keys {
		if sameRef(k.Ref, r) {
			return true
		}
	}
	return false
}

// pathsOf returns the relation paths refs reach through.
func pathsOf(refs []ColRef) []*Path {
	var ps []*Path
	for _, r := range refs {
		if r.Path != nil {
			ps = append(ps, r.Path)
		}
	}
	return ps
}

// scanEach runs a query and scans each row into dest, calling fn after
// each.
func (db *DB) scanEach(ctx context.Context, stmt string, args []any, dest []any, fn func() error) error {
	res, err := db.openRows(ctx, stmt, args)
	if err != nil {
		return err
	}
	defer res.Close()
	for res.Next() {
		if err := res.Scan(dest...); err != nil {
			return err
		}
		if err := fn(); err != nil {
			return err
		}
	}
	if err := res.Err(); err != nil {
		return err
	}
	return res.Close()
}
