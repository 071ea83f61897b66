package bench

import (
	"context"
	"database/sql"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"
	"github.com/ormc/ormc/bench/entdb"
	"github.com/ormc/ormc/bench/entdb/item"
	"github.com/ormc/ormc/bench/entdb/parent"
)

// entImpl is ent's generated client (entdb, from entdb/schema) over pgx's
// stdlib driver. ent has no streaming query, so Stream reads every row
// with All; its eager loading (WithParent) is a second query by key, not
// a JOIN.
type entImpl struct{ c *entdb.Client }

func openEnt(ctx context.Context, e *env) (impl, error) {
	db, err := sql.Open("pgx", e.url)
	if err != nil {
		return nil, err
	}
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return &entImpl{entdb.NewClient(entdb.Driver(entsql.OpenDB(dialect.Postgres, db)))}, nil
}

func (x *entImpl) Close() error { return x.c.Close() }

func (x *entImpl) create(r *rowData) *entdb.ItemCreate {
	return x.c.Item.Create().
		SetParentID(int(r.ParentID)).
		SetName(r.Name).
		SetBody(r.Body).
		SetQuantity(r.Quantity).
		SetBig(r.Big).
		SetPrice(r.Price).
		SetActive(r.Active).
		SetCreatedAt(r.CreatedAt).
		SetNillableNote(r.Note)
}

func (x *entImpl) InsertOne(ctx context.Context, r *rowData) (int64, error) {
	it, err := x.create(r).Save(ctx)
	if err != nil {
		return 0, err
	}
	return int64(it.ID), nil
}

func (x *entImpl) BulkInsert(ctx context.Context, rs []rowData) ([]int64, error) {
	builders := make([]*entdb.ItemCreate, len(rs))
	for i := range rs {
		builders[i] = x.create(&rs[i])
	}
	items, err := x.c.Item.CreateBulk(builders...).Save(ctx)
	if err != nil {
		return nil, err
	}
	keys := make([]int64, len(items))
	for i, it := range items {
		keys[i] = int64(it.ID)
	}
	return keys, nil
}

func (x *entImpl) GetByPK(ctx context.Context, id int64) (int64, string, error) {
	it, err := x.c.Item.Get(ctx, int(id))
	if err != nil {
		return 0, "", err
	}
	return int64(it.ID), it.Name, nil
}

func (x *entImpl) Filter100(ctx context.Context, after int64) (int, int64, error) {
	items, err := x.c.Item.Query().Where(item.IDGT(int(after))).Order(item.ByID()).Limit(100).All(ctx)
	if err != nil || len(items) == 0 {
		return 0, 0, err
	}
	return len(items), int64(items[len(items)-1].ID), nil
}

// UpdateOne updates by predicate, which reports rows affected;
// UpdateOneID would also read the row back.
func (x *entImpl) UpdateOne(ctx context.Context, id int64, r *rowData) (int64, error) {
	n, err := x.c.Item.Update().Where(item.ID(int(id))).
		SetParentID(int(r.ParentID)).
		SetName(r.Name).
		SetBody(r.Body).
		SetQuantity(r.Quantity).
		SetBig(r.Big).
		SetPrice(r.Price).
		SetActive(r.Active).
		SetCreatedAt(r.CreatedAt).
		SetNillableNote(r.Note).
		Save(ctx)
	return int64(n), err
}

func (x *entImpl) FilterJoin100(ctx context.Context, name string) (int, int, error) {
	items, err := x.c.Item.Query().Where(item.HasParentWith(parent.Name(name))).WithParent().Limit(100).All(ctx)
	if err != nil {
		return 0, 0, err
	}
	loaded := 0
	for _, it := range items {
		if p := it.Edges.Parent; p != nil && p.Name == name {
			loaded++
		}
	}
	return len(items), loaded, nil
}

func (x *entImpl) CountFilter(ctx context.Context, p int64) (int64, error) {
	n, err := x.c.Item.Query().Where(item.ParentID(int(p))).Count(ctx)
	return int64(n), err
}

func (x *entImpl) Stream(ctx context.Context, max int64) (int, int64, error) {
	items, err := x.c.Item.Query().Where(item.IDLTE(int(max))).All(ctx)
	if err != nil {
		return 0, 0, err
	}
	sum := int64(0)
	for _, it := range items {
		sum += it.Quantity
	}
	return len(items), sum, nil
}

// ---------------------------------------------------------------------------
// Aggregates and projections: GroupBy with Aggregate(Sum), and Select of
// two fields, each scanned into a slice of structs (ent matches columns to
// the fields' json tags), as ent's documentation shows them. The groups
// are ordered by parent as the other contenders' are.

// entKeySum is one group of SumByParent; sum is the column ent's Sum
// gives.
type entKeySum struct {
	Parent int   `json:"parent"`
	Sum    int64 `json:"sum"`
}

// entNameQuantity is one pair of Project.
type entNameQuantity struct {
	Name     string `json:"name"`
	Quantity int64  `json:"quantity"`
}

func (x *entImpl) SumByParent(ctx context.Context, max int64) (int, int64, error) {
	var gs []entKeySum
	err := x.c.Item.Query().Where(item.IDLTE(int(max))).Order(item.ByParentID()).
		GroupBy(item.FieldParentID).Aggregate(entdb.Sum(item.FieldQuantity)).
		Scan(ctx, &gs)
	var total int64
	for _, g := range gs {
		total += g.Sum
	}
	return len(gs), total, err
}

func (x *entImpl) Project(ctx context.Context, max int64) (int, int64, error) {
	var ps []entNameQuantity
	err := x.c.Item.Query().Where(item.IDLTE(int(max))).
		Select(item.FieldName, item.FieldQuantity).
		Scan(ctx, &ps)
	var sum int64
	for _, p := range ps {
		sum += p.Quantity
	}
	return len(ps), sum, err
}
