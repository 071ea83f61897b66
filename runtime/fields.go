package runtime

// Typed fields. Generated code declares one value per model field (and per
// field reached through a foreign key), typed so that only the lookups that
// fit the field's type exist: a misspelt field or an unfitting lookup is a
// compile error in the user's program. The methods of each type are
// exactly the seed-style lookups its column accepts (see opFits):
//
//	Field            exact, ne, in             (Boolean, Enum)
//	OrderedField     + lt, lte, gt, gte        (numbers, dates, times, UUID, relations)
//	StringField      + iexact, contains, …     (String, Text, Email, URL)
//	JSONField        none: only Set            (JSON)
//	Null…            + isnull, and SetNull     (the same, for a nullable column)

// Selector is anything that names a column: every typed field.
type Selector interface {
	ColRef() ColRef
}

// Assignment is one `column = value` of an update by query.
type Assignment struct {
	Ref   ColRef
	Value any
}

// Order is one ORDER BY key.
type Order struct {
	Ref  ColRef
	Desc bool
}

// Field is a column whose values can be compared for equality.
type Field[V any] struct{ Ref ColRef }

// NewField returns the field for a column.
func NewField[V any](ref ColRef) Field[V] { return Field[V]{ref} }

// ColRef returns the column the field refers to.
func (f Field[V]) ColRef() ColRef { return f.Ref }

// Eq matches rows whose value equals v (the seed's exact).
func (f Field[V]) Eq(v V) Pred { return cmpPred{ref: f.Ref, op: OpExact, val: v} }

// Ne matches rows whose value is not v, NULL included: Ne(v) is
// Not(Eq(v)).
func (f Field[V]) Ne(v V) Pred { return cmpPred{ref: f.Ref, op: OpNe, val: v} }

// In matches rows whose value is one of vs. An empty list matches nothing.
func (f Field[V]) In(vs ...V) Pred {
	in := make([]any, len(vs))
	for i, v := range vs {
		in[i] = v
	}
	return cmpPred{ref: f.Ref, op: OpIn, in: in}
}

// Set returns an assignment of v to the field, for Query.Update.
func (f Field[V]) Set(v V) Assignment { return Assignment{Ref: f.Ref, Value: v} }

// Asc orders by the field, smallest first.
func (f Field[V]) Asc() Order { return Order{Ref: f.Ref} }

// Desc orders by the field, largest first.
func (f Field[V]) Desc() Order { return Order{Ref: f.Ref, Desc: true} }

// OrderedField is a column whose values are ordered: numbers, dates, times
// and text.
type OrderedField[V any] struct{ Field[V] }

// NewOrderedField returns the field for a column.
func NewOrderedField[V any](ref ColRef) OrderedField[V] {
	return OrderedField[V]{Field[V]{ref}}
}

// Lt matches rows whose value is less than v.
func (f OrderedField[V]) Lt(v V) Pred { return cmpPred{ref: f.Ref, op: OpLt, val: v} }

// Lte matches rows whose value is less than or equal to v.
func (f OrderedField[V]) Lte(v V) Pred { return cmpPred{ref: f.Ref, op: OpLte, val: v} }

// Gt matches rows whose value is greater than v.
func (f OrderedField[V]) Gt(v V) Pred { return cmpPred{ref: f.Ref, op: OpGt, val: v} }

// Gte matches rows whose value is greater than or equal to v.
func (f OrderedField[V]) Gte(v V) Pred { return cmpPred{ref: f.Ref, op: OpGte, val: v} }

// StringField is a text column.
type StringField struct{ OrderedField[string] }

// NewStringField returns the field for a column.
func NewStringField(ref ColRef) StringField {
	return StringField{OrderedField[string]{Field[string]{ref}}}
}

// Relation is a foreign key followed from a query's model: the typed
// fields generated for the referenced model, reached through it.
type Relation interface {
	RelPath() *Path
}

