// Package migrate plans schema migrations offline, from two snapshots of
// the IR: Diff finds the changes (models, fields, constraints and indexes,
// matched by schema name, renamed(from:) hints, and the SQL names the
// checker stored), lint gives each a verdict with a stable code at its
// .orm position, and each dialect's writer (postgres.go, mysql.go,
// sqlite.go) turns them into steps that are safe on tables holding rows.
// Columns, constraints and indexes are written by compiler/ddl, as
// Create writes them. dir.go reads and writes the migration directory
// that docs/migrations.md describes; runtime/migrate applies it.
package migrate
