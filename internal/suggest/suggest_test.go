package suggest

import (
	"strings"
	"testing"
)

func TestClosest(t *testing.T) {
	fields := []string{"pk", "id", "album", "title", "position"}
	lookups := []string{"exact", "ne", "in", "gt", "gte", "lt", "lte", "isnull",
		"contains", "icontains", "startswith", "istartswith", "endswith", "iendswith", "iexact"}
	long := strings.Repeat("a", MaxLen+1)
	for _, tc := range []struct {
		name       string
		candidates []string
		want       string
	}{
		{"titel", fields, "title"},           // a transposition: distance 2
		{"nmae", []string{"name"}, "name"},   // distance 2 of 4
		{"tilte", fields, "title"},           // distance 2
		{"Title", fields, "title"},           // case only
		{"TITLE", fields, "title"},           // case only, whole
		{"title", fields, ""},                // the name itself
		{"icontain", lookups, "icontains"},   // a prefix
		{"icontans", lookups, "icontains"},   // one missing
		{"isnul", lookups, "isnull"},         // a prefix
		{"startwith", lookups, "startswith"}, // one missing
		{"pos", fields, "position"},          // an abbreviation of three bytes
		{"po", fields, "pk"},                 // two bytes: no abbreviation; "pk" is one away
		{"xyz", fields, ""},                  // nothing close
		{"ab", []string{"xy"}, ""},           // distance 2 of a 2-byte name: too far
		{"a", []string{"b"}, ""},             // distance 1 of a 1-byte name: too far
		{"", fields, ""},                     // the empty name
		{"titel", nil, ""},                   // no candidates
		{"positoinal", fields, ""},           // distance 3: too far for any length
		{"gtee", lookups, "gte"},             // the first of the closest: "gte" (1) before "gt" (2)
		{long, []string{long[:MaxLen]}, ""},  // a name too long to compare
		{long[:MaxLen], []string{long}, ""},  // a candidate too long to compare
		{"héllo", []string{"hello"}, "hello"},
	} {
		if got := Closest(tc.name, tc.candidates); got != tc.want {
			t.Errorf("Closest(%q, %q) = %q, want %q", tc.name, tc.candidates, got, tc.want)
		}
	}
}

// TestClosestOrder: of candidates equally close, the first given wins.
func TestClosestOrder(t *testing.T) {
	if got := Closest("bat", []string{"cat", "hat"}); got != "cat" {
		t.Errorf("got %q, want the first, %q", got, "cat")
	}
	if got := Closest("bat", []string{"hat", "cat"}); got != "hat" {
		t.Errorf("got %q, want the first, %q", got, "hat")
	}
}

func TestDistance(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want int
	}{
		{"", "", 0},
		{"", "abc", 3},
		{"abc", "", 3},
		{"kitten", "sitting", 3},
		{"flaw", "lawn", 2},
		{"title", "titel", 2},
		{"same", "same", 0},
	} {
		if got := distance(tc.a, tc.b); got != tc.want {
			t.Errorf("distance(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
		if got := distance(tc.b, tc.a); got != tc.want {
			t.Errorf("distance(%q, %q) = %d, want %d (symmetric)", tc.b, tc.a, got, tc.want)
		}
	}
}
