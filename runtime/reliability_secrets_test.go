package runtime_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ormc/ormc/internal/testdb"
	"github.com/ormc/ormc/runtime"
	"github.com/ormc/ormc/runtime/driver"
	"github.com/ormc/ormc/runtime/driver/mysql"
	"github.com/ormc/ormc/runtime/driver/postgres"
	"github.com/ormc/ormc/runtime/driver/sqlite"
)

// A DSN's password must not appear in an error, a query hook event or a
// panic message.

// newSecret is a password no test output could contain by chance; it
// holds characters that URLs escape.
func newSecret() string {
	var b [6]byte
	_, _ = rand.Read(b[:])
	return "Pw#" + hex.EncodeToString(b[:]) + "/@:?"
}

// noSecret fails the test when s shows the secret, as written or escaped.
func noSecret(t *testing.T, what, s, secret string) {
	t.Helper()
	for _, form := range []string{secret, url.QueryEscape(secret), url.PathEscape(secret), strings.Trim(secret, "Pw#/@:?")} {
		if strings.Contains(s, form) {
			t.Errorf("%s shows the password (as %q): %s", what, form, s)
		}
	}
}

func withPassword(t *testing.T, base, user, pw, dbname string) string {
	t.Helper()
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	u.User = url.UserPassword(user, pw)
	if dbname != "" {
		u.Path = "/" + dbname
	}
	return u.String()
}

// TestReliabilitySecretsOpen opens bad URLs of every scheme, each with a
// password: a bad host, a bad user or password, a bad database, and
// malformed URLs. No error shows the password.
func TestReliabilitySecretsOpen(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	pw := newSecret()
	esc := url.QueryEscape(pw)
	cases := []string{
		"postgresql://u:" + esc + "@127.0.0.1:1/db?connect_timeout=2",
		"postgres://u:" + esc + "@no-such-host.invalid/db?connect_timeout=2",
		"postgres://h/db?password=" + esc + "&connect_timeout=2&port=1",
		"postgres://u:" + pw + "@127.0.0.1:1/db",
		"postgres://u:" + esc + "@127.0.0.1:notaport/db",
		"mysql://u:" + esc + "@127.0.0.1:1/db?timeout=2s",
		"mysql://u:" + esc + "@no-such-host.invalid/db?timeout=2s",
		"mysql://u:" + pw + "@127.0.0.1:1/db",
		"mysql://u:" + esc + "@h/db?%zz",
		"mysql://u:" + esc + "@h/db?pool_max_conns=x",
		"mysql://u:" + esc + "@h/db?unknownParam=1&timeout=1s",
		"sqlite://u:" + esc + "@/x.db",
		"sqlite:///" + t.TempDir() + "/no/such/dir/x.db?password=" + esc,
	}
	if base := os.Getenv("ORMC_TEST_POSTGRES"); base != "" {
		cases = append(cases,
			withPassword(t, base, "no_such_role_ormc", pw, ""),             // bad user (the server trusts 127.0.0.1, so no password is checked)
			withPassword(t, base, "postgres", pw, "no_such_database_ormc"), // bad database
		)
	}
	if base := os.Getenv("ORMC_TEST_MYSQL"); base != "" {
		u, _ := url.Parse(base)
		cases = append(cases,
			withPassword(t, base, u.User.Username(), pw, ""),           // bad password
			withPassword(t, base, "no_such_user_ormc", pw, ""),         // bad user
			withPassword(t, base, u.User.Username(), pw, "no_such_db"), // bad password and database
		)
		user := fmt.Sprintf("ormc_secret_%d", time.Now().UnixNano()%1e6)
		admin := relOpen(t, base)
		if _, err := admin.Exec(ctx, fmt.Sprintf("CREATE USER '%s'@'%%' IDENTIFIED BY '%s'", user, pw)); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { admin.Exec(context.Background(), fmt.Sprintf("DROP USER '%s'@'%%'", user)) })
		cases = append(cases, withPassword(t, base, user, pw, "no_such_db")) // right password, bad database
	}
	for _, c := range cases {
		db, err := runtime.Open(ctx, c, postgres.Driver, mysql.Driver, sqlite.Driver)
		if err == nil {
			db.Close()
			t.Errorf("%s: opened", runtime.Redact(c))
			continue
		}
		noSecret(t, "error of "+runtime.Redact(c), fmt.Sprintf("%v %+v %#v", err, err, err.Error()), pw)
		noSecret(t, "Redact", runtime.Redact(c), pw)
	}
}

