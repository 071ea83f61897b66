package bench

import (
	"context"
	"errors"
	"time"

	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// gormImpl is GORM over its PostgreSQL driver (pgx stdlib underneath),
// configured as GORM's performance guide says: no default transaction
// around single writes, no logging; "gorm-prep" adds PrepareStmt.
type gormImpl struct{ db *gorm.DB }

type gormItem struct {
	ID        int64 `gorm:"primaryKey"`
	ParentID  int64 `gorm:"column:parent"`
	Parent    *gormParent
	Name      string
	Body      string
	Quantity  int64
	Big       int64
	Price     float64
	Active    bool
	CreatedAt time.Time `gorm:"autoCreateTime:false"`
	Note      *string
}

func (gormItem) TableName() string { return "bench_item" }

type gormParent struct {
	ID    int64 `gorm:"primaryKey"`
	Name  string
	Items []gormItem `gorm:"foreignKey:ParentID"`
	// Tags are linked through ormc's join table; joinForeignKey and
	// joinReferences name its columns (GORM's own would be gorm_parent_id
	// and gorm_tag_id).
	Tags []gormTag `gorm:"many2many:bench_parent_tags;joinForeignKey:Parent;joinReferences:Tag"`
}

func (gormParent) TableName() string { return "bench_parent" }

type gormTag struct {
	ID   int64 `gorm:"primaryKey"`
	Name string
}

func (gormTag) TableName() string { return "bench_tag" }

func openGorm(prepare bool) func(context.Context, *env) (impl, error) {
	return func(ctx context.Context, e *env) (impl, error) {
		db, err := gorm.Open(postgres.Open(e.url), &gorm.Config{
			SkipDefaultTransaction: true,
			PrepareStmt:            prepare,
			Logger:                 logger.Discard,
		})
		if err != nil {
			return nil, err
		}
		return &gormImpl{db}, nil
	}
}

func (g *gormImpl) Close() error {
	sqlDB, err := g.db.DB()
	if err != nil {
		return err
	}
	return sqlDB.Close()
}

func gormRow(r *rowData) gormItem {
	return gormItem{
		ParentID: r.ParentID, Name: r.Name, Body: r.Body, Quantity: r.Quantity, Big: r.Big,
		Price: r.Price, Active: r.Active, CreatedAt: r.CreatedAt, Note: r.Note,
	}
}

func (g *gormImpl) InsertOne(ctx context.Context, r *rowData) (int64, error) {
	it := gormRow(r)
	err := g.db.WithContext(ctx).Create(&it).Error
	return it.ID, err
}

func (g *gormImpl) BulkInsert(ctx context.Context, rs []rowData) ([]int64, error) {
	items := make([]gormItem, len(rs))
	for i := range rs {
		items[i] = gormRow(&rs[i])
	}
	if err := g.db.WithContext(ctx).Create(&items).Error; err != nil {
		return nil, err
	}
	keys := make([]int64, len(items))
	for i := range items {
		keys[i] = items[i].ID
	}
	return keys, nil
}

func (g *gormImpl) GetByPK(ctx context.Context, id int64) (int64, string, error) {
	var it gormItem
	err := g.db.WithContext(ctx).First(&it, id).Error
	return it.ID, it.Name, err
}

func (g *gormImpl) Filter100(ctx context.Context, after int64) (int, int64, error) {
	var items []gormItem
	err := g.db.WithContext(ctx).Where("id > ?", after).Order("id").Limit(100).Find(&items).Error
	if err != nil || len(items) == 0 {
		return 0, 0, err
	}
	return len(items), items[len(items)-1].ID, nil
}

func (g *gormImpl) UpdateOne(ctx context.Context, id int64, r *rowData) (int64, error) {
	it := gormRow(r)
	it.ID = id
	res := g.db.WithContext(ctx).Save(&it)
	return res.RowsAffected, res.Error
}

func (g *gormImpl) FilterJoin100(ctx context.Context, name string) (int, int, error) {
	var items []gormItem
	err := g.db.WithContext(ctx).Joins("Parent").Where(`"Parent"."name" = ?`, name).Limit(100).Find(&items).Error
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

func (g *gormImpl) CountFilter(ctx context.Context, p int64) (int64, error) {
	var n int64
	err := g.db.WithContext(ctx).Model(&gormItem{}).Where("parent = ?", p).Count(&n).Error
	return n, err
}

func (g *gormImpl) Stream(ctx context.Context, max int64) (int, int64, error) {
	db := g.db.WithContext(ctx)
	rows, err := db.Model(&gormItem{}).Where("id <= ?", max).Rows()
	if err != nil {
		return 0, 0, err
	}
	defer rows.Close()
	n, sum := 0, int64(0)
	for rows.Next() {
		var it gormItem
		if err := db.ScanRows(rows, &it); err != nil {
			return 0, 0, err
		}
		n++
		sum += it.Quantity
	}
	if err := rows.Err(); err != nil {
		return 0, 0, err
	}
	if n == 0 {
		return 0, 0, errors.New("gorm: no rows")
	}
	return n, sum, nil
}

// ---------------------------------------------------------------------------
// Aggregates and projections: Select of the column and its sum with Group,
// scanned into a slice of structs with Scan, and Select of two columns with
// Find into a slice of structs of those two fields, as GORM's documentation
// shows them. The groups are ordered by parent as the other contenders'
// are.

// gormKeySum is one group of SumByParent.
type gormKeySum struct {
	Parent int64
	Total  int64
}

// gormNameQuantity is one pair of Project.
type gormNameQuantity struct {
	Name     string
	Quantity int64
}

func (g *gormImpl) SumByParent(ctx context.Context, max int64) (int, int64, error) {
	var gs []gormKeySum
	err := g.db.WithContext(ctx).Model(&gormItem{}).Select("parent, sum(quantity) AS total").
		Where("id <= ?", max).Group("parent").Order("parent").Scan(&gs).Error
	var total int64
	for _, g := range gs {
		total += g.Total
	}
	return len(gs), total, err
}

func (g *gormImpl) Project(ctx context.Context, max int64) (int, int64, error) {
	var ps []gormNameQuantity
	err := g.db.WithContext(ctx).Model(&gormItem{}).Select("name", "quantity").
		Where("id <= ?", max).Find(&ps).Error
	var sum int64
	for _, p := range ps {
		sum += p.Quantity
	}
	return len(ps), sum, err
}
