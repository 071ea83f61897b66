package bench

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// sqlImpl is hand-written database/sql code: what a careful programmer
// writes without an ORM. It runs on PostgreSQL through pgx's stdlib driver
// ("stdlib"), and on SQLite and MySQL through the drivers ormc uses there
// ("sql"), so ormc's overhead over its own driver shows. Bulk insert is one
// multi-row INSERT.
type sqlImpl struct {
	db        *sql.DB
	dialect   string
	returning bool // INSERT … RETURNING id; otherwise LastInsertId
	q         sqlQueries
}

type sqlQueries struct {
	insert, bulk, get, filter, update, join, count, stream string
	// The eager loading's (eager_test.go); authorItems ends in a list of
	// keys: an array on PostgreSQL, else a %s for the placeholders.
	authors, authorItems, filterAny string
	// The many-to-many's (m2m_test.go); authorTags ends in a list of keys
	// as authorItems does.
	authorTags, filterAnyTag string
}

type sqlItem struct {
	ID        int64
	ParentID  int64
	Name      string
	Body      string
	Quantity  int64
	Big       int64
	Price     float64
	Active    bool
	CreatedAt time.Time
	Note      sql.NullString
	Parent    *sqlParent
}

type sqlParent struct {
	ID    int64
	Name  string
	Items []*sqlItem // the items that refer to it, once loaded
	Tags  []*sqlTag  // the tags linked to it, once loaded
}

type sqlTag struct {
	ID   int64
	Name string
}

func (it *sqlItem) dest() []any {
	return []any{&it.ID, &it.ParentID, &it.Name, &it.Body, &it.Quantity, &it.Big, &it.Price, &it.Active, &it.CreatedAt, &it.Note}
}

func openStdlibPg(ctx context.Context, e *env) (impl, error) {
	return openSQL(ctx, "pgx", e.url, "pg")
}

func openSQLite(ctx context.Context, e *env) (impl, error) {
	// The same connection settings as ormc's SQLite driver.
	params := url.Values{}
	params.Add("_pragma", "foreign_keys(1)")
	params.Add("_pragma", "busy_timeout(5000)")
	params.Add("_pragma", "case_sensitive_like(1)")
	params.Add("_pragma", "journal_mode(WAL)")
	params.Add("_txlock", "immediate")
	return openSQL(ctx, "sqlite", "file:"+e.name+"?"+params.Encode(), "sqlite")
}

func openMySQL(ctx context.Context, e *env) (impl, error) {
	cfg, err := mysqlConfig(e.url)
	if err != nil {
		return nil, err
	}
	return openSQL(ctx, "mysql", cfg.FormatDSN(), "mysql")
}

func openSQL(ctx context.Context, driver, dsn, dialect string) (impl, error) {
	db, err := sql.Open(driver, dsn)
	if err != nil {
		return nil, err
	}
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, err
	}
	s := &sqlImpl{db: db, dialect: dialect, returning: dialect != "mysql"}
	const cols = "id, parent, name, body, quantity, big, price, active, created_at, note"
	const ins = "INSERT INTO bench_item (parent, name, body, quantity, big, price, active, created_at, note) VALUES "
	var bulk strings.Builder
	bulk.WriteString(ins)
	for i := range bulkSize {
		if i > 0 {
			bulk.WriteString(", ")
		}
		bulk.WriteString("(?, ?, ?, ?, ?, ?, ?, ?, ?)")
	}
	ret := ""
	if s.returning {
		ret = " RETURNING id"
	}
	s.q = sqlQueries{
		insert: s.rebind(ins + "(?, ?, ?, ?, ?, ?, ?, ?, ?)" + ret),
		bulk:   s.rebind(bulk.String() + ret),
		get:    s.rebind("SELECT " + cols + " FROM bench_item WHERE id = ?"),
		filter: s.rebind("SELECT " + cols + " FROM bench_item WHERE id > ? ORDER BY id LIMIT 100"),
		update: s.rebind("UPDATE bench_item SET parent = ?, name = ?, body = ?, quantity = ?, big = ?, price = ?, active = ?, created_at = ?, note = ? WHERE id = ?"),
		join: s.rebind("SELECT i.id, i.parent, i.name, i.body, i.quantity, i.big, i.price, i.active, i.created_at, i.note, p.id, p.name " +
			"FROM bench_item i JOIN bench_parent p ON p.id = i.parent WHERE p.name = ? LIMIT 100"),
		count:  s.rebind("SELECT count(*) FROM bench_item WHERE parent = ?"),
		stream: s.rebind("SELECT " + cols + " FROM bench_item WHERE id <= ?"),

		authors:     s.rebind("SELECT id, name FROM bench_parent WHERE id >= ? AND id <= ? ORDER BY id"),
		authorItems: "SELECT " + cols + " FROM bench_item WHERE parent IN (%s) ORDER BY id",
		filterAny: s.rebind("SELECT p.id, p.name FROM bench_parent p WHERE p.id >= ? AND p.id <= ? " +
			"AND EXISTS (SELECT 1 FROM bench_item i WHERE i.parent = p.id AND i.price > ?) ORDER BY p.id"),
	}
	s.q.authorTags = "SELECT pt.parent, t.id, t.name FROM bench_parent_tags pt JOIN bench_tag t ON t.id = pt.tag " +
		"WHERE pt.parent IN (%s) ORDER BY pt.tag"
	s.q.filterAnyTag = s.rebind("SELECT p.id, p.name FROM bench_parent p WHERE p.id >= ? AND p.id <= ? " +
		"AND EXISTS (SELECT 1 FROM bench_parent_tags pt JOIN bench_tag t ON t.id = pt.tag WHERE pt.parent = p.id AND t.name = ?) ORDER BY p.id")
	if dialect == "pg" {
		s.q.authorItems = "SELECT " + cols + " FROM bench_item WHERE parent = ANY($1) ORDER BY id"
		s.q.authorTags = "SELECT pt.parent, t.id, t.name FROM bench_parent_tags pt JOIN bench_tag t ON t.id = pt.tag " +
			"WHERE pt.parent = ANY($1) ORDER BY pt.tag"
	}
	return s, nil
}

