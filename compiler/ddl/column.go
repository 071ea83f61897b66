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

// DialectType maps an IR column type to the dialect's type description.
func DialectType(t ir.Type) dialect.Type {
	k := map[ir.Kind]dialect.Kind{
		ir.String: dialect.String, ir.Text: dialect.Text, ir.Boolean: dialect.Boolean,
		ir.Integer: dialect.Integer, ir.BigInteger: dialect.BigInteger, ir.Float: dialect.Float,
		ir.Decimal: dialect.Decimal, ir.Date: dialect.Date, ir.Time: dialect.Time,
		ir.DateTime: dialect.DateTime, ir.JSON: dialect.JSON, ir.UUID: dialect.UUID,
	}[t.Kind]
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
	if f.AutoNow || f.AutoNowAdd {
		// The client sets these itself; the default makes a plain INSERT
		// agree. A plain UPDATE does not touch an auto_now column.
		return nowDefault(d, ct.Kind)
	}
	if f.Default == nil {
		return ""
	}
	switch f.Default.Kind {
	case ir.DefaultNull:
		return "NULL"
	case ir.DefaultNow:
		return nowDefault(d, ct.Kind)
	case ir.DefaultUUID:
		return uuidDefault(d)
	}
	lit, ok := ir.LiteralDefault(f, ct)
	if !ok {
		return ""
	}
	return literalSQL(d, lit, ct)
}

// literalSQL writes a literal default as the dialect stores it.
func literalSQL(d dialect.Dialect, lit ir.Literal, ct ir.Type) string {
	switch lit.Kind {
	case ir.Boolean:
		return strings.ToUpper(lit.Text)
	case ir.Integer, ir.BigInteger, ir.Float:
		return lit.Text
	case ir.Decimal:
		if d.Name() == "sqlite" {
			// Stored as exact text, as the client binds it.
			return quoteString(d, lit.Text)
		}
		return lit.Text
	case ir.DateTime:
		switch d.Name() {
		case "postgres":
			return quoteString(d, lit.Text+"+00")
		case "sqlite":
			// The driver's text for an instant in UTC (see package
			// runtime/driver/sqlite): fractional seconds without
			// trailing zeros, then the offset.
			return quoteString(d, lit.Time.Format("2006-01-02 15:04:05.999999-07:00"))
		}
		return quoteString(d, lit.Text) // MySQL: DATETIME holds the UTC wall time
	case ir.Text, ir.JSON:
		if d.Name() == "mysql" {
			// MySQL accepts a default on TEXT and JSON only as an
			// expression (8.0.13 and later; MariaDB takes either).
			return "(" + quoteString(d, lit.Text) + ")"
		}
	}
	return quoteString(d, lit.Text)
}

// nowDefault is the current date, time of day or instant, in UTC whatever
// the session's time zone, in the form the client stores.
func nowDefault(d dialect.Dialect, k ir.Kind) string {
	switch d.Name() {
	case "postgres":
		return map[ir.Kind]string{
			ir.Date:     "((CURRENT_TIMESTAMP AT TIME ZONE 'UTC')::date)",
			ir.Time:     "((CURRENT_TIMESTAMP AT TIME ZONE 'UTC')::time)",
			ir.DateTime: "CURRENT_TIMESTAMP",
		}[k]
	case "mysql":
		return map[ir.Kind]string{
			ir.Date:     "(UTC_DATE())",
			ir.Time:     "(UTC_TIME(6))",
			ir.DateTime: "(UTC_TIMESTAMP(6))",
		}[k]
	}
	// SQLite's clock is UTC and has milliseconds. The client writes a
	// time of day as 15:04:05 or 15:04:05.000001, and an instant as the
	// driver does: 2006-01-02 15:04:05.5+00:00, no trailing zeros.
	return map[ir.Kind]string{
		ir.Date: "CURRENT_DATE",
		ir.Time: "(CASE WHEN strftime('%f', 'now') LIKE '%.000' THEN strftime('%H:%M:%S', 'now') " +
			"ELSE strftime('%H:%M:%f', 'now') || '000' END)",
		ir.DateTime: "(rtrim(rtrim(strftime('%Y-%m-%d %H:%M:%f', 'now'), '0'), '.') || '+00:00')",
	}[k]
}

// uuidDefault is a new random UUID in canonical lowercase text.
func uuidDefault(d dialect.Dialect) string {
	switch d.Name() {
	case "postgres":
		return "gen_random_uuid()"
	case "mysql":
		return "(UUID())"
	}
	// A version 4 UUID from SQLite's randomness.
	return "(lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-' || " +
		"substr('89ab', 1 + (abs(random()) % 4), 1) || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6))))"
}

// checkExpr returns the CHECK constraint enforcing an Enum's values and a
// number's bounds, or "". Every dialect ormc supports enforces CHECK.
func checkExpr(s *ir.Schema, d dialect.Dialect, f *ir.Field) string {
	col := dialect.Quote(d, f.Column)
	var parts []string
	if f.Type.Kind == ir.Enum {
		vals := make([]string, len(f.Type.Values))
		for i, v := range f.Type.Values {
			vals[i] = quoteString(d, v)
		}
		parts = append(parts, col+" IN ("+strings.Join(vals, ", ")+")")
	}
	num := col
	if d.Name() == "sqlite" && s.ColumnType(f).Kind == ir.Decimal {
		// SQLite keeps a Decimal as text, which compares with a number
		// as text; compare its value instead, as a double.
		num = "CAST(" + col + " AS REAL)"
	}
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

// quoteString writes s as an SQL string literal. MySQL also treats the
// backslash as an escape character.
func quoteString(d dialect.Dialect, s string) string {
	s = strings.ReplaceAll(s, "'", "''")
	if d.Name() == "mysql" {
		s = strings.ReplaceAll(s, `\`, `\\`)
	}
	return "'" + s + "'"
}
