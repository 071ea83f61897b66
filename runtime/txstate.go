package runtime

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
)

// ErrTxAborted is wrapped by the error of every statement, and of the
// commit, of a transaction that the database has already rolled back
// behind the caller's back, together with the error that ended it. A
// MySQL deadlock (1213), for one, rolls back the whole transaction, not
// only the statement or the savepoint in which it happened, and so does
// SQLite to the transaction of an interrupted write: were ormc to keep
// sending the transaction's statements, they would run outside any
// transaction and commit one by one. PostgreSQL refuses them by itself
// (SQLSTATE 25P02); ormc makes every database do the same. A statement
// whose context ended while it ran aborts its transaction too, on every
// database, savepoints or not (see DB.noteAbort).
//
// The error still matches the one that ended the transaction, so a
// transaction run with a RetryPolicy is retried when that error is
// retryable.
var ErrTxAborted = errors.New("ormc: transaction aborted")

// txState is what the statements of one transaction, its savepoints
// included, share.
type txState struct {
	err atomic.Pointer[error] // set once the transaction is aborted
}

// abort marks the transaction aborted by cause, unless it already is.
func (s *txState) abort(cause error) {
	err := fmt.Errorf("%w (its statements are refused until it ends): %w", ErrTxAborted, cause)
	s.err.CompareAndSwap(nil, &err)
}

// aborted returns the error wrapping ErrTxAborted, or nil while the
// transaction is alive. A nil *txState (outside a transaction) is alive.
func (s *txState) aborted() error {
	if s == nil {
		return nil
	}
	if p := s.err.Load(); p != nil {
		return *p
	}
	return nil
}

// noteAbort marks db's transaction aborted when err, met by one of its
// statements, ended the transaction on the server: the driver says so, or
// the statement's context ended while it ran. A cancelled statement ends
// its transaction on every database, whatever the savepoints: MySQL's
// connection is killed, SQLite rolls back the transaction of an
// interrupted write, and PostgreSQL refuses all but a rollback.
func (db *DB) noteAbort(ctx context.Context, err error) {
	if db.txs == nil || err == nil {
		return
	}
	if ctx.Err() != nil {
		db.txs.abort(err)
	} else if db.driver.TxAborted != nil && db.driver.TxAborted(err) {
		db.txs.abort(err)
	}
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
