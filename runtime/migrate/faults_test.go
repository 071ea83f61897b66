package migrate_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ormc/ormc/internal/testdb"
	"github.com/ormc/ormc/runtime"
	"github.com/ormc/ormc/runtime/dialect"
	"github.com/ormc/ormc/runtime/migrate"
)

// TestConcurrentApply: eight processes starting at once apply each
// migration once, and all succeed. The second migration inserts a row,
// which a second run would insert again (and fail on the key).
func TestConcurrentApply(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		t.Parallel()
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		slow := migration{id: "0002_fill", steps: `-- ormc:step
INSERT INTO note (id, title) VALUES (2, 'second')
-- ormc:step
CREATE INDEX note_title_idx ON note (title)
`}
		fsys := dir(t, createNote, slow)
		const n = 8
		var wg sync.WaitGroup
		applied := make([][]string, n)
		errs := make([]error, n)
		for i := range n {
			db := open(t, url) // one pool each, as separate processes have
			wg.Add(1)
			go func() {
				defer wg.Done()
				applied[i], errs[i] = migrate.Apply(ctx, db, fsys, migrate.Options{})
			}()
		}
		wg.Wait()
		total := 0
		for i, err := range errs {
			if err != nil {
				t.Errorf("Apply %d: %v", i, err)
			}
			total += len(applied[i])
		}
		if total != 2 {
			t.Errorf("%d migrations applied in all (%v), want 2", total, applied)
		}
		db := open(t, url)
		if c := count(t, db, "SELECT COUNT(*) FROM note"); c != 2 {
			t.Errorf("%d rows, want 2", c)
		}
		if l := ledger(t, db); len(l) != 2 {
			t.Errorf("ledger %q", l)
		}
	})
}

// TestStepFailure: a failed step says which, of how many, and how many
// committed; the lock is released (another Apply gets it at once), and
// once the cause is gone Apply resumes after the committed steps.
func TestStepFailure(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		t.Parallel()
		ctx := context.Background()
		db := open(t, url)
		fsys := dir(t, migration{id: "0001_three", steps: `-- ormc:step -- table "a"
CREATE TABLE a (id INTEGER NOT NULL PRIMARY KEY)
-- ormc:step -- copy from "b"
INSERT INTO a (id) SELECT id FROM b
-- ormc:step -- table "c"
CREATE TABLE c (id INTEGER NOT NULL PRIMARY KEY)
`})
		_, err := migrate.Apply(ctx, db, fsys, migrate.Options{})
		var se *migrate.StepError
		if !errors.As(err, &se) {
			t.Fatalf("Apply: %v, want a *StepError", err)
		}
		committed := 0
		if !db.Dialect().TransactionalDDL() {
			committed = 1
		}
		want := fmt.Sprintf("ormc: migration 0001_three: step 2 of 3 failed; %d committed (copy from \"b\"): ", committed)
		if se.Step != 2 || se.Total != 3 || se.Committed != committed || !strings.HasPrefix(err.Error(), want) {
			t.Errorf("error %q, want it to begin %q", err, want)
		}
		// The lock was released: another pool takes it at once.
		other := open(t, url)
		short, cancel := context.WithTimeout(ctx, 3*time.Second)
		defer cancel()
		if _, err := migrate.Apply(short, other, fsys, migrate.Options{}); errors.Is(err, migrate.ErrLocked) {
			t.Fatalf("lock still held after a failure: %v", err)
		}
		if _, err := db.Exec(ctx, "CREATE TABLE b (id INTEGER NOT NULL PRIMARY KEY)"); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Exec(ctx, "INSERT INTO b (id) VALUES (7)"); err != nil {
			t.Fatal(err)
		}
		got, err := migrate.Apply(ctx, db, fsys, migrate.Options{})
		if err != nil || len(got) != 1 {
			t.Fatalf("Apply after the fix: %v, %v", got, err)
		}
		if c := count(t, db, "SELECT COUNT(*) FROM a WHERE id = 7"); c != 1 {
			t.Errorf("%d rows copied, want 1", c)
		}
		if l := ledger(t, db); len(l) != 1 || l[0] != "0001 three 3/3 true" {
			t.Errorf("ledger %q", l)
		}
	})
}

