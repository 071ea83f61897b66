package runtime_test

import (
	"errors"
	"testing"

	"github.com/ormc/ormc/runtime"
	"github.com/ormc/ormc/runtime/dialect"
)

// TestRawRewrite: each ? outside literals, quoted identifiers and
// comments is the next placeholder, ?? a literal ? on PostgreSQL only,
// SUM( the exact sum on SQLite, and a count of ? other than the
// arguments' an error wrapping ErrRawSQL.
func TestRawRewrite(t *testing.T) {
	pg, my, lite := dialect.Postgres, dialect.MySQL, dialect.SQLite
	for _, tc := range []struct {
		d     dialect.Dialect
		in    string
		nargs int
		want  string // "" for an error wrapping ErrRawSQL
	}{
		// The report: the same query, and PostgreSQL's placeholders.
		{pg, "SELECT customer, SUM(total) FROM orders WHERE placed > ? GROUP BY customer", 1,
			"SELECT customer, SUM(total) FROM orders WHERE placed > $1 GROUP BY customer"},
		{my, "SELECT customer, SUM(total) FROM orders WHERE placed > ? GROUP BY customer", 1,
			"SELECT customer, SUM(total) FROM orders WHERE placed > ? GROUP BY customer"},
		{lite, "SELECT customer, SUM(total) FROM orders WHERE placed > ? GROUP BY customer", 1,
			"SELECT customer, ormc_decimal_sum(total) FROM orders WHERE placed > ? GROUP BY customer"},
		{pg, "?,?,?,?,?,?,?,?,?,?,?", 11, "$1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11"},

		// ? as text.
		{pg, `SELECT '?', 'it''s ?', "col?", ? -- why?` + "\n, ? /* ? /* ? */ ? */", 2,
			`SELECT '?', 'it''s ?', "col?", $1 -- why?` + "\n, $2 /* ? /* ? */ ? */"},
		{lite, `SELECT '?', "a""?", [b?], ` + "`c?`" + `, ? /* ? */ /* ? */ ?`, 2,
			`SELECT '?', "a""?", [b?], ` + "`c?`" + `, ? /* ? */ /* ? */ ?`},
		{my, `SELECT 'it\'s ?', "say \"?\"", ? # a ?` + "\n, ?", 2,
			`SELECT 'it\'s ?', "say \"?\"", ? # a ?` + "\n, ?"},
		{pg, `SELECT 'a\', ?`, 1, `SELECT 'a\', $1`},       // no backslash escapes in standard strings
		{pg, `SELECT E'a\'?', ?`, 1, `SELECT E'a\'?', $1`}, // but in escape strings
		{pg, `SELECT $$ ? $$, $f$ it's ? $f$, ?`, 1, `SELECT $$ ? $$, $f$ it's ? $f$, $1`},
		{pg, `SELECT a[1:2], ?`, 1, `SELECT a[1:2], $1`},
		{pg, `SELECT '?`, 0, `SELECT '?`}, // unterminated: the database says so
		{lite, `SELECT 1 -- ?`, 0, `SELECT 1 -- ?`},

		// ?? is a literal ?, which only PostgreSQL reads as other than a
		// placeholder.
		{pg, `SELECT doc ?? 'a', doc ??| ?, ?`, 2, `SELECT doc ? 'a', doc ?| $1, $2`},
		{pg, `SELECT ???`, 1, `SELECT ?$1`},
		{my, `SELECT doc ?? 'a'`, 0, ""},
		{lite, `SELECT doc ?? 'a'`, 0, ""},
		{my, `SELECT '??'`, 0, `SELECT '??'`},

		// SUM on SQLite: the function, whatever its case, and nothing else.
		{lite, `SELECT sum (x), Sum(y), SUMMARY(z), t.sum(w), "sum"(v), sum, 'SUM(x)' FROM t`, 0,
			`SELECT ormc_decimal_sum (x), ormc_decimal_sum(y), SUMMARY(z), t.sum(w), "sum"(v), sum, 'SUM(x)' FROM t`},
		{lite, "SELECT SUM(DISTINCT x) OVER (ORDER BY y), total(x)", 0, "SELECT ormc_decimal_sum(DISTINCT x) OVER (ORDER BY y), total(x)"},

		// Arguments and placeholders must agree.
		{pg, `SELECT ?`, 0, ""},
		{pg, `SELECT ?`, 2, ""},
		{my, `SELECT '?'`, 1, ""},
		{lite, ``, 0, ``},
	} {
		got, err := runtime.RewriteRaw(tc.d, tc.in, tc.nargs)
		switch {
		case tc.want == "" && tc.in != "":
			if !errors.Is(err, runtime.ErrRawSQL) {
				t.Errorf("%s: %q with %d args = %q, %v; want an error wrapping ErrRawSQL", tc.d.Name(), tc.in, tc.nargs, got, err)
			}
		case err != nil || got != tc.want:
			t.Errorf("%s: %q with %d args = %q, %v;\nwant %q", tc.d.Name(), tc.in, tc.nargs, got, err, tc.want)
		}
	}
}

// TestRawRulesEveryDialect: the rewriting of raw SQL knows where every
// dialect's literals and comments begin and end.
func TestRawRulesEveryDialect(t *testing.T) {
	for _, d := range dialect.All {
		if !runtime.HasRawRules(d.Name()) {
			t.Errorf("raw SQL has no lexical rules for dialect %q (rawRulesByDialect)", d.Name())
		}
	}
}

// FuzzRawRewrite: whatever the text, the rewrite returns without
// panicking, and on MySQL (whose placeholder is ?) it changes nothing
// but ?? when it succeeds.
func FuzzRawRewrite(f *testing.F) {
	for _, s := range []string{"SELECT ?", `'?'`, "/* ? */ ?", "$$?$$ ?", `E'\'' ?`, "-- ?\n?", "[?]", "?? ?"} {
		f.Add(s, 1)
	}
	f.Fuzz(func(t *testing.T, s string, n int) {
		for _, d := range dialect.All {
			got, err := runtime.RewriteRaw(d, s, n)
			if err != nil && !errors.Is(err, runtime.ErrRawSQL) {
				t.Fatalf("%s: %q: %v does not wrap ErrRawSQL", d.Name(), s, err)
			}
			if err == nil && d.Name() == "mysql" && got != s {
				t.Fatalf("mysql: %q rewritten %q", s, got)
			}
		}
	})
}
