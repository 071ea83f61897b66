package runtime_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/ormc/ormc/runtime"
)

// TestLookupSuggestion: an unknown field or lookup in a seed-style lookup
// string gets the closest choice at that step of the path as a "did you
// mean" hint, by the checker's rule; a name close to nothing gets none,
// and neither do errors that are not about a name.
func TestLookupSuggestion(t *testing.T) {
	for _, tc := range []struct {
		table   *runtime.Table
		lookup  string
		value   any
		model   string // the model named
		segment string // the bad name
		want    string // the suggestion; "" for none
		saying  string // words the message must have
	}{
		// A field of the model queried.
		{fzAlbum, "titel", "x", "Album", "titel", "title", `Album has no field "titel"; did you mean "title"?`},
		{fzAlbum, "titel__icontains", "x", "Album", "titel", "title", `Album has no field "titel"; did you mean "title"?`},
		{fzAlbum, "Title__iexact", "x", "Album", "Title", "title", `did you mean "title"?`},
		{fzAlbum, "yaer__gt", 1, "Album", "yaer", "year", `did you mean "year"?`},
		{fzAlbum, "artst__name", "x", "Album", "artst", "artist", `Album has no field "artst"; did you mean "artist"?`},
		{fzAlbum, "PK", 1, "Album", "PK", "pk", `did you mean "pk"?`},
		{fzAlbum, "colour", "x", "Album", "colour", "", `Album has no field "colour" (choices:`},
		// A lookup of a field.
		{fzAlbum, "title__icontain", "x", "Album", "icontain", "icontains", `Album.title has no lookup "icontain"; did you mean "icontains"?`},
		{fzAlbum, "title__startwith", "x", "Album", "startwith", "startswith", `did you mean "startswith"?`},
		{fzAlbum, "title__iexcat", "x", "Album", "iexcat", "iexact", `did you mean "iexact"?`},
		{fzAlbum, "year__gtt", 1, "Album", "gtt", "gt", `Album.year has no lookup "gtt"; did you mean "gt"?`},
		{fzAlbum, "title__like", "x", "Album", "like", "lte", `did you mean "lte"?`}, // the rule is the checker's: two edits of four
		{fzAlbum, "title__regex", "x", "Album", "regex", "", `Album.title has no lookup "regex" (choices:`},
		// Only lookups the field takes are suggested: year is no text.
		{fzAlbum, "year__icontain", 1, "Album", "icontain", "", `Album.year has no lookup "icontain" (choices:`},
		// A field of the model at that step of the path.
		{fzAlbum, "artist__nmae", "x", "Artist", "nmae", "name", `Artist has no field "nmae", nor Album.artist a lookup "nmae"; did you mean "name"?`},
		{fzAlbum, "artist__nmae__iexact", "x", "Artist", "nmae", "name", `Artist has no field "nmae"; did you mean "name"?`},
		{fzAlbum, "artist__bron__isnull", true, "Artist", "bron", "born", `did you mean "born"?`},
		{fzAlbum, "artist__title", "x", "Artist", "title", "", `Artist has no field "title", nor Album.artist a lookup "title" (choices:`},
		// The last segment after a relation may be a lookup of the relation.
		{fzAlbum, "artist__gtee", 1, "Artist", "gtee", "gte", `did you mean "gte"?`},
		{fzAlbum, "artist__name__icontian", "x", "Artist", "icontian", "", `Artist.name has no lookup "icontian"`},
		{fzAlbum, "artist__name__icontans", "x", "Artist", "icontans", "icontains", `Artist.name has no lookup "icontans"; did you mean "icontains"?`},
		// Errors about something else than a name have no suggestion.
		{fzAlbum, "title__icontains__x", "x", "Album", "x", "", `nothing may follow lookup "icontains", found "x"`},
		{fzAlbum, "year__icontains", 1, "Album", "icontains", "", `lookup "icontains" does not apply to Album.year`},
		{fzAlbum, "title", 1, "Album", "exact", "", "Album.title takes"},
	} {
		_, err := runtime.Lookup[any](tc.table, tc.lookup, tc.value)
		var le *runtime.LookupError
		if !errors.As(err, &le) {
			t.Errorf("%q: want *LookupError, got %v", tc.lookup, err)
			continue
		}
		if le.Model != tc.model || le.Segment != tc.segment || le.Lookup != tc.lookup {
			t.Errorf("%q: model %q, segment %q, lookup %q; want %q, %q, %q", tc.lookup, le.Model, le.Segment, le.Lookup, tc.model, tc.segment, tc.lookup)
		}
		if le.Suggestion != tc.want {
			t.Errorf("%q: suggestion %q, want %q", tc.lookup, le.Suggestion, tc.want)
		}
		if le.Suggestion != "" && !slices.Contains(le.Choices, le.Suggestion) {
			t.Errorf("%q: suggestion %q is none of the choices %v", tc.lookup, le.Suggestion, le.Choices)
		}
		msg := err.Error()
		if !strings.Contains(msg, tc.saying) {
			t.Errorf("%q: %q does not say %q", tc.lookup, msg, tc.saying)
		}
		if tc.want == "" && strings.Contains(msg, "did you mean") {
			t.Errorf("%q: %q suggests, but nothing is close", tc.lookup, msg)
		}
	}
}

// TestLookupSuggestionWraps: a suggestion changes nothing of what
// errors.Is and errors.As see: a bad name wraps neither sentinel, a bad
// value still wraps ErrLookupValue.
func TestLookupSuggestionWraps(t *testing.T) {
	_, err := runtime.Lookup[*fzRow](fzAlbum, "titel", "x")
	var le *runtime.LookupError
	if !errors.As(err, &le) || le.Suggestion != "title" {
		t.Fatalf("titel: %v", err)
	}
	if errors.Is(err, runtime.ErrLookupValue) || errors.Is(err, runtime.ErrTooComplex) {
		t.Errorf("a bad name wraps a sentinel: %v", err)
	}
	_, err = runtime.Lookup[*fzRow](fzAlbum, "year", "x")
	if !errors.Is(err, runtime.ErrLookupValue) || !errors.As(err, &le) || le.Suggestion != "" {
		t.Errorf("a bad value: %v", err)
	}
}
