package migrate

import (
	"context"
	"fmt"
	"io/fs"
	"time"

	"github.com/ormc/ormc/runtime"
	"github.com/ormc/ormc/runtime/inspect"
)

// State is where a migration stands on a database.
type State string

const (
	Applied State = "applied"
	Pending State = "pending"
	// Partial: some steps committed, the run stopped (MySQL, or a
	// PostgreSQL notx step); the next Apply resumes it.
	Partial State = "partial"
	// Changed: applied, and its file changed since; Apply refuses.
	Changed State = "changed"
	// Missing: recorded in the ledger, not in the directory; Apply
	// refuses.
	Missing State = "missing"
)

// MigrationStatus is one migration of the directory or the ledger.
type MigrationStatus struct {
	ID                string
	State             State
	StepsDone, Total  int
	Started, Finished time.Time // zero when not recorded
}

// Status returns every migration of the directory at the root of fsys,
// then those only the ledger has, with where each stands on db. It takes
// no lock and writes nothing: a database without a ledger has every
// migration pending.
func Status(ctx context.Context, db *runtime.DB, fsys fs.FS) ([]MigrationStatus, error) {
	migs, err := Read(fsys, db.Dialect())
	if err != nil {
		return nil, err
	}
	ledger, err := readLedgerIfAny(ctx, db)
	if err != nil {
		return nil, err
	}
	byVersion := map[string]*entry{}
	for _, e := range ledger {
		byVersion[e.Version] = e
	}
	var out []MigrationStatus
	for _, m := range migs {
		st := MigrationStatus{ID: m.ID(), State: Pending, Total: len(m.Steps)}
		if e := byVersion[m.Version]; e != nil {
			delete(byVersion, m.Version)
			st.StepsDone, st.Started, st.Finished = e.StepsDone, e.StartedAt.Time, e.FinishedAt.Time
			switch {
			case e.Name != m.Name:
				out = append(out, MigrationStatus{ID: e.Version + "_" + e.Name, State: Missing, StepsDone: e.StepsDone, Total: e.TotalSteps,
					Started: e.StartedAt.Time, Finished: e.FinishedAt.Time})
				st = MigrationStatus{ID: m.ID(), State: Pending, Total: len(m.Steps)}
			case e.Checksum != m.Checksum:
				st.State = Changed
			case e.finished():
				st.State = Applied
			default:
				st.State = Partial
			}
		}
		out = append(out, st)
	}
	for _, e := range ledger {
		if byVersion[e.Version] != nil {
			out = append(out, MigrationStatus{ID: e.Version + "_" + e.Name, State: Missing, StepsDone: e.StepsDone, Total: e.TotalSteps,
				Started: e.StartedAt.Time, Finished: e.FinishedAt.Time})
		}
	}
	return out, nil
}

// readLedgerIfAny reads the ledger, or returns nothing when the database
// has no ledger table.
func readLedgerIfAny(ctx context.Context, db *runtime.DB) ([]*entry, error) {
	s, err := inspect.Inspect(ctx, db, inspect.Options{Tables: []string{LedgerTable}})
	if err != nil {
		return nil, err
	}
	if s.Table(LedgerTable) == nil {
		return nil, nil
	}
	return readLedger(ctx, db)
}

// Baseline records, on a database whose tables were made otherwise (by
// CreateTables, by hand, or read with ormc pull), that the migrations of
// the directory up to version (the newest when "") are applied, without
// running them: Apply then runs only those after. It refuses, with an
// error wrapping ErrBaseline, a database whose ledger records any
// migration. Whether the database matches that version's snapshot is for
// the caller to check (ormc migrate baseline does, with ormc diff's
// comparison). It returns the ids it recorded.
func Baseline(ctx context.Context, db *runtime.DB, fsys fs.FS, version string) ([]string, error) {
	migs, err := Read(fsys, db.Dialect())
	if err != nil {
		return nil, err
	}
	n := len(migs)
	if version != "" {
		n = -1
		for i, m := range migs {
			if m.Version == version || m.ID() == version {
				n = i + 1
			}
		}
		if n < 0 {
			return nil, fmt.Errorf("%w: the directory has no migration %s", ErrBaseline, version)
		}
	}
	var ids []string
	err = locked(ctx, db, func(q *runtime.DB) error {
		ledger, err := readLedger(ctx, q)
		if err != nil {
			return err
		}
		if len(ledger) > 0 {
			return fmt.Errorf("%w: the ledger already records %d migrations, the last %s_%s (ormc migrate status)",
				ErrBaseline, len(ledger), ledger[len(ledger)-1].Version, ledger[len(ledger)-1].Name)
		}
		for _, m := range migs[:n] {
			if err := record(ctx, q, m, len(m.Steps)); err != nil {
				return err
			}
			ids = append(ids, m.ID())
		}
		return nil
	})
	return ids, err
}

// locked runs fn holding the migration lock, with the ledger table
// created: on a session holding the advisory lock, or in a transaction
// that is the lock (SQLite).
func locked(ctx context.Context, db *runtime.DB, fn func(q *runtime.DB) error) error {
	d := db.Dialect()
	ss, ok := sessions[d.Name()]
	if !ok {
		return fmt.Errorf("%w: migrations on %s", runtime.ErrUnsupported, d.Name())
	}
	if db.InTx() {
		return fmt.Errorf("%w: migrations inside a transaction", runtime.ErrUnsupported)
	}
	return db.Session(ctx, func(s *runtime.DB) (err error) {
		if d.AdvisoryLocks() {
			if err := ss.lock(ctx, s); err != nil {
				return err
			}
			defer func() {
				if rerr := ss.release(ctx, s); rerr != nil && err == nil {
					err = rerr
				}
			}()
		}
		if err := ss.whileBusy(ctx, func() error { return createLedger(ctx, s) }); err != nil {
			return err
		}
		if d.AdvisoryLocks() {
			return fn(s)
		}
		// Only BEGIN is tried again: once fn ran, its error is the
		// outcome.
		var ferr error
		err = ss.whileBusy(ctx, func() error {
			began := false
			err := s.Tx(ctx, func(tx *runtime.DB) error { began = true; return fn(tx) })
			if began {
				ferr = err
				return nil
			}
			return err
		})
		if err != nil {
			return err
		}
		return ferr
	}, runtime.SessionOptions{Discard: d.AdvisoryLocks()})
}
