package migrate

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"time"

	"github.com/ormc/ormc/runtime"
	"github.com/ormc/ormc/runtime/dialect"
)

// Options configure Apply.
type Options struct {
	// LockRetries is how many times a step that failed waiting for a
	// table lock (PostgreSQL's lock_timeout, which the plan sets) is run
	// again, after RetryWait, doubling each time; 0 means 3, a negative
	// number none.
	LockRetries int
	RetryWait   time.Duration // 0 means 1s
	// Progress, when not nil, is told of each migration as it starts
	// and each step as it commits.
	Progress func(Event)
}

// Event is a step of Apply's progress: a migration starting (Step 0) or
// a step done.
type Event struct {
	Migration   string
	Step, Total int
	Description string
}

func (o Options) retries() int {
	switch {
	case o.LockRetries == 0:
		return 3
	case o.LockRetries < 0:
		return 0
	}
	return o.LockRetries
}

func (o Options) wait() time.Duration {
	if o.RetryWait <= 0 {
		return time.Second
	}
	return o.RetryWait
}

// Apply applies the pending migrations of the directory at the root of
// fsys to db, in order, and returns the ids of those it applied (none
// when the database is up to date). It takes the migration lock first
// (waiting for it until ctx ends: a process migrating the same database
// holds it), reads the ledger under it, and refuses before running
// anything when a migration the ledger records has changed or is missing,
// or when ormc.sum does not match the directory. A migration that an
// earlier run left unfinished resumes at its first step not committed.
// A failed step gives a *StepError; a pre-check that finds rows a
// *PrecheckError.
func Apply(ctx context.Context, db *runtime.DB, fsys fs.FS, opts Options) ([]string, error) {
	d := db.Dialect()
	ss, ok := sessions[d.Name()]
	if !ok {
		return nil, fmt.Errorf("%w: migrations on %s", runtime.ErrUnsupported, d.Name())
	}
	if db.InTx() {
		// Its steps commit on their own, notx steps cannot run in it,
		// and the lock must outlive each migration's transaction.
		return nil, fmt.Errorf("%w: migrations inside a transaction", runtime.ErrUnsupported)
	}
	migs, err := Read(fsys, d)
	if err != nil {
		return nil, err
	}
	if !d.AdvisoryLocks() {
		for _, m := range migs {
			if err := framed(m); err != nil {
				return nil, err
			}
		}
	}
	a := &applier{d: d, ss: ss, migs: migs, opts: opts}
	// Where the session holds a lock, it ends with the run, so that
	// neither the lock nor a setting a step made outlives it.
	err = db.Session(ctx, func(s *runtime.DB) error { return a.run(ctx, s) }, runtime.SessionOptions{Discard: d.AdvisoryLocks()})
	return a.applied, err
}

type applier struct {
	d       dialect.Dialect
	ss      session
	migs    []*Migration
	opts    Options
	applied []string
}

func (a *applier) run(ctx context.Context, s *runtime.DB) (err error) {
	if a.d.AdvisoryLocks() {
		if err := a.ss.lock(ctx, s); err != nil {
			return err
		}
		defer func() {
			if rerr := a.ss.release(ctx, s); rerr != nil && err == nil {
				err = rerr
			}
		}()
	}
	if err := a.ss.whileBusy(ctx, func() error { return createLedger(ctx, s) }); err != nil {
		return err
	}
	// Read under the lock: another process may have applied some since
	// this one decided to migrate. (SQLite reads it again in each
	// migration's transaction, which is its lock.)
	ledger, err := readLedger(ctx, s)
	if err != nil {
		return err
	}
	if err := verify(ledger, a.migs); err != nil {
		return err
	}
	done := map[string]int{}
	for _, e := range ledger {
		done[e.Version] = e.StepsDone
		if e.finished() {
			done[e.Version] = -1
		}
	}
	for _, m := range a.migs {
		k, seen := done[m.Version]
		if seen && k < 0 {
			continue
		}
		if err := a.migrate(ctx, s, m, k); err != nil {
			return err
		}
	}
	return nil
}

// migrate runs the steps of m after the first k, which have committed.
func (a *applier) migrate(ctx context.Context, s *runtime.DB, m *Migration, k int) error {
	if !a.d.AdvisoryLocks() {
		return a.migrateInLockTx(ctx, s, m)
	}
	a.progress(Event{Migration: m.ID(), Total: len(m.Steps)})
	if err := a.prechecks(ctx, s, m, k); err != nil {
		return err
	}
	if err := a.resettle(ctx, s, m, k); err != nil {
		return err
	}
	if !a.d.TransactionalDDL() {
		// Each statement commits on its own: record each as it does.
		for _, st := range m.Steps[k:] {
			err := a.retry(ctx, func() error {
				if !st.Check {
					if _, err := s.Exec(ctx, dialect.AdaptDDL(a.d, st.SQL)); err != nil {
						return err
					}
				}
				return record(ctx, s, m, st.Number)
			})
			if err != nil {
				return a.stepError(m, st, st.Number-1, err)
			}
			a.progress(Event{Migration: m.ID(), Step: st.Number, Total: len(m.Steps), Description: st.Description})
		}
		a.applied = append(a.applied, m.ID())
		return nil
	}
	// Consecutive transactional steps commit together with the ledger; a
	// notx step runs alone, then is recorded.
	for i := k; i < len(m.Steps); {
		j := i + 1
		if !m.Steps[i].NoTx {
			for j < len(m.Steps) && !m.Steps[j].NoTx {
				j++
			}
		}
		seg := m.Steps[i:j]
		failed := &seg[0]
		err := a.retry(ctx, func() error {
			if seg[0].NoTx {
				if _, err := s.Exec(ctx, dialect.AdaptDDL(a.d, seg[0].SQL)); err != nil {
					return err
				}
				return record(ctx, s, m, j)
			}
			return s.Tx(ctx, func(tx *runtime.DB) error {
				for n := range seg {
					failed = &seg[n]
					if seg[n].Check {
						continue
					}
					if _, err := tx.Exec(ctx, dialect.AdaptDDL(a.d, seg[n].SQL)); err != nil {
						return err
					}
				}
				failed = &seg[len(seg)-1]
				return record(ctx, tx, m, j)
			})
		})
		if err != nil {
			return a.stepError(m, *failed, i, err)
		}
		for _, st := range seg {
			a.progress(Event{Migration: m.ID(), Step: st.Number, Total: len(m.Steps), Description: st.Description})
		}
		i = j
	}
	a.applied = append(a.applied, m.ID())
	return nil
}

