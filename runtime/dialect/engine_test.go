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
// them; the profile changes none of the dialect's other capabilities.
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
		if capsOf(d) != capsOf(MySQL) {
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
	// Only MariaDB's CHECK_CONSTRAINTS names the table of a CHECK.
	for _, e := range []Engine{MySQLServer, MariaDB, TiDB, Vitess} {
		if got, want := MySQLOn(e, "").(Profile).CheckTables(), e == MariaDB; got != want {
			t.Errorf("%v: CheckTables() = %v, want %v", e, got, want)
		}
	}
	if got := Engine(9).String(); got != "Engine(9)" {
		t.Errorf("Engine(9).String() = %q", got)
	}
}
