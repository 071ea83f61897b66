package ddl_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"

	"github.com/ormc/ormc/compiler/ddl"
	"github.com/ormc/ormc/compiler/ir"
	"github.com/ormc/ormc/internal/testdb"
	"github.com/ormc/ormc/runtime"
	"github.com/ormc/ormc/runtime/dialect"
	"github.com/ormc/ormc/runtime/driver/mysql"
	"github.com/ormc/ormc/runtime/driver/postgres"
	"github.com/ormc/ormc/runtime/driver/sqlite"
	"github.com/ormc/ormc/runtime/inspect"
)

// repositorySchemas returns every schema of the repository that checks
// cleanly, by name: the examples, the benchmark's, the checker's valid
// test schemas (files and directories), the in.orm of each IR golden,
// and this package's cycle and edge-name schemas.
func repositorySchemas(t *testing.T) map[string]*ir.Schema {
	t.Helper()
	out := map[string]*ir.Schema{
		"cyclic": checkSource(t, "cyclic.orm", cyclic),
		"edge":   checkSource(t, "edge.orm", edgeNames),
	}
	paths, _ := filepath.Glob("../../examples/*.orm")
	paths = append(paths, "../../bench/schema.orm")
	more, _ := filepath.Glob("../testdata/check/*.orm")
	paths = append(paths, more...)
	for _, p := range paths {
		src, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if s := checkSource(nil, p, string(src)); s != nil {
			out[p] = s
		}
	}
	dirs, _ := filepath.Glob("../testdata/check/*")
	for _, dir := range dirs {
		files, _ := filepath.Glob(filepath.Join(dir, "*.orm"))
		if len(files) == 0 {
			continue
		}
		var srcs []string
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			srcs = append(srcs, string(b))
		}
		if s := checkSources(srcs...); s != nil {
			out[dir] = s
		}
	}
	goldens, _ := filepath.Glob("../testdata/ir/*.txtar")
	for _, p := range goldens {
		ar, err := txtar.ParseFile(p)
		if err != nil {
			t.Fatal(err)
		}
		var srcs []string
		for _, f := range ar.Files {
			if strings.HasSuffix(f.Name, ".orm") {
				srcs = append(srcs, string(f.Data))
			}
		}
		if s := checkSources(srcs...); s != nil {
			out[p] = s
		}
	}
	for _, must := range []string{"../../examples/types.orm", "../testdata/check/valid_all.orm", "../testdata/check/cycle",
		"../testdata/ir/alltypes.txtar", "../testdata/ir/cycle.txtar"} {
		if out[must] == nil {
			t.Fatalf("%s does not check cleanly", must)
		}
	}
	return out
}

// checkSources checks the files of one schema together, or returns nil.
func checkSources(srcs ...string) *ir.Schema {
	joined := strings.Join(srcs, "\n")
	return checkSource(nil, "joined.orm", joined)
}

