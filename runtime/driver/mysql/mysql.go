// Package mysql connects ormc to MySQL and MariaDB through
// go-sql-driver/mysql.
package mysql

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/go-sql-driver/mysql"
	"github.com/ormc/ormc/runtime/dialect"
	"github.com/ormc/ormc/runtime/driver"
)

// Driver opens mysql:// URLs.
var Driver = &driver.Driver{
	Schemes:       []string{"mysql"},
	Dialect:       dialect.MySQL,
	Open:          Open,
	Constraint:    constraint,
	Retryable:     retryable,
	LockBusy:      lockBusy,
	TxAborted:     txAborted,
	KeysExhausted: keysExhausted,
}

// keysExhausted reports whether the next AUTO_INCREMENT value would not
// fit the column: MariaDB's HA_ERR_AUTOINC_ERANGE (167), MySQL 8's
// ER_AUTOINC_READ_FAILED (1467), and TiDB's ER_DATA_OUT_OF_RANGE (1690)
// for the constant it allocated ("constant 2147483648 overflows int"),
// which an out-of-range value of the row's own would not say: those are
// refused before any SQL.
func keysExhausted(err error) bool {
	var me *mysql.MySQLError
	if !errors.As(err, &me) {
		return false
	}
	switch me.Number {
	case 167, 1467:
		return true
	case 1690:
		return strings.HasPrefix(me.Message, "constant ") && strings.Contains(me.Message, " overflows ")
	}
	return false
}

// Config converts a mysql://user:password@host:port/database?params URL
// into the driver's configuration. Parameters are passed to the driver as
// in its DSN format, except pool_max_conns, which Open applies to the
// pool.
func Config(rawURL string) (*mysql.Config, error) {
	cfg, _, err := config(rawURL)
	return cfg, err
}

// poolOptions are the URL parameters ormc applies itself.
type poolOptions struct {
	maxConns       int           // pool_max_conns, 0 for none
	connectTimeout time.Duration // connect_timeout, 0 for none
	autoRandom     int           // auto_random, TiDB's key option: 0 for none
}

// AutoRandomParam is the URL parameter that makes, on TiDB, the BIGINT
// keys the database generates AUTO_RANDOM keys with that many shard bits
// (1 to 15) in the tables ormc creates (see dialect.AutoRandom). Open
// refuses it on any other server.
const AutoRandomParam = "auto_random"

func config(rawURL string) (*mysql.Config, poolOptions, error) {
	var o poolOptions
	u, err := url.Parse(rawURL)
	if err != nil || u.Scheme != "mysql" || u.Opaque != "" {
		// url.Parse's error quotes the URL, password and all: leave it out.
		return nil, o, fmt.Errorf("%w: want mysql://user:password@host:port/database", driver.ErrInvalidURL)
	}
	u.RawQuery, o.maxConns, err = driver.CutPoolParams(u.RawQuery)
	if err != nil {
		return nil, o, err
	}
	// go-sql-driver's own timeout bounds dialling only, not a server that
	// accepts and never answers.
	u.RawQuery, o.connectTimeout, err = driver.CutConnectTimeout(u.RawQuery)
	if err != nil {
		return nil, o, err
	}
	rest, bits, ok := driver.CutParam(u.RawQuery, AutoRandomParam)
	if ok {
		n, err := strconv.Atoi(bits)
		if err == nil {
			err = dialect.CheckAutoRandomBits(n)
		}
		if err != nil {
			return nil, o, fmt.Errorf("%w: %s %q: %v", driver.ErrInvalidURL, AutoRandomParam, bits, err)
		}
		u.RawQuery, o.autoRandom = rest, n
	}
	cfg := mysql.NewConfig()
	if u.RawQuery != "" {
		// Let the driver parse its own parameters, each escaped so that
		// no "/", "@" or "?" in a value can move the DSN's separators.
		var params []string
		for _, p := range strings.Split(u.RawQuery, "&") {
			if p == "" {
				continue
			}
			k, v, _ := strings.Cut(p, "=")
			k, kerr := url.QueryUnescape(k)
			v, verr := url.QueryUnescape(v)
			if kerr != nil || verr != nil || k == "" {
				return nil, o, fmt.Errorf("%w: invalid mysql URL parameters", driver.ErrInvalidURL)
			}
			params = append(params, url.QueryEscape(k)+"="+url.QueryEscape(v))
		}
		parsed, err := mysql.ParseDSN("/?" + strings.Join(params, "&"))
		if err != nil {
			return nil, o, fmt.Errorf("%w: invalid mysql URL parameters", driver.ErrInvalidURL)
		}
		cfg = parsed
	}
	if u.User != nil {
		cfg.User = u.User.Username()
		cfg.Passwd, _ = u.User.Password()
	}
	cfg.Net = "tcp"
	cfg.DialFunc = dialRecording
	cfg.Addr = u.Host
	if u.Port() == "" {
		cfg.Addr = net.JoinHostPort(u.Hostname(), "3306")
	}
	cfg.DBName = strings.TrimPrefix(u.Path, "/")
	cfg.ParseTime = true
	cfg.Loc = time.UTC
	// Report rows matched, not rows changed, so that an update that
	// changes nothing still finds its row.
	cfg.ClientFoundRows = true
	// Sessions run in UTC, so CURRENT_DATE and friends in DDL defaults
	// agree with the engine, unless the URL asks for another zone.
	if _, ok := cfg.Params["time_zone"]; !ok {
		if cfg.Params == nil {
			cfg.Params = map[string]string{}
		}
		cfg.Params["time_zone"] = "'+00:00'"
	}
	return cfg, o, nil
}

