package bench

import (
	"context"
	"fmt"
	"os"
	"sync"
	"testing"
)

// impl is one contender's way of doing each operation, through its own
// idiomatic API. Each method returns what the benchmark needs to check
// that the work was really done.
type impl interface {
	// InsertOne inserts r and returns its new key.
	InsertOne(ctx context.Context, r *rowData) (int64, error)
	// BulkInsert inserts rs and returns their new keys.
	BulkInsert(ctx context.Context, rs []rowData) ([]int64, error)
	// GetByPK reads the item with key id and returns its key and name.
	GetByPK(ctx context.Context, id int64) (int64, string, error)
	// Filter100 reads the 100 items after key after, by key, and returns
	// how many it read and the last key.
	Filter100(ctx context.Context, after int64) (n int, last int64, err error)
	// UpdateOne writes every column of item id from r and returns the
	// number of rows affected.
	UpdateOne(ctx context.Context, id int64, r *rowData) (int64, error)
	// FilterJoin100 reads up to 100 items whose parent is named name, with
	// the parent loaded, and returns how many it read and how many of
	// their loaded parents have that name.
	FilterJoin100(ctx context.Context, name string) (n, loaded int, err error)
	// CountFilter counts the items of parent p.
	CountFilter(ctx context.Context, p int64) (int64, error)
	// Stream reads the items with key <= max one at a time and returns how
	// many it read and the sum of their quantity.
	Stream(ctx context.Context, max int64) (n int, sum int64, err error)
	Close() error
}

// contender is one implementation on one dialect.
type contender struct {
	db   string // "pg", "sqlite", "mysql"
	name string
	open func(ctx context.Context, e *env) (impl, error)
	// only, when set, is the one benchmark (without "Benchmark") this
	// contender runs.
	only string
}

// contenders run in this order within each operation, so that on a noisy
// machine the ones compared run next to each other. pgx is the floor.
var contenders = []contender{
	{db: "pg", name: "pgx", open: openPgx},
	{db: "pg", name: "pgx-copy", open: openPgxCopy, only: "BulkInsert1000"},
	{db: "pg", name: "sqlc", open: openSqlc},
	{db: "pg", name: "stdlib", open: openStdlibPg},
	{db: "pg", name: "ormc", open: openOrmc},
	{db: "pg", name: "gorm", open: openGorm(false)},
	{db: "pg", name: "gorm-prep", open: openGorm(true)},
	{db: "pg", name: "bun", open: openBun},
	{db: "pg", name: "ent", open: openEnt},
	{db: "sqlite", name: "sql", open: openSQLite},
	{db: "sqlite", name: "ormc", open: openOrmc},
	{db: "mysql", name: "sql", open: openMySQL},
	{db: "mysql", name: "ormc", open: openOrmc},
}

var (
	implMu sync.Mutex
	impls  = map[string]impl{}
)

func TestMain(m *testing.M) {
	code := m.Run()
	implMu.Lock()
	for k, im := range impls {
		if err := im.Close(); err != nil {
			fmt.Fprintf(os.Stderr, "bench: close %s: %v\n", k, err)
		}
	}
	implMu.Unlock()
	dropEnvs()
	os.Exit(code)
}

// each runs fn as a sub-benchmark db=…/impl=… for every contender.
func each(b *testing.B, fn func(b *testing.B, e *env, im impl)) {
	for _, c := range contenders {
		if c.only != "" && b.Name() != "Benchmark"+c.only {
			continue
		}
		b.Run("db="+c.db+"/impl="+c.name, func(b *testing.B) {
			e := getEnv(b, c.db)
			fn(b, e, getImpl(b, c, e))
		})
	}
}

// getImpl opens contender c once per test binary.
func getImpl(b *testing.B, c contender, e *env) impl {
	b.Helper()
	implMu.Lock()
	defer implMu.Unlock()
	key := c.db + "/" + c.name
	if im, ok := impls[key]; ok {
		return im
	}
	im, err := c.open(context.Background(), e)
	if err != nil {
		b.Fatalf("open %s: %v", key, err)
	}
	impls[key] = im
	return im
}

func BenchmarkInsertOne(b *testing.B) {
	each(b, func(b *testing.B, e *env, im impl) {
		ctx := context.Background()
		r := newRow(e.fix.writeParent, 0)
		var last int64
		for b.Loop() {
			r.Quantity++
			id, err := im.InsertOne(ctx, &r)
			if err != nil {
				b.Fatal(err)
			}
			if id <= last {
				b.Fatalf("InsertOne returned key %d after %d", id, last)
			}
			last = id
		}
	})
}