func openAny(t *testing.T, url string) *runtime.DB {
	t.Helper()
	db, err := runtime.Open(context.Background(), url, postgres.Driver, mysql.Driver, sqlite.Driver)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// inspectSchema reads s's tables from db.
func inspectSchema(t *testing.T, db *runtime.DB, s *ir.Schema) *inspect.Schema {
	t.Helper()
	var names []string
	for _, m := range s.Models {
		names = append(names, m.Table)
	}
	got, err := inspect.Inspect(context.Background(), db, inspect.Options{Tables: names})
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// TestDescribeMatchesCreate: a database made by Create from each schema
// of the repository reads back as Describe describes it, with no
// difference, on every database.
func TestDescribeMatchesCreate(t *testing.T) {
	schemas := repositorySchemas(t)
	names := make([]string, 0, len(schemas))
	for name := range schemas {
		names = append(names, name)
	}
	slices.Sort(names)
	t.Logf("%d schemas: %s", len(names), strings.Join(names, ", "))
	// A database of its own per schema, each in a subtest of its own,
	// which frees it (behind Vitess, a keyspace of a pool of 8): dropping
	// leaves what Drop leaves, and Drop is not what is tested here.
	for _, d := range testdb.Dialects {
		t.Run(d.Name, func(t *testing.T) {
			ctx := context.Background()
			for _, name := range names {
				t.Run(strings.ReplaceAll(name, "/", "_"), func(t *testing.T) { describeMatches(t, ctx, d, name, schemas[name]) })
			}
		})
	}
}

// describeMatches creates schema s on a fresh database of d and compares
// it with its description, read back and checked.
func describeMatches(t *testing.T, ctx context.Context, d testdb.Dialect, name string, s *ir.Schema) {
	db := openAny(t, testdb.Fresh(t, d))
	defer db.Close()
	if err := runtime.ExecAll(ctx, db, ddl.Create(s, db.Dialect())); err != nil {
		t.Fatalf("%s: create: %v", name, err)
	}
	want, err := ddl.Describe(s, db.Dialect())
	if err != nil {
		t.Fatal(err)
	}
	got := inspectSchema(t, db, s)
	for _, diff := range inspect.Compare(inspect.OnEngine(want, db.Dialect()), got) {
		t.Errorf("%s: %s (%+v)", name, diff, diff)
	}
	if len(got.Unsupported) > 0 {
		t.Errorf("%s: findings in a schema ormc made: %+v", name, got.Unsupported)
	}
	if err := inspect.CheckAgainst(ctx, db, want); err != nil {
		t.Errorf("%s: CheckAgainst: %v", name, err)
	}
}

// driftSchema is the schema the planted differences are made against.
const driftSchema = `
model Author < id Integer pk; name String(100) unique >
model Book <
  id       Integer pk
  title    String(100)
  subtitle String(100) null
  isbn     String(13) index
  status   Enum(draft, published) default(draft)
  author   ForeignKey(Author, on_delete: cascade)
  pages    Integer(minimum: 1) null
  index(title, isbn)
>
`

// plants are changes made to a copy of the schema before its tables are
// created: the database then differs from the schema in exactly the
// differences listed, on every database.
var plants = []struct {
	name  string
	plant func(s *ir.Schema)
	want  []runtime.SchemaDifference // Kind, Model, Field and Name are compared
	text  string                     // the first difference's message
}{{
	name:  "missing column",
	plant: func(s *ir.Schema) { removeField(s.Model("Book"), "subtitle") },
	want:  []runtime.SchemaDifference{{Kind: runtime.DriftColumnMissing, Model: "Book", Field: "subtitle"}},
	text:  "Book.subtitle: column missing (VARCHAR(100))",
}, {
	name:  "changed type",
	plant: func(s *ir.Schema) { s.Model("Book").Field("subtitle").Type = ir.Type{Kind: ir.Text} },
	want:  []runtime.SchemaDifference{{Kind: runtime.DriftColumnType, Model: "Book", Field: "subtitle"}},
}, {
	name:  "changed length",
	plant: func(s *ir.Schema) { s.Model("Book").Field("title").Type.MaxLength = 120 },
	want:  []runtime.SchemaDifference{{Kind: runtime.DriftColumnType, Model: "Book", Field: "title"}},
}, {
	name: "missing index",
	plant: func(s *ir.Schema) {
		f := s.Model("Book").Field("isbn")
		f.Index, f.IndexName = false, ""
	},
	want: []runtime.SchemaDifference{{Kind: runtime.DriftIndexMissing, Model: "Book", Name: "book_isbn_idx"}},
	text: "Book: index book_isbn_idx missing ((isbn))",
}, {
	name:  "missing composite index",
	plant: func(s *ir.Schema) { s.Model("Book").Indexes = nil },
	want:  []runtime.SchemaDifference{{Kind: runtime.DriftIndexMissing, Model: "Book", Name: "book_title_isbn_idx"}},
}, {
	name:  "extra NOT NULL",
	plant: func(s *ir.Schema) { s.Model("Book").Field("subtitle").Null = false },
	want:  []runtime.SchemaDifference{{Kind: runtime.DriftColumnNull, Model: "Book", Field: "subtitle"}},
	text:  "Book.subtitle: NULL in the schema, NOT NULL in the database",
}, {
	name: "dropped foreign key",
	plant: func(s *ir.Schema) {
		f := s.Model("Book").Field("author")
		f.Type = s.ColumnType(f)
		f.Type.Kind = ir.Integer
		f.Relation, f.ForeignKeyName = nil, ""
	},
	want: []runtime.SchemaDifference{{Kind: runtime.DriftForeignKeyMissing, Model: "Book", Name: "book_author_fkey"}},
}, {
	name:  "changed on_delete",
	plant: func(s *ir.Schema) { s.Model("Book").Field("author").Relation.OnDelete = ir.Restrict },
	want:  []runtime.SchemaDifference{{Kind: runtime.DriftForeignKeyChanged, Model: "Book", Name: "book_author_fkey"}},
}, {
	name:  "changed enum values",
	plant: func(s *ir.Schema) { s.Model("Book").Field("status").Type.Values = []string{"draft", "printed"} },
	want: []runtime.SchemaDifference{
		{Kind: runtime.DriftColumnType, Model: "Book", Field: "status"}, // VARCHAR(9) then VARCHAR(7)
		{Kind: runtime.DriftCheckChanged, Model: "Book", Name: "book_status_check"},
	},
}, {
	name:  "changed bound",
	plant: func(s *ir.Schema) { s.Model("Book").Field("pages").Bounds.Minimum = "0" },
	want:  []runtime.SchemaDifference{{Kind: runtime.DriftCheckChanged, Model: "Book", Name: "book_pages_check"}},
}, {
	name:  "changed default",
	plant: func(s *ir.Schema) { s.Model("Book").Field("status").Default.Value = "published" },
	want:  []runtime.SchemaDifference{{Kind: runtime.DriftColumnDefault, Model: "Book", Field: "status"}},
}, {
	name: "missing unique",
	plant: func(s *ir.Schema) {
		f := s.Model("Author").Field("name")
		f.Unique, f.UniqueName = false, ""
	},
	want: []runtime.SchemaDifference{{Kind: runtime.DriftUniqueMissing, Model: "Author", Name: "author_name_key"}},
}, {
	name:  "missing table",
	plant: func(s *ir.Schema) { removeModel(s, "Book") },
	want:  []runtime.SchemaDifference{{Kind: runtime.DriftTableMissing, Model: "Book"}},
}}

func removeField(m *ir.Model, name string) {
	i := slices.IndexFunc(m.Fields, func(f *ir.Field) bool { return f.Name == name })
	m.Fields = slices.Delete(m.Fields, i, i+1)
	if m.PrimaryKey > i {
		m.PrimaryKey--
	}
}

func removeModel(s *ir.Schema, name string) {
	s.Models = slices.DeleteFunc(s.Models, func(m *ir.Model) bool { return m.Name == name })
}

// TestDriftPlanted: each planted difference is reported, as data and in
// schema terms, and nothing else is; CheckAgainst returns it as a
// *runtime.SchemaDriftError that errors.Is and errors.As see.
func TestDriftPlanted(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		ctx := context.Background()
		db := openAny(t, url)
		for _, p := range plants {
			t.Run(strings.ReplaceAll(p.name, " ", "_"), func(t *testing.T) {
				s := checkSource(t, "drift.orm", driftSchema)
				want, err := ddl.Describe(s, db.Dialect())
				if err != nil {
					t.Fatal(err)
				}
				planted := checkSource(t, "drift.orm", driftSchema)
				p.plant(planted)
				t.Cleanup(func() {
					if err := dropAll(ctx, db, planted); err != nil {
						t.Errorf("drop: %v", err)
					}
				})
				if err := runtime.ExecAll(ctx, db, ddl.Create(planted, db.Dialect())); err != nil {
					t.Fatalf("create: %v", err)
				}
				err = inspect.CheckAgainst(ctx, db, want)
				var de *runtime.SchemaDriftError
				if !errors.As(err, &de) || !errors.Is(err, runtime.ErrSchemaDrift) {
					t.Fatalf("CheckAgainst = %v, want a *runtime.SchemaDriftError", err)
				}
				if de.Dialect != db.Dialect().Name() {
					t.Errorf("Dialect = %q", de.Dialect)
				}
				var got []runtime.SchemaDifference
				for _, d := range de.Differences {
					got = append(got, runtime.SchemaDifference{Kind: d.Kind, Model: d.Model, Field: d.Field, Name: d.Name})
				}
				if !slices.Equal(got, p.want) {
					t.Errorf("differences:\n%s\nwant %+v", de.Error(), p.want)
				}
				if p.text != "" && len(de.Differences) > 0 && de.Differences[0].String() != p.text {
					t.Errorf("message %q, want %q", de.Differences[0].String(), p.text)
				}
			})
		}
	})
}

