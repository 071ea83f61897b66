package conformance

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestModelCheckedAtCompileTime compiles two small programs against the
// generated package (issue 17, item 1). The first queries Tracks through
// their own fields and through relations (db.TrackAlbum.Name.Eq,
// db.TrackAlbum.Artist.Match), and must compile. The second names a field
// of another model wherever a query or a write on Track takes one, and
// must fail to compile with an error on each line marked // ERROR "regexp",
// and on no other line. Were predicates, orders, assignments, selectors
// and relations not typed by their model, the second program would
// compile and the test would fail.
//
// The programs are written into a directory of this package whose name
// starts with "_", so that ./... patterns run by others meanwhile do not
// see it, and built by the go command with the module's own requirements.
func TestModelCheckedAtCompileTime(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the go command")
	}
	dir, err := os.MkdirTemp(".", "_typecheck")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })

	if out, err := build(t, dir, "good", goodProgram); err != nil {
		t.Fatalf("the program querying through relations does not compile: %v\n%s", err, out)
	}

	out, err := build(t, dir, "bad", badProgram)
	if err == nil {
		t.Fatal("a program using fields of another model compiled")
	}
	// Error lines: ./main.go:LINE:COL: message (continuation lines start
	// with a tab and belong to the error before).
	got := map[int][]string{}
	line := regexp.MustCompile(`^\./main\.go:(\d+):\d+: (.*)$`)
	for _, l := range strings.Split(string(out), "\n") {
		if m := line.FindStringSubmatch(l); m != nil {
			n, _ := strconv.Atoi(m[1])
			got[n] = append(got[n], m[2])
		}
	}
	if len(got) == 0 {
		t.Fatalf("the go command failed without a compile error:\n%s", out)
	}
	want := regexp.MustCompile(`// ERROR "(.*)"\s*$`)
	for i, src := range strings.Split(badProgram, "\n") {
		n := i + 1
		m := want.FindStringSubmatch(src)
		if m == nil {
			if len(got[n]) > 0 {
				t.Errorf("main.go:%d: unexpected error: %s\n\t%s", n, got[n][0], strings.TrimSpace(src))
			}
			continue
		}
		re := regexp.MustCompile(m[1])
		matched := false
		for _, msg := range got[n] {
			matched = matched || re.MatchString(msg)
		}
		if !matched {
			t.Errorf("main.go:%d: want an error matching %q, got %q\n\t%s", n, m[1], got[n], strings.TrimSpace(src))
		}
	}
}

