package migrate

import (
	"context"
	"fmt"
	"time"

	"github.com/ormc/ormc/runtime"
)

// Where the database has no advisory lock (SQLite), a migration's
// transaction is the lock: BEGIN IMMEDIATE takes the file's write lock,
// and the ledger is read again inside it. Its notx steps can therefore
// only frame that transaction: those before it (PRAGMA foreign_keys =
// OFF, which SQLite ignores inside a transaction) run before BEGIN, and
// those after it (PRAGMA foreign_keys = ON) after COMMIT, and always,
// whether the transaction committed, failed or found the migration
// applied by another process, so that the connection is left as it was
// found. The ledger records such a migration whole or not at all.

// frame splits m's steps into the notx steps before the first
// transactional one, the transactional ones, and the notx steps after
// them; a notx step between two transactional ones is an error.
func frame(m *Migration) (lead, body, trail []Step, err error) {
	i := 0
	for i < len(m.Steps) && m.Steps[i].NoTx {
		i++
	}
	j := len(m.Steps)
	for j > i && m.Steps[j-1].NoTx {
		j--
	}
	for _, st := range m.Steps[i:j] {
		if st.NoTx {
			return nil, nil, nil, fmt.Errorf("%w: %s: step %d is notx between transactional steps, which this database runs in one transaction, its migration lock",
				ErrFormat, m.File, st.Number)
		}
	}
	return m.Steps[:i], m.Steps[i:j], m.Steps[j:], nil
}

func framed(m *Migration) error {
	_, _, _, err := frame(m)
	return err
}

func (a *applier) migrateInLockTx(ctx context.Context, s *runtime.DB, m *Migration) (err error) {
	lead, body, trail, err := frame(m)
	if err != nil {
		return err
	}
	total := len(m.Steps)
	// The steps after the transaction run whatever happened before them.
	defer func() {
		// Even when ctx has ended: the connection goes back to the pool.
		restore, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		for _, st := range trail {
			if _, terr := s.Exec(restore, st.SQL); terr != nil && err == nil {
				err = &StepError{Migration: m.ID(), Step: st.Number, Total: total, Committed: total, Description: st.Description, Err: terr}
			}
		}
	}()
	for _, st := range lead {
		if _, err := s.Exec(ctx, st.SQL); err != nil {
			return &StepError{Migration: m.ID(), Step: st.Number, Total: total, Description: st.Description, Err: err}
		}
	}
	var failed *Step
	applied := false
	began := false
	txn := func(tx *runtime.DB) error {
		began = true
		ledger, err := readLedger(ctx, tx)
		if err != nil {
			return err
		}
		if err := verify(ledger, a.migs); err != nil {
			return err
		}
		for _, e := range ledger {
			if e.Version == m.Version && e.finished() {
				return nil // applied by another process meanwhile
			}
		}
		a.progress(Event{Migration: m.ID(), Total: total})
		if err := a.prechecks(ctx, tx, m, 0); err != nil {
			return err
		}
		for n := range body {
			failed = &body[n]
			if body[n].Check {
				continue
			}
			if _, err := tx.Exec(ctx, body[n].SQL); err != nil {
				return err
			}
		}
		failed = nil
		applied = true
		return record(ctx, tx, m, total)
	}
	// BEGIN IMMEDIATE waits for the write lock as long as the busy
	// timeout; another process may hold it longer, migrating.
	for {
		err = s.Tx(ctx, txn)
		if err == nil || began || a.ss.busy == nil || !a.ss.busy(err) || ctx.Err() != nil {
			break
		}
	}
	if err != nil && !began && ctx.Err() != nil {
		return fmt.Errorf("%w: %w", ErrLocked, err)
	}
	if err != nil {
		if failed == nil {
			return err
		}
		return a.stepError(m, *failed, 0, err)
	}
	if applied {
		for _, st := range m.Steps {
			a.progress(Event{Migration: m.ID(), Step: st.Number, Total: total, Description: st.Description})
		}
		a.applied = append(a.applied, m.ID())
	}
	return nil
}
