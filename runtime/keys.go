package runtime

import (
	"context"
	"fmt"

	"github.com/ormc/ormc/runtime/dialect"
)

// Keys the database assigns, and keys given explicitly in the same
// column. MySQL and SQLite assign a key past the largest stored; a
// PostgreSQL identity column draws from a sequence that knows nothing of
// explicit keys, so every write storing one moves the sequence past it
// first (see dialect.KeyAdvancer). When a column has no key left, every
// database's error becomes one wrapping ErrKeysExhausted.

// keysExhaustedError is the error of a write whose key the database could
// not assign: its key column has none left.
type keysExhaustedError struct {
	model, field string
	err          error // the driver's
}

func (e *keysExhaustedError) Error() string {
	return fmt.Sprintf("ormc: no automatic key left for %s field %q (the next would not fit the column): %v", e.model, e.field, e.err)
}

func (e *keysExhaustedError) Unwrap() []error { return []error{ErrKeysExhausted, e.err} }

// keysError returns err, the error of a write to t, as one wrapping
// ErrKeysExhausted when the driver says t's key column has no key left.
func (db *DB) keysError(err error, t *Table) error {
	if err == nil || db.driver.KeysExhausted == nil || !db.driver.KeysExhausted(err) {
		return err
	}
	return &keysExhaustedError{model: t.Model, field: t.PKColumn().Field, err: err}
}

// advanceKeys moves the sequence of t's auto-increment key past key, an
// explicit key about to be stored, where the dialect draws keys from a
// sequence that explicit keys do not move. It runs before the write, so
// that a create racing with it draws a key past key; the sequence is
// never moved back (only when it is below key), and a sequence moved for
// a write that then fails keeps a gap, as any drawn key does.
func (db *DB) advanceKeys(ctx context.Context, t *Table, key int64) error {
	ka, ok := db.dialect.(dialect.KeyAdvancer)
	if !ok || key <= 0 || !t.PKColumn().AutoIncrement {
		return nil
	}
	_, err := db.exec(ctx, ka.AdvanceKeysSQL(), []any{dialect.Quote(db.dialect, t.Name), t.PKColumn().Name, key})
	return err
}

// keyInt returns an integer key's value.
func keyInt(v any) (int64, bool) {
	switch v := v.(type) {
	case int64:
		return v, true
	case int32:
		return int64(v), true
	case int:
		return int64(v), true
	}
	return 0, false
}
