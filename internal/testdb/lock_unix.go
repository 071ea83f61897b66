//go:build unix

package testdb

import (
	"errors"
	"os"
	"syscall"
)

// tryLock takes an exclusive flock on the file at path, creating it,
// without waiting: ok is false when another open file holds it, in this
// process or another. release frees it.
func tryLock(path string) (release func(), ok bool, err error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o666)
	if err != nil {
		return nil, false, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, false, nil
		}
		return nil, false, err
	}
	// Closing the file releases the lock.
	return func() { f.Close() }, true, nil
}
