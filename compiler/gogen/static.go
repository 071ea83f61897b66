package gogen

import "strings"

// Typed fields as static data. A typed field built with its Ref
// (&runtime.StringField[*Track]{Ref: runtime.Col(trackTable, colTrackTitle)})
// is code in the package's initializer: a call, an allocation and the
// stores of its Ref, for every field of every model, which the compiler
// builds into one function as large as the schema. Written empty
// (&runtime.StringField[*Track]{}), it is data the compiler lays out
// statically, and each model's init sets the Refs of all its fields in
// one runtime.BindCols call.

// StaticCtor returns the expression of the field's package-level typed
// field: an empty literal, or for a relation the constructor of its
// Fields, which follow a path built at run time.
func (f *fieldView) StaticCtor() string {
	if f.Target != "" {
		return f.Ctor()
	}
	return emptyField(f.FieldType, f.Owner)
}

// StaticKeyCtor returns the expression of a relation's key field: an
// empty literal.
func (f *fieldView) StaticKeyCtor() string { return emptyField(f.KeyFieldType, f.Owner) }

// BoundVar returns the typed field whose Ref is the field's own column,
// for runtime.BindCols: the field's, or a relation's key field's.
func (f *fieldView) BoundVar() string {
	if f.Target != "" {
		return f.KeyVarName
	}
	return f.VarName
}

// emptyField returns the empty literal of a typed field type, "*T[%M]",
// on model owner.
func emptyField(typ, owner string) string {
	return "&" + strings.ReplaceAll(strings.TrimPrefix(typ, "*"), "%M", "*"+owner) + "{}"
}

// ElemTypeR returns the type a typed field reached through a relation
// points to, for the block a Fields[R] is allocated in; KeyElemTypeR that
// of a relation's key.
func (f *fieldView) ElemTypeR() string    { return strings.TrimPrefix(f.TypeR(), "*") }
func (f *fieldView) KeyElemTypeR() string { return strings.TrimPrefix(f.KeyTypeR(), "*") }

// BoundField returns the name of the typed field whose Ref is the field's
// own column in a Fields[R]: the field's, or a relation's key field's.
func (f *fieldView) BoundField() string {
	if f.Target != "" {
		return f.KeyGoName
	}
	return f.GoName
}
