package migrate_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/ormc/ormc/internal/testdb"
	"github.com/ormc/ormc/runtime/migrate"
)

func states(t *testing.T, st []migrate.MigrationStatus, err error) string {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, s := range st {
		out = append(out, fmt.Sprintf("%s %s %d/%d", s.ID, s.State, s.StepsDone, s.Total))
	}
	return strings.Join(out, ", ")
}

func TestStatus(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		t.Parallel()
		ctx := context.Background()
		db := open(t, url)
		fsys := dir(t, createNote, indexNote)
		st, err := migrate.Status(ctx, db, fsys)
		if got := states(t, st, err); !strings.HasPrefix(got, "0001_init pending 0/2, 0002_title_index pending 0/") {
			t.Errorf("before: %s", got)
		}
		if _, err := migrate.Apply(ctx, db, dir(t, createNote), migrate.Options{}); err != nil {
			t.Fatal(err)
		}
		st, err = migrate.Status(ctx, db, fsys)
		if got := states(t, st, err); !strings.HasPrefix(got, "0001_init applied 2/2, 0002_title_index pending 0/") {
			t.Errorf("after 0001: %s", got)
		}
		edited := createNote
		edited.steps += "\n-- changed\n"
		st, err = migrate.Status(ctx, db, dir(t, edited, migration{id: "0002_other", steps: "-- ormc:step\nSELECT 1\n"}))
		if got := states(t, st, err); got != "0001_init changed 2/2, 0002_other pending 0/1" {
			t.Errorf("changed: %s", got)
		}
		if _, err := migrate.Apply(ctx, db, fsys, migrate.Options{}); err != nil {
			t.Fatal(err)
		}
		st, err = migrate.Status(ctx, db, dir(t, createNote))
		if got := states(t, st, err); !strings.HasPrefix(got, "0001_init applied 2/2, 0002_title_index missing ") {
			t.Errorf("missing: %s", got)
		}
	})
}

func TestBaseline(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		t.Parallel()
		ctx := context.Background()
		db := open(t, url)
		// The tables exist already, made without migrations.
		if _, err := db.Exec(ctx, "CREATE TABLE note (id INTEGER NOT NULL PRIMARY KEY, title VARCHAR(100))"); err != nil {
			t.Fatal(err)
		}
		fsys := dir(t, createNote, indexNote)
		if _, err := migrate.Baseline(ctx, db, fsys, "0003"); !errors.Is(err, migrate.ErrBaseline) {
			t.Errorf("baseline at an unknown version: %v", err)
		}
		ids, err := migrate.Baseline(ctx, db, fsys, "0001")
		if err != nil || strings.Join(ids, ",") != "0001_init" {
			t.Fatalf("Baseline: %v, %v", ids, err)
		}
		if _, err := migrate.Baseline(ctx, db, fsys, ""); !errors.Is(err, migrate.ErrBaseline) {
			t.Errorf("second baseline: %v", err)
		}
		got, err := migrate.Apply(ctx, db, fsys, migrate.Options{})
		if err != nil || strings.Join(got, ",") != "0002_title_index" {
			t.Fatalf("Apply after the baseline: %v, %v", got, err)
		}
		if n := count(t, db, "SELECT COUNT(*) FROM note"); n == 0 && db.Dialect().TransactionalDDL() && db.Dialect().AdvisoryLocks() {
			t.Errorf("0002's row is missing")
		}
	})
}
