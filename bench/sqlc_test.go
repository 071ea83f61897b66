package bench

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/pgxpool"
)

// The code below is what sqlc (sql_package: pgx/v5) generates for the
// queries of the benchmarks, written by hand: a Queries over a DBTX, one
// method per query, pgtype for the nullable and timestamp columns, int32
// for INTEGER, and `:batchone` for the bulk insert.

type sqlcDBTX interface {
	Exec(context.Context, string, ...interface{}) (pgconn.CommandTag, error)
	Query(context.Context, string, ...interface{}) (pgx.Rows, error)
	QueryRow(context.Context, string, ...interface{}) pgx.Row
	SendBatch(context.Context, *pgx.Batch) pgx.BatchResults
}

type sqlcQueries struct{ db sqlcDBTX }

type sqlcBenchItem struct {
	ID        int32
	Parent    int32
	Name      string
	Body      string
	Quantity  int32
	Big       int64
	Price     float64
	Active    bool
	CreatedAt pgtype.Timestamptz
	Note      pgtype.Text
}

type sqlcBenchParent struct {
	ID   int32
	Name string
}

const sqlcCreateItem = `-- name: CreateItem :one
INSERT INTO bench_item (parent, name, body, quantity, big, price, active, created_at, note) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id
`

type sqlcCreateItemParams struct {
	Parent    int32
	Name      string
	Body      string
	Quantity  int32
	Big       int64
	Price     float64
	Active    bool
	CreatedAt pgtype.Timestamptz
	Note      pgtype.Text
}

func (q *sqlcQueries) CreateItem(ctx context.Context, arg sqlcCreateItemParams) (int32, error) {
	row := q.db.QueryRow(ctx, sqlcCreateItem, arg.Parent, arg.Name, arg.Body, arg.Quantity, arg.Big, arg.Price, arg.Active, arg.CreatedAt, arg.Note)
	var id int32
	err := row.Scan(&id)
	return id, err
}

var errSqlcBatchAlreadyClosed = errors.New("batch already closed")

type sqlcCreateItemsBatchResults struct {
	br     pgx.BatchResults
	tot    int
	closed bool
}

func (q *sqlcQueries) CreateItems(ctx context.Context, arg []sqlcCreateItemParams) *sqlcCreateItemsBatchResults {
	batch := &pgx.Batch{}
	for _, a := range arg {
		vals := []interface{}{a.Parent, a.Name, a.Body, a.Quantity, a.Big, a.Price, a.Active, a.CreatedAt, a.Note}
		batch.Queue(sqlcCreateItem, vals...)
	}
	br := q.db.SendBatch(ctx, batch)
	return &sqlcCreateItemsBatchResults{br, len(arg), false}
}

func (b *sqlcCreateItemsBatchResults) QueryRow(f func(int, int32, error)) {
	defer b.br.Close()
	for t := 0; t < b.tot; t++ {
		var id int32
		if b.closed {
			if f != nil {
				f(t, id, errSqlcBatchAlreadyClosed)
			}
			continue
		}
		row := b.br.QueryRow()
		err := row.Scan(&id)
		if f != nil {
			f(t, id, err)
		}
	}
}

const sqlcGetItem = `-- name: GetItem :one
SELECT id, parent, name, body, quantity, big, price, active, created_at, note FROM bench_item WHERE id = $1
`

func (q *sqlcQueries) GetItem(ctx context.Context, id int32) (sqlcBenchItem, error) {
	row := q.db.QueryRow(ctx, sqlcGetItem, id)
	var i sqlcBenchItem
	err := row.Scan(&i.ID, &i.Parent, &i.Name, &i.Body, &i.Quantity, &i.Big, &i.Price, &i.Active, &i.CreatedAt, &i.Note)
	return i, err
}

const sqlcListItemsAfter = `-- name: ListItemsAfter :many
SELECT id, parent, name, body, quantity, big, price, active, created_at, note FROM bench_item WHERE id > $1 ORDER BY id LIMIT 100
`

