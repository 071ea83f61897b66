package mysql

import (
	"context"
	"database/sql"
	sqldriver "database/sql/driver"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/go-sql-driver/mysql"

	"github.com/ormc/ormc/runtime/dialect"
)

// When the context of a statement ends while the statement runs,
// go-sql-driver/mysql closes its socket and returns, but the server goes
// on: a CPU-bound statement runs to its end, and the connection's
// transaction keeps its locks until the server notices the socket is gone.
// So the connector here learns each connection's id (CONNECTION_ID()) and,
// when a statement's context ends before the statement does, has the
// server kill that connection from a side connection. The connection is
// lost anyway (the driver closed it); KILL CONNECTION also ends the
// statement and rolls back its transaction at once.

// killTimeout bounds one KILL, connecting included.
const killTimeout = 2 * time.Second

// driverConn is what go-sql-driver/mysql's connections implement.
type driverConn interface {
	sqldriver.Conn
	sqldriver.ConnBeginTx
	sqldriver.ConnPrepareContext
	sqldriver.ExecerContext
	sqldriver.QueryerContext
	sqldriver.Pinger
	sqldriver.NamedValueChecker
	sqldriver.SessionResetter
	sqldriver.Validator
}

// driverStmt is what its prepared statements implement.
type driverStmt interface {
	sqldriver.Stmt
	sqldriver.StmtExecContext
	sqldriver.StmtQueryContext
	sqldriver.NamedValueChecker
}

// driverRows is what its rows implement.
type driverRows interface {
	sqldriver.RowsColumnTypeDatabaseTypeName
	sqldriver.RowsColumnTypeNullable
	sqldriver.RowsColumnTypePrecisionScale
	sqldriver.RowsColumnTypeScanType
	sqldriver.RowsNextResultSet
}

// connector wraps go-sql-driver/mysql's connector. sql.DB.Close calls its
// Close, which stops every kill under way.
type connector struct {
	inner   sqldriver.Connector
	k       *killer
	timeout time.Duration // bounds Connect; 0 for no bound
}

func newConnector(inner sqldriver.Connector, timeout time.Duration) *connector {
	k := &killer{inner: inner}
	k.ctx, k.cancel = context.WithCancel(context.Background())
	return &connector{inner: inner, k: k, timeout: timeout}
}

func (c *connector) Driver() sqldriver.Driver { return c.inner.Driver() }

func (c *connector) Close() error {
	c.k.close()
	return nil
}

// Connect opens a connection within the connect timeout: the driver's
// handshake waits as long as its context lets it.
func (c *connector) Connect(ctx context.Context) (sqldriver.Conn, error) {
	if c.timeout <= 0 {
		return c.connect(ctx)
	}
	tctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	dc, err := c.connect(tctx)
	if err != nil && ctx.Err() == nil && tctx.Err() != nil {
		// Not wrapping err, which may be sqldriver.ErrBadConn: database/sql
		// would try again, for as long again.
		return nil, fmt.Errorf("ormc: mysql did not answer within connect_timeout (%s): %w (%v)", c.timeout, context.DeadlineExceeded, err)
	}
	return dc, err
}

func (c *connector) connect(ctx context.Context) (sqldriver.Conn, error) {
	var h handshake
	dc, err := c.inner.Connect(withHandshake(ctx, &h))
	if err != nil {
		return nil, err
	}
	mc, ok := dc.(driverConn)
	if !ok {
		dc.Close()
		return nil, fmt.Errorf("ormc: go-sql-driver/mysql connection of unexpected type %T", dc)
	}
	cn := &conn{driverConn: mc, k: c.k, killDone: make(chan struct{}, 1)}
	cn.onCancel = cn.kill
	if err := cn.learn(ctx, h); err != nil {
		mc.Close()
		return nil, err
	}
	return cn, nil
}

// conn is one connection, which knows its id on the server.
type conn struct {
	driverConn
	k        *killer
	id       int64
	onCancel func()        // kill, as a func value made once
	killDone chan struct{} // receives once per kill that ran
	killed   atomic.Bool   // the server was asked to kill the connection
	// rollbackOnTimeout is the server's innodb_rollback_on_timeout: a
	// lock wait timeout rolls back the whole transaction, not only the
	// statement.
	rollbackOnTimeout bool
}

