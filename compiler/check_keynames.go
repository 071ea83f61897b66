package compiler

// The SQL names of keys, constraints, indexes and sequences. The checker
// decides each once and stores it in the IR (nameKeys); the DDL, the
// generated client's metadata and the snapshot read it from there.

import (
	"fmt"
	"hash/fnv"
	"strings"
	"unicode/utf8"

	"github.com/ormc/ormc/compiler/ir"
)

// nameKeys stores in m the names of its primary key, its key's sequence,
// and each field's own constraints and index. An index or unique
// declaration gets its name in checkDirectives, where name: may set it.
func nameKeys(m *ir.Model) {
	m.PrimaryKeyName = primaryKeyName(m.Table)
	if m.PrimaryKey >= 0 {
		if pk := m.PK(); pk.AutoIncrement {
			m.SequenceName = sequenceName(m.Table, pk.Column)
		}
	}
	for _, f := range m.Fields {
		cols := []string{f.Column}
		switch {
		case f.PrimaryKey:
		case f.Unique:
			f.UniqueName = constraintName(m.Table, cols, "key")
		case f.Index:
			f.IndexName = constraintName(m.Table, cols, "idx")
		}
		if f.Relation != nil {
			f.ForeignKeyName = constraintName(m.Table, cols, "fkey")
		}
		if f.HasCheck() {
			f.CheckName = constraintName(m.Table, cols, "check")
		}
	}
}

// constraintName is the name of an index or constraint on table over
// cols: "table_col1_col2_suffix", shortened with a hash of the full name
// when it would exceed 63 bytes. The hash keeps apart long names that
// share a prefix, and the cut falls between characters: databases refuse
// a name that is not valid UTF-8.
func constraintName(table string, cols []string, suffix string) string {
	return fitName(table+"_"+strings.Join(cols, "_")+"_"+suffix, suffix)
}

// fitName returns name, or when it is longer than 63 bytes, its start
// followed by a hash of the whole name and the suffix it ends with.
func fitName(name, suffix string) string {
	if len(name) <= maxIdentLen {
		return name
	}
	h := fnv.New32a()
	h.Write([]byte(name))
	tail := fmt.Sprintf("_%08x", h.Sum32())
	if suffix != "" {
		tail += "_" + suffix
	}
	return cutRunes(name, maxIdentLen-len(tail)) + tail
}

// primaryKeyName is the name PostgreSQL gives the primary key of table,
// "table_pkey", with the table name cut to fit 63 bytes as PostgreSQL
// cuts it.
func primaryKeyName(table string) string {
	const suffix = "_pkey"
	return cutRunes(table, maxIdentLen-len(suffix)) + suffix
}

// sequenceName is the name PostgreSQL gives the sequence of an identity
// column: "table_column_seq", with the longer of table and column cut
// until it fits 63 bytes, as PostgreSQL's makeObjectName cuts them (a
// name that is taken gets a number instead, which the checker rules out).
func sequenceName(table, column string) string {
	const label = "seq"
	avail := maxIdentLen - len(label) - 2
	n1, n2 := len(table), len(column)
	for n1+n2 > avail {
		if n1 > n2 {
			n1--
		} else {
			n2--
		}
	}
	return cutRunes(table, n1) + "_" + cutRunes(column, n2) + "_" + label
}

// cutRunes returns the longest prefix of s of at most n bytes that ends
// between two characters.
func cutRunes(s string, n int) string {
	if n >= len(s) {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
