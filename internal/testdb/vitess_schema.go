package testdb

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/ormc/ormc/runtime"
	"github.com/ormc/ormc/runtime/dialect"
	"github.com/ormc/ormc/runtime/driver/mysql"
)

// VitessShardedTarget names the target of the suites that run on the
// sharded keyspace (VitessShardedSchema), in their exceptions and in
// lang/spec.md's engine table.
const VitessShardedTarget = "vitess-sharded"

// EachSharded is Each, then once more on Vitess's sharded keyspace, as
// the subtest VitessShardedTarget, with the vschema of the client whose
// schema.json is schemaJSON (VitessShardedSchema).
func EachSharded(t *testing.T, schemaJSON string, fn func(t *testing.T, url string)) {
	t.Helper()
	Each(t, fn)
	t.Run(VitessShardedTarget, func(t *testing.T) {
		fn(t, VitessShardedSchema(t, schemaJSON))
	})
}

// OnSharded reports whether t runs on Vitess's sharded keyspace: it is,
// or is inside, a subtest named VitessShardedTarget.
func OnSharded(t testing.TB) bool {
	return strings.Contains(t.Name()+"/", "/"+VitessShardedTarget+"/")
}

// VitessShardedSchema leases the sharded keyspace (see VitessSharded) for
// the schema of a generated client, whose snapshot is the file
// schemaJSON (the client's schema.json), and declares its vschema as an
// operator would before the client creates its tables:
//
//   - every table is sharded by the first column of its primary key, so
//     a row's shard follows from its key (see shardedTable);
//   - an auto-increment key draws its values from a Vitess sequence, a
//     table of the unsharded keyspace leased beside it (AUTO_INCREMENT
//     would count per shard, and give two rows the same key);
//   - the URL it returns sets foreign_key_checks = 0: MariaDB checks a
//     foreign key on the shard the row lands on, where the row it refers
//     to is usually missing, so a sharded keyspace cannot keep the
//     schema's foreign keys, and nothing else does (the spec's engine
//     table lists what follows).
//
// It skips or fails as Fresh does without ORMC_TEST_VITESS.
func VitessShardedSchema(t testing.TB, schemaJSON string) string {
	t.Helper()
	data, err := os.ReadFile(schemaJSON)
	if err != nil {
		t.Fatal(err)
	}
	var schema snapshot
	if err := json.Unmarshal(data, &schema); err != nil {
		t.Fatalf("%s: %v", schemaJSON, err)
	}
	var tables []shardedTable
	for _, m := range schema.Models {
		key := m.Fields[m.PrimaryKey]
		if len(m.Key) > 0 {
			key = m.Fields[m.Key[0]]
		}
		integer := key.Type.Kind == "integer" || key.Type.Kind == "biginteger"
		tables = append(tables, shardedTable{m.Table, key.Column, integer, key.AutoIncrement})
	}
	return vitessShardedFor(t, tables)
}

// VitessShardedTables is VitessShardedSchema for tables a test declares
// itself: each is sharded by its primary key column.
func VitessShardedTables(t testing.TB, tables ...*runtime.Table) string {
	t.Helper()
	var st []shardedTable
	for _, tbl := range tables {
		key := tbl.Columns[tbl.PK]
		integer := key.Kind == runtime.KindInteger || key.Kind == runtime.KindBigInteger
		st = append(st, shardedTable{tbl.Name, key.Name, integer, key.AutoIncrement})
	}
	return vitessShardedFor(t, st)
}

// shardedTable is a table of the sharded keyspace: its name, the column
// whose value places its rows, whether that column holds integers, and
// whether its values come from a sequence. An integer key's vindex is
// reverse_bits, which puts consecutive keys on alternate shards (1 and 3
// on 80-, 2 on -80), so that the few rows of a test spread over both
// shards as a hash would spread many; any other key's is xxhash.
type shardedTable struct {
	name, key              string
	integer, autoIncrement bool
}

