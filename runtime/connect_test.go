package runtime_test

import (
	"context"
	"errors"
	"io"
	"net"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ormc/ormc/internal/testdb"
	"github.com/ormc/ormc/runtime"
	"github.com/ormc/ormc/runtime/driver/mysql"
	"github.com/ormc/ormc/runtime/driver/postgres"
	"github.com/ormc/ormc/runtime/driver/sqlite"
)

// silentServer listens on loopback and returns its address. It forwards
// the first forward connections it accepts to the server at to, and holds
// every later one open without a word, as a server that accepts and hangs
// does.
func silentServer(t *testing.T, to string, forward int) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var (
		mu    sync.Mutex
		conns []net.Conn
	)
	keep := func(c net.Conn) {
		mu.Lock()
		conns = append(conns, c)
		mu.Unlock()
	}
	t.Cleanup(func() {
		ln.Close()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			c.Close()
		}
	})
	go func() {
		for n := 0; ; n++ {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			keep(c)
			if n >= forward {
				continue // silent
			}
			s, err := net.Dial("tcp", to)
			if err != nil {
				c.Close()
				continue
			}
			keep(s)
			go func() { io.Copy(s, c); s.Close() }()
			go func() { io.Copy(c, s); c.Close() }()
		}
	}()
	return ln.Addr().String()
}

// openWithin runs Open and fails the test when it has not returned
// within limit (the goroutine is left behind: the test has failed).
func openWithin(t *testing.T, limit time.Duration, url string, d *runtime.Driver) (*runtime.DB, error, time.Duration) {
	t.Helper()
	type result struct {
		db  *runtime.DB
		err error
	}
	done := make(chan result, 1)
	start := time.Now()
	go func() {
		db, err := runtime.Open(context.Background(), url, d)
		done <- result{db, err}
	}()
	select {
	case r := <-done:
		return r.db, r.err, time.Since(start)
	case <-time.After(limit):
		t.Fatalf("Open(%q) still waiting after %s", runtime.Redact(url), limit)
		return nil, nil, 0
	}
}

// TestOpenConnectTimeout: Open with a context that has no deadline, on a
// server that accepts the connection and never answers, gives up after
// connect_timeout with an error matching context.DeadlineExceeded. Before,
// it waited for ever on PostgreSQL and MariaDB. The cases wait at once.
func TestOpenConnectTimeout(t *testing.T) {
	addr := silentServer(t, "", 0)
	for _, tc := range []struct {
		name, url string
		d         *runtime.Driver
	}{
		{"postgres", "postgresql://u:s3cret@" + addr + "/db?connect_timeout=1", postgres.Driver},
		{"postgres no TLS", "postgresql://u@" + addr + "/db?sslmode=disable&connect_timeout=1", postgres.Driver},
		{"mysql", "mysql://u:s3cret@" + addr + "/db?connect_timeout=1", mysql.Driver},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			db, err, took := openWithin(t, 10*time.Second, tc.url, tc.d)
			if err == nil {
				db.Close()
				t.Fatalf("Open(%q): no error", tc.url)
			}
			if !errors.Is(err, context.DeadlineExceeded) || took < 900*time.Millisecond || took > 4*time.Second ||
				strings.Contains(err.Error(), "s3cret") {
				t.Errorf("Open(%q) after %s: want DeadlineExceeded after about 1 s, got %v", tc.url, took, err)
			}
		})
	}
}

// TestOpenConnectTimeoutDefault: without connect_timeout, Open gives up
// after runtime.DefaultConnectTimeout.
func TestOpenConnectTimeoutDefault(t *testing.T) {
	if testing.Short() {
		t.Skip("waits for the default connect timeout")
	}
	if os.Getenv("PGCONNECT_TIMEOUT") != "" {
		t.Skip("PGCONNECT_TIMEOUT is set")
	}
	addr := silentServer(t, "", 0)
	for _, tc := range []struct {
		url string
		d   *runtime.Driver
	}{
		{"postgresql://u@" + addr + "/db", postgres.Driver},
		{"mysql://u@" + addr + "/db", mysql.Driver},
	} {
		t.Run(tc.d.Schemes[0], func(t *testing.T) {
			t.Parallel()
			_, err, took := openWithin(t, runtime.DefaultConnectTimeout+10*time.Second, tc.url, tc.d)
			if !errors.Is(err, context.DeadlineExceeded) || took < runtime.DefaultConnectTimeout-time.Second ||
				took > runtime.DefaultConnectTimeout+4*time.Second {
				t.Errorf("Open(%q) after %s: want DeadlineExceeded after %s, got %v", tc.url, took, runtime.DefaultConnectTimeout, err)
			}
		})
	}
}

