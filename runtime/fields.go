package runtime

// Typed fields. Generated code declares one value per model field, typed
// by the model M it belongs to (the pointer to its Go type, *db.Track) and
// by the field's Go type V, so that only the lookups that fit the field's
// type exist, and a field of another model does not compile where a
// Pred[M], Order[M] or Assignment[M] is wanted. The methods of each type
// are exactly the seed-style lookups its column accepts (see opFits), plus
// IsNull, which every field has:
//
//	Field            exact, ne, in, isnull      (Boolean, Enum, IPAddress)
//	OrderedField     + lt, lte, gt, gte         (numbers, dates, times, UUID, keys)
//	StringField      + iexact, contains, …      (String, Text, Email, URL)
//	JSONField        isnull only, and Set       (JSON)
//
// Every field has Set and SetNull; SetNull of a required field is refused
// by validation, before any SQL, like any other value it cannot hold.
//
// The methods have pointer receivers and the types embed nothing: Go
// compiles one wrapper per method of each instantiation (for every model,
// in the generated package), and a value receiver or a promoted method
// would add another.

// Selector is a column of model M, for Upsert's conflict and update
// fields: every typed field and relation of M.
type Selector[M any] interface {
	colOf(M) ColRef
}

// Order is one ORDER BY key of a query on M.
type Order[M any] struct {
	k sortKey
	_ [0]func() // not comparable: no equality function per model
}

// sortKey is the untyped core of Order.
type sortKey struct {
	Ref  ColRef
	Desc bool
}

// Assignment is one `field = value` of a write on M: UpdateAll, Update,
// GetOrCreate's defaults and UpdateOrCreate's values.
type Assignment[M any] struct {
	a assignment
	_ [0]func() // not comparable: no equality function per model
}

// assignment is the untyped core of Assignment.
type assignment struct {
	Ref   ColRef
	Value any // nil for NULL
}

func cmpOf[M any](ref ColRef, op Op, v any) Pred[M] {
	return Pred[M]{cmpPred{ref: ref, op: op, val: v}}
}

func inOf[M, V any](ref ColRef, vs []V) Pred[M] {
	in := make([]any, len(vs))
	for i, v := range vs {
		in[i] = v
	}
	return Pred[M]{cmpPred{ref: ref, op: OpIn, in: in}}
}

func setOf[M, V any](ref ColRef, v V) Assignment[M] {
	return Assignment[M]{a: assignment{Ref: ref, Value: v}}
}

func setNullOf[M any](ref ColRef) Assignment[M] {
	return Assignment[M]{a: assignment{Ref: ref}}
}

// BindCols sets the Ref of the typed field of each column of t, on t's
// own model: refs[i] is that of column i (for a relation, its key
// field's). Generated code declares its typed fields empty, as static
// data, and calls BindCols once per model from init, which costs far
// less to compile than a call and an allocation per field in the
// package's initializer.
func BindCols(t *Table, refs ...*ColRef) {
	for i, r := range refs {
		*r = Col(t, i)
	}
}

// BindPath sets the Ref of the typed field of each column of t reached
// through path p, as ColAt does: refs[i] is that of column i (for a
// relation, its key field's). A generated Fields[R] constructor calls it
// once for all its fields.
func BindPath(p *Path, t *Table, refs ...*ColRef) {
	for i, r := range refs {
		*r = ColAt(p, t, i)
	}
}

// Field is a column whose values can be compared for equality.
type Field[M, V any] struct{ Ref ColRef }

// NewField returns the field for a column. (Generated code writes the
// literal, which costs no function per model.)
func NewField[M, V any](ref ColRef) Field[M, V] { return Field[M, V]{ref} }

//go:noinline
func (f *Field[M, V]) colOf(M) ColRef { return f.Ref }

// Eq matches rows whose value equals v (the seed's exact).
//
//go:noinline
func (f *Field[M, V]) Eq(v V) Pred[M] { return cmpOf[M](f.Ref, OpExact, v) }

// Ne matches rows whose value is not v, NULL included: Ne(v) is
// Not(Eq(v)).
//
//go:noinline
func (f *Field[M, V]) Ne(v V) Pred[M] { return cmpOf[M](f.Ref, OpNe, v) }

// In matches rows whose value is one of vs. An empty list matches nothing.
//
//go:noinline
func (f *Field[M, V]) In(vs ...V) Pred[M] { return inOf[M](f.Ref, vs) }

