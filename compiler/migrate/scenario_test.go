package migrate_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/ormc/ormc/compiler/migrate"
	"github.com/ormc/ormc/internal/testdb"
	rtmigrate "github.com/ormc/ormc/runtime/migrate"
	"github.com/ormc/ormc/schema"
)

const author = `
model Author "author" <
  id   Integer pk
  name String(40)
>
`

// post is the model most scenarios change: body is replaced by each
// scenario's fields.
func post(body string) string {
	return author + `
model Post "post" <
  id     Integer pk
  title  String(40)
  author ForeignKey(Author)
` + body + `
>
`
}

// scenario is one schema evolution, planned and applied on every
// database to tables holding rows.
type scenario struct {
	name          string
	before, after string
	// codes are the lint codes the plan gives (every dialect's), sorted.
	codes []schema.Code
	// blocked: the plan fails without allowing its codes; the test then
	// plans again with -allow-drop.
	blocked bool
	// refused: a pre-check finds rows, so nothing is applied.
	refused bool
	// unplannable: the plan fails even with -allow-drop.
	unplannable bool
	// keep lists columns whose data the migration keeps, "table.column"
	// before → after, compared in the order of the table's id, or of
	// "table.column/key" where the table has none.
	keep [][2]string
	// values are Enum values renamed: the columns of valueKeep,
	// "table.column" before → after, hold the same rows with these
	// values renamed.
	values    map[string]string
	valueKeep [][2]string
}

