package dialect

import (
	"database/sql"
	"fmt"
	"strconv"
	"strings"
)

// Engine is the server behind the MySQL protocol. The mysql driver
// recognises it when a pool opens, from what SELECT VERSION() answers,
// and the pool's dialect then states the capabilities that engine has
// (see Profile). TiDB and Vitess speak MySQL's protocol but differ from
// it in how keys are made, what they enforce and which isolation levels
// they have (docs/scaling.md, issue 18).
type Engine uint8

const (
	// MySQLServer is MySQL itself, or a server the version does not
	// name: it is taken to be MySQL.
	MySQLServer Engine = iota
	// MariaDB says "MariaDB" in its version ("11.4.5-MariaDB-…").
	MariaDB
	// TiDB says "TiDB" ("8.0.11-TiDB-v9.0.0-alpha-e4e814f"): a
	// distributed SQL layer over TiKV.
	TiDB
	// Vitess says "Vitess" ("8.4.6-Vitess"): vtgate, which routes each
	// statement to the shards of a keyspace, each a MySQL or MariaDB.
	Vitess
)

var engineNames = [...]string{MySQLServer: "MySQL", MariaDB: "MariaDB", TiDB: "TiDB", Vitess: "Vitess"}

// String is the engine's name as its makers write it.
func (e Engine) String() string {
	if int(e) < len(engineNames) {
		return engineNames[e]
	}
	return "Engine(" + strconv.Itoa(int(e)) + ")"
}

// EngineOf recognises the engine from the answer of SELECT VERSION().
// Vitess is looked for first: vtgate reports the version of MySQL it
// emulates, whatever its shards run.
func EngineOf(version string) Engine {
	switch {
	case strings.Contains(version, "-Vitess"):
		return Vitess
	case strings.Contains(version, "-TiDB-"):
		return TiDB
	case strings.Contains(version, "MariaDB"):
		return MariaDB
	}
	return MySQLServer
}

// Profile is implemented by a dialect that knows which engine speaks it
// and states what that engine does differently, as capabilities: the
// MySQL dialect of a pool (see MySQLOn). Code asks the capabilities,
// never the engine's name. What else differs (keys not consecutive on
// TiDB, foreign keys unenforced across Vitess shards) is in
// docs/scaling.md until code needs to ask.
type Profile interface {
	// Engine is the server the dialect was recognised on.
	Engine() Engine
	// IsolationLevel reports whether the engine runs transactions at
	// level, one of the four SQL levels or sql.LevelDefault. TiDB has
	// REPEATABLE READ (snapshot isolation) and READ COMMITTED only, and
	// refuses the others with error 8048. Vitess sets a level only over
	// MySQL shards: vttablet reads it back through
	// @@transaction_isolation, MySQL 8's name, which MariaDB (before
	// 11.1) does not have (error 1193), so over MariaDB it runs every
	// transaction at the shards' default, REPEATABLE READ.
	IsolationLevel(level sql.IsolationLevel) bool
	// ShareLocks reports whether the engine takes shared row locks
	// (LockClause with Share). TiDB takes none: it refuses LOCK IN SHARE
	// MODE and FOR SHARE with error 1235 unless tidb_enable_noop_functions
	// makes them lock nothing.
	ShareLocks() bool
	// ShareLockWaits reports whether a shared row lock can skip locked
	// rows or refuse to wait (SkipLocked, NoWait). Vitess over MariaDB
	// cannot say it: vtgate's parser takes only MySQL 8's FOR SHARE
	// NOWAIT, which MariaDB refuses (1064), and refuses MariaDB's LOCK IN
	// SHARE MODE NOWAIT.
	ShareLockWaits() bool
	// ChecksWithTables names the information_schema table whose rows
	// give a CHECK's table with its clause: MariaDB's CHECK_CONSTRAINTS
	// (its CHECK names are per table), TiDB's TIDB_CHECK_CONSTRAINTS. It
	// is "" where none does: MySQL 8's CHECK_CONSTRAINTS has no
	// TABLE_NAME, vtgate refuses the column as MySQL 8 would whatever its
	// shards run, and TABLE_CONSTRAINTS names the table (TiDB lists no
	// CHECK there).
	ChecksWithTables() string
	// DefaultsQuoted reports whether information_schema.COLUMNS writes a
	// literal default quoted, as MariaDB does (and vtgate, which passes
	// the query to a shard); MySQL 8 and TiDB write it bare.
	DefaultsQuoted() bool
	// SkipsLocked reports whether SKIP LOCKED skips the rows other
	// transactions hold. TiDB parses it and locks nothing less: every
	// worker of a job queue would take the same rows.
	SkipsLocked() bool
	// ReadOnlyTx reports whether a transaction can be begun read-only.
	// TiDB refuses START TRANSACTION READ ONLY (1235) unless
	// tidb_enable_noop_functions makes it change nothing.
	ReadOnlyTx() bool
	// DuplicateKeySetsKey reports whether INSERT … ON DUPLICATE KEY
	// UPDATE may assign a key column, even to itself (SET id = id, id =
	// LAST_INSERT_ID(id)). vtgate refuses any assignment to a column of a
	// sharded table's vindex (VT12001: DML cannot update vindex column),
	// and a key is what a sharded table's vindex is usually made of.
	DuplicateKeySetsKey() bool
	// NegatedExists reports whether the engine plans NOT EXISTS of a
	// correlated subquery. vtgate does not over a sharded keyspace
	// (VT12001: it plans a correlated subquery across shards only as
	// EXISTS), so behind Vitess a relation's None and All are written
	// as NOT IN, where that means the same.
	NegatedExists() bool
	// AutoRandomTablesSQL is a query of the names of the current
	// database's tables whose key the engine makes with TiDB's
	// AUTO_RANDOM, which information_schema.COLUMNS does not mark; ""
	// on an engine without it.
	AutoRandomTablesSQL() string
	// EngineDDL rewrites a statement of the DDL compiler/ddl writes for
	// the dialect (MariaDB's) into what the engine takes: on TiDB, the
	// binary collation's name and the defaults it has no expression for
	// (see AdaptDDL).
	EngineDDL(stmt string) string
	// CanonicalCollation returns the name compiler/ddl and the schema
	// snapshot use for a collation the engine reports: TiDB's
	// utf8mb4_0900_bin is MariaDB's utf8mb4_nopad_bin.
	CanonicalCollation(collation string) string
}

