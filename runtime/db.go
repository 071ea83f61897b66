package runtime

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ormc/ormc/runtime/dialect"
	"github.com/ormc/ormc/runtime/driver"
)

// QueryEvent describes one statement sent to the database, reported to
// the Hook once the statement is done.
type QueryEvent struct {
	// SQL is the statement. Transactions are reported as "BEGIN",
	// "COMMIT" and "ROLLBACK", whatever the driver sends; savepoints as
	// the SAVEPOINT statements ormc sends; a bulk load through COPY as
	// "COPY table (columns) FROM STDIN", without Args.
	SQL  string
	Args []any
	// Duration runs from sending the statement until it was done: for a
	// query, until its rows were closed, so reading them is included.
	Duration time.Duration
	// Rows is the number of rows a query returned, or the number a
	// statement that returns none affected.
	Rows int64
	// Err is the statement's error: for a query, also the first error met
	// while reading or closing its rows.
	Err error
}

// Hook observes every statement; it must be safe for concurrent use. It is
// called once per statement when the statement is done, on the goroutine
// that finished it: the caller's for a statement that returns no rows,
// the one that closed the rows for a query (rows that are never closed
// are never reported). Within an Iter loop, the statements the loop body
// runs are therefore reported before the query being iterated.
type Hook func(ctx context.Context, ev QueryEvent)

// Option configures a DB.
type Option func(*DB)

// WithHook makes the DB report every statement to h.
func WithHook(h Hook) Option { return func(db *DB) { db.hook = h } }

// DB is an open database, or a transaction on one. It is safe for
// concurrent use, except that one transaction must not be used by two
// goroutines at once.
type DB struct {
	pool    driver.Pool
	querier driver.Querier // pool, or the transaction
	tx      driver.Tx      // non-nil inside a transaction
	depth   int            // transaction nesting depth: 0 outside, 1 in a transaction, 2+ in savepoints
	driver  *driver.Driver
	dialect dialect.Dialect
	hook    Hook
	cache   *sync.Map // *Table → *tableSQL, shared by a DB and its transactions
	text    *sqlText  // statement texts built before, shared likewise
	secrets []string  // the passwords of the URL it was opened with, hidden from errors
	// conn, when the DB runs every statement on one connection (a
	// transaction, or a pool of one), counts the rows open on it.
	conn *oneConn
	// txs is shared by a transaction and its savepoints; nil outside one.
	txs *txState
	// life is shared by the DB, its copies and its transactions.
	life *poolLife
}

// NewDB wraps an open pool. Most users call Open instead.
func NewDB(pool driver.Pool, d *driver.Driver, opts ...Option) *DB {
	db := &DB{pool: pool, querier: pool, driver: d, dialect: d.Dialect, cache: new(sync.Map), text: new(sqlText), life: &poolLife{pool: pool}}
	if p, ok := pool.(driver.DialectPool); ok && p.Dialect() != nil {
		db.dialect = p.Dialect()
	}
	if p, ok := pool.(driver.SizedPool); ok && p.MaxConns() == 1 {
		db.conn = &oneConn{what: "a database with one connection"}
	}
	for _, o := range opts {
		o(db)
	}
	return db
}

// Apply returns a copy of db with the options applied.
func (db *DB) Apply(opts ...Option) *DB {
	c := *db
	for _, o := range opts {
		o(&c)
	}
	return &c
}

// Dialect returns the database's SQL dialect.
func (db *DB) Dialect() dialect.Dialect { return db.dialect }

// Close closes the database: statements and transactions begun after it
// fail with ErrClosed. It does not wait for rows still being read (an
// Iter loop) or for transactions under way, on any database: those go on
// to their end, and the pool is closed when the last of them ends, its
// error then unreported. Calling Close inside a transaction is an error;
// calling it again does nothing.
func (db *DB) Close() error {
	if db.tx != nil {
		return errors.New("ormc: Close called inside a transaction")
	}
	return db.life.close()
}