// TestReliabilitySecretsHook changes a MariaDB user's password and kills
// its connection, so that the pool's next connection fails to log in: the
// error, as the call and the query hook see it, does not show the URL's
// password.
func TestReliabilitySecretsHook(t *testing.T) {
	base := testdb.Base(t, testdb.Dialects[2])
	ctx := context.Background()
	pw := newSecret()
	user := fmt.Sprintf("ormc_hook_%d", time.Now().UnixNano()%1e6)
	admin := relOpen(t, base)
	if _, err := admin.Exec(ctx, fmt.Sprintf("CREATE USER '%s'@'%%' IDENTIFIED BY '%s'", user, pw)); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.Exec(context.Background(), fmt.Sprintf("DROP USER '%s'@'%%'", user)) })
	u, _ := url.Parse(base)
	if _, err := admin.Exec(ctx, fmt.Sprintf("GRANT SELECT ON `%s`.* TO '%s'@'%%'", strings.TrimPrefix(u.Path, "/"), user)); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var events []runtime.QueryEvent
	db := relOpen(t, withPoolMax(withPassword(t, base, user, pw, ""), 1)).Apply(runtime.WithHook(func(_ context.Context, ev runtime.QueryEvent) {
		mu.Lock()
		events = append(events, ev)
		mu.Unlock()
	}))
	id, err := scalar[int64](ctx, db, "SELECT CONNECTION_ID()")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := admin.Exec(ctx, fmt.Sprintf("ALTER USER '%s'@'%%' IDENTIFIED BY 'changed'", user)); err != nil {
		t.Fatal(err)
	}
	kill(t, admin, id)
	_, err = scalar[int64](ctx, db, "SELECT 1")
	if err == nil {
		t.Fatal("query after the password changed succeeded")
	}
	noSecret(t, "error", err.Error(), pw)
	mu.Lock()
	defer mu.Unlock()
	for _, ev := range events {
		noSecret(t, "hook event", fmt.Sprintf("%s %v %v", ev.SQL, ev.Args, ev.Err), pw)
	}
	if last := events[len(events)-1]; last.Err == nil {
		t.Errorf("the hook did not see the failure: %+v", last)
	} else {
		t.Logf("hook saw: %v", last.Err)
	}
}

// leakyPool is a pool whose every error quotes the URL it was opened with,
// as careless drivers do.
type leakyPool struct{ url string }

func (p leakyPool) Exec(context.Context, string, []any) (driver.Result, error) {
	return driver.Result{}, fmt.Errorf("cannot reach %s", p.url)
}
func (p leakyPool) Query(context.Context, string, []any) (driver.Rows, error) {
	return nil, fmt.Errorf("cannot reach %s", p.url)
}
func (p leakyPool) Begin(context.Context, driver.BeginOptions) (driver.Tx, error) {
	return nil, fmt.Errorf("cannot begin on %s", p.url)
}
func (p leakyPool) Close() error { return nil }

