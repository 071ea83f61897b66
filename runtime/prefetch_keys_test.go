package runtime

import (
	"reflect"
	"testing"

	"github.com/ormc/ormc/runtime/dialect"
)

// TestKeysPredSQL: a prefetch's keys are one array for ANY on PostgreSQL
// when its column is an Integer, BigInteger, String or Text and they are
// plain int64s or strings, and an IN list of placeholders otherwise and on
// the other databases.
func TestKeysPredSQL(t *testing.T) {
	type named string
	col := func(k Kind) ColRef { return ColRef{Col: &Column{Name: "parent", Kind: k}} }
	for _, tc := range []struct {
		name     string
		d        dialect.Dialect
		ref      ColRef
		keys     []any
		wantSQL  string
		wantArgs []any
	}{
		{"integer", dialect.Postgres, col(KindInteger), []any{int64(1), int64(2), int64(3)},
			`"parent" = ANY($1)`, []any{[]int64{1, 2, 3}}},
		{"big integer", dialect.Postgres, col(KindBigInteger), []any{int64(1) << 40},
			`"parent" = ANY($1)`, []any{[]int64{1 << 40}}},
		{"string", dialect.Postgres, col(KindString), []any{"a", "b"},
			`"parent" = ANY($1)`, []any{[]string{"a", "b"}}},
		{"text", dialect.Postgres, col(KindText), []any{"a"},
			`"parent" = ANY($1)`, []any{[]string{"a"}}},
		{"named string", dialect.Postgres, col(KindString), []any{named("red"), named("blue")},
			`"parent" IN ($1, $2)`, []any{named("red"), named("blue")}},
		{"mixed", dialect.Postgres, col(KindInteger), []any{int64(1), "2"},
			`"parent" IN ($1, $2)`, []any{int64(1), "2"}},
		{"uuid", dialect.Postgres, col(KindUUID), []any{"6ba7b810-9dad-11d1-80b4-00c04fd430c8"},
			`"parent" IN ($1)`, []any{"6ba7b810-9dad-11d1-80b4-00c04fd430c8"}},
		{"mysql", dialect.MySQL, col(KindInteger), []any{int64(1), int64(2)},
			"`parent` IN (?, ?)", []any{int64(1), int64(2)}},
		{"sqlite", dialect.SQLite, col(KindString), []any{"a", "b"},
			`"parent" IN (?, ?)`, []any{"a", "b"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := newBuilder(tc.d)
			defer b.free()
			keysPred{ref: tc.ref, keys: tc.keys}.appendSQL(b)
			if b.err != nil {
				t.Fatal(b.err)
			}
			if got := b.String(); got != tc.wantSQL {
				t.Errorf("SQL %s, want %s", got, tc.wantSQL)
			}
			if !reflect.DeepEqual(b.args, tc.wantArgs) {
				t.Errorf("arguments %#v, want %#v", b.args, tc.wantArgs)
			}
		})
	}
}
