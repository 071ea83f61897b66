package runtime_test

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/ormc/ormc/internal/testdb"
	"github.com/ormc/ormc/runtime"
)

// pageAll reads q a page of n rows at a time and returns the texts of
// every row, in order, and the number of pages.
func pageAll(ctx context.Context, q *runtime.Query[*note], n int) ([]string, int, error) {
	var out []string
	after, pages := "", 0
	for {
		rows, next, err := q.Page(ctx, after, n)
		if err != nil {
			return nil, pages, err
		}
		pages++
		for _, r := range rows {
			out = append(out, r.Text)
		}
		if next == "" {
			return out, pages, nil
		}
		if len(rows) != n {
			return nil, pages, fmt.Errorf("page %d holds %d rows, want %d, and has a next", pages, len(rows), n)
		}
		after = next
	}
}

// TestPage: paging through a query by any page size gives its rows in
// the order All gives them, for orderings by nullable and repeated keys
// in either direction, NULLs where OrderBy puts them, on every database.
func TestPage(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		ctx := context.Background()
		notes := openNotes(t, url)
		var rows []*note
		for i := range 23 {
			n := &note{Text: fmt.Sprintf("n%02d", i), Completed: i%3 == 0}
			if i%4 != 0 {
				n.Rank = runtime.Some(int64(i % 5))
			}
			rows = append(rows, n)
		}
		if err := notes.BulkCreate(ctx, rows); err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			name string
			q    *runtime.Query[*note]
		}{
			{"no order", notes},
			{"rank", notes.OrderBy(noteRank.Asc())},
			{"rank desc", notes.OrderBy(noteRank.Desc())},
			{"completed, rank desc", notes.OrderBy(noteCompleted.Asc(), noteRank.Desc())},
			{"rank desc, text desc", notes.OrderBy(noteRank.Desc(), noteText.Desc())},
			{"id desc", notes.OrderBy(noteID.Desc())},
			{"filtered, rank", notes.Filter(noteCompleted.Eq(false)).OrderBy(noteRank.Asc())},
			{"searched", notes.Search("N1").OrderBy(noteRank.Desc())},
		} {
			all := c.q
			if c.name == "no order" {
				all = all.OrderBy(noteID.Asc())
			}
			want, err := all.All(ctx)
			if err != nil {
				t.Fatal(err)
			}
			for _, n := range []int{1, 2, 5, 7, 100} {
				got, pages, err := pageAll(ctx, c.q, n)
				if err != nil {
					t.Fatalf("%s, pages of %d: %v", c.name, n, err)
				}
				if w := strings.Split(texts(want), "|"); !slices.Equal(got, w) {
					t.Errorf("%s, pages of %d:\n got  %v\n want %v", c.name, n, got, w)
				}
				if wantPages := max(1, (len(want)+n-1)/n); pages != wantPages {
					t.Errorf("%s, pages of %d: %d pages, want %d", c.name, n, pages, wantPages)
				}
			}
		}
	})
}

// TestPageConcurrentInserts: rows inserted and deleted before the cursor
// while a client pages neither repeat nor push out a row after it, as
// an OFFSET would; rows inserted after it are read in their place.
func TestPageConcurrentInserts(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		ctx := context.Background()
		notes := openNotes(t, url)
		for i := range 10 {
			if _, err := notes.Create(ctx, &note{Text: fmt.Sprintf("b%d", i), Rank: runtime.Some(int64(10 * i))}); err != nil {
				t.Fatal(err)
			}
		}
		q := notes.OrderBy(noteRank.Asc())
		page, next, err := q.Page(ctx, "", 4)
		if err != nil || len(page) != 4 || texts(page) != "b0|b1|b2|b3" {
			t.Fatalf("first page: %s, %v", texts(page), err)
		}
		// Before the cursor: a row in front of all and one beside b3's
		// rank (ties go by key, which is after b3's), and b1 deleted.
		for _, n := range []*note{{Text: "front", Rank: runtime.Some[int64](-1)}, {Text: "tie", Rank: runtime.Some[int64](30)}, {Text: "after", Rank: runtime.Some[int64](55)}} {
			if _, err := notes.Create(ctx, n); err != nil {
				t.Fatal(err)
			}
		}
		if err := notes.Delete(ctx, page[1]); err != nil {
			t.Fatal(err)
		}
		var got []string
		for next != "" {
			page, next, err = q.Page(ctx, next, 4)
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, texts(page))
		}
		if want := []string{"tie|b4|b5|after", "b6|b7|b8|b9"}; !slices.Equal(got, want) {
			t.Errorf("pages after the first: %q, want %q", got, want)
		}
	})
}

