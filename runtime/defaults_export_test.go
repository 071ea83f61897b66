package runtime

import "context"

// CreateRow, BulkCreateRows and GetRow run the engine's create, bulk
// create and get on table t, which the typed API's Create, BulkCreate and
// Get call, for the tests of package runtime_test that run them on every
// database with tables of their own.
func CreateRow(ctx context.Context, db *DB, t *Table, row any) error {
	return query{db: db, t: t}.create(ctx, row)
}

func BulkCreateRows(ctx context.Context, db *DB, t *Table, rows []any) error {
	return query{db: db, t: t}.bulkCreate(ctx, rows)
}

func GetRow(ctx context.Context, db *DB, t *Table, lookup string, value any) (any, error) {
	return query{db: db, t: t}.Where(lookup, value).get(ctx)
}