// build writes src as main.go of dir/name and builds it with every
// compile error reported.
func build(t *testing.T, dir, name, src string) ([]byte, error) {
	t.Helper()
	pkg := filepath.Join(dir, name)
	if err := os.MkdirAll(pkg, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(pkg, "main.go"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("go", "build", "-gcflags=-e", "-o", os.DevNull, ".")
	cmd.Dir = pkg
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	if err != nil && !bytes.Contains(out.Bytes(), []byte("main.go:")) {
		return out.Bytes(), fmt.Errorf("go build: %w", err)
	}
	return out.Bytes(), err
}

// goodProgram queries and writes Tracks through their own fields and
// relations, one and two steps away, with one import of the generated
// package.
const goodProgram = `package main

import (
	"context"

	"github.com/ormc/ormc/examples/conformance/db"
)

func main() {
	ctx := context.Background()
	c, err := db.Open(ctx, "sqlite://:memory:")
	if err != nil {
		return
	}
	defer c.Close()
	q := c.Tracks.Filter(
		db.TrackAlbum.Name.Eq("Malibu"),
		db.TrackAlbum.Artist.Match(db.ArtistName.Eq("Anderson .Paak")),
		db.TrackRemixOf.Album.Match(db.AlbumArtist.Name.IExact("metric"), db.AlbumName.Ne("x")),
		db.Or(db.TrackTitle.Eq("a"), db.Not(db.TrackAlbum.ID.In(1, 2))),
	).OrderBy(db.TrackAlbum.Artist.Order(db.ArtistName.Asc()), db.TrackAlbum.Name.Desc()).
		SelectRelated(db.TrackAlbum, db.TrackAlbum.Artist, db.TrackRemixOf)
	tracks, _ := q.All(ctx)
	for _, tr := range tracks {
		_ = c.Tracks.Update(ctx, tr, db.TrackTitle.Set("x"), db.TrackPosition.SetNull())
	}
	_, _, _ = c.Tracks.GetOrCreate(ctx, db.And(db.TrackTitle.Eq("t"), db.TrackAlbumID.Eq(20)), db.TrackKind.Set(db.TrackKindBonus))
	_, _, _ = c.Tracks.UpdateOrCreate(ctx, db.TrackTitle.Eq("t"), db.TrackExplicit.Set(true))
	_, _ = c.Tracks.Filter(db.TrackAlbum.Match(db.AlbumName.Eq("Malibu"))).UpdateAll(ctx, db.TrackExplicit.Set(false))
}
`

// badProgram uses a field of Album, or a relation from it, where a query
// or a write on Track takes one of Track's.
const badProgram = `package main

import (
	"context"

	"github.com/ormc/ormc/examples/conformance/db"
	"github.com/ormc/ormc/runtime"
)

func main() {
	ctx := context.Background()
	var c *db.Client
	var tr *db.Track
	c.Tracks.Filter(db.AlbumName.Eq("Malibu"))                             // ERROR "Pred\[\*db\.Album\].*as .*Pred\[\*db\.Track\]"
	c.Tracks.Exclude(db.AlbumID.Eq(20))                                    // ERROR "Pred\[\*db\.Album\]"
	c.Tracks.Get(ctx, db.AlbumID.Eq(20))                                   // ERROR "Pred\[\*db\.Album\]"
	c.Tracks.Filter(db.Or(db.TrackID.Eq(1), db.AlbumName.Eq("x")))        // ERROR "Pred\[\*db\.Album\]"
	c.Tracks.Filter(db.AlbumArtist.Name.Eq("Metric"))                      // ERROR "Pred\[\*db\.Album\]"
	c.Tracks.Filter(db.TrackAlbum.Match(db.ArtistName.Eq("Metric")))       // ERROR "Pred\[\*db\.Artist\].*as .*Pred\[\*db\.Album\]"
	c.Tracks.Filter(db.TrackAlbum.Artist.Match(db.AlbumName.Eq("Malibu"))) // ERROR "Pred\[\*db\.Album\].*as .*Pred\[\*db\.Artist\]"
	c.Tracks.OrderBy(db.AlbumName.Asc())                                   // ERROR "Order\[\*db\.Album\]"
	c.Tracks.OrderBy(db.TrackAlbum.Order(db.ArtistName.Asc()))             // ERROR "Order\[\*db\.Artist\]"
	c.Tracks.SelectRelated(db.AlbumArtist)                                 // ERROR "Relation\[\*db\.Track\]"
	c.Tracks.Update(ctx, tr, db.AlbumName.Set("x"))                        // ERROR "Assignment\[\*db\.Album\]"
	c.Tracks.UpdateAll(ctx, db.AlbumName.Set("x"))                         // ERROR "Assignment\[\*db\.Album\]"
	c.Tracks.Upsert(ctx, tr, []runtime.Selector[*db.Track]{db.AlbumName}) // ERROR "Selector\[\*db\.Track\]"
	c.Tracks.GetOrCreate(ctx, db.AlbumName.Eq("x"))                        // ERROR "Pred\[\*db\.Album\]"
	c.Tracks.UpdateOrCreate(ctx, db.TrackTitle.Eq("x"), db.AlbumName.Set("y")) // ERROR "Assignment\[\*db\.Album\]"
	c.Tracks.Filter(db.TrackTitle.Eq("x"))                                 // a Track field: no error
}
`
