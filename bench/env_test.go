package bench

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5"
	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver
	"github.com/ormc/ormc/bench/ormcdb"
	"github.com/ormc/ormc/runtime"
	_ "modernc.org/sqlite" // the "sqlite" database/sql driver
)

// The fixture every run seeds: nParents parents of perParent items each,
// so that a parent's items, a 100-row page and the 10,000-row stream are
// all known in advance and every benchmark can check what it read; then
// the "writes" parent, and nAuthors parents of perAuthor items each, each
// linked to tagsPerAuthor of nTags tags.
const (
	nParents  = 100
	perParent = 100
	nItems    = nParents * perParent
	bulkSize  = 1000

	// The authors of the eager-loading benchmarks (issue 15, item 6):
	// nAuthors more parents of perAuthor items each, priced below
	// priceOver but for one item of every other author.
	nAuthors  = 100
	perAuthor = 10
	priceOver = 5000.0

	// The tags of the many-to-many benchmarks: author k is linked to the
	// tagsPerAuthor tags t with t ≡ k (mod nTags/tagsPerAuthor), so tag
	// filterTag is linked to a quarter of the authors.
	nTags         = 20
	tagsPerAuthor = 5
	filterTag     = 6
)

// env is one fresh database of one dialect, created on first use by this
// test binary and dropped when it exits.
type env struct {
	dialect string // "pg", "sqlite", "mysql"
	url     string // ormc's URL for it
	name    string // the PostgreSQL schema or MySQL database; the SQLite file
	base    string // the server URL it lives in ("" for SQLite)
	fix     fixture
	drop    func() error
}

// fixture is what the seed wrote.
type fixture struct {
	parents     []int64  // parent k owns items[k*perParent : (k+1)*perParent]
	parentNames []string // parentNames[k] is the name of parents[k]
	items       []int64  // seeded item keys, ascending and contiguous
	itemNames   []string // itemNames[k] is the name of items[k]
	writeParent int64    // the parent of every row the write benchmarks insert
	updateID    int64    // the row UpdateOne rewrites
	sumQuantity int64    // the sum of the seeded items' quantity

	authors    []int64 // the authors' keys, ascending and contiguous
	dearAuthor int     // how many authors have an item priced above priceOver
	dearKeySum int64   // the sum of their keys

	tags         []int64  // the tags' keys, ascending and contiguous
	tagNames     []string // tagNames[t] is the name of tags[t]
	taggedAuthor int      // how many authors are linked to tag filterTag
	taggedKeySum int64    // the sum of their keys
}

// isLink reports whether author parent is linked to tag, and name is
// that tag's seeded name: the check of every contender's prefetched tags.
func (f *fixture) isLink(parent, tag int64, name string) bool {
	k, t := parent-f.authors[0], tag-f.tags[0]
	return k >= 0 && k < nAuthors && t >= 0 && t < nTags &&
		f.tagNames[t] == name && t%(nTags/tagsPerAuthor) == k%(nTags/tagsPerAuthor)
}

var (
	envMu   sync.Mutex
	envs    = map[string]*env{}
	envErrs = map[string]error{}
)

// envVar names the variable holding each server dialect's URL.
var envVar = map[string]string{"pg": "ORMC_BENCH_POSTGRES", "mysql": "ORMC_BENCH_MYSQL"}

// getEnv returns the database of dialect d, creating and seeding it on
// first use. It skips b when d's URL is not set (fails it under CI=true).
func getEnv(b *testing.B, d string) *env {
	b.Helper()
	envMu.Lock()
	defer envMu.Unlock()
	if e, ok := envs[d]; ok {
		return e
	}
	if err, ok := envErrs[d]; ok {
		b.Fatal(err)
	}
	base := ""
	if v := envVar[d]; v != "" {
		base = os.Getenv(v)
		if base == "" {
			if os.Getenv("CI") == "true" {
				b.Fatalf("%s is not set: CI requires every dialect", v)
			}
			b.Skipf("SKIPPED db=%s: set %s to run it", d, v)
		}
	}
	e, err := newEnv(d, base)
	if err != nil {
		envErrs[d] = err
		b.Fatal(err)
	}
	envs[d] = e
	return e
}

// dropEnvs drops every database this binary created.
func dropEnvs() {
	envMu.Lock()
	defer envMu.Unlock()
	for _, e := range envs {
		if err := e.drop(); err != nil {
			fmt.Fprintf(os.Stderr, "bench: drop %s %s: %v\n", e.dialect, e.name, err)
		}
	}
}

func uniqueName() string {
	var b [6]byte
	_, _ = rand.Read(b[:])
	return "ormcbench_" + hex.EncodeToString(b[:])
}

