package runtime

import (
	"errors"
	"fmt"
	"strings"

	"github.com/ormc/ormc/runtime/driver"
)

var (
	// ErrNotFound is returned by Get when no row matches (the seed's NoMatch).
	ErrNotFound = errors.New("ormc: no row matches")
	// ErrMultipleFound is returned by Get when more than one row matches
	// (the seed's MultipleMatches).
	ErrMultipleFound = errors.New("ormc: more than one row matches")
	// ErrNotLoaded is returned when reading a related row that was not
	// loaded: only its key is known.
	ErrNotLoaded = errors.New("ormc: related row not loaded")
	// ErrClosed is returned by calls on a closed DB.
	ErrClosed = errors.New("ormc: database is closed")
	// ErrKeysExhausted is wrapped by the error of a write that left its
	// key to the database when the key column has no key left: the next
	// would not fit the column (past 2,147,483,647 for an Integer key),
	// on every database. Nothing is stored.
	ErrKeysExhausted = errors.New("ormc: no automatic key left")
	// ErrCascadeDepth is wrapped by the *ConstraintError (a foreign key
	// violation) of a delete whose ON DELETE CASCADE chain is deeper than
	// the database follows: on MySQL and MariaDB (InnoDB), 15 rows, the
	// deleted one included.
	ErrCascadeDepth = driver.ErrCascadeDepth
	// ErrStatementTooLarge is wrapped by the error of a write whose row,
	// with its values, is larger than the server takes in one statement
	// (MySQL's max_allowed_packet); it is returned before any SQL is sent.
	ErrStatementTooLarge = errors.New("ormc: statement too large")
)

// FieldError is one failed check on one field.
type FieldError struct {
	Field string // schema field name
	Code  string // stable: "required", "null", "blank", "max_length", ...
	Msg   string
}

func (e FieldError) String() string { return e.Field + ": " + e.Msg }

// ValidationError lists every field of a row that failed validation. It is
// returned before any SQL is sent.
type ValidationError struct {
	Model  string
	Fields []FieldError
}

func (e *ValidationError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "ormc: invalid %s: ", e.Model)
	for i, f := range e.Fields {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(f.String())
	}
	return b.String()
}

// LookupError reports a seed-style lookup string that does not fit the
// schema, or a value that does not fit its lookup, naming the model, the
// bad segment and the valid choices, and the one it most likely meant.
type LookupError struct {
	Model   string   // model the segment was resolved against
	Lookup  string   // the whole lookup string
	Segment string   // the segment that failed; for a bad value, the lookup's name
	Choices []string // what would have been valid there
	// Suggestion is the choice closest to an unknown field or lookup
	// name, by the rule of the checker's "did you mean" hints; "" when
	// none is close enough to be a likely typo, and for other errors.
	Suggestion string
	msg        string // what is wrong, for Error
	err        error  // ErrLookupValue for a value the field cannot hold, ErrTooComplex for a path too long
}

// Unwrap returns ErrLookupValue when the value, not the lookup string, is
// at fault, and ErrTooComplex when the path is longer than a query may
// join.
func (e *LookupError) Unwrap() error { return e.err }

func (e *LookupError) Error() string {
	msg := e.msg
	if msg == "" {
		msg = fmt.Sprintf("%s has no field or lookup %q", e.Model, e.Segment)
	}
	s := fmt.Sprintf("ormc: lookup %q: %s", e.Lookup, msg)
	if e.Suggestion != "" {
		s += fmt.Sprintf("; did you mean %q?", e.Suggestion)
	}
	if len(e.Choices) > 0 {
		s += " (choices: " + strings.Join(e.Choices, ", ") + ")"
	}
	return s
}

// ConstraintKind says which constraint a write violated.
type ConstraintKind = driver.ConstraintKind

// The kinds of constraint.
const (
	UniqueViolation     = driver.UniqueViolation
	ForeignKeyViolation = driver.ForeignKeyViolation
	NotNullViolation    = driver.NotNullViolation
	CheckViolation      = driver.CheckViolation
)

// ConstraintError is a write refused by the database because it broke a
// constraint. It wraps the driver's error. The driver classifies it by
// error code, never by message; the engine then names the constraint from
// the schema's metadata, so that a write through a generated client gets
// the same Model, Table, Columns and Constraint on every database.
type ConstraintError struct {
	Kind ConstraintKind
	// Model and Table are the model and SQL table holding the constraint:
	// the model written, except when a delete (or a change of key) is
	// refused because another model's foreign key still refers to the
	// row, where they are the referring model's.
	Model, Table string
	// Columns are the SQL columns of the constraint (of a NOT NULL, the
	// column).
	Columns []string
	// Constraint is the constraint's name, as compiler/ddl creates it:
	// "track_album_fkey", "artist_name_key", "review_stars_check", and
	// "album_pkey" for a primary key (PostgreSQL's name for it, on every
	// database). It is empty for NOT NULL, which has no name.
	Constraint string
	Err        error // the driver's error
}

func (e *ConstraintError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "ormc: %s violation", e.Kind)
	if e.Model != "" {
		fmt.Fprintf(&b, " on %s", e.Model)
	}
	if e.Constraint != "" {
		fmt.Fprintf(&b, " (constraint %q)", e.Constraint)
	}
	if len(e.Columns) > 0 {
		fmt.Fprintf(&b, " (columns %s)", strings.Join(e.Columns, ", "))
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

func (e *ConstraintError) Unwrap() error { return e.Err }

// opError wraps an error with the operation and model it came from, keeping
// it visible to errors.Is and errors.As.
func opError(op, model string, err error) error {
	if err == nil {
		return nil
	}
	return &OpError{Op: op, Model: model, Err: err}
}

// OpError records the operation and model that failed.
type OpError struct {
	Op    string // "create", "get", "all", ...
	Model string
	Err   error
}

func (e *OpError) Error() string {
	msg := e.Err.Error()
	msg = strings.TrimPrefix(msg, "ormc: ")
	return "ormc: " + e.Model + "." + e.Op + ": " + msg
}

func (e *OpError) Unwrap() error { return e.Err }
