// Package ddl generates the SQL that creates and drops a schema's tables
// for one dialect. Quoting and type names come from runtime/dialect, which
// the query engine uses too; what only DDL writes per dialect is in
// postgres.go, mysql.go and sqlite.go (see rules).
package ddl

import (
	"fmt"
	"slices"
	"strings"

	"github.com/ormc/ormc/compiler/ir"
	"github.com/ormc/ormc/runtime/dialect"
)

// Create returns the statements that create every table, index and
// constraint of s, in an order that satisfies foreign keys: referenced
// tables first. Foreign keys that close a cycle are added afterwards with
// ALTER TABLE, where the dialect adds them (not SQLite, which accepts
// references to tables that do not exist yet).
func Create(s *ir.Schema, d dialect.Dialect) []string {
	order, deferred := createOrder(s, d)
	var stmts []string
	for _, m := range order {
		stmts = append(stmts, createTable(s, d, m, deferred))
	}
	for _, m := range order {
		stmts = append(stmts, columnComments(s, d, m)...)
	}
	for _, m := range order {
		stmts = append(stmts, createIndexes(d, m)...)
	}
	for _, m := range order {
		for _, f := range m.Fields {
			if deferred[f] {
				stmts = append(stmts, "ALTER TABLE "+dialect.Quote(d, m.Table)+" ADD "+foreignKey(s, d, m, f))
			}
		}
	}
	return stmts
}

// Drop returns the statements that drop every table of s that exists,
// dependent tables first, whether or not the tables hold rows that refer
// to each other in a cycle. The generated client runs them in one
// transaction, on a session that DropSession's statements prepare before
// it and restore after it; DropScript is all of them as one script.
//
// Foreign keys that close a cycle are dealt with per dialect (see
// rules.dropFirst and rules.dropSession): PostgreSQL drops them first (IF
// EXISTS); MySQL switches foreign key checks off for the session, and
// SQLite foreign keys.
func Drop(s *ir.Schema, d dialect.Dialect) []string {
	order, deferred := createOrder(s, d)
	stmts := rulesOf(d).dropFirst(order, deferred)
	for _, m := range slices.Backward(order) {
		stmts = append(stmts, "DROP TABLE IF EXISTS "+dialect.Quote(d, m.Table))
	}
	return stmts
}

// DropSession returns the statements that run on Drop's session before
// its transaction begins (session settings, which SQLite takes only
// outside a transaction) and after it ends, whether it committed or not,
// to restore them; nil where Drop needs no setting.
func DropSession(s *ir.Schema, d dialect.Dialect) (before, after []string) {
	_, deferred := createOrder(s, d)
	return rulesOf(d).dropSession(s, deferred)
}

// DropScript returns Drop's statements, between DropSession's, as one
// script for a database's command-line client.
func DropScript(s *ir.Schema, d dialect.Dialect) string {
	before, after := DropSession(s, d)
	return Script(slices.Concat(before, Drop(s, d), after))
}

// Script joins statements into one SQL script, one statement a paragraph.
func Script(stmts []string) string {
	var b strings.Builder
	for i, s := range stmts {
		if i > 0 {
			b.WriteString("\n")
		}
		b.WriteString(s)
		b.WriteString(";\n")
	}
	return b.String()
}

// createOrder sorts the models so that a referenced model comes before the
// models referring to it, keeping declaration order otherwise. It returns
// the relation fields whose constraint must be added after all tables
// exist because they close a cycle (none where the dialect does not add
// them).
func createOrder(s *ir.Schema, d dialect.Dialect) ([]*ir.Model, map[*ir.Field]bool) {
	order, closing := sortModels(s)
	if !rulesOf(d).addsCycleKeys() {
		return order, map[*ir.Field]bool{}
	}
	return order, closing
}

// hasCycle reports whether some relations of s form a cycle, a
// self-reference included.
func hasCycle(s *ir.Schema) bool {
	_, closing := sortModels(s)
	if len(closing) > 0 {
		return true
	}
	for _, m := range s.Models {
		for _, f := range m.Fields {
			if f.Relation != nil && f.Relation.Model == m.Name {
				return true
			}
		}
	}
	return false
}

// sortModels orders the models referenced ones first, keeping declaration
// order otherwise, and returns the relation fields that close a cycle
// between models (a self-reference closes none).
func sortModels(s *ir.Schema) ([]*ir.Model, map[*ir.Field]bool) {
	closing := map[*ir.Field]bool{}
	state := map[*ir.Model]int{} // 0 new, 1 visiting, 2 done
	var order []*ir.Model
	var visit func(m *ir.Model)
	visit = func(m *ir.Model) {
		state[m] = 1
		for _, f := range m.Fields {
			if f.Relation == nil {
				continue
			}
			target := s.Model(f.Relation.Model)
			switch {
			case target == nil || target == m:
				// A self-reference needs no ordering.
			case state[target] == 1:
				closing[f] = true
			case state[target] == 0:
				visit(target)
			}
		}
		state[m] = 2
		order = append(order, m)
	}
	for _, m := range s.Models {
		if state[m] == 0 {
			visit(m)
		}
	}
	return order, closing
}

