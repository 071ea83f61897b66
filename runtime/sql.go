package runtime

import (
	"errors"
	"fmt"
	"net/netip"
	"strings"
	"sync"
	"time"

	"github.com/ormc/ormc/runtime/dialect"
)

// builder accumulates one SQL statement and its arguments. Builders are
// pooled: the statements of a query shape are built into a reused buffer
// and looked up in the DB's statement text cache, so a query that ran
// before costs no allocation for its SQL.
type builder struct {
	buf   []byte
	d     dialect.Dialect
	args  []any
	alias map[string]string // path key → table alias; nil when columns are unqualified
	err   error             // the first reason the statement cannot be built
	// subqueries counts the EXISTS subqueries written, which name their
	// tables' aliases.
	subqueries int
}

// fail records the first reason the statement cannot be built.
func (b *builder) fail(err error) {
	if b.err == nil {
		b.err = err
	}
}

// ErrUnsupported is wrapped by errors for operations a dialect cannot
// perform faithfully; ormc refuses them rather than return wrong rows.
var ErrUnsupported = errors.New("ormc: not supported by this database")

var builderPool = sync.Pool{New: func() any { return new(builder) }}

// newBuilder returns an empty builder; free returns it to the pool.
func newBuilder(d dialect.Dialect) *builder {
	b := builderPool.Get().(*builder)
	b.d = d
	return b
}

// free returns b to the pool. Its args escape to the statement, so only
// the SQL buffer is kept.
func (b *builder) free() {
	if cap(b.buf) > 64<<10 {
		return // a huge statement: let it go rather than pin it
	}
	*b = builder{buf: b.buf[:0]}
	builderPool.Put(b)
}

func (b *builder) write(s string) { b.buf = append(b.buf, s...) }

func (b *builder) ident(name string) { b.buf = b.d.AppendIdent(b.buf, name) }

// placeholder writes the placeholder of the n-th argument without binding.
func (b *builder) placeholder(n int) { b.buf = b.d.AppendPlaceholder(b.buf, n) }

// arg binds v and writes its placeholder.
func (b *builder) arg(v any) {
	b.args = append(b.args, bindValue(v))
	b.placeholder(len(b.args))
}

// bindValue returns v as it is bound: instants as DateTime columns store
// them, in UTC, to the microsecond (see BindUTC), a Float's -0 as 0,
// which SQLite and MariaDB store for it (PostgreSQL would keep -0), and an
// IP address as its canonical text (see BindAddr).
func bindValue(v any) any {
	switch x := v.(type) {
	case time.Time:
		return BindUTC(x)
	case float64:
		if x == 0 {
			return 0.0
		}
	case Null[float64]:
		if x.Valid && x.V == 0 {
			return Some(0.0)
		}
	case netip.Addr:
		return BindAddr(x)
	case Null[netip.Addr]:
		return BindNullAddr(x)
	}
	return v
}

// col writes a column reference, qualified by its path's alias when the
// statement uses aliases.
func (b *builder) col(ref ColRef) {
	if b.alias != nil {
		b.write(b.alias[ref.Path.Key()])
		b.buf = append(b.buf, '.')
	}
	b.ident(ref.Col.Name)
}

// cmpCol writes a column as an operand of a comparison or an ORDER BY
// key: with the dialect's decimal collation when it holds decimals.
func (b *builder) cmpCol(ref ColRef) {
	b.col(ref)
	if ref.Col.Kind == KindDecimal {
		b.write(b.d.DecimalCollation())
	}
}

// foldCol writes ref case-folded.
func (b *builder) foldCol(ref ColRef) {
	before, after := b.d.Fold()
	b.write(before)
	b.col(ref)
	b.write(after)
}

// foldArg binds s and writes it case-folded.
func (b *builder) foldArg(s string) {
	before, after := b.d.Fold()
	b.write(before)
	b.arg(s)
	b.write(after)
}

// ---------------------------------------------------------------------------
// Lists

// writeList writes f(b, x) for each of xs, with sep between them.
func writeList[T any](b *builder, xs []T, sep string, f func(*builder, T)) {
	for i, x := range xs {
		if i > 0 {
			b.write(sep)
		}
		f(b, x)
	}
}

// column writes c's quoted name.
func (b *builder) column(c *Column) { b.ident(c.Name) }

// columns writes the quoted names of cols: a, b, c.
func (b *builder) columns(cols []*Column) { writeList(b, cols, ", ", (*builder).column) }

// argList binds vals and writes their placeholders: ?, ?, ?.
func (b *builder) argList(vals []any) { writeList(b, vals, ", ", (*builder).arg) }

// placeholders writes the placeholders of arguments 1 to n, binding none.
func (b *builder) placeholders(n int) {
	for i := 1; i <= n; i++ {
		if i > 1 {
			b.write(", ")
		}
		b.placeholder(i)
	}
}

// assign writes "c = ", for the value that follows.
func (b *builder) assign(c *Column) {
	b.ident(c.Name)
	b.write(" = ")
}

// insertInto writes INSERT INTO t (cols).
func (b *builder) insertInto(t *Table, cols []*Column) {
	b.write("INSERT INTO ")
	b.ident(t.Name)
	b.write(" (")
	b.columns(cols)
	b.write(")")
}

// String returns the statement as a new string.
func (b *builder) String() string { return string(b.buf) }