func vitessShardedFor(t testing.TB, tables []shardedTable) string {
	t.Helper()
	sharded, unsharded := VitessSharded(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := declareVSchema(ctx, tables, sharded, unsharded); err != nil {
		t.Fatalf("vitess: vschema: %v", err)
	}
	return withParam(t, sharded, "foreign_key_checks", "0")
}

// declareVSchema declares tables in the sharded keyspace at sharded, with
// the sequences of their auto-increment keys in the unsharded keyspace at
// unsharded, and waits until vtgate routes them.
func declareVSchema(ctx context.Context, tables []shardedTable, sharded, unsharded string) error {
	ks, uks := keyspaceOf(sharded), keyspaceOf(unsharded)
	q := func(s string) string { return dialect.Quote(dialect.MySQL, s) }
	var seqs, vschema []string
	for _, tbl := range tables {
		table := q(ks) + "." + q(tbl.name)
		vindex := "`xxhash`"
		if tbl.integer {
			vindex = "`reverse_bits`"
		}
		vschema = append(vschema, "ALTER VSCHEMA ON "+table+" ADD VINDEX "+vindex+"("+q(tbl.key)+") USING "+vindex)
		if tbl.autoIncrement {
			seq := q(tbl.name + "_seq")
			seqs = append(seqs,
				"CREATE TABLE "+seq+" (`id` INT, `next_id` BIGINT, `cache` BIGINT, PRIMARY KEY (`id`)) COMMENT 'vitess_sequence'",
				"INSERT INTO "+seq+" (`id`, `next_id`, `cache`) VALUES (0, 1, 100)")
			vschema = append(vschema,
				"ALTER VSCHEMA ADD SEQUENCE "+q(uks)+"."+seq,
				"ALTER VSCHEMA ON "+table+" ADD AUTO_INCREMENT "+q(tbl.key)+" USING "+q(uks)+"."+seq)
		}
	}
	udb, err := runtime.Open(ctx, unsharded, mysql.Driver)
	if err != nil {
		return err
	}
	defer udb.Close()
	if err := runtime.ExecAll(ctx, udb, seqs); err != nil {
		return err
	}
	db, err := runtime.Open(ctx, sharded, mysql.Driver)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := runtime.ExecAll(ctx, db, vschema); err != nil {
		return err
	}
	// The vschema reaches vtgate's planner a moment after ALTER VSCHEMA
	// returns.
	for {
		listed, err := vschemaTables(ctx, db)
		if err != nil {
			return err
		}
		if len(listed) >= len(tables) {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("vtgate lists %d of the %d tables declared: %w", len(listed), len(tables), ctx.Err())
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// vschemaTables lists the tables of the current keyspace's vschema.
func vschemaTables(ctx context.Context, db *runtime.DB) ([]string, error) {
	rows, err := db.Query(ctx, "SHOW VSCHEMA TABLES")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var tables []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return nil, err
		}
		if name != "dual" {
			tables = append(tables, name)
		}
	}
	return tables, rows.Err()
}

// snapshot is what VitessShardedSchema reads of a client's schema.json,
// whose format compiler/ir defines (the examples' module links no
// compiler).
type snapshot struct {
	Models []struct {
		Table      string `json:"table"`
		PrimaryKey int    `json:"primary_key"`
		Key        []int  `json:"key"`
		Fields     []struct {
			Column        string `json:"column"`
			AutoIncrement bool   `json:"auto_increment"`
			Type          struct {
				Kind string `json:"kind"`
			} `json:"type"`
		} `json:"fields"`
	} `json:"models"`
}

// ShardURLs returns, for the URL of the sharded keyspace, a URL of each
// of its two shards: a session there reads and writes that shard's rows
// alone (vtgate's keyspace:shard targeting).
func ShardURLs(t testing.TB, sharded string) []string {
	t.Helper()
	u, err := url.Parse(sharded)
	if err != nil {
		t.Fatalf("invalid database URL: %v", err)
	}
	var out []string
	for _, shard := range []string{"-80", "80-"} {
		v := *u
		v.Path = u.Path + ":" + shard
		out = append(out, v.String())
	}
	return out
}

// keyspaceOf is the keyspace (the database) of a Vitess URL.
func keyspaceOf(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil {
		return ""
	}
	return strings.TrimPrefix(u.Path, "/")
}
