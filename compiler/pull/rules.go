package pull

// What reading a column back depends on the database: the types ormc's
// DDL writes there (runtime/dialect's ColumnType, spec "SQL mapping")
// and how its catalog spells things. One entry per dialect of
// dialect.All, as compiler/ddl keeps its rules.

import (
	"github.com/ormc/ormc/runtime/dialect"
	"github.com/ormc/ormc/runtime/inspect"
)

type pullRules struct {
	// backslash: a backslash escapes in string literals (MySQL).
	backslash bool
	// uuidChar36: CHAR(36) is how ormc stores a UUID (MySQL).
	uuidChar36 bool
	// wideInteger: INTEGER holds 64 bits, so an Integer key is told from
	// a BigInteger one by ormc's range CHECK (SQLite).
	wideInteger bool
	// longText is the Length of the text type ormc's Text is (MySQL's
	// LONGTEXT); 0 where any text type is Text.
	longText int
	// timePrecision is the fractional digits ormc's Time and DateTime
	// columns have where the type states them (MySQL's TIME(6)); 0 where
	// it does not.
	timePrecision int
	// zonedTimestamp: ormc's DateTime is the type with a time zone
	// (PostgreSQL's timestamptz); else the one without (MySQL's and
	// SQLite's DATETIME).
	zonedTimestamp bool
	// textDecimal: ormc keeps a Decimal as text, and a DECIMAL column
	// stores numbers (SQLite).
	textDecimal bool
	// collation is the collation ormc creates tables with, where tables
	// have one (MySQL); "" elsewhere.
	collation string
}

var byDialect = map[string]pullRules{
	dialect.Postgres.Name(): {zonedTimestamp: true},
	dialect.MySQL.Name(): {backslash: true, uuidChar36: true, longText: 4294967295, timePrecision: 6,
		collation: "utf8mb4_nopad_bin"},
	dialect.SQLite.Name(): {wideInteger: true, textDecimal: true},
}

// bases that are whole numbers, for bounds and keys.
func isIntegerBase(b inspect.Base) bool {
	switch b {
	case inspect.BaseTinyInt, inspect.BaseSmallInt, inspect.BaseMediumInt, inspect.BaseInteger, inspect.BaseBigInt:
		return true
	}
	return false
}