// TestDriftCollation: on MySQL, where ormc gives every table a binary
// collation so that text compares as on the other databases, a table
// or a column with another collation is drift.
func TestDriftCollation(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		ctx := context.Background()
		db := openAny(t, url)
		s := checkSource(t, "drift.orm", driftSchema)
		want, err := ddl.Describe(s, db.Dialect())
		if err != nil {
			t.Fatal(err)
		}
		if want.Tables[0].Collation == "" {
			t.Skip("the dialect gives tables no collation")
		}
		if err := runtime.ExecAll(ctx, db, ddl.Create(s, db.Dialect())); err != nil {
			t.Fatal(err)
		}
		// TiDB changes no indexed column's collation (error 8200): the
		// index on title goes while it changes, and comes back.
		for _, stmt := range []string{
			"ALTER TABLE `author` COLLATE utf8mb4_general_ci",
			"ALTER TABLE `book` DROP INDEX `book_title_isbn_idx`",
			"ALTER TABLE `book` MODIFY `title` VARCHAR(100) COLLATE utf8mb4_general_ci NOT NULL",
			"CREATE INDEX `book_title_isbn_idx` ON `book` (`title`, `isbn`)",
		} {
			if _, err := db.Exec(ctx, stmt); err != nil {
				t.Fatal(err)
			}
		}
		var got []string
		for _, d := range inspect.Compare(want, inspectSchema(t, db, s)) {
			got = append(got, d.String())
		}
		// A column keeps its collation when its table's changes: author.name
		// now differs from its table's new one.
		wantDiffs := []string{
			"Author.name: collation: none in the schema, utf8mb4_nopad_bin in the database",
			"Author: collation: utf8mb4_nopad_bin in the schema, utf8mb4_general_ci in the database",
			"Book.title: collation: none in the schema, utf8mb4_general_ci in the database",
		}
		if !slices.Equal(got, wantDiffs) {
			t.Errorf("differences\n %q\nwant\n %q", got, wantDiffs)
		}
	})
}

// TestDescribeEveryDialect: Describe describes each dialect of the
// registry (a dialect without an inspector fails it).
func TestDescribeEveryDialect(t *testing.T) {
	s := checkSource(t, "drift.orm", driftSchema)
	for _, d := range dialect.All {
		desc, err := ddl.Describe(s, d)
		if err != nil {
			t.Fatalf("%s: %v", d.Name(), err)
		}
		if desc.Dialect != d.Name() || len(desc.Tables) != 2 || desc.Tables[0].Name != "author" {
			t.Errorf("%s: %+v", d.Name(), desc)
		}
		for _, tb := range desc.Tables {
			for _, c := range tb.Columns {
				if c.Type.Base == inspect.BaseUnknown {
					t.Errorf("%s: %s.%s: type %q has no base", d.Name(), tb.Name, c.Name, c.DBType)
				}
			}
		}
	}
}
