package compiler

// MySQL's limits. A schema has one DDL per dialect but one set of types,
// so it must fit the tightest of the databases; for sizes that is MySQL
// (and MariaDB) with utf8mb4, where a character may take 4 bytes. The
// numbers below were measured on MariaDB 10.11 and agree with MySQL 8's
// manual: a VARCHAR holds at most 16383 characters (ERROR 1074), a row at
// most 65535 bytes not counting TEXT and JSON values (ERROR 1118), and an
// index key at most 3072 bytes (ERROR 1071).

import (
	"strings"
	"unicode/utf8"

	"github.com/ormc/ormc/compiler/ir"
	"github.com/ormc/ormc/runtime/dialect"
	"github.com/ormc/ormc/schema"
)

const (
	mysqlMaxVarchar = 16383 // characters in a VARCHAR: 65535 bytes / 4
	mysqlMaxRow     = 65535 // bytes in a row, TEXT and JSON counted as 12
	mysqlMaxKey     = 3072  // bytes in an index key
)

// mysqlBytes returns the bytes a value of column type t takes at most in
// a MySQL row and in an index key (0 when it cannot be in a key).
func mysqlBytes(t ir.Type) (row, key int) {
	switch t.Kind {
	case ir.String, ir.Email, ir.URL, ir.Enum:
		n := t.MaxLength
		if t.Kind == ir.Enum {
			n = 1
			for _, v := range t.Values {
				n = max(n, utf8.RuneCountInString(v))
			}
		}
		key = 4 * n
		if key > 255 {
			return key + 2, key // the length takes two bytes
		}
		return key + 1, key
	case ir.Decimal:
		n := decimalBytes(t.MaxDigits-t.DecimalPlaces) + decimalBytes(t.DecimalPlaces)
		return n, n
	}
	k := dialect.KindNamed(string(t.Kind))
	d := k.Info()
	switch {
	case k == dialect.Invalid:
		return 0, 0
	case !d.Index:
		return 12, 0 // LONGTEXT or JSON: a length and a pointer
	}
	return d.MySQLBytes, d.MySQLBytes
}

// decimalBytes is the storage of n decimal digits of a DECIMAL: 4 bytes
// for each 9 digits, and fewer for the rest.
func decimalBytes(n int) int {
	return n/9*4 + [...]int{0, 1, 1, 2, 2, 3, 3, 4, 4}[n%9]
}

// columnType returns the column type of f, following relations to the
// key of the model they refer to; ok is false when that is unknown.
func (c *checker) columnType(f *ir.Field) (ir.Type, bool) {
	if f.Relation == nil {
		return f.Type, true
	}
	return c.keyType(f.Relation.Model)
}

// keyResult is the column type of a model's primary key, once known.
type keyResult struct {
	t  ir.Type
	ok bool
}

// keyType returns the column type of the primary key of model name,
// following keys that are relations; ok is false when a model is unknown,
// has no key, or the keys form a cycle (reported as bad-relation). Each
// model is walked once: keys that are relations to the next model form
// chains, and walking a chain for each of its models was quadratic.
func (c *checker) keyType(name string) (ir.Type, bool) {
	if c.keyTypes == nil {
		c.keyTypes = map[string]keyResult{}
	}
	var path []string
	var r keyResult
	for {
		known, seen := c.keyTypes[name]
		if seen {
			r = known
			break
		}
		target := c.byName[name]
		if target == nil || target.ir.PrimaryKey < 0 || target.ir.Composite() {
			break // a relation to a composite key is reported as composite-key-relation
		}
		c.keyTypes[name] = keyResult{} // a cycle leads back here, and gives up
		path = append(path, name)
		pk := target.ir.PK()
		if pk.Relation == nil {
			r = keyResult{pk.Type, true}
			break
		}
		name = pk.Relation.Model
	}
	for _, p := range path {
		c.keyTypes[p] = r
	}
	return r.t, r.ok
}

// checkMySQL reports a model whose rows or keys exceed MySQL's limits.
func (c *checker) checkMySQL(ms *modelState) {
	m := ms.ir
	row, nullable := 0, 0
	for _, f := range m.Fields {
		t, ok := c.columnType(f)
		if !ok {
			return
		}
		r, key := mysqlBytes(t)
		row += r
		if f.Null {
			nullable++
		}
		fs := ms.fields[f.Name]
		for _, opt := range []string{"pk", "unique", "index"} {
			a := fs.attrs.get(opt)
			if a == nil || opt == "pk" && !f.PrimaryKey {
				continue
			}
			if key > mysqlMaxKey {
				c.errorf(a.Name.Pos, a.Name.EndPos, schema.CodeMySQLLimit, "the key of field %q takes up to %d bytes in MySQL, more than its limit of %d", f.Name, key, mysqlMaxKey).
					Hint = "a String character counts 4 bytes in utf8mb4"
			}
		}
	}
	row += (nullable + 7) / 8 // a bit for each nullable column
	if row > mysqlMaxRow {
		c.errorf(ms.ast.Name.Pos, ms.ast.Name.EndPos, schema.CodeMySQLLimit, "a row of model %q takes up to %d bytes in MySQL, more than its limit of %d", m.Name, row, mysqlMaxRow).
			Hint = "a String character counts 4 bytes in utf8mb4; make the longest String fields Text"
	}
	if m.Composite() && ms.keyDecl != nil {
		n := 0
		var names []string
		for _, f := range m.KeyFields() {
			if t, ok := c.columnType(f); ok {
				_, key := mysqlBytes(t)
				n += key
			}
			names = append(names, f.Name)
		}
		if n > mysqlMaxKey {
			d := ms.keyDecl
			c.errorf(d.Name.Pos, d.Name.EndPos, schema.CodeMySQLLimit, "pk(%s) takes up to %d bytes in MySQL, more than its key limit of %d", strings.Join(names, ", "), n, mysqlMaxKey).
				Hint = "a String character counts 4 bytes in utf8mb4"
		}
	}
	for _, ix := range m.Indexes {
		n := 0
		for _, name := range ix.Fields {
			if t, ok := c.columnType(m.Field(name)); ok {
				_, key := mysqlBytes(t)
				n += key
			}
		}
		if n > mysqlMaxKey {
			kind := "index"
			if ix.Unique {
				kind = "unique"
			}
			d := ms.directives[ix]
			c.errorf(d.Name.Pos, d.Name.EndPos, schema.CodeMySQLLimit, "%s(%s) takes up to %d bytes in MySQL, more than its key limit of %d", kind, strings.Join(ix.Fields, ", "), n, mysqlMaxKey).
				Hint = "a String character counts 4 bytes in utf8mb4"
		}
	}
}