// TestPrecheck: a check step that finds rows refuses the migration
// before any of its DDL, with the rows' count and first keys.
func TestPrecheck(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		t.Parallel()
		ctx := context.Background()
		db := open(t, url)
		if _, err := migrate.Apply(ctx, db, dir(t, createNote), migrate.Options{}); err != nil {
			t.Fatal(err)
		}
		for _, stmt := range []string{
			"INSERT INTO note (id, title) VALUES (2, NULL)",
			"INSERT INTO note (id, title) VALUES (3, 'x')",
			"INSERT INTO note (id, title) VALUES (4, NULL)",
		} {
			if _, err := db.Exec(ctx, stmt); err != nil {
				t.Fatal(err)
			}
		}
		fsys := dir(t, createNote, migration{id: "0002_title_required", steps: `-- ormc:allow DD001
-- ormc:step -- a table before the check
CREATE TABLE before_check (id INTEGER NOT NULL PRIMARY KEY)
-- ormc:step check -- no NULL in "note"."title"
SELECT id, title FROM note WHERE title IS NULL ORDER BY id LIMIT 10
-- ormc:step
CREATE TABLE after_check (id INTEGER NOT NULL PRIMARY KEY)
`})
		_, err := migrate.Apply(ctx, db, fsys, migrate.Options{})
		var pe *migrate.PrecheckError
		if !errors.As(err, &pe) || !errors.Is(err, migrate.ErrPrecheck) {
			t.Fatalf("Apply: %v, want a *PrecheckError", err)
		}
		want := `ormc: migration 0002_title_required: pre-check (step 2, no NULL in "note"."title") found 2 offending rows, first (id=2, title=NULL), (id=4, title=NULL); nothing of the migration ran`
		if err.Error() != want {
			t.Errorf("error\n%s\nwant\n%s", err, want)
		}
		if n := count(t, db, "SELECT COUNT(*) FROM ormc_migrations WHERE version = '0002'"); n != 0 {
			t.Errorf("the refused migration is in the ledger")
		}
		// No DDL ran, not even the step before the check.
		if _, err := db.Exec(ctx, "CREATE TABLE before_check (id INTEGER NOT NULL PRIMARY KEY)"); err != nil {
			t.Errorf("the step before the check ran: %v", err)
		}
	})
}

// TestLockWait: while one process holds the migration lock, another waits
// for it until its context ends, and its error says so.
func TestLockWait(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		t.Parallel()
		ctx := context.Background()
		db := open(t, url)
		fsys := dir(t, createNote)
		hold := make(chan struct{})
		held := make(chan struct{})
		// A pre-check that blocks holds the lock: the first migration's
		// Progress callback waits until told to go on.
		go func() {
			_, _ = migrate.Apply(ctx, db, fsys, migrate.Options{Progress: func(e migrate.Event) {
				if e.Step == 0 {
					close(held)
					<-hold
				}
			}})
		}()
		<-held
		short, cancel := context.WithTimeout(ctx, 500*time.Millisecond)
		defer cancel()
		start := time.Now()
		_, err := migrate.Apply(short, open(t, url), fsys, migrate.Options{})
		close(hold)
		if !errors.Is(err, migrate.ErrLocked) || !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("Apply while locked: %v, want ErrLocked and DeadlineExceeded", err)
		}
		if d := time.Since(start); d > 3*time.Second {
			t.Errorf("waited %v for a 500ms context", d)
		}
	})
}

