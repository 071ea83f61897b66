package runtime

import (
	"context"
	"errors"
	"iter"
)

// The typed API. Query and Manager are thin generic wrappers over the
// untyped engine (query): each method converts between the row pointer
// type P (*db.Track) and the engine's rows and nothing more.
//
// They are instantiated with the pointer type, not the struct, because Go
// compiles a generic method once per "shape" of its type arguments: every
// pointer type has the same shape, every struct its own. A schema of N
// models thus compiles these methods once, plus a small wrapper per model,
// rather than N times over (500 models took minutes to build).
//
// Every method is also marked go:noinline: a method of Query[*db.Track]
// is a wrapper that calls the shape's method, and would otherwise hold a
// copy of its body (Iter's two closures included), once per model and
// per method. Kept out, the wrappers compile to a call each; the call
// costs nanoseconds next to a query's round trip.

// Query is a query on the rows of one model; P is the pointer to the
// model's Go type, e.g. Query[*db.Track]. Query values are immutable: every
// method returns a new Query and leaves its receiver unchanged, so a stored
// query can be extended freely.
type Query[P any] struct{ q query }

// NewQuery returns a query on every row of t. P must be the type of the
// rows t.New returns.
func NewQuery[P any](db *DB, t *Table) Query[P] { return Query[P]{query{db: db, t: t}} }

// Table returns the query's model metadata.
//
//go:noinline
func (q Query[P]) Table() *Table { return q.q.t }

// Filter returns the query narrowed to rows that match every p. A
// predicate on a field of another model makes the query fail with
// ErrWrongModel when it runs.
//
//go:noinline
func (q Query[P]) Filter(p ...Pred) Query[P] { return Query[P]{q.q.Filter(p...)} }

// Exclude returns the query narrowed to rows that do not match all of p,
// including those where p is unknown because of a NULL (see Not).
//
//go:noinline
func (q Query[P]) Exclude(p ...Pred) Query[P] { return Query[P]{q.q.Exclude(p...)} }

// Where filters with a seed-style lookup string such as "text__icontains"
// or "album__name__iexact", resolved against the model at run time. An
// unknown field or lookup makes the query fail with a *LookupError when it
// runs.
//
//go:noinline
func (q Query[P]) Where(lookup string, value any) Query[P] {
	return Query[P]{q.q.Where(lookup, value)}
}

// OrderBy returns the query ordered by the keys, after any earlier ones,
// and then by the primary key, so that ties come out in the same order on
// every database. NULL sorts first in ascending order, last in
// descending order.
//
//go:noinline
func (q Query[P]) OrderBy(keys ...Order) Query[P] { return Query[P]{q.q.OrderBy(keys...)} }

// Limit returns the query limited to at most n rows; a negative n makes
// the query fail with ErrInvalidQuery when it runs.
//
//go:noinline
func (q Query[P]) Limit(n int) Query[P] { return Query[P]{q.q.Limit(n)} }

// Offset returns the query skipping its first n rows; a negative n makes
// the query fail with ErrInvalidQuery when it runs.
//
//go:noinline
func (q Query[P]) Offset(n int) Query[P] { return Query[P]{q.q.Offset(n)} }

// SelectRelated returns the query fetching the rows its foreign keys refer
// to in the same statement, with JOINs: LEFT JOINs where a key can be
// NULL, so that no row is lost. Following a relation several levels deep
// (track → album → artist) loads every level on the way.
//
//go:noinline
func (q Query[P]) SelectRelated(rels ...Relation) Query[P] {
	return Query[P]{q.q.SelectRelated(rels...)}
}

// All returns every row the query matches.
//
//go:noinline
func (q Query[P]) All(ctx context.Context) ([]P, error) {
	var out []P
	if q.q.hasLimit {
		out = make([]P, 0, min(q.q.limit, 1024))
	}
	err := q.q.each(ctx, -1, q.q.slab(), func(row any) error {
		out = append(out, row.(P))
		return nil
	})
	if err != nil {
		return nil, opError("all", q.q.t.Model, err)
	}
	return out, nil
}

// Iter returns the rows the query matches one at a time, as they are read
// from the database, without holding them all in memory. Iteration stops
// at the first error, which is yielded with a nil row.
//
// The query's rows stay open, holding their connection, until the loop
// ends. A statement in the loop body takes another connection from the
// pool; inside a transaction, or on a database with one connection
// (sqlite://:memory:, pool_max_conns=1), there is none, and the statement
// fails with an error wrapping ErrConnBusy. Use All when the loop must
// run queries of its own there.
//
//go:noinline
func (q Query[P]) Iter(ctx context.Context) iter.Seq2[P, error] {
	return func(yield func(P, error) bool) {
		err := q.q.each(ctx, -1, q.q.slab(), func(row any) error {
			if !yield(row.(P), nil) {
				return errStopped
			}
			return nil
		})
		if err != nil && err != errStopped {
			var zero P
			yield(zero, opError("iter", q.q.t.Model, err))
		}
	}
}