// learn reads the connection's id and whether a lock wait timeout rolls
// back the transaction. Engines without the InnoDB variable (TiDB) only
// say the id. Behind Vitess the id is vtgate's, from the handshake h (see
// handshake.go): CONNECTION_ID() is a shard's.
func (c *conn) learn(ctx context.Context, h handshake) error {
	vals, err := c.queryRow(ctx, "SELECT CONNECTION_ID(), @@GLOBAL.innodb_rollback_on_timeout")
	var me *mysql.MySQLError
	if errors.As(err, &me) {
		vals, err = c.queryRow(ctx, "SELECT CONNECTION_ID()")
	}
	if err != nil {
		return fmt.Errorf("ormc: mysql connection id: %w", err)
	}
	if c.id, err = toInt(vals[0]); err != nil {
		return fmt.Errorf("ormc: mysql connection id: %w", err)
	}
	if len(vals) > 1 {
		on, _ := toInt(vals[1])
		c.rollbackOnTimeout = on == 1
	}
	if h.read && dialect.EngineOf(h.version) == dialect.Vitess {
		c.id = h.id
	}
	return nil
}

func (c *conn) queryRow(ctx context.Context, query string) ([]sqldriver.Value, error) {
	rows, err := c.driverConn.QueryContext(ctx, query, nil)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	vals := make([]sqldriver.Value, len(rows.Columns()))
	if err := rows.Next(vals); err != nil {
		return nil, err
	}
	return vals, rows.Close()
}

func toInt(v sqldriver.Value) (int64, error) {
	switch v := v.(type) {
	case int64:
		return v, nil
	case uint64:
		return int64(v), nil
	case []byte:
		return strconv.ParseInt(string(v), 10, 64)
	case string:
		return strconv.ParseInt(v, 10, 64)
	}
	return 0, fmt.Errorf("unexpected %T", v)
}

// watch arranges for the connection to be killed if ctx ends before the
// returned unwatch is called; nil when ctx never ends.
func (c *conn) watch(ctx context.Context) (unwatch func() bool) {
	if ctx.Done() == nil {
		return nil
	}
	return context.AfterFunc(ctx, c.onCancel)
}

// done ends a watch on ctx. When the kill has started, it waits for it
// to end (killTimeout at most); when the driver gave the connection up
// because ctx ended before the watch noticed, it kills it now. Either
// way, when a cancelled call returns, its statement no longer runs on the
// server and its locks are released.
func (c *conn) done(ctx context.Context, unwatch func() bool) {
	if unwatch == nil {
		return
	}
	if !unwatch() {
		<-c.killDone
		return
	}
	if ctx.Err() != nil && !c.driverConn.IsValid() {
		c.killed.Store(true)
		c.k.kill(c.id)
	}
}

// kill runs when a watched context ends.
func (c *conn) kill() {
	c.killed.Store(true)
	c.k.kill(c.id)
	c.killDone <- struct{}{}
}

// errRolledBackOnTimeout is matched by a lock wait timeout (1205) on a
// server whose innodb_rollback_on_timeout is on.
var errRolledBackOnTimeout = errors.New("mysql: the lock wait timeout rolled back the transaction (innodb_rollback_on_timeout)")

type rolledBackError struct{ err error }

func (e *rolledBackError) Error() string   { return e.err.Error() }
func (e *rolledBackError) Unwrap() []error { return []error{e.err, errRolledBackOnTimeout} }

// mark tells a lock wait timeout that rolled back the transaction from
// one that did not.
func (c *conn) mark(err error) error {
	var me *mysql.MySQLError
	if c.rollbackOnTimeout && errors.As(err, &me) && me.Number == 1205 {
		return &rolledBackError{err}
	}
	return err
}

func (c *conn) ExecContext(ctx context.Context, query string, args []sqldriver.NamedValue) (sqldriver.Result, error) {
	w := c.watch(ctx)
	defer c.done(ctx, w)
	res, err := c.driverConn.ExecContext(ctx, query, args)
	return res, c.mark(err)
}

func (c *conn) QueryContext(ctx context.Context, query string, args []sqldriver.NamedValue) (sqldriver.Rows, error) {
	w := c.watch(ctx)
	r, err := c.driverConn.QueryContext(ctx, query, args)
	if err != nil {
		c.done(ctx, w)
		return nil, c.mark(err)
	}
	return c.rows(ctx, r, w), nil
}

// rows keeps the watch until the rows are closed: the server computes
// rows while the client reads them.
func (c *conn) rows(ctx context.Context, r sqldriver.Rows, w func() bool) sqldriver.Rows {
	if w == nil {
		return r
	}
	if dr, ok := r.(driverRows); ok {
		return &rows{driverRows: dr, c: c, ctx: ctx, unwatch: w}
	}
	c.done(ctx, w)
	return r
}