// resettle runs again, before a migration resumes at step k+1 on a new
// session, the steps before it that set the session (SQL beginning with
// SET, such as the plan's lock_timeout): committed steps are not
// repeated, but a setting lasts only as long as the session that made it.
func (a *applier) resettle(ctx context.Context, s *runtime.DB, m *Migration, k int) error {
	for _, st := range m.Steps[:k] {
		if !isSetting(st.SQL) {
			continue
		}
		if _, err := s.Exec(ctx, dialect.AdaptDDL(a.d, st.SQL)); err != nil {
			return &StepError{Migration: m.ID(), Step: st.Number, Total: len(m.Steps), Committed: k, Description: st.Description, Err: err}
		}
	}
	return nil
}

// isSetting reports whether a step sets the session: SET and a space.
func isSetting(sql string) bool {
	return len(sql) > 4 && strings.EqualFold(sql[:4], "SET ")
}

// retry runs fn, again after a wait when it failed waiting for a lock.
func (a *applier) retry(ctx context.Context, fn func() error) error {
	wait := a.opts.wait()
	for n := 0; ; n++ {
		err := fn()
		if err == nil || a.ss.lockTimedOut == nil || !a.ss.lockTimedOut(err) || n >= a.opts.retries() {
			if err != nil && n > 0 {
				err = fmt.Errorf("%w (after %d tries)", err, n+1)
			}
			return err
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return errors.Join(err, ctx.Err())
		case <-t.C:
		}
		wait *= 2
	}
}

func (a *applier) stepError(m *Migration, st Step, committed int, err error) error {
	var pe *PrecheckError
	if errors.As(err, &pe) {
		return err
	}
	return &StepError{Migration: m.ID(), Step: st.Number, Total: len(m.Steps), Committed: committed, Description: st.Description, Err: err}
}

func (a *applier) progress(e Event) {
	if a.opts.Progress != nil {
		a.opts.Progress(e)
	}
}

// prechecks runs the check steps of m after the first k: each must
// return no rows.
func (a *applier) prechecks(ctx context.Context, q *runtime.DB, m *Migration, k int) error {
	for _, st := range m.Steps[k:] {
		if !st.Check {
			continue
		}
		if err := precheck(ctx, q, m, st); err != nil {
			return err
		}
	}
	return nil
}

func precheck(ctx context.Context, q *runtime.DB, m *Migration, st Step) error {
	fail := func(err error) error {
		return &StepError{Migration: m.ID(), Step: st.Number, Total: len(m.Steps), Description: st.Description, Err: err}
	}
	rows, err := q.Query(ctx, st.SQL)
	if err != nil {
		return fail(err)
	}
	defer rows.Close()
	pe := &PrecheckError{Migration: m.ID(), Step: st.Number, Description: st.Description}
	for rows.Next() {
		pe.Rows++
		if pe.Rows > maxPrecheckRows {
			continue
		}
		if pe.Columns == nil {
			if pe.Columns, err = columns(rows); err != nil {
				return fail(err)
			}
		}
		vals := make([]any, len(pe.Columns))
		dest := make([]any, len(vals))
		for i := range vals {
			dest[i] = &vals[i]
		}
		if err := rows.Scan(dest...); err != nil {
			return fail(err)
		}
		pe.First = append(pe.First, texts(vals))
	}
	if err := rows.Err(); err != nil {
		return fail(err)
	}
	if pe.Rows > 0 {
		return pe
	}
	return rows.Close()
}

func columns(rows runtime.Rows) ([]string, error) {
	c, ok := rows.(runtime.ColumnRows)
	if !ok {
		return nil, fmt.Errorf("%w: the driver does not name a result's columns", runtime.ErrUnsupported)
	}
	return c.Columns()
}

// texts writes scanned values as text: NULL, a text column's bytes as
// they are, anything else as fmt prints it.
func texts(vals []any) []string {
	out := make([]string, len(vals))
	for i, v := range vals {
		switch v := v.(type) {
		case nil:
			out[i] = "NULL"
		case []byte:
			out[i] = string(v)
		default:
			out[i] = fmt.Sprint(v)
		}
	}
	return out
}
