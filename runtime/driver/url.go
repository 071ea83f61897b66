package driver

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// The URL parameters ormc applies itself, whatever the driver, and the
// error of a URL a driver refuses. The runtime exports each under the
// same name, for its users.

// ErrInvalidURL is wrapped by the error of Open for a database URL that
// is malformed or has a parameter ormc refuses.
var ErrInvalidURL = errors.New("ormc: invalid database URL")

// PoolMaxConns is the URL parameter that caps a pool's open connections,
// named as pgx names it; the database/sql drivers read it with
// CutPoolParams.
const PoolMaxConns = "pool_max_conns"

// CutPoolParams removes the pool_max_conns parameter from a raw URL query
// and returns the rest, unchanged otherwise, and its value (0 when
// absent). An invalid value is an error wrapping ErrInvalidURL.
func CutPoolParams(rawQuery string) (rest string, maxConns int, err error) {
	rest, v, ok := CutParam(rawQuery, PoolMaxConns)
	if !ok {
		return rest, 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		return "", 0, fmt.Errorf("%w: %s %q: want a positive integer", ErrInvalidURL, PoolMaxConns, v)
	}
	return rest, n, nil
}

// CutParam removes every parameter name from a raw URL query and returns
// the rest, unchanged otherwise, and the (raw) value of the last one, if
// any was there.
func CutParam(rawQuery, name string) (rest, value string, ok bool) {
	if !strings.Contains(rawQuery, name) {
		return rawQuery, "", false
	}
	var keep []string
	for _, p := range strings.Split(rawQuery, "&") {
		k, v, _ := strings.Cut(p, "=")
		if k != name {
			keep = append(keep, p)
			continue
		}
		value, ok = v, true
	}
	return strings.Join(keep, "&"), value, ok
}

// ConnectTimeoutParam is the URL parameter (PostgreSQL and MySQL) that
// bounds how long opening one connection of the pool may take, dialling,
// logging in and ormc's set-up of the session included: whole seconds,
// as libpq spells it, and 0 for no bound. Without it the bound is
// DefaultConnectTimeout, so that a server that accepts the connection and
// never answers cannot stall Open, or a statement that needs a new
// connection, for ever. A connection that times out gives an error
// wrapping context.DeadlineExceeded.
const ConnectTimeoutParam = "connect_timeout"

// DefaultConnectTimeout bounds opening a connection when the URL has no
// connect_timeout.
const DefaultConnectTimeout = 10 * time.Second

// CutConnectTimeout removes the connect_timeout parameter from a raw URL
// query and returns the rest, unchanged otherwise, and the bound it sets:
// DefaultConnectTimeout when absent, 0 (none) for "0".
func CutConnectTimeout(rawQuery string) (rest string, timeout time.Duration, err error) {
	rest, v, ok := CutParam(rawQuery, ConnectTimeoutParam)
	if !ok {
		return rest, DefaultConnectTimeout, nil
	}
	n, err := strconv.ParseUint(v, 10, 31)
	if err != nil {
		return "", 0, fmt.Errorf("%w: %s %q: want whole seconds, 0 for no bound", ErrInvalidURL, ConnectTimeoutParam, v)
	}
	return rest, time.Duration(n) * time.Second, nil
}
