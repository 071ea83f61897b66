// Package schema is the ent schema of the benchmarks: the same tables as
// ../../schema.orm, so ent reads and writes what ormc created.
package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/dialect/entsql"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
)

// Parent holds the schema definition for the Parent entity.
type Parent struct{ ent.Schema }

// Annotations maps Parent to table "bench_parent".
func (Parent) Annotations() []schema.Annotation {
	return []schema.Annotation{entsql.Annotation{Table: "bench_parent"}}
}

// Fields of the Parent.
func (Parent) Fields() []ent.Field {
	return []ent.Field{
		field.String("name").MaxLen(100),
	}
}

// Edges of the Parent. The tags are linked through ormc's join table,
// bench_parent_tags (parent, tag), where ent would name its own
// parent_tags (parent_id, tag_id).
func (Parent) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("items", Item.Type),
		edge.To("tags", Tag.Type).
			StorageKey(edge.Table("bench_parent_tags"), edge.Columns("parent", "tag")),
	}
}
