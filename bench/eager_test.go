package bench

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/ormc/ormc/bench/entdb"
	"github.com/ormc/ormc/bench/entdb/item"
	"github.com/ormc/ormc/bench/entdb/parent"
	"github.com/ormc/ormc/bench/ormcdb"
	"github.com/uptrace/bun"
	"gorm.io/gorm"
)

// Eager loading and filters across the reverse side of a foreign key
// (issue 15, item 6), on the seeded authors: nAuthors parents of
// perAuthor items each. Prefetch100x10 reads the authors with their
// items, two statements (the authors, then the items of their keys), each
// contender through its own API; FilterAny100 reads the authors some item
// priced above priceOver refers to, an EXISTS. sqlc skips them.

// eagerImpl is the eager loading and reverse-side filter of a contender.
type eagerImpl interface {
	// PrefetchItems reads the parents with keys lo..hi, by key, each with
	// its items, by key, and returns how many parents it read and how many
	// of the items loaded with them refer to the parent they were loaded
	// with.
	PrefetchItems(ctx context.Context, lo, hi int64) (parents, items int, err error)
	// FilterAny reads the parents with keys lo..hi that an item priced
	// above price refers to, by key, and returns how many it read and the
	// sum of their keys.
	FilterAny(ctx context.Context, lo, hi int64, price float64) (n int, keySum int64, err error)
}

// eachEager runs fn for every contender that implements eagerImpl.
func eachEager(b *testing.B, fn func(b *testing.B, e *env, im eagerImpl)) {
	each(b, func(b *testing.B, e *env, im impl) {
		x, ok := im.(eagerImpl)
		if !ok {
			b.Skip("no eager loading")
		}
		fn(b, e, x)
	})
}

func BenchmarkPrefetch100x10(b *testing.B) {
	eachEager(b, func(b *testing.B, e *env, im eagerImpl) {
		ctx := context.Background()
		lo, hi := e.fix.authors[0], e.fix.authors[nAuthors-1]
		for b.Loop() {
			parents, items, err := im.PrefetchItems(ctx, lo, hi)
			if err != nil {
				b.Fatal(err)
			}
			if parents != nAuthors || items != nAuthors*perAuthor {
				b.Fatalf("PrefetchItems read %d parents with %d of their items, want %d with %d", parents, items, nAuthors, nAuthors*perAuthor)
			}
		}
	})
}

func BenchmarkFilterAny100(b *testing.B) {
	eachEager(b, func(b *testing.B, e *env, im eagerImpl) {
		ctx := context.Background()
		f := &e.fix
		lo, hi := f.authors[0], f.authors[nAuthors-1]
		for b.Loop() {
			n, sum, err := im.FilterAny(ctx, lo, hi, priceOver)
			if err != nil {
				b.Fatal(err)
			}
			if n != f.dearAuthor || sum != f.dearKeySum {
				b.Fatalf("FilterAny read %d parents, keys summing %d; want %d summing %d", n, sum, f.dearAuthor, f.dearKeySum)
			}
		}
	})
}

// ---------------------------------------------------------------------------
// ormc: Prefetch of the reverse relation, and its Any.

func (o *ormcImpl) PrefetchItems(ctx context.Context, lo, hi int64) (int, int, error) {
	ps, err := o.c.Parents.Filter(ormcdb.ParentID.Gte(lo), ormcdb.ParentID.Lte(hi)).
		OrderBy(ormcdb.ParentID.Asc()).
		Prefetch(ormcdb.ParentItems.Prefetch()).
		All(ctx)
	if err != nil {
		return 0, 0, err
	}
	n := 0
	for _, p := range ps {
		items, err := p.Edges.Items.All()
		if err != nil {
			return 0, 0, err
		}
		for _, it := range items {
			if it.Parent.PK() == p.ID {
				n++
			}
		}
	}
	return len(ps), n, nil
}

func (o *ormcImpl) FilterAny(ctx context.Context, lo, hi int64, price float64) (int, int64, error) {
	ps, err := o.c.Parents.Filter(ormcdb.ParentID.Gte(lo), ormcdb.ParentID.Lte(hi),
		ormcdb.ParentItems.Any(ormcdb.ItemPrice.Gt(price))).
		OrderBy(ormcdb.ParentID.Asc()).
		All(ctx)
	var sum int64
	for _, p := range ps {
		sum += p.ID
	}
	return len(ps), sum, err
}

// ---------------------------------------------------------------------------
// pgx: the same two statements by hand, the keys bound as one array; the
// items are grouped under their parents through a map of keys.

