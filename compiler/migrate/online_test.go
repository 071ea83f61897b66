package migrate_test

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ormc/ormc/compiler/migrate"
	"github.com/ormc/ormc/internal/testdb"
	"github.com/ormc/ormc/runtime/dialect"
)

// TestIndexWhileWriting: on PostgreSQL, a migration that adds an index and
// a unique constraint to a table of 1,000,000 rows (CREATE INDEX
// CONCURRENTLY, then ADD CONSTRAINT … USING INDEX) never blocks a writer
// inserting rows meanwhile for 1 s or more. The longest wait is logged.
func TestIndexWhileWriting(t *testing.T) {
	if testing.Short() {
		t.Skip("1,000,000 rows: not under -short")
	}
	const rows = 1_000_000
	var pg testdb.Dialect
	for _, d := range testdb.Dialects {
		if d.Name == dialect.Postgres.Name() {
			pg = d
		}
	}
	ctx := context.Background()
	db := open(t, testdb.Fresh(t, pg))
	before := compile(t, `
model Event "event" <
  id    BigInteger pk
  code  String(40)
  score Integer
>
`)
	after := compile(t, `
model Event "event" <
  id    BigInteger pk
  code  String(40) unique
  score Integer index
>
`)
	fsys := directory(t, before, after, migrate.Options{Allow: codes("add-unique")})
	first := directory(t, before, nil, migrate.Options{})
	if err := apply(ctx, db, first); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(ctx, `INSERT INTO "event" ("id", "code", "score") SELECT g, 'c' || g, g % 1000 FROM generate_series(1, $1::bigint) g`, rows); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(ctx, `ANALYZE "event"`); err != nil {
		t.Fatal(err)
	}
	var (
		stop    atomic.Bool
		longest time.Duration
		inserts int
		wg      sync.WaitGroup
		werr    error
	)
	wg.Add(1)
	go func() {
		defer wg.Done()
		for id := rows + 1; !stop.Load(); id++ {
			start := time.Now()
			if _, err := db.Exec(ctx, `INSERT INTO "event" ("id", "code", "score") VALUES ($1, $2, 1)`, id, fmt.Sprintf("w%d", id)); err != nil {
				werr = err
				return
			}
			longest = max(longest, time.Since(start))
			inserts++
		}
	}()
	start := time.Now()
	err := apply(ctx, db, fsys)
	took := time.Since(start)
	stop.Store(true)
	wg.Wait()
	if err != nil {
		t.Fatalf("apply: %v", err)
	}
	if werr != nil {
		t.Fatalf("writer: %v", werr)
	}
	t.Logf("migration %v on %d rows; %d inserts meanwhile, the longest %v", took.Round(time.Millisecond), rows, inserts, longest.Round(time.Microsecond))
	if longest >= time.Second {
		t.Errorf("a writer waited %v during the migration", longest)
	}
	noDrift(ctx, t, db, after)
}