// Open opens a pool for a mysql:// URL and checks that it connects.
// When the context of a statement ends while it runs, the server is told
// to kill the statement's connection, so that it stops and its locks are
// released by the time the call returns. Each connection must be made
// within connect_timeout (see driver.ConnectTimeoutParam).
func Open(ctx context.Context, rawURL string) (driver.Pool, error) {
	cfg, o, err := config(rawURL)
	if err != nil {
		return nil, err
	}
	var interp interpolation
	if err := cfg.Apply(mysql.BeforeConnect(interp.beforeConnect)); err != nil {
		return nil, fmt.Errorf("ormc: open mysql: %w", err)
	}
	db, err := connect(ctx, cfg, o)
	if err != nil {
		return nil, err
	}
	fold, err := foldCollation(ctx, db)
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("ormc: connect to mysql: %w", err)
	}
	// The server closes the connection on a statement larger than its
	// packet limit: the engine sizes bulk inserts to fit it. The engine
	// behind the protocol (MariaDB, MySQL, TiDB, Vitess) says which
	// capabilities the dialect has (dialect.Profile).
	var packet int
	var version, server string
	// Behind Vitess the two answers differ: vtgate answers VERSION() on
	// its own ("8.4.6-Vitess"), and passes a SELECT that also reads a
	// system variable to a shard, whose MySQL or MariaDB answers it.
	if err := db.QueryRowContext(ctx, "SELECT @@max_allowed_packet, VERSION()").Scan(&packet, &server); err != nil {
		db.Close()
		return nil, fmt.Errorf("ormc: connect to mysql: %w", err)
	}
	if err := db.QueryRowContext(ctx, "SELECT VERSION()").Scan(&version); err != nil {
		db.Close()
		return nil, fmt.Errorf("ormc: connect to mysql: %w", err)
	}
	if cfg.MaxAllowedPacket > 0 {
		// The driver refuses what exceeds its own setting.
		packet = min(packet, cfg.MaxAllowedPacket)
	}
	d := dialect.MySQLOn(dialect.EngineOf(version), fold)
	if dialect.EngineOf(version) == dialect.Vitess {
		d = dialect.VitessOn(dialect.EngineOf(server), fold)
	}
	// vtgate's binary protocol (prepared statements) encodes some values
	// it computes itself wrongly: a COUNT it sums over the shards of a
	// join came back as 2^56 for 1. The text protocol is right, and spares
	// a round trip per statement: behind Vitess the driver writes the
	// arguments into the statement (interpolateParams).
	interp.settle(dialect.EngineOf(version) == dialect.Vitess)
	if o.autoRandom > 0 {
		if d, err = dialect.AutoRandom(d, o.autoRandom); err != nil {
			db.Close()
			return nil, fmt.Errorf("%w: %w", driver.ErrInvalidURL, err)
		}
	}
	return driver.NewSQLPool(db, driver.SQLOptions{Dialect: d, MaxStatementBytes: packet}), nil
}