// TestPageRefused: a cursor that is not one of the query's ordering, and
// a Page the query cannot have, fail with ErrInvalidQuery before anything
// is sent, saying why.
func TestPageRefused(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		ctx := context.Background()
		notes := openNotes(t, url)
		for i := range 3 {
			if _, err := notes.Create(ctx, &note{Text: fmt.Sprint(i)}); err != nil {
				t.Fatal(err)
			}
		}
		_, byRank, err := notes.OrderBy(noteRank.Asc()).Page(ctx, "", 1)
		if err != nil || byRank == "" {
			t.Fatalf("first page: %q, %v", byRank, err)
		}
		raw, _ := base64.RawURLEncoding.DecodeString(byRank)
		enc := func(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }
		// The rank cursor's fingerprint, on a cursor of another content.
		_, fp, _ := strings.Cut(string(raw), `"k":`)
		fp, _, _ = strings.Cut(fp, ",")
		for _, c := range []struct {
			name string
			q    *runtime.Query[*note]
			page func(q *runtime.Query[*note]) error
			msg  string
		}{
			{"another ordering", notes.OrderBy(noteRank.Desc()), nil, "the cursor is of another query: not ordered as this one on Note is"},
			{"no ordering", notes, nil, "the cursor is of another query"},
			{"not base64", notes.OrderBy(noteRank.Asc()), func(q *runtime.Query[*note]) error {
				_, _, err := q.Page(ctx, "not a cursor!", 1)
				return err
			}, "the cursor is not one Page returned"},
			{"not JSON", notes.OrderBy(noteRank.Asc()), func(q *runtime.Query[*note]) error {
				_, _, err := q.Page(ctx, enc("[1,2"), 1)
				return err
			}, "the cursor is not one Page returned"},
			{"another version", notes.OrderBy(noteRank.Asc()), func(q *runtime.Query[*note]) error {
				_, _, err := q.Page(ctx, enc(strings.Replace(string(raw), `"v":1`, `"v":2`, 1)), 1)
				return err
			}, "the cursor is of version 2, not 1"},
			{"NULL key", notes.OrderBy(noteRank.Asc()), func(q *runtime.Query[*note]) error {
				_, _, err := q.Page(ctx, enc(`{"v":1,"k":`+fp+`,"p":[null,null]}`), 1)
				return err
			}, "the cursor holds NULL for Note.id, which cannot be NULL"},
			{"a value the key cannot hold", notes.OrderBy(noteRank.Asc()), func(q *runtime.Query[*note]) error {
				_, _, err := q.Page(ctx, enc(`{"v":1,"k":`+fp+`,"p":["1; DROP TABLE notes","1"]}`), 1)
				return err
			}, `the cursor holds "1; DROP TABLE notes" for Note.rank, which it cannot hold`},
			{"a limit", notes.Limit(2), nil, "Page reads the whole query a page at a time: it cannot have a Limit or Offset"},
			{"an offset", notes.Offset(1), nil, "it cannot have a Limit or Offset"},
			{"n = 0", notes, func(q *runtime.Query[*note]) error {
				_, _, err := q.Page(ctx, "", 0)
				return err
			}, "Page(…, 0): a page holds at least one row"},
		} {
			page := c.page
			if page == nil {
				page = func(q *runtime.Query[*note]) error {
					_, _, err := q.Page(ctx, byRank, 1)
					return err
				}
			}
			err := page(c.q)
			var op *runtime.OpError
			if !errors.Is(err, runtime.ErrInvalidQuery) || !errors.As(err, &op) || op.Op != "page" || !strings.Contains(err.Error(), c.msg) {
				t.Errorf("%s: %v, want ErrInvalidQuery saying %q", c.name, err, c.msg)
			}
		}
		// The cursor of a filtered query is a place in the same ordering:
		// another filter pages on from there.
		rows, _, err := notes.OrderBy(noteRank.Asc()).Filter(noteText.Ne("1")).Page(ctx, byRank, 5)
		if err != nil || texts(rows) != "2" {
			t.Errorf("the cursor on another filter: %q, %v", texts(rows), err)
		}
	})
}
