package ddl

import (
	"fmt"
	"strings"

	"github.com/ormc/ormc/compiler/ir"
	"github.com/ormc/ormc/runtime/dialect"
)

// The pieces of Create that the migration planner (compiler/migrate)
// writes its ALTER statements with, so that a column, a constraint or an
// index added by a migration is written exactly as Create writes it.

// CreateTable returns the statements that create m's table on its own:
// CREATE TABLE with every column and constraint (foreign keys included;
// the tables they refer to must exist, or, on SQLite, may exist later),
// its column comments and its indexes. table, when not empty, replaces
// m's table name in CREATE TABLE only, for SQLite's table rebuild.
// Foreign keys of the fields in deferred are left out, for the caller to
// add once the tables they refer to exist (see AddsCycleKeys).
func CreateTable(s *ir.Schema, d dialect.Dialect, m *ir.Model, table string, deferred map[*ir.Field]bool) []string {
	if deferred == nil {
		deferred = map[*ir.Field]bool{}
	}
	create := createTable(s, d, m, deferred)
	if table != "" {
		renamed := *m
		renamed.Table = table
		create = createTable(s, d, &renamed, deferred)
	}
	stmts := []string{create}
	stmts = append(stmts, columnComments(s, d, m)...)
	return append(stmts, createIndexes(d, m)...)
}

// AddsCycleKeys reports whether d creates a table whose foreign key
// refers to a table not created yet (one closing a cycle) without the key,
// adding it with ALTER TABLE once both exist; false where CREATE TABLE
// takes such a reference (SQLite).
func AddsCycleKeys(d dialect.Dialect) bool { return rulesOf(d).addsCycleKeys() }

// ModelOrder returns s's models referenced ones first, as Create creates
// them, keeping declaration order otherwise.
func ModelOrder(s *ir.Schema) []*ir.Model {
	order, _ := sortModels(s)
	return order
}

// ColumnDef returns f's column definition as CREATE TABLE writes it:
// name, type, NOT NULL, DEFAULT, and the inline comment where the
// dialect writes comments so.
func ColumnDef(s *ir.Schema, d dialect.Dialect, f *ir.Field) string {
	return columnDef(s, d, f) + inlineComment(s, d, f)
}

// ColumnType returns the type of f's column on d.
func ColumnType(s *ir.Schema, d dialect.Dialect, f *ir.Field) string {
	return d.ColumnType(DialectType(s.ColumnType(f)))
}

// DefaultSQL returns the DEFAULT expression of f's column, or "".
func DefaultSQL(s *ir.Schema, d dialect.Dialect, f *ir.Field) string {
	if f.PrimaryKey && f.AutoIncrement {
		return ""
	}
	return defaultSQL(d, f, s.ColumnType(f))
}

// CommentStatements returns the statements that give f's column its
// comment where the dialect writes comments apart from the column (none
// elsewhere).
func CommentStatements(s *ir.Schema, d dialect.Dialect, m *ir.Model, f *ir.Field) []string {
	if c := ColumnComment(s, f); c != "" {
		if stmt := rulesOf(d).commentStatement(m.Table, f.Column, c); stmt != "" {
			return []string{stmt}
		}
	}
	return nil
}

// ForeignKey returns relation field f's constraint clause, CONSTRAINT …
// FOREIGN KEY … REFERENCES … ON DELETE …, as CREATE TABLE writes it.
func ForeignKey(s *ir.Schema, d dialect.Dialect, m *ir.Model, f *ir.Field) string {
	return foreignKey(s, d, m, f)
}

// CheckExpr returns the condition of f's CHECK (its Enum's values and its
// bounds), or "" where it has none.
func CheckExpr(s *ir.Schema, d dialect.Dialect, f *ir.Field) string {
	return checkExpr(s, d, f)
}

// UniqueClause returns the clause CONSTRAINT name UNIQUE (columns).
func UniqueClause(d dialect.Dialect, name string, columns []string) string {
	return fmt.Sprintf("CONSTRAINT %s UNIQUE (%s)", dialect.Quote(d, name), quoteList(d, columns))
}

// CreateIndex returns CREATE INDEX name ON table (columns); how, when not
// empty, follows CREATE INDEX (PostgreSQL's CONCURRENTLY).
func CreateIndex(d dialect.Dialect, how, name, table string, columns []string, unique bool) string {
	kw := "CREATE INDEX "
	if unique {
		kw = "CREATE UNIQUE INDEX "
	}
	if how != "" {
		kw += how + " "
	}
	return fmt.Sprintf("%s%s ON %s (%s)", kw, dialect.Quote(d, name), dialect.Quote(d, table), quoteList(d, columns))
}

// Columns returns the column names of m's fields named in fields.
func Columns(m *ir.Model, fields []string) []string { return columnsOf(m, fields) }

// QuoteList returns names quoted and joined by ", ".
func QuoteList(d dialect.Dialect, names []string) string { return quoteList(d, names) }

// StringLiteral writes text as d's SQL string literal.
func StringLiteral(d dialect.Dialect, text string) string { return rulesOf(d).stringLiteral(text) }

// ColumnReference returns relation field f's foreign key as a column
// constraint, CONSTRAINT … REFERENCES … ON DELETE …, for a column added
// with its key where the dialect adds no table constraint (SQLite).
func ColumnReference(s *ir.Schema, d dialect.Dialect, f *ir.Field) string {
	target := s.Model(f.Relation.Model)
	return fmt.Sprintf("CONSTRAINT %s REFERENCES %s (%s) ON DELETE %s",
		dialect.Quote(d, f.ForeignKeyName), dialect.Quote(d, target.Table), dialect.Quote(d, target.PK().Column), onDeleteSQL(f))
}

// ModifyColumnDef returns f's column definition as ALTER TABLE … MODIFY
// COLUMN restates it (MySQL): ColumnDef without PRIMARY KEY, which the
// table keeps and may not be declared twice.
func ModifyColumnDef(s *ir.Schema, d dialect.Dialect, f *ir.Field) string {
	def := columnDef(s, d, f)
	if f.PrimaryKey {
		def = strings.TrimSuffix(def, " PRIMARY KEY") // the last words of a key's definition
	}
	return def + inlineComment(s, d, f)
}
