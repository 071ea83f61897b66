package pull

import (
	"strings"
	"testing"

	"github.com/ormc/ormc/runtime/inspect"
	"github.com/ormc/ormc/schema"
)

// TestWriteNames checks that names ormc's conventions give are left out
// and others kept with name:, that a field's own unique with another
// name becomes a declaration, and that what the language cannot name is
// a warning at its comment.
func TestWriteNames(t *testing.T) {
	integer := inspect.Type{Base: inspect.BaseInteger}
	varchar := inspect.Type{Base: inspect.BaseVarchar, Length: 50}
	// Tables by name, as Inspect sorts them.
	s := &inspect.Schema{Dialect: "postgres", Tables: []*inspect.Table{
		{Name: "album", PrimaryKey: &inspect.PrimaryKey{Name: "album_pk", Columns: []string{"id"}},
			Columns: []*inspect.Column{
				{Name: "id", DBType: "integer", Type: integer},
				{Name: "artist_id", DBType: "integer", Type: integer},
				{Name: "a", DBType: "integer", Type: integer},
				{Name: "b", DBType: "integer", Type: integer},
			},
			ForeignKeys: []*inspect.ForeignKey{
				{Name: "album_artist_id_fkey", Columns: []string{"artist_id"}, RefTable: "artist", RefColumns: []string{"id"}, OnDelete: inspect.Cascade, OnUpdate: inspect.NoAction},
				{Name: "album_ab_fkey", Columns: []string{"a", "b"}, RefTable: "artist", RefColumns: []string{"id", "rank"}, OnDelete: inspect.Restrict},
			},
		},
		{Name: "artist", PrimaryKey: &inspect.PrimaryKey{Name: "artist_pkey", Columns: []string{"id"}},
			Columns: []*inspect.Column{
				{Name: "id", DBType: "integer", Type: integer, AutoIncrement: true},
				{Name: "name", DBType: "varchar(50)", Type: varchar},
				{Name: "code", DBType: "varchar(50)", Type: varchar, Comment: "The code.\normc: code Email(50) blank"},
				{Name: "rank", DBType: "integer", Type: integer, Nullable: true},
			},
			Uniques: []*inspect.Unique{{Name: "artist_name_key", Columns: []string{"name"}}, {Name: "uq_code", Columns: []string{"code"}}},
			Indexes: []*inspect.Index{{Name: "artist_name_rank_idx", Columns: []string{"name", "rank"}}, {Name: "by_rank", Columns: []string{"rank", "name"}}},
			Checks:  []*inspect.Check{{Name: "rank_ok", Expr: "((rank >= 0) AND (rank <= 9))"}},
		},
	}}
	res, err := Write(s, Options{File: "x.orm"})
	if err != nil {
		t.Fatalf("%v\n%s", err, res.Source)
	}
	want := `// composite-foreign-key: foreign key "album_ab_fkey" over (a, b) is left out: a relation is one column
// constraint-name: the primary key of "album" is named "album_pk"; ormc names it "album_pkey"
model Album <
  // key-not-generated: key "id" is not assigned by the database, but ormc has the database assign an Integer key; create rows with explicit keys
  id     Integer pk
  artist ForeignKey(Artist, on_delete: cascade) column("artist_id")
  a      Integer
  b      Integer
>

model Artist <
  id   Integer pk
  name String(50) unique
  /// The code.
  code Email(50) blank
  // constraint-name: CHECK "rank_ok" of "rank": ormc names it "artist_rank_check"
  rank Integer(minimum: 0, maximum: 9) null

  index(name, rank)
  index(rank, name, name: "by_rank")
  unique(code, name: "uq_code")
>
`
	if got := string(res.Source); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	var codes []string
	for _, w := range res.Warnings {
		if w.Severity != schema.Warning || !strings.HasPrefix(w.Pos.String(), "x.orm:") {
			t.Errorf("warning %v is not a positioned warning", w)
		}
		codes = append(codes, string(w.Code))
	}
	if got := strings.Join(codes, " "); got != "composite-foreign-key constraint-name key-not-generated constraint-name" {
		t.Errorf("warnings %s", got)
	}
}
