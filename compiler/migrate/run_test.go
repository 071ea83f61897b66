package migrate_test

import (
	"context"
	"crypto/sha256"
	"fmt"
	"io/fs"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"testing/fstest"

	"github.com/ormc/ormc/compiler"
	"github.com/ormc/ormc/compiler/ddl"
	"github.com/ormc/ormc/compiler/ir"
	"github.com/ormc/ormc/compiler/migrate"
	"github.com/ormc/ormc/runtime"
	"github.com/ormc/ormc/runtime/driver/mysql"
	"github.com/ormc/ormc/runtime/driver/postgres"
	"github.com/ormc/ormc/runtime/driver/sqlite"
	"github.com/ormc/ormc/runtime/inspect"
	rtmigrate "github.com/ormc/ormc/runtime/migrate"
	"github.com/ormc/ormc/schema"
)

// Helpers of the scenario tests: compiling schemas, filling tables,
// the migration directory the planner writes, applied by
// runtime/migrate, and checksums of columns.

// compile checks src as one file and fails the test on a diagnostic.
func compile(t testing.TB, src string) *ir.Schema {
	t.Helper()
	if strings.TrimSpace(src) == "" {
		return &ir.Schema{Version: ir.Version}
	}
	f, err := schema.Parse("schema.orm", []byte(src))
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	s, diags := compiler.Check(f)
	if diags.HasErrors() {
		t.Fatalf("check: %v", diags)
	}
	return s
}

