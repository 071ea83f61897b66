package main

import (
	"context"
	"embed"
	"errors"
	"io/fs"
	"sync"
	"testing"
	"time"

	"github.com/ormc/ormc/internal/testdb"
	"github.com/ormc/ormc/runtime/migrate"

	"github.com/ormc/ormc/examples/notes/db"
)

// migrations is the directory ormc migrate diff wrote for notes.orm.
//
//go:embed migrations
var migrations embed.FS

// TestMigrate: eight instances of the program starting at once on an
// empty database each call Migrate; all succeed, the migration is applied
// once, and the database is then what CreateTables makes (CheckSchema
// finds no drift) and takes the client's writes.
func TestMigrate(t *testing.T) {
	dir, err := fs.Sub(migrations, "migrations")
	if err != nil {
		t.Fatal(err)
	}
	testdb.Each(t, func(t *testing.T, url string) {
		t.Parallel()
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		const n = 8
		clients := make([]*db.Client, n)
		for i := range clients {
			c, err := db.Open(ctx, url)
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			clients[i] = c
		}
		var wg sync.WaitGroup
		errs := make([]error, n)
		for i, c := range clients {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs[i] = c.Migrate(ctx, dir)
			}()
		}
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Errorf("Migrate %d: %v", i, err)
			}
		}
		c := clients[0]
		if err := c.CheckSchema(ctx); err != nil {
			t.Fatalf("CheckSchema after Migrate: %v", err)
		}
		rows, err := c.DB().Query(ctx, "SELECT COUNT(*) FROM ormc_migrations WHERE finished_at IS NOT NULL")
		if err != nil {
			t.Fatal(err)
		}
		var applied int
		if rows.Next() {
			_ = rows.Scan(&applied)
		}
		rows.Close()
		if applied != 1 {
			t.Errorf("%d migrations recorded, want 1", applied)
		}
		if _, err := c.Notes.Create(ctx, &db.Note{Text: "migrated"}); err != nil {
			t.Errorf("Create after Migrate: %v", err)
		}
		// Without fs.Sub the directory's root holds no ormc.sum: the
		// error says what to pass.
		if err := c.Migrate(ctx, migrations); !errors.Is(err, migrate.ErrFormat) {
			t.Errorf("Migrate of the embed.FS itself: %v, want ErrFormat", err)
		}
	})
}
