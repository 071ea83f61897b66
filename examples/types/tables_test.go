package types

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/ormc/ormc/examples/types/db"
	"github.com/ormc/ormc/internal/testdb"
	"github.com/ormc/ormc/runtime"
)

// fillCycle writes a team led by one of its members, and a member who
// mentors another who mentors her: rows in both cycles of the schema,
// every reference with on_delete restrict.
func fillCycle(t *testing.T, ctx context.Context, client *db.Client) {
	t.Helper()
	team, err := client.Teams.Create(ctx, &db.Team{Name: "core"})
	if err != nil {
		t.Fatal(err)
	}
	ann, err := client.Members.Create(ctx, &db.Member{Name: "ann", Team: db.TeamRef(team)})
	if err != nil {
		t.Fatal(err)
	}
	bob, err := client.Members.Create(ctx, &db.Member{Name: "bob", Team: db.TeamRef(team), Mentor: db.MemberRef(ann)})
	if err != nil {
		t.Fatal(err)
	}
	if err := client.Members.Update(ctx, ann, db.MemberMentorID.Set(bob.ID)); err != nil {
		t.Fatal(err)
	}
	if err := client.Teams.Update(ctx, team, db.TeamLeadID.Set(ann.ID)); err != nil {
		t.Fatal(err)
	}
}

// tables counts the tables of the test's database or schema.
func tables(t *testing.T, ctx context.Context, client *db.Client) int64 {
	t.Helper()
	q := map[string]string{
		"postgres": `SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema()`,
		"mysql":    `SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE()`,
		"sqlite":   `SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'`,
	}[client.DB().Dialect().Name()]
	var n int64
	if err := client.DB().QueryRow(ctx, q, nil, &n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestCreateDropTables: CreateTables and DropTables twice in a row, with
// rows in a cycle of restrict references present, outside and inside a
// transaction (where SQLite refuses with ErrUnsupported); DropTables with nothing to drop succeeds; and afterwards
// foreign keys are still enforced on the connection that dropped (one
// connection, so it is the same one).
func TestCreateDropTables(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		ctx := context.Background()
		sep := "?"
		if strings.Contains(url, "?") {
			sep = "&"
		}
		client, err := db.Open(ctx, url+sep+runtime.PoolMaxConns+"=1")
		if err != nil {
			t.Fatal(err)
		}
		defer client.Close()
		for i := range 2 {
			if err := client.CreateTables(ctx); err != nil {
				t.Fatalf("round %d: CreateTables: %v", i, err)
			}
			fillCycle(t, ctx, client)
			if i == 0 {
				err = client.DropTables(ctx)
			} else {
				err = client.Tx(ctx, func(tx *db.Client) error { return tx.DropTables(ctx) })
				// SQLite switches foreign keys off for a cycle, which it
				// cannot do inside a transaction.
				if client.DB().Dialect().Name() == "sqlite" {
					if !errors.Is(err, runtime.ErrUnsupported) {
						t.Fatalf("round %d: DropTables in a transaction: got %v, want ErrUnsupported", i, err)
					}
					err = client.DropTables(ctx)
				}
			}
			if err != nil {
				t.Fatalf("round %d: DropTables with rows in a cycle: %v", i, err)
			}
			if n := tables(t, ctx, client); n != 0 {
				t.Fatalf("round %d: %d tables left", i, n)
			}
			if err := client.DropTables(ctx); err != nil {
				t.Fatalf("round %d: DropTables with no tables: %v", i, err)
			}
		}
		if err := client.CreateTables(ctx); err != nil {
			t.Fatal(err)
		}
		_, err = client.Members.Create(ctx, &db.Member{Name: "eve", Team: runtime.KeyRef[*db.Team](int64(12345))})
		var ce *runtime.ConstraintError
		if !errors.As(err, &ce) || ce.Kind != runtime.ForeignKeyViolation {
			t.Errorf("after DropTables, a dangling reference: got %v, want a foreign key violation", err)
		}
	})
}
