package bench

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

// pgxImpl is raw pgx/v5 through pgxpool with its default statement cache:
// the floor every other PostgreSQL contender is measured against. Rows are
// scanned field by field into plain structs; bulk insert is one
// INSERT … SELECT FROM unnest(…) RETURNING id.
type pgxImpl struct{ pool *pgxpool.Pool }

type pgxItem struct {
	ID        int64
	ParentID  int64
	Name      string
	Body      string
	Quantity  int64
	Big       int64
	Price     float64
	Active    bool
	CreatedAt time.Time
	Note      *string
	Parent    *pgxParent
}

type pgxParent struct {
	ID    int64
	Name  string
	Items []*pgxItem // the items that refer to it, once loaded
	Tags  []*pgxTag  // the tags linked to it, once loaded
}

type pgxTag struct {
	ID   int64
	Name string
}

func openPgx(ctx context.Context, e *env) (impl, error) {
	pool, err := pgxpool.New(ctx, e.url)
	if err != nil {
		return nil, err
	}
	return &pgxImpl{pool}, nil
}

func (p *pgxImpl) Close() error { p.pool.Close(); return nil }

const (
	pgItemCols   = "id, parent, name, body, quantity, big, price, active, created_at, note"
	pgInsertItem = "INSERT INTO bench_item (parent, name, body, quantity, big, price, active, created_at, note) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id"
	pgUnnestItem = "INSERT INTO bench_item (parent, name, body, quantity, big, price, active, created_at, note) " +
		"SELECT * FROM unnest($1::int[], $2::varchar[], $3::text[], $4::int[], $5::bigint[], $6::float8[], $7::bool[], $8::timestamptz[], $9::varchar[]) RETURNING id"
	pgGetItem    = "SELECT " + pgItemCols + " FROM bench_item WHERE id = $1"
	pgFilterItem = "SELECT " + pgItemCols + " FROM bench_item WHERE id > $1 ORDER BY id LIMIT 100"
	pgUpdateItem = "UPDATE bench_item SET parent = $1, name = $2, body = $3, quantity = $4, big = $5, price = $6, active = $7, created_at = $8, note = $9 WHERE id = $10"
	pgJoinItem   = "SELECT i.id, i.parent, i.name, i.body, i.quantity, i.big, i.price, i.active, i.created_at, i.note, p.id, p.name " +
		"FROM bench_item i JOIN bench_parent p ON p.id = i.parent WHERE p.name = $1 LIMIT 100"
	pgCountItem  = "SELECT count(*) FROM bench_item WHERE parent = $1"
	pgStreamItem = "SELECT " + pgItemCols + " FROM bench_item WHERE id <= $1"
)

func (it *pgxItem) dest() []any {
	return []any{&it.ID, &it.ParentID, &it.Name, &it.Body, &it.Quantity, &it.Big, &it.Price, &it.Active, &it.CreatedAt, &it.Note}
}

func (p *pgxImpl) InsertOne(ctx context.Context, r *rowData) (int64, error) {
	var id int64
	err := p.pool.QueryRow(ctx, pgInsertItem, r.ParentID, r.Name, r.Body, r.Quantity, r.Big, r.Price, r.Active, r.CreatedAt, r.Note).Scan(&id)
	return id, err
}

func (p *pgxImpl) BulkInsert(ctx context.Context, rs []rowData) ([]int64, error) {
	n := len(rs)
	var (
		parent, quantity, big = make([]int64, n), make([]int64, n), make([]int64, n)
		name, body            = make([]string, n), make([]string, n)
		price                 = make([]float64, n)
		active                = make([]bool, n)
		created               = make([]time.Time, n)
		note                  = make([]*string, n)
	)
	for i := range rs {
		r := &rs[i]
		parent[i], name[i], body[i], quantity[i], big[i] = r.ParentID, r.Name, r.Body, r.Quantity, r.Big
		price[i], active[i], created[i], note[i] = r.Price, r.Active, r.CreatedAt, r.Note
	}
	rows, err := p.pool.Query(ctx, pgUnnestItem, parent, name, body, quantity, big, price, active, created, note)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	keys := make([]int64, 0, n)
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		keys = append(keys, id)
	}
	return keys, rows.Err()
}

func (p *pgxImpl) GetByPK(ctx context.Context, id int64) (int64, string, error) {
	var it pgxItem
	err := p.pool.QueryRow(ctx, pgGetItem, id).Scan(it.dest()...)
	return it.ID, it.Name, err
}

func (p *pgxImpl) Filter100(ctx context.Context, after int64) (int, int64, error) {
	rows, err := p.pool.Query(ctx, pgFilterItem, after)
	if err != nil {
		return 0, 0, err
	}
	defer rows.Close()
	items := make([]pgxItem, 0, 100)
	for rows.Next() {
		items = append(items, pgxItem{})
		if err := rows.Scan(items[len(items)-1].dest()...); err != nil {
			return 0, 0, err
		}
	}
	if err := rows.Err(); err != nil || len(items) == 0 {
		return 0, 0, err
	}
	return len(items), items[len(items)-1].ID, nil
}

func (p *pgxImpl) UpdateOne(ctx context.Context, id int64, r *rowData) (int64, error) {
	tag, err := p.pool.Exec(ctx, pgUpdateItem, r.ParentID, r.Name, r.Body, r.Quantity, r.Big, r.Price, r.Active, r.CreatedAt, r.Note, id)
	return tag.RowsAffected(), err
}

func (p *pgxImpl) FilterJoin100(ctx context.Context, name string) (int, int, error) {
	rows, err := p.pool.Query(ctx, pgJoinItem, name)
	if err != nil {
		return 0, 0, err
	}
	defer rows.Close()
	items := make([]pgxItem, 0, 100)
	parents := make([]pgxParent, 0, 100)
	for rows.Next() {
		items = append(items, pgxItem{})
		parents = append(parents, pgxParent{})
		it, pa := &items[len(items)-1], &parents[len(parents)-1]
		it.Parent = pa
		if err := rows.Scan(&it.ID, &it.ParentID, &it.Name, &it.Body, &it.Quantity, &it.Big, &it.Price, &it.Active, &it.CreatedAt, &it.Note, &pa.ID, &pa.Name); err != nil {
			return 0, 0, err
		}
	}
	if err := rows.Err(); err != nil {
		return 0, 0, err
	}
	loaded := 0
	for i := range items {
		if items[i].Parent.Name == name {
			loaded++
		}
	}
	return len(items), loaded, nil
}

func (p *pgxImpl) CountFilter(ctx context.Context, parent int64) (int64, error) {
	var n int64
	err := p.pool.QueryRow(ctx, pgCountItem, parent).Scan(&n)
	return n, err
}

func (p *pgxImpl) Stream(ctx context.Context, max int64) (int, int64, error) {
	rows, err := p.pool.Query(ctx, pgStreamItem, max)
	if err != nil {
		return 0, 0, err
	}
	defer rows.Close()
	var it pgxItem
	dest := it.dest()
	n, sum := 0, int64(0)
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return 0, 0, err
		}
		n++
		sum += it.Quantity
	}
	return n, sum, rows.Err()
}