func (c *conn) PrepareContext(ctx context.Context, query string) (sqldriver.Stmt, error) {
	w := c.watch(ctx)
	defer c.done(ctx, w)
	s, err := c.driverConn.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	ds, ok := s.(driverStmt)
	if !ok {
		s.Close()
		return nil, fmt.Errorf("ormc: go-sql-driver/mysql statement of unexpected type %T", s)
	}
	return &stmt{driverStmt: ds, c: c}, nil
}

func (c *conn) BeginTx(ctx context.Context, opts sqldriver.TxOptions) (sqldriver.Tx, error) {
	w := c.watch(ctx)
	defer c.done(ctx, w)
	t, err := c.driverConn.BeginTx(ctx, opts)
	if err != nil {
		return nil, err
	}
	return &tx{Tx: t, c: c}, nil
}

func (c *conn) Ping(ctx context.Context) error {
	w := c.watch(ctx)
	defer c.done(ctx, w)
	return c.driverConn.Ping(ctx)
}

// IsValid and ResetSession make database/sql discard a killed connection.
func (c *conn) IsValid() bool { return !c.killed.Load() && c.driverConn.IsValid() }

func (c *conn) ResetSession(ctx context.Context) error {
	if c.killed.Load() {
		return sqldriver.ErrBadConn
	}
	return c.driverConn.ResetSession(ctx)
}

type stmt struct {
	driverStmt
	c *conn
}

func (s *stmt) ExecContext(ctx context.Context, args []sqldriver.NamedValue) (sqldriver.Result, error) {
	w := s.c.watch(ctx)
	defer s.c.done(ctx, w)
	res, err := s.driverStmt.ExecContext(ctx, args)
	return res, s.c.mark(err)
}

func (s *stmt) QueryContext(ctx context.Context, args []sqldriver.NamedValue) (sqldriver.Rows, error) {
	w := s.c.watch(ctx)
	r, err := s.driverStmt.QueryContext(ctx, args)
	if err != nil {
		s.c.done(ctx, w)
		return nil, s.c.mark(err)
	}
	return s.c.rows(ctx, r, w), nil
}

type rows struct {
	driverRows
	c       *conn
	ctx     context.Context
	unwatch func() bool
	once    sync.Once
}

func (r *rows) Close() error {
	err := r.driverRows.Close()
	r.once.Do(func() { r.c.done(r.ctx, r.unwatch) })
	return err
}

type tx struct {
	sqldriver.Tx
	c *conn
}

// Rollback reports a connection that is gone, killed by the server or
// closed by the driver when a context ended, as sqldriver.ErrBadConn, not as
// the driver's "invalid connection": the server has rolled the
// transaction back already, and database/sql then discards the
// connection.
func (t *tx) Rollback() error {
	err := t.Tx.Rollback()
	if err != nil && !t.c.IsValid() {
		return sqldriver.ErrBadConn
	}
	return err
}

// killer kills connections from a side pool of its own, opened at the
// first kill.
type killer struct {
	inner  sqldriver.Connector
	ctx    context.Context // ends at close, cancelling the kills under way
	cancel context.CancelFunc
	mu     sync.Mutex
	closed bool
	side   *sql.DB
	wg     sync.WaitGroup // kills under way
}

// kill has the server kill connection id, waiting killTimeout at most.
// Errors are ignored: the connection may be gone already.
func (k *killer) kill(id int64) {
	k.mu.Lock()
	if k.closed {
		k.mu.Unlock()
		return
	}
	if k.side == nil {
		k.side = sql.OpenDB(k.inner)
		k.side.SetMaxOpenConns(2)
		k.side.SetMaxIdleConns(1)
	}
	side := k.side
	k.wg.Add(1)
	k.mu.Unlock()
	defer k.wg.Done()
	ctx, cancel := context.WithTimeout(k.ctx, killTimeout)
	defer cancel()
	_, _ = side.ExecContext(ctx, "KILL CONNECTION "+strconv.FormatInt(id, 10))
}

// close stops the kills under way, waits for them, and closes the side
// pool.
func (k *killer) close() {
	k.mu.Lock()
	k.closed = true
	side := k.side
	k.mu.Unlock()
	k.cancel()
	k.wg.Wait()
	if side != nil {
		side.Close()
	}
}
