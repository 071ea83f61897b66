package runtime

import (
	"fmt"
	"strings"

	"github.com/ormc/ormc/runtime/dialect"
)

// Row locks: Query.Lock makes the SELECT of All, Get, First, Iter and
// Page lock the rows it returns until the transaction ends (FOR UPDATE,
// FOR SHARE), as a job queue or a read-modify-write needs. The clause is
// the dialect's (dialect.Dialect.LockClause); SQLite, which has no row
// locks, writes none, since its write transactions exclude each other.

// LockMode is how Query.Lock locks the rows a query returns: ForUpdate
// or ForShare, optionally with SkipLocked or NoWait, combined with |.
type LockMode uint8

const (
	// ForUpdate locks the rows exclusively, as an UPDATE of them would:
	// another transaction's ForUpdate, ForShare or write of them waits
	// until this transaction ends.
	ForUpdate LockMode = 1 << iota
	// ForShare locks the rows against writes: other transactions may
	// read and share-lock them, but not update, delete or lock them
	// ForUpdate, until this transaction ends.
	ForShare
	// SkipLocked leaves out the rows another transaction has locked,
	// instead of waiting for them: with Limit, each of several workers
	// takes rows no other is working on.
	SkipLocked
	// NoWait makes the query fail at once, instead of waiting, when a
	// row it would return is locked by another transaction.
	NoWait

	lockModes = ForUpdate | ForShare | SkipLocked | NoWait
)

// String returns the mode as Go writes it, "ForUpdate|SkipLocked".
func (m LockMode) String() string {
	if m == 0 {
		return "0"
	}
	var parts []string
	for i, name := range []string{"ForUpdate", "ForShare", "SkipLocked", "NoWait"} {
		if m&(1<<i) != 0 {
			parts = append(parts, name)
		}
	}
	if rest := m &^ lockModes; rest != 0 {
		parts = append(parts, fmt.Sprintf("LockMode(%#x)", uint8(rest)))
	}
	return strings.Join(parts, "|")
}

// rowLock returns the dialect's lock for m, or an error wrapping
// ErrInvalidQuery for a combination that is no lock.
func (m LockMode) rowLock() (dialect.RowLock, error) {
	bad := func(why string) (dialect.RowLock, error) {
		return dialect.RowLock{}, fmt.Errorf("%w: Lock(%v): %s", ErrInvalidQuery, m, why)
	}
	switch {
	case m&^lockModes != 0:
		return bad("unknown lock mode")
	case m&ForUpdate != 0 && m&ForShare != 0:
		return bad("a lock is ForUpdate or ForShare, not both")
	case m&(ForUpdate|ForShare) == 0:
		return bad("say ForUpdate or ForShare, with SkipLocked or NoWait if need be")
	case m&SkipLocked != 0 && m&NoWait != 0:
		return bad("SkipLocked and NoWait exclude each other")
	}
	l := dialect.RowLock{Share: m&ForShare != 0}
	switch {
	case m&SkipLocked != 0:
		l.Wait = dialect.SkipLocked
	case m&NoWait != 0:
		l.Wait = dialect.NoWait
	}
	return l, nil
}

// Lock returns the query locking the rows it returns as mode says, until
// the transaction it runs in ends; Lock(0) removes the lock. An invalid
// mode makes the query fail with ErrInvalidQuery when it runs.
func (q query) Lock(mode LockMode) query {
	if mode == 0 {
		q.lock = 0
		return q
	}
	if _, err := mode.rowLock(); err != nil {
		return q.fail(err)
	}
	q.lock = mode
	return q
}

// checkLock returns an error wrapping ErrInvalidQuery when the query
// locks rows outside a transaction, where the lock would end with the
// statement, before anything could be done with the rows.
func (q query) checkLock() error {
	if q.lock == 0 || q.db.tx != nil {
		return nil
	}
	return fmt.Errorf("%w: Lock(%v) outside a transaction: the lock would end with the statement; run the query in Tx", ErrInvalidQuery, q.lock)
}

// lockClause writes the query's lock clause, if any, at the end of its
// SELECT.
func (q query) lockClause(b *builder) {
	if q.lock == 0 {
		return
	}
	l, err := q.lock.rowLock()
	if p, ok := b.d.(dialect.Profile); ok && err == nil && l.Wait == dialect.SkipLocked && !p.SkipsLocked() {
		// SKIP LOCKED that skips nothing would hand two workers the same
		// rows (TiDB).
		err = fmt.Errorf("%w: Lock(%v): %s does not skip locked rows", ErrUnsupported, q.lock, p.Engine())
	}
	if err == nil && l.Share {
		// An engine without shared row locks (TiDB) refuses them; one
		// may have them but not skip or refuse to wait (Vitess over
		// MariaDB).
		if p, ok := b.d.(dialect.Profile); ok && !p.ShareLocks() {
			err = fmt.Errorf("%w: Lock(%v): %s takes no shared row locks", ErrUnsupported, q.lock, p.Engine())
		} else if ok && l.Wait != dialect.WaitForLock && !p.ShareLockWaits() {
			err = fmt.Errorf("%w: Lock(%v): %s cannot skip or refuse to wait for shared row locks", ErrUnsupported, q.lock, p.Engine())
		}
	}
	if err != nil {
		if b.err == nil {
			b.err = err
		}
		return
	}
	b.write(b.d.LockClause(l, "t0"))
}
