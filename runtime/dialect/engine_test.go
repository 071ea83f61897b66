package dialect

import (
	"database/sql"
	"testing"
)

// TestEngineOf recognises each engine from the versions the servers
// answered (MariaDB 10.11 and 11.4, MySQL 8.4, TiDB built by
// scripts/engines.sh and with TiDB's placeholder, Vitess on MariaDB).
func TestEngineOf(t *testing.T) {
	for _, tc := range []struct {
		version string
		want    Engine
	}{
		{"10.11.11-MariaDB-0+deb12u1", MariaDB},
		{"11.4.5-MariaDB-ubu2404", MariaDB},
		{"5.5.5-10.11.11-MariaDB-0+deb12u1", MariaDB},
		{"8.4.6", MySQLServer},
		{"8.0.11-TiDB-v9.0.0-alpha-e4e814f", TiDB},
		{"8.0.11-TiDB-v8.4.0-this-is-a-placeholder", TiDB},
		{"8.4.6-Vitess", Vitess},
		{"", MySQLServer},
	} {
		if got := EngineOf(tc.version); got != tc.want {
			t.Errorf("EngineOf(%q) = %v, want %v", tc.version, got, tc.want)
		}
	}
}

// TestProfileIsolation: TiDB refuses READ UNCOMMITTED and SERIALIZABLE,
// and shared row locks; every other engine runs the four levels and takes
// them; the profile changes none of the dialect's other capabilities but
// Vitess's largest LIMIT.
func TestProfileIsolation(t *testing.T) {
	levels := []sql.IsolationLevel{sql.LevelDefault, sql.LevelReadUncommitted, sql.LevelReadCommitted, sql.LevelRepeatableRead, sql.LevelSerializable}
	for _, e := range []Engine{MySQLServer, MariaDB, TiDB, Vitess} {
		d := MySQLOn(e, "")
		p, ok := d.(Profile)
		if !ok {
			t.Fatalf("MySQLOn(%v) has no Profile", e)
		}
		if p.Engine() != e {
			t.Errorf("MySQLOn(%v).Engine() = %v", e, p.Engine())
		}
		want := capsOf(MySQL)
		if e == Vitess {
			want.limitAll = "4611686018427387903" // TestProfileVitessWrites
		}
		if capsOf(d) != want {
			t.Errorf("%v: capabilities %+v differ from MySQL's", e, capsOf(d))
		}
		if got, want := p.ShareLocks(), e != TiDB; got != want {
			t.Errorf("%v: ShareLocks() = %v, want %v", e, got, want)
		}
		for _, l := range levels {
			want := e != TiDB || l != sql.LevelReadUncommitted && l != sql.LevelSerializable
			if got := p.IsolationLevel(l); got != want {
				t.Errorf("%v: IsolationLevel(%v) = %v, want %v", e, l, got, want)
			}
		}
	}
	// Vitess sets a level only over MySQL shards (vttablet reads MySQL
	// 8's @@transaction_isolation back); over MariaDB, the default only.
	for _, shards := range []Engine{MySQLServer, MariaDB} {
		p := VitessOn(shards, "").(Profile)
		if p.Engine() != Vitess {
			t.Errorf("VitessOn(%v).Engine() = %v", shards, p.Engine())
		}
		for _, l := range levels {
			want := shards != MariaDB || l == sql.LevelDefault
			if got := p.IsolationLevel(l); got != want {
				t.Errorf("Vitess over %v: IsolationLevel(%v) = %v, want %v", shards, l, got, want)
			}
		}
	}
	// MariaDB and TiDB name the table of a CHECK beside its clause.
	for _, e := range []Engine{MySQLServer, MariaDB, TiDB, Vitess} {
		if got, want := MySQLOn(e, "").(Profile).ChecksWithTables(), map[Engine]string{MariaDB: "CHECK_CONSTRAINTS", TiDB: "TIDB_CHECK_CONSTRAINTS"}[e]; got != want {
			t.Errorf("%v: ChecksWithTables() = %q, want %q", e, got, want)
		}
	}
	if got := Engine(9).String(); got != "Engine(9)" {
		t.Errorf("Engine(9).String() = %q", got)
	}
}