// rebind turns ? placeholders into $1, $2, … on PostgreSQL.
func (s *sqlImpl) rebind(q string) string {
	if s.dialect != "pg" {
		return q
	}
	var b strings.Builder
	n := 0
	for _, c := range []byte(q) {
		if c == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

func (s *sqlImpl) Close() error { return s.db.Close() }

func appendRowArgs(args []any, r *rowData) []any {
	return append(args, r.ParentID, r.Name, r.Body, r.Quantity, r.Big, r.Price, r.Active, r.CreatedAt, r.Note)
}

func (s *sqlImpl) InsertOne(ctx context.Context, r *rowData) (int64, error) {
	args := appendRowArgs(make([]any, 0, 9), r)
	if s.returning {
		var id int64
		err := s.db.QueryRowContext(ctx, s.q.insert, args...).Scan(&id)
		return id, err
	}
	res, err := s.db.ExecContext(ctx, s.q.insert, args...)
	if err != nil {
		return 0, err
	}
	return res.LastInsertId()
}

func (s *sqlImpl) BulkInsert(ctx context.Context, rs []rowData) ([]int64, error) {
	if len(rs) != bulkSize {
		return nil, fmt.Errorf("bulk insert of %d rows: the statement is built for %d", len(rs), bulkSize)
	}
	args := make([]any, 0, 9*len(rs))
	for i := range rs {
		args = appendRowArgs(args, &rs[i])
	}
	keys := make([]int64, 0, len(rs))
	if !s.returning {
		// MySQL: consecutive keys from the first, for one multi-row INSERT
		// under InnoDB's default auto-increment lock mode.
		res, err := s.db.ExecContext(ctx, s.q.bulk, args...)
		if err != nil {
			return nil, err
		}
		first, err := res.LastInsertId()
		if err != nil {
			return nil, err
		}
		if n, err := res.RowsAffected(); err != nil || n != int64(len(rs)) {
			return nil, fmt.Errorf("bulk insert affected %d rows: %v", n, err)
		}
		for i := range rs {
			keys = append(keys, first+int64(i))
		}
		return keys, nil
	}
	rows, err := s.db.QueryContext(ctx, s.q.bulk, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		keys = append(keys, id)
	}
	return keys, rows.Err()
}

func (s *sqlImpl) GetByPK(ctx context.Context, id int64) (int64, string, error) {
	var it sqlItem
	err := s.db.QueryRowContext(ctx, s.q.get, id).Scan(it.dest()...)
	return it.ID, it.Name, err
}

func (s *sqlImpl) Filter100(ctx context.Context, after int64) (int, int64, error) {
	rows, err := s.db.QueryContext(ctx, s.q.filter, after)
	if err != nil {
		return 0, 0, err
	}
	defer rows.Close()
	items := make([]sqlItem, 0, 100)
	for rows.Next() {
		items = append(items, sqlItem{})
		if err := rows.Scan(items[len(items)-1].dest()...); err != nil {
			return 0, 0, err
		}
	}
	if err := rows.Err(); err != nil || len(items) == 0 {
		return 0, 0, err
	}
	return len(items), items[len(items)-1].ID, nil
}

func (s *sqlImpl) UpdateOne(ctx context.Context, id int64, r *rowData) (int64, error) {
	args := append(appendRowArgs(make([]any, 0, 10), r), id)
	res, err := s.db.ExecContext(ctx, s.q.update, args...)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

func (s *sqlImpl) FilterJoin100(ctx context.Context, name string) (int, int, error) {
	rows, err := s.db.QueryContext(ctx, s.q.join, name)
	if err != nil {
		return 0, 0, err
	}
	defer rows.Close()
	items := make([]sqlItem, 0, 100)
	parents := make([]sqlParent, 0, 100)
	for rows.Next() {
		items = append(items, sqlItem{})
		parents = append(parents, sqlParent{})
		it, pa := &items[len(items)-1], &parents[len(parents)-1]
		it.Parent = pa
		if err := rows.Scan(&it.ID, &it.ParentID, &it.Name, &it.Body, &it.Quantity, &it.Big, &it.Price, &it.Active, &it.CreatedAt, &it.Note, &pa.ID, &pa.Name); err != nil {
			return 0, 0, err
		}
	}
	if err := rows.Err(); err != nil {
		return 0, 0, err
	}
	loaded := 0
	for i := range items {
		if items[i].Parent.Name == name {
			loaded++
		}
	}
	return len(items), loaded, nil
}

func (s *sqlImpl) CountFilter(ctx context.Context, p int64) (int64, error) {
	var n int64
	err := s.db.QueryRowContext(ctx, s.q.count, p).Scan(&n)
	return n, err
}

func (s *sqlImpl) Stream(ctx context.Context, max int64) (int, int64, error) {
	rows, err := s.db.QueryContext(ctx, s.q.stream, max)
	if err != nil {
		return 0, 0, err
	}
	defer rows.Close()
	var it sqlItem
	dest := it.dest()
	n, sum := 0, int64(0)
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return 0, 0, err
		}
		n++
		sum += it.Quantity
	}
	return n, sum, rows.Err()
}
