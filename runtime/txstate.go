package runtime

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
)

// ErrTxAborted is wrapped by the error of every statement, and of the
// commit, of a transaction that can no longer commit what it has done,
// together with the error that aborted it; the statement that aborted it
// wraps it too when the database ended the transaction outright.
//
// A MySQL deadlock (1213), for one, rolls back the whole transaction, not
// only the statement or the savepoint in which it happened, and so does
// SQLite to the transaction of an interrupted write: were ormc to keep
// sending the transaction's statements, they would run outside any
// transaction and commit one by one. A statement whose context ended
// while it ran aborts its transaction too, on every database, savepoints
// or not (see DB.noteAbort). Nothing but the end of the transaction
// clears those.
//
// PostgreSQL aborts a transaction on any failed statement: it refuses
// every later one (SQLSTATE 25P02) until the transaction ends or rolls
// back to a savepoint made before the failure, and turns the commit into
// a rollback. ormc refuses them itself, wrapping the first failure, so
// that a function that swallows an error, a serialization failure say,
// and returns nil makes Tx fail with an error that matches the failure
// (and is retried when it is retryable) instead of a bare "commit
// unexpectedly resulted in rollback". A Tx nested in the failed
// transaction rolls back to its savepoint, which ends the abort, and
// returns the error. MySQL and SQLite roll back only a failed statement
// that did not end the transaction, and the transaction goes on.
//
// The error still matches the one that aborted the transaction, so a
// transaction run with a RetryPolicy is retried when that error is
// retryable.
var ErrTxAborted = errors.New("ormc: transaction aborted")

// txState is what the statements of one transaction, its savepoints
// included, share. It is safe for concurrent use, though a transaction
// is not.
type txState struct {
	// ended is set once the database has rolled back the whole
	// transaction: for good.
	ended atomic.Pointer[error]
	// failed is set once a statement has failed in a transaction the
	// database then refuses statements in (PostgreSQL), until a rollback
	// to a savepoint clears it.
	failed atomic.Pointer[error]
}

// abort marks the transaction ended by cause, unless it already is, and
// returns the error wrapping ErrTxAborted.
func (s *txState) abort(cause error) error {
	err := fmt.Errorf("%w (its statements are refused until it ends): %w", ErrTxAborted, cause)
	if !s.ended.CompareAndSwap(nil, &err) {
		return *s.ended.Load()
	}
	return err
}

// fail marks the transaction failed by cause, unless it already is.
func (s *txState) fail(cause error) {
	err := fmt.Errorf("%w (its statements are refused until it rolls back, or back to a savepoint): %w", ErrTxAborted, cause)
	s.failed.CompareAndSwap(nil, &err)
}

// recovered clears the failure, after a rollback to a savepoint made
// before it.
func (s *txState) recovered() { s.failed.Store(nil) }

// aborted returns the error wrapping ErrTxAborted, or nil while the
// transaction can run statements. A nil *txState (outside a transaction)
// can.
func (s *txState) aborted() error {
	if err := s.gone(); err != nil {
		return err
	}
	if s != nil {
		if p := s.failed.Load(); p != nil {
			return *p
		}
	}
	return nil
}

// gone returns the error wrapping ErrTxAborted when the database has
// rolled back the whole transaction, or nil.
func (s *txState) gone() error {
	if s == nil {
		return nil
	}
	if p := s.ended.Load(); p != nil {
		return *p
	}
	return nil
}

// noteAbort records what err, met by one of db's statements inside a
// transaction, did to the transaction, and returns the error the
// statement reports: err, or, when the statement ended the whole
// transaction, err wrapped with ErrTxAborted.
//
// The transaction has ended when the driver says so, or when the
// statement's context ended while it ran: a cancelled statement ends its
// transaction on every database, whatever the savepoints: MySQL's
// connection is killed, SQLite rolls back the transaction of an
// interrupted write, and PostgreSQL's session is ended. It has failed,
// until a rollback to a savepoint, when the driver says any failed
// statement fails the transaction (see Driver.TxFailed).
func (db *DB) noteAbort(ctx context.Context, err error) error {
	if db.txs == nil || err == nil {
		return err
	}
	switch {
	case ctx.Err() != nil, db.driver.TxAborted != nil && db.driver.TxAborted(err):
		return db.txs.abort(err)
	case db.driver.TxFailed != nil && db.driver.TxFailed(err):
		db.txs.fail(err)
	}
	return err
}

// ---------------------------------------------------------------------------
// Panics

// rescuePanic is deferred by the calls that reach the driver or run the
// caller's function: a panic whose message shows one of the URL's
// secrets goes on as a *PanicError with the secrets hidden. Other panics
// go on unchanged.
func (db *DB) rescuePanic() {
	if p := recover(); p != nil {
		panic(db.hidePanic(p))
	}
}

// hidePanic returns p, or a *PanicError wrapping it when its message shows
// a secret.
func (db *DB) hidePanic(p any) any {
	if len(db.secrets) == 0 {
		return p
	}
	if pe, ok := p.(*PanicError); ok && pe.msg == hideSecrets(pe.msg, db.secrets) {
		return p // hidden already, by a call nested in this one
	}
	msg := fmt.Sprint(p)
	clean := hideSecrets(msg, db.secrets)
	if clean == msg {
		return p
	}
	return &PanicError{Value: p, msg: clean}
}

// PanicError is the value a panic raised under a DB call goes on with when
// its message showed the password of the database URL: its Error method
// shows the message with the password replaced by "xxxxx".
//
// Value is the original panic value, kept for programs that recover it on
// purpose; like Unwrap, it shows the password, so never print it.
type PanicError struct {
	Value any
	msg   string
}

func (e *PanicError) Error() string { return "ormc: panic: " + e.msg }

// Unwrap returns the original panic value when it is an error.
func (e *PanicError) Unwrap() error {
	err, _ := e.Value.(error)
	return err
}