// TestEngineDDL: on TiDB the DDL compiler/ddl writes gets TiDB's binary
// collation and the defaults TiDB takes, the text defaults dropped, and
// nothing inside a quoted string or identifier changes; elsewhere it is
// unchanged.
func TestEngineDDL(t *testing.T) {
	tidb := MySQLOn(TiDB, "")
	for _, c := range []struct{ in, want string }{
		{"CREATE TABLE `t` (`id` INT) DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin",
			"CREATE TABLE `t` (`id` INT) DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_bin"},
		{"`d` DATE NOT NULL DEFAULT (UTC_DATE()), `t` TIME(6) NOT NULL DEFAULT (UTC_TIME(6)), `at` DATETIME(6) NOT NULL DEFAULT (UTC_TIMESTAMP(6))",
			"`d` DATE NOT NULL DEFAULT (CURRENT_DATE), `t` TIME(6) NOT NULL, `at` DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6)"},
		{"`body` LONGTEXT NOT NULL DEFAULT ('it''s \\' DEFAULT (UTC_DATE())'), `doc` JSON DEFAULT ('{}') COMMENT 'x'",
			"`body` LONGTEXT NOT NULL, `doc` JSON COMMENT 'x'"},
		{"`name` VARCHAR(9) DEFAULT 'utf8mb4_nopad_bin DEFAULT (UTC_DATE())' COMMENT 'DEFAULT (''x'')'",
			"`name` VARCHAR(9) DEFAULT 'utf8mb4_nopad_bin DEFAULT (UTC_DATE())' COMMENT 'DEFAULT (''x'')'"},
		{"`utf8mb4_nopad_bin` INT", "`utf8mb4_nopad_bin` INT"},
		{"`s` VARCHAR(5) DEFAULT 'unterminated", "`s` VARCHAR(5) DEFAULT 'unterminated"},
	} {
		if got := AdaptDDL(tidb, c.in); got != c.want {
			t.Errorf("TiDB:\n  %s\ngot\n  %s\nwant\n  %s", c.in, got, c.want)
		}
		for _, d := range []Dialect{MySQL, MySQLOn(MariaDB, ""), VitessOn(MariaDB, ""), Postgres, SQLite} {
			if got := AdaptDDL(d, c.in); got != c.in {
				t.Errorf("%s changed %s into %s", d.Name(), c.in, got)
			}
		}
	}
	if got := tidb.(Profile).CanonicalCollation("utf8mb4_0900_bin"); got != "utf8mb4_nopad_bin" {
		t.Errorf("TiDB's binary collation reads as %q", got)
	}
	if got := MySQLOn(MariaDB, "").(Profile).CanonicalCollation("utf8mb4_0900_bin"); got != "utf8mb4_0900_bin" {
		t.Errorf("MariaDB renames utf8mb4_0900_bin to %q", got)
	}
}

// TestProfileTiDBRefusals: only TiDB lacks SKIP LOCKED that skips and
// read-only transactions.
func TestProfileTiDBRefusals(t *testing.T) {
	for _, p := range []Profile{MySQLOn(MySQLServer, "").(Profile), MySQLOn(MariaDB, "").(Profile),
		MySQLOn(TiDB, "").(Profile), VitessOn(MariaDB, "").(Profile)} {
		want := p.Engine() != TiDB
		if p.SkipsLocked() != want || p.ReadOnlyTx() != want {
			t.Errorf("%v: SkipsLocked %v, ReadOnlyTx %v; want %v", p.Engine(), p.SkipsLocked(), p.ReadOnlyTx(), want)
		}
	}
}

// TestProfileVitessWrites: only Vitess refuses ON DUPLICATE KEY UPDATE of
// a key column and plans no NOT EXISTS over shards, and only there is
// LIMIT's largest value below 2^63.
func TestProfileVitessWrites(t *testing.T) {
	for _, p := range []Profile{MySQLOn(MySQLServer, "").(Profile), MySQLOn(MariaDB, "").(Profile),
		MySQLOn(TiDB, "").(Profile), VitessOn(MariaDB, "").(Profile)} {
		vitess := p.Engine() == Vitess
		if p.DuplicateKeySetsKey() == vitess || p.NegatedExists() == vitess {
			t.Errorf("%v: DuplicateKeySetsKey %v, NegatedExists %v", p.Engine(), p.DuplicateKeySetsKey(), p.NegatedExists())
		}
		limit := p.(Dialect).LimitAll()
		if want := map[bool]string{false: "18446744073709551615", true: "4611686018427387903"}[vitess]; limit != want {
			t.Errorf("%v: LimitAll %s, want %s", p.Engine(), limit, want)
		}
	}
}

// TestAutoRandom: TiDB's dialect with AutoRandom writes a BIGINT key the
// database makes as AUTO_RANDOM(bits), leaves an INT key and a quoted
// lookalike alone, and no other engine takes the option.
func TestAutoRandom(t *testing.T) {
	tidb, err := AutoRandom(MySQLOn(TiDB, ""), 5)
	if err != nil {
		t.Fatal(err)
	}
	for in, want := range map[string]string{
		"CREATE TABLE `t` (`id` BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, `n` INT NOT NULL)":     "CREATE TABLE `t` (`id` BIGINT NOT NULL AUTO_RANDOM(5) PRIMARY KEY, `n` INT NOT NULL)",
		"CREATE TABLE `t` (`id` INT NOT NULL AUTO_INCREMENT PRIMARY KEY)":                          "CREATE TABLE `t` (`id` INT NOT NULL AUTO_INCREMENT PRIMARY KEY)",
		"CREATE TABLE `t` (`c` VARCHAR(60) DEFAULT ' BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY')": "CREATE TABLE `t` (`c` VARCHAR(60) DEFAULT ' BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY')",
	} {
		if got := AdaptDDL(tidb, in); got != want {
			t.Errorf("got  %s\nwant %s", got, want)
		}
	}
	plain := "CREATE TABLE `t` (`id` BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY)"
	if got := AdaptDDL(MySQLOn(TiDB, ""), plain); got != plain {
		t.Errorf("TiDB without the option: %s", got)
	}
	for _, d := range []Dialect{MySQL, MySQLOn(MariaDB, ""), VitessOn(MariaDB, ""), Postgres, SQLite} {
		if _, err := AutoRandom(d, 5); err == nil {
			t.Errorf("%s took auto_random", d.Name())
		}
	}
	for _, bits := range []int{0, 16} {
		if _, err := AutoRandom(MySQLOn(TiDB, ""), bits); err == nil {
			t.Errorf("%d shard bits taken", bits)
		}
	}
	if tidb.(Profile).AutoRandomTablesSQL() == "" || MySQLOn(MariaDB, "").(Profile).AutoRandomTablesSQL() != "" {
		t.Error("only TiDB has AUTO_RANDOM tables to read")
	}
}
