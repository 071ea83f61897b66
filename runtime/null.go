package runtime

import (
	"database/sql"
	sqldriver "database/sql/driver"
	"encoding/json"
	"time"
)

// Null is a value that may be NULL: the Go type of a nullable field, so
// that NULL and the zero value stay apart.
type Null[T any] struct {
	V     T
	Valid bool // false means NULL
}

// Some returns a non-NULL value.
func Some[T any](v T) Null[T] { return Null[T]{V: v, Valid: true} }

// Scan implements sql.Scanner. The common cases, where the driver hands
// over a value of the field's own type, are assigned without going through
// database/sql's conversion, which allocates per row.
func (n *Null[T]) Scan(src any) error {
	if src == nil {
		var zero T
		n.V, n.Valid = zero, false
		return nil
	}
	switch src.(type) {
	case string, int64, float64, bool, time.Time:
		// Never []byte, which drivers reuse and database/sql copies.
		if v, ok := src.(T); ok {
			n.V, n.Valid = v, true
			return nil
		}
	}
	var s sql.Null[T]
	if err := s.Scan(src); err != nil {
		return err
	}
	n.V, n.Valid = s.V, s.Valid
	return nil
}

// Value implements sqldriver.Valuer. A value of a named type (a generated
// enum type, say) is converted to its underlying driver value.
func (n Null[T]) Value() (sqldriver.Value, error) {
	if !n.Valid {
		return nil, nil
	}
	return sqldriver.DefaultParameterConverter.ConvertValue(n.V)
}

// IsNull reports whether the value is NULL.
func (n Null[T]) IsNull() bool { return !n.Valid }

// Get returns the value and whether it is not NULL.
func (n Null[T]) Get() (T, bool) { return n.V, n.Valid }

// MarshalJSON writes null or the value.
func (n Null[T]) MarshalJSON() ([]byte, error) {
	if !n.Valid {
		return []byte("null"), nil
	}
	return json.Marshal(n.V)
}

// UnmarshalJSON reads null or a value.
func (n *Null[T]) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*n = Null[T]{}
		return nil
	}
	n.Valid = true
	return json.Unmarshal(b, &n.V)
}

// nullable is implemented by Null, so validation can look inside.
type nullable interface {
	IsNull() bool
	any() any
}

func (n Null[T]) any() any { return n.V }
