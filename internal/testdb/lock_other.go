//go:build !unix

package testdb

import (
	"sync"
)

// held are the lock files this process holds, where there is no flock:
// the Vitess pool is then shared by the tests of one binary only, so run
// one package at a time (go test -p 1) against ORMC_TEST_VITESS.
var held sync.Map

// tryLock takes the lock named path in this process, without waiting.
func tryLock(path string) (release func(), ok bool, err error) {
	if _, taken := held.LoadOrStore(path, true); taken {
		return nil, false, nil
	}
	return func() { held.Delete(path) }, true, nil
}