// IExact matches rows whose value equals s, ignoring case.
func (f StringField) IExact(s string) Pred { return cmpPred{ref: f.Ref, op: OpIExact, val: s} }

// Contains matches rows whose value contains s. % and _ in s are literal.
func (f StringField) Contains(s string) Pred {
	return cmpPred{ref: f.Ref, op: OpContains, val: s}
}

// IContains matches rows whose value contains s, ignoring case.
func (f StringField) IContains(s string) Pred {
	return cmpPred{ref: f.Ref, op: OpIContains, val: s}
}

// StartsWith matches rows whose value starts with s.
func (f StringField) StartsWith(s string) Pred {
	return cmpPred{ref: f.Ref, op: OpStartsWith, val: s}
}

// IStartsWith matches rows whose value starts with s, ignoring case.
func (f StringField) IStartsWith(s string) Pred {
	return cmpPred{ref: f.Ref, op: OpIStartsWith, val: s}
}

// EndsWith matches rows whose value ends with s.
func (f StringField) EndsWith(s string) Pred {
	return cmpPred{ref: f.Ref, op: OpEndsWith, val: s}
}

// IEndsWith matches rows whose value ends with s, ignoring case.
func (f StringField) IEndsWith(s string) Pred {
	return cmpPred{ref: f.Ref, op: OpIEndsWith, val: s}
}

// NullOps are what a nullable column adds to its typed field: IsNull and
// SetNull. Generated code embeds them in the typed fields of nullable
// columns and relations, and only there.
type NullOps struct{ ref ColRef }

// IsNull matches rows whose value is NULL (isnull=true) or is not NULL.
func (n NullOps) IsNull(isNull bool) Pred { return cmpPred{ref: n.ref, op: OpIsNull, val: isNull} }

// SetNull returns an assignment of NULL to the field, for UpdateAll.
func (n NullOps) SetNull() Assignment { return Assignment{Ref: n.ref} }

// NullField is a Field whose column is nullable.
type NullField[V any] struct {
	Field[V]
	NullOps
}

// NewNullField returns the field for a nullable column.
func NewNullField[V any](ref ColRef) NullField[V] { return NullField[V]{Field[V]{ref}, NullOps{ref}} }

// NullOrderedField is an OrderedField whose column is nullable.
type NullOrderedField[V any] struct {
	OrderedField[V]
	NullOps
}

// NewNullOrderedField returns the field for a nullable column.
func NewNullOrderedField[V any](ref ColRef) NullOrderedField[V] {
	return NullOrderedField[V]{NewOrderedField[V](ref), NullOps{ref}}
}

// NullStringField is a StringField whose column is nullable.
type NullStringField struct {
	StringField
	NullOps
}

// NewNullStringField returns the field for a nullable column.
func NewNullStringField(ref ColRef) NullStringField {
	return NullStringField{NewStringField(ref), NullOps{ref}}
}

// JSONField is a JSON column. It has no lookups: PostgreSQL compares jsonb
// by value, MySQL and SQLite compare the text, so no equality or order
// would give the same rows everywhere. It can be set, and a nullable one
// (NullJSONField) tested for NULL.
type JSONField struct{ Ref ColRef }

// NewJSONField returns the field for a column.
func NewJSONField(ref ColRef) JSONField { return JSONField{ref} }

// ColRef returns the column the field refers to.
func (f JSONField) ColRef() ColRef { return f.Ref }

// Set returns an assignment of v to the field, for UpdateAll.
func (f JSONField) Set(v JSON) Assignment { return Assignment{Ref: f.Ref, Value: v} }

// NullJSONField is a JSONField whose column is nullable.
type NullJSONField struct {
	JSONField
	NullOps
}

// NewNullJSONField returns the field for a nullable column.
func NewNullJSONField(ref ColRef) NullJSONField { return NullJSONField{JSONField{ref}, NullOps{ref}} }