func BenchmarkBulkInsert1000(b *testing.B) {
	each(b, func(b *testing.B, e *env, im impl) {
		ctx := context.Background()
		rs := make([]rowData, bulkSize)
		for i := range rs {
			rs[i] = newRow(e.fix.writeParent, int64(i))
		}
		var last int64
		for b.Loop() {
			keys, err := im.BulkInsert(ctx, rs)
			if err != nil {
				b.Fatal(err)
			}
			if len(keys) != bulkSize {
				b.Fatalf("BulkInsert returned %d keys, want %d", len(keys), bulkSize)
			}
			lo, hi := keys[0], keys[0]
			for _, k := range keys {
				lo, hi = min(lo, k), max(hi, k)
			}
			if lo <= last || hi-lo != bulkSize-1 {
				b.Fatalf("BulkInsert returned keys %d..%d after %d", lo, hi, last)
			}
			last = hi
		}
	})
}

func BenchmarkGetByPK(b *testing.B) {
	each(b, func(b *testing.B, e *env, im impl) {
		ctx := context.Background()
		f := &e.fix
		i := 0
		for b.Loop() {
			k := i % nItems
			i += 37
			id, name, err := im.GetByPK(ctx, f.items[k])
			if err != nil {
				b.Fatal(err)
			}
			if id != f.items[k] || name != f.itemNames[k] {
				b.Fatalf("GetByPK(%d) = %d %q, want %d %q", f.items[k], id, name, f.items[k], f.itemNames[k])
			}
		}
	})
}

func BenchmarkFilter100(b *testing.B) {
	each(b, func(b *testing.B, e *env, im impl) {
		ctx := context.Background()
		f := &e.fix
		i := 0
		for b.Loop() {
			k := i % (nItems - 100)
			i += 137
			n, last, err := im.Filter100(ctx, f.items[k])
			if err != nil {
				b.Fatal(err)
			}
			if n != 100 || last != f.items[k+100] {
				b.Fatalf("Filter100(%d) read %d rows up to %d, want 100 up to %d", f.items[k], n, last, f.items[k+100])
			}
		}
	})
}

func BenchmarkUpdateOne(b *testing.B) {
	each(b, func(b *testing.B, e *env, im impl) {
		ctx := context.Background()
		r := newRow(e.fix.writeParent, 0)
		for b.Loop() {
			r.Quantity++
			n, err := im.UpdateOne(ctx, e.fix.updateID, &r)
			if err != nil {
				b.Fatal(err)
			}
			if n != 1 {
				b.Fatalf("UpdateOne affected %d rows, want 1", n)
			}
		}
	})
}

func BenchmarkFilterJoin100(b *testing.B) {
	each(b, func(b *testing.B, e *env, im impl) {
		ctx := context.Background()
		f := &e.fix
		i := 0
		for b.Loop() {
			name := f.parentNames[i%nParents]
			i++
			n, loaded, err := im.FilterJoin100(ctx, name)
			if err != nil {
				b.Fatal(err)
			}
			if n != perParent || loaded != perParent {
				b.Fatalf("FilterJoin100(%q) read %d rows, %d with parent %[1]q loaded; want %d", name, n, loaded, perParent)
			}
		}
	})
}

func BenchmarkCountFilter(b *testing.B) {
	each(b, func(b *testing.B, e *env, im impl) {
		ctx := context.Background()
		f := &e.fix
		i := 0
		for b.Loop() {
			p := f.parents[i%nParents]
			i++
			n, err := im.CountFilter(ctx, p)
			if err != nil {
				b.Fatal(err)
			}
			if n != perParent {
				b.Fatalf("CountFilter(%d) = %d, want %d", p, n, perParent)
			}
		}
	})
}

func BenchmarkStream10000(b *testing.B) {
	each(b, func(b *testing.B, e *env, im impl) {
		ctx := context.Background()
		f := &e.fix
		for b.Loop() {
			n, sum, err := im.Stream(ctx, f.items[nItems-1])
			if err != nil {
				b.Fatal(err)
			}
			if n != nItems || sum != f.sumQuantity {
				b.Fatalf("Stream read %d rows summing %d, want %d summing %d", n, sum, nItems, f.sumQuantity)
			}
		}
	})
}
