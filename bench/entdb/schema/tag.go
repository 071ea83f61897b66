package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/dialect/entsql"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
)

// Tag holds the schema definition for the Tag entity.
type Tag struct{ ent.Schema }

// Annotations maps Tag to table "bench_tag".
func (Tag) Annotations() []schema.Annotation {
	return []schema.Annotation{entsql.Annotation{Table: "bench_tag"}}
}

// Fields of the Tag.
func (Tag) Fields() []ent.Field {
	return []ent.Field{
		field.String("name").MaxLen(50).Unique(),
	}
}

// Edges of the Tag: the inverse of Parent's "tags", which makes the two a
// many-to-many relation (without it ent reads "tags" as one-to-many).
func (Tag) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("parents", Parent.Type).Ref("tags"),
	}
}
