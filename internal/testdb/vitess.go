package testdb

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ormc/ormc/runtime"
	"github.com/ormc/ormc/runtime/dialect"
	"github.com/ormc/ormc/runtime/driver/mysql"
)

// Vitess has no CREATE DATABASE through vtgate: its keyspaces are fixed
// when vttestserver starts. So scripts/engines.sh starts a pool of
// unsharded keyspaces, ormc0 … ormcN-1 (ORMC_VITESS_POOL, 8 by default),
// and each test leases one of them for its whole run, as it would own a
// database: it is emptied of tables when leased and again when the test
// ends. The lease is an exclusive flock on a file of the system's
// temporary directory, named after the server and the keyspace, so that
// the test binaries of several packages, which go test runs in parallel,
// share the pool too; the kernel releases it if a binary dies. A test
// waits for a free keyspace up to vitessLeaseWait.
//
// Per-test table name prefixes would not do: generated clients name their
// tables as the schema does.

// vitessPoolName matches the keyspaces of the pool.
var vitessPoolName = regexp.MustCompile(`^ormc[0-9]+$`)

// vitessLeaseWait bounds the wait for a free keyspace.
const vitessLeaseWait = 5 * time.Minute

// freshVitess is a keyspace of the pool, leased for the test and empty.
func freshVitess(t testing.TB, base, _ string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	pool, err := vitessPool(ctx, base)
	if err != nil {
		t.Fatalf("vitess: %v", err)
	}
	return leaseForTest(t, base, pool, emptyKeyspace)
}

// leaseForTest leases a keyspace of pool on base's server for the test,
// emptied by empty when leased and again when the test ends, and returns
// its URL.
func leaseForTest(t testing.TB, base string, pool []string, empty func(context.Context, string) error) string {
	t.Helper()
	ks, release, err := leaseKeyspace(base, pool, vitessLeaseWait)
	if err != nil {
		t.Fatalf("vitess: %v", err)
	}
	u, err := url.Parse(base)
	if err != nil {
		release()
		t.Fatalf("invalid database URL: %v", err)
	}
	u.Path = "/" + ks
	ksURL := u.String()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := empty(ctx, ksURL); err != nil {
		release()
		t.Fatalf("vitess: emptying keyspace %q: %v", ks, err)
	}
	t.Cleanup(func() {
		defer release()
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := empty(ctx, ksURL); err != nil {
			t.Errorf("cleanup: vitess keyspace %q: %v", ks, err)
		}
	})
	return ksURL
}

// vitessPool lists the pool's keyspaces on the server of base.
func vitessPool(ctx context.Context, base string) ([]string, error) {
	db, err := runtime.Open(ctx, base, mysql.Driver)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	rows, err := db.Query(ctx, "SHOW DATABASES")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var pool []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return nil, err
		}
		if vitessPoolName.MatchString(name) {
			pool = append(pool, name)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(pool) == 0 {
		return nil, errors.New("no keyspace ormc0 … ormcN on the server: start it with scripts/engines.sh start vitess")
	}
	slices.Sort(pool)
	return pool, nil
}

// leaseKeyspace takes the first keyspace of pool no other test holds,
// waiting up to wait, and returns it with the function that frees it.
func leaseKeyspace(base string, pool []string, wait time.Duration) (string, func(), error) {
	u, err := url.Parse(base)
	if err != nil {
		return "", nil, fmt.Errorf("invalid database URL")
	}
	server := strings.NewReplacer(":", "_", "[", "", "]", "").Replace(u.Host)
	deadline := time.Now().Add(wait)
	for {
		for _, ks := range pool {
			path := filepath.Join(os.TempDir(), "ormc-vitess-"+server+"-"+ks+".lock")
			release, ok, err := tryLock(path)
			if err != nil {
				return "", nil, err
			}
			if ok {
				return ks, release, nil
			}
		}
		if time.Now().After(deadline) {
			return "", nil, fmt.Errorf("every keyspace of %q held by other tests for %v", pool, wait)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// emptyKeyspace drops every table of the keyspace at url.
func emptyKeyspace(ctx context.Context, rawURL string) error {
	// One connection: foreign_key_checks is the session's.
	db, err := runtime.Open(ctx, withPoolMax(rawURL), mysql.Driver)
	if err != nil {
		return err
	}
	defer db.Close()
	rows, err := db.Query(ctx, "SHOW TABLES")
	if err != nil {
		return err
	}
	var tables []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			rows.Close()
			return err
		}
		tables = append(tables, name)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	if len(tables) == 0 {
		return nil
	}
	if _, err := db.Exec(ctx, "SET foreign_key_checks = 0"); err != nil {
		return err
	}
	for _, tbl := range tables {
		if _, err := db.Exec(ctx, "DROP TABLE IF EXISTS "+dialect.Quote(dialect.MySQL, tbl)); err != nil {
			return err
		}
	}
	_, err = db.Exec(ctx, "SET foreign_key_checks = 1")
	return err
}

// withPoolMax limits the pool of rawURL to one connection.
func withPoolMax(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil {
		return rawURL
	}
	q := u.Query()
	q.Set("pool_max_conns", "1")
	u.RawQuery = q.Encode()
	return u.String()
}

// vitessSharded is the keyspace of two shards scripts/engines.sh starts
// beside the pool, with a hash vindex and no tables.
const vitessSharded = "ormcsharded"

// VitessSharded leases the sharded keyspace for the test, and a keyspace
// of the unsharded pool beside it (for sequences and the tables that
// need no sharding), returning the URL of each. It skips or fails as
// Fresh does without ORMC_TEST_VITESS. A table of the sharded keyspace
// is usable once the test has declared its vindex (ALTER VSCHEMA … ADD
// VINDEX), as an operator would; the tables and their vschema entries
// are dropped when the test ends.
func VitessSharded(t testing.TB) (sharded, unsharded string) {
	t.Helper()
	var d Dialect
	for _, x := range Dialects {
		if x.Name == "vitess" {
			d = x
		}
	}
	unsharded = Fresh(t, d)
	sharded = leaseForTest(t, Base(t, d), []string{vitessSharded}, emptySharded)
	// The unsharded keyspace's vschema entries (sequences) go with it.
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := dropVSchemaTables(ctx, unsharded); err != nil {
			t.Errorf("cleanup: vitess vschema of %s: %v", unsharded, err)
		}
	})
	return sharded, unsharded
}

// emptySharded drops the tables of a sharded keyspace, then their vschema
// entries, which outlive them.
func emptySharded(ctx context.Context, rawURL string) error {
	if err := emptyKeyspace(ctx, rawURL); err != nil {
		return err
	}
	return dropVSchemaTables(ctx, rawURL)
}

// dropVSchemaTables drops every table entry of the keyspace's vschema.
func dropVSchemaTables(ctx context.Context, rawURL string) error {
	db, err := runtime.Open(ctx, rawURL, mysql.Driver)
	if err != nil {
		return err
	}
	defer db.Close()
	var ks string
	if err := db.QueryRow(ctx, "SELECT DATABASE()", nil, &ks); err != nil {
		return err
	}
	tables, err := vschemaTables(ctx, db)
	if err != nil {
		return err
	}
	q := func(s string) string { return dialect.Quote(dialect.MySQL, s) }
	for _, tbl := range tables {
		// An unsharded keyspace lists the tables vtgate tracks as well,
		// which have no entry of their own to drop.
		_, err := db.Exec(ctx, "ALTER VSCHEMA DROP TABLE "+q(ks)+"."+q(tbl))
		if err != nil && !strings.Contains(err.Error(), "vschema does not contain table") {
			return err
		}
	}
	return nil
}