func TestLockTimeoutRetry(t *testing.T) {
	url := testdb.Fresh(t, testdb.Dialect{Name: dialect.Postgres.Name(), Env: "ORMC_TEST_POSTGRES"})
	ctx := context.Background()
	db := open(t, url)
	if _, err := migrate.Apply(ctx, db, dir(t, createNote), migrate.Options{}); err != nil {
		t.Fatal(err)
	}
	alter := migration{id: "0002_alter", steps: `-- ormc:step
SET lock_timeout = '100ms'
-- ormc:step
ALTER TABLE note ADD COLUMN body TEXT
`}
	fsys := dir(t, createNote, alter)
	// hold keeps an ACCESS SHARE lock on note (an open transaction that
	// read it) for d.
	hold := func(d time.Duration) chan error {
		locked, done := make(chan struct{}), make(chan error, 1)
		go func() {
			done <- db.Tx(ctx, func(tx *runtime.DB) error {
				if _, err := tx.Exec(ctx, "LOCK TABLE note IN ACCESS SHARE MODE"); err != nil {
					return err
				}
				close(locked)
				time.Sleep(d)
				return nil
			})
		}()
		<-locked
		return done
	}
	done := hold(2 * time.Second)
	_, err := migrate.Apply(ctx, db, fsys, migrate.Options{LockRetries: -1})
	var se *migrate.StepError
	if !errors.As(err, &se) || se.Step != 2 || !strings.Contains(err.Error(), "lock timeout") {
		t.Errorf("Apply without retries under a held lock: %v", err)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	done = hold(300 * time.Millisecond)
	got, err := migrate.Apply(ctx, db, fsys, migrate.Options{RetryWait: 200 * time.Millisecond})
	if err != nil || len(got) != 1 {
		t.Errorf("Apply with retries: %v, %v", got, err)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

// TestMySQLKilledResumes: a MariaDB migration whose connection is killed
// mid-way (as when its process dies) resumes at the step after the last
// committed, without running the committed ones again.
func TestMySQLKilledResumes(t *testing.T) {
	url := testdb.Fresh(t, testdb.Dialect{Name: dialect.MySQL.Name(), Env: "ORMC_TEST_MYSQL"})
	ctx := context.Background()
	db := open(t, url)
	fsys := dir(t, migration{id: "0001_slow", steps: `-- ormc:step
CREATE TABLE a (id INTEGER NOT NULL PRIMARY KEY)
-- ormc:step
INSERT INTO a (id) VALUES (1)
-- ormc:step -- slow
DO SLEEP(IF((SELECT COUNT(*) FROM a) > 0, 20, 0))
-- ormc:step
CREATE TABLE b (id INTEGER NOT NULL PRIMARY KEY)
`})
	go func() {
		// Kill the migrating connection once it sleeps.
		deadline := time.Now().Add(10 * time.Second)
		for time.Now().Before(deadline) {
			time.Sleep(100 * time.Millisecond)
			rows, err := db.Query(ctx, "SELECT id FROM information_schema.processlist WHERE info LIKE 'DO SLEEP(IF%' AND db = DATABASE()")
			if err != nil {
				continue
			}
			var id int64
			found := rows.Next() && rows.Scan(&id) == nil
			rows.Close()
			if found {
				_, _ = db.Exec(ctx, fmt.Sprintf("KILL %d", id))
				return
			}
		}
	}()
	start := time.Now()
	_, err := migrate.Apply(ctx, db, fsys, migrate.Options{})
	var se *migrate.StepError
	if !errors.As(err, &se) || se.Step != 3 || se.Committed != 2 {
		t.Fatalf("killed Apply: %v, want step 3 of 4 failed, 2 committed", err)
	}
	if d := time.Since(start); d > 15*time.Second {
		t.Fatalf("the kill took %v", d)
	}
	t.Log(err)
	if l := ledger(t, db); len(l) != 1 || l[0] != "0001 slow 2/4 false" {
		t.Errorf("ledger after the kill %q", l)
	}
	// The resumed run does not create a or insert its row again (either
	// would fail); with a empty the sleep is short.
	if _, err := db.Exec(ctx, "DELETE FROM a"); err != nil {
		t.Fatal(err)
	}
	got, err := migrate.Apply(ctx, db, fsys, migrate.Options{})
	if err != nil || len(got) != 1 {
		t.Fatalf("resumed Apply: %v, %v", got, err)
	}
	if c := count(t, db, "SELECT COUNT(*) FROM a"); c != 0 {
		t.Errorf("step 2 ran again: %d rows in a", c)
	}
	if l := ledger(t, db); len(l) != 1 || l[0] != "0001 slow 4/4 true" {
		t.Errorf("ledger after resuming %q", l)
	}
}

// TestSQLiteWaitsPastBusyTimeout: a process migrating a SQLite file for
// longer than the driver's busy timeout (5 s) does not make another
// fail: it waits for the write lock until its context ends.
func TestSQLiteWaitsPastBusyTimeout(t *testing.T) {
	if testing.Short() {
		t.Skip("holds a lock for 6 s")
	}
	url := testdb.Fresh(t, testdb.Dialect{Name: dialect.SQLite.Name()})
	ctx := context.Background()
	holder := open(t, url)
	fsys := dir(t, createNote)
	locked := make(chan struct{})
	done := make(chan error, 1)
	go func() {
		done <- holder.Tx(ctx, func(tx *runtime.DB) error {
			if _, err := tx.Exec(ctx, "CREATE TABLE held (id INTEGER)"); err != nil {
				return err
			}
			close(locked)
			time.Sleep(6 * time.Second)
			return nil
		})
	}()
	<-locked
	wait, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	got, err := migrate.Apply(wait, open(t, url), fsys, migrate.Options{})
	if err != nil || len(got) != 1 {
		t.Errorf("Apply behind a 6 s write lock: %v, %v", got, err)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

// TestSQLiteFrameRestored: a SQLite migration's notx steps after its
// transaction (PRAGMA foreign_keys = ON after a rebuild) run even when the
// transaction fails, so that the pooled connection keeps its foreign
// keys; a notx step between transactional ones is refused.
func TestSQLiteFrameRestored(t *testing.T) {
	url := testdb.Fresh(t, testdb.Dialect{Name: dialect.SQLite.Name()})
	ctx := context.Background()
	db := open(t, url+"?pool_max_conns=1") // the migration's connection is the next query's
	fsys := dir(t, migration{id: "0001_rebuild", steps: `-- ormc:step notx
PRAGMA foreign_keys = OFF
-- ormc:step
CREATE TABLE a (id INTEGER PRIMARY KEY)
-- ormc:step
INSERT INTO a SELECT id FROM missing
-- ormc:step notx
PRAGMA foreign_keys = ON
`})
	_, err := migrate.Apply(ctx, db, fsys, migrate.Options{})
	var se *migrate.StepError
	if !errors.As(err, &se) || se.Step != 3 || se.Committed != 0 {
		t.Fatalf("Apply: %v, want step 3 failed, 0 committed", err)
	}
	if n := count(t, db, "PRAGMA foreign_keys"); n != 1 {
		t.Errorf("foreign_keys is %d on the pool's connection after the failed migration", n)
	}
	if n := count(t, db, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'a'"); n != 0 {
		t.Errorf("the failed migration's table stayed")
	}
	_, err = migrate.Apply(ctx, db, dir(t, migration{id: "0001_inside", steps: "-- ormc:step\nSELECT 1\n-- ormc:step notx\nPRAGMA foreign_keys = ON\n-- ormc:step\nSELECT 2\n"}), migrate.Options{})
	if !errors.Is(err, migrate.ErrFormat) {
		t.Errorf("a notx step inside: %v, want ErrFormat", err)
	}
}

// TestResumeSettings: a PostgreSQL migration resumed after a committed
// step runs its SET steps again on the new session, so that the steps it
// resumes run under the plan's lock_timeout.
func TestResumeSettings(t *testing.T) {
	url := testdb.Fresh(t, testdb.Dialect{Name: dialect.Postgres.Name(), Env: "ORMC_TEST_POSTGRES"})
	ctx := context.Background()
	db := open(t, url)
	fsys := dir(t, migration{id: "0001_resume", steps: `-- ormc:step
SET lock_timeout = '1234ms'
-- ormc:step
CREATE TABLE a (id INTEGER PRIMARY KEY)
-- ormc:step notx -- an index on b, which the first run lacks
CREATE INDEX CONCURRENTLY b_idx ON b (id)
-- ormc:step notx -- the setting holds
DO $$ BEGIN IF current_setting('lock_timeout') <> '1234ms' THEN RAISE EXCEPTION 'lock_timeout is %', current_setting('lock_timeout'); END IF; END $$
`})
	_, err := migrate.Apply(ctx, db, fsys, migrate.Options{})
	var se *migrate.StepError
	if !errors.As(err, &se) || se.Step != 3 || se.Committed != 2 {
		t.Fatalf("first Apply: %v, want step 3 failed, 2 committed", err)
	}
	if _, err := db.Exec(ctx, "CREATE TABLE b (id INTEGER)"); err != nil {
		t.Fatal(err)
	}
	if got, err := migrate.Apply(ctx, db, fsys, migrate.Options{}); err != nil || len(got) != 1 {
		t.Fatalf("resumed Apply: %v, %v", got, err)
	}
}

// TestCancelReleasesLock: an Apply whose context ends during a long step
// fails with the context's error, and leaves the lock free: another
// process applies the directory at once (prisma#12999 kept it held).
func TestCancelReleasesLock(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		t.Parallel()
		ctx := context.Background()
		slow := migration{id: "0002_slow", steps: "-- ormc:step -- a long statement\nSELECT 1\n", by: map[string]string{
			dialect.Postgres.Name(): "-- ormc:step -- a long statement\nSELECT pg_sleep(10)\n",
			dialect.MySQL.Name():    "-- ormc:step -- a long statement\nDO SLEEP(10)\n",
			dialect.SQLite.Name():   "-- ormc:step -- a long statement\nWITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 1000000000) SELECT count(*) FROM c\n",
		}}
		fsys := dir(t, createNote, slow)
		// The ledger and 0001 first, with no deadline: DDL on a
		// distributed engine (TiDB runs one DDL job at a time for the
		// whole cluster) can take longer than the half second below.
		if _, err := migrate.Apply(ctx, open(t, url), dir(t, createNote), migrate.Options{}); err != nil {
			t.Fatal(err)
		}
		short, cancel := context.WithTimeout(ctx, 500*time.Millisecond)
		defer cancel()
		_, err := migrate.Apply(short, open(t, url), fsys, migrate.Options{})
		var se *migrate.StepError
		if !errors.As(err, &se) || !errors.Is(err, context.DeadlineExceeded) || se.Migration != "0002_slow" {
			t.Fatalf("Apply cancelled during a step: %v, want a StepError of 0002_slow wrapping DeadlineExceeded", err)
		}
		// Another process takes the lock at once and finds 0001 applied.
		next, cancel2 := context.WithTimeout(ctx, 3*time.Second)
		defer cancel2()
		fsys1 := dir(t, createNote)
		start := time.Now()
		got, err := migrate.Apply(next, open(t, url), fsys1, migrate.Options{})
		if err != nil || len(got) != 0 {
			t.Fatalf("Apply after the cancelled one: %v, %v", got, err)
		}
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("the next Apply took %v", d)
		}
	})
}