var scenarios = []scenario{
	{name: "add_field_null", before: post(""), after: post("note String(20) null"),
		keep: [][2]string{{"post.title", "post.title"}, {"post.author", "post.author"}}},
	{name: "add_field_default", before: post(""), after: post("score Integer default(7)"),
		keep: [][2]string{{"post.title", "post.title"}}},
	{name: "add_field_not_null_without_default", before: post(""), after: post("score Integer"),
		codes: codes("add-not-null", "table-rewrite"), blocked: true, refused: true},
	{name: "drop_field", before: post("note String(20) null"), after: post(""),
		codes: codes("drop-field"), blocked: true, keep: [][2]string{{"post.title", "post.title"}}},
	{name: "rename_field", before: post(""), after: author + `
model Post "post" <
  id       Integer pk
  headline String(40) renamed(from: "title")
  author   ForeignKey(Author)
>
`, codes: codes("rename"), keep: [][2]string{{"post.title", "post.headline"}, {"post.author", "post.author"}}},
	{name: "add_model", before: post(""), after: post("") + `
model Tag "tag" <
  id   Integer pk
  name String(20) unique
  post ForeignKey(Post, on_delete: cascade) null
>
`, keep: [][2]string{{"post.title", "post.title"}}},
	{name: "drop_model", before: post("") + `
model Tag "tag" <
  id   Integer pk
  post ForeignKey(Post)
>
`, after: post(""), codes: codes("drop-model"), blocked: true, keep: [][2]string{{"post.title", "post.title"}}},
	{name: "add_many_to_many", before: post(""), after: post("readers ManyToMany(Author)"),
		keep: [][2]string{{"post.title", "post.title"}}},
	// The join table is renamed with its relation, links and all.
	{name: "rename_many_to_many", before: post("readers ManyToMany(Author)"), after: post(`fans ManyToMany(Author) renamed(from: "readers")`),
		codes: codes("rename", "table-rewrite"), keep: [][2]string{{"post.title", "post.title"}, {"post_readers.author/post", "post_fans.author/post"}}},
	{name: "rename_model", before: post(""), after: author + `
model Article "article" <
  renamed(from: "Post")
  id     Integer pk
  title  String(40)
  author ForeignKey(Author)
>
`, codes: codes("rename", "table-rewrite"), keep: [][2]string{{"post.title", "article.title"}, {"post.author", "article.author"}}},
	{name: "widen_string", before: post(""), after: strings.Replace(post(""), "String(40)\n  author", "String(80)\n  author", 1),
		codes: codes("table-rewrite"), keep: [][2]string{{"post.title", "post.title"}}},
	{name: "narrow_string", before: post(""), after: strings.Replace(post(""), "String(40)\n  author", "String(10)\n  author", 1),
		codes: codes("narrow-type", "table-rewrite"), blocked: true, keep: [][2]string{{"post.title", "post.title"}}},
	{name: "narrow_string_refused", before: post(""), after: strings.Replace(post(""), "String(40)\n  author", "String(3)\n  author", 1),
		codes: codes("narrow-type", "table-rewrite"), blocked: true, refused: true},
	{name: "integer_to_biginteger", before: post("count Integer"), after: post("count BigInteger"),
		codes: codes("table-rewrite"), keep: [][2]string{{"post.title", "post.title"}, {"post.count", "post.count"}}},
	{name: "biginteger_to_integer", before: post("count BigInteger"), after: post("count Integer"),
		codes: codes("narrow-type", "table-rewrite"), blocked: true, keep: [][2]string{{"post.count", "post.count"}}},
	{name: "decimal_wider", before: post("price Decimal(6, 1)"), after: post("price Decimal(10, 3)"),
		codes: codes("table-rewrite"), keep: [][2]string{{"post.title", "post.title"}}},
	{name: "decimal_narrower", before: post("price Decimal(10, 3)"), after: post("price Decimal(5, 1)"),
		codes: codes("narrow-type", "table-rewrite"), blocked: true, keep: [][2]string{{"post.title", "post.title"}}},
	{name: "not_null_with_default", before: post("note String(20) null"), after: post(`note String(20) default("none")`),
		codes: codes("table-rewrite"), keep: [][2]string{{"post.title", "post.title"}}},
	{name: "not_null_without_default", before: post("note String(20) null"), after: post("note String(20)"),
		codes: codes("add-not-null", "table-rewrite"), blocked: true, refused: true},
	{name: "null_allowed", before: post("note String(20)"), after: post("note String(20) null"),
		codes: codes("table-rewrite"), keep: [][2]string{{"post.note", "post.note"}}},
	{name: "add_default", before: post("score Integer"), after: post("score Integer default(3)"),
		codes: codes("table-rewrite"), keep: [][2]string{{"post.score", "post.score"}}},
	{name: "drop_default", before: post("score Integer default(3)"), after: post("score Integer"),
		codes: codes("table-rewrite"), keep: [][2]string{{"post.score", "post.score"}}},
	{name: "add_index", before: post("score Integer"), after: post("score Integer index"),
		keep: [][2]string{{"post.score", "post.score"}}},
	{name: "drop_index", before: post("score Integer index"), after: post("score Integer"),
		keep: [][2]string{{"post.score", "post.score"}}},
	{name: "drop_index_of_foreign_key", before: strings.Replace(post(""), "ForeignKey(Author)", "ForeignKey(Author) index", 1), after: post(""),
		keep: [][2]string{{"post.author", "post.author"}}},
	{name: "add_index_to_foreign_key", before: post(""), after: strings.Replace(post(""), "ForeignKey(Author)", "ForeignKey(Author) index", 1),
		keep: [][2]string{{"post.author", "post.author"}}},
	{name: "add_unique", before: post(""), after: strings.Replace(post(""), "String(40)\n  author", "String(40) unique\n  author", 1),
		codes: codes("add-unique", "table-rewrite"), blocked: true, keep: [][2]string{{"post.title", "post.title"}}},
	{name: "add_unique_refused", before: post("score Integer"), after: post("score Integer unique"),
		codes: codes("add-unique", "table-rewrite"), blocked: true, refused: true},
	{name: "drop_unique", before: post("code String(20) unique"), after: post("code String(20)"),
		codes: codes("table-rewrite"), keep: [][2]string{{"post.code", "post.code"}}},
	{name: "add_composite_index", before: post("score Integer"), after: post("score Integer\n  index(author, score)"),
		keep: [][2]string{{"post.score", "post.score"}}},
	{name: "add_composite_unique", before: post("score Integer"), after: post("score Integer\n  unique(title, score)"),
		codes: codes("add-unique", "table-rewrite"), blocked: true, keep: [][2]string{{"post.score", "post.score"}}},
	{name: "drop_composite_unique", before: post("score Integer\n  unique(title, score)"), after: post("score Integer"),
		codes: codes("table-rewrite"), keep: [][2]string{{"post.score", "post.score"}}},
	{name: "add_foreign_key_field", before: post(""), after: post("editor ForeignKey(Author, on_delete: set_null) null"),
		codes: codes("table-rewrite"), keep: [][2]string{{"post.title", "post.title"}}},
	{name: "drop_foreign_key_field", before: post("editor ForeignKey(Author) null"), after: post(""),
		codes: codes("drop-field", "table-rewrite"), blocked: true, keep: [][2]string{{"post.author", "post.author"}}},
	{name: "change_on_delete", before: post(""), after: strings.Replace(post(""), "ForeignKey(Author)", "ForeignKey(Author, on_delete: cascade)", 1),
		codes: codes("table-rewrite"), keep: [][2]string{{"post.author", "post.author"}}},
	{name: "enum_value_added", before: post("kind Enum(a, b, c)"), after: post("kind Enum(a, b, c, d)"),
		codes: codes("table-rewrite"), keep: [][2]string{{"post.kind", "post.kind"}}},
	{name: "enum_value_removed", before: post("kind Enum(a, b, c)"), after: post("kind Enum(a, b)"),
		codes: codes("table-rewrite", "tighten-check"), blocked: true, refused: true},
	{name: "enum_value_renamed", before: post("kind Enum(a, b, c)"), after: post(`kind Enum(a, b, cee) renamed_value(from: "c", to: "cee")`),
		codes: codes("rename", "table-rewrite"), values: map[string]string{"c": "cee"}, valueKeep: [][2]string{{"post.kind", "post.kind"}}},
	{name: "enum_value_renamed_shorter", before: post(`kind Enum(a, b, "a longer value")`), after: post(`kind Enum(a, b, c) renamed_value(from: "a longer value", to: "c")`),
		codes: codes("rename", "table-rewrite"), values: map[string]string{"a longer value": "c"}, valueKeep: [][2]string{{"post.kind", "post.kind"}}},
	{name: "enum_values_and_field_renamed", before: post("kind Enum(a, b, c) null"),
		after: post(`status Enum(a2, b, c2) null renamed(from: "kind") renamed_value(from: "a", to: "a2") renamed_value(from: "c", to: "c2")`),
		codes: codes("rename", "table-rewrite"), values: map[string]string{"a": "a2", "c": "c2"}, valueKeep: [][2]string{{"post.kind", "post.status"}}},
	{name: "enum_value_renamed_and_one_removed", before: post("kind Enum(a, b, c)"), after: post(`kind Enum(a, cee) renamed_value(from: "c", to: "cee")`),
		codes: codes("rename", "table-rewrite", "tighten-check"), blocked: true, refused: true},
	{name: "bounds_tightened", before: post("rank Integer(maximum: 5000)"), after: post("rank Integer(minimum: 0, maximum: 1000)"),
		codes: codes("table-rewrite", "tighten-check"), blocked: true, keep: [][2]string{{"post.rank", "post.rank"}}},
	{name: "bounds_tightened_refused", before: post("rank Integer"), after: post("rank Integer(maximum: 10)"),
		codes: codes("table-rewrite", "tighten-check"), blocked: true, refused: true},
	{name: "rebuild_parent_cascade", before: strings.Replace(post(""), "ForeignKey(Author)", "ForeignKey(Author, on_delete: cascade)", 1),
		after: strings.Replace(strings.Replace(post(""), "ForeignKey(Author)", "ForeignKey(Author, on_delete: cascade)", 1), "name String(40)", "name String(80) default(\"anon\")", 1),
		codes: codes("table-rewrite"), keep: [][2]string{{"post.title", "post.title"}, {"post.author", "post.author"}, {"author.name", "author.name"}}},
	{name: "rebuild_parent_set_null", before: post("editor ForeignKey(Author, on_delete: set_null) null"),
		after: strings.Replace(post("editor ForeignKey(Author, on_delete: set_null) null"), "name String(40)", "name String(40) unique", 1),
		codes: codes("add-unique", "table-rewrite"), blocked: true, keep: [][2]string{{"post.editor", "post.editor"}, {"post.author", "post.author"}}},
	{name: "rename_referenced_model", before: post(""), after: `
model Writer "writer" <
  renamed(from: "Author")
  id   Integer pk
  name String(40)
>

model Post "post" <
  id     Integer pk
  title  String(40)
  author ForeignKey(Writer)
>
`, codes: codes("rename"), keep: [][2]string{{"author.name", "writer.name"}, {"post.author", "post.author"}}},
	{name: "drop_indexed_field", before: post("score Integer index"), after: post(""),
		codes: codes("drop-field"), blocked: true, keep: [][2]string{{"post.title", "post.title"}}},
	{name: "drop_unique_field", before: post("code String(20) unique"), after: post(""),
		codes: codes("drop-field", "table-rewrite"), blocked: true, keep: [][2]string{{"post.title", "post.title"}}},
	{name: "rename_foreign_key_field", before: post(""), after: author + `
model Post "post" <
  id     Integer pk
  title  String(40)
  writer ForeignKey(Author, related_name: posts) renamed(from: "author")
>
`, codes: codes("rename", "table-rewrite"), keep: [][2]string{{"post.author", "post.writer"}, {"post.title", "post.title"}}},
	{name: "retarget_foreign_key", before: post("") + `
model Tag "tag" <
  id   Integer pk
  name String(20)
>
`, after: strings.Replace(post(""), "ForeignKey(Author)", "ForeignKey(Tag)", 1) + `
model Tag "tag" <
  id   Integer pk
  name String(20)
>
`, codes: codes("add-foreign-key", "table-rewrite"), blocked: true, keep: [][2]string{{"post.author", "post.author"}}},
	{name: "add_auto_now_field", before: post(""), after: post("changed DateTime auto_now"),
		codes: codes("table-rewrite"), keep: [][2]string{{"post.title", "post.title"}}},
	{name: "add_uuid_field", before: post(""), after: post("uid UUID default(uuid)"),
		codes: codes("table-rewrite"), keep: [][2]string{{"post.title", "post.title"}}},
	{name: "rename_model_with_composite_index", before: post("score Integer\n  index(title, score)"), after: author + `
model Article "article" <
  renamed(from: "Post")
  id     Integer pk
  title  String(40)
  author ForeignKey(Author)
  score  Integer
  index(title, score)
>
`, codes: codes("rename", "table-rewrite"), keep: [][2]string{{"post.score", "article.score"}}},
	{name: "widen_referenced_key", before: post(""), after: strings.Replace(post(""), "id   Integer pk\n  name", "id   BigInteger pk\n  name", 1),
		codes: codes("table-rewrite"), keep: [][2]string{{"post.author", "post.author"}, {"author.name", "author.name"}}},
	{name: "string_to_integer", before: post("code String(10)"), after: post("code Integer"),
		codes: codes("narrow-type", "table-rewrite"), blocked: true, unplannable: true},
	{name: "enum_longer_value", before: post("kind Enum(a, b)"), after: post(`kind Enum(a, b, "a longer value")`),
		codes: codes("table-rewrite"), keep: [][2]string{{"post.kind", "post.kind"}}},
	{name: "drop_two_models", before: post("") + `
model Tag "tag" <
  id   Integer pk
  post ForeignKey(Post, on_delete: cascade)
>
`, after: author, codes: codes("drop-model"), blocked: true, keep: [][2]string{{"author.name", "author.name"}}},
	{name: "add_models_in_a_cycle", before: post(""), after: post("") + `
model Person "person" <
  id      Integer pk
  company ForeignKey(Company) null
>

model Company "company" <
  id    Integer pk
  owner ForeignKey(Person) null
>
`, keep: [][2]string{{"post.title", "post.title"}}},
	{name: "drop_models_in_a_cycle", before: post("") + `
model Person "person" <
  id      Integer pk
  company ForeignKey(Company) null
>

model Company "company" <
  id    Integer pk
  owner ForeignKey(Person) null
>
`, after: post(""), codes: codes("drop-model"), blocked: true, keep: [][2]string{{"post.title", "post.title"}}},
	{name: "model_split", before: post("body Text null"), after: post("") + `
model PostBody "post_body" <
  id   Integer pk
  post OneToOne(Post, on_delete: cascade)
  body Text null
>
`, codes: codes("drop-field"), blocked: true, keep: [][2]string{{"post.title", "post.title"}, {"author.name", "author.name"}}},
	{name: "add_model_composite_key", before: post(""), after: post("") + `
model PostTag "post_tag" <
  post  ForeignKey(Post, on_delete: cascade)
  tag   String(20)
  since Date null
  pk(post, tag)
  index(tag)
>
`, keep: [][2]string{{"post.title", "post.title"}}},
	{name: "composite_key_field_renamed", before: post("") + `
model PostTag "post_tag" <
  post ForeignKey(Post, on_delete: cascade)
  tag  String(20)
  pk(post, tag)
>
`, after: post("") + `
model PostTag "post_tag" <
  post  ForeignKey(Post, on_delete: cascade)
  label String(30) renamed(from: "tag")
  note  String(20) null
  pk(post, label)
>
`, codes: codes("rename", "table-rewrite"), keep: [][2]string{{"post.title", "post.title"}}},
	{name: "change_key_to_composite", before: post(""), after: author + `
model Post "post" <
  id     Integer
  title  String(40)
  author ForeignKey(Author)
  pk(id, title)
>
`, codes: codes("change-key", "table-rewrite"), blocked: true, unplannable: true},
}

