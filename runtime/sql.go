package runtime

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/ormc/ormc/runtime/dialect"
)

// builder accumulates one SQL statement and its arguments.
type builder struct {
	sb    strings.Builder
	d     dialect.Dialect
	args  []any
	alias map[string]string // path key → table alias; nil when columns are unqualified
	err   error             // the first reason the statement cannot be built
}

// ErrUnsupported is wrapped by errors for operations a dialect cannot
// perform faithfully; ormc refuses them rather than return wrong rows.
var ErrUnsupported = errors.New("ormc: not supported by this database")

func newBuilder(d dialect.Dialect) *builder { return &builder{d: d} }

func (b *builder) write(s string) { b.sb.WriteString(s) }

func (b *builder) ident(name string) { b.d.QuoteIdent(&b.sb, name) }

// arg binds v and writes its placeholder. Instants are bound in UTC, as
// DateTime columns store them.
func (b *builder) arg(v any) {
	if t, ok := v.(time.Time); ok {
		v = t.UTC()
	}
	b.args = append(b.args, v)
	b.d.Placeholder(&b.sb, len(b.args))
}

// col writes a column reference, qualified by its path's alias when the
// statement uses aliases.
func (b *builder) col(ref ColRef) {
	if b.alias != nil {
		b.write(b.alias[ref.Path.Key()])
		b.sb.WriteByte('.')
	}
	b.ident(ref.Col.Name)
}

func (b *builder) String() string { return b.sb.String() }

// refuseNUL fails the statement when a pattern or case-folded lookup on
// SQLite gets text with a NUL byte: SQLite's LIKE and functions stop
// reading at the NUL and would match rows they should not.
func (b *builder) refuseNUL(p cmpPred, s string) {
	if b.err == nil && b.d.Name() == "sqlite" && strings.IndexByte(s, 0) >= 0 {
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
		b.col(p.ref)
		b.write(" = ")
		b.arg(p.val)
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
		lower := b.d.Lower()
		b.write(lower + "(")
		b.col(p.ref)
		b.write(") = " + lower + "(")
		b.arg(p.val)
		b.write(")")
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
		fold := p.op == OpIContains || p.op == OpIStartsWith || p.op == OpIEndsWith
		if fold {
			lower := b.d.Lower()
			b.write(lower + "(")
			b.col(p.ref)
			b.write(") LIKE " + lower + "(")
			b.arg(s)
			b.write(")")
		} else {
			b.col(p.ref)
			b.write(" LIKE ")
			b.arg(s)
		}
		b.write(" ESCAPE '" + string(rune(likeEscape)) + "'")
	case OpLt, OpLte, OpGt, OpGte:
		b.col(p.ref)
		b.write([...]string{OpLt: " < ", OpLte: " <= ", OpGt: " > ", OpGte: " >= "}[p.op])
		b.arg(p.val)
	case OpIn:
		if len(p.in) == 0 {
			b.write("1 = 0")
			return
		}
		b.col(p.ref)
		b.write(" IN (")
		for i, v := range p.in {
			if i > 0 {
				b.write(", ")
			}
			b.arg(v)
		}
		b.write(")")
	}
}

func (p boolPred) appendSQL(b *builder) {
	if len(p.preds) == 0 {
		if p.or {
			b.write("1 = 0")
		} else {
			b.write("1 = 1")
		}
		return
	}
	if len(p.preds) == 1 {
		p.preds[0].appendSQL(b)
		return
	}
	b.write("(")
	for i, q := range p.preds {
		if i > 0 {
			if p.or {
				b.write(" OR ")
			} else {
				b.write(" AND ")
			}
		}
		q.appendSQL(b)
	}
	b.write(")")
}

func (p notPred) appendSQL(b *builder) {
	b.write("NOT (")
	p.p.appendSQL(b)
	b.write(")")
}