// TestOpenConnectTimeoutInvalid: a connect_timeout that is not whole
// seconds is refused with ErrInvalidURL before anything is dialled.
func TestOpenConnectTimeoutInvalid(t *testing.T) {
	for _, base := range []string{"postgresql://u@127.0.0.1:1/db", "mysql://u@127.0.0.1:1/db"} {
		for _, v := range []string{"1s", "-1", "1.5", "x", ""} {
			u := base + "?connect_timeout=" + v
			_, err := runtime.Open(context.Background(), u, postgres.Driver, mysql.Driver)
			if !errors.Is(err, runtime.ErrInvalidURL) || !strings.Contains(err.Error(), "connect_timeout") {
				t.Errorf("Open(%q): want ErrInvalidURL naming connect_timeout, got %v", u, err)
			}
		}
	}
}

// TestOpenPoolMaxConnsInvalid: a pool_max_conns that is not a positive
// integer fails Open with ErrInvalidURL on every database, before
// anything is dialled or created.
func TestOpenPoolMaxConnsInvalid(t *testing.T) {
	dir := t.TempDir()
	for _, base := range []string{"postgresql://u@127.0.0.1:1/db", "mysql://u@127.0.0.1:1/db", "sqlite:///" + dir + "/x.db"} {
		for _, v := range []string{"0", "-1", "x", ""} {
			u := base + "?pool_max_conns=" + v
			_, err := runtime.Open(context.Background(), u, postgres.Driver, mysql.Driver, sqlite.Driver)
			if !errors.Is(err, runtime.ErrInvalidURL) {
				t.Errorf("Open(%q): want ErrInvalidURL, got %v", u, err)
			}
		}
	}
	if files, _ := os.ReadDir(dir); len(files) > 0 {
		t.Errorf("Open created %s", files[0].Name())
	}
}

// TestPoolConnectTimeout: connect_timeout bounds every connection the
// pool opens, not only Open's: with the pool's first connection held by a
// transaction and the server silent for the next, a statement outside the
// transaction fails after connect_timeout with DeadlineExceeded, and the
// transaction commits.
func TestPoolConnectTimeout(t *testing.T) {
	testdb.Each(t, func(t *testing.T, fresh string) {
		u, err := url.Parse(fresh)
		if err != nil || u.Scheme == "sqlite" {
			t.Skip("SQLite has no server to connect to")
		}
		u.Host = silentServer(t, u.Host, 1)
		q := u.Query()
		q.Set("connect_timeout", "1")
		q.Set("pool_max_conns", "2")
		u.RawQuery = q.Encode()
		db, err, _ := openWithin(t, 10*time.Second, u.String(), map[string]*runtime.Driver{"postgresql": postgres.Driver, "mysql": mysql.Driver}[u.Scheme])
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		ctx := context.Background()
		err = db.Tx(ctx, func(tx *runtime.DB) error {
			if _, err := tx.Exec(ctx, "SELECT 1"); err != nil {
				return err
			}
			done := make(chan error, 1)
			start := time.Now()
			go func() {
				_, err := db.Exec(ctx, "SELECT 1")
				done <- err
			}()
			select {
			case err := <-done:
				if took := time.Since(start); !errors.Is(err, context.DeadlineExceeded) || took > 4*time.Second {
					t.Errorf("a statement needing a new connection: after %s: want DeadlineExceeded after about 1 s, got %v", took, err)
				}
			case <-time.After(10 * time.Second):
				t.Fatal("a statement needing a new connection still waits after 10 s")
			}
			_, err := tx.Exec(ctx, "SELECT 1")
			return err
		})
		if err != nil {
			t.Fatalf("transaction: %v", err)
		}
	})
}
