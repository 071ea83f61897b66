package runtime

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Raw SQL is SQL the generated client does not write: a report, an
// aggregate, a query the schema's API cannot say. It is written once for
// every database, with ? for each argument, and runs like every other
// statement: through the Hook (which sees the SQL as sent), with
// constraint violations as *ConstraintError, the context's end as
// errors.Is(err, ctx.Err()), and, on the *DB a Tx hands its function, in
// the transaction. DB.Query and DB.Exec, by contrast, send SQL as written.
//
// The SQL is rewritten for the database before it is sent (see rawSQL):
//
//   - Each ? is the next argument's placeholder: $1, $2… on PostgreSQL,
//     ? elsewhere. ?? is a literal ?, for PostgreSQL's jsonb operators
//     (?, ?| and ?& are written ??, ??| and ??&); MySQL and SQLite read
//     every ? as a placeholder, so ?? is refused there. A ? inside a
//     string literal, a quoted identifier or a comment is left alone.
//   - The number of ? must be the number of arguments; otherwise the
//     error wraps ErrRawSQL and nothing is sent.
//   - On SQLite, SUM(…) is written ormc_decimal_sum(…), the exact SUM the
//     SQLite driver registers: SQLite's own sums a Decimal column's text
//     as floats (0.1 + 0.2 is 0.30000000000000004), where PostgreSQL and
//     MySQL sum numeric exactly. It answers as SUM otherwise (see
//     runtime/driver/sqlite).
//
// A time.Time argument is bound as a DateTime field is (BindUTC: in UTC,
// to the microsecond), so that it compares with the stored instants on
// SQLite too.

// ErrRawSQL is wrapped by the error of raw SQL refused before it is sent:
// its ? and its arguments differ in number, or it writes ?? where the
// database has no ? operator; and by the error of RawRows for a result
// whose columns are not the table's.
var ErrRawSQL = errors.New("ormc: invalid raw SQL")

// Raw runs a raw query and returns its rows, which the caller must close.
// Scan reads a row's columns into pointers to the runtime's value types
// (see RawCursor.Scan). For a single column, RawScan is shorter; for a
// model's rows, RawRows.
func (db *DB) Raw(ctx context.Context, query string, args ...any) (*RawCursor, error) {
	stmt, err := rawSQL(db, query, len(args))
	if err != nil {
		return nil, err
	}
	rows, err := db.openRows(ctx, stmt, rawArgs(args))
	if err != nil {
		return nil, err
	}
	c := &RawCursor{rows: rows, dest: make([]any, 0, 8)}
	c.cols, _ = c.Columns() // while database/sql's rows are open: they close after the last
	return c, nil
}

// RawExec runs a raw statement that returns no rows, rewritten as Raw
// rewrites a query.
func (db *DB) RawExec(ctx context.Context, stmt string, args ...any) (Result, error) {
	s, err := rawSQL(db, stmt, len(args))
	if err != nil {
		return Result{}, err
	}
	return db.exec(ctx, s, rawArgs(args))
}

