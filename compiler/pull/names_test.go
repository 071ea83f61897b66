package pull

import (
	"testing"

	"github.com/ormc/ormc/compiler/ir"
)

// TestNames reads ormc's naming conventions backwards: a table ormc
// named gives back a model whose default table is that table, a column
// that is a field name stays one, and a relation loses its "_id".
func TestNames(t *testing.T) {
	for _, tc := range []struct{ table, model string }{
		{"album", "Album"},
		{"playlist_track", "PlaylistTrack"},
		{"InvoiceLine", "InvoiceLine"},
		{"Album", "Album"},
		{"order items", "OrderItems"},
		{"2fa_codes", "T2faCodes"},
		{"we\"ird`tab'le", "WeIrdTabLe"},
	} {
		if got := modelName(tc.table); got != tc.model {
			t.Errorf("modelName(%q) = %q, want %q", tc.table, got, tc.model)
		}
	}
	for _, table := range []string{"album", "playlist_track", "track_artist", "by_ip_address"} {
		if got := ir.SnakeName(modelName(table)); got != table {
			t.Errorf("SnakeName(modelName(%q)) = %q: the table would need a name", table, got)
		}
	}
	for _, tc := range []struct{ column, field, relation string }{
		{"title", "title", "title"},
		{"userName", "userName", "userName"},
		{"artist_id", "artist_id", "artist"},
		{"AlbumId", "album_id", "album"},
		{"ReportsTo", "reports_to", "reports_to"},
		{"pk", "pk_", "pk_"},
		{"a__b", "a_b", "a_b"},
		{"or der", "or_der", "or_der"},
		{"_id", "_id", "_id"},
		{"1st", "f_1st", "f_1st"},
		{"pk_id", "pk_id", "pk_id"},
	} {
		if got := fieldName(tc.column); got != tc.field {
			t.Errorf("fieldName(%q) = %q, want %q", tc.column, got, tc.field)
		}
		if got := relationName(tc.column); got != tc.relation {
			t.Errorf("relationName(%q) = %q, want %q", tc.column, got, tc.relation)
		}
	}
}
