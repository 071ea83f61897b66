package ir

// ConstraintKind is the kind of a named table constraint.
type ConstraintKind string

const (
	PrimaryKeyConstraint ConstraintKind = "primary_key"
	UniqueConstraint     ConstraintKind = "unique"
	ForeignKeyConstraint ConstraintKind = "foreign_key"
	CheckConstraint      ConstraintKind = "check"
)

// Constraint is one named constraint of a model's table, as compiler/ddl
// creates it. The generated client carries them so that a violation names
// the same constraint and columns on every database, whatever each reports.
type Constraint struct {
	Name    string
	Kind    ConstraintKind
	Columns []string // SQL column names, in order
	// OnDelete is a foreign key's action; empty for other kinds.
	OnDelete OnDelete
}

// Constraints lists the named constraints of m's table: the primary key,
// each unique field, each unique(…) declaration, each relation's foreign
// key and each field's CHECK (Enum values and numeric bounds), in that
// order. NOT NULL belongs to a column and has no name. The names are
// those the checker stored.
func (s *Schema) Constraints(m *Model) []Constraint {
	out := []Constraint{{Name: m.PrimaryKeyName, Kind: PrimaryKeyConstraint, Columns: m.KeyColumns()}}
	for _, f := range m.Fields {
		if f.UniqueName != "" {
			out = append(out, Constraint{Name: f.UniqueName, Kind: UniqueConstraint, Columns: []string{f.Column}})
		}
	}
	for _, ix := range m.Indexes {
		if !ix.Unique {
			continue
		}
		c := Constraint{Name: ix.Name, Kind: UniqueConstraint}
		for _, name := range ix.Fields {
			if f := m.Field(name); f != nil {
				c.Columns = append(c.Columns, f.Column)
			}
		}
		out = append(out, c)
	}
	for _, f := range m.Fields {
		if f.ForeignKeyName != "" {
			act := f.Relation.OnDelete
			if act == "" {
				act = Restrict
			}
			out = append(out, Constraint{Name: f.ForeignKeyName, Kind: ForeignKeyConstraint, Columns: []string{f.Column}, OnDelete: act})
		}
	}
	for _, f := range m.Fields {
		if f.CheckName != "" {
			out = append(out, Constraint{Name: f.CheckName, Kind: CheckConstraint, Columns: []string{f.Column}})
		}
	}
	return out
}

// HasCheck reports whether the DDL gives f a CHECK constraint: for an
// Enum's values or a numeric bound.
func (f *Field) HasCheck() bool {
	return f.Type.Kind == Enum || f.Bounds.Minimum != "" || f.Bounds.Maximum != ""
}