// interpolation turns on go-sql-driver's interpolateParams for every
// connection of a pool once the pool's first connection has told the
// engine: the connections made before (the ones Open asked the engine
// on, still in the pool, which must stay: a pool may be allowed one) by
// setting their own configuration, which the driver reads at each
// statement, and those made after as they connect.
type interpolation struct {
	mu    sync.Mutex
	known bool
	on    bool
	early []*mysql.Config // the connections' configurations before known
}

// beforeConnect is go-sql-driver's BeforeConnect hook: cfg is the new
// connection's own copy of the configuration.
func (p *interpolation) beforeConnect(_ context.Context, cfg *mysql.Config) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	switch {
	case p.on:
		cfg.InterpolateParams = true
	case !p.known:
		p.early = append(p.early, cfg)
	}
	return nil
}

// settle says whether the pool interpolates. Open calls it while no
// statement runs: the pool hands a connection over under its own lock,
// after these writes.
func (p *interpolation) settle(on bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.known, p.on = true, on
	if on {
		for _, cfg := range p.early {
			cfg.InterpolateParams = true
		}
	}
	p.early = nil
}

// connect opens a pool for cfg and checks that it connects.
func connect(ctx context.Context, cfg *mysql.Config, o poolOptions) (*sql.DB, error) {
	conn, err := mysql.NewConnector(cfg)
	if err != nil {
		return nil, fmt.Errorf("ormc: open mysql: %w", err)
	}
	// The connector kills, on the server, a statement whose context ends
	// (see conn.go).
	db := sql.OpenDB(newConnector(conn, o.connectTimeout))
	if o.maxConns > 0 {
		db.SetMaxOpenConns(o.maxConns)
	}
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("ormc: connect to mysql: %w", err)
	}
	return db, nil
}