func newEnv(d, base string) (*env, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	e := &env{dialect: d, base: base, name: uniqueName()}
	switch d {
	case "pg":
		conn, err := pgx.Connect(ctx, base)
		if err != nil {
			return nil, fmt.Errorf("postgres: %w", err)
		}
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, `CREATE SCHEMA "`+e.name+`"`); err != nil {
			return nil, fmt.Errorf("postgres: %w", err)
		}
		e.drop = func() error {
			ctx := context.Background()
			conn, err := pgx.Connect(ctx, base)
			if err != nil {
				return err
			}
			defer conn.Close(ctx)
			_, err = conn.Exec(ctx, `DROP SCHEMA "`+e.name+`" CASCADE`)
			return err
		}
		// Every contender connects with the same session settings: its
		// own schema; no TLS on loopback unless the URL asks for it (bun's
		// driver does not negotiate it, pgx's does); and commits that do
		// not wait for the disk, so that writes measure the client, not
		// fsync (the servers are shared and fsync times vary tenfold).
		e.url = base
		for _, p := range pgSession(e.name, base) {
			if e.url, err = withParam(e.url, p[0], p[1]); err != nil {
				return nil, err
			}
		}
	case "mysql":
		cfg, err := mysqlConfig(base)
		if err != nil {
			return nil, err
		}
		admin, err := sql.Open("mysql", cfg.FormatDSN())
		if err != nil {
			return nil, err
		}
		defer admin.Close()
		if _, err := admin.ExecContext(ctx, "CREATE DATABASE `"+e.name+"` CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin"); err != nil {
			return nil, fmt.Errorf("mysql: %w", err)
		}
		e.drop = func() error {
			admin, err := sql.Open("mysql", cfg.FormatDSN())
			if err != nil {
				return err
			}
			defer admin.Close()
			_, err = admin.Exec("DROP DATABASE `" + e.name + "`")
			return err
		}
		u, err := url.Parse(base)
		if err != nil {
			return nil, err
		}
		u.Path = "/" + e.name
		e.url = u.String()
	case "sqlite":
		dir, err := os.MkdirTemp("", "ormcbench-")
		if err != nil {
			return nil, err
		}
		e.name = filepath.Join(dir, "bench.db")
		e.drop = func() error { return os.RemoveAll(dir) }
		e.url = "sqlite:///" + e.name
	default:
		return nil, fmt.Errorf("unknown dialect %q", d)
	}
	if err := e.seed(ctx); err != nil {
		_ = e.drop()
		return nil, fmt.Errorf("seed %s: %w", d, err)
	}
	return e, nil
}

// seed creates the tables with ormc and fills them through ormc too, in
// one transaction; every contender then reads the same rows.
func (e *env) seed(ctx context.Context) error {
	c, err := ormcdb.Open(ctx, e.url)
	if err != nil {
		return err
	}
	defer c.Close()
	if err := c.CreateTables(ctx); err != nil {
		return err
	}
	f := &e.fix
	err = c.Tx(ctx, func(tx *ormcdb.Client) error {
		for k := range nParents {
			p, err := tx.Parents.Create(ctx, &ormcdb.Parent{Name: fmt.Sprintf("parent-%03d", k)})
			if err != nil {
				return err
			}
			f.parents = append(f.parents, p.ID)
			f.parentNames = append(f.parentNames, p.Name)
		}
		for k := range nItems {
			r := newRow(f.parents[k/perParent], int64(k))
			r.Name = fmt.Sprintf("item-%05d", k)
			if k%2 == 1 {
				r.Note = nil
			}
			it, err := tx.Items.Create(ctx, ormcItem(&r))
			if err != nil {
				return err
			}
			if k > 0 && it.ID != f.items[k-1]+1 {
				return fmt.Errorf("seeded keys are not contiguous: %d after %d", it.ID, f.items[k-1])
			}
			f.items = append(f.items, it.ID)
			f.itemNames = append(f.itemNames, it.Name)
			f.sumQuantity += int64(k)
		}
		w, err := tx.Parents.Create(ctx, &ormcdb.Parent{Name: "writes"})
		if err != nil {
			return err
		}
		f.writeParent = w.ID
		r := newRow(w.ID, 0)
		u, err := tx.Items.Create(ctx, ormcItem(&r))
		if err != nil {
			return err
		}
		f.updateID = u.ID
		if err := e.seedAuthors(ctx, tx); err != nil {
			return err
		}
		return e.seedTags(ctx, tx)
	})
	if err != nil {
		return err
	}
	// The servers' statistics, as their automatic analysis would gather
	// them within a minute or so, in the middle of a run: without them
	// PostgreSQL guesses how many rows a condition keeps, and may scan
	// bench_item where its index on parent reads a hundredth of it.
	// (SQLite gathers none unless told, and applications rarely do.)
	switch e.dialect {
	case "pg":
		_, err = c.DB().Exec(ctx, "ANALYZE bench_parent, bench_item, bench_tag, bench_parent_tags")
	case "mysql":
		_, err = c.DB().Exec(ctx, "ANALYZE TABLE bench_parent, bench_item, bench_tag, bench_parent_tags")
	}
	return err
}

