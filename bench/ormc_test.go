package bench

import (
	"context"

	"github.com/ormc/ormc/bench/ormcdb"
)

// ormcImpl is ormc's generated client; the same code runs on every
// dialect.
type ormcImpl struct{ c *ormcdb.Client }

func openOrmc(ctx context.Context, e *env) (impl, error) {
	c, err := ormcdb.Open(ctx, e.url)
	if err != nil {
		return nil, err
	}
	return &ormcImpl{c}, nil
}

func (o *ormcImpl) Close() error { return o.c.Close() }

func (o *ormcImpl) InsertOne(ctx context.Context, r *rowData) (int64, error) {
	it, err := o.c.Items.Create(ctx, ormcItem(r))
	if err != nil {
		return 0, err
	}
	return it.ID, nil
}

func (o *ormcImpl) BulkInsert(ctx context.Context, rs []rowData) ([]int64, error) {
	items := make([]*ormcdb.Item, len(rs))
	for i := range rs {
		items[i] = ormcItem(&rs[i])
	}
	if err := o.c.Items.BulkCreate(ctx, items); err != nil {
		return nil, err
	}
	keys := make([]int64, len(items))
	for i, it := range items {
		keys[i] = it.ID
	}
	return keys, nil
}

func (o *ormcImpl) GetByPK(ctx context.Context, id int64) (int64, string, error) {
	it, err := o.c.Items.Get(ctx, ormcdb.ItemID.Eq(id))
	if err != nil {
		return 0, "", err
	}
	return it.ID, it.Name, nil
}

func (o *ormcImpl) Filter100(ctx context.Context, after int64) (int, int64, error) {
	items, err := o.c.Items.Filter(ormcdb.ItemID.Gt(after)).OrderBy(ormcdb.ItemID.Asc()).Limit(100).All(ctx)
	if err != nil || len(items) == 0 {
		return 0, 0, err
	}
	return len(items), items[len(items)-1].ID, nil
}

func (o *ormcImpl) UpdateOne(ctx context.Context, id int64, r *rowData) (int64, error) {
	it := ormcItem(r)
	it.ID = id
	// Update reports a missing row as ErrNotFound: no error is one row.
	if err := o.c.Items.Update(ctx, it); err != nil {
		return 0, err
	}
	return 1, nil
}

func (o *ormcImpl) FilterJoin100(ctx context.Context, name string) (int, int, error) {
	items, err := o.c.Items.SelectRelated(ormcdb.ItemParent).Filter(ormcdb.ItemParent.Name.Eq(name)).Limit(100).All(ctx)
	if err != nil {
		return 0, 0, err
	}
	loaded := 0
	for _, it := range items {
		if p, err := it.Parent.Value(); err == nil && p.Name == name {
			loaded++
		}
	}
	return len(items), loaded, nil
}

func (o *ormcImpl) CountFilter(ctx context.Context, p int64) (int64, error) {
	return o.c.Items.Filter(ormcdb.ItemParentID.Eq(p)).Count(ctx)
}

func (o *ormcImpl) Stream(ctx context.Context, max int64) (int, int64, error) {
	n, sum := 0, int64(0)
	for it, err := range o.c.Items.Filter(ormcdb.ItemID.Lte(max)).Iter(ctx) {
		if err != nil {
			return 0, 0, err
		}
		n++
		sum += it.Quantity
	}
	return n, sum, nil
}
