package conformance

import (
	"errors"
	"reflect"
	"slices"
	"testing"

	"github.com/ormc/ormc/examples/conformance/db"
	"github.com/ormc/ormc/runtime"
)

// lookupMethods maps each seed-style lookup to the typed field's method.
var lookupMethods = map[string]string{
	"exact": "Eq", "ne": "Ne", "in": "In", "isnull": "IsNull",
	"lt": "Lt", "lte": "Lte", "gt": "Gt", "gte": "Gte",
	"iexact": "IExact", "contains": "Contains", "icontains": "IContains",
	"startswith": "StartsWith", "istartswith": "IStartsWith",
	"endswith": "EndsWith", "iendswith": "IEndsWith",
}

// TestLookupsMatchTypedFields: a field accepts exactly the seed-style
// lookups whose methods its typed field has, but for IsNull, which every
// typed field has and a seed-style isnull only a nullable one, for every
// kind of field:
// plain, ordered, text, enum, boolean, JSON, nullable or not, a relation
// (its key column's typed field, TrackAlbumID) nullable or not.
func TestLookupsMatchTypedFields(t *testing.T) {
	for _, tc := range []struct {
		table *runtime.Table
		field string
		typed any // a pointer to the field: its methods have pointer receivers
	}{
		{tableOf[db.Track](), "id", db.TrackID},
		{tableOf[db.Track](), "album", db.TrackAlbumID},
		{tableOf[db.Track](), "title", db.TrackTitle},
		{tableOf[db.Track](), "position", db.TrackPosition},
		{tableOf[db.Track](), "remix_of", db.TrackRemixOfID},
		{tableOf[db.Track](), "seconds", db.TrackSeconds},
		{tableOf[db.Track](), "price", db.TrackPrice},
		{tableOf[db.Track](), "kind", db.TrackKind},
		{tableOf[db.Track](), "explicit", db.TrackExplicit},
		{tableOf[db.Track](), "added", db.TrackAdded},
		{tableOf[db.Track](), "meta", db.TrackMeta},
		{tableOf[db.Track](), "code", db.TrackCode},
		{tableOf[db.Album](), "released", db.AlbumReleased},
		{tableOf[db.Album](), "artist", db.AlbumArtistID},
		{tableOf[db.Word](), "text", db.WordText},
		{tableOf[db.Word](), "note", db.WordNote},
	} {
		var seed, typed []string
		for lookup, method := range lookupMethods {
			// A value the field cannot hold still shows that the lookup applies.
			if _, err := runtime.Lookup[any](tc.table, tc.field+"__"+lookup, valueFor(lookup)); err == nil || errors.Is(err, runtime.ErrLookupValue) {
				seed = append(seed, lookup)
			}
			if _, ok := reflect.TypeOf(tc.typed).MethodByName(method); ok {
				typed = append(typed, lookup)
			}
		}
		slices.Sort(seed)
		slices.Sort(typed)
		// Every typed field has IsNull; a seed-style isnull is refused on
		// a column that cannot be NULL.
		nullable := tc.table.Column(tc.field).Null
		if slices.Contains(seed, "isnull") != nullable {
			t.Errorf("%s.%s: nullable %v, seed-style lookups %v", tc.table.Model, tc.field, nullable, seed)
		}
		if !nullable {
			seed = append(seed, "isnull")
			slices.Sort(seed)
		}
		if !slices.Equal(seed, typed) {
			t.Errorf("%s.%s: seed-style lookups %v (and isnull), typed field methods %v", tc.table.Model, tc.field, seed, typed)
		}
	}
}

// valueFor returns a value of the shape the lookup takes: a list, a bool
// or one value, which a field may still refuse with ErrLookupValue.
func valueFor(lookup string) any {
	switch lookup {
	case "in":
		return []any{}
	case "isnull":
		return true
	}
	return "1"
}

// tableOf returns the metadata of the model T.
func tableOf[T any]() *runtime.Table {
	c := db.NewClient(nil)
	var t *runtime.Table
	switch any(new(T)).(type) {
	case *db.Track:
		t = c.Tracks.Table()
	case *db.Album:
		t = c.Albums.Table()
	case *db.Word:
		t = c.Words.Table()
	}
	return t
}
