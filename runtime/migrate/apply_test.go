package migrate_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/ormc/ormc/internal/testdb"
	"github.com/ormc/ormc/runtime"
	"github.com/ormc/ormc/runtime/dialect"
	"github.com/ormc/ormc/runtime/driver/mysql"
	"github.com/ormc/ormc/runtime/driver/postgres"
	"github.com/ormc/ormc/runtime/driver/sqlite"
	"github.com/ormc/ormc/runtime/migrate"
)

func TestMain(m *testing.M) { testdb.Main(m) }

// migration is one migration of a test directory: its steps, the same
// SQL on every dialect unless bySQL gives a dialect's own.
type migration struct {
	id    string
	steps string            // the .sql file's text
	by    map[string]string // dialect name → its own text
}

// dir writes a migration directory with its ormc.sum.
func dir(t testing.TB, migs ...migration) fstest.MapFS {
	t.Helper()
	fsys := fstest.MapFS{}
	for _, m := range migs {
		for _, d := range dialect.Names {
			text := m.steps
			if s, ok := m.by[d]; ok {
				text = s
			}
			fsys[m.id+"."+d+".sql"] = &fstest.MapFile{Data: []byte(text)}
		}
		fsys[m.id+".schema.json"] = &fstest.MapFile{Data: []byte(`{"models":[]}` + "\n")}
	}
	resum(t, fsys)
	return fsys
}

func resum(t testing.TB, fsys fstest.MapFS) {
	t.Helper()
	delete(fsys, migrate.SumFile)
	sum, err := migrate.Sum(fsys)
	if err != nil {
		t.Fatal(err)
	}
	fsys[migrate.SumFile] = &fstest.MapFile{Data: sum}
}

func open(t testing.TB, url string) *runtime.DB {
	t.Helper()
	db, err := runtime.Open(context.Background(), url, postgres.Driver, mysql.Driver, sqlite.Driver)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func count(t testing.TB, db *runtime.DB, stmt string) int {
	t.Helper()
	rows, err := db.Query(context.Background(), stmt)
	if err != nil {
		t.Fatalf("%s: %v", stmt, err)
	}
	defer rows.Close()
	n := 0
	if rows.Next() {
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
	}
	if err := rows.Close(); err != nil {
		t.Fatal(err)
	}
	return n
}

// ledger returns the ledger's rows as "version name steps_done/total
// finished".
func ledger(t testing.TB, db *runtime.DB) []string {
	t.Helper()
	rows, err := db.Query(context.Background(), "SELECT version, name, steps_done, total_steps, finished_at FROM ormc_migrations ORDER BY version")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var v, n string
		var done, total int
		var fin *time.Time
		if err := rows.Scan(&v, &n, &done, &total, &fin); err != nil {
			t.Fatal(err)
		}
		out = append(out, fmt.Sprintf("%s %s %d/%d %v", v, n, done, total, fin != nil))
	}
	return out
}

var (
	createNote = migration{id: "0001_init", steps: `-- a comment before the steps
-- ormc:step -- table "note"
CREATE TABLE note (id INTEGER NOT NULL PRIMARY KEY, title VARCHAR(100))
-- ormc:step -- a row
INSERT INTO note (id, title) VALUES (1, 'first')
`}
	indexNote = migration{id: "0002_title_index", steps: `-- ormc:step -- index "note_title_idx"
CREATE INDEX note_title_idx ON note (title)
`, by: map[string]string{dialect.Postgres.Name(): `-- ormc:step notx -- index "note_title_idx"
CREATE INDEX CONCURRENTLY note_title_idx ON note (title)
-- ormc:step -- a second row
INSERT INTO note (id, title) VALUES (2, 'second')
`}}
)

