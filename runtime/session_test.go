package runtime_test

import (
	"context"
	"errors"
	"testing"

	"github.com/ormc/ormc/internal/testdb"
	"github.com/ormc/ormc/runtime"
)

// TestSession: a session's statements and transactions share one
// connection (a temporary table, which only its connection sees, is seen
// by each); rows left open make the next statement fail with ErrConnBusy;
// with Discard the connection is closed, and a later session cannot see
// the table.
func TestSession(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		ctx := context.Background()
		db, err := openTestDB(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		countTmp := func(q *runtime.DB) (int, error) {
			rows, err := q.Query(ctx, "SELECT COUNT(*) FROM session_tmp")
			if err != nil {
				return 0, err
			}
			defer rows.Close()
			n := 0
			if rows.Next() {
				err = rows.Scan(&n)
			}
			return n, err
		}
		err = db.Session(ctx, func(s *runtime.DB) error {
			if _, err := s.Exec(ctx, "CREATE TEMPORARY TABLE session_tmp (id INTEGER)"); err != nil {
				return err
			}
			if err := s.Tx(ctx, func(tx *runtime.DB) error {
				_, err := tx.Exec(ctx, "INSERT INTO session_tmp (id) VALUES (1)")
				return err
			}); err != nil {
				return err
			}
			if n, err := countTmp(s); err != nil || n != 1 {
				t.Errorf("the session's own table: %d rows, %v", n, err)
			}
			rows, err := s.Query(ctx, "SELECT id FROM session_tmp")
			if err != nil {
				return err
			}
			if _, err := s.Exec(ctx, "DELETE FROM session_tmp"); !errors.Is(err, runtime.ErrConnBusy) {
				t.Errorf("a statement while rows are open: %v, want ErrConnBusy", err)
			}
			return rows.Close()
		}, runtime.SessionOptions{Discard: true})
		if err != nil {
			t.Fatal(err)
		}
		err = db.Session(ctx, func(s *runtime.DB) error {
			_, err := countTmp(s)
			return err
		})
		if err == nil {
			t.Errorf("a discarded session's temporary table outlived it")
		}
		// Inside a transaction the session is the transaction.
		err = db.Tx(ctx, func(tx *runtime.DB) error {
			return tx.Session(ctx, func(s *runtime.DB) error {
				if s != tx {
					t.Errorf("Session inside a transaction got another DB")
				}
				return nil
			})
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}
