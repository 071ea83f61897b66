package dialect

import (
	"strconv"
	"strings"
)

// The DDL ormc writes for the MySQL dialect (compiler/ddl) is MariaDB's.
// An engine that lacks some of it gets the same statements rewritten, by
// AdaptDDL, where they run: CreateTables and the migration applier. The
// rewrites are of the forms compiler/ddl writes, matched outside quoted
// strings and identifiers.

// AdaptDDL returns stmt, DDL written for d's dialect, as d's engine takes
// it: unchanged but on an engine of Profile that lacks some of it.
func AdaptDDL(d Dialect, stmt string) string {
	if p, ok := d.(Profile); ok {
		return p.EngineDDL(stmt)
	}
	return stmt
}

// binaryCollation is the engine's NO PAD binary collation, under which
// 'x' <> 'x ' (see TableOptions): MariaDB's utf8mb4_nopad_bin, which TiDB
// calls by MySQL 8's name.
func (d mysql) binaryCollation() string {
	if d.engine == TiDB {
		return tidbBinary
	}
	return mariadbBinary
}

const (
	mariadbBinary = "utf8mb4_nopad_bin"
	tidbBinary    = "utf8mb4_0900_bin"
)

// CanonicalCollation returns the name compiler/ddl and the schema
// snapshot use for collation, which the engine may call otherwise: what
// the inspector reads is compared with the snapshot under this name.
func (d mysql) CanonicalCollation(collation string) string {
	if collation == d.binaryCollation() {
		return mariadbBinary
	}
	return collation
}

// tidbDefaults are the default expressions compiler/ddl writes that TiDB
// refuses (1064), and what it takes instead: its defaults may call only a
// few functions, none of UTC_DATE, UTC_TIME and UTC_TIMESTAMP. ormc's
// sessions run in UTC (the mysql driver sets time_zone), so CURRENT_DATE
// and CURRENT_TIMESTAMP give UTC's date and time there; "" drops the
// default: TiDB has no expression for the time of day, and takes no
// default of any kind on TEXT and JSON (1101). ormc's Create fills those
// defaults in itself; a plain SQL INSERT must give the value (lang/spec.md,
// distributed engines).
var tidbDefaults = []struct{ from, to string }{
	{" DEFAULT (UTC_DATE())", " DEFAULT (CURRENT_DATE)"},
	{" DEFAULT (UTC_TIMESTAMP(6))", " DEFAULT CURRENT_TIMESTAMP(6)"},
	{" DEFAULT (UTC_TIME(6))", ""},
}

// bigintAutoIncrement is how compiler/ddl writes a BIGINT key the
// database makes (AutoIncrementPK).
const bigintAutoIncrement = " BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY"

// EngineDDL rewrites MariaDB's DDL for the engine: on TiDB, the binary
// collation's name and the defaults of tidbDefaults, and a TEXT or JSON
// column's default, written as a parenthesised string literal, dropped;
// and with AutoRandom, a BIGINT key made with AUTO_RANDOM.
func (d mysql) EngineDDL(stmt string) string {
	if d.engine != TiDB {
		return stmt
	}
	var b strings.Builder
	for i := 0; i < len(stmt); {
		switch c := stmt[i]; {
		case c == '\'' || c == '`' || c == '"':
			n := quotedLen(stmt[i:])
			b.WriteString(stmt[i : i+n])
			i += n
			continue
		case d.autoRandom > 0 && strings.HasPrefix(stmt[i:], bigintAutoIncrement):
			b.WriteString(" BIGINT NOT NULL AUTO_RANDOM(" + strconv.Itoa(d.autoRandom) + ") PRIMARY KEY")
			i += len(bigintAutoIncrement)
			continue
		case strings.HasPrefix(stmt[i:], mariadbBinary):
			b.WriteString(tidbBinary)
			i += len(mariadbBinary)
			continue
		case strings.HasPrefix(stmt[i:], " DEFAULT ('"):
			// A string literal as an expression: compiler/ddl's default
			// of a TEXT or JSON column.
			lit := quotedLen(stmt[i+len(" DEFAULT ("):])
			if end := i + len(" DEFAULT (") + lit; end < len(stmt) && stmt[end] == ')' {
				i = end + 1
				continue
			}
		}
		if to, n, ok := tidbDefault(stmt[i:]); ok {
			b.WriteString(to)
			i += n
			continue
		}
		b.WriteByte(stmt[i])
		i++
	}
	return b.String()
}

func tidbDefault(s string) (to string, n int, ok bool) {
	for _, r := range tidbDefaults {
		if strings.HasPrefix(s, r.from) {
			return r.to, len(r.from), true
		}
	}
	return "", 0, false
}

// quotedLen returns the length of the quoted string or identifier at the
// start of s, its quotes included: a doubled quote stands for itself, and
// in a string a backslash escapes the next byte (MySQL's strings). An
// unterminated one runs to the end of s.
func quotedLen(s string) int {
	q := s[0]
	for i := 1; i < len(s); i++ {
		switch {
		case s[i] == '\\' && q != '`':
			i++
		case s[i] == q:
			if i+1 < len(s) && s[i+1] == q {
				i++
				continue
			}
			return i + 1
		}
	}
	return len(s)
}