func open(t *testing.T, url string) *runtime.DB {
	t.Helper()
	db, err := runtime.Open(context.Background(), url, postgres.Driver, mysql.Driver, sqlite.Driver)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// directory returns the migration directory, in memory, that the
// planner writes for the evolution from nothing to before (0001_init)
// and, when after is not nil, on to after (0002_change), with opts.
func directory(t *testing.T, before, after *ir.Schema, opts migrate.Options) fstest.MapFS {
	t.Helper()
	fsys := fstest.MapFS{}
	write := func(u *migrate.Update, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		if u.Plan.Diagnostics.HasErrors() {
			t.Fatalf("plan: %v", u.Plan.Diagnostics)
		}
		for n, b := range u.Writes {
			fsys[n] = &fstest.MapFile{Data: b}
		}
	}
	d, err := migrate.ReadDir(fsys)
	if err != nil {
		t.Fatal(err)
	}
	write(d.Next(before, "init", migrate.Options{}))
	if after == nil {
		return fsys
	}
	if d, err = migrate.ReadDir(fsys); err != nil {
		t.Fatal(err)
	}
	write(d.Next(after, "change", opts))
	return fsys
}

// apply applies the directory with runtime/migrate, the applier.
func apply(ctx context.Context, db *runtime.DB, fsys fs.FS) error {
	_, err := rtmigrate.Apply(ctx, db, fsys, rtmigrate.Options{})
	return err
}

// fill inserts n rows into every table of s, parents first, with values
// that depend on the row's number only.
func fill(ctx context.Context, t *testing.T, db *runtime.DB, s *ir.Schema, n int) {
	t.Helper()
	d := db.Dialect()
	filled := map[string]bool{}
	for _, m := range ddl.ModelOrder(s) {
		filled[m.Name] = true // rows may refer to their own table
		cols := make([]string, len(m.Fields))
		for i, f := range m.Fields {
			cols[i] = f.Column
		}
		for start := 0; start < n; start += 500 {
			var rows []string
			for i := start; i < min(n, start+500); i++ {
				vals := make([]string, len(m.Fields))
				for k, f := range m.Fields {
					vals[k] = value(s, d.Name(), f, i, n)
					if f.Relation != nil && !filled[f.Relation.Model] {
						vals[k] = "NULL" // a key closing a cycle: its target has no rows yet
					}
				}
				rows = append(rows, "("+strings.Join(vals, ", ")+")")
			}
			stmt := fmt.Sprintf("INSERT INTO %s (%s) VALUES %s", ddl.QuoteList(d, []string{m.Table}), ddl.QuoteList(d, cols), strings.Join(rows, ", "))
			if _, err := db.Exec(ctx, stmt); err != nil {
				t.Fatalf("fill %s: %v", m.Table, err)
			}
		}
	}
	// Keys that close a cycle, left NULL, now refer to rows too.
	for _, m := range s.Models {
		for _, f := range m.Fields {
			if f.Relation != nil && f.Relation.Model != m.Name && f.Null && closesCycle(s, m, f) {
				stmt := fmt.Sprintf("UPDATE %s SET %s = %s", ddl.QuoteList(d, []string{m.Table}), ddl.QuoteList(d, []string{f.Column}), ddl.QuoteList(d, []string{m.PK().Column}))
				if _, err := db.Exec(ctx, stmt); err != nil {
					t.Fatalf("fill %s.%s: %v", m.Table, f.Column, err)
				}
			}
		}
	}
}

// value is row i's value of f, as an SQL literal.
func value(s *ir.Schema, dialectName string, f *ir.Field, i, n int) string {
	if f.PrimaryKey {
		return fmt.Sprint(i + 1)
	}
	if f.Null && i%4 == 0 {
		return "NULL"
	}
	switch f.Type.Kind {
	case ir.ForeignKey, ir.OneToOne:
		return fmt.Sprint(i%n + 1)
	case ir.Integer, ir.BigInteger:
		return fmt.Sprint(i % 100)
	case ir.Float:
		return fmt.Sprintf("%d.5", i%1000)
	case ir.Decimal:
		if f.Type.DecimalPlaces > 0 {
			return fmt.Sprintf("'%d.5'", i%1000)
		}
		return fmt.Sprintf("'%d'", i%1000)
	case ir.Boolean:
		return []string{"FALSE", "TRUE"}[i%2]
	case ir.Enum:
		return "'" + f.Type.Values[i%len(f.Type.Values)] + "'"
	}
	return fmt.Sprintf("'v%d'", i)
}

var phase atomic.Int64

// checksum is a hash of column col of table, in key order, and the
// number of rows.
func checksum(ctx context.Context, t *testing.T, db *runtime.DB, table, key, col string) string {
	t.Helper()
	return checksumRenamed(ctx, t, db, table, key, col, nil)
}

// checksumRenamed is checksum with the values in renames replaced by
// theirs: what a column of renamed Enum values is to hold after.
func checksumRenamed(ctx context.Context, t *testing.T, db *runtime.DB, table, key, col string, renames map[string]string) string {
	t.Helper()
	d := db.Dialect()
	// The statement differs by phase: pgx caches a prepared statement
	// whose result type a migration may change.
	rows, err := db.Query(ctx, fmt.Sprintf("SELECT %s AS v%d FROM %s ORDER BY %s", ddl.QuoteList(d, []string{col}), phase.Add(1), ddl.QuoteList(d, []string{table}), ddl.QuoteList(d, []string{key})))
	if err != nil {
		t.Fatalf("checksum %s.%s: %v", table, col, err)
	}
	defer rows.Close()
	h := sha256.New()
	n := 0
	for rows.Next() {
		var v any
		if err := rows.Scan(&v); err != nil {
			t.Fatal(err)
		}
		if b, ok := v.([]byte); ok {
			v = string(b)
		}
		if to, ok := renames[fmt.Sprint(v)]; ok {
			v = to
		}
		fmt.Fprintf(h, "%v\x00", v)
		n++
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("%x/%d", h.Sum(nil)[:8], n)
}

// noDrift fails the test when the database differs from what Create
// makes of s, or holds a table s does not have (but the ledger).
func noDrift(ctx context.Context, t *testing.T, db *runtime.DB, s *ir.Schema) {
	t.Helper()
	want, err := ddl.Describe(s, db.Dialect())
	if err != nil {
		t.Fatal(err)
	}
	if err := inspect.CheckAgainst(ctx, db, want); err != nil {
		t.Errorf("drift after the migration: %v", err)
	}
	got, err := inspect.Inspect(ctx, db, inspect.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var have, wantNames []string
	for _, tb := range got.Tables {
		if tb.Name != rtmigrate.LedgerTable {
			have = append(have, tb.Name)
		}
	}
	for _, tb := range want.Tables {
		wantNames = append(wantNames, tb.Name)
	}
	slices.Sort(have)
	slices.Sort(wantNames)
	if !slices.Equal(have, wantNames) {
		t.Errorf("tables after the migration: %v, want %v", have, wantNames)
	}
}

// closesCycle reports whether relation field f of m refers to a model
// that comes after m in ModelOrder (which fill fills in that order).
func closesCycle(s *ir.Schema, m *ir.Model, f *ir.Field) bool {
	order := ddl.ModelOrder(s)
	return slices.Index(order, s.Model(f.Relation.Model)) > slices.Index(order, m)
}
