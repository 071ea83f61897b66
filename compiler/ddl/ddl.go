// Package ddl generates the SQL that creates and drops a schema's tables
// for one dialect. Quoting and type names come from runtime/dialect, which
// the query engine uses too.
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
// ALTER TABLE, except on SQLite, which accepts references to tables that
// do not exist yet.
func Create(s *ir.Schema, d dialect.Dialect) []string {
	order, deferred := createOrder(s, d)
	var stmts []string
	for _, m := range order {
		stmts = append(stmts, createTable(s, d, m, deferred))
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

// Drop returns the statements that drop every table of s, if it exists,
// dependent tables first.
func Drop(s *ir.Schema, d dialect.Dialect) []string {
	order, deferred := createOrder(s, d)
	var stmts []string
	for _, m := range order {
		for _, f := range m.Fields {
			if deferred[f] {
				stmts = append(stmts, dropForeignKey(d, m, f))
			}
		}
	}
	for _, m := range slices.Backward(order) {
		stmts = append(stmts, "DROP TABLE IF EXISTS "+dialect.Quote(d, m.Table))
	}
	return stmts
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
// exist because they close a cycle (never on SQLite).
func createOrder(s *ir.Schema, d dialect.Dialect) ([]*ir.Model, map[*ir.Field]bool) {
	deferred := map[*ir.Field]bool{}
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
				if d.Name() != "sqlite" {
					deferred[f] = true
				}
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
	return order, deferred
}

func createTable(s *ir.Schema, d dialect.Dialect, m *ir.Model, deferred map[*ir.Field]bool) string {
	var lines []string
	for _, f := range m.Fields {
		lines = append(lines, columnDef(s, d, f))
	}
	for _, f := range m.Fields {
		if f.Unique && !f.PrimaryKey {
			lines = append(lines, fmt.Sprintf("CONSTRAINT %s UNIQUE (%s)",
				dialect.Quote(d, ir.ConstraintName(m.Table, []string{f.Column}, "key")), dialect.Quote(d, f.Column)))
		}
	}
	for _, ix := range m.Indexes {
		if ix.Unique {
			lines = append(lines, fmt.Sprintf("CONSTRAINT %s UNIQUE (%s)",
				dialect.Quote(d, ix.Name), quoteList(d, columnsOf(m, ix.Fields))))
		}
	}
	for _, f := range m.Fields {
		if expr := checkExpr(s, d, f); expr != "" {
			lines = append(lines, fmt.Sprintf("CONSTRAINT %s CHECK (%s)",
				dialect.Quote(d, ir.ConstraintName(m.Table, []string{f.Column}, "check")), expr))
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
	return b.String()
}

func foreignKey(s *ir.Schema, d dialect.Dialect, m *ir.Model, f *ir.Field) string {
	target := s.Model(f.Relation.Model)
	act := map[ir.OnDelete]string{ir.Cascade: "CASCADE", ir.Restrict: "RESTRICT", ir.SetNull: "SET NULL"}[f.Relation.OnDelete]
	if act == "" {
		act = "RESTRICT"
	}
	return fmt.Sprintf("CONSTRAINT %s FOREIGN KEY (%s) REFERENCES %s (%s) ON DELETE %s",
		dialect.Quote(d, ir.ConstraintName(m.Table, []string{f.Column}, "fkey")),
		dialect.Quote(d, f.Column), dialect.Quote(d, target.Table), dialect.Quote(d, target.PK().Column), act)
}

func dropForeignKey(d dialect.Dialect, m *ir.Model, f *ir.Field) string {
	name := dialect.Quote(d, ir.ConstraintName(m.Table, []string{f.Column}, "fkey"))
	if d.Name() == "mysql" {
		return "ALTER TABLE " + dialect.Quote(d, m.Table) + " DROP FOREIGN KEY " + name
	}
	return "ALTER TABLE IF EXISTS " + dialect.Quote(d, m.Table) + " DROP CONSTRAINT IF EXISTS " + name
}

func createIndexes(d dialect.Dialect, m *ir.Model) []string {
	var stmts []string
	for _, f := range m.Fields {
		if f.Index && !f.Unique && !f.PrimaryKey {
			name := ir.ConstraintName(m.Table, []string{f.Column}, "idx")
			stmts = append(stmts, fmt.Sprintf("CREATE INDEX %s ON %s (%s)",
				dialect.Quote(d, name), dialect.Quote(d, m.Table), dialect.Quote(d, f.Column)))
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