// seedAuthors adds the authors and their items: author k's items cost
// 1.25 × their quantity k*perAuthor+j (at most 1,248.75), and the last
// item of every even author priceOver more.
func (e *env) seedAuthors(ctx context.Context, tx *ormcdb.Client) error {
	f := &e.fix
	for k := range nAuthors {
		a, err := tx.Parents.Create(ctx, &ormcdb.Parent{Name: fmt.Sprintf("author-%03d", k)})
		if err != nil {
			return err
		}
		if k > 0 && a.ID != f.authors[k-1]+1 {
			return fmt.Errorf("seeded author keys are not contiguous: %d after %d", a.ID, f.authors[k-1])
		}
		f.authors = append(f.authors, a.ID)
		for j := range perAuthor {
			r := newRow(a.ID, int64(k*perAuthor+j))
			r.Name = fmt.Sprintf("book-%03d-%d", k, j)
			if k%2 == 0 && j == perAuthor-1 {
				r.Price += priceOver
			}
			if _, err := tx.Items.Create(ctx, ormcItem(&r)); err != nil {
				return err
			}
		}
		if k%2 == 0 {
			f.dearAuthor++
			f.dearKeySum += a.ID
		}
	}
	return nil
}

// seedTags adds nTags tags and links each author to tagsPerAuthor of them
// through the client's many-to-many relation.
func (e *env) seedTags(ctx context.Context, tx *ormcdb.Client) error {
	f := &e.fix
	var tags []*ormcdb.Tag
	for t := range nTags {
		tag, err := tx.Tags.Create(ctx, &ormcdb.Tag{Name: fmt.Sprintf("tag-%02d", t)})
		if err != nil {
			return err
		}
		if t > 0 && tag.ID != f.tags[t-1]+1 {
			return fmt.Errorf("seeded tag keys are not contiguous: %d after %d", tag.ID, f.tags[t-1])
		}
		tags = append(tags, tag)
		f.tags = append(f.tags, tag.ID)
		f.tagNames = append(f.tagNames, tag.Name)
	}
	const stride = nTags / tagsPerAuthor
	for k, id := range f.authors {
		var linked []*ormcdb.Tag
		for t := k % stride; t < nTags; t += stride {
			linked = append(linked, tags[t])
		}
		if err := tx.ParentTags(&ormcdb.Parent{ID: id}).Add(ctx, linked...); err != nil {
			return err
		}
		if k%stride == filterTag%stride {
			f.taggedAuthor++
			f.taggedKeySum += id
		}
	}
	return nil
}

// rowData is one Item's values, independent of any contender; each
// contender converts it to its own type, as its user would.
type rowData struct {
	ParentID  int64
	Name      string
	Body      string
	Quantity  int64
	Big       int64
	Price     float64
	Active    bool
	CreatedAt time.Time
	Note      *string
}

var (
	benchTime = time.Date(2025, 3, 14, 15, 9, 26, 535897000, time.UTC) // microseconds: every dialect keeps it
	benchNote = "a note of moderate length"
)

func newRow(parent, q int64) rowData {
	return rowData{
		ParentID:  parent,
		Name:      "written",
		Body:      "The body of an item: a TEXT column with a sentence or two in it, as real rows have.",
		Quantity:  q,
		Big:       1<<40 + q,
		Price:     float64(q) * 1.25,
		Active:    q%2 == 0,
		CreatedAt: benchTime,
		Note:      &benchNote,
	}
}

func ormcItem(r *rowData) *ormcdb.Item {
	it := &ormcdb.Item{
		Parent:    runtime.KeyRef[*ormcdb.Parent](r.ParentID),
		Name:      r.Name,
		Body:      r.Body,
		Quantity:  r.Quantity,
		Big:       r.Big,
		Price:     r.Price,
		Active:    r.Active,
		CreatedAt: r.CreatedAt,
	}
	if r.Note != nil {
		it.Note = runtime.Some(*r.Note)
	}
	return it
}

// pgSession lists the session parameters of every PostgreSQL contender.
func pgSession(schema, base string) [][2]string {
	ps := [][2]string{{"search_path", schema}, {"synchronous_commit", "off"}}
	if u, err := url.Parse(base); err == nil && u.Query().Get("sslmode") == "" {
		ps = append(ps, [2]string{"sslmode", "disable"})
	}
	return ps
}

func withParam(base, key, value string) (string, error) {
	u, err := url.Parse(base)
	if err != nil {
		return "", fmt.Errorf("invalid database URL: %w", err)
	}
	q := u.Query()
	q.Set(key, value)
	u.RawQuery = q.Encode()
	return u.String(), nil
}

// mysqlConfig turns a mysql:// URL into go-sql-driver's configuration with
// the settings ormc's MySQL driver uses, so both contenders run alike.
func mysqlConfig(rawURL string) (*mysql.Config, error) {
	u, err := url.Parse(rawURL)
	if err != nil || u.Scheme != "mysql" {
		return nil, fmt.Errorf("invalid mysql URL %q", rawURL)
	}
	cfg := mysql.NewConfig()
	if u.User != nil {
		cfg.User = u.User.Username()
		cfg.Passwd, _ = u.User.Password()
	}
	cfg.Net = "tcp"
	cfg.Addr = u.Host
	cfg.DBName = u.Path[min(1, len(u.Path)):]
	cfg.ParseTime = true
	cfg.Loc = time.UTC
	cfg.ClientFoundRows = true
	return cfg, nil
}
