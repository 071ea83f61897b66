package bench

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/ormc/ormc/bench/entdb"
	"github.com/ormc/ormc/bench/entdb/parent"
	"github.com/ormc/ormc/bench/entdb/tag"
	"github.com/ormc/ormc/bench/ormcdb"
	"github.com/uptrace/bun"
	"gorm.io/gorm"
)

// Many-to-many relations (issue 15, item 6), on the seeded authors, each
// linked to tagsPerAuthor of the nTags tags through the join table
// bench_parent_tags (parent, tag). PrefetchTags100x5 reads the authors
// with their tags, ordered by the tag's key as ormc orders them: the
// authors, then the join rows of their keys JOINed to the tags, or what
// each contender's API makes of it. FilterAnyTag100 reads the authors
// linked to the tag named tagNames[filterTag], an EXISTS over the join
// table. sqlc skips them.

// m2mImpl is the many-to-many eager loading and filter of a contender.
type m2mImpl interface {
	// PrefetchTags reads the parents with keys lo..hi, by key, each with
	// its tags, and returns how many parents it read, how many tags were
	// loaded with them, and for how many of those isLink holds of the
	// parent they were loaded with and the tag's key and name.
	PrefetchTags(ctx context.Context, lo, hi int64, isLink func(parent, tag int64, name string) bool) (parents, tags, links int, err error)
	// FilterAnyTag reads the parents with keys lo..hi linked to the tag
	// named name, by key, and returns how many it read and the sum of
	// their keys.
	FilterAnyTag(ctx context.Context, lo, hi int64, name string) (n int, keySum int64, err error)
}

// eachM2M runs fn for every contender that implements m2mImpl.
func eachM2M(b *testing.B, fn func(b *testing.B, e *env, im m2mImpl)) {
	each(b, func(b *testing.B, e *env, im impl) {
		x, ok := im.(m2mImpl)
		if !ok {
			b.Skip("no many-to-many relations")
		}
		fn(b, e, x)
	})
}

func BenchmarkPrefetchTags100x5(b *testing.B) {
	eachM2M(b, func(b *testing.B, e *env, im m2mImpl) {
		ctx := context.Background()
		f := &e.fix
		lo, hi := f.authors[0], f.authors[nAuthors-1]
		const want = nAuthors * tagsPerAuthor
		for b.Loop() {
			parents, tags, links, err := im.PrefetchTags(ctx, lo, hi, f.isLink)
			if err != nil {
				b.Fatal(err)
			}
			if parents != nAuthors || tags != want || links != want {
				b.Fatalf("PrefetchTags read %d parents with %d tags, %d of them their own; want %d with %d", parents, tags, links, nAuthors, want)
			}
		}
	})
}

func BenchmarkFilterAnyTag100(b *testing.B) {
	eachM2M(b, func(b *testing.B, e *env, im m2mImpl) {
		ctx := context.Background()
		f := &e.fix
		lo, hi := f.authors[0], f.authors[nAuthors-1]
		name := f.tagNames[filterTag]
		for b.Loop() {
			n, sum, err := im.FilterAnyTag(ctx, lo, hi, name)
			if err != nil {
				b.Fatal(err)
			}
			if n != f.taggedAuthor || sum != f.taggedKeySum {
				b.Fatalf("FilterAnyTag(%q) read %d parents, keys summing %d; want %d summing %d", name, n, sum, f.taggedAuthor, f.taggedKeySum)
			}
		}
	})
}

// ---------------------------------------------------------------------------
// ormc: Prefetch of the many-to-many relation, and its Any.

func (o *ormcImpl) PrefetchTags(ctx context.Context, lo, hi int64, isLink func(int64, int64, string) bool) (int, int, int, error) {
	ps, err := o.c.Parents.Filter(ormcdb.ParentID.Gte(lo), ormcdb.ParentID.Lte(hi)).
		OrderBy(ormcdb.ParentID.Asc()).
		Prefetch(ormcdb.ParentTags.Prefetch()).
		All(ctx)
	if err != nil {
		return 0, 0, 0, err
	}
	n, links := 0, 0
	for _, p := range ps {
		tags, err := p.Edges.Tags.All()
		if err != nil {
			return 0, 0, 0, err
		}
		n += len(tags)
		for _, t := range tags {
			if isLink(p.ID, t.ID, t.Name) {
				links++
			}
		}
	}
	return len(ps), n, links, nil
}

func (o *ormcImpl) FilterAnyTag(ctx context.Context, lo, hi int64, name string) (int, int64, error) {
	ps, err := o.c.Parents.Filter(ormcdb.ParentID.Gte(lo), ormcdb.ParentID.Lte(hi),
		ormcdb.ParentTags.Any(ormcdb.TagName.Eq(name))).
		OrderBy(ormcdb.ParentID.Asc()).
		All(ctx)
	var sum int64
	for _, p := range ps {
		sum += p.ID
	}
	return len(ps), sum, err
}