func createTable(s *ir.Schema, d dialect.Dialect, m *ir.Model, deferred map[*ir.Field]bool) string {
	var lines []string
	for _, f := range m.Fields {
		lines = append(lines, columnDef(s, d, f)+inlineComment(s, d, f))
	}
	if m.Composite() {
		// Unnamed, as a single key declared in its column is:
		// PostgreSQL names it table_pkey (Model.PrimaryKeyName), MySQL
		// PRIMARY, and SQLite keeps no name.
		lines = append(lines, "PRIMARY KEY ("+quoteList(d, m.KeyColumns())+")")
	}
	for _, f := range m.Fields {
		if f.UniqueName != "" {
			lines = append(lines, fmt.Sprintf("CONSTRAINT %s UNIQUE (%s)",
				dialect.Quote(d, f.UniqueName), dialect.Quote(d, f.Column)))
		}
	}
	for _, ix := range m.Indexes {
		if ix.Unique {
			lines = append(lines, fmt.Sprintf("CONSTRAINT %s UNIQUE (%s)",
				dialect.Quote(d, ix.Name), quoteList(d, columnsOf(m, ix.Fields))))
		}
	}
	for _, f := range m.Fields {
		if f.CheckName != "" {
			lines = append(lines, fmt.Sprintf("CONSTRAINT %s CHECK (%s)",
				dialect.Quote(d, f.CheckName), checkExpr(s, d, f)))
		}
	}
	for _, f := range m.Fields {
		if f.Relation != nil && !deferred[f] {
			lines = append(lines, foreignKey(s, d, m, f))
		}
	}
	var b strings.Builder
	b.WriteString("CREATE TABLE ")
	b.WriteString(dialect.Quote(d, m.Table))
	b.WriteString(" (\n")
	for i, l := range lines {
		b.WriteString("  ")
		b.WriteString(l)
		if i < len(lines)-1 {
			b.WriteString(",")
		}
		b.WriteString("\n")
	}
	b.WriteString(")")
	b.WriteString(d.TableOptions())
	b.WriteString(tableComment(d, m))
	return b.String()
}

func foreignKey(s *ir.Schema, d dialect.Dialect, m *ir.Model, f *ir.Field) string {
	target := s.Model(f.Relation.Model)
	return fmt.Sprintf("CONSTRAINT %s FOREIGN KEY (%s) REFERENCES %s (%s) ON DELETE %s",
		dialect.Quote(d, f.ForeignKeyName),
		dialect.Quote(d, f.Column), dialect.Quote(d, target.Table), dialect.Quote(d, target.PK().Column), onDeleteSQL(f))
}

// onDeleteSQL is the ON DELETE action of relation field f: RESTRICT when
// the schema names none.
func onDeleteSQL(f *ir.Field) string {
	act := map[ir.OnDelete]string{ir.Cascade: "CASCADE", ir.Restrict: "RESTRICT", ir.SetNull: "SET NULL"}[f.Relation.OnDelete]
	if act == "" {
		act = "RESTRICT"
	}
	return act
}

func createIndexes(d dialect.Dialect, m *ir.Model) []string {
	var stmts []string
	for _, f := range m.Fields {
		if f.IndexName != "" {
			stmts = append(stmts, fmt.Sprintf("CREATE INDEX %s ON %s (%s)",
				dialect.Quote(d, f.IndexName), dialect.Quote(d, m.Table), dialect.Quote(d, f.Column)))
		}
	}
	for _, ix := range m.Indexes {
		if !ix.Unique {
			stmts = append(stmts, fmt.Sprintf("CREATE INDEX %s ON %s (%s)",
				dialect.Quote(d, ix.Name), dialect.Quote(d, m.Table), quoteList(d, columnsOf(m, ix.Fields))))
		}
	}
	return stmts
}

func columnsOf(m *ir.Model, fields []string) []string {
	cols := make([]string, len(fields))
	for i, name := range fields {
		cols[i] = name
		if f := m.Field(name); f != nil {
			cols[i] = f.Column
		}
	}
	return cols
}

func quoteList(d dialect.Dialect, names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = dialect.Quote(d, n)
	}
	return strings.Join(q, ", ")
}