// MySQLOn returns the MySQL dialect as engine e runs it, folding case
// under collation (see MySQLFoldingUnder).
func MySQLOn(e Engine, collation string) Dialect { return mysql{fold: collation, engine: e} }

// VitessOn returns the MySQL dialect as Vitess runs it over shards of
// engine shards (what SELECT @@version, which vtgate passes to a shard,
// answers), folding case under collation.
func VitessOn(shards Engine, collation string) Dialect {
	return mysql{fold: collation, engine: Vitess, shards: shards}
}

func (d mysql) Engine() Engine { return d.engine }

func (d mysql) IsolationLevel(level sql.IsolationLevel) bool {
	switch {
	case d.engine == Vitess && d.shards == MariaDB:
		return level == sql.LevelDefault
	case d.engine != TiDB:
		return true
	}
	switch level {
	case sql.LevelDefault, sql.LevelRepeatableRead, sql.LevelReadCommitted:
		return true
	}
	return false
}

func (d mysql) ShareLocks() bool { return d.engine != TiDB }

func (d mysql) ChecksWithTables() string {
	switch d.engine {
	case MariaDB:
		return "CHECK_CONSTRAINTS"
	case TiDB:
		return "TIDB_CHECK_CONSTRAINTS"
	}
	return ""
}

func (d mysql) SkipsLocked() bool { return d.engine != TiDB }

func (d mysql) ReadOnlyTx() bool { return d.engine != TiDB }

func (d mysql) DuplicateKeySetsKey() bool { return d.engine != Vitess }

func (d mysql) NegatedExists() bool { return d.engine != Vitess }

func (d mysql) AutoRandomTablesSQL() string {
	if d.engine != TiDB {
		return ""
	}
	return `SELECT TABLE_NAME FROM information_schema.TABLES
		WHERE TABLE_SCHEMA = DATABASE() AND TIDB_ROW_ID_SHARDING_INFO LIKE 'PK!_AUTO!_RANDOM!_BITS=%' ESCAPE '!'`
}

// AutoRandom returns TiDB's dialect d making the keys the database
// generates, on BIGINT columns, with AUTO_RANDOM(bits) rather than
// AUTO_INCREMENT in the DDL it runs (EngineDDL): values spread over the
// whole key space, so that inserts do not all write the last region of
// the table (TiDB's hot spot). bits, 1 to 15, is how many of the key's
// high bits are the shard. An INT key stays AUTO_INCREMENT: AUTO_RANDOM
// needs a BIGINT.
func AutoRandom(d Dialect, bits int) (Dialect, error) {
	m, ok := d.(mysql)
	if !ok || m.engine != TiDB {
		return nil, fmt.Errorf("auto_random is TiDB's key option, and the server is %s", engineOf(d))
	}
	if err := CheckAutoRandomBits(bits); err != nil {
		return nil, err
	}
	m.autoRandom = bits
	return m, nil
}

// CheckAutoRandomBits refuses a number of AUTO_RANDOM shard bits TiDB
// does not take.
func CheckAutoRandomBits(bits int) error {
	if bits < 1 || bits > 15 {
		return fmt.Errorf("want 1 to 15 shard bits, not %d", bits)
	}
	return nil
}

// engineOf names the server d was recognised on.
func engineOf(d Dialect) string {
	if p, ok := d.(Profile); ok {
		return p.Engine().String()
	}
	return d.Name()
}

func (d mysql) DefaultsQuoted() bool {
	return d.engine == MariaDB || d.engine == Vitess && d.shards == MariaDB
}

func (d mysql) ShareLockWaits() bool { return d.engine != Vitess || d.shards != MariaDB }
