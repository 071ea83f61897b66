package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/dialect/entsql"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
)

// Item holds the schema definition for the Item entity.
type Item struct{ ent.Schema }

// Annotations maps Item to table "bench_item".
func (Item) Annotations() []schema.Annotation {
	return []schema.Annotation{entsql.Annotation{Table: "bench_item"}}
}

// Fields of the Item.
func (Item) Fields() []ent.Field {
	return []ent.Field{
		field.Int("parent_id").StorageKey("parent"),
		field.String("name").MaxLen(100),
		field.Text("body"),
		field.Int64("quantity"),
		field.Int64("big"),
		field.Float("price"),
		field.Bool("active"),
		field.Time("created_at"),
		field.String("note").MaxLen(100).Optional().Nillable(),
	}
}

// Edges of the Item.
func (Item) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("parent", Parent.Type).Ref("items").Field("parent_id").Unique().Required(),
	}
}
