// Package conformance holds ormc's conformance suite: one table of query
// cases, each with the rows it expects in order, run on SQLite,
// PostgreSQL and MariaDB (and PostgreSQL under LC_CTYPE C) with the same
// expectations. A case where a database cannot agree carries an
// exception for it, and every exception must be documented in the
// "Dialect differences" table of lang/spec.md: a test checks that too.
//
// The client in db is generated from ../conformance.orm.
package conformance

//go:generate go run github.com/ormc/ormc/cmd/ormc build -o db ../conformance.orm