// ---------------------------------------------------------------------------
// pgx: the same two statements by hand, the keys bound as one array; each
// join row's tag is scanned into a slice of structs and hung under its
// parent through a map of keys (a tag linked to two parents is read
// twice, as ormc reads it).

const (
	pgAuthorTags = "SELECT pt.parent, t.id, t.name FROM bench_parent_tags pt JOIN bench_tag t ON t.id = pt.tag " +
		"WHERE pt.parent = ANY($1) ORDER BY pt.tag"
	pgFilterAnyTag = "SELECT p.id, p.name FROM bench_parent p WHERE p.id >= $1 AND p.id <= $2 " +
		"AND EXISTS (SELECT 1 FROM bench_parent_tags pt JOIN bench_tag t ON t.id = pt.tag WHERE pt.parent = p.id AND t.name = $3) ORDER BY p.id"
)

func (p *pgxImpl) PrefetchTags(ctx context.Context, lo, hi int64, isLink func(int64, int64, string) bool) (int, int, int, error) {
	ps, err := p.parents(ctx, pgAuthors, lo, hi)
	if err != nil || len(ps) == 0 {
		return 0, 0, 0, err
	}
	keys := make([]int64, len(ps))
	index := make(map[int64]int, len(ps))
	for i := range ps {
		keys[i] = ps[i].ID
		index[ps[i].ID] = i
	}
	rows, err := p.pool.Query(ctx, pgAuthorTags, keys)
	if err != nil {
		return 0, 0, 0, err
	}
	defer rows.Close()
	var tags []pgxTag
	var owners []int64
	for rows.Next() {
		var owner int64
		tags = append(tags, pgxTag{})
		t := &tags[len(tags)-1]
		if err := rows.Scan(&owner, &t.ID, &t.Name); err != nil {
			return 0, 0, 0, err
		}
		owners = append(owners, owner)
	}
	if err := rows.Err(); err != nil {
		return 0, 0, 0, err
	}
	for i := range tags {
		if k, ok := index[owners[i]]; ok {
			ps[k].Tags = append(ps[k].Tags, &tags[i])
		}
	}
	n, links := 0, 0
	for i := range ps {
		n += len(ps[i].Tags)
		for _, t := range ps[i].Tags {
			if isLink(ps[i].ID, t.ID, t.Name) {
				links++
			}
		}
	}
	return len(ps), n, links, nil
}

func (p *pgxImpl) FilterAnyTag(ctx context.Context, lo, hi int64, name string) (int, int64, error) {
	ps, err := p.parents(ctx, pgFilterAnyTag, lo, hi, name)
	var sum int64
	for i := range ps {
		sum += ps[i].ID
	}
	return len(ps), sum, err
}

// ---------------------------------------------------------------------------
// database/sql: the same by hand; on PostgreSQL (stdlib) the keys are one
// array, on SQLite and MariaDB a list of placeholders as long as the keys.

func (s *sqlImpl) PrefetchTags(ctx context.Context, lo, hi int64, isLink func(int64, int64, string) bool) (int, int, int, error) {
	ps, err := s.parents(ctx, s.q.authors, lo, hi)
	if err != nil || len(ps) == 0 {
		return 0, 0, 0, err
	}
	index := make(map[int64]int, len(ps))
	for i := range ps {
		index[ps[i].ID] = i
	}
	stmt, args := s.q.authorTags, []any(nil)
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
		return 0, 0, 0, err
	}
	defer rows.Close()
	var tags []sqlTag
	var owners []int64
	for rows.Next() {
		var owner int64
		tags = append(tags, sqlTag{})
		t := &tags[len(tags)-1]
		if err := rows.Scan(&owner, &t.ID, &t.Name); err != nil {
			return 0, 0, 0, err
		}
		owners = append(owners, owner)
	}
	if err := rows.Err(); err != nil {
		return 0, 0, 0, err
	}
	for i := range tags {
		if k, ok := index[owners[i]]; ok {
			ps[k].Tags = append(ps[k].Tags, &tags[i])
		}
	}
	n, links := 0, 0
	for i := range ps {
		n += len(ps[i].Tags)
		for _, t := range ps[i].Tags {
			if isLink(ps[i].ID, t.ID, t.Name) {
				links++
			}
		}
	}
	return len(ps), n, links, nil
}

func (s *sqlImpl) FilterAnyTag(ctx context.Context, lo, hi int64, name string) (int, int64, error) {
	ps, err := s.parents(ctx, s.q.filterAnyTag, lo, hi, name)
	var sum int64
	for i := range ps {
		sum += ps[i].ID
	}
	return len(ps), sum, err
}

