package runtime_test

import (
	"context"
	"strings"
	"testing"
	"unicode"

	"github.com/ormc/ormc/internal/testdb"
	"github.com/ormc/ormc/runtime"
	"github.com/ormc/ormc/runtime/dialect"
)

// graphic returns every assigned letter, mark, number, punctuation,
// symbol and space up to U+3FFFF, the text the case-folding tests fold.
func graphic() string {
	var b strings.Builder
	for r := rune(0x20); r <= 0x3FFFF; r++ {
		if unicode.In(r, unicode.L, unicode.M, unicode.N, unicode.P, unicode.S, unicode.Zs) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// foldDiff folds s with the database's fold expression (before + an
// argument + after) and returns the code points whose result differs
// from want(r), one for one.
func foldDiff(t *testing.T, db *runtime.DB, before, after, s string, want func(rune) rune) []rune {
	t.Helper()
	ph := "?"
	if db.Dialect().Name() == "postgres" {
		ph = "$1"
	}
	var got string
	if err := db.QueryRow(context.Background(), "SELECT "+before+ph+after, []any{s}, &got); err != nil {
		t.Fatal(err)
	}
	in, out := []rune(s), []rune(got)
	if len(in) != len(out) {
		t.Fatalf("folding %d code points gave %d", len(in), len(out))
	}
	var diff []rune
	for i, r := range in {
		if out[i] != want(r) {
			diff = append(diff, r)
		}
	}
	return diff
}

// TestFoldCollation pins the case folding lang/spec.md documents for each
// database ("case-insensitive lookups on non-ASCII letters"): the fold
// ormc uses agrees with Go's on every assigned code point up to U+3FFFF;
// on MariaDB it is utf8mb4_uca1400_as_cs's, where utf8mb4_bin's own
// leaves 737 of Go's 1,433 upper-case letters alone; on PostgreSQL it
// follows LC_CTYPE, ASCII only under C; on TiDB it is Go's own.
func TestFoldCollation(t *testing.T) {
	all := graphic()
	testdb.Each(t, func(t *testing.T, url string) {
		db := relOpen(t, url)
		before, after := db.Dialect().Fold()
		if diff := foldDiff(t, db, before, after, all, unicode.ToLower); len(diff) > 0 {
			t.Errorf("%d code points fold unlike Go, such as %q", len(diff), string(diff[:min(len(diff), 10)]))
		}
		// The rest pins MariaDB's own collations. TiDB has neither (its
		// LOWER is Go's), and vtgate cannot evaluate CONVERT … COLLATE
		// (1235), which ormc's fold does not need there.
		if p, ok := db.Dialect().(dialect.Profile); !ok || p.Engine() != dialect.MariaDB {
			return
		}
		if !strings.Contains(after, "utf8mb4_uca1400_as_cs") {
			t.Errorf("MariaDB 10.10+ should fold under utf8mb4_uca1400_as_cs, folds with %s…%s", before, after)
		}
		var upper []rune
		for _, r := range all {
			if unicode.ToLower(r) != r {
				upper = append(upper, r)
			}
		}
		diff := foldDiff(t, db, "LOWER(CONVERT(", " USING utf8mb4) COLLATE utf8mb4_bin)", string(upper), unicode.ToLower)
		if len(upper) != 1433 || len(diff) != 737 || !strings.ContainsRune(string(diff), 'ẞ') {
			t.Errorf("utf8mb4_bin's lower() leaves %d of %d upper-case letters alone; lang/spec.md says 737 of 1,433, ẞ among them", len(diff), len(upper))
		}
	})
	t.Run("postgres-ctype-c", func(t *testing.T) {
		db := relOpen(t, testdb.PostgresDatabase(t, "LC_COLLATE 'C' LC_CTYPE 'C'"))
		before, after := db.Dialect().Fold()
		ascii := func(r rune) rune {
			if 'A' <= r && r <= 'Z' {
				return r + 'a' - 'A'
			}
			return r
		}
		if diff := foldDiff(t, db, before, after, all, ascii); len(diff) > 0 {
			t.Errorf("under LC_CTYPE C, %d code points fold other than ASCII only, such as %q", len(diff), string(diff[:min(len(diff), 10)]))
		}
	})
}
