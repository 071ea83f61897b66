package runtime

import (
	"context"
	"errors"
	"iter"
)

// The typed API. Query and Manager are thin generic wrappers over the
// untyped engine (query): each method converts between *T and the engine's
// rows and nothing more, so that a schema of many models does not compile
// the engine once per model.

// Query is a query on the rows of one model. Query values are immutable:
// every method returns a new Query and leaves its receiver unchanged, so a
// stored query can be extended freely.
type Query[T any] struct{ q query }

// NewQuery returns a query on every row of t. T must be the Go type whose
// pointer t.New returns.
func NewQuery[T any](db *DB, t *Table) Query[T] { return Query[T]{query{db: db, t: t}} }

// Table returns the query's model metadata.
func (q Query[T]) Table() *Table { return q.q.t }

// Filter returns the query narrowed to rows that match every p.
func (q Query[T]) Filter(p ...Pred) Query[T] { return Query[T]{q.q.Filter(p...)} }

// Exclude returns the query narrowed to rows that do not match all of p.
func (q Query[T]) Exclude(p ...Pred) Query[T] { return Query[T]{q.q.Exclude(p...)} }

// Where filters with a seed-style lookup string such as "text__icontains"
// or "album__name__iexact", resolved against the model at run time. An
// unknown field or lookup makes the query fail with a *LookupError when it
// runs.
func (q Query[T]) Where(lookup string, value any) Query[T] {
	return Query[T]{q.q.Where(lookup, value)}
}

// OrderBy returns the query ordered by the keys, after any earlier ones.
func (q Query[T]) OrderBy(keys ...Order) Query[T] { return Query[T]{q.q.OrderBy(keys...)} }

// Limit returns the query limited to at most n rows.
func (q Query[T]) Limit(n int) Query[T] { return Query[T]{q.q.Limit(n)} }

// Offset returns the query skipping its first n rows.
func (q Query[T]) Offset(n int) Query[T] { return Query[T]{q.q.Offset(n)} }

// SelectRelated returns the query fetching the rows its foreign keys refer
// to in the same statement, with JOINs: LEFT JOINs where a key can be
// NULL, so that no row is lost. Following a relation several levels deep
// (track → album → artist) loads every level on the way.
func (q Query[T]) SelectRelated(rels ...Relation) Query[T] {
	return Query[T]{q.q.SelectRelated(rels...)}
}

