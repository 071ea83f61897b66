package bench

import (
	"context"
	"testing"

	"github.com/ormc/ormc/bench/ormcdb"
	"github.com/ormc/ormc/runtime"
)

// Aggregates and projections (issue 16, item 10): a GroupBy-Sum over the
// 10,000 seeded items, and a projection of two of their fields. The
// contenders that implement aggImpl run them: raw pgx (the floor), ormc,
// hand-written database/sql on SQLite and MariaDB, and ent, GORM and Bun
// (in their own files); sqlc skips them.

// aggImpl is the aggregate and projection operations of a contender.
type aggImpl interface {
	// SumByParent sums the quantity of the items with key <= max per
	// parent and returns how many groups it read and the sum of their
	// sums.
	SumByParent(ctx context.Context, max int64) (groups int, total int64, err error)
	// Project reads the name and quantity of the items with key <= max
	// and returns how many pairs it read and the sum of their quantity.
	Project(ctx context.Context, max int64) (n int, sum int64, err error)
}

// eachAgg runs fn for every contender that implements aggImpl.
func eachAgg(b *testing.B, fn func(b *testing.B, e *env, im aggImpl)) {
	each(b, func(b *testing.B, e *env, im impl) {
		a, ok := im.(aggImpl)
		if !ok {
			b.Skip("no aggregates")
		}
		fn(b, e, a)
	})
}

func BenchmarkGroupBySum10000(b *testing.B) {
	eachAgg(b, func(b *testing.B, e *env, im aggImpl) {
		ctx := context.Background()
		f := &e.fix
		for b.Loop() {
			groups, total, err := im.SumByParent(ctx, f.items[nItems-1])
			if err != nil {
				b.Fatal(err)
			}
			if groups != nParents || total != f.sumQuantity {
				b.Fatalf("SumByParent read %d groups summing %d, want %d summing %d", groups, total, nParents, f.sumQuantity)
			}
		}
	})
}

func BenchmarkProject10000(b *testing.B) {
	eachAgg(b, func(b *testing.B, e *env, im aggImpl) {
		ctx := context.Background()
		f := &e.fix
		for b.Loop() {
			n, sum, err := im.Project(ctx, f.items[nItems-1])
			if err != nil {
				b.Fatal(err)
			}
			if n != nItems || sum != f.sumQuantity {
				b.Fatalf("Project read %d pairs summing %d, want %d summing %d", n, sum, nItems, f.sumQuantity)
			}
		}
	})
}

// ormc: runtime.GroupBy and runtime.Values2 through the generated client.

func (o *ormcImpl) SumByParent(ctx context.Context, max int64) (int, int64, error) {
	gs, err := runtime.GroupBy(ctx, o.c.Items.Filter(ormcdb.ItemID.Lte(max)), ormcdb.ItemParentID, runtime.SumOf(ormcdb.ItemQuantity))
	var total int64
	for _, g := range gs {
		total += g.Value.V
	}
	return len(gs), total, err
}

func (o *ormcImpl) Project(ctx context.Context, max int64) (int, int64, error) {
	pairs, err := runtime.Values2(ctx, o.c.Items.Filter(ormcdb.ItemID.Lte(max)), ormcdb.ItemName, ormcdb.ItemQuantity)
	var sum int64
	for _, p := range pairs {
		sum += p.B
	}
	return len(pairs), sum, err
}

// pgx: the same statements by hand, each group or pair scanned into one
// reused struct and appended to a slice, as ormc returns them.

const (
	pgSumByParent = "SELECT parent, SUM(quantity) FROM bench_item WHERE id <= $1 GROUP BY parent ORDER BY parent"
	pgProject     = "SELECT name, quantity FROM bench_item WHERE id <= $1"
)

type keySum struct {
	Key int64
	Sum int64
}

type nameQuantity struct {
	Name     string
	Quantity int64
}

func (p *pgxImpl) SumByParent(ctx context.Context, max int64) (int, int64, error) {
	rows, err := p.pool.Query(ctx, pgSumByParent, max)
	if err != nil {
		return 0, 0, err
	}
	defer rows.Close()
	var gs []keySum
	var g keySum
	dest := []any{&g.Key, &g.Sum}
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return 0, 0, err
		}
		gs = append(gs, g)
	}
	var total int64
	for _, g := range gs {
		total += g.Sum
	}
	return len(gs), total, rows.Err()
}

func (p *pgxImpl) Project(ctx context.Context, max int64) (int, int64, error) {
	rows, err := p.pool.Query(ctx, pgProject, max)
	if err != nil {
		return 0, 0, err
	}
	defer rows.Close()
	var out []nameQuantity
	var v nameQuantity
	dest := []any{&v.Name, &v.Quantity}
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return 0, 0, err
		}
		out = append(out, v)
	}
	var sum int64
	for _, v := range out {
		sum += v.Quantity
	}
	return len(out), sum, rows.Err()
}

// database/sql, on SQLite and MariaDB (and PostgreSQL's stdlib driver).

func (s *sqlImpl) SumByParent(ctx context.Context, max int64) (int, int64, error) {
	stmt := "SELECT parent, SUM(quantity) FROM bench_item WHERE id <= ? GROUP BY parent ORDER BY parent"
	if s.dialect == "pg" {
		stmt = pgSumByParent
	}
	rows, err := s.db.QueryContext(ctx, stmt, max)
	if err != nil {
		return 0, 0, err
	}
	defer rows.Close()
	var gs []keySum
	var g keySum
	dest := []any{&g.Key, &g.Sum}
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return 0, 0, err
		}
		gs = append(gs, g)
	}
	var total int64
	for _, g := range gs {
		total += g.Sum
	}
	return len(gs), total, rows.Err()
}

func (s *sqlImpl) Project(ctx context.Context, max int64) (int, int64, error) {
	stmt := "SELECT name, quantity FROM bench_item WHERE id <= ?"
	if s.dialect == "pg" {
		stmt = pgProject
	}
	rows, err := s.db.QueryContext(ctx, stmt, max)
	if err != nil {
		return 0, 0, err
	}
	defer rows.Close()
	var out []nameQuantity
	var v nameQuantity
	dest := []any{&v.Name, &v.Quantity}
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return 0, 0, err
		}
		out = append(out, v)
	}
	var sum int64
	for _, v := range out {
		sum += v.Quantity
	}
	return len(out), sum, rows.Err()
}
