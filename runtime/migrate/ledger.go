package migrate

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/ormc/ormc/runtime"
	"github.com/ormc/ormc/runtime/dialect"
)

// LedgerTable is the table in which the applier records migrations.
const LedgerTable = "ormc_migrations"

// entry is one row of the ledger.
type entry struct {
	Version, Name, Checksum string
	StepsDone, TotalSteps   int
	StartedAt, FinishedAt   sql.NullTime
}

func (e *entry) finished() bool { return e.FinishedAt.Valid }

// createLedger creates the ledger table when it does not exist.
func createLedger(ctx context.Context, db *runtime.DB) error {
	d := db.Dialect()
	col := func(k dialect.Kind, n int) string { return d.ColumnType(dialect.Type{Kind: k, MaxLength: n}) }
	stmt := "CREATE TABLE IF NOT EXISTS " + dialect.Quote(d, LedgerTable) + " (" +
		"version " + col(dialect.String, 4) + " NOT NULL PRIMARY KEY, " +
		"name " + col(dialect.String, 255) + " NOT NULL, " +
		"checksum " + col(dialect.String, 64) + " NOT NULL, " +
		"steps_done " + col(dialect.Integer, 0) + " NOT NULL, " +
		"total_steps " + col(dialect.Integer, 0) + " NOT NULL, " +
		"started_at " + col(dialect.DateTime, 0) + " NOT NULL, " +
		"finished_at " + col(dialect.DateTime, 0) + " NULL)" + d.TableOptions()
	if _, err := db.Exec(ctx, stmt); err != nil {
		return fmt.Errorf("ormc: create the ledger table %s: %w", LedgerTable, err)
	}
	return nil
}

// readLedger returns the ledger's rows in order of version.
func readLedger(ctx context.Context, db *runtime.DB) ([]*entry, error) {
	d := db.Dialect()
	rows, err := db.Query(ctx, "SELECT version, name, checksum, steps_done, total_steps, started_at, finished_at FROM "+
		dialect.Quote(d, LedgerTable)+" ORDER BY version")
	if err != nil {
		return nil, fmt.Errorf("ormc: read the ledger: %w", err)
	}
	defer rows.Close()
	var out []*entry
	for rows.Next() {
		e := &entry{}
		if err := rows.Scan(&e.Version, &e.Name, &e.Checksum, &e.StepsDone, &e.TotalSteps, &e.StartedAt, &e.FinishedAt); err != nil {
			return nil, fmt.Errorf("ormc: read the ledger: %w", err)
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("ormc: read the ledger: %w", err)
	}
	return out, rows.Close()
}

// record writes that done steps of m have committed, in a row of its own
// that it creates the first time, and finished_at once they all have.
func record(ctx context.Context, db *runtime.DB, m *Migration, done int) error {
	d := db.Dialect()
	now := time.Now().UTC()
	var finished any
	if done == len(m.Steps) {
		finished = now
	}
	p := func(n int) string { return string(d.AppendPlaceholder(nil, n)) }
	table := dialect.Quote(d, LedgerTable)
	res, err := db.Exec(ctx, "UPDATE "+table+" SET steps_done = "+p(1)+", finished_at = "+p(2)+" WHERE version = "+p(3),
		done, finished, m.Version)
	if err == nil && res.RowsAffected == 0 {
		_, err = db.Exec(ctx, "INSERT INTO "+table+" (version, name, checksum, steps_done, total_steps, started_at, finished_at) VALUES ("+
			p(1)+", "+p(2)+", "+p(3)+", "+p(4)+", "+p(5)+", "+p(6)+", "+p(7)+")",
			m.Version, m.Name, m.Checksum, done, len(m.Steps), now, finished)
	}
	if err != nil {
		return fmt.Errorf("ormc: record migration %s in the ledger: %w", m.ID(), err)
	}
	return nil
}

// verify checks the ledger against the directory's migrations: every row
// has its file, with the checksum it was applied with.
func verify(ledger []*entry, migs []*Migration) error {
	byVersion := map[string]*Migration{}
	for _, m := range migs {
		byVersion[m.Version] = m
	}
	for _, e := range ledger {
		m := byVersion[e.Version]
		switch {
		case m == nil:
			return fmt.Errorf("%w: %s_%s is recorded in %s but the directory has no such migration", ErrMissingMigration, e.Version, e.Name, LedgerTable)
		case m.Name != e.Name:
			return fmt.Errorf("%w: version %s was applied as %s_%s, the directory has %s", ErrMissingMigration, e.Version, e.Version, e.Name, m.ID())
		case m.Checksum != e.Checksum:
			return fmt.Errorf("%w: %s was applied with checksum %s, its file %s now has %s (write a new migration instead of editing an applied one)",
				ErrChecksumMismatch, m.ID(), short(e.Checksum), m.File, short(m.Checksum))
		}
	}
	return nil
}

func short(sum string) string {
	if len(sum) > 12 {
		return sum[:12]
	}
	return sum
}