// poolLife closes the pool once Close has been called and no rows or
// transaction are open on it, so that Close waits for neither, as
// database/sql's does not, where pgxpool's waited.
type poolLife struct {
	pool  driver.Pool
	state atomic.Int64 // rows, statements and transactions under way; closing once Close was called
	once  sync.Once
	err   error
}

const closing = 1 << 62

// enter counts a statement, rows or a transaction on the pool, or returns
// ErrClosed once Close has been called.
func (l *poolLife) enter() error {
	for {
		s := l.state.Load()
		if s&closing != 0 {
			return ErrClosed
		}
		if l.state.CompareAndSwap(s, s+1) {
			return nil
		}
	}
}

// leave ends what enter counted, closing the pool when it was the last
// after Close.
func (l *poolLife) leave() {
	if l.state.Add(-1) == closing {
		l.shut()
	}
}

func (l *poolLife) close() error {
	if l.state.Or(closing) == 0 {
		return l.shut()
	}
	return nil // closed already, or when the last user leaves
}

func (l *poolLife) shut() error {
	l.once.Do(func() { l.err = l.pool.Close() })
	return l.err
}

// Result is what a statement that returns no rows reports.
type Result = driver.Result

// Rows iterates over the result of Query. Close must be called; it is safe
// to call more than once.
type Rows = driver.Rows

// Exec runs a statement that returns no rows.
func (db *DB) Exec(ctx context.Context, stmt string, args ...any) (Result, error) {
	return db.exec(ctx, stmt, args)
}

// Query runs a statement that returns rows, for SQL that the generated
// client does not write. The caller must close the rows.
func (db *DB) Query(ctx context.Context, stmt string, args ...any) (Rows, error) {
	return db.openRows(ctx, stmt, args)
}

func (db *DB) exec(ctx context.Context, stmt string, args []any) (Result, error) {
	if err := db.ready(ctx, args); err != nil {
		return Result{}, err
	}
	return db.send(ctx, stmt, args)
}

// send runs a statement that returns no rows once exec, or a rollback to
// a savepoint, has checked that it may be sent.
func (db *DB) send(ctx context.Context, stmt string, args []any) (Result, error) {
	if db.tx == nil {
		if err := db.life.enter(); err != nil {
			return Result{}, err
		}
		defer db.life.leave()
	}
	defer db.rescuePanic()
	start := time.Now()
	res, err := db.querier.Exec(ctx, stmt, args)
	err = db.wrap(ctx, err)
	if db.hook != nil {
		db.hook(ctx, QueryEvent{SQL: stmt, Args: args, Duration: time.Since(start), Rows: res.RowsAffected, Err: err})
	}
	return res, err
}

// copyFrom loads rows into table through c, checked and reported like a
// statement: the hook sees "COPY table (cols) FROM STDIN", without
// arguments, and the rows inserted.
func (db *DB) copyFrom(ctx context.Context, c driver.Copier, table string, cols []string, rows [][]any) (int64, error) {
	if err := db.ready(ctx, nil); err != nil {
		return 0, err
	}
	if db.tx == nil {
		if err := db.life.enter(); err != nil {
			return 0, err
		}
		defer db.life.leave()
	}
	defer db.rescuePanic()
	start := time.Now()
	n, err := c.CopyFrom(ctx, table, cols, rows)
	err = db.wrap(ctx, err)
	if db.hook != nil {
		b := newBuilder(db.dialect)
		b.write("COPY ")
		b.ident(table)
		b.write(" (")
		writeList(b, cols, ", ", (*builder).ident)
		b.write(") FROM STDIN")
		db.hook(ctx, QueryEvent{SQL: b.String(), Duration: time.Since(start), Rows: n, Err: err})
		b.free()
	}
	return n, err
}