// maxCachedSQL bounds the statement text cache: shapes beyond it (say, IN
// lists of ever new lengths) are built anew each time.
const maxCachedSQL = 4096

// sqlText is a cache of statement texts, so that building a statement
// that ran before allocates no new string.
type sqlText struct {
	mu sync.RWMutex
	m  map[string]string
}

// of returns the text of b's statement.
func (c *sqlText) of(b *builder) string {
	c.mu.RLock()
	s, ok := c.m[string(b.buf)]
	c.mu.RUnlock()
	if ok {
		return s
	}
	s = string(b.buf)
	c.mu.Lock()
	if c.m == nil {
		c.m = make(map[string]string)
	}
	if len(c.m) < maxCachedSQL {
		c.m[s] = s
	}
	c.mu.Unlock()
	return s
}

// refuseNUL fails the statement when a pattern or case-folded lookup gets
// text with a NUL byte where LIKE and functions stop reading at the NUL
// (SQLite) and would match rows they should not.
func (b *builder) refuseNUL(p cmpPred, s string) {
	if b.err == nil && b.d.TextEndsAtNUL() && strings.IndexByte(s, 0) >= 0 {
		b.err = fmt.Errorf("%w: lookup %s on %s with a NUL byte in the value (SQLite)", ErrUnsupported, p.op, p.ref.Col.Field)
	}
}

func (p cmpPred) appendSQL(b *builder) {
	switch p.op {
	case OpExact:
		if p.val == nil {
			b.col(p.ref)
			b.write(" IS NULL")
			return
		}
		b.cmpCol(p.ref)
		b.write(" = ")
		b.arg(p.val)
	case OpNe:
		switch {
		case p.val == nil:
			b.col(p.ref)
			b.write(" IS NOT NULL")
		case p.ref.canBeNull():
			// NULL is not v either: ne keeps it, as Not(Eq(v)) does.
			b.write("(")
			b.cmpCol(p.ref)
			b.write(" <> ")
			b.arg(p.val)
			b.write(" OR ")
			b.col(p.ref)
			b.write(" IS NULL)")
		default:
			b.cmpCol(p.ref)
			b.write(" <> ")
			b.arg(p.val)
		}
	case OpIsNull:
		b.col(p.ref)
		if p.val == true {
			b.write(" IS NULL")
		} else {
			b.write(" IS NOT NULL")
		}
	case OpIExact:
		s, _ := p.val.(string)
		b.refuseNUL(p, s)
		b.foldCol(p.ref)
		b.write(" = ")
		b.foldArg(s)
	case OpContains, OpStartsWith, OpEndsWith, OpIContains, OpIStartsWith, OpIEndsWith:
		s, _ := p.val.(string)
		b.refuseNUL(p, s)
		s = escapeLike(s)
		switch p.op {
		case OpContains, OpIContains:
			s = "%" + s + "%"
		case OpStartsWith, OpIStartsWith:
			s += "%"
		default:
			s = "%" + s
		}
		if p.op == OpIContains || p.op == OpIStartsWith || p.op == OpIEndsWith {
			b.foldCol(p.ref)
			b.write(" LIKE ")
			b.foldArg(s)
		} else {
			b.col(p.ref)
			b.write(" LIKE ")
			b.arg(s)
		}
		b.write(" ESCAPE '" + string(rune(likeEscape)) + "'")
	case OpLt, OpLte, OpGt, OpGte:
		b.cmpCol(p.ref)
		b.write([...]string{OpLt: " < ", OpLte: " <= ", OpGt: " > ", OpGte: " >= "}[p.op])
		b.arg(p.val)
	case OpIn:
		if len(p.in) == 0 {
			b.write("1 = 0")
			return
		}
		b.cmpCol(p.ref)
		b.write(" IN (")
		b.argList(p.in)
		b.write(")")
	}
}

// appendSQL writes the terms as a balanced tree, ((a OR b) OR (c OR d)),
// so that a list of n terms nests ⌈log₂ n⌉ deep: SQLite refuses a flat
// a OR b OR … of 1,000 terms as an expression tree too deep.
func (p boolPred) appendSQL(b *builder) {
	terms := p.preds
	if p.nested {
		terms = make([]cond, 0, p.n)
		p.each(func(q cond) bool { terms = append(terms, q); return true })
	}
	switch {
	case len(terms) == 0 && p.or:
		b.write("1 = 0")
	case len(terms) == 0:
		b.write("1 = 1")
	case p.or:
		b.balanced(terms, " OR ")
	default:
		b.balanced(terms, " AND ")
	}
}

func (b *builder) balanced(terms []cond, op string) {
	if len(terms) == 1 {
		terms[0].appendSQL(b)
		return
	}
	mid := (len(terms) + 1) / 2
	b.write("(")
	b.balanced(terms[:mid], op)
	b.write(op)
	b.balanced(terms[mid:], op)
	b.write(")")
}

// appendSQL negates p in two-valued logic: a row where p is unknown (NULL)
// is kept, since it does not match p. Only a predicate that can be NULL
// pays for the COALESCE.
func (p notPred) appendSQL(b *builder) {
	if !p.p.nullable() {
		b.write("NOT (")
		p.p.appendSQL(b)
		b.write(")")
		return
	}
	b.write("NOT COALESCE(")
	p.p.appendSQL(b)
	b.write(", FALSE)")
}
