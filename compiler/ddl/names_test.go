package ddl_test

import (
	"context"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	"github.com/ormc/ormc/compiler"
	"github.com/ormc/ormc/compiler/ddl"
	"github.com/ormc/ormc/compiler/ir"
	"github.com/ormc/ormc/internal/testdb"
	"github.com/ormc/ormc/runtime"
	"github.com/ormc/ormc/runtime/driver/mysql"
	"github.com/ormc/ormc/runtime/driver/postgres"
	"github.com/ormc/ormc/runtime/driver/sqlite"
	"github.com/ormc/ormc/schema"
)

// edgeNames is a schema at the edges of what the checker accepts: names
// of 63 bytes in CJK (21 characters), in two-byte letters and in ASCII;
// a table name of 50 "?" and a letter, which MySQL stores as a 251-byte
// file name; long table and column names whose index and constraint
// names are shortened (the cut falls inside a character unless made at
// a rune boundary), two of them sharing a long prefix; and names next to
// the ones databases reserve.
const edgeNames = `
model Cjk "表表表表表表表表表表表表表表表表表表表表表" <
  id Integer pk
  a  String(10) column("列列列列列列列列列列列列列列列列列列列列列") unique
  b  String(10) column("列列列列列列列列列列列列列列列列列列列列b") unique
  c  String(10) column("列列列列列列列列列列列列列列列列列列列列c") index
  n  Integer(minimum: 0) column("數數數數數數數數數數數數數數數數數數數數數")
  p  ForeignKey(Cjk, on_delete: set_null) null column("參參參參參參參參參參參參參參參參參參參參參")
  index(a, c)
  unique(b, c, name: "索引索引索引索引索引索引索引索引索引索引索")
>

model Latin "ééééééééééééééééééééééééééééééée" <
  id   BigInteger pk
  kind Enum(a, b) column("ñññññññññññññññññññññññññññññññx")
  x    String(5) column(" leading space and\tinside")
  y    String(5) column("XMIN")
  z    String(5) column("xmin_")
  o    String(5) column("oid")
  r    String(5) column("DB_ROW")
  u    String(5) column("\uFFFD\u00A0")
  index(x, name: "primary_key")
  index(y, name: "sqlite")
  index(z, name: " Ωμέγα")
>

model Punct "??????????????????????????????????????????????????a" <
  id String(10) pk
>

model Ascii "a_table_name_of_sixty_three_bytes_which_is_the_longest_allowed_" <
  id Integer pk
  a_column_name_of_sixty_three_bytes_which_is_the_longest_allowed Integer unique
  other ForeignKey(Punct) index
>

model Sqlitex "sqlitex" < id Integer pk >
model Sharp "#sql-1" < id Integer pk >
model Mysql50 "#mysql50" < id Integer pk >
`

// namePieces make up the names of TestNamesApply's random part: letters
// of several scripts, white space, quotes and punctuation, and the names
// and prefixes that databases reserve.
var namePieces = []string{
	"a", "Z", "_", "0", " ", "\t", "?", ".", "/", "\\", "'", "\"", "`", "-", "#", "@", "$",
	"é", "ß", "ǅ", "İ", "Ω", "ς", "漢", "한", "\u00A0", "\u3000", "\uFFFD", "\uFFFF", "😀", "𝔸",
	"xmin", "ctid", "tableoid", "sqlite_", "SQLITE_", "#mysql50#", "PRIMARY", "gen_clust_index",
	"DB_ROW_ID", "fts_doc_id", "表表表表表表表表表表",
}

// nameProbes are schemas whose names collide on PostgreSQL with the names
// it gives a primary key ("m_pkey") and an identity's sequence
// ("m_id_seq"): created after them they fail, and created before they
// make PostgreSQL name the key otherwise than the client reports.
var nameProbes = []string{
	`model M < id Integer pk; f Integer; index(f, name: "m_pkey") >`,
	`model M < id Integer pk; f Integer; unique(f, name: "m_id_seq") >`,
	`model M < id Integer pk > model N "m_id_seq" < id String(5) pk >`,
	`model N "m_pkey" < id String(5) pk > model M < id Integer pk; n ForeignKey(N) >`,
	`model N "m_id_seq" < id String(5) pk > model M < id Integer pk; n ForeignKey(N) >`,
}

