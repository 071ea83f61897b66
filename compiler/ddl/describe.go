package ddl

import (
	"encoding/json"
	"strings"

	"github.com/ormc/ormc/compiler/ir"
	"github.com/ormc/ormc/runtime/dialect"
	"github.com/ormc/ormc/runtime/inspect"
)

// Describe returns the description of the tables Create makes of s on
// d, as runtime/inspect would read them back from a database just made:
// this is the one mapping from the IR to what a database holds. Types,
// defaults and conditions are written as Create writes them, then
// normalised by inspect.Normalize with the rules the inspector applies
// to what it reads, so that a comparison of the two is exact about
// names and tolerant of a database's own spelling.
func Describe(s *ir.Schema, d dialect.Dialect) (*inspect.Schema, error) {
	out := &inspect.Schema{Dialect: d.Name()}
	r := rulesOf(d)
	for _, m := range s.Models {
		t := &inspect.Table{Name: m.Table, Model: m.Name, Collation: tableCollation(d)}
		for _, f := range m.Fields {
			t.Columns = append(t.Columns, describeColumn(s, d, m, f))
		}
		t.PrimaryKey = &inspect.PrimaryKey{Name: r.primaryKeyName(m), Columns: m.KeyColumns()}
		for _, f := range m.Fields {
			if f.UniqueName != "" {
				t.Uniques = append(t.Uniques, &inspect.Unique{Name: f.UniqueName, Columns: []string{f.Column}})
			}
			if f.IndexName != "" {
				t.Indexes = append(t.Indexes, &inspect.Index{Name: f.IndexName, Columns: []string{f.Column}})
			}
			if f.CheckName != "" {
				t.Checks = append(t.Checks, &inspect.Check{Name: f.CheckName, Expr: checkExpr(s, d, f)})
			}
			if ck, ok := keyRangeCheck(s, d, f); ok {
				t.Checks = append(t.Checks, ck)
			}
			if f.Relation != nil {
				target := s.Model(f.Relation.Model)
				t.ForeignKeys = append(t.ForeignKeys, &inspect.ForeignKey{
					Name: f.ForeignKeyName, Columns: []string{f.Column},
					RefTable: target.Table, RefColumns: []string{target.PK().Column},
					OnDelete: inspect.Action(onDeleteSQL(f)), OnUpdate: inspect.NoAction,
				})
			}
		}
		for _, ix := range m.Indexes {
			cols := columnsOf(m, ix.Fields)
			if ix.Unique {
				t.Uniques = append(t.Uniques, &inspect.Unique{Name: ix.Name, Columns: cols})
			} else {
				t.Indexes = append(t.Indexes, &inspect.Index{Name: ix.Name, Columns: cols})
			}
		}
		out.Tables = append(out.Tables, t)
	}
	if err := inspect.Normalize(out); err != nil {
		return nil, err
	}
	return out, nil
}

// DescribeJSON returns Describe's description as the JSON a generated
// client carries (inspect.Descriptions): one line per table, so that a
// change to a model shows in a diff as a change to its line.
func DescribeJSON(s *ir.Schema, d dialect.Dialect) (string, error) {
	desc, err := Describe(s, d)
	if err != nil {
		return "", err
	}
	// Describe sets no other field of the Schema.
	name, err := json.Marshal(desc.Dialect)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	b.WriteString(`{"dialect":`)
	b.Write(name)
	b.WriteString(`,"tables":[`)
	for i, t := range desc.Tables {
		line, err := json.Marshal(t)
		if err != nil {
			return "", err
		}
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString("\n")
		b.Write(line)
	}
	b.WriteString("\n]}")
	return b.String(), nil
}

func describeColumn(s *ir.Schema, d dialect.Dialect, m *ir.Model, f *ir.Field) *inspect.Column {
	ct := s.ColumnType(f)
	c := &inspect.Column{
		Name: f.Column, Field: f.Name,
		DBType:   d.ColumnType(DialectType(ct)),
		Nullable: f.Null && !f.PrimaryKey,
	}
	if f.PrimaryKey && f.AutoIncrement {
		c.AutoIncrement = true
		// A dialect whose keys come from a sequence names it.
		if _, ok := d.(dialect.KeyAdvancer); ok {
			c.Sequence = m.SequenceName
		}
		return c
	}
	if def := defaultSQL(d, f, ct); def != "" {
		c.Default = &inspect.Default{Raw: def}
	}
	return c
}

// keyRangeCheck returns the CHECK that the dialect's AutoIncrementPK
// writes on f to keep its keys in range (dialect.KeyRangeCheck), read
// from the definition itself.
func keyRangeCheck(s *ir.Schema, d dialect.Dialect, f *ir.Field) (*inspect.Check, bool) {
	if !f.PrimaryKey || !f.AutoIncrement {
		return nil, false
	}
	t := DialectType(s.ColumnType(f))
	t.AutoIncrement = true
	def := d.AutoIncrementPK(f.Column, t)
	name := "CONSTRAINT " + dialect.Quote(d, dialect.KeyRangeCheck) + " CHECK ("
	i := strings.Index(def, name)
	if i < 0 || !strings.HasSuffix(def, ")") {
		return nil, false
	}
	return &inspect.Check{Name: dialect.KeyRangeCheck, Expr: def[i+len(name) : len(def)-1]}, true
}

// tableCollation is the collation the dialect's TableOptions give every
// table (MySQL's), or "" where they name none: by compiler/ddl's name for
// it, where d is an engine's that calls it otherwise (TiDB's).
func tableCollation(d dialect.Dialect) string {
	_, after, ok := strings.Cut(d.TableOptions(), "COLLATE=")
	if !ok {
		return ""
	}
	c := strings.Fields(after)[0]
	if p, ok := d.(dialect.Profile); ok {
		c = p.CanonicalCollation(c)
	}
	return c
}
