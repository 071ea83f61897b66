package runtime_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/ormc/ormc/runtime"
)

// Two hand-written tables, as ormc generates them for
// model Artist "artist" < id Integer pk; name String(50); born Integer null >
// model Album "album" < id Integer pk; title String(50); artist Artist; year Integer >
// so that lookups can follow a foreign key.
var (
	fzArtist = &runtime.Table{
		Model: "Artist", Name: "artist", PK: 0,
		Columns: []*runtime.Column{
			{Field: "id", Name: "id", Kind: runtime.KindInteger, Index: 0, AutoIncrement: true},
			{Field: "name", Name: "name", Kind: runtime.KindString, Index: 1, MaxLength: 50},
			{Field: "born", Name: "born", Kind: runtime.KindInteger, Index: 2, Null: true},
		},
	}
	fzAlbum = &runtime.Table{
		Model: "Album", Name: "album", PK: 0,
		Columns: []*runtime.Column{
			{Field: "id", Name: "id", Kind: runtime.KindInteger, Index: 0, AutoIncrement: true},
			{Field: "title", Name: "title", Kind: runtime.KindString, Index: 1, MaxLength: 50},
			{Field: "artist", Name: "artist_id", Kind: runtime.KindInteger, Index: 2, Ref: fzArtist},
			{Field: "year", Name: "year", Kind: runtime.KindInteger, Index: 3},
		},
	}
)

type fzRow struct{}

// fuzzValue turns the fuzzer's kind byte and text into a lookup value of
// one of the types callers pass.
func fuzzValue(kind byte, s string, n int64) any {
	switch kind % 7 {
	case 0:
		return s
	case 1:
		return n
	case 2:
		return nil
	case 3:
		return n%2 == 0
	case 4:
		return []string{s, s + "x"}
	case 5:
		return []int64{n, n + 1}
	}
	return []any{}
}

// FuzzLookup checks that the seed-style lookup parser returns either a
// predicate or a *LookupError naming the lookup, never panics, and that
// every predicate it returns makes a statement SQLite accepts (when the
// value's type fits the lookup).
func FuzzLookup(f *testing.F) {
	for _, s := range []string{
		"title", "title__icontains", "pk", "pk__in", "id__lt", "artist", "artist__name",
		"artist__name__iexact", "artist__born__isnull", "artist__pk", "artist__id__in",
		"artist__in", "artist__artist", "year__gte", "title__icontains__x", "__", "____",
		"title__", "__title", "artist____name", "title; DROP TABLE album; --",
		"title` OR 1=1 --", `title" OR ""="`, "pk) OR (1=1", "\x00", "artist__born__isnull__in",
		"title__in", "year__startswith", "artist__name__exact", "ti\u0301tle",
	} {
		f.Add(s, byte(0), "v", int64(1))
	}
	ctx := context.Background()
	db := relOpen(f, "sqlite://:memory:",
		`CREATE TABLE "artist" ("id" INTEGER PRIMARY KEY, "name" VARCHAR(50) NOT NULL, "born" INTEGER)`,
		`CREATE TABLE "album" ("id" INTEGER PRIMARY KEY, "title" VARCHAR(50) NOT NULL, "artist_id" INTEGER NOT NULL REFERENCES "artist" ("id"), "year" INTEGER NOT NULL)`,
	)
	albums := runtime.NewQuery[*fzRow](db, fzAlbum)
	f.Fuzz(func(t *testing.T, lookup string, kind byte, s string, n int64) {
		v := fuzzValue(kind, s, n)
		p, err := runtime.Lookup[*fzRow](fzAlbum, lookup, v)
		if (p == runtime.Pred[*fzRow]{}) == (err == nil) {
			t.Fatalf("Lookup(%q, %#v) = %v, %v: want exactly one of a predicate and an error", lookup, v, p, err)
		}
		if err != nil {
			var le *runtime.LookupError
			if !errors.As(err, &le) || le.Lookup != lookup {
				t.Fatalf("Lookup(%q): want *LookupError naming the lookup, got %#v", lookup, err)
			}
			_ = err.Error()
			return
		}
		if _, isSlice := v.([]any); (isSlice || kind%7 == 4 || kind%7 == 5) && !strings.HasSuffix(lookup, "__in") {
			// A slice compared with = is the caller's mistake, which the
			// driver reports when binding; only the statement's syntax is
			// in question here.
			return
		}
		if _, err := albums.Filter(p).Count(ctx); err != nil {
			// SQLite refuses pattern and case-folding lookups on text
			// with a NUL byte (its LIKE and functions stop at the NUL).
			if errors.Is(err, runtime.ErrUnsupported) && strings.ContainsRune(fmt.Sprint(v), 0) {
				return
			}
			t.Fatalf("Lookup(%q, %#v): the statement failed: %v", lookup, v, err)
		}
	})
}
