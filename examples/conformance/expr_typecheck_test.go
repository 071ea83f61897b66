package conformance

import (
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestExprTypedAtCompileTime compiles a program that misuses the column
// expressions and subqueries (issue 16, items 3 and 4) against the
// generated package, as TestModelCheckedAtCompileTime does for fields:
// each line marked // ERROR "regexp" must fail to compile with a matching
// error, and the last line, a right use, must not. Were Add, Compare,
// InQuery, InValues and Exists not typed by model and value type, the
// program would compile and the test would fail.
func TestExprTypedAtCompileTime(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the go command")
	}
	dir, err := os.MkdirTemp(".", "_typecheck")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	out, err := build(t, dir, "exprs", badExprProgram)
	if err == nil {
		t.Fatal("a program misusing column expressions and subqueries compiled")
	}
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
	for i, src := range strings.Split(badExprProgram, "\n") {
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

const badExprProgram = `package main

import (
	"context"

	"github.com/ormc/ormc/examples/conformance/db"
)

func main() {
	ctx := context.Background()
	var c *db.Client
	c.Tracks.UpdateAll(ctx, db.Add(db.TrackTitle, "x"))                  // ERROR "string does not satisfy .*Number"
	c.Tracks.UpdateAll(ctx, db.Add(db.TrackPosition, 1.5))               // ERROR "cannot use 1.5 .* as int64"
	c.Tracks.UpdateAll(ctx, db.Add(db.AlbumID, 1))                       // ERROR "Assignment\[\*db\.Album\]"
	c.Tracks.Filter(db.Compare(db.TrackPosition, db.OpGt, db.TrackPrice)) // ERROR "OrderedField\[\*db\.Track, .*Decimal\] of db\.TrackPrice does not match"
	c.Tracks.Filter(db.Compare(db.TrackPosition, db.OpGt, db.AlbumID))    // ERROR "OrderedField\[\*db\.Album, int64\] of db\.AlbumID does not match"
	c.Tracks.Filter(db.Compare(db.TrackKind, db.OpExact, db.TrackKind))   // ERROR "Field\[\*db\.Track, db\.TrackKindEnum\] of db\.TrackKind does not match .*OrderedOf"
	c.Tracks.Filter(db.InQuery(db.TrackAlbum, c.Artists))                 // ERROR "Query\[\*db\.Artist\] of c\.Artists does not match"
	c.Tracks.Filter(db.InQuery(db.TrackAlbum.Artist, c.Albums))           // ERROR "Query\[\*db\.Album\] of c\.Albums does not match"
	c.Tracks.Filter(db.InValues(db.TrackTitle, c.Albums, db.AlbumID))     // ERROR "of db\.AlbumID does not match .*FieldOf\[\*db\.Album, string\]"
	c.Tracks.Filter(db.InValues(db.TrackAlbumID, c.Albums, db.TrackID))   // ERROR "of db\.TrackID does not match"
	c.Tracks.Filter(db.Exists(db.TrackID, c.Albums, db.TrackAlbumID))     // ERROR "of db\.TrackAlbumID does not match"
	c.Albums.Filter(db.InValues(db.TrackAlbumID, c.Albums, db.AlbumID))   // ERROR "Pred\[\*db\.Track\]"
	c.Tracks.Filter(db.InValues(db.TrackAlbumID, c.Albums, db.AlbumID))   // right: no error
}
`
