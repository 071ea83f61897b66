package migrate_test

import (
	"context"
	"errors"
	"testing"

	"github.com/go-sql-driver/mysql"
	"github.com/ormc/ormc/internal/testdb"
	"github.com/ormc/ormc/runtime/dialect"
)

// TestTiDBRefusals pins what the MySQL plan works around on TiDB (see
// mysql.go), so that a TiDB that changes shows the plan may be simpler:
// it refuses UUID() in ADD COLUMN (1674) and the drop of a foreign key's
// own index in the ALTER that adds its replacement (1553), and keeps that
// index when an index that serves the key comes, which MariaDB drops.
// Other databases have nothing to pin.
func TestTiDBRefusals(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		ctx := context.Background()
		db := open(t, url)
		if p, ok := db.Dialect().(dialect.Profile); !ok || p.Engine() != dialect.TiDB {
			return
		}
		for _, stmt := range []string{
			"CREATE TABLE a (id INT PRIMARY KEY)",
			"CREATE TABLE p (id INT PRIMARY KEY, a INT, n INT, CONSTRAINT p_a_fkey FOREIGN KEY (a) REFERENCES a (id))",
		} {
			if _, err := db.Exec(ctx, stmt); err != nil {
				t.Fatal(err)
			}
		}
		refused := func(stmt string, number uint16) {
			t.Helper()
			var me *mysql.MySQLError
			if _, err := db.Exec(ctx, stmt); !errors.As(err, &me) || me.Number != number {
				t.Errorf("%s: %v, want error %d", stmt, err, number)
			}
		}
		refused("ALTER TABLE p ADD COLUMN u CHAR(36) NOT NULL DEFAULT (UUID())", 1674)
		refused("ALTER TABLE p ADD INDEX p_a_n_idx (a, n), DROP INDEX p_a_fkey", 1553)
		// The key's own index stays when p_a_idx comes: it can be dropped.
		if _, err := db.Exec(ctx, "CREATE INDEX p_a_idx ON p (a)"); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Exec(ctx, "ALTER TABLE p DROP INDEX p_a_fkey"); err != nil {
			t.Errorf("the key's own index: %v", err)
		}
	})
}
