// Package inspect reads the schema of a live database into a
// dialect-neutral description (Schema), and compares two descriptions in
// schema terms.
//
// It is the ground that drift checks (a generated client's CheckSchema,
// `ormc diff`), `ormc pull` and migrations stand on. It imports only
// runtime and runtime/dialect, so a generated client can use it without
// linking the compiler.
//
// Each dialect has a file of its own (postgres.go, mysql.go, sqlite.go)
// with its catalog queries and its normalisations of what the database
// reports: type aliases, the spelling of default expressions, the
// implicit index MySQL makes for a foreign key. The same normalisations
// are applied to the description compiler/ddl derives from a schema, so
// a database made by CreateTables compares equal to it.
package inspect
