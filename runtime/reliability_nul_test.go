package runtime_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/ormc/ormc/internal/testdb"
	"github.com/ormc/ormc/runtime"
)

// TestReliabilityNUL stores and looks up text holding NUL bytes. What
// happens differs by database, and each behaviour is asserted exactly:
//
//   - MySQL/MariaDB stores NUL and every lookup is exact.
//   - PostgreSQL cannot store NUL in text: every write and every lookup
//     that binds such a value fails with SQLSTATE 22021 and nothing is
//     stored; nothing is truncated.
//   - SQLite stores NUL and reads it back exactly, and eq and in are
//     exact, but its lower() and LIKE stop reading at the first NUL, so
//     iexact, contains, icontains, startswith, istartswith, endswith and
//     iendswith with a NUL in the value are refused with ErrUnsupported
//     rather than match too much.
func TestReliabilityNUL(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		ctx := context.Background()
		db, orders := openKW(t, url)
		dialect := db.Dialect().Name()
		var ids []int64
		for _, v := range []string{"a", "ab"} {
			r, err := orders.Create(ctx, &kw{Text: v, User: v})
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, r.ID)
		}
		const nul = "a\x00b"
		r, err := orders.Create(ctx, &kw{Text: nul, User: nul})
		if dialect == "postgres" {
			var pe *pgconn.PgError
			if !errors.As(err, &pe) || pe.Code != "22021" {
				t.Fatalf("postgres create with NUL: want SQLSTATE 22021, got %v", err)
			}
			if n, err := orders.Count(ctx); err != nil || n != 2 {
				t.Errorf("postgres stored something: count %d, %v", n, err)
			}
			if err := orders.Update(ctx, &kw{ID: ids[0], Text: nul, User: "u"}); !errors.As(err, &pe) || pe.Code != "22021" {
				t.Errorf("postgres update with NUL: want SQLSTATE 22021, got %v", err)
			}
			if got, err := orders.Get(ctx, kwID.Eq(ids[0])); err != nil || got.Text != "a" {
				t.Errorf("postgres update changed the row: %+v, %v", got, err)
			}
			for _, q := range []*runtime.Query[*kw]{
				orders.Filter(kwText.Eq(nul)), orders.Filter(kwText.Contains("\x00")), orders.Where("text__icontains", nul),
			} {
				if _, err := q.All(ctx); !errors.As(err, &pe) || pe.Code != "22021" {
					t.Errorf("postgres lookup with NUL: want SQLSTATE 22021, got %v", err)
				}
			}
			return
		}
		if err != nil {
			t.Fatalf("%s create with NUL: %v", dialect, err)
		}
		ids = append(ids, r.ID)
		if got, err := orders.Get(ctx, kwID.Eq(r.ID)); err != nil || got.Text != nul || got.User != nul {
			t.Fatalf("round trip: %+v, %v", got, err)
		}
		exact := []int64{ids[2]}
		for _, tc := range []struct {
			name   string
			q      *runtime.Query[*kw]
			sqlite []int64 // what SQLite returns; nil: refused with ErrUnsupported, as its lower() and LIKE stop at NUL
		}{
			{"eq", orders.Filter(kwText.Eq(nul)), exact},
			{"in", orders.Filter(kwText.In(nul)), exact},
			{"iexact", orders.Filter(kwText.IExact(nul)), nil},
			{"contains", orders.Filter(kwText.Contains("\x00")), nil},
			{"icontains", orders.Filter(kwText.IContains(nul)), nil},
			{"startswith", orders.Filter(kwText.StartsWith("a\x00")), nil},
			{"istartswith", orders.Filter(kwText.IStartsWith("A\x00")), nil},
			{"endswith", orders.Filter(kwText.EndsWith("\x00b")), nil},
			{"iendswith", orders.Filter(kwText.IEndsWith("\x00B")), nil},
			{"where text__istartswith", orders.Where("text__istartswith", "a\x00"), nil},
			{"where text__icontains", orders.Where("text__icontains", nul), nil},
		} {
			rows, err := tc.q.OrderBy(kwID.Asc()).All(ctx)
			if dialect == "sqlite" && tc.sqlite == nil {
				if !errors.Is(err, runtime.ErrUnsupported) {
					t.Errorf("%s: want ErrUnsupported on SQLite, got %v", tc.name, err)
				}
				continue
			}
			if err != nil {
				t.Errorf("%s: %v", tc.name, err)
				continue
			}
			var got []int64
			for _, r := range rows {
				got = append(got, r.ID)
			}
			want := exact
			if dialect == "sqlite" {
				want = tc.sqlite
			}
			if !slices.Equal(got, want) {
				t.Errorf("%s: got %v, want %v", tc.name, got, want)
			}
		}
	})
}
