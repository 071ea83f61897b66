package runtime

import (
	"database/sql"
	"net/netip"
	"time"
)

// Ref is the value of a foreign key field: the referenced row's key and,
// once loaded, the row itself. P is the pointer to the referenced model's
// Go type (Ref[*db.Album, int64]; see typed.go for why a pointer). A row
// fetched without SelectRelated holds a sparse Ref: PK works, Value returns
// ErrNotLoaded until the row is loaded with the referenced model's manager
// (Load) or fetched with SelectRelated.
//
// The zero Ref is unset: NULL in a nullable field, and a validation error
// ("required") in a required one.
//
// Its methods are go:noinline, as Query's are: Go compiles every method of
// Ref once per relation in the generated package, and not inlined, each
// is a call to the one shaped body rather than a copy of it.
type Ref[P any, K comparable] struct {
	key    K
	set    bool // false means NULL
	loaded bool // row holds the referenced row
	row    P
}

// NewRef returns a loaded reference to row, whose key is key.
func NewRef[P any, K comparable](key K, row P) Ref[P, K] {
	return Ref[P, K]{key: key, set: true, loaded: true, row: row}
}

// KeyRef returns a sparse reference to the row with the given key.
func KeyRef[P any, K comparable](key K) Ref[P, K] { return Ref[P, K]{key: key, set: true} }

// PK returns the referenced row's primary key (the zero key when NULL).
//
//go:noinline
func (r *Ref[P, K]) PK() K { return r.key }

// IsNull reports whether the reference is NULL.
//
//go:noinline
func (r *Ref[P, K]) IsNull() bool { return !r.set }

// Loaded reports whether the referenced row is available through Value.
// A NULL reference counts as loaded: there is nothing to load.
//
//go:noinline
func (r *Ref[P, K]) Loaded() bool { return r.loaded || !r.set }

// Value returns the referenced row: nil for a NULL reference, an error
// wrapping ErrNotLoaded for a sparse one.
//
//go:noinline
func (r *Ref[P, K]) Value() (P, error) {
	if !r.set || !r.loaded {
		var zero P
		if r.set {
			return zero, ErrNotLoaded
		}
		return zero, nil
	}
	return r.row, nil
}

// Set makes r a loaded reference to row, whose key is key.
//
//go:noinline
func (r *Ref[P, K]) Set(key K, row P) { *r = Ref[P, K]{key: key, set: true, loaded: true, row: row} }

// Clear makes r NULL.
//
//go:noinline
func (r *Ref[P, K]) Clear() { *r = Ref[P, K]{} }

// The methods below are for generated code and the engine.

// KeyPtr marks r set and returns a pointer to the key, to scan a non-null
// column into.
//
//go:noinline
func (r *Ref[P, K]) KeyPtr() *K {
	r.set = true
	return &r.key
}

// Scan implements sql.Scanner for nullable foreign key columns. A
// DateTime key is read in UTC, as a DateTime column is (see UTCTime), and
// an IPAddress key as HostAddr reads it.
//
//go:noinline
func (r *Ref[P, K]) Scan(src any) error {
	var n sql.Null[K]
	var err error
	if a, ok := any(&n.V).(*netip.Addr); ok && src != nil {
		err, n.Valid = (*HostAddr)(a).Scan(src), true
	} else {
		err = n.Scan(src)
	}
	if err != nil {
		return err
	}
	if t, ok := any(&n.V).(*time.Time); ok {
		*t = t.UTC()
	}
	// Keep r.row: a JOIN may have attached the row before the key is scanned.
	r.key, r.set = n.V, n.Valid
	return nil
}

// KeyValue returns the key to bind as an argument, as a column of the key's
// type binds it: nil for NULL, a DateTime in UTC to the microsecond
// (BindUTC), an IP address as its canonical text (BindAddr), an enum as a
// plain string.
//
//go:noinline
func (r *Ref[P, K]) KeyValue() any {
	if !r.set {
		return nil
	}
	return bindKey(r.key)
}

// bindKey returns a key value as it is bound, and as the engine compares
// keys: the same instant or enum value is always the same Go value.
func bindKey(k any) any {
	switch k := k.(type) {
	case time.Time:
		return BindUTC(k)
	case netip.Addr:
		return BindAddr(k)
	case Enum:
		return k.EnumValue()
	}
	return k
}

// detach forgets the row scanned by a LEFT JOIN that found nothing.
//
//go:noinline
func (r *Ref[P, K]) detach() {
	var zero P
	r.row, r.loaded = zero, false
}

// loadKey returns the key to load and whether there is anything to load.
//
//go:noinline
func (r *Ref[P, K]) loadKey() (any, bool) { return bindKey(r.key), r.set && !r.loaded }

// loadAny sets the row from the engine's untyped row: after a JOIN or a
// batch load.
//
//go:noinline
func (r *Ref[P, K]) loadAny(row any) { r.row, r.loaded = row.(P), true }

// rowAny returns the row r refers to, loaded by a JOIN: the linked row
// of a many-to-many relation's join row, for Prefetch.
//
//go:noinline
func (r *Ref[P, K]) rowAny() any { return r.row }

// Linker is implemented by *Ref: what the engine needs to attach a row
// scanned from a JOIN. Generated code returns it from Table.Link.
type Linker interface {
	loadAny(row any)
	detach()
	rowAny() any
}

// Loadable is implemented by *Ref[P, K]: a reference the manager of P can
// load.
type Loadable[P any] interface {
	loadable
	Value() (P, error)
}

// loadable is what the untyped engine needs of a reference to load it.
type loadable interface {
	loadKey() (any, bool)
	loadAny(row any)
}