// openRows runs a statement that returns rows; the caller must close them.
func (db *DB) openRows(ctx context.Context, stmt string, args []any) (Rows, error) {
	if err := db.ready(ctx, args); err != nil {
		return nil, err
	}
	// Outside a transaction the rows hold the pool open until closed.
	held := db.tx == nil
	if held {
		if err := db.life.enter(); err != nil {
			return nil, err
		}
	}
	opened := false
	defer func() {
		if held && !opened {
			db.life.leave()
		}
	}()
	defer db.rescuePanic()
	start := time.Now()
	rows, err := db.querier.Query(ctx, stmt, args)
	err = db.wrap(ctx, err)
	if err != nil {
		if db.hook != nil {
			db.hook(ctx, QueryEvent{SQL: stmt, Args: args, Duration: time.Since(start), Err: err})
		}
		return nil, err
	}
	if db.conn != nil {
		db.conn.open.Add(1)
	}
	opened = true
	return &dbRows{Rows: rows, ctx: ctx, db: db, stmt: stmt, args: args, start: start, held: held}, nil
}

// ErrTooManyParams is wrapped by the error of a statement that would bind
// more values than the database accepts (see Dialect.MaxParams), such as
// an In list of 70,000 values; it is returned before anything is sent.
var ErrTooManyParams = errors.New("ormc: too many parameters")

// ErrConnBusy is wrapped by the error of a statement issued on a
// transaction, or on a database with one connection, while the rows of an
// earlier query on it are still being read, as by a query inside an Iter
// loop: the connection cannot run it until those rows are closed.
var ErrConnBusy = errors.New("ormc: connection busy reading rows")

// ready returns the error of a statement that must not be sent: ctx has
// ended, it has too many parameters, its connection is busy, or its
// transaction refuses statements (see ErrTxAborted).
func (db *DB) ready(ctx context.Context, args []any) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if max := db.dialect.MaxParams(); len(args) > max {
		return fmt.Errorf("%w: the statement binds %d values, %s takes at most %d (split the In list; Load splits its keys itself)",
			ErrTooManyParams, len(args), db.dialect.Name(), max)
	}
	if err := db.conn.idle(); err != nil {
		return err
	}
	return db.txs.aborted()
}

// oneConn is the state of a single connection that statements share.
type oneConn struct {
	what string       // "a transaction", for messages
	open atomic.Int32 // rows open on it
}

// idle returns an error wrapping ErrConnBusy when rows are open on c.
func (c *oneConn) idle() error {
	if c == nil || c.open.Load() == 0 {
		return nil
	}
	return fmt.Errorf("%w: %s runs one statement at a time, and the rows of an earlier query are still open "+
		"(a query inside an Iter loop?): read them with All first, or close them", ErrConnBusy, c.what)
}

// wrap turns a driver's error into the one the caller sees: a constraint
// violation becomes a *ConstraintError, the URL's password is hidden, and
// an error caused by ctx ending satisfies errors.Is(err, ctx.Err()), which
// the drivers do not all ensure (SQLite says "interrupted", MySQL may say
// "invalid connection"). An error that ended or failed the transaction on
// the server, or a statement cancelled by its context, marks the
// transaction aborted, and an error that ended the whole transaction wraps
// ErrTxAborted (see noteAbort).
func (db *DB) wrap(ctx context.Context, err error) error {
	if err == nil {
		return nil
	}
	err = scrub(db.classify(err), db.secrets)
	if cerr := ctx.Err(); cerr != nil && !errors.Is(err, cerr) {
		err = &ctxError{ctx: cerr, err: err}
	}
	return db.noteAbort(ctx, err)
}

// classify turns a driver's constraint violation into a *ConstraintError,
// and a row lock that could not be taken into an error wrapping
// ErrLockNotAvailable.
func (db *DB) classify(err error) error {
	if err == nil {
		return err
	}
	if db.driver.Constraint != nil {
		if v := db.driver.Constraint(err); v != nil {
			return newConstraintError(v, err)
		}
	}
	if db.driver.LockBusy != nil && db.driver.LockBusy(err) {
		return &lockError{err: err}
	}
	return err
}