const (
	pgAuthors     = "SELECT id, name FROM bench_parent WHERE id >= $1 AND id <= $2 ORDER BY id"
	pgAuthorItems = "SELECT " + pgItemCols + " FROM bench_item WHERE parent = ANY($1) ORDER BY id"
	pgFilterAny   = "SELECT p.id, p.name FROM bench_parent p WHERE p.id >= $1 AND p.id <= $2 " +
		"AND EXISTS (SELECT 1 FROM bench_item i WHERE i.parent = p.id AND i.price > $3) ORDER BY p.id"
)

func (p *pgxImpl) parents(ctx context.Context, stmt string, args ...any) ([]pgxParent, error) {
	rows, err := p.pool.Query(ctx, stmt, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ps []pgxParent
	for rows.Next() {
		ps = append(ps, pgxParent{})
		pa := &ps[len(ps)-1]
		if err := rows.Scan(&pa.ID, &pa.Name); err != nil {
			return nil, err
		}
	}
	return ps, rows.Err()
}

func (p *pgxImpl) PrefetchItems(ctx context.Context, lo, hi int64) (int, int, error) {
	ps, err := p.parents(ctx, pgAuthors, lo, hi)
	if err != nil || len(ps) == 0 {
		return 0, 0, err
	}
	keys := make([]int64, len(ps))
	index := make(map[int64]int, len(ps))
	for i := range ps {
		keys[i] = ps[i].ID
		index[ps[i].ID] = i
	}
	rows, err := p.pool.Query(ctx, pgAuthorItems, keys)
	if err != nil {
		return 0, 0, err
	}
	defer rows.Close()
	var items []pgxItem
	for rows.Next() {
		items = append(items, pgxItem{})
		if err := rows.Scan(items[len(items)-1].dest()...); err != nil {
			return 0, 0, err
		}
	}
	if err := rows.Err(); err != nil {
		return 0, 0, err
	}
	for i := range items {
		if k, ok := index[items[i].ParentID]; ok {
			ps[k].Items = append(ps[k].Items, &items[i])
		}
	}
	n := 0
	for i := range ps {
		for _, it := range ps[i].Items {
			if it.ParentID == ps[i].ID {
				n++
			}
		}
	}
	return len(ps), n, nil
}

func (p *pgxImpl) FilterAny(ctx context.Context, lo, hi int64, price float64) (int, int64, error) {
	ps, err := p.parents(ctx, pgFilterAny, lo, hi, price)
	var sum int64
	for i := range ps {
		sum += ps[i].ID
	}
	return len(ps), sum, err
}

// ---------------------------------------------------------------------------
// database/sql: the same by hand; on PostgreSQL (stdlib) the keys are one
// array, on SQLite and MariaDB a list of placeholders as long as the keys.

func (s *sqlImpl) parents(ctx context.Context, stmt string, args ...any) ([]sqlParent, error) {
	rows, err := s.db.QueryContext(ctx, stmt, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ps []sqlParent
	for rows.Next() {
		ps = append(ps, sqlParent{})
		pa := &ps[len(ps)-1]
		if err := rows.Scan(&pa.ID, &pa.Name); err != nil {
			return nil, err
		}
	}
	return ps, rows.Err()
}

func (s *sqlImpl) PrefetchItems(ctx context.Context, lo, hi int64) (int, int, error) {
	ps, err := s.parents(ctx, s.q.authors, lo, hi)
	if err != nil || len(ps) == 0 {
		return 0, 0, err
	}
	index := make(map[int64]int, len(ps))
	for i := range ps {
		index[ps[i].ID] = i
	}
	stmt, args := s.q.authorItems, []any(nil)
	if s.dialect == "pg" {
		keys := make([]int64, len(ps))
		for i := range ps {
			keys[i] = ps[i].ID
		}
		args = []any{keys}
	} else {
		args = make([]any, len(ps))
		for i := range ps {
			args[i] = ps[i].ID
		}
		stmt = fmt.Sprintf(stmt, strings.Repeat(", ?", len(ps))[2:])
	}
	rows, err := s.db.QueryContext(ctx, stmt, args...)
	if err != nil {
		return 0, 0, err
	}
	defer rows.Close()
	var items []sqlItem
	for rows.Next() {
		items = append(items, sqlItem{})
		if err := rows.Scan(items[len(items)-1].dest()...); err != nil {
			return 0, 0, err
		}
	}
	if err := rows.Err(); err != nil {
		return 0, 0, err
	}
	for i := range items {
		if k, ok := index[items[i].ParentID]; ok {
			ps[k].Items = append(ps[k].Items, &items[i])
		}
	}
	n := 0
	for i := range ps {
		for _, it := range ps[i].Items {
			if it.ParentID == ps[i].ID {
				n++
			}
		}
	}
	return len(ps), n, nil
}

func (s *sqlImpl) FilterAny(ctx context.Context, lo, hi int64, price float64) (int, int64, error) {
	ps, err := s.parents(ctx, s.q.filterAny, lo, hi, price)
	var sum int64
	for i := range ps {
		sum += ps[i].ID
	}
	return len(ps), sum, err
}

// ---------------------------------------------------------------------------
// GORM: Preload, ordered as the others; it has no filter across a
// has-many relation, so FilterAny writes the EXISTS in Where, as its
// documentation does for subqueries.

func (g *gormImpl) PrefetchItems(ctx context.Context, lo, hi int64) (int, int, error) {
	var ps []gormParent
	err := g.db.WithContext(ctx).Where("id >= ? AND id <= ?", lo, hi).Order("id").
		Preload("Items", func(db *gorm.DB) *gorm.DB { return db.Order("id") }).
		Find(&ps).Error
	if err != nil {
		return 0, 0, err
	}
	n := 0
	for i := range ps {
		for j := range ps[i].Items {
			if ps[i].Items[j].ParentID == ps[i].ID {
				n++
			}
		}
	}
	return len(ps), n, nil
}

func (g *gormImpl) FilterAny(ctx context.Context, lo, hi int64, price float64) (int, int64, error) {
	var ps []gormParent
	err := g.db.WithContext(ctx).Where("id >= ? AND id <= ?", lo, hi).
		Where("EXISTS (SELECT 1 FROM bench_item i WHERE i.parent = bench_parent.id AND i.price > ?)", price).
		Order("id").Find(&ps).Error
	var sum int64
	for i := range ps {
		sum += ps[i].ID
	}
	return len(ps), sum, err
}

// ---------------------------------------------------------------------------
// Bun: Relation of the has-many, ordered as the others; Where EXISTS of a
// subquery it builds.

func (x *bunImpl) PrefetchItems(ctx context.Context, lo, hi int64) (int, int, error) {
	var ps []bunParent
	err := x.db.NewSelect().Model(&ps).Where("p.id >= ? AND p.id <= ?", lo, hi).Order("p.id").
		Relation("Items", func(q *bun.SelectQuery) *bun.SelectQuery { return q.Order("i.id") }).
		Scan(ctx)
	if err != nil {
		return 0, 0, err
	}
	n := 0
	for i := range ps {
		for _, it := range ps[i].Items {
			if it.ParentID == ps[i].ID {
				n++
			}
		}
	}
	return len(ps), n, nil
}

func (x *bunImpl) FilterAny(ctx context.Context, lo, hi int64, price float64) (int, int64, error) {
	var ps []bunParent
	sub := x.db.NewSelect().Model((*bunItem)(nil)).ColumnExpr("1").Where("i.parent = p.id").Where("i.price > ?", price)
	err := x.db.NewSelect().Model(&ps).Where("p.id >= ? AND p.id <= ?", lo, hi).Where("EXISTS (?)", sub).Order("p.id").Scan(ctx)
	var sum int64
	for i := range ps {
		sum += ps[i].ID
	}
	return len(ps), sum, err
}

// ---------------------------------------------------------------------------
// ent: WithItems (a second query by key), ordered as the others, and
// HasItemsWith.

func (x *entImpl) PrefetchItems(ctx context.Context, lo, hi int64) (int, int, error) {
	ps, err := x.c.Parent.Query().Where(parent.IDGTE(int(lo)), parent.IDLTE(int(hi))).Order(parent.ByID()).
		WithItems(func(q *entdb.ItemQuery) { q.Order(item.ByID()) }).
		All(ctx)
	if err != nil {
		return 0, 0, err
	}
	n := 0
	for _, p := range ps {
		for _, it := range p.Edges.Items {
			if it.ParentID == p.ID {
				n++
			}
		}
	}
	return len(ps), n, nil
}

func (x *entImpl) FilterAny(ctx context.Context, lo, hi int64, price float64) (int, int64, error) {
	ps, err := x.c.Parent.Query().
		Where(parent.IDGTE(int(lo)), parent.IDLTE(int(hi)), parent.HasItemsWith(item.PriceGT(price))).
		Order(parent.ByID()).All(ctx)
	var sum int64
	for _, p := range ps {
		sum += int64(p.ID)
	}
	return len(ps), sum, err
}