var errStopped = errors.New("stopped")

// Get returns the one row that matches the query and p. It returns an
// error wrapping ErrNotFound when none does and ErrMultipleFound when more
// than one does; it reads up to two rows whatever the query's Limit.
//
//go:noinline
func (q Query[P]) Get(ctx context.Context, p ...Pred) (P, error) {
	row, err := q.q.get(ctx, p...)
	return as[P](row), err
}

// First returns the first row the query matches (by primary key unless the
// query is ordered), or an error wrapping ErrNotFound.
//
//go:noinline
func (q Query[P]) First(ctx context.Context) (P, error) {
	row, err := q.q.first(ctx)
	return as[P](row), err
}

// as returns the engine's row as a P, or the zero P for none.
func as[P any](row any) P {
	p, _ := row.(P)
	return p
}

// Count returns the number of rows the query matches, honouring Limit and
// Offset.
//
//go:noinline
func (q Query[P]) Count(ctx context.Context) (int64, error) { return q.q.Count(ctx) }

// Exists reports whether the query matches any row, honouring Limit and
// Offset.
//
//go:noinline
func (q Query[P]) Exists(ctx context.Context) (bool, error) { return q.q.Exists(ctx) }

// UpdateAll sets the assigned columns on every row the query matches and
// returns how many rows matched. The values are validated first.
//
//go:noinline
func (q Query[P]) UpdateAll(ctx context.Context, sets ...Assignment) (int64, error) {
	return q.q.UpdateAll(ctx, sets...)
}

// DeleteAll deletes every row the query matches and returns how many.
//
//go:noinline
func (q Query[P]) DeleteAll(ctx context.Context) (int64, error) { return q.q.DeleteAll(ctx) }

// Manager is the entry point for one model: the client's `Notes` or
// `Tracks`. It has the methods of a Query over every row, plus the writes.
// (It does not embed Query: promoted methods would cost two more wrapper
// functions each, per model, in every build.)
type Manager[P any] struct{ q query }

// NewManager returns the manager of table t on db. P must be the type of
// the rows t.New returns.
func NewManager[P any](db *DB, t *Table) *Manager[P] {
	return &Manager[P]{query{db: db, t: t}}
}

// Query returns a query on every row of the model.
//
//go:noinline
func (m *Manager[P]) Query() Query[P] { return Query[P]{m.q} }

// Table returns the model metadata.
//
//go:noinline
func (m *Manager[P]) Table() *Table { return m.q.t }

// Filter returns a query on the rows that match every p.
//
//go:noinline
func (m *Manager[P]) Filter(p ...Pred) Query[P] { return m.Query().Filter(p...) }

// Exclude returns a query on the rows that do not match all of p.
//
//go:noinline
func (m *Manager[P]) Exclude(p ...Pred) Query[P] { return m.Query().Exclude(p...) }

// Where returns a query filtered with a seed-style lookup string; see
// Query.Where.
//
//go:noinline
func (m *Manager[P]) Where(lookup string, value any) Query[P] { return m.Query().Where(lookup, value) }

// OrderBy returns a query on every row, ordered by the keys.
//
//go:noinline
func (m *Manager[P]) OrderBy(keys ...Order) Query[P] { return m.Query().OrderBy(keys...) }

// Limit returns a query on at most n rows.
//
//go:noinline
func (m *Manager[P]) Limit(n int) Query[P] { return m.Query().Limit(n) }

// Offset returns a query on every row but the first n.
//
//go:noinline
func (m *Manager[P]) Offset(n int) Query[P] { return m.Query().Offset(n) }

// SelectRelated returns a query that fetches the related rows with JOINs;
// see Query.SelectRelated.
//
//go:noinline
func (m *Manager[P]) SelectRelated(rels ...Relation) Query[P] {
	return m.Query().SelectRelated(rels...)
}

// All returns every row.
//
//go:noinline
func (m *Manager[P]) All(ctx context.Context) ([]P, error) { return m.Query().All(ctx) }

// Iter returns every row, one at a time; see Query.Iter.
//
//go:noinline
func (m *Manager[P]) Iter(ctx context.Context) iter.Seq2[P, error] { return m.Query().Iter(ctx) }

// Get returns the one row that matches p; see Query.Get.
//
//go:noinline
func (m *Manager[P]) Get(ctx context.Context, p ...Pred) (P, error) { return m.Query().Get(ctx, p...) }

// First returns the row with the smallest key, or an error wrapping
// ErrNotFound.
//
//go:noinline
func (m *Manager[P]) First(ctx context.Context) (P, error) { return m.Query().First(ctx) }

