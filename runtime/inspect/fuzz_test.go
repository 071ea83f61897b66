package inspect

import (
	"strings"
	"testing"
)

// FuzzParse feeds any text to what reads a database's text: the CREATE
// TABLE reader, the normal forms of expressions and defaults, and the
// type parsers. None may panic, and a normal form is its own normal form.
func FuzzParse(f *testing.F) {
	for _, seed := range []string{
		`CREATE TABLE "t" ("id" INTEGER PRIMARY KEY CONSTRAINT "k" CHECK ("id" <= 2147483647), "x" TEXT COLLATE NOCASE, CONSTRAINT "u" UNIQUE ("x"))`,
		`CREATE TABLE t (a, b, FOREIGN KEY (a, b) REFERENCES u ON DELETE SET DEFAULT, CHECK ((a > 0)) ) WITHOUT ROWID, STRICT`,
		`CREATE TABLE [x y] ("a" AS (upper("b")) STORED, b DEFAULT (-1.5e3))`,
		`(kind)::text = ANY ((ARRAY['a'::character varying, 'b'::character varying])::text[])`,
		"`s` = _utf8mb4'a\\'b' and `n` >= -5",
		`E'\\x' || N'y' || 'it''s'`,
		`numeric(10,2)`, `int(11) unsigned zerofill`, `timestamp(3) with time zone`, `enum('a','b)')`,
		`((`, `'`, `"`, "`", `[`, `::`, `-`, `1e`, `CREATE TABLE (`, `CONSTRAINT`,
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, s string) {
		parseCreateTable(s)
		whereOf(s)
		unwrapParens(s)
		for _, r := range []reader{postgresReader{}, mysqlReader{}, sqliteReader{}} {
			n := r.normalExpr(s)
			if !strings.ContainsAny(s, "'\"`[\\") && r.normalExpr(n) != n {
				t.Errorf("%T: the normal form %q of %q is not its own", r, n, s)
			}
			typ := r.parseType(s)
			r.parseDefault(s, typ)
			_ = typ.String()
		}
	})
}
