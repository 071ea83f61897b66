package migrate

import (
	"errors"
	"fmt"
	"strings"
)

var (
	// ErrFormat is wrapped by the error of a migration directory or file
	// that does not follow the format of docs/migrations.md.
	ErrFormat = errors.New("ormc: malformed migration directory")
	// ErrSumMismatch is wrapped by the error of a directory whose
	// ormc.sum does not match its files: a file was edited, added or
	// removed after the planner wrote it, or two branches' migrations
	// were merged without ormc migrate rebase.
	ErrSumMismatch = errors.New("ormc: migration directory does not match ormc.sum")
	// ErrChecksumMismatch is wrapped by the error of a migration applied
	// to the database whose file has changed since.
	ErrChecksumMismatch = errors.New("ormc: applied migration changed")
	// ErrMissingMigration is wrapped by the error of a migration the
	// ledger records as applied that the directory no longer has.
	ErrMissingMigration = errors.New("ormc: applied migration missing from the directory")
	// ErrLocked is wrapped, with the context's error, by the error of an
	// Apply whose context ended while another process held the
	// migration lock.
	ErrLocked = errors.New("ormc: migration lock held by another process")
	// ErrPrecheck is matched by a *PrecheckError.
	ErrPrecheck = errors.New("ormc: migration pre-check failed")
	// ErrBaseline is wrapped by the error of a Baseline on a database
	// whose ledger already records migrations.
	ErrBaseline = errors.New("ormc: cannot baseline")
)

// StepError is the error of a migration step that failed. Committed says
// how many of the migration's steps are in the database (and recorded in
// the ledger): the next Apply resumes after them.
type StepError struct {
	Migration   string // the migration's id, NNNN_name
	Step        int    // 1-based
	Total       int
	Committed   int
	Description string // the step's, "" when it has none
	Err         error
}

func (e *StepError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "ormc: migration %s: step %d of %d failed; %d committed", e.Migration, e.Step, e.Total, e.Committed)
	if e.Description != "" {
		fmt.Fprintf(&b, " (%s)", e.Description)
	}
	fmt.Fprintf(&b, ": %v", e.Err)
	return b.String()
}

func (e *StepError) Unwrap() error { return e.Err }

// PrecheckError is the error of a migration whose pre-check query (a
// check step) returned rows: the data would make its DDL fail or lose
// something. Nothing of the migration ran.
type PrecheckError struct {
	Migration   string // the migration's id
	Step        int
	Description string
	// Rows is the number of rows the query returned (as many as its own
	// LIMIT lets it); First holds the first few, each value as text, in
	// the order of Columns, the query's (the keys of the offending rows).
	Rows    int
	Columns []string
	First   [][]string
}

// maxPrecheckRows is how many offending rows a PrecheckError keeps.
const maxPrecheckRows = 5

func (e *PrecheckError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "ormc: migration %s: pre-check (step %d", e.Migration, e.Step)
	if e.Description != "" {
		fmt.Fprintf(&b, ", %s", e.Description)
	}
	fmt.Fprintf(&b, ") found %d offending row", e.Rows)
	if e.Rows != 1 {
		b.WriteString("s")
	}
	if len(e.First) > 0 {
		b.WriteString(", first ")
		for i, r := range e.First {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString("(")
			for j, v := range r {
				if j > 0 {
					b.WriteString(", ")
				}
				if j < len(e.Columns) {
					b.WriteString(e.Columns[j] + "=")
				}
				b.WriteString(v)
			}
			b.WriteString(")")
		}
	}
	b.WriteString("; nothing of the migration ran")
	return b.String()
}

func (e *PrecheckError) Is(target error) bool { return target == ErrPrecheck }
