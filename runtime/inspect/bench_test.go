package inspect_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/ormc/ormc/internal/testdb"
	"github.com/ormc/ormc/runtime"
	"github.com/ormc/ormc/runtime/dialect"
	"github.com/ormc/ormc/runtime/driver/mysql"
	"github.com/ormc/ormc/runtime/driver/postgres"
	"github.com/ormc/ormc/runtime/driver/sqlite"
	"github.com/ormc/ormc/runtime/inspect"
)

func TestMain(m *testing.M) { testdb.Main(m) }

// benchTables returns the statements that create n tables of 10 columns,
// 2 indexes and 1 foreign key each (to the table before, the first to
// itself), written with d's types, quoting and table options.
func benchTables(d dialect.Dialect, n int) []string {
	q := func(s string) string { return dialect.Quote(d, s) }
	ty := func(k dialect.Kind) string {
		switch k {
		case dialect.String:
			return d.ColumnType(dialect.Type{Kind: k, MaxLength: 100})
		case dialect.Decimal:
			return d.ColumnType(dialect.Type{Kind: k, Precision: 10, Scale: 2})
		}
		return d.ColumnType(dialect.Type{Kind: k})
	}
	var stmts []string
	for i := range n {
		t := fmt.Sprintf("t%03d", i)
		ref := fmt.Sprintf("t%03d", max(i-1, 0))
		stmts = append(stmts, "CREATE TABLE "+q(t)+" (\n"+
			q("id")+" "+d.AutoIncrementPK("id", dialect.Type{Kind: dialect.Integer, AutoIncrement: true})+",\n"+
			q("name")+" "+ty(dialect.String)+" NOT NULL,\n"+
			q("code")+" "+ty(dialect.String)+" NOT NULL,\n"+
			q("note")+" "+ty(dialect.Text)+",\n"+
			q("qty")+" "+ty(dialect.Integer)+" NOT NULL DEFAULT 0,\n"+
			q("price")+" "+ty(dialect.Decimal)+",\n"+
			q("flag")+" "+ty(dialect.Boolean)+" NOT NULL DEFAULT FALSE,\n"+
			q("created")+" "+ty(dialect.DateTime)+",\n"+
			q("ratio")+" "+ty(dialect.Float)+",\n"+
			q("parent_id")+" "+ty(dialect.Integer)+",\n"+
			"CONSTRAINT "+q(t+"_parent_fkey")+" FOREIGN KEY ("+q("parent_id")+") REFERENCES "+q(ref)+" ("+q("id")+") ON DELETE CASCADE\n"+
			")"+d.TableOptions(),
			"CREATE INDEX "+q(t+"_name_idx")+" ON "+q(t)+" ("+q("name")+")",
			"CREATE INDEX "+q(t+"_code_qty_idx")+" ON "+q(t)+" ("+q("code")+", "+q("qty")+")")
	}
	return stmts
}

// benchDB opens a fresh database of d with n bench tables.
func benchDB(b *testing.B, d testdb.Dialect, n int) *runtime.DB {
	b.Helper()
	ctx := context.Background()
	db, err := runtime.Open(ctx, testdb.Fresh(b, d), postgres.Driver, mysql.Driver, sqlite.Driver)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	if err := runtime.ExecAll(ctx, db, benchTables(db.Dialect(), n)); err != nil {
		b.Fatal(err)
	}
	return db
}

// BenchmarkInspect500 reads a database of 500 tables of 10 columns, 2
// indexes and 1 foreign key each (issue 13 asks for under 2 s).
func BenchmarkInspect500(b *testing.B) {
	for _, d := range testdb.Dialects {
		b.Run(d.Name, func(b *testing.B) {
			db := benchDB(b, d, 500)
			ctx := context.Background()
			b.ResetTimer()
			for b.Loop() {
				s, err := inspect.Inspect(ctx, db, inspect.Options{})
				if err != nil {
					b.Fatal(err)
				}
				if len(s.Tables) != 500 || len(s.Tables[499].Columns) != 10 || len(s.Tables[499].Indexes) != 2 ||
					len(s.Tables[499].ForeignKeys) != 1 {
					b.Fatalf("read %d tables, the last %+v", len(s.Tables), s.Tables[len(s.Tables)-1])
				}
			}
		})
	}
}

// BenchmarkCheckSchema50 runs what a generated client's CheckSchema runs
// (parse the description, read the schema's tables, compare) on a schema
// of 50 such tables (issue 13 asks for under 100 ms on loopback).
func BenchmarkCheckSchema50(b *testing.B) {
	for _, d := range testdb.Dialects {
		b.Run(d.Name, func(b *testing.B) {
			db := benchDB(b, d, 50)
			ctx := context.Background()
			want, err := inspect.Inspect(ctx, db, inspect.Options{})
			if err != nil {
				b.Fatal(err)
			}
			text, err := json.Marshal(want)
			if err != nil {
				b.Fatal(err)
			}
			descs := inspect.Descriptions{d.Name: string(text)}
			b.ResetTimer()
			for b.Loop() {
				if err := descs.Check(ctx, db); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkCheckSchema50Of500 is BenchmarkCheckSchema50 in a database
// that holds 450 tables more, which CheckSchema does not read.
func BenchmarkCheckSchema50Of500(b *testing.B) {
	for _, d := range testdb.Dialects {
		b.Run(d.Name, func(b *testing.B) {
			db := benchDB(b, d, 500)
			ctx := context.Background()
			var names []string
			for i := range 50 {
				names = append(names, fmt.Sprintf("t%03d", i))
			}
			want, err := inspect.Inspect(ctx, db, inspect.Options{Tables: names})
			if err != nil {
				b.Fatal(err)
			}
			if len(want.Tables) != 50 {
				b.Fatalf("read %d tables", len(want.Tables))
			}
			text, err := json.Marshal(want)
			if err != nil {
				b.Fatal(err)
			}
			descs := inspect.Descriptions{d.Name: string(text)}
			b.ResetTimer()
			for b.Loop() {
				if err := descs.Check(ctx, db); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