// Count returns the number of rows.
//
//go:noinline
func (m *Manager[P]) Count(ctx context.Context) (int64, error) { return m.q.Count(ctx) }

// Exists reports whether there is any row.
//
//go:noinline
func (m *Manager[P]) Exists(ctx context.Context) (bool, error) { return m.q.Exists(ctx) }

// UpdateAll sets the assigned columns on every row and returns how many
// rows there were.
//
//go:noinline
func (m *Manager[P]) UpdateAll(ctx context.Context, sets ...Assignment) (int64, error) {
	return m.q.UpdateAll(ctx, sets...)
}

// DeleteAll deletes every row and returns how many there were.
//
//go:noinline
func (m *Manager[P]) DeleteAll(ctx context.Context) (int64, error) { return m.q.DeleteAll(ctx) }

// Create validates row, inserts it and returns it with its primary key
// and engine-filled values set. An auto-increment key left at zero is
// assigned by the database; any other key is inserted as given.
//
//go:noinline
func (m *Manager[P]) Create(ctx context.Context, row P) (P, error) {
	if err := m.q.create(ctx, row); err != nil {
		var zero P
		return zero, opError("create", m.q.t.Model, withModel(err, m.q.t))
	}
	return row, nil
}

// Update validates row and writes it, by primary key: every field, or only
// the named ones (auto_now fields are always written). It returns an error
// wrapping ErrNotFound when no row has that key.
//
//go:noinline
func (m *Manager[P]) Update(ctx context.Context, row P, fields ...Selector) error {
	return m.q.update(ctx, row, fields...)
}

// Delete deletes row, by primary key. It returns an error wrapping
// ErrNotFound when no row has that key.
//
//go:noinline
func (m *Manager[P]) Delete(ctx context.Context, row P) error { return m.q.delete(ctx, row) }

// BulkCreate validates every row, then inserts them all in one
// transaction, with as few statements as the database allows: either
// every row is inserted, or none is. Keys the database assigns are filled
// in. Validation names every bad row (see RowError) before any SQL is sent.
//
//go:noinline
func (m *Manager[P]) BulkCreate(ctx context.Context, rows []P) error {
	anys := make([]any, len(rows))
	for i, r := range rows {
		anys[i] = r
	}
	return m.q.bulkCreate(ctx, anys)
}

// Load fills sparse references to rows of this model with one query,
// however many references there are. References that are NULL or already
// loaded are left alone. It returns an error wrapping ErrNotFound when a
// referenced row does not exist.
//
//go:noinline
func (m *Manager[P]) Load(ctx context.Context, refs ...Loadable[P]) error {
	ls := make([]loadable, len(refs))
	for i, r := range refs {
		ls[i] = r
	}
	return m.q.load(ctx, ls)
}

// RefsOf collects one reference from each row, for Load:
//
//	client.Albums.Load(ctx, runtime.RefsOf(tracks, func(t *db.Track) runtime.Loadable[*db.Album] { return &t.Album })...)
func RefsOf[R, P any](rows []R, ref func(R) Loadable[P]) []Loadable[P] {
	out := make([]Loadable[P], len(rows))
	for i, r := range rows {
		out[i] = ref(r)
	}
	return out
}

// Upsert inserts row, or, when a row with the same values in the conflict
// fields (a unique constraint or the primary key) exists, updates that
// row's update fields (every field but the key and the conflict fields
// when none is named). row's primary key is set to the written row's.
//
//go:noinline
func (m *Manager[P]) Upsert(ctx context.Context, row P, conflict []Selector, update ...Selector) error {
	return m.q.upsert(ctx, row, conflict, update...)
}

// GetOrCreate returns the one row matching p, or creates row when there is
// none. created says which happened. When a concurrent caller creates the
// row first (a unique violation), the existing row is returned; when it
// cannot be read (not yet committed, or not visible to this transaction's
// snapshot), the unique violation is. Inside a transaction the create runs
// in a savepoint, so that a violation leaves the transaction usable on
// PostgreSQL.
//
//go:noinline
func (m *Manager[P]) GetOrCreate(ctx context.Context, row P, p ...Pred) (got P, created bool, err error) {
	r, created, err := m.q.getOrCreate(ctx, row, p...)
	return as[P](r), created, err
}

// UpdateOrCreate writes the named fields of row (every field when none is
// named) to the one row matching p, or creates row when there is none. On
// update, row's primary key is set to the matched row's.
//
//go:noinline
func (m *Manager[P]) UpdateOrCreate(ctx context.Context, row P, p []Pred, fields ...Selector) (created bool, err error) {
	return m.q.updateOrCreate(ctx, row, p, fields...)
}