// ErrLockNotAvailable is wrapped by the error of a query locked with
// NoWait (see Query.Lock) that met a row another transaction holds, on
// PostgreSQL and MySQL/MariaDB alike; SQLite has no row locks.
var ErrLockNotAvailable = errors.New("ormc: row lock not available")

// lockError is a driver's refused lock: it matches ErrLockNotAvailable
// and the driver's error.
type lockError struct{ err error }

func (e *lockError) Error() string   { return ErrLockNotAvailable.Error() + ": " + e.err.Error() }
func (e *lockError) Unwrap() []error { return []error{ErrLockNotAvailable, e.err} }

// ctxError is a driver's error caused by its context ending: it matches
// both the context's error and the driver's.
type ctxError struct {
	ctx error // context.Canceled or context.DeadlineExceeded
	err error
}

func (e *ctxError) Error() string   { return e.ctx.Error() + ": " + e.err.Error() }
func (e *ctxError) Unwrap() []error { return []error{e.ctx, e.err} }

// dbRows reports the errors met while reading rows as DB.wrap does, and
// the query to the hook when the rows are closed.
type dbRows struct {
	Rows
	ctx    context.Context
	db     *DB
	stmt   string
	args   []any
	start  time.Time
	n      int64 // rows read
	err    error // the first error met
	closed bool
	held   bool // counted in db.life until closed
}

// ColumnRows is implemented by the Rows of a driver that names the
// columns of a result (every driver of ormc): Query's rows then name
// them too, for SQL that the generated client does not write.
type ColumnRows interface {
	Columns() ([]string, error)
}

// Columns returns the names of the result's columns, or an error wrapping
// ErrUnsupported when the driver does not name them.
func (r *dbRows) Columns() ([]string, error) {
	if c, ok := r.Rows.(ColumnRows); ok {
		return c.Columns()
	}
	return nil, fmt.Errorf("%w: the driver does not name a result's columns", ErrUnsupported)
}

// Next, Scan, Err and Close hide the password of the URL from a panic
// raised by the driver, as every other call does (see PanicError). The
// deferred check costs a few nanoseconds per row (Stream10000 in bench/:
// 12.07 against 12.45 ms, within its noise), and only runs when the URL
// had a password.
func (r *dbRows) Next() bool {
	if len(r.db.secrets) > 0 {
		defer r.db.rescuePanic()
	}
	if r.Rows.Next() {
		r.n++
		return true
	}
	return false
}

func (r *dbRows) Scan(dest ...any) error {
	if len(r.db.secrets) > 0 {
		defer r.db.rescuePanic()
	}
	if r.db.driver.TimesInUTC {
		plainTimes(dest)
	}
	return r.note(r.Rows.Scan(dest...))
}

func (r *dbRows) Err() error {
	if len(r.db.secrets) > 0 {
		defer r.db.rescuePanic()
	}
	return r.note(r.Rows.Err())
}

// Close closes the rows; the first call reports the query to the hook and
// frees the connection for the next statement.
func (r *dbRows) Close() error {
	if len(r.db.secrets) > 0 {
		defer r.db.rescuePanic()
	}
	err := r.note(r.Rows.Close())
	if r.closed {
		return err
	}
	r.closed = true
	if r.db.conn != nil {
		r.db.conn.open.Add(-1)
	}
	if r.held {
		defer r.db.life.leave()
	}
	if r.db.hook != nil {
		r.db.hook(r.ctx, QueryEvent{SQL: r.stmt, Args: r.args, Duration: time.Since(r.start), Rows: r.n, Err: r.err})
	}
	return err
}

// note wraps err and remembers the first one, for the hook.
func (r *dbRows) note(err error) error {
	err = r.db.wrap(r.ctx, err)
	if r.err == nil {
		r.err = err
	}
	return err
}