// TestReliabilitySecretsLeakyDriver uses drivers that quote their URL in
// errors and panics: Open, the statements' errors and the query hook all
// hide the password.
func TestReliabilitySecretsLeakyDriver(t *testing.T) {
	ctx := context.Background()
	pw := newSecret()
	raw := "leaky://u:" + url.QueryEscape(pw) + "@h/db?sslpassword=" + url.QueryEscape(pw)
	panicky := &driver.Driver{Schemes: []string{"leaky"}, Dialect: sqlite.Driver.Dialect,
		Open: func(_ context.Context, u string) (driver.Pool, error) { panic("cannot parse " + u) }}
	_, err := runtime.Open(ctx, raw, panicky)
	if err == nil || !strings.Contains(err.Error(), "panicked") {
		t.Fatalf("panicking driver: %v", err)
	}
	noSecret(t, "panic turned error", err.Error(), pw)

	failing := &driver.Driver{Schemes: []string{"leaky"}, Dialect: sqlite.Driver.Dialect,
		Open: func(_ context.Context, u string) (driver.Pool, error) { return nil, fmt.Errorf("cannot open %s", u) }}
	_, err = runtime.Open(ctx, raw, failing)
	noSecret(t, "open error", fmt.Sprint(err), pw)

	leaky := &driver.Driver{Schemes: []string{"leaky"}, Dialect: sqlite.Driver.Dialect,
		Open: func(_ context.Context, u string) (driver.Pool, error) { return leakyPool{u}, nil }}
	var events []runtime.QueryEvent
	db, err := runtime.Open(ctx, raw, leaky)
	if err != nil {
		t.Fatal(err)
	}
	db = db.Apply(runtime.WithHook(func(_ context.Context, ev runtime.QueryEvent) { events = append(events, ev) }))
	_, err1 := db.Exec(ctx, "SELECT 1")
	_, err2 := db.Query(ctx, "SELECT 1")
	err3 := db.Tx(ctx, func(*runtime.DB) error { return nil })
	_, err4 := runtime.NewQuery[*kw](db, kwTable).Count(ctx)
	for _, err := range []error{err1, err2, err3, err4} {
		if err == nil {
			t.Fatal("leaky pool: no error")
		}
		noSecret(t, "statement error", err.Error(), pw)
	}
	if len(events) != 4 { // Exec, Query, the failed BEGIN and Count
		t.Errorf("%d hook events, want 4", len(events))
	}
	for _, ev := range events {
		noSecret(t, "hook event", fmt.Sprint(ev.Err), pw)
	}
}

// panickyPool panics, quoting its URL, in the operation named by op:
// "exec", "query", "begin" or "commit".
type panickyPool struct {
	url, op string
}

func (p panickyPool) maybe(op string) {
	if p.op == op {
		panic(fmt.Errorf("driver bug: cannot %s on %s", op, p.url))
	}
}

func (p panickyPool) Exec(context.Context, string, []any) (driver.Result, error) {
	p.maybe("exec")
	return driver.Result{}, nil
}
func (p panickyPool) Query(context.Context, string, []any) (driver.Rows, error) {
	p.maybe("query")
	switch p.op {
	case "next", "scan", "close":
		return panickyRows{p}, nil
	}
	return nil, errors.New("no rows here")
}

// panickyRows has one row, and panics in the operation named by op:
// "next", "scan" or "close".
type panickyRows struct{ panickyPool }

func (r panickyRows) Next() bool { r.maybe("next"); return true }
func (r panickyRows) Scan(dest ...any) error {
	r.maybe("scan")
	return errors.New("no values here")
}
func (r panickyRows) Err() error   { return nil }
func (r panickyRows) Close() error { r.maybe("close"); return nil }
func (p panickyPool) Begin(context.Context, driver.BeginOptions) (driver.Tx, error) {
	p.maybe("begin")
	return panickyTx{p}, nil
}
func (p panickyPool) Close() error { return nil }

type panickyTx struct{ panickyPool }

func (t panickyTx) Commit(context.Context) error   { t.maybe("commit"); return nil }
func (t panickyTx) Rollback(context.Context) error { return nil }

