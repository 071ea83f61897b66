package bench

import (
	"context"

	"github.com/jackc/pgx/v5"
)

// pgxCopyImpl is raw pgx with bulk insert through COPY, the other half of
// "pgx's best" for BulkInsert1000 (the pgx contender uses unnest). COPY
// returns nothing, so the keys are drawn from the id column's sequence
// first and sent with the rows: two round trips and the COPY itself. It
// runs BulkInsert1000 only; every other operation would be pgx's.
type pgxCopyImpl struct {
	*pgxImpl
	seq string // the sequence behind bench_item.id
}

func openPgxCopy(ctx context.Context, e *env) (impl, error) {
	im, err := openPgx(ctx, e)
	if err != nil {
		return nil, err
	}
	p := &pgxCopyImpl{pgxImpl: im.(*pgxImpl)}
	if err := p.pool.QueryRow(ctx, "SELECT pg_get_serial_sequence('bench_item', 'id')").Scan(&p.seq); err != nil {
		p.Close()
		return nil, err
	}
	return p, nil
}

var pgCopyItemCols = []string{"id", "parent", "name", "body", "quantity", "big", "price", "active", "created_at", "note"}

func (p *pgxCopyImpl) BulkInsert(ctx context.Context, rs []rowData) ([]int64, error) {
	rows, err := p.pool.Query(ctx, "SELECT nextval($1::regclass) FROM generate_series(1, $2)", p.seq, len(rs))
	if err != nil {
		return nil, err
	}
	keys, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return nil, err
	}
	row := make([]any, len(pgCopyItemCols))
	src := pgx.CopyFromSlice(len(rs), func(i int) ([]any, error) {
		r := &rs[i]
		row[0], row[1], row[2], row[3], row[4] = keys[i], r.ParentID, r.Name, r.Body, r.Quantity
		row[5], row[6], row[7], row[8], row[9] = r.Big, r.Price, r.Active, r.CreatedAt, r.Note
		return row, nil
	})
	if _, err := p.pool.CopyFrom(ctx, pgx.Identifier{"bench_item"}, pgCopyItemCols, src); err != nil {
		return nil, err
	}
	return keys, nil
}