// ---------------------------------------------------------------------------
// GORM: Preload of the many2many relation (the join rows, then the tags of
// their keys), ordered as the others; it has no filter across a
// relation, so FilterAnyTag writes the EXISTS in Where, as FilterAny does.

func (g *gormImpl) PrefetchTags(ctx context.Context, lo, hi int64, isLink func(int64, int64, string) bool) (int, int, int, error) {
	var ps []gormParent
	err := g.db.WithContext(ctx).Where("id >= ? AND id <= ?", lo, hi).Order("id").
		Preload("Tags", func(db *gorm.DB) *gorm.DB { return db.Order("bench_tag.id") }).
		Find(&ps).Error
	if err != nil {
		return 0, 0, 0, err
	}
	n, links := 0, 0
	for i := range ps {
		n += len(ps[i].Tags)
		for j := range ps[i].Tags {
			if isLink(ps[i].ID, ps[i].Tags[j].ID, ps[i].Tags[j].Name) {
				links++
			}
		}
	}
	return len(ps), n, links, nil
}

func (g *gormImpl) FilterAnyTag(ctx context.Context, lo, hi int64, name string) (int, int64, error) {
	var ps []gormParent
	err := g.db.WithContext(ctx).Where("id >= ? AND id <= ?", lo, hi).
		Where("EXISTS (SELECT 1 FROM bench_parent_tags pt JOIN bench_tag t ON t.id = pt.tag WHERE pt.parent = bench_parent.id AND t.name = ?)", name).
		Order("id").Find(&ps).Error
	var sum int64
	for i := range ps {
		sum += ps[i].ID
	}
	return len(ps), sum, err
}

// ---------------------------------------------------------------------------
// Bun: Relation of the m2m relation (the join rows JOINed to the tags),
// ordered as the others; Where EXISTS of a subquery it builds over the
// join model.

func (x *bunImpl) PrefetchTags(ctx context.Context, lo, hi int64, isLink func(int64, int64, string) bool) (int, int, int, error) {
	var ps []bunParent
	err := x.db.NewSelect().Model(&ps).Where("p.id >= ? AND p.id <= ?", lo, hi).Order("p.id").
		Relation("Tags", func(q *bun.SelectQuery) *bun.SelectQuery { return q.Order("t.id") }).
		Scan(ctx)
	if err != nil {
		return 0, 0, 0, err
	}
	n, links := 0, 0
	for i := range ps {
		n += len(ps[i].Tags)
		for _, t := range ps[i].Tags {
			if isLink(ps[i].ID, t.ID, t.Name) {
				links++
			}
		}
	}
	return len(ps), n, links, nil
}

func (x *bunImpl) FilterAnyTag(ctx context.Context, lo, hi int64, name string) (int, int64, error) {
	var ps []bunParent
	sub := x.db.NewSelect().Model((*bunParentTag)(nil)).ColumnExpr("1").
		Join("JOIN bench_tag AS t ON t.id = pt.tag").
		Where("pt.parent = p.id").Where("t.name = ?", name)
	err := x.db.NewSelect().Model(&ps).Where("p.id >= ? AND p.id <= ?", lo, hi).Where("EXISTS (?)", sub).Order("p.id").Scan(ctx)
	var sum int64
	for i := range ps {
		sum += ps[i].ID
	}
	return len(ps), sum, err
}

// ---------------------------------------------------------------------------
// ent: WithTags (one query of the tags JOINed to the join rows of the
// keys), ordered as the others, and HasTagsWith.

func (x *entImpl) PrefetchTags(ctx context.Context, lo, hi int64, isLink func(int64, int64, string) bool) (int, int, int, error) {
	ps, err := x.c.Parent.Query().Where(parent.IDGTE(int(lo)), parent.IDLTE(int(hi))).Order(parent.ByID()).
		WithTags(func(q *entdb.TagQuery) { q.Order(tag.ByID()) }).
		All(ctx)
	if err != nil {
		return 0, 0, 0, err
	}
	n, links := 0, 0
	for _, p := range ps {
		n += len(p.Edges.Tags)
		for _, t := range p.Edges.Tags {
			if isLink(int64(p.ID), int64(t.ID), t.Name) {
				links++
			}
		}
	}
	return len(ps), n, links, nil
}

func (x *entImpl) FilterAnyTag(ctx context.Context, lo, hi int64, name string) (int, int64, error) {
	ps, err := x.c.Parent.Query().
		Where(parent.IDGTE(int(lo)), parent.IDLTE(int(hi)), parent.HasTagsWith(tag.Name(name))).
		Order(parent.ByID()).All(ctx)
	var sum int64
	for _, p := range ps {
		sum += int64(p.ID)
	}
	return len(ps), sum, err
}