func TestApply(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		t.Parallel()
		ctx := context.Background()
		db := open(t, url)
		var events []string
		opts := migrate.Options{Progress: func(e migrate.Event) { events = append(events, fmt.Sprintf("%s %d/%d", e.Migration, e.Step, e.Total)) }}
		got, err := migrate.Apply(ctx, db, dir(t, createNote), opts)
		if err != nil || strings.Join(got, ",") != "0001_init" {
			t.Fatalf("first Apply: %v, %v", got, err)
		}
		if want := "0001_init 0/2,0001_init 1/2,0001_init 2/2"; strings.Join(events, ",") != want {
			t.Errorf("progress %q, want %q", strings.Join(events, ","), want)
		}
		got, err = migrate.Apply(ctx, db, dir(t, createNote, indexNote), migrate.Options{})
		if err != nil || strings.Join(got, ",") != "0002_title_index" {
			t.Fatalf("second Apply: %v, %v", got, err)
		}
		err = db.Tx(ctx, func(tx *runtime.DB) error {
			_, err := migrate.Apply(ctx, tx, dir(t, createNote, indexNote), migrate.Options{})
			return err
		})
		if !errors.Is(err, runtime.ErrUnsupported) {
			t.Errorf("Apply inside a transaction: %v, want ErrUnsupported", err)
		}
		got, err = migrate.Apply(ctx, db, dir(t, createNote, indexNote), migrate.Options{})
		if err != nil || len(got) != 0 {
			t.Fatalf("third Apply applied %v, %v; want nothing", got, err)
		}
		if n := count(t, db, "SELECT COUNT(*) FROM note WHERE id = 1"); n != 1 {
			t.Errorf("%d rows of id 1, want 1", n)
		}
		l := ledger(t, db)
		if len(l) != 2 || l[0] != "0001 init 2/2 true" || !strings.HasPrefix(l[1], "0002 title_index ") || !strings.HasSuffix(l[1], " true") {
			t.Errorf("ledger %q", l)
		}
	})
}

func TestRefuse(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		t.Parallel()
		ctx := context.Background()
		db := open(t, url)
		if _, err := migrate.Apply(ctx, db, dir(t, createNote, indexNote), migrate.Options{}); err != nil {
			t.Fatal(err)
		}
		// Each case changes the directory after both were applied.
		edited := createNote
		edited.steps += "-- ormc:step\nINSERT INTO note (id, title) VALUES (3, 'third')\n"
		edited.by = nil
		unsummed := dir(t, createNote, indexNote)
		unsummed["0001_init.sqlite.sql"] = &fstest.MapFile{Data: []byte(edited.steps)}
		unsummed["0001_init.postgres.sql"] = &fstest.MapFile{Data: []byte(edited.steps)}
		unsummed["0001_init.mysql.sql"] = &fstest.MapFile{Data: []byte(edited.steps)}
		for _, c := range []struct {
			name string
			fsys fstest.MapFS
			want error
			msg  string
		}{
			{"changed", dir(t, edited, indexNote), migrate.ErrChecksumMismatch, "0001_init was applied with checksum"},
			{"missing", dir(t, createNote), migrate.ErrMissingMigration, "0002_title_index is recorded"},
			{"renamed", dir(t, createNote, migration{id: "0002_other", steps: indexNote.steps, by: indexNote.by}), migrate.ErrMissingMigration, "version 0002 was applied as 0002_title_index"},
			{"sum", unsummed, migrate.ErrSumMismatch, "0001_init.mysql.sql changed; 0001_init.postgres.sql changed"},
			{"no sum", fstest.MapFS{"0001_init.sqlite.sql": {Data: []byte("-- ormc:step\nSELECT 1\n")}}, migrate.ErrFormat, "fs.Sub"},
			{"gap", dir(t, createNote, migration{id: "0003_x", steps: "-- ormc:step\nSELECT 1\n"}), migrate.ErrFormat, "0003_x should be version 0002"},
		} {
			_, err := migrate.Apply(ctx, db, c.fsys, migrate.Options{})
			if !errors.Is(err, c.want) || !strings.Contains(fmt.Sprint(err), c.msg) {
				t.Errorf("%s: %v, want %v saying %q", c.name, err, c.want, c.msg)
			}
		}
		if n := count(t, db, "SELECT COUNT(*) FROM note"); n != 1+boolInt(db.Dialect().Name() == "postgres") {
			t.Errorf("%d rows in note after refusals", n)
		}
	})
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
