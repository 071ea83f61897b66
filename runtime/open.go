package runtime

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/ormc/ormc/runtime/driver"
)

// Driver opens databases of one kind: the postgres, mysql and sqlite
// packages beneath runtime/driver each export one, for Open.
type Driver = driver.Driver

// The URL parameters ormc applies itself, whatever the driver (see
// package driver).
const (
	ConnectTimeoutParam   = driver.ConnectTimeoutParam   // bounds opening a connection
	DefaultConnectTimeout = driver.DefaultConnectTimeout // the bound without connect_timeout
	PoolMaxConns          = driver.PoolMaxConns          // caps the pool's connections
)

// ErrInvalidURL is wrapped by the error of Open for a database URL that
// is malformed or has a parameter ormc refuses.
var ErrInvalidURL = driver.ErrInvalidURL

// ErrUnknownScheme is returned by Open for a URL no driver handles.
var ErrUnknownScheme = errors.New("ormc: unknown database URL scheme")

// Scheme returns the scheme of a database URL ("postgresql" for
// "postgresql://…"), or "" when it has none: when what comes before the
// first "://" is not a scheme (a letter, then letters, digits, "+", "-"
// or "."), as in a DSN in another format that carries a URL in a
// parameter, "user:password@tcp(h)/db?x=https://…", which must not be
// quoted back as a scheme.
func Scheme(url string) string {
	i := strings.Index(url, "://")
	if i <= 0 || !validScheme(url[:i]) {
		return ""
	}
	return url[:i]
}

// Open opens the database at url with the first driver that handles its
// scheme. The URL's password never appears in an error Open returns, nor
// in the errors and query hook events of the DB, even when the driver
// quotes the URL; a driver's panic in Open becomes an error, and a panic
// under a call on the DB goes on as a *PanicError with the password
// hidden. Errors unwrapped from those the DB returns are the driver's own
// and may show the password: print the error you were given.
func Open(ctx context.Context, url string, drivers ...*driver.Driver) (*DB, error) {
	scheme := Scheme(url)
	var known []string
	for _, d := range drivers {
		for _, s := range d.Schemes {
			if strings.EqualFold(s, scheme) {
				secrets := urlSecrets(url)
				pool, err := openPool(ctx, d, url, secrets)
				if err != nil {
					return nil, err
				}
				db := NewDB(pool, d)
				db.secrets = secrets
				return db, nil
			}
			known = append(known, s+"://")
		}
	}
	if scheme == "" {
		return nil, fmt.Errorf("%w: database URL has no scheme (want one of %s)", ErrUnknownScheme, strings.Join(known, ", "))
	}
	return nil, fmt.Errorf("%w %q (want one of %s)", ErrUnknownScheme, scheme+"://", strings.Join(known, ", "))
}

// openPool calls d.Open, turning a panic into an error, since panics never
// cross a package boundary, and hiding the URL's secrets in either.
func openPool(ctx context.Context, d *driver.Driver, url string, secrets []string) (pool driver.Pool, err error) {
	defer func() {
		if p := recover(); p != nil {
			pool = nil
			err = fmt.Errorf("ormc: open %s: driver panicked: %s", Redact(url), hideSecrets(fmt.Sprint(p), secrets))
		}
	}()
	pool, err = d.Open(ctx, url)
	return pool, scrub(err, secrets)
}