// All returns every row the query matches.
func (q Query[T]) All(ctx context.Context) ([]*T, error) {
	var out []*T
	if q.q.hasLimit {
		out = make([]*T, 0, min(q.q.limit, 1024))
	}
	rows := newSlab[T](q.q)
	err := q.q.each(ctx, -1, rows.next, func(row any) error {
		out = append(out, row.(*T))
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
func (q Query[T]) Iter(ctx context.Context) iter.Seq2[*T, error] {
	return func(yield func(*T, error) bool) {
		rows := newSlab[T](q.q)
		err := q.q.each(ctx, -1, rows.next, func(row any) error {
			if !yield(row.(*T), nil) {
				return errStopped
			}
			return nil
		})
		if err != nil && err != errStopped {
			yield(nil, opError("iter", q.q.t.Model, err))
		}
	}
}

// maxSlab is the most rows a slab allocates at once.
const maxSlab = 64

// slab hands out new rows from arrays allocated a chunk at a time, so that
// reading n rows costs about n/64 allocations rather than n. A row kept
// keeps the rest of its chunk (at most maxSlab rows) alive with it.
type slab[T any] struct {
	buf   []T
	left  int // rows the query can still return; < 0 when it has no limit
	chunk int // size of the next chunk when unlimited
}

func newSlab[T any](q query) *slab[T] {
	s := &slab[T]{left: -1, chunk: 8}
	if q.hasLimit {
		s.left = q.limit
	}
	return s
}

func (s *slab[T]) next() any {
	if len(s.buf) == 0 {
		n := s.chunk
		if s.left >= 0 {
			n = min(max(s.left, 1), maxSlab)
		} else {
			s.chunk = min(2*s.chunk, maxSlab)
		}
		s.buf = make([]T, n)
	}
	row := &s.buf[0]
	s.buf = s.buf[1:]
	if s.left > 0 {
		s.left--
	}
	return row
}

var errStopped = errors.New("stopped")

// Get returns the one row that matches the query and p. It returns an
// error wrapping ErrNotFound when none does and ErrMultipleFound when more
// than one does.
func (q Query[T]) Get(ctx context.Context, p ...Pred) (*T, error) {
	row, err := q.q.get(ctx, p...)
	if err != nil {
		return nil, err
	}
	return row.(*T), nil
}

// First returns the first row the query matches (by primary key unless the
// query is ordered), or an error wrapping ErrNotFound.
func (q Query[T]) First(ctx context.Context) (*T, error) {
	row, err := q.q.first(ctx)
	if err != nil {
		return nil, err
	}
	return row.(*T), nil
}

// Count returns the number of rows the query matches, honouring Limit and
// Offset.
func (q Query[T]) Count(ctx context.Context) (int64, error) { return q.q.Count(ctx) }

// Exists reports whether the query matches any row.
func (q Query[T]) Exists(ctx context.Context) (bool, error) { return q.q.Exists(ctx) }

// UpdateAll sets the assigned columns on every row the query matches and
// returns how many rows matched. The values are validated first.
func (q Query[T]) UpdateAll(ctx context.Context, sets ...Assignment) (int64, error) {
	return q.q.UpdateAll(ctx, sets...)
}

// DeleteAll deletes every row the query matches and returns how many.
func (q Query[T]) DeleteAll(ctx context.Context) (int64, error) { return q.q.DeleteAll(ctx) }

// Manager is the entry point for one model: the client's `Notes` or
// `Tracks`. It is a Query over every row, plus the writes.
type Manager[T any] struct {
	Query[T]
}

// NewManager returns the manager of table t on db. T must be the Go type
// whose pointer t.New returns.
func NewManager[T any](db *DB, t *Table) *Manager[T] {
	return &Manager[T]{NewQuery[T](db, t)}
}

// Create validates row, inserts it and returns it with its primary key
// and engine-filled values set. An auto-increment key left at zero is
// assigned by the database; any other key is inserted as given.
func (m *Manager[T]) Create(ctx context.Context, row *T) (*T, error) {
	if err := m.q.create(ctx, row); err != nil {
		return nil, opError("create", m.q.t.Model, withModel(err, m.q.t))
	}
	return row, nil
}

// Update validates row and writes it, by primary key: every field, or only
// the named ones (auto_now fields are always written). It returns an error
// wrapping ErrNotFound when no row has that key.
func (m *Manager[T]) Update(ctx context.Context, row *T, fields ...Selector) error {
	return m.q.update(ctx, row, fields...)
}

// Delete deletes row, by primary key. It returns an error wrapping
// ErrNotFound when no row has that key.
func (m *Manager[T]) Delete(ctx context.Context, row *T) error { return m.q.delete(ctx, row) }

// BulkCreate validates every row, then inserts them with one multi-row
// INSERT per batch, in one transaction: either every row is inserted, or
// none is. Keys the database assigns are filled in. A validation error
// names the row (by index) before any SQL is sent.
//
// On MySQL the keys of a batch are the first inserted key plus the row's
// position, which holds for InnoDB's default auto-increment lock modes.
func (m *Manager[T]) BulkCreate(ctx context.Context, rows []*T) error {
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
func (m *Manager[T]) Load(ctx context.Context, refs ...Loadable[T]) error {
	ls := make([]loadable, len(refs))
	for i, r := range refs {
		ls[i] = r
	}
	return m.q.load(ctx, ls)
}

// RefsOf collects one reference from each row, for Load:
//
//	client.Albums.Load(ctx, runtime.RefsOf(tracks, func(t *db.Track) runtime.Loadable[db.Album] { return &t.Album })...)
func RefsOf[R, T any](rows []*R, ref func(*R) Loadable[T]) []Loadable[T] {
	out := make([]Loadable[T], len(rows))
	for i, r := range rows {
		out[i] = ref(r)
	}
	return out
}

// Upsert inserts row, or, when a row with the same values in the conflict
// fields (a unique constraint or the primary key) exists, updates that
// row's update fields (every field but the key and the conflict fields
// when none is named). row's primary key is set to the written row's.
func (m *Manager[T]) Upsert(ctx context.Context, row *T, conflict []Selector, update ...Selector) error {
	return m.q.upsert(ctx, row, conflict, update...)
}

// GetOrCreate returns the one row matching p, or creates row when there is
// none. created says which happened. When a concurrent caller creates the
// row first (a unique violation), the existing row is returned.
func (m *Manager[T]) GetOrCreate(ctx context.Context, row *T, p ...Pred) (got *T, created bool, err error) {
	got, err = m.Get(ctx, p...)
	if err == nil || !errors.Is(err, ErrNotFound) {
		return got, false, err
	}
	got, err = m.Create(ctx, row)
	var ce *ConstraintError
	if errors.As(err, &ce) && ce.Kind == UniqueViolation {
		got, err = m.Get(ctx, p...)
		return got, false, err
	}
	return got, err == nil, err
}

// UpdateOrCreate writes the named fields of row (every field when none is
// named) to the one row matching p, or creates row when there is none. On
// update, row's primary key is set to the matched row's.
func (m *Manager[T]) UpdateOrCreate(ctx context.Context, row *T, p []Pred, fields ...Selector) (created bool, err error) {
	return m.q.updateOrCreate(ctx, row, p, fields...)
}
