package runtime

import "database/sql"

// Ref is the value of a foreign key field: the referenced row's key and,
// once loaded, the row itself. A row fetched without SelectRelated holds a
// sparse Ref: PK works, Value returns ErrNotLoaded until the row is loaded
// with the referenced model's manager (Load) or fetched with
// SelectRelated.
//
// The zero Ref is unset: NULL in a nullable field, and a validation error
// ("required") in a required one.
type Ref[T any, K comparable] struct {
	key K
	set bool // false means NULL
	row *T
}

// NewRef returns a loaded reference to row, whose key is key.
func NewRef[T any, K comparable](key K, row *T) Ref[T, K] {
	return Ref[T, K]{key: key, set: true, row: row}
}

// KeyRef returns a sparse reference to the row with the given key.
func KeyRef[T any, K comparable](key K) Ref[T, K] { return Ref[T, K]{key: key, set: true} }

// PK returns the referenced row's primary key (the zero key when NULL).
func (r Ref[T, K]) PK() K { return r.key }

// IsNull reports whether the reference is NULL.
func (r Ref[T, K]) IsNull() bool { return !r.set }

// Loaded reports whether the referenced row is available through Value.
// A NULL reference counts as loaded: there is nothing to load.
func (r Ref[T, K]) Loaded() bool { return r.row != nil || !r.set }

// Value returns the referenced row: nil for a NULL reference, an error
// wrapping ErrNotLoaded for a sparse one.
func (r Ref[T, K]) Value() (*T, error) {
	if !r.set {
		return nil, nil
	}
	if r.row == nil {
		return nil, ErrNotLoaded
	}
	return r.row, nil
}

// Set makes r a loaded reference to row, whose key is key.
func (r *Ref[T, K]) Set(key K, row *T) { *r = Ref[T, K]{key: key, set: true, row: row} }

// Clear makes r NULL.
func (r *Ref[T, K]) Clear() { *r = Ref[T, K]{} }

// The methods below are for generated code and the engine.

// KeyPtr marks r set and returns a pointer to the key, to scan a non-null
// column into.
func (r *Ref[T, K]) KeyPtr() *K {
	r.set = true
	return &r.key
}

// Scan implements sql.Scanner for nullable foreign key columns.
func (r *Ref[T, K]) Scan(src any) error {
	var n sql.Null[K]
	if err := n.Scan(src); err != nil {
		return err
	}
	// Keep r.row: a JOIN may have attached the row before the key is scanned.
	r.key, r.set = n.V, n.Valid
	return nil
}

// KeyValue returns the key to bind as an argument: nil for NULL.
func (r Ref[T, K]) KeyValue() any {
	if !r.set {
		return nil
	}
	return r.key
}

// rowAlloc returns a function that allocates rows of the referenced model,
// a chunk at a time, for a query's JOINed rows.
func (r *Ref[T, K]) rowAlloc() func() any {
	s := &slab[T]{left: -1, chunk: 8}
	return s.next
}

// detach forgets the row scanned by a LEFT JOIN that found nothing.
func (r *Ref[T, K]) detach() { r.row = nil }

// loadKey returns the key to load and whether there is anything to load.
func (r *Ref[T, K]) loadKey() (any, bool) { return r.key, r.set && r.row == nil }

// loadRow sets the row of a sparse reference.
func (r *Ref[T, K]) loadRow(row *T) { r.row = row }

// loadAny sets the row of a sparse reference from the engine's untyped row.
func (r *Ref[T, K]) loadAny(row any) { r.row = row.(*T) }

// Linker is implemented by *Ref: what the engine needs to attach a row
// scanned from a JOIN. Generated code returns it from Table.Link.
type Linker interface {
	rowAlloc() func() any
	loadAny(row any)
	detach()
}

// Loadable is implemented by *Ref[T, K]: a reference the manager of T can
// load.
type Loadable[T any] interface {
	loadable
	loadRow(*T)
}

// loadable is what the untyped engine needs of a reference to load it.
type loadable interface {
	loadKey() (any, bool)
	loadAny(row any)
}
