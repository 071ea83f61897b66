package migrate_test

import (
	"encoding/json"
	"os"
	"slices"
	"testing"

	"github.com/ormc/ormc/compiler/ir"
	"github.com/ormc/ormc/compiler/migrate"
	"github.com/ormc/ormc/schema"
)

// TestSnapshotVersion2Loads: a snapshot written before composite keys
// (version 2, whose primary_key is a field's index and has no key list)
// still loads, its key the one field, and a composite key survives a
// snapshot's round trip.
func TestSnapshotVersion2Loads(t *testing.T) {
	d, err := migrate.ReadDir(os.DirFS("../../examples/notes/migrations"))
	if err != nil {
		t.Fatal(err)
	}
	s, err := d.Snapshot(1)
	if err != nil {
		t.Fatal(err)
	}
	if s.Version != 2 {
		t.Fatalf("examples/notes' first snapshot is of version %d; this test wants one of version 2", s.Version)
	}
	m := s.Model("Note")
	if m == nil || m.Composite() || len(m.KeyFields()) != 1 || m.PK().Name != "id" || !slices.Equal(m.KeyColumns(), []string{"id"}) {
		t.Fatalf("Note's key in a version 2 snapshot: %+v", m)
	}
	if p := migrate.New(s, s, migrate.Options{}); len(p.Changes) != 0 || len(p.Diagnostics) != 0 {
		t.Errorf("a version 2 snapshot against itself: %v %v", p.Changes, p.Diagnostics)
	}

	composite := compile(t, post("")+`
model PostTag "post_tag" <
  post ForeignKey(Post)
  tag  String(20)
  pk(tag, post)
>
`)
	data, err := ir.MarshalSnapshot(composite)
	if err != nil {
		t.Fatal(err)
	}
	var back ir.Schema
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatal(err)
	}
	if pt := back.Model("PostTag"); back.Version != ir.Version || pt == nil || !slices.Equal(pt.KeyColumns(), []string{"tag", "post"}) || pt.PK().Name != "tag" {
		t.Errorf("a composite key after the snapshot's round trip: %+v", back.Model("PostTag"))
	}
	// And the version 2 snapshot to the composite schema plans the new
	// model, with nothing to say about keys.
	if p := migrate.New(s, composite, migrate.Options{AllowDrop: true}); slices.ContainsFunc(p.Diagnostics, func(d *schema.Diagnostic) bool { return d.Code == schema.CodeChangeKey }) {
		t.Errorf("change-key where no key changed: %v", p.Diagnostics)
	}
}

// TestKeyChangeRefused: which fields are a table's key may not change,
// even with -allow-drop; a key field renamed or widened is no change of
// key.
func TestKeyChangeRefused(t *testing.T) {
	tag := func(body string) string { return post("") + "model PostTag \"post_tag\" <\n" + body + "\n>\n" }
	for _, tc := range []struct {
		name          string
		before, after string
		refused       bool
	}{
		{"single to composite", tag("id Integer pk\n post ForeignKey(Post)\n tag String(20)"), tag("id Integer\n post ForeignKey(Post)\n tag String(20)\n pk(post, tag)"), true},
		{"composite to single", tag("post ForeignKey(Post)\n tag String(20)\n pk(post, tag)"), tag("post ForeignKey(Post)\n tag String(20) pk"), true},
		{"key order", tag("post ForeignKey(Post)\n tag String(20)\n pk(post, tag)"), tag("post ForeignKey(Post)\n tag String(20)\n pk(tag, post)"), true},
		{"another field", tag("post ForeignKey(Post)\n tag String(20)\n n Integer\n pk(post, tag)"), tag("post ForeignKey(Post)\n tag String(20)\n n Integer\n pk(post, n)"), true},
		{"single key moved", tag("id Integer pk\n code String(9)"), tag("id Integer\n code String(9) pk"), true},
		{"key field renamed", tag("post ForeignKey(Post)\n tag String(20)\n pk(post, tag)"), tag("post ForeignKey(Post)\n label String(20) renamed(from: \"tag\")\n pk(post, label)"), false},
		{"key field widened", tag("post ForeignKey(Post)\n tag String(20)\n pk(post, tag)"), tag("post ForeignKey(Post)\n tag String(40)\n pk(post, tag)"), false},
		{"fields reordered", tag("post ForeignKey(Post)\n tag String(20)\n pk(post, tag)"), tag("tag String(20)\n post ForeignKey(Post)\n pk(post, tag)"), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := migrate.New(compile(t, tc.before), compile(t, tc.after), migrate.Options{AllowDrop: true})
			refused := slices.ContainsFunc(p.Diagnostics, func(d *schema.Diagnostic) bool {
				return d.Code == schema.CodeChangeKey && d.Severity == schema.Error
			})
			if refused != tc.refused || refused != p.Diagnostics.HasErrors() {
				t.Errorf("refused = %v, want %v: %v", refused, tc.refused, p.Diagnostics)
			}
		})
	}
}
