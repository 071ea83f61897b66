package dialect

type mysql struct {
	// fold is the collation lower() folds under; "" for the column's own.
	fold string
	// engine is the server speaking the protocol (engine.go).
	engine Engine
	// shards is, behind Vitess, the server of its shards (MySQL or
	// MariaDB), which answers what vtgate passes on.
	shards Engine
	// autoRandom is, on TiDB, the shard bits of the keys the database
	// makes (AUTO_RANDOM(autoRandom)); 0 for AUTO_INCREMENT.
	autoRandom int
}

// MySQL is the MySQL and MariaDB dialect.
var MySQL Dialect = mysql{}

func (mysql) Name() string { return "mysql" }

func (mysql) AppendIdent(b []byte, name string) []byte { return quoteWith(b, name, '`') }

func (mysql) AppendPlaceholder(b []byte, n int) []byte { return append(b, '?') }

func (mysql) ColumnType(t Type) string { return columnType(t.Kind.Info().MySQL, t) }

func (d mysql) AutoIncrementPK(_ string, t Type) string {
	return d.ColumnType(t) + " NOT NULL AUTO_INCREMENT PRIMARY KEY"
}

func (mysql) Returning() bool       { return false }
func (mysql) UpdateReturning() bool { return false }

// KeyStepSQL reads auto_increment_increment: InnoDB gives the rows of one
// multi-row INSERT keys that far apart, in every lock mode.
func (mysql) KeyStepSQL() string { return "SELECT @@SESSION.auto_increment_increment" }

func (mysql) Upsert() UpsertSyntax   { return OnDuplicateKey }
func (mysql) BulkInsert() BulkSyntax { return MultiRowValues }

// LimitAll is the largest LIMIT, 2^64-1, as MySQL's manual advises: its
// OFFSET needs a LIMIT. vtgate refuses a LIMIT beyond 2^63-1 ("requested
// limit is out of range"), and adds the OFFSET to it for the shards, in
// 64 bits: 2^62-1 leaves room for any offset a query may have.
func (d mysql) LimitAll() string {
	if d.engine == Vitess {
		return "4611686018427387903"
	}
	return "18446744073709551615"
}

func (mysql) DefaultRow() string { return " () VALUES ()" }

func (mysql) TextEndsAtNUL() bool { return false }

// TransactionalDDL is false: every DDL statement commits the transaction
// it runs in, before and after itself.
func (mysql) TransactionalDDL() bool { return false }

func (mysql) AdvisoryLocks() bool { return true }

// TableOptions fixes the character set and a binary collation, so that
// comparisons, LIKE and ORDER BY are case-sensitive as on the other
// dialects whatever the server's default collation is. The collation is
// NO PAD: utf8mb4_bin is PAD SPACE, under which 'x' = 'x ', so Eq("x")
// matched "x " and a unique column refused "x " after "x".
//
// utf8mb4_nopad_bin is MariaDB's (10.2 and later), the server ormc is
// tested on. MySQL 8 has no collation of that name (its NO PAD binary
// one is utf8mb4_0900_bin) and refuses the DDL with error 1273, unknown
// collation: MySQL is not a supported target until CI runs it.
//
// TiDB has no collation of that name either: its tables get
// utf8mb4_0900_bin (see binaryCollation and EngineDDL).
func (d mysql) TableOptions() string {
	return " DEFAULT CHARSET=utf8mb4 COLLATE=" + d.binaryCollation()
}

// MySQLFoldingUnder returns the MySQL dialect folding case under the
// named collation, whose case tables may be newer than utf8mb4_bin's: the
// mysql driver picks utf8mb4_uca1400_as_cs (Unicode 14) on MariaDB 10.10
// and later, where utf8mb4_bin's lower() leaves hundreds of letters
// alone (ẞ, Cherokee, Deseret and others).
func MySQLFoldingUnder(collation string) Dialect { return mysql{fold: collation} }

// Fold lowers the text converted to utf8mb4 under the folding collation,
// then compares the result in utf8mb4_nopad_bin, as the tables do, so
// that LIKE and = stay binary (trailing spaces included) rather than take
// the folding collation's equivalences.
func (d mysql) Fold() (string, string) {
	if d.fold == "" {
		return "LOWER(", ")"
	}
	return "LOWER(CONVERT(", " USING utf8mb4) COLLATE " + d.fold + ") COLLATE " + d.binaryCollation()
}

func (mysql) NullsSortLast() bool { return false }

// MaxParams is the prepared statement's limit: a 16-bit parameter count.
func (mysql) MaxParams() int { return 65535 }

func (mysql) DecimalCollation() string { return "" }

func (mysql) DecimalAdd() string { return "" }

func (mysql) ArrayElemType(Kind) string { return "" }

// LockClause has no OF: MariaDB locks the rows of every table the SELECT
// reads, those joined to the model's included. Its shared lock is
// spelled LOCK IN SHARE MODE (MySQL 8's FOR SHARE is not MariaDB's), and
// SKIP LOCKED needs MariaDB 10.6 or later.
func (mysql) LockClause(l RowLock, _ string) string {
	s := " FOR UPDATE"
	if l.Share {
		s = " LOCK IN SHARE MODE"
	}
	return s + lockWait[l.Wait]
}