// RawScan runs a raw query returning one column and returns its values,
// each scanned into a T as RawCursor.Scan does: int64, float64, string,
// bool, []byte, Decimal, Date, TimeOfDay, time.Time (in UTC), UUID, a
// Null of any of them, or any other sql.Scanner. A result of more or
// fewer columns is an error wrapping ErrRawSQL; a NULL into a T that
// cannot hold one, an error. No row gives an empty slice, not an error.
func RawScan[T any](ctx context.Context, db *DB, query string, args ...any) ([]T, error) {
	c, err := db.Raw(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer c.Close()
	// The columns are known once the first row is, or the query done:
	// the PostgreSQL driver does not wait for them before returning.
	oneColumn := func() error {
		if cols, err := c.Columns(); err == nil && len(cols) != 1 {
			return fmt.Errorf("%w: RawScan reads one column, the query returns %d (%s)", ErrRawSQL, len(cols), strings.Join(cols, ", "))
		}
		return nil
	}
	out := []T{}
	for c.Next() {
		if len(out) == 0 {
			if err := oneColumn(); err != nil {
				return nil, err
			}
		}
		var v T
		if err := c.Scan(&v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	if err := c.Err(); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		if err := oneColumn(); err != nil {
			return nil, err
		}
	}
	return out, c.Close()
}

// RawRows runs a raw query returning rows of t's table and returns them
// as the model's rows (P is the generated *Model type), each scanned
// through the table's generated column scanners, as a Query's rows are.
// The result's columns are matched to t's by name, in any order
// (exactly, or else ignoring case when that names one column); a column
// t does not have, one named twice, or a column of t the result lacks
// is an error wrapping ErrRawSQL that names them, returned before any row
// is scanned. Foreign keys are read as keys, their rows not loaded.
//
// It is a function rather than a method of the generated managers so
// that Go compiles it once per model that calls it, not once per model.
func RawRows[P any](ctx context.Context, db *DB, t *Table, query string, args ...any) ([]P, error) {
	if _, ok := t.New().(P); !ok {
		var p P
		return nil, opError("raw", t.Model, fmt.Errorf("%w: RawRows of table %q reads %T rows, not %T", ErrRawSQL, t.Name, t.New(), p))
	}
	c, err := db.Raw(ctx, query, args...)
	if err != nil {
		return nil, opError("raw", t.Model, withModel(err, t))
	}
	defer c.Close()
	var cols []string
	var index []int
	match := func() (err error) { // once the columns are known (see RawScan)
		if cols, err = c.Columns(); err == nil {
			index, err = matchColumns(t, cols)
		}
		return err
	}
	out := []P{}
	rows := newSlab(t, -1)
	var dest []any
	for c.Next() {
		if index == nil {
			if err := match(); err != nil {
				return nil, opError("raw", t.Model, err)
			}
			dest = make([]any, len(index))
		}
		row := rows.next()
		for i, col := range index {
			dest[i] = t.Ptr(row, col)
		}
		if err := c.rows.Scan(dest...); err != nil {
			return nil, opError("raw", t.Model, fmt.Errorf("%w (columns %s)", err, strings.Join(cols, ", ")))
		}
		out = append(out, row.(P))
	}
	if err := c.Err(); err != nil {
		return nil, opError("raw", t.Model, err)
	}
	if index == nil {
		if err := match(); err != nil {
			return nil, opError("raw", t.Model, err)
		}
	}
	return out, opError("raw", t.Model, c.Close())
}

// matchColumns returns, for each column of a result, the index of t's
// column it names.
func matchColumns(t *Table, cols []string) ([]int, error) {
	index := make([]int, len(cols))
	seen := make([]bool, len(t.Columns))
	var unknown, twice, missing []string
	for i, name := range cols {
		c := t.columnNamed(name)
		if c == nil {
			c = columnFolded(t, name)
		}
		switch {
		case c == nil:
			unknown = append(unknown, fmt.Sprintf("%q", name))
			continue
		case seen[c.Index]:
			twice = append(twice, fmt.Sprintf("%q", name))
		}
		seen[c.Index] = true
		index[i] = c.Index
	}
	for i, ok := range seen {
		if !ok {
			missing = append(missing, fmt.Sprintf("%q", t.Columns[i].Name))
		}
	}
	var msgs []string
	if len(unknown) > 0 {
		msgs = append(msgs, fmt.Sprintf("table %q has no column %s", t.Name, strings.Join(unknown, ", ")))
	}
	if len(twice) > 0 {
		msgs = append(msgs, fmt.Sprintf("column %s named twice", strings.Join(twice, ", ")))
	}
	if len(missing) > 0 {
		msgs = append(msgs, fmt.Sprintf("column %s of table %q missing from the result", strings.Join(missing, ", "), t.Name))
	}
	if len(msgs) > 0 {
		return nil, fmt.Errorf("%w: %s", ErrRawSQL, strings.Join(msgs, "; "))
	}
	return index, nil
}

// columnFolded returns the one column of t whose name equals name but for
// case, or nil when none or several do.
func columnFolded(t *Table, name string) *Column {
	var found *Column
	for _, c := range t.Columns {
		if strings.EqualFold(c.Name, name) {
			if found != nil {
				return nil
			}
			found = c
		}
	}
	return found
}

// rawArgs returns the arguments to bind: a time.Time, or a Null of one,
// as a DateTime field binds it. args itself is left alone.
func rawArgs(args []any) []any {
	out, copied := args, false
	for i, a := range args {
		var v any
		switch a := a.(type) {
		case time.Time:
			v = BindUTC(a)
		case Null[time.Time]:
			v = BindNullUTC(a)
		default:
			continue
		}
		if !copied {
			out, copied = append([]any(nil), args...), true
		}
		out[i] = v
	}
	return out
}

// RawCursor is the rows of a raw query (see DB.Raw). It reads one row at
// a time, as database/sql's Rows does, and must be closed; Close is safe
// to call more than once.
type RawCursor struct {
	rows Rows
	dest []any
	cols []string // the result's columns once known; the PostgreSQL driver may learn them at the first row
}

// Next advances to the next row, reporting false after the last one or
// on an error, which Err then returns.
func (c *RawCursor) Next() bool { return c.rows.Next() }

// Err returns the error met by Next, if any.
func (c *RawCursor) Err() error { return c.rows.Err() }

// Close closes the rows, reporting the query to the Hook.
func (c *RawCursor) Close() error { return c.rows.Close() }

// Columns returns the names of the result's columns.
func (c *RawCursor) Columns() ([]string, error) {
	if len(c.cols) > 0 {
		return c.cols, nil
	}
	if cr, ok := c.rows.(ColumnRows); ok {
		cols, err := cr.Columns()
		if err == nil && len(cols) > 0 {
			c.cols = cols
		}
		return cols, err
	}
	return nil, fmt.Errorf("%w: the driver does not name a result's columns", ErrUnsupported)
}

// Scan reads the current row's columns, in order, into dest: one pointer
// per column. A pointer to a runtime type (Decimal, Date, TimeOfDay,
// UUID, Null[T], …) or any sql.Scanner scans as that type does, the same
// on every database: a Decimal reads PostgreSQL's numeric, MySQL's
// DECIMAL bytes and SQLite's text or integer exactly (and refuses a
// float, whose digits are lost already: on SQLite AVG, or SUM over a
// REAL column). A *time.Time (or *Null[time.Time]) reads an instant in
// UTC, from SQLite's text too. Other pointers (*int64, *string,
// *float64, *bool, *[]byte, *any…) convert as database/sql does.
func (c *RawCursor) Scan(dest ...any) error {
	c.dest = append(c.dest[:0], dest...)
	for i, d := range c.dest {
		switch d := d.(type) {
		case *time.Time:
			c.dest[i] = (*rawTime)(d)
		case *Null[time.Time]:
			c.dest[i] = (*rawNullTime)(d)
		}
	}
	err := c.rows.Scan(c.dest...)
	clear(c.dest)
	return err
}

// rawTime scans an instant in UTC: a time.Time from the driver, or the
// text SQLite returns for an expression that is no DateTime column.
type rawTime time.Time

func (t *rawTime) Scan(src any) error {
	v, err := scanInstant(src)
	if err != nil {
		return err
	}
	*t = rawTime(v)
	return nil
}

type rawNullTime Null[time.Time]

func (t *rawNullTime) Scan(src any) error {
	if src == nil {
		*t = rawNullTime{}
		return nil
	}
	v, err := scanInstant(src)
	if err != nil {
		return err
	}
	*t = rawNullTime{V: v, Valid: true}
	return nil
}

// instantLayouts are the texts of an instant scanInstant reads: SQLite's
// (as the SQLite driver writes DateTime values, and as its date functions
// do), and RFC 3339's.
var instantLayouts = []string{
	"2006-01-02 15:04:05.999999999-07:00",
	"2006-01-02T15:04:05.999999999-07:00",
	"2006-01-02 15:04:05.999999999Z07:00",
	time.RFC3339Nano,
	"2006-01-02 15:04:05.999999999", // SQLite's datetime(): UTC
	"2006-01-02T15:04:05.999999999",
}

func scanInstant(src any) (time.Time, error) {
	var s string
	switch v := src.(type) {
	case time.Time:
		return v.UTC(), nil
	case string:
		s = v
	case []byte:
		s = string(v)
	default:
		var n sql.Null[time.Time]
		if err := n.Scan(src); err != nil {
			return time.Time{}, err
		}
		if !n.Valid {
			return time.Time{}, errors.New("ormc: cannot scan NULL into time.Time: scan into a Null[time.Time]")
		}
		return n.V.UTC(), nil
	}
	for _, layout := range instantLayouts {
		if v, err := time.Parse(layout, s); err == nil {
			return v.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("ormc: cannot scan %q into time.Time: not an instant", clip(s, 40))
}