// TestReliabilitySecretsPanic has a driver panic, quoting its URL, in
// Exec, Query, Begin, Commit, and the Next, Scan and Close of rows it
// returned, and a Tx function panic with a message
// that shows the password: each panic goes on as a *runtime.PanicError
// whose message hides the password and which keeps the original value. A
// panic that shows no secret goes on unchanged.
func TestReliabilitySecretsPanic(t *testing.T) {
	ctx := context.Background()
	pw := newSecret()
	raw := "leaky://u:" + url.QueryEscape(pw) + "@h/db"
	for _, op := range []string{"exec", "query", "next", "scan", "close", "begin", "commit", "fn", "nested fn", "plain"} {
		drv := &driver.Driver{Schemes: []string{"leaky"}, Dialect: sqlite.Driver.Dialect,
			Open: func(_ context.Context, u string) (driver.Pool, error) { return panickyPool{u, op}, nil }}
		db, err := runtime.Open(ctx, raw, drv)
		if err != nil {
			t.Fatal(err)
		}
		p := func() (p any) {
			defer func() { p = recover() }()
			switch op {
			case "exec":
				db.Exec(ctx, "SELECT 1")
			case "query":
				runtime.NewQuery[*kw](db, kwTable).Count(ctx)
			case "next", "scan":
				runtime.NewQuery[*kw](db, kwTable).All(ctx)
			case "close":
				rows, err := db.Query(ctx, "SELECT 1")
				if err == nil {
					rows.Close()
				}
			case "begin", "commit":
				db.Tx(ctx, func(*runtime.DB) error { return nil })
			case "fn":
				db.Tx(ctx, func(*runtime.DB) error { panic("user code quoting " + raw) })
			case "nested fn":
				db.Tx(ctx, func(tx *runtime.DB) error {
					return tx.Tx(ctx, func(*runtime.DB) error { panic(errors.New("user code quoting " + raw)) })
				})
			case "plain":
				db.Tx(ctx, func(*runtime.DB) error { panic("boom") })
			}
			return nil
		}()
		if p == nil {
			t.Errorf("%s: no panic", op)
			continue
		}
		noSecret(t, op+": panic value", fmt.Sprint(p), pw)
		if op == "plain" {
			if p != "boom" {
				t.Errorf("plain: panic value changed to %#v", p)
			}
			continue
		}
		pe, ok := p.(*runtime.PanicError)
		if !ok {
			t.Errorf("%s: panic value %T, want *runtime.PanicError", op, p)
			continue
		}
		// The original is kept, for programs that recover on purpose (it
		// shows the password: never print it).
		if !strings.Contains(fmt.Sprint(pe.Value), pw) && !strings.Contains(fmt.Sprint(pe.Value), url.QueryEscape(pw)) {
			t.Errorf("%s: the original panic value is lost: %v", op, pe.Value)
		}
		if _, isErr := pe.Value.(error); isErr && errors.Unwrap(pe) != pe.Value {
			t.Errorf("%s: PanicError does not unwrap to the original error", op)
		}
		t.Logf("%s: %v", op, p)
	}
}

// TestReliabilitySecretsScheme opens DSNs that are not URLs but contain
// "://" in a parameter: the error must not quote what precedes it as a
// scheme, since that holds the password.
func TestReliabilitySecretsScheme(t *testing.T) {
	pw := newSecret()
	for _, dsn := range []string{
		"root:" + pw + "@tcp(db:3306)/app?tls=custom&redirect=https://x",
		"root:" + pw + "@/app?x=y://",
		"host=db password=" + pw + " sslrootcert=file:///etc/x",
	} {
		_, err := runtime.Open(context.Background(), dsn, postgres.Driver, mysql.Driver, sqlite.Driver)
		if !errors.Is(err, runtime.ErrUnknownScheme) {
			t.Errorf("%s: want ErrUnknownScheme, got %v", runtime.Redact(dsn), err)
		}
		noSecret(t, "error", fmt.Sprint(err), pw)
		t.Logf("%v", err)
	}
}

// urlError is a driver error type that quotes the URL.
type urlError struct{ url string }

func (e *urlError) Error() string { return "cannot reach " + e.url }

type urlErrorPool struct{ leakyPool }

func (p urlErrorPool) Exec(context.Context, string, []any) (driver.Result, error) {
	return driver.Result{}, &urlError{p.url}
}

// TestReliabilitySecretsUnwrap pins down what the runtime documents of
// scrubbed errors: the error returned hides the password, and unwraps to
// the driver's own error, for errors.As, which, being the driver's, may
// still show it.
func TestReliabilitySecretsUnwrap(t *testing.T) {
	ctx := context.Background()
	pw := newSecret()
	raw := "leaky://u:" + url.QueryEscape(pw) + "@h/db"
	drv := &driver.Driver{Schemes: []string{"leaky"}, Dialect: sqlite.Driver.Dialect,
		Open: func(_ context.Context, u string) (driver.Pool, error) { return urlErrorPool{leakyPool{u}}, nil }}
	db, err := runtime.Open(ctx, raw, drv)
	if err != nil {
		t.Fatal(err)
	}
	_, err = db.Exec(ctx, "SELECT 1")
	noSecret(t, "error", fmt.Sprintf("%v %+v", err, err), pw)
	var ue *urlError
	if !errors.As(err, &ue) {
		t.Fatalf("errors.As does not reach the driver's error: %v", err)
	}
	if !strings.Contains(ue.Error(), url.QueryEscape(pw)) {
		t.Errorf("the driver's own error was changed: %v", ue)
	}
}
