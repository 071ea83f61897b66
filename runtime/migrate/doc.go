// Package migrate applies a migration directory (docs/migrations.md) to a
// database: it checks the directory against its ormc.sum, reads the
// migrations of the database's dialect, takes the migration lock (a
// PostgreSQL advisory lock, MySQL's GET_LOCK, SQLite's BEGIN IMMEDIATE),
// reads the ledger table ormc_migrations again under the lock, refuses a
// changed or missing migration, and runs each pending migration's steps,
// recording them in the ledger as they commit.
//
// It is the runtime side of migrations: a generated client's Migrate
// calls Apply, and the CLI's ormc migrate apply, status and baseline use
// it too. It imports the runtime, never the compiler; the planner
// (compiler/migrate) writes what this package reads.
package migrate