// IsNull matches rows whose value is NULL (isNull true) or is not NULL.
//
//go:noinline
func (f *Field[M, V]) IsNull(isNull bool) Pred[M] { return cmpOf[M](f.Ref, OpIsNull, isNull) }

// Set returns an assignment of v to the field.
//
//go:noinline
func (f *Field[M, V]) Set(v V) Assignment[M] { return setOf[M](f.Ref, v) }

// SetNull returns an assignment of NULL to the field.
//
//go:noinline
func (f *Field[M, V]) SetNull() Assignment[M] { return setNullOf[M](f.Ref) }

// Asc orders by the field, smallest first.
//
//go:noinline
func (f *Field[M, V]) Asc() Order[M] { return Order[M]{k: sortKey{Ref: f.Ref}} }

// Desc orders by the field, largest first.
//
//go:noinline
func (f *Field[M, V]) Desc() Order[M] { return Order[M]{k: sortKey{Ref: f.Ref, Desc: true}} }

// OrderedField is a column whose values are ordered: numbers, dates, times,
// UUIDs and keys.
type OrderedField[M, V any] struct{ Ref ColRef }

// NewOrderedField returns the field for a column.
func NewOrderedField[M, V any](ref ColRef) OrderedField[M, V] { return OrderedField[M, V]{ref} }

//go:noinline
func (f *OrderedField[M, V]) colOf(M) ColRef { return f.Ref }

// Eq matches rows whose value equals v (the seed's exact).
//
//go:noinline
func (f *OrderedField[M, V]) Eq(v V) Pred[M] { return cmpOf[M](f.Ref, OpExact, v) }

// Ne matches rows whose value is not v, NULL included.
//
//go:noinline
func (f *OrderedField[M, V]) Ne(v V) Pred[M] { return cmpOf[M](f.Ref, OpNe, v) }

// In matches rows whose value is one of vs. An empty list matches nothing.
//
//go:noinline
func (f *OrderedField[M, V]) In(vs ...V) Pred[M] { return inOf[M](f.Ref, vs) }

// IsNull matches rows whose value is NULL (isNull true) or is not NULL.
//
//go:noinline
func (f *OrderedField[M, V]) IsNull(isNull bool) Pred[M] { return cmpOf[M](f.Ref, OpIsNull, isNull) }

// Lt matches rows whose value is less than v.
//
//go:noinline
func (f *OrderedField[M, V]) Lt(v V) Pred[M] { return cmpOf[M](f.Ref, OpLt, v) }

// Lte matches rows whose value is less than or equal to v.
//
//go:noinline
func (f *OrderedField[M, V]) Lte(v V) Pred[M] { return cmpOf[M](f.Ref, OpLte, v) }

// Gt matches rows whose value is greater than v.
//
//go:noinline
func (f *OrderedField[M, V]) Gt(v V) Pred[M] { return cmpOf[M](f.Ref, OpGt, v) }

// Gte matches rows whose value is greater than or equal to v.
//
//go:noinline
func (f *OrderedField[M, V]) Gte(v V) Pred[M] { return cmpOf[M](f.Ref, OpGte, v) }

// Set returns an assignment of v to the field.
//
//go:noinline
func (f *OrderedField[M, V]) Set(v V) Assignment[M] { return setOf[M](f.Ref, v) }

// SetNull returns an assignment of NULL to the field.
//
//go:noinline
func (f *OrderedField[M, V]) SetNull() Assignment[M] { return setNullOf[M](f.Ref) }

// Asc orders by the field, smallest first.
//
//go:noinline
func (f *OrderedField[M, V]) Asc() Order[M] { return Order[M]{k: sortKey{Ref: f.Ref}} }

// Desc orders by the field, largest first.
//
//go:noinline
func (f *OrderedField[M, V]) Desc() Order[M] { return Order[M]{k: sortKey{Ref: f.Ref, Desc: true}} }

// StringField is a text column.
type StringField[M any] struct{ Ref ColRef }

// NewStringField returns the field for a column.
func NewStringField[M any](ref ColRef) StringField[M] { return StringField[M]{ref} }

//go:noinline
func (f *StringField[M]) colOf(M) ColRef { return f.Ref }

// Eq matches rows whose value equals s (the seed's exact).
//
//go:noinline
func (f *StringField[M]) Eq(s string) Pred[M] { return cmpOf[M](f.Ref, OpExact, s) }