// TestNamesApply shows that a name the checker accepts for a table, a
// column or an index is one every database accepts: it applies the
// edge schema, and each of some hundreds of random names the checker
// accepts in a schema of its own, on every database.
func TestNamesApply(t *testing.T) {
	schemas := map[string]*ir.Schema{"edge": checkSource(t, "edge.orm", edgeNames)} // by source
	for _, src := range nameProbes {
		if s := checkSource(nil, "probe.orm", src); s != nil {
			schemas[src] = s
		}
	}
	nProbes := len(schemas) - 1
	if testing.Short() {
		t.Log("-short: the edge schema only")
	} else {
		srcs := randomNameSchemas(t, 80)
		for src := range srcs {
			if s := checkSource(nil, "random.orm", src); s != nil {
				schemas[src] = s
			}
		}
		// Enough accepted names to show something, and enough refused
		// ones to show the pieces reach the rules.
		n := len(schemas) - 1 - nProbes
		t.Logf("%d of %d random names accepted", n, len(srcs))
		if n < len(srcs)/5 || n > len(srcs)*9/10 {
			t.Fatalf("%d of %d random names accepted", n, len(srcs))
		}
	}
	testdb.Each(t, func(t *testing.T, url string) {
		ctx := context.Background()
		db, err := runtime.Open(ctx, url, postgres.Driver, mysql.Driver, sqlite.Driver)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		for src, s := range schemas {
			rounds := 1
			if src == "edge" {
				rounds = 2 // created again after a drop
			}
			for range rounds {
				if err := runtime.ExecAll(ctx, db, ddl.Create(s, db.Dialect())); err != nil {
					t.Fatalf("create: %v\n%s", err, src)
				}
				if db.Dialect().Name() == "postgres" {
					checkPostgresNames(t, db, s)
				}
				if err := dropAll(ctx, db, s); err != nil {
					t.Fatalf("drop: %v\n%s", err, src)
				}
			}
		}
	})
}

// checkPostgresNames checks that each constraint of s has on PostgreSQL
// the name the client reports for it, and each identity sequence the
// name the checker keeps for it: PostgreSQL cuts longer names and
// renames a primary key or sequence whose name is taken.
func checkPostgresNames(t *testing.T, db *runtime.DB, s *ir.Schema) {
	t.Helper()
	for _, m := range s.Models {
		if m.PK().AutoIncrement {
			var n int64
			err := db.QueryRow(context.Background(),
				`SELECT COUNT(*) FROM pg_class WHERE relkind = 'S' AND relname = $1 AND relnamespace = current_schema()::regnamespace`,
				[]any{m.SequenceName}, &n)
			if err != nil || n != 1 {
				t.Errorf("table %q: sequence %q: found %d, %v", m.Table, m.SequenceName, n, err)
			}
		}
		for _, c := range s.Constraints(m) {
			var n int64
			err := db.QueryRow(context.Background(),
				`SELECT COUNT(*) FROM pg_constraint WHERE conname = $1 AND conrelid = (SELECT oid FROM pg_class WHERE relname = $2 AND relnamespace = current_schema()::regnamespace)`,
				[]any{c.Name, m.Table}, &n)
			if err != nil || n != 1 {
				t.Errorf("table %q: constraint %q: found %d, %v", m.Table, c.Name, n, err)
			}
		}
	}
}

// checkSource checks src and returns its IR. With t nil it returns nil
// when the checker refuses src; else the refusal fails the test.
func checkSource(t *testing.T, name, src string) *ir.Schema {
	f, err := schema.Parse(name, []byte(src))
	if err != nil {
		if t != nil {
			t.Fatal(err)
		}
		return nil
	}
	s, diags := compiler.Check(f)
	if diags.HasErrors() {
		if t != nil {
			t.Fatal(diags)
		}
		return nil
	}
	return s
}

// randomNameSchemas returns n schemas, each with one random name used as
// a table, a column or an index name, from a fixed seed.
func randomNameSchemas(t *testing.T, n int) map[string]bool {
	t.Helper()
	rnd := rand.New(rand.NewPCG(12, 6))
	out := map[string]bool{}
	for range n {
		var b strings.Builder
		for range 1 + rnd.IntN(6) {
			b.WriteString(namePieces[rnd.IntN(len(namePieces))])
		}
		q := strconv.Quote(b.String())
		var src string
		switch rnd.IntN(3) {
		case 0:
			src = "model M " + q + " < id Integer pk; other ForeignKey(M) null unique >"
		case 1:
			src = "model M < id Integer pk; f Integer(minimum: 1) column(" + q + ") unique >"
		default:
			src = "model M < id Integer pk; f Integer; index(f, name: " + q + ") >"
		}
		out[src] = true
	}
	return out
}