// foldCollation returns the collation whose lower() folds case as Go
// does, for the case-insensitive lookups: utf8mb4_uca1400_as_cs (Unicode
// 14, MariaDB 10.10 and later), or "" when the server does not know it
// (ER_UNKNOWN_COLLATION), and lower() folds under utf8mb4_bin's older
// tables (see lang/spec.md).
func foldCollation(ctx context.Context, db *sql.DB) (string, error) {
	const uca1400 = "utf8mb4_uca1400_as_cs"
	var folded string
	err := db.QueryRowContext(ctx, "SELECT LOWER(CONVERT(? USING utf8mb4) COLLATE "+uca1400+")", "ẞ").Scan(&folded)
	var me *mysql.MySQLError
	if errors.As(err, &me) && me.Number == 1273 {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	return uca1400, nil
}

// constraint maps MySQL and MariaDB error numbers. Once the number has
// classified the error, the names the message holds are read from it,
// since MySQL reports them nowhere else: the key of a duplicate entry, the
// constraint (and table) of a foreign key or CHECK, the column of a NOT
// NULL.
func constraint(err error) *driver.Violation {
	var me *mysql.MySQLError
	if !errors.As(err, &me) {
		return nil
	}
	v := &driver.Violation{}
	msg := vitessMessage(me.Message, me.Number)
	switch me.Number {
	case 1062, 1586: // ER_DUP_ENTRY, ER_DUP_ENTRY_WITH_KEY_NAME: "Duplicate entry '…' for key 'name'"
		v.Kind = driver.UniqueViolation
		if i := strings.LastIndex(msg, " for key '"); i >= 0 && strings.HasSuffix(msg, "'") {
			key := msg[i+len(" for key '") : len(msg)-1]
			// MySQL 8 writes 'table.key'; MariaDB 'key'.
			if t, k, ok := strings.Cut(key, "."); ok {
				v.Table, key = t, k
			}
			v.Constraint = key
		}
	case 1451, 1452: // ER_ROW_IS_REFERENCED_2, ER_NO_REFERENCED_ROW_2: "… fails (`db`.`table`, CONSTRAINT `name` FOREIGN KEY …"
		v.Kind = driver.ForeignKeyViolation
		v.Table = between(msg, "`.`", "`, CONSTRAINT `")
		v.Constraint = between(msg, ", CONSTRAINT `", "`")
	case 1216, 1217: // the older forms, which name nothing
		v.Kind = driver.ForeignKeyViolation
	case 1048, 1364: // ER_BAD_NULL_ERROR "Column 'c' cannot be null", ER_NO_DEFAULT_FOR_FIELD "Field 'c' doesn't have a default value"
		v.Kind = driver.NotNullViolation
		if c := between(msg, "'", "'"); c != "" {
			v.Columns = []string{c}
		}
	case 3819: // ER_CHECK_CONSTRAINT_VIOLATED (MySQL): "Check constraint 'name' is violated."
		v.Kind = driver.CheckViolation
		v.Constraint = between(msg, "'", "'")
	case 1296: // ER_GET_ERRMSG: "Got error 193 '`db`.`table`, CONSTRAINT `name` FOREIGN KEY …' from InnoDB"
		// The storage engine's own number comes first in the message:
		// 193 is HA_ERR_FK_DEPTH_EXCEEDED, a cascade deeper than the
		// 15 rows InnoDB follows. Any other is no constraint's.
		if !strings.HasPrefix(msg, "Got error 193 ") {
			return nil
		}
		v.Kind = driver.ForeignKeyViolation
		v.Table = between(msg, "`.`", "`, CONSTRAINT `")
		v.Constraint = between(msg, ", CONSTRAINT `", "`")
		v.Err = fmt.Errorf("%w (InnoDB follows 15 rows deep): %w", driver.ErrCascadeDepth, err)
	case 3008: // ER_FK_DEPTH_EXCEEDED (MySQL 8, TiDB): "Foreign key cascade delete/update exceeds max depth of 15."
		v.Kind = driver.ForeignKeyViolation
		v.Err = fmt.Errorf("%w (followed 15 rows deep): %w", driver.ErrCascadeDepth, err)
	case 4025: // ER_CONSTRAINT_FAILED (MariaDB): "CONSTRAINT `name` failed for `db`.`table`"
		v.Kind = driver.CheckViolation
		v.Constraint = between(msg, "CONSTRAINT `", "`")
		if i := strings.LastIndex(msg, "`.`"); i >= 0 {
			v.Table = strings.TrimSuffix(msg[i+len("`.`"):], "`")
		}
	default:
		return nil
	}
	return v
}

// vitessMessage returns the message of the MySQL server behind vtgate,
// which Vitess forwards inside its own: "target: ks.0.primary: vttablet:
// rpc error: code = AlreadyExists desc = MESSAGE (errno 1062) (sqlstate
// 23000) (CallerID: …): Sql: "…", BindVars: {…}". The number is the
// server's, so the message is cut at the first "(errno N)" after "desc =":
// a value in it that holds that text too cuts it short, and then the
// names are not found, as if the server had not given them. Any other
// message is returned as it is.
func vitessMessage(msg string, number uint16) string {
	_, rest, ok := strings.Cut(msg, vttabletError)
	if !ok {
		return msg
	}
	_, rest, ok = strings.Cut(rest, " desc = ")
	if !ok {
		return msg
	}
	inner, _, ok := strings.Cut(rest, fmt.Sprintf(" (errno %d) (sqlstate ", number))
	if !ok {
		return msg
	}
	return inner
}

// vttabletError marks the message of a shard's error that vtgate
// forwards (see vitessMessage).
const vttabletError = ": vttablet: rpc error: code = "

// fromVitess reports whether an error's message is a shard's, forwarded
// by vtgate.
func fromVitess(msg string) bool { return strings.Contains(msg, vttabletError) }

// between returns the text of s after the first start and before the next
// end, or "".
func between(s, start, end string) string {
	_, rest, ok := strings.Cut(s, start)
	if !ok {
		return ""
	}
	v, _, ok := strings.Cut(rest, end)
	if !ok {
		return ""
	}
	return v
}

// Error numbers of transactions that lost a race with another one: run
// again, they would likely succeed.
const (
	// MySQL and MariaDB.
	errLockDeadlock = 1213 // ER_LOCK_DEADLOCK, SQLSTATE 40001: InnoDB rolled the whole transaction back
	// TiDB (https://docs.pingcap.com/tidb/stable/error-codes), which the
	// distributed engines of design.md include. Each means TiDB has rolled
	// the transaction back, and its documentation says to retry it whole.
	errTiDBForUpdateCantRetry = 8002 // a transaction with SELECT … FOR UPDATE met a commit conflict
	errTiDBWriteConflictStale = 8005 // write conflict: the transaction's start timestamp is stale
	errTiDBTxnRetryable       = 8022 // the commit failed and was rolled back; retryable
	errTiDBInfoSchemaChanged  = 8028 // a concurrent DDL changed a table the transaction used
	errTiDBWriteConflict      = 9007 // write conflict in TiKV (optimistic transactions, at commit)
)

// retryable accepts a deadlock (ER_LOCK_DEADLOCK, 1213), any error whose
// SQLSTATE is 40001 (serialization failure, which is what MySQL and
// MariaDB send with 1213, and what other engines speaking the protocol
// send for their own conflicts), and TiDB's conflict errors above, whose
// SQLSTATE is the generic HY000. A lock wait timeout (ER_LOCK_WAIT_TIMEOUT,
// 1205) is not retryable: by default it rolls back only the statement,
// and waiting again would likely time out again. Behind Vitess it is: a
// transaction there can span shards, and a deadlock across shards is one
// no shard sees, which ends only when a wait times out.
func retryable(err error) bool {
	var me *mysql.MySQLError
	if !errors.As(err, &me) {
		return false
	}
	switch me.Number {
	case errLockDeadlock, errTiDBForUpdateCantRetry, errTiDBWriteConflictStale, errTiDBTxnRetryable, errTiDBInfoSchemaChanged, errTiDBWriteConflict:
		return true
	case errLockWaitTimeout:
		return fromVitess(me.Message)
	case errUnknown:
		// TiDB gives up on a statement whose pessimistic locks met
		// write conflicts 256 times in a row with no number of its own.
		return me.Message == tidbLockRetryLimit
	}
	return me.SQLState == [5]byte{'4', '0', '0', '0', '1'}
}

// TiDB's errors that have no number but ER_UNKNOWN_ERROR (1105), told
// apart by their whole message, which TiDB's source fixes.
const (
	errUnknown         = 1105
	tidbLockRetryLimit = "pessimistic lock retry limit reached"
	tidbLockWaitTimout = "lock wait timeout" // GET_LOCK waiting on TiKV's lock
)

// Error numbers of a lock that could not be taken without waiting.
const (
	errLockWaitTimeout = 1205 // ER_LOCK_WAIT_TIMEOUT: MariaDB's NOWAIT (a wait of 0 s), or a wait that ran out
	errLockNowait      = 3572 // ER_LOCK_NOWAIT: MySQL 8's NOWAIT
)

// lockBusy accepts a NOWAIT lock refused: MySQL's ER_LOCK_NOWAIT, and
// MariaDB's lock wait timeout, which is how its NOWAIT fails (a wait
// that ran out with a longer innodb_lock_wait_timeout is the same error,
// and the same answer: the row is held by another transaction); and
// TiDB's own lock wait timeout, which GET_LOCK can fail with when many
// sessions want the lock at once.
func lockBusy(err error) bool {
	var me *mysql.MySQLError
	return errors.As(err, &me) && (me.Number == errLockWaitTimeout || me.Number == errLockNowait ||
		me.Number == errUnknown && me.Message == tidbLockWaitTimout)
}

// txAborted accepts the errors after which the server has rolled back the
// whole transaction: every retryable error (a deadlock, a serialization
// failure, TiDB's conflicts), and a lock wait timeout on a server started
// with innodb_rollback_on_timeout (see conn.go). After those, MySQL runs
// whatever the client sends next outside any transaction.
func txAborted(err error) bool {
	return retryable(err) || errors.Is(err, errRolledBackOnTimeout)
}