// Ne matches rows whose value is not s, NULL included.
//
//go:noinline
func (f *StringField[M]) Ne(s string) Pred[M] { return cmpOf[M](f.Ref, OpNe, s) }

// In matches rows whose value is one of ss. An empty list matches nothing.
//
//go:noinline
func (f *StringField[M]) In(ss ...string) Pred[M] { return inOf[M](f.Ref, ss) }

// IsNull matches rows whose value is NULL (isNull true) or is not NULL.
//
//go:noinline
func (f *StringField[M]) IsNull(isNull bool) Pred[M] { return cmpOf[M](f.Ref, OpIsNull, isNull) }

// Lt matches rows whose value sorts before s.
//
//go:noinline
func (f *StringField[M]) Lt(s string) Pred[M] { return cmpOf[M](f.Ref, OpLt, s) }

// Lte matches rows whose value sorts before s or equals it.
//
//go:noinline
func (f *StringField[M]) Lte(s string) Pred[M] { return cmpOf[M](f.Ref, OpLte, s) }

// Gt matches rows whose value sorts after s.
//
//go:noinline
func (f *StringField[M]) Gt(s string) Pred[M] { return cmpOf[M](f.Ref, OpGt, s) }

// Gte matches rows whose value sorts after s or equals it.
//
//go:noinline
func (f *StringField[M]) Gte(s string) Pred[M] { return cmpOf[M](f.Ref, OpGte, s) }

// IExact matches rows whose value equals s, ignoring case.
//
//go:noinline
func (f *StringField[M]) IExact(s string) Pred[M] { return cmpOf[M](f.Ref, OpIExact, s) }

// Contains matches rows whose value contains s. % and _ in s are literal.
//
//go:noinline
func (f *StringField[M]) Contains(s string) Pred[M] { return cmpOf[M](f.Ref, OpContains, s) }

// IContains matches rows whose value contains s, ignoring case.
//
//go:noinline
func (f *StringField[M]) IContains(s string) Pred[M] { return cmpOf[M](f.Ref, OpIContains, s) }

// StartsWith matches rows whose value starts with s.
//
//go:noinline
func (f *StringField[M]) StartsWith(s string) Pred[M] { return cmpOf[M](f.Ref, OpStartsWith, s) }

// IStartsWith matches rows whose value starts with s, ignoring case.
//
//go:noinline
func (f *StringField[M]) IStartsWith(s string) Pred[M] { return cmpOf[M](f.Ref, OpIStartsWith, s) }

// EndsWith matches rows whose value ends with s.
//
//go:noinline
func (f *StringField[M]) EndsWith(s string) Pred[M] { return cmpOf[M](f.Ref, OpEndsWith, s) }

// IEndsWith matches rows whose value ends with s, ignoring case.
//
//go:noinline
func (f *StringField[M]) IEndsWith(s string) Pred[M] { return cmpOf[M](f.Ref, OpIEndsWith, s) }

// Set returns an assignment of s to the field.
//
//go:noinline
func (f *StringField[M]) Set(s string) Assignment[M] { return setOf[M](f.Ref, s) }

// SetNull returns an assignment of NULL to the field.
//
//go:noinline
func (f *StringField[M]) SetNull() Assignment[M] { return setNullOf[M](f.Ref) }

// Asc orders by the field, smallest first.
//
//go:noinline
func (f *StringField[M]) Asc() Order[M] { return Order[M]{k: sortKey{Ref: f.Ref}} }

// Desc orders by the field, largest first.
//
//go:noinline
func (f *StringField[M]) Desc() Order[M] { return Order[M]{k: sortKey{Ref: f.Ref, Desc: true}} }

// JSONField is a JSON column. It has no lookups but IsNull: PostgreSQL
// compares jsonb by value, MySQL and SQLite compare the text, so no
// equality or order would give the same rows everywhere. It can be set.
type JSONField[M any] struct{ Ref ColRef }

// NewJSONField returns the field for a column.
func NewJSONField[M any](ref ColRef) JSONField[M] { return JSONField[M]{ref} }

//go:noinline
func (f *JSONField[M]) colOf(M) ColRef { return f.Ref }

// IsNull matches rows whose value is NULL (isNull true) or is not NULL.
//
//go:noinline
func (f *JSONField[M]) IsNull(isNull bool) Pred[M] { return cmpOf[M](f.Ref, OpIsNull, isNull) }

