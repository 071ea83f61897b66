package compiler

// Names that one of the databases refuses in CREATE TABLE or CREATE
// INDEX, although they are valid UTF-8 without a NUL byte (textProblem)
// and at most 63 bytes long. Each rule was found by applying such names
// to PostgreSQL 15, MariaDB 10.11 and SQLite, and the checker reports it,
// so that a schema it accepts creates its tables on every database.

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/ormc/ormc/schema"
)

// sqlNameKind is what a name names in SQL: databases have different rules
// for tables, columns, and indexes and constraints.
type sqlNameKind int

const (
	tableName sqlNameKind = iota
	columnName
	indexName // an index or a unique constraint named with name:
)

func (k sqlNameKind) String() string {
	return [...]string{"table name", "column name", "index name"}[k]
}

// postgresSystemColumns are the columns PostgreSQL gives every table
// ("column name conflicts with a system column name"); quoted, only the
// lower-case spelling is taken.
var postgresSystemColumns = map[string]bool{"xmin": true, "xmax": true, "cmin": true, "cmax": true, "ctid": true, "tableoid": true}

// innodbColumns are the column names InnoDB keeps for its hidden columns,
// in any case (ERROR 1166 "Incorrect column name").
var innodbColumns = []string{"DB_ROW_ID", "DB_TRX_ID", "DB_ROLL_PTR", "FTS_DOC_ID"}

// mysqlIndexNames are the index names MySQL and InnoDB keep, in any case
// (ERROR 1280 "Incorrect index name").
var mysqlIndexNames = []string{"PRIMARY", "GEN_CLUST_INDEX"}

// mysqlMaxFileName is the longest table name, as MySQL writes it in the
// file name of the table ("@003f" for "?"), that leaves room for the
// 4-byte extension (".ibd", ".frm") within the 255 bytes file systems
// allow: longer ones fail with errno 36 "File name too long".
const mysqlMaxFileName = 251

// sqlNameProblem returns the code and message of the first rule of a
// database that name, of kind k, breaks, or "", "" when every database
// takes it. The caller has ruled out the empty name, NUL bytes and
// invalid UTF-8, and checks the length in bytes.
func sqlNameProblem(k sqlNameKind, name string) (code schema.Code, msg string) {
	if r, _ := utf8.DecodeLastRuneInString(name); isMySQLSpace(r) {
		return schema.CodeUnportableName, fmt.Sprintf("%s %q ends in white space, which MySQL refuses", k, name)
	}
	for _, r := range name {
		if r > 0xFFFF {
			return schema.CodeUnportableName, fmt.Sprintf("%s %q has the character %q (%U), which MySQL refuses in names: it takes only characters of the Basic Multilingual Plane", k, name, r, r)
		}
	}
	switch k {
	case tableName:
		if hasPrefixFold(name, "sqlite_") {
			return schema.CodeReservedName, fmt.Sprintf("table name %q starts with \"sqlite_\", which SQLite reserves", name)
		}
		if hasPrefixFold(name, "#mysql50#") {
			return schema.CodeReservedName, fmt.Sprintf("table name %q starts with \"#mysql50#\", which MySQL reserves", name)
		}
		if n := mysqlFileNameLen(name); n > mysqlMaxFileName {
			return schema.CodeNameTooLong, fmt.Sprintf("table name %q is too long for MySQL, which stores it as a file name of %d bytes, more than %d", name, n, mysqlMaxFileName)
		}
	case columnName:
		if postgresSystemColumns[name] {
			return schema.CodeReservedName, fmt.Sprintf("column name %q is the name of a PostgreSQL system column", name)
		}
		for _, r := range innodbColumns {
			if strings.EqualFold(name, r) {
				return schema.CodeReservedName, fmt.Sprintf("column name %q is reserved by MySQL for InnoDB's hidden column %s", name, r)
			}
		}
	case indexName:
		if hasPrefixFold(name, "sqlite_") {
			return schema.CodeReservedName, fmt.Sprintf("index name %q starts with \"sqlite_\", which SQLite reserves", name)
		}
		for _, r := range mysqlIndexNames {
			if strings.EqualFold(name, r) {
				return schema.CodeReservedName, fmt.Sprintf("index name %q is reserved by MySQL", name)
			}
		}
	}
	return "", ""
}

// reportSQLName reports the problem, if any, of name of kind k at the
// span pos–end, and says whether there was one.
func (c *checker) reportSQLName(k sqlNameKind, name string, pos, end schema.Pos) bool {
	code, msg := sqlNameProblem(k, name)
	if code == "" {
		return false
	}
	c.errorf(pos, end, code, "%s", msg)
	return true
}

// isMySQLSpace reports whether MySQL takes r for white space at the end
// of a name: the ASCII white space characters (ERROR 1103, 1166, 1280).
func isMySQLSpace(r rune) bool {
	return r == ' ' || r == '\t' || r == '\n' || r == '\v' || r == '\f' || r == '\r'
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// mysqlFileNameLen returns the length of the file name MySQL makes of a
// table name: ASCII letters, digits and "_" stay, other characters become
// "@" and 4 hexadecimal digits ("@003f"). Some letters beyond ASCII take
// 3 bytes only ("@0p"); counting them as 5 errs on the safe side, and
// matters only for names of about 50 characters.
func mysqlFileNameLen(name string) int {
	n := 0
	for _, r := range name {
		if r < 0x80 && (r == '_' || '0' <= r && r <= '9' || 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z') {
			n++
		} else {
			n += 5
		}
	}
	return n
}
