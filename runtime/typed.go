package runtime

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"slices"
)

// The typed API. Query is a thin generic wrapper over the untyped engine
// (query): each method converts between the row pointer type M (*db.Track)
// and the engine's rows and nothing more.
//
// Its shape is set by what Go compiles for each model. A generic type's
// methods are compiled once per "shape" of its type arguments, and every
// pointer type has the same shape, so the bodies below are compiled once
// for every model. But each instantiation (Query[*db.Track], one per model
// in the generated package) still gets one small wrapper per method,
// whether called or not, and one more per value-receiver method for its
// pointer type. So there is one type, not a Query and a Manager with the
// same methods; its methods have pointer receivers; and each is marked
// go:noinline, so that the wrappers stay a call each rather than a copy
// of the body. The call costs nanoseconds next to a query's round trip.

// Query is the rows of one model that a query selects; M is the pointer to
// the model's Go type, as in Query[*db.Track]. The client's managers
// (client.Tracks) are Queries over every row, and also write rows.
//
// A Query is immutable: every method returns a new Query and leaves its
// receiver unchanged, so a stored query can be extended freely, and a
// Query is safe for concurrent use.
type Query[M any] struct{ q query }

// NewQuery returns a query on every row of t. M must be the type of the
// rows t.New returns. It is not inlined, so that the client's NewClient is
// one call per model rather than an allocation of each Query.
//
//go:noinline
func NewQuery[M any](db *DB, t *Table) *Query[M] { return &Query[M]{query{db: db, t: t}} }

// Table returns the query's model metadata.
//
//go:noinline
func (q *Query[M]) Table() *Table { return q.q.t }

// Filter returns the query narrowed to rows that match every p.
//
//go:noinline
func (q *Query[M]) Filter(p ...Pred[M]) *Query[M] { return &Query[M]{q.q.Filter(conds(p)...)} }

// Exclude returns the query narrowed to rows that do not match all of p,
// including those where p is unknown because of a NULL (see Not):
// Exclude(p, q) is Filter(Not(And(p, q))), so that Exclude of the zero
// Pred, which matches every row, keeps none. Exclude() keeps every row.
//
//go:noinline
func (q *Query[M]) Exclude(p ...Pred[M]) *Query[M] {
	if len(p) == 0 {
		return &Query[M]{q.q}
	}
	return &Query[M]{q.q.Filter(not(and(conds(p)...)))}
}

// Where filters with a seed-style lookup string such as "text__icontains"
// or "album__name__iexact", resolved against the model at run time. An
// unknown field or lookup makes the query fail with a *LookupError when it
// runs.
//
//go:noinline
func (q *Query[M]) Where(lookup string, value any) *Query[M] {
	return &Query[M]{q.q.Where(lookup, value)}
}

// OrderBy returns the query ordered by the keys, after any earlier ones,
// and then by the primary key, so that ties come out in the same order on
// every database. NULL sorts first in ascending order, last in
// descending order.
//
//go:noinline
func (q *Query[M]) OrderBy(keys ...Order[M]) *Query[M] {
	ks := make([]sortKey, len(keys))
	for i, k := range keys {
		ks[i] = k.k
	}
	return &Query[M]{q.q.OrderBy(ks...)}
}

// Limit returns the query limited to at most n rows; a negative n makes
// the query fail with ErrInvalidQuery when it runs.
//
//go:noinline
func (q *Query[M]) Limit(n int) *Query[M] { return &Query[M]{q.q.Limit(n)} }

// Offset returns the query skipping its first n rows; a negative n makes
// the query fail with ErrInvalidQuery when it runs.
//
//go:noinline
func (q *Query[M]) Offset(n int) *Query[M] { return &Query[M]{q.q.Offset(n)} }