// Set returns an assignment of v to the field.
//
//go:noinline
func (f *JSONField[M]) Set(v JSON) Assignment[M] { return setOf[M](f.Ref, v) }

// SetNull returns an assignment of NULL to the field.
//
//go:noinline
func (f *JSONField[M]) SetNull() Assignment[M] { return setNullOf[M](f.Ref) }

// Relation is a foreign key followed from model M, for SelectRelated:
// every Rel from M.
type Relation[M any] interface {
	relOf(M) *Path
}

// Rel is a foreign key of model M, or one reached from M through others,
// leading to rows of model T: the relation itself, for SelectRelated and
// Upsert, and a way to test and order M's rows by the fields of the T row
// each refers to. Generated code declares the first step (db.TrackAlbum)
// with T's own fields on it; Match and Order reach any depth:
//
//	db.TrackAlbum.Name.Eq("Malibu")                      // one step
//	db.TrackAlbum.Match(db.AlbumArtist.Match(db.ArtistName.Eq("Hole")))
type Rel[M, T any] struct{ path *Path }

// NewRel returns the relation along path (see ColRef.Follow).
func NewRel[M, T any](path *Path) *Rel[M, T] { return &Rel[M, T]{path} }

//go:noinline
func (r *Rel[M, T]) relOf(M) *Path { return r.path }

//go:noinline
func (r *Rel[M, T]) colOf(M) ColRef { return r.path.ColRef() }

// Match matches the rows of M whose related T row matches every p (with
// no p: that have one). A NULL key matches nothing, whatever p, so
// Not(Match(…)) keeps such rows.
//
//go:noinline
func (r *Rel[M, T]) Match(p ...Pred[T]) Pred[M] {
	if r.path == nil {
		// A zero Rel: a condition on no column, which the query refuses.
		return Pred[M]{cmpPred{op: OpIsNull, val: false}}
	}
	cs := conds(p)
	for i, c := range cs {
		cs[i] = c.reroot(r.path)
	}
	if r.path.nullable() {
		// A row whose key (or an earlier one on the path) is NULL has no
		// related row to match, even for a condition a NULL satisfies
		// (IsNull): the key must be there.
		cs = append(cs, cmpPred{ref: r.path.ColRef(), op: OpIsNull, val: false})
	}
	if len(cs) == 1 {
		return Pred[M]{cs[0]}
	}
	return Pred[M]{and(cs...)}
}

// Order orders M's rows by a key of the related T row; rows whose key is
// NULL sort as a NULL value does.
//
//go:noinline
func (r *Rel[M, T]) Order(o Order[T]) Order[M] {
	if r.path == nil {
		return Order[M]{} // a zero Rel: an order by no column, refused
	}
	return Order[M]{k: sortKey{Ref: r.path.reroot(o.k.Ref), Desc: o.k.Desc}}
}

// keyOf returns the key of row, a row of the model a relation leads to, as
// it is bound, or nil for a nil row.
func keyOf[T any](p *Path, row T) any {
	var zero T
	if any(row) == any(zero) || p == nil || p.fk.Ref == nil {
		return nil
	}
	t := p.fk.Ref
	return t.Value(row, t.PK)
}

// Is matches the rows of M whose relation refers to row; a nil row
// matches those whose key is NULL.
//
//go:noinline
func (r *Rel[M, T]) Is(row T) Pred[M] {
	k := keyOf(r.path, row)
	if k == nil {
		return cmpOf[M](r.path.ColRef(), OpIsNull, true)
	}
	return cmpOf[M](r.path.ColRef(), OpExact, k)
}

// In matches the rows of M whose relation refers to one of rows (nil rows
// are left out). An empty list matches nothing.
//
//go:noinline
func (r *Rel[M, T]) In(rows ...T) Pred[M] {
	in := make([]any, 0, len(rows))
	for _, row := range rows {
		if k := keyOf(r.path, row); k != nil {
			in = append(in, k)
		}
	}
	return Pred[M]{cmpPred{ref: r.path.ColRef(), op: OpIn, in: in}}
}

// Set returns an assignment of the relation to row (nil: NULL), for
// UpdateAll and Update. It is a relation of M's own: one followed further
// is refused when the write runs.
//
//go:noinline
func (r *Rel[M, T]) Set(row T) Assignment[M] {
	return Assignment[M]{a: assignment{Ref: r.path.ColRef(), Value: keyOf(r.path, row)}}
}
