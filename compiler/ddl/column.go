package ddl

import (
	"strings"

	"github.com/ormc/ormc/compiler/ir"
	"github.com/ormc/ormc/runtime/dialect"
)

// Column definitions: types, NOT NULL, DEFAULT and CHECK. Defaults are
// written so that a row inserted with plain SQL, leaving the column out,
// stores what the generated client would have stored: the same value, in
// the same text form where the database keeps text (SQLite), in UTC.

// DialectType maps an IR column type to the dialect's type description:
// the IR names a column kind by its descriptor's Name.
func DialectType(t ir.Type) dialect.Type {
	k := dialect.KindNamed(string(t.Kind))
	return dialect.Type{Kind: k, MaxLength: t.MaxLength, Precision: t.MaxDigits, Scale: t.DecimalPlaces}
}

func columnDef(s *ir.Schema, d dialect.Dialect, f *ir.Field) string {
	ct := s.ColumnType(f)
	t := DialectType(ct)
	name := dialect.Quote(d, f.Column)
	if f.PrimaryKey && f.AutoIncrement {
		t.AutoIncrement = true
		return name + " " + d.AutoIncrementPK(f.Column, t)
	}
	def := name + " " + d.ColumnType(t)
	if !f.Null {
		def += " NOT NULL"
	}
	if lit := defaultSQL(d, f, ct); lit != "" {
		def += " DEFAULT " + lit
	}
	if f.PrimaryKey {
		def += " PRIMARY KEY"
	}
	return def
}

// defaultSQL returns the DEFAULT expression of a field whose column type
// is ct, or "" for none.
func defaultSQL(d dialect.Dialect, f *ir.Field, ct ir.Type) string {
	r := rulesOf(d)
	if f.AutoNow || f.AutoNowAdd {
		// The client sets these itself; the default makes a plain INSERT
		// agree. A plain UPDATE does not touch an auto_now column.
		return r.now(ct.Kind)
	}
	if f.Default == nil {
		return ""
	}
	switch f.Default.Kind {
	case ir.DefaultNull:
		return "NULL"
	case ir.DefaultNow:
		return r.now(ct.Kind)
	case ir.DefaultUUID:
		return r.uuid()
	}
	lit, ok := ir.LiteralDefault(f, ct)
	if !ok {
		return ""
	}
	return literalSQL(r, lit)
}

// literalSQL writes a literal default as the dialect stores it.
func literalSQL(r rules, lit ir.Literal) string {
	switch lit.Kind {
	case ir.Boolean:
		return strings.ToUpper(lit.Text)
	case ir.Integer, ir.BigInteger, ir.Float:
		return lit.Text
	case ir.Decimal:
		return r.decimalLiteral(lit.Text)
	case ir.DateTime:
		return r.dateTimeLiteral(lit)
	case ir.Text, ir.JSON:
		return r.textDefault(lit.Text)
	}
	return r.stringLiteral(lit.Text)
}

// checkExpr returns the CHECK constraint enforcing an Enum's values and a
// number's bounds, or "". Every dialect ormc supports enforces CHECK.
func checkExpr(s *ir.Schema, d dialect.Dialect, f *ir.Field) string {
	r := rulesOf(d)
	col := dialect.Quote(d, f.Column)
	var parts []string
	if f.Type.Kind == ir.Enum {
		vals := make([]string, len(f.Type.Values))
		for i, v := range f.Type.Values {
			vals[i] = r.stringLiteral(v)
		}
		parts = append(parts, col+" IN ("+strings.Join(vals, ", ")+")")
	}
	num := r.number(col, s.ColumnType(f).Kind)
	b := f.Bounds
	if b.Minimum != "" {
		op := " >= "
		if b.ExclusiveMinimum {
			op = " > "
		}
		parts = append(parts, num+op+b.Minimum)
	}
	if b.Maximum != "" {
		op := " <= "
		if b.ExclusiveMaximum {
			op = " < "
		}
		parts = append(parts, num+op+b.Maximum)
	}
	return strings.Join(parts, " AND ")
}

// quoteString writes s as an SQL string literal in standard SQL, where
// only the quote is special.
func quoteString(s string) string {
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}
