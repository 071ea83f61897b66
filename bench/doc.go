// Package bench measures ormc side by side with raw pgx, hand-written
// sqlc-style pgx code, database/sql, GORM, Bun and ent, on one schema
// (schema.orm) and one database per run. Run it with `make bench` from the
// repository root; RESULTS.md holds the latest table.
package bench

//go:generate go run -C .. ./cmd/ormc build -o bench/ormcdb bench/schema.orm
//go:generate go run entgo.io/ent/cmd/ent generate ./entdb/schema
