package runtime

import (
	"database/sql"
	"fmt"
	"sync"
	"time"
)

// rowScanner scans the rows of one query shape: the model's columns, then
// the columns of each related table in order.
type rowScanner struct {
	t       *Table
	related []*Path
	dest    []any
	parents []int   // for each related path, the index of its parent in related, or -1 for the root
	objs    []any   // per row: the object of each related path
	alloc   []*slab // per related path: allocates its rows
	pkNull  []*nullDest
	nulls   [][]nullDest // per nullable related path, reusable NULL-tolerant destinations
	pool    *sync.Pool   // where release returns it; nil when not pooled
}

func newRowScanner(t *Table, related []*Path) *rowScanner {
	n := len(t.Columns)
	for _, p := range related {
		n += len(p.fk.Ref.Columns)
	}
	sc := &rowScanner{t: t, related: related, dest: make([]any, n)}
	if len(related) > 0 {
		sc.parents = make([]int, len(related))
		sc.objs = make([]any, len(related))
		sc.alloc = make([]*slab, len(related))
		sc.pkNull = make([]*nullDest, len(related))
		sc.nulls = make([][]nullDest, len(related))
		for i, p := range related {
			sc.parents[i] = -1
			for j, q := range related[:i] {
				if q == p.parent || p.parent != nil && q.key == p.parent.key {
					sc.parents[i] = j
				}
			}
			if p.nullable() {
				sc.nulls[i] = make([]nullDest, len(p.fk.Ref.Columns))
			}
		}
	}
	return sc
}

// scanner returns a row scanner for a query on t that selects related.
// Scanners of queries without JOINs are pooled per table.
func (db *DB) scanner(t *Table, related []*Path) *rowScanner {
	if len(related) > 0 {
		return newRowScanner(t, related)
	}
	pool := &db.tableSQL(t).scanners
	if sc, ok := pool.Get().(*rowScanner); ok {
		sc.pool = pool
		return sc
	}
	sc := newRowScanner(t, nil)
	sc.pool = pool
	return sc
}

// release returns a pooled scanner, holding no row, to its pool.
func (sc *rowScanner) release() {
	if sc.pool == nil {
		return
	}
	clear(sc.dest)
	pool := sc.pool
	sc.pool = nil
	pool.Put(sc)
}

func (sc *rowScanner) scan(rows Rows, row any) error {
	t := sc.t
	for i := range t.Columns {
		sc.dest[i] = t.Ptr(row, i)
	}
	k := len(t.Columns)
	for i, p := range sc.related {
		parent, parentTable := row, t
		if j := sc.parents[i]; j >= 0 {
			parent, parentTable = sc.objs[j], sc.related[j].fk.Ref
		}
		ref := p.fk.Ref
		link := parentTable.Link(parent, p.fk.Index)
		if sc.alloc[i] == nil {
			sc.alloc[i] = newSlab(ref, -1)
		}
		obj := sc.alloc[i].next()
		link.loadAny(obj)
		sc.objs[i] = obj
		for c := range ref.Columns {
			ptr := ref.Ptr(obj, c)
			if nd := sc.nulls[i]; nd != nil {
				nd[c] = nullDest{dst: ptr}
				ptr = &nd[c]
				if c == ref.PK {
					sc.pkNull[i] = &nd[c]
				}
			}
			sc.dest[k] = ptr
			k++
		}
	}
	if err := rows.Scan(sc.dest...); err != nil {
		return err
	}
	// A LEFT JOIN that found nothing leaves the reference without a row.
	for i, p := range sc.related {
		if sc.pkNull[i] != nil && sc.pkNull[i].null {
			parent, parentTable := row, t
			if j := sc.parents[i]; j >= 0 {
				parent, parentTable = sc.objs[j], sc.related[j].fk.Ref
			}
			parentTable.Link(parent, p.fk.Index).detach()
		}
	}
	return nil
}

// nullDest scans a value that a LEFT JOIN may have left NULL into a Go
// field that cannot hold NULL: NULL leaves the field alone and is
// recorded.
type nullDest struct {
	dst  any
	null bool
}

func (n *nullDest) Scan(src any) error {
	n.null = src == nil
	if src == nil {
		return nil
	}
	switch d := n.dst.(type) {
	case sql.Scanner:
		return d.Scan(src)
	case *string:
		return scanVia(d, src)
	case *int64:
		return scanVia(d, src)
	case *int32:
		return scanVia(d, src)
	case *int:
		return scanVia(d, src)
	case *float64:
		return scanVia(d, src)
	case *bool:
		return scanVia(d, src)
	case *time.Time:
		return scanVia(d, src)
	case *[]byte:
		return scanVia(d, src)
	}
	return fmt.Errorf("ormc: cannot scan a joined value into %T", n.dst)
}

// scanVia converts src as database/sql would and stores it in d.
func scanVia[V any](d *V, src any) error {
	var n sql.Null[V]
	if err := n.Scan(src); err != nil {
		return err
	}
	*d = n.V
	return nil
}

// maxSlab is the most rows a slab allocates at once.
const maxSlab = 64

// slab hands out new rows of a table from arrays allocated a chunk at a
// time (Table.NewRows), so that reading n rows costs about n/64
// allocations rather than n. A row kept keeps the rest of its chunk (at
// most maxSlab rows) alive with it. Tables without NewRows get t.New().
type slab struct {
	t     *Table
	buf   any // the chunk: a []T from t.NewRows
	i, n  int // the next row of buf, and its length
	left  int // rows the query can still return; < 0 when it has no limit
	chunk int // size of the next chunk when unlimited
}

func newSlab(t *Table, left int) *slab { return &slab{t: t, left: left, chunk: 8} }

func (s *slab) next() any {
	if s.t.NewRows == nil {
		return s.t.New()
	}
	if s.i == s.n {
		n := s.chunk
		if s.left >= 0 {
			n = min(max(s.left, 1), maxSlab)
		} else {
			s.chunk = min(2*s.chunk, maxSlab)
		}
		s.buf, s.i, s.n = s.t.NewRows(n), 0, n
	}
	row := s.t.Row(s.buf, s.i)
	s.i++
	if s.left > 0 {
		s.left--
	}
	return row
}
