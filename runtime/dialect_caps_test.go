package runtime_test

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/ormc/ormc/internal/testdb"
	"github.com/ormc/ormc/runtime"
	"github.com/ormc/ormc/runtime/dialect"
	"github.com/ormc/ormc/runtime/driver"
)

// returningDialect is a dialect that reads generated keys with INSERT …
// RETURNING and keeps its other capabilities: MariaDB 10.5 and later,
// which has RETURNING but no ON CONFLICT.
type returningDialect struct{ dialect.Dialect }

func (returningDialect) Returning() bool { return true }

// dialectPool is a pool that speaks d.
type dialectPool struct {
	driver.Pool
	d dialect.Dialect
}

func (p dialectPool) Dialect() dialect.Dialect { return p.d }

func (p dialectPool) MaxStatementBytes() int {
	if pp, ok := p.Pool.(driver.PacketPool); ok {
		return pp.MaxStatementBytes()
	}
	return 0
}

// TestCapabilitiesApart: a dialect with RETURNING writes its upserts the
// way its Upsert capability says, not as RETURNING suggests. On MariaDB,
// told it has RETURNING, Create and BulkCreate read their keys with it,
// and Upsert stays ON DUPLICATE KEY UPDATE (or update, then insert) and
// reads the key of a row it inserts with RETURNING too. Before, Returning
// chose ON CONFLICT, which MariaDB refuses (1064), and the insert read
// its key as the last insert id, which RETURNING leaves 0.
func TestCapabilitiesApart(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		ctx := context.Background()
		plain, err := openTestDB(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		plain.Close()
		if plain.Dialect().Returning() {
			t.Skip("the dialect already reads keys with RETURNING")
		}
		if p, ok := plain.Dialect().(dialect.Profile); ok && p.Engine() != dialect.MariaDB {
			t.Skipf("%s has no RETURNING to be told about (only MariaDB among the MySQL engines)", p.Engine())
		}
		var drv *runtime.Driver
		for _, d := range drivers {
			if d.Dialect.Name() == plain.Dialect().Name() {
				drv = d
			}
		}
		pool, err := drv.Open(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		var mu sync.Mutex
		var stmts []string
		db := runtime.NewDB(dialectPool{pool, returningDialect{plain.Dialect()}}, drv, runtime.WithHook(func(_ context.Context, ev runtime.QueryEvent) {
			mu.Lock()
			stmts = append(stmts, ev.SQL)
			mu.Unlock()
		}))
		defer db.Close()
		if err := runtime.ExecAll(ctx, db, []string{createNotes[drv.Dialect.Name()]}); err != nil {
			t.Fatal(err)
		}
		notes := runtime.NewQuery[*note](db, noteTable)
		a, err := notes.Create(ctx, &note{Text: "a"})
		if err != nil {
			t.Fatalf("create: %v", err)
		}
		if a.ID == 0 {
			t.Fatal("create: no key")
		}
		rows := []*note{{Text: "b"}, {Text: "c"}}
		if err := notes.BulkCreate(ctx, rows); err != nil {
			t.Fatalf("bulk create: %v", err)
		}
		if rows[0].ID <= a.ID || rows[1].ID <= rows[0].ID {
			t.Errorf("bulk keys %d, %d after %d", rows[0].ID, rows[1].ID, a.ID)
		}
		up := &note{ID: a.ID, Text: "a2"}
		if err := notes.Upsert(ctx, up, []runtime.Selector[*note]{&noteID}); err != nil {
			t.Fatalf("upsert: %v", err)
		}
		up = &note{Text: "d"}
		if err := notes.Upsert(ctx, up, []runtime.Selector[*note]{&noteText}); err != nil || up.ID == 0 {
			t.Fatalf("upsert of a new row: %v, key %d", err, up.ID)
		}
		all, err := notes.OrderBy(noteID.Asc()).All(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if got := texts(all); got != "a2|b|c|d" {
			t.Errorf("stored %q, want a2|b|c|d", got)
		}
		mu.Lock()
		defer mu.Unlock()
		returning := 0
		for _, s := range stmts {
			if strings.Contains(s, "ON CONFLICT") {
				t.Errorf("sent %s", s)
			}
			if strings.HasPrefix(s, "INSERT") && strings.Contains(s, "RETURNING") {
				returning++
			}
		}
		if returning < 2 {
			t.Errorf("%d inserts read keys with RETURNING, want Create's and BulkCreate's: %q", returning, stmts)
		}
	})
}
