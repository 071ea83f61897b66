package bench

import (
	"context"
	"database/sql"
	"net/url"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"
	"github.com/uptrace/bun/driver/pgdriver"
)

// bunImpl is Bun over its own PostgreSQL driver, pgdriver.
type bunImpl struct{ db *bun.DB }

type bunItem struct {
	bun.BaseModel `bun:"table:bench_item,alias:i"`

	ID        int64      `bun:"id,pk,autoincrement"`
	ParentID  int64      `bun:"parent,notnull"`
	Parent    *bunParent `bun:"rel:belongs-to,join:parent=id"`
	Name      string     `bun:"name,notnull"`
	Body      string     `bun:"body,notnull"`
	Quantity  int64      `bun:"quantity,notnull"`
	Big       int64      `bun:"big,notnull"`
	Price     float64    `bun:"price,notnull"`
	Active    bool       `bun:"active,notnull"`
	CreatedAt time.Time  `bun:"created_at,notnull"`
	Note      *string    `bun:"note"`
}

type bunParent struct {
	bun.BaseModel `bun:"table:bench_parent,alias:p"`

	ID    int64      `bun:"id,pk,autoincrement"`
	Name  string     `bun:"name,notnull"`
	Items []*bunItem `bun:"rel:has-many,join:id=parent"`
	Tags  []*bunTag  `bun:"m2m:bench_parent_tags,join:Parent=Tag"`
}

type bunTag struct {
	bun.BaseModel `bun:"table:bench_tag,alias:t"`

	ID   int64  `bun:"id,pk,autoincrement"`
	Name string `bun:"name,notnull"`
}

// bunParentTag is the join model of Parent's Tags, which Bun's m2m
// relation needs registered (openBun).
type bunParentTag struct {
	bun.BaseModel `bun:"table:bench_parent_tags,alias:pt"`

	ParentID int64      `bun:"parent,pk"`
	Parent   *bunParent `bun:"rel:belongs-to,join:parent=id"`
	TagID    int64      `bun:"tag,pk"`
	Tag      *bunTag    `bun:"rel:belongs-to,join:tag=id"`
}

func openBun(ctx context.Context, e *env) (impl, error) {
	u, err := url.Parse(e.base)
	if err != nil {
		return nil, err
	}
	q := u.Query()
	if q.Get("sslmode") == "" {
		q.Set("sslmode", "disable")
	}
	u.RawQuery = q.Encode()
	conn := pgdriver.NewConnector(
		pgdriver.WithDSN(u.String()),
		pgdriver.WithConnParams(map[string]interface{}{"search_path": e.name, "synchronous_commit": "off"}),
	)
	db := bun.NewDB(sql.OpenDB(conn), pgdialect.New())
	db.RegisterModel((*bunParentTag)(nil))
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return &bunImpl{db}, nil
}

func (x *bunImpl) Close() error { return x.db.Close() }

func bunRow(r *rowData) bunItem {
	return bunItem{
		ParentID: r.ParentID, Name: r.Name, Body: r.Body, Quantity: r.Quantity, Big: r.Big,
		Price: r.Price, Active: r.Active, CreatedAt: r.CreatedAt, Note: r.Note,
	}
}

func (x *bunImpl) InsertOne(ctx context.Context, r *rowData) (int64, error) {
	it := bunRow(r)
	_, err := x.db.NewInsert().Model(&it).Exec(ctx)
	return it.ID, err
}

func (x *bunImpl) BulkInsert(ctx context.Context, rs []rowData) ([]int64, error) {
	items := make([]bunItem, len(rs))
	for i := range rs {
		items[i] = bunRow(&rs[i])
	}
	if _, err := x.db.NewInsert().Model(&items).Exec(ctx); err != nil {
		return nil, err
	}
	keys := make([]int64, len(items))
	for i := range items {
		keys[i] = items[i].ID
	}
	return keys, nil
}

func (x *bunImpl) GetByPK(ctx context.Context, id int64) (int64, string, error) {
	var it bunItem
	err := x.db.NewSelect().Model(&it).Where("i.id = ?", id).Scan(ctx)
	return it.ID, it.Name, err
}

func (x *bunImpl) Filter100(ctx context.Context, after int64) (int, int64, error) {
	var items []bunItem
	err := x.db.NewSelect().Model(&items).Where("i.id > ?", after).Order("i.id").Limit(100).Scan(ctx)
	if err != nil || len(items) == 0 {
		return 0, 0, err
	}
	return len(items), items[len(items)-1].ID, nil
}

func (x *bunImpl) UpdateOne(ctx context.Context, id int64, r *rowData) (int64, error) {
	it := bunRow(r)
	it.ID = id
	res, err := x.db.NewUpdate().Model(&it).WherePK().Exec(ctx)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

func (x *bunImpl) FilterJoin100(ctx context.Context, name string) (int, int, error) {
	var items []bunItem
	err := x.db.NewSelect().Model(&items).Relation("Parent").Where("parent.name = ?", name).Limit(100).Scan(ctx)
	if err != nil {
		return 0, 0, err
	}
	loaded := 0
	for i := range items {
		if p := items[i].Parent; p != nil && p.Name == name {
			loaded++
		}
	}
	return len(items), loaded, nil
}

func (x *bunImpl) CountFilter(ctx context.Context, p int64) (int64, error) {
	n, err := x.db.NewSelect().Model((*bunItem)(nil)).Where("i.parent = ?", p).Count(ctx)
	return int64(n), err
}

func (x *bunImpl) Stream(ctx context.Context, max int64) (int, int64, error) {
	rows, err := x.db.NewSelect().Model((*bunItem)(nil)).Where("i.id <= ?", max).Rows(ctx)
	if err != nil {
		return 0, 0, err
	}
	defer rows.Close()
	n, sum := 0, int64(0)
	for rows.Next() {
		var it bunItem
		if err := x.db.ScanRow(ctx, rows, &it); err != nil {
			return 0, 0, err
		}
		n++
		sum += it.Quantity
	}
	return n, sum, rows.Err()
}

// ---------------------------------------------------------------------------
// Aggregates and projections: Column and ColumnExpr of the sum with Group,
// and Column of two columns, each scanned into a slice of structs with
// Scan, as Bun's documentation shows them. The groups are ordered by
// parent as the other contenders' are.

// bunKeySum is one group of SumByParent.
type bunKeySum struct {
	Parent int64 `bun:"parent"`
	Total  int64 `bun:"total"`
}

// bunNameQuantity is one pair of Project.
type bunNameQuantity struct {
	Name     string `bun:"name"`
	Quantity int64  `bun:"quantity"`
}

func (x *bunImpl) SumByParent(ctx context.Context, max int64) (int, int64, error) {
	var gs []bunKeySum
	err := x.db.NewSelect().Model((*bunItem)(nil)).
		Column("parent").ColumnExpr("sum(i.quantity) AS total").
		Where("i.id <= ?", max).Group("parent").Order("parent").
		Scan(ctx, &gs)
	var total int64
	for _, g := range gs {
		total += g.Total
	}
	return len(gs), total, err
}

func (x *bunImpl) Project(ctx context.Context, max int64) (int, int64, error) {
	var ps []bunNameQuantity
	err := x.db.NewSelect().Model((*bunItem)(nil)).Column("name", "quantity").
		Where("i.id <= ?", max).
		Scan(ctx, &ps)
	var sum int64
	for _, p := range ps {
		sum += p.Quantity
	}
	return len(ps), sum, err
}