func (q *sqlcQueries) ListItemsAfter(ctx context.Context, id int32) ([]sqlcBenchItem, error) {
	rows, err := q.db.Query(ctx, sqlcListItemsAfter, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var items []sqlcBenchItem
	for rows.Next() {
		var i sqlcBenchItem
		if err := rows.Scan(&i.ID, &i.Parent, &i.Name, &i.Body, &i.Quantity, &i.Big, &i.Price, &i.Active, &i.CreatedAt, &i.Note); err != nil {
			return nil, err
		}
		items = append(items, i)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return items, nil
}

const sqlcUpdateItem = `-- name: UpdateItem :execrows
UPDATE bench_item SET parent = $1, name = $2, body = $3, quantity = $4, big = $5, price = $6, active = $7, created_at = $8, note = $9 WHERE id = $10
`

type sqlcUpdateItemParams struct {
	Parent    int32
	Name      string
	Body      string
	Quantity  int32
	Big       int64
	Price     float64
	Active    bool
	CreatedAt pgtype.Timestamptz
	Note      pgtype.Text
	ID        int32
}

func (q *sqlcQueries) UpdateItem(ctx context.Context, arg sqlcUpdateItemParams) (int64, error) {
	result, err := q.db.Exec(ctx, sqlcUpdateItem, arg.Parent, arg.Name, arg.Body, arg.Quantity, arg.Big, arg.Price, arg.Active, arg.CreatedAt, arg.Note, arg.ID)
	if err != nil {
		return 0, err
	}
	return result.RowsAffected(), nil
}

const sqlcListItemsByParentName = `-- name: ListItemsByParentName :many
SELECT bench_item.id, bench_item.parent, bench_item.name, bench_item.body, bench_item.quantity, bench_item.big, bench_item.price, bench_item.active, bench_item.created_at, bench_item.note, bench_parent.id, bench_parent.name FROM bench_item JOIN bench_parent ON bench_parent.id = bench_item.parent WHERE bench_parent.name = $1 LIMIT 100
`

type sqlcListItemsByParentNameRow struct {
	BenchItem   sqlcBenchItem
	BenchParent sqlcBenchParent
}

func (q *sqlcQueries) ListItemsByParentName(ctx context.Context, name string) ([]sqlcListItemsByParentNameRow, error) {
	rows, err := q.db.Query(ctx, sqlcListItemsByParentName, name)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var items []sqlcListItemsByParentNameRow
	for rows.Next() {
		var i sqlcListItemsByParentNameRow
		if err := rows.Scan(
			&i.BenchItem.ID, &i.BenchItem.Parent, &i.BenchItem.Name, &i.BenchItem.Body, &i.BenchItem.Quantity,
			&i.BenchItem.Big, &i.BenchItem.Price, &i.BenchItem.Active, &i.BenchItem.CreatedAt, &i.BenchItem.Note,
			&i.BenchParent.ID, &i.BenchParent.Name,
		); err != nil {
			return nil, err
		}
		items = append(items, i)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return items, nil
}

const sqlcCountItemsByParent = `-- name: CountItemsByParent :one
SELECT count(*) FROM bench_item WHERE parent = $1
`

func (q *sqlcQueries) CountItemsByParent(ctx context.Context, parent int32) (int64, error) {
	row := q.db.QueryRow(ctx, sqlcCountItemsByParent, parent)
	var count int64
	err := row.Scan(&count)
	return count, err
}

const sqlcListItemsUpTo = `-- name: ListItemsUpTo :many
SELECT id, parent, name, body, quantity, big, price, active, created_at, note FROM bench_item WHERE id <= $1
`

// sqlc has no streaming mode: a :many query reads every row into a
// slice, and that is what Stream measures for it.
func (q *sqlcQueries) ListItemsUpTo(ctx context.Context, id int32) ([]sqlcBenchItem, error) {
	rows, err := q.db.Query(ctx, sqlcListItemsUpTo, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var items []sqlcBenchItem
	for rows.Next() {
		var i sqlcBenchItem
		if err := rows.Scan(&i.ID, &i.Parent, &i.Name, &i.Body, &i.Quantity, &i.Big, &i.Price, &i.Active, &i.CreatedAt, &i.Note); err != nil {
			return nil, err
		}
		items = append(items, i)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return items, nil
}

// sqlcImpl drives the Queries above over a pgxpool.
type sqlcImpl struct {
	pool *pgxpool.Pool
	q    *sqlcQueries
}

func openSqlc(ctx context.Context, e *env) (impl, error) {
	pool, err := pgxpool.New(ctx, e.url)
	if err != nil {
		return nil, err
	}
	return &sqlcImpl{pool, &sqlcQueries{pool}}, nil
}

func (s *sqlcImpl) Close() error { s.pool.Close(); return nil }

func sqlcParams(r *rowData) sqlcCreateItemParams {
	p := sqlcCreateItemParams{
		Parent:    int32(r.ParentID),
		Name:      r.Name,
		Body:      r.Body,
		Quantity:  int32(r.Quantity),
		Big:       r.Big,
		Price:     r.Price,
		Active:    r.Active,
		CreatedAt: pgtype.Timestamptz{Time: r.CreatedAt, Valid: true},
	}
	if r.Note != nil {
		p.Note = pgtype.Text{String: *r.Note, Valid: true}
	}
	return p
}

func (s *sqlcImpl) InsertOne(ctx context.Context, r *rowData) (int64, error) {
	id, err := s.q.CreateItem(ctx, sqlcParams(r))
	return int64(id), err
}

func (s *sqlcImpl) BulkInsert(ctx context.Context, rs []rowData) ([]int64, error) {
	args := make([]sqlcCreateItemParams, len(rs))
	for i := range rs {
		args[i] = sqlcParams(&rs[i])
	}
	keys := make([]int64, len(rs))
	var err error
	s.q.CreateItems(ctx, args).QueryRow(func(i int, id int32, e error) {
		if e != nil && err == nil {
			err = e
		}
		keys[i] = int64(id)
	})
	return keys, err
}

func (s *sqlcImpl) GetByPK(ctx context.Context, id int64) (int64, string, error) {
	it, err := s.q.GetItem(ctx, int32(id))
	return int64(it.ID), it.Name, err
}

func (s *sqlcImpl) Filter100(ctx context.Context, after int64) (int, int64, error) {
	items, err := s.q.ListItemsAfter(ctx, int32(after))
	if err != nil || len(items) == 0 {
		return 0, 0, err
	}
	return len(items), int64(items[len(items)-1].ID), nil
}

func (s *sqlcImpl) UpdateOne(ctx context.Context, id int64, r *rowData) (int64, error) {
	p := sqlcParams(r)
	return s.q.UpdateItem(ctx, sqlcUpdateItemParams{
		Parent: p.Parent, Name: p.Name, Body: p.Body, Quantity: p.Quantity, Big: p.Big,
		Price: p.Price, Active: p.Active, CreatedAt: p.CreatedAt, Note: p.Note, ID: int32(id),
	})
}

func (s *sqlcImpl) FilterJoin100(ctx context.Context, name string) (int, int, error) {
	rows, err := s.q.ListItemsByParentName(ctx, name)
	if err != nil {
		return 0, 0, err
	}
	loaded := 0
	for _, r := range rows {
		if r.BenchParent.Name == name && r.BenchParent.ID == r.BenchItem.Parent {
			loaded++
		}
	}
	return len(rows), loaded, nil
}

func (s *sqlcImpl) CountFilter(ctx context.Context, p int64) (int64, error) {
	return s.q.CountItemsByParent(ctx, int32(p))
}

func (s *sqlcImpl) Stream(ctx context.Context, max int64) (int, int64, error) {
	items, err := s.q.ListItemsUpTo(ctx, int32(max))
	if err != nil {
		return 0, 0, err
	}
	sum := int64(0)
	for i := range items {
		sum += int64(items[i].Quantity)
	}
	return len(items), sum, nil
}
