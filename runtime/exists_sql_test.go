package runtime

import (
	"testing"

	"github.com/ormc/ormc/runtime/dialect"
)

// TestNoneSQL: a relation's None is NOT EXISTS, but behind Vitess, whose
// vtgate plans no negated correlated subquery over shards, it is the
// key NOT IN the children's non-NULL keys, where the key cannot be NULL;
// and Not of Any, alone or in an And of one, is None.
func TestNoneSQL(t *testing.T) {
	album := &Table{Model: "Album", Name: "album", Columns: []*Column{{Field: "id", Name: "id", Kind: KindInteger}}}
	track := &Table{Model: "Track", Name: "track", Columns: []*Column{{Field: "album", Name: "album", Kind: KindInteger, Ref: album}}}
	key := ColRef{Col: album.Columns[0]}
	nullableKey := ColRef{Col: &Column{Field: "id", Name: "id", Kind: KindInteger, Null: true}}
	anyTrack := existsPred{parent: album, outer: key, child: track, fk: track.Columns[0]}
	vitess := dialect.VitessOn(dialect.MariaDB, "")
	for _, tc := range []struct {
		name string
		d    dialect.Dialect
		c    cond
		want string
	}{
		{"none", dialect.MySQL, not(anyTrack), "NOT EXISTS (SELECT 1 FROM `track` AS s1 WHERE s1.`album` = `id`)"},
		{"exclude", dialect.MySQL, not(and(anyTrack)), "NOT EXISTS (SELECT 1 FROM `track` AS s1 WHERE s1.`album` = `id`)"},
		{"not none", dialect.MySQL, not(not(anyTrack)), "EXISTS (SELECT 1 FROM `track` AS s1 WHERE s1.`album` = `id`)"},
		{"none, vitess", vitess, not(anyTrack), "`id` NOT IN (SELECT s1.`album` FROM `track` AS s1 WHERE s1.`album` IS NOT NULL)"},
		{"none with a condition, vitess", vitess,
			existsPred{parent: album, outer: key, child: track, fk: track.Columns[0], none: true,
				inner: cmpPred{ref: ColRef{Col: track.Columns[0]}, op: OpGt, val: int64(1)}},
			"`id` NOT IN (SELECT s1.`album` FROM `track` AS s1 WHERE s1.`album` > ? AND s1.`album` IS NOT NULL)"},
		{"none of a nullable key, vitess", vitess,
			existsPred{parent: album, outer: nullableKey, child: track, fk: track.Columns[0], none: true},
			"NOT EXISTS (SELECT 1 FROM `track` AS s1 WHERE s1.`album` = `id`)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := newBuilder(tc.d)
			defer b.free()
			tc.c.appendSQL(b)
			if b.err != nil {
				t.Fatal(b.err)
			}
			if got := b.String(); got != tc.want {
				t.Errorf("SQL %s\nwant %s", got, tc.want)
			}
		})
	}
}