func codes(cs ...string) []schema.Code {
	out := make([]schema.Code, len(cs))
	for i, c := range cs {
		out[i] = schema.Code(c)
	}
	return out
}

// planCodes returns the distinct codes of p's diagnostics, sorted.
func planCodes(p *migrate.Plan) []schema.Code {
	var out []schema.Code
	for _, d := range p.Diagnostics {
		if !slices.Contains(out, d.Code) {
			out = append(out, d.Code)
		}
	}
	slices.Sort(out)
	return out
}

// TestScenarios plans each evolution, checks its lint verdicts, and on
// every database applies it to tables holding rows (on SQLite, tables
// rebuilt under child rows whose keys CASCADE or SET NULL keep them) (10,000 of them, 300
// under -short): the database then shows no drift from what Create makes
// of the new schema, and kept and renamed columns hold the same data.
// keptColumn splits a scenario's "table.column" or "table.column/key".
func keptColumn(s string) (table, col, key string) {
	table, col, _ = strings.Cut(s, ".")
	col, key, found := strings.Cut(col, "/")
	if !found {
		key = "id"
	}
	return table, col, key
}

func TestScenarios(t *testing.T) {
	rows := 10000
	if testing.Short() {
		rows = 300
	}
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			t.Parallel()
			before, after := compile(t, sc.before), compile(t, sc.after)
			p := migrate.New(before, after, migrate.Options{})
			if got := planCodes(p); !slices.Equal(got, sc.codes) {
				t.Errorf("codes %v, want %v\n%v", got, sc.codes, p.Diagnostics)
			}
			if p.Diagnostics.HasErrors() != sc.blocked {
				t.Fatalf("blocked = %v, want %v: %v", p.Diagnostics.HasErrors(), sc.blocked, p.Diagnostics)
			}
			if sc.blocked {
				p = migrate.New(before, after, migrate.Options{AllowDrop: true})
				if p.Diagnostics.HasErrors() != sc.unplannable {
					t.Fatalf("-allow-drop: %v", p.Diagnostics)
				}
				if sc.unplannable {
					return
				}
			}
			opts := migrate.Options{AllowDrop: sc.blocked}
			first, whole := directory(t, before, nil, opts), directory(t, before, after, opts)
			testdb.Each(t, func(t *testing.T, url string) {
				ctx := context.Background()
				db := open(t, url)
				d := db.Dialect()
				if err := apply(ctx, db, first); err != nil {
					t.Fatalf("apply 0001_init: %v", err)
				}
				noDrift(ctx, t, db, before)
				fill(ctx, t, db, before, rows)
				sums := map[string]string{}
				for _, k := range sc.keep {
					tb, col, key := keptColumn(k[0])
					sums[k[0]] = checksum(ctx, t, db, tb, key, col)
				}
				for _, k := range sc.valueKeep {
					tb, col, _ := strings.Cut(k[0], ".")
					sums[k[0]] = checksumRenamed(ctx, t, db, tb, "id", col, sc.values)
				}
				err := apply(ctx, db, whole)
				if sc.refused {
					if !errors.Is(err, rtmigrate.ErrPrecheck) {
						t.Fatalf("apply: %v, want a refusal by a pre-check", err)
					}
					return
				}
				if err != nil {
					t.Fatalf("apply: %v\n%s", err, whole["0002_change."+d.Name()+".sql"].Data)
				}
				noDrift(ctx, t, db, after)
				for _, k := range slices.Concat(sc.keep, sc.valueKeep) {
					tb, col, key := keptColumn(k[1])
					if got := checksum(ctx, t, db, tb, key, col); got != sums[k[0]] {
						t.Errorf("%s → %s: data %s, was %s", k[0], k[1], got, sums[k[0]])
					}
				}
			})
		})
	}
}