// SelectRelated returns the query fetching the rows its foreign keys refer
// to in the same statement, with JOINs: LEFT JOINs where a key can be
// NULL, so that no row is lost. Following a relation several levels deep
// (track → album → artist) loads every level on the way.
//
//go:noinline
func (q *Query[M]) SelectRelated(rels ...Relation[M]) *Query[M] {
	ps := make([]*Path, len(rels))
	var zero M
	for i, r := range rels {
		ps[i] = r.relOf(zero)
	}
	return &Query[M]{q.q.SelectRelated(ps...)}
}

// All returns every row the query matches.
//
//go:noinline
func (q *Query[M]) All(ctx context.Context) ([]M, error) {
	var out []M
	if q.q.hasLimit {
		out = make([]M, 0, min(q.q.limit, 1024))
	}
	err := q.q.each(ctx, -1, q.q.slab(), func(row any) error {
		out = append(out, row.(M))
		return nil
	})
	if err == nil && len(q.q.prefetch) > 0 {
		rows := make([]any, len(out))
		for i, r := range out {
			rows[i] = r
		}
		err = q.q.prefetchAll(ctx, rows)
	}
	if err != nil {
		return nil, opError("all", q.q.t.Model, err)
	}
	return out, nil
}

// Prefetch returns the query loading, with its rows, the rows that refer
// to them through each relation, with one query per relation (and per
// MaxParams keys), nested as each asks:
//
//	client.Artists.Prefetch(db.ArtistAlbums.Prefetch(db.AlbumTracks.Prefetch())).All(ctx)
//
// The children are in each row's Edges (artist.Edges.Albums.All()). All,
// Get and First prefetch; Iter refuses a query that would.
//
//go:noinline
func (q *Query[M]) Prefetch(p ...Prefetch[M]) *Query[M] {
	n := q.q
	n.prefetch = slices.Clip(n.prefetch)
	for _, x := range p {
		if x.s != nil {
			n.prefetch = append(n.prefetch, x.s)
		}
	}
	return &Query[M]{n}
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
func (q *Query[M]) Iter(ctx context.Context) iter.Seq2[M, error] {
	return func(yield func(M, error) bool) {
		if len(q.q.prefetch) > 0 {
			var zero M
			yield(zero, opError("iter", q.q.t.Model, fmt.Errorf("%w: Iter does not prefetch; use All", ErrInvalidQuery)))
			return
		}
		err := q.q.each(ctx, -1, q.q.slab(), func(row any) error {
			if !yield(row.(M), nil) {
				return errStopped
			}
			return nil
		})
		if err != nil && err != errStopped {
			var zero M
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
func (q *Query[M]) Get(ctx context.Context, p ...Pred[M]) (M, error) {
	row, err := q.q.get(ctx, conds(p)...)
	if err == nil && len(q.q.prefetch) > 0 {
		err = opError("get", q.q.t.Model, q.q.prefetchAll(ctx, []any{row}))
	}
	if err != nil {
		return as[M](nil), err
	}
	return as[M](row), nil
}

// First returns the first row the query matches (by primary key unless the
// query is ordered), or an error wrapping ErrNotFound.
//
//go:noinline
func (q *Query[M]) First(ctx context.Context) (M, error) {
	row, err := q.q.first(ctx)
	if err == nil && len(q.q.prefetch) > 0 {
		err = opError("first", q.q.t.Model, q.q.prefetchAll(ctx, []any{row}))
	}
	if err != nil {
		return as[M](nil), err
	}
	return as[M](row), nil
}

// nilRow returns an error naming op when row is nil, which no write can
// take (a method of the generated row would panic on it).
func nilRow[M any](row M, op string, t *Table) error {
	var zero M
	if any(row) == any(zero) {
		return opError(op, t.Model, fmt.Errorf("%w: a nil row", ErrInvalidQuery))
	}
	return nil
}

// as returns the engine's row as an M, or the zero M for none.
func as[M any](row any) M {
	p, _ := row.(M)
	return p
}

// Count returns the number of rows the query matches, honouring Limit and
// Offset.
//
//go:noinline
func (q *Query[M]) Count(ctx context.Context) (int64, error) { return q.q.Count(ctx) }

// Exists reports whether the query matches any row, honouring Limit and
// Offset.
//
//go:noinline
func (q *Query[M]) Exists(ctx context.Context) (bool, error) { return q.q.Exists(ctx) }

// UpdateAll sets the assigned fields on every row the query matches, in one
// statement, and returns how many rows matched. The values are validated
// first.
//
//go:noinline
func (q *Query[M]) UpdateAll(ctx context.Context, sets ...Assignment[M]) (int64, error) {
	return q.q.UpdateAll(ctx, assignments(sets)...)
}

func assignments[M any](sets []Assignment[M]) []assignment {
	out := make([]assignment, len(sets))
	for i, s := range sets {
		out[i] = s.a
	}
	return out
}

// DeleteAll deletes every row the query matches and returns how many.
//
//go:noinline
func (q *Query[M]) DeleteAll(ctx context.Context) (int64, error) { return q.q.DeleteAll(ctx) }

// Create validates row, inserts it and returns it with its primary key
// and engine-filled values set. An auto-increment key left at zero is
// assigned by the database; any other key is inserted as given. The
// query's conditions play no part.
//
//go:noinline
func (q *Query[M]) Create(ctx context.Context, row M) (M, error) {
	if err := nilRow(row, "create", q.q.t); err != nil {
		return row, err
	}
	if err := q.q.create(ctx, row); err != nil {
		var zero M
		return zero, opError("create", q.q.t.Model, withModel(err, q.q.t))
	}
	return row, nil
}

// Update writes row by its primary key. With no assignments it writes
// every field; with some, it applies them to row and writes only those
// fields (and the auto_now ones), each value said once:
//
//	err := client.Products.Update(ctx, p, db.ProductStock.Set(9), db.ProductName.Set("Tea"))
//
// The values are validated before any SQL; on an error the database is
// unchanged, though row may hold the assigned values. It returns an error
// wrapping ErrNotFound when no row has that key.
//
//go:noinline
func (q *Query[M]) Update(ctx context.Context, row M, sets ...Assignment[M]) error {
	if err := nilRow(row, "update", q.q.t); err != nil {
		return err
	}
	return q.q.update(ctx, row, assignments(sets))
}

// Delete deletes row, by primary key. It returns an error wrapping
// ErrNotFound when no row has that key.
//
//go:noinline
func (q *Query[M]) Delete(ctx context.Context, row M) error {
	if err := nilRow(row, "delete", q.q.t); err != nil {
		return err
	}
	return q.q.delete(ctx, row)
}

// BulkCreate validates every row, then inserts them all in one
// transaction, with as few statements as the database allows: either
// every row is inserted, or none is. Keys the database assigns are filled
// in. Validation names every bad row (see RowError) before any SQL is sent.
//
//go:noinline
func (q *Query[M]) BulkCreate(ctx context.Context, rows []M) error {
	anys := make([]any, len(rows))
	for i, r := range rows {
		if err := nilRow(r, "bulk create", q.q.t); err != nil {
			return &RowError{Row: i, Err: err}
		}
		anys[i] = r
	}
	return q.q.bulkCreate(ctx, anys)
}

// Load fills sparse references to rows of this model with one query,
// however many references there are. References that are NULL or already
// loaded are left alone. It returns an error wrapping ErrNotFound when a
// referenced row does not exist.
//
//go:noinline
func (q *Query[M]) Load(ctx context.Context, refs ...Loadable[M]) error {
	ls := make([]loadable, len(refs))
	for i, r := range refs {
		ls[i] = r
	}
	return q.q.load(ctx, ls)
}

// RefsOf collects one reference from each row, for Load:
//
//	client.Albums.Load(ctx, runtime.RefsOf(tracks, func(t *db.Track) runtime.Loadable[*db.Album] { return &t.Album })...)
func RefsOf[R, M any](rows []R, ref func(R) Loadable[M]) []Loadable[M] {
	out := make([]Loadable[M], len(rows))
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
func (q *Query[M]) Upsert(ctx context.Context, row M, conflict []Selector[M], update ...Selector[M]) error {
	if err := nilRow(row, "upsert", q.q.t); err != nil {
		return err
	}
	return q.q.upsert(ctx, row, colsOf(conflict), colsOf(update))
}

func colsOf[M any](ss []Selector[M]) []ColRef {
	out := make([]ColRef, len(ss))
	var zero M
	for i, s := range ss {
		if s != nil { // a nil Selector: ColRef{}, refused as naming no column
			out[i] = s.colOf(zero)
		}
	}
	return out
}

// GetOrCreate returns the one row matching where, or, when there is none,
// creates one: the schema's defaults, then the values where's equalities
// give (Eq on the model's own fields, alone or in And), then defaults.
// created says which happened:
//
//	u, created, err := client.Users.GetOrCreate(ctx, db.UserEmail.Eq(e), db.UserName.Set("Ann"))
//
// When a concurrent caller creates the row first (a unique violation), the
// existing row is returned; when it cannot be read (not yet committed, or
// not visible to this transaction's snapshot), the unique violation is.
// Inside a transaction the create runs in a savepoint, so that a
// violation leaves the transaction usable on PostgreSQL.
//
//go:noinline
func (q *Query[M]) GetOrCreate(ctx context.Context, where Pred[M], defaults ...Assignment[M]) (row M, created bool, err error) {
	r, created, err := q.q.getOrCreate(ctx, where.c, assignments(defaults))
	return as[M](r), created, err
}

// UpdateOrCreate applies sets to the one row matching where and writes
// them, or, when there is none, creates a row as GetOrCreate does, with
// sets as its defaults. It returns the stored row and whether it was
// created; the get and the write are one unit (a transaction, or a
// savepoint inside one).
//
//go:noinline
func (q *Query[M]) UpdateOrCreate(ctx context.Context, where Pred[M], sets ...Assignment[M]) (row M, created bool, err error) {
	r, created, err := q.q.updateOrCreate(ctx, where.c, assignments(sets))
	return as[M](r), created, err
}

// Lock returns the query locking the rows it returns, until the
// transaction it runs in ends, as mode says: ForUpdate or ForShare,
// with SkipLocked or NoWait if need be, combined with |. Lock(0) removes
// the lock. A locked query runs only in a transaction (Tx); All, Get,
// First, Iter and Page lock, Count and Exists refuse to. An invalid mode
// makes the query fail with ErrInvalidQuery when it runs. On SQLite,
// whose write transactions exclude each other, no clause is sent.
//
//go:noinline
func (q *Query[M]) Lock(mode LockMode) *Query[M] { return &Query[M]{q.q.Lock(mode)} }

// Search returns the query narrowed to the rows where some text field of
// the model (String, Text, Email, URL) contains term, ignoring case, as
// each field's IContains does; an empty term matches every row.
//
//go:noinline
func (q *Query[M]) Search(term string) *Query[M] { return &Query[M]{q.q.Search(term)} }

// Page returns the n rows after the cursor after ("" for the first page)
// in the query's order (by primary key when it has none; ties broken by
// the primary key), and the cursor of the next page, "" after the last.
// The query may not have a Limit or Offset, nor order by a field across a
// relation; a cursor of another ordering is refused. Both fail with an
// error wrapping ErrInvalidQuery.
//
//go:noinline
func (q *Query[M]) Page(ctx context.Context, after string, n int) (rows []M, next string, err error) {
	next, err = q.q.page(ctx, after, n, func(row any) { rows = append(rows, row.(M)) })
	if err != nil {
		return nil, "", opError("page", q.q.t.Model, err)
	}
	return rows, next, nil
}
