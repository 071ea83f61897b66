package pull_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/ormc/ormc/compiler"
	"github.com/ormc/ormc/compiler/gogen"
	"github.com/ormc/ormc/compiler/pull"
	"github.com/ormc/ormc/internal/testdb"
	"github.com/ormc/ormc/runtime"
	"github.com/ormc/ormc/runtime/dialect"
	"github.com/ormc/ormc/runtime/inspect"
	"github.com/ormc/ormc/schema"
)

// The sample database's tests: testdata/sample/chinook, a database
// ormc did not make, in the flavour of each database.

// chinookWarnings are the warnings ormc pull must give for Chinook on
// each database, by code: what the language cannot say of it. They are
// by dialect, or by engine where it differs from its dialect's server
// (see warningsOn).
var chinookWarnings = map[string]map[schema.Code]int{
	dialect.Postgres.Name(): {
		schema.CodeKeyNotGenerated:   10, // INT keys without a sequence
		schema.CodeReferentialAction: 11, // ON DELETE NO ACTION
		schema.CodeApproximateType:   3,  // birth_date, hire_date, invoice_date: TIMESTAMP without a zone
	},
	dialect.MySQL.Name(): {
		schema.CodeKeyNotGenerated: 10,
		schema.CodeApproximateType: 3,  // DATETIME without fractional digits
		schema.CodeConstraintName:  11, // FK_AlbumArtistId
		schema.CodeCollation:       34, // NVARCHAR is utf8mb3_general_ci (MariaDB keeps NO ACTION as RESTRICT)
	},
	// TiDB's NVARCHAR is utf8mb4 in the database's collation, which
	// ormc's is: no column has a collation to report.
	"tidb": {
		schema.CodeKeyNotGenerated: 10,
		schema.CodeApproximateType: 3,
		schema.CodeConstraintName:  11,
	},
	dialect.SQLite.Name(): {
		schema.CodeKeyNotGenerated:   10,
		schema.CodeReferentialAction: 11,
		schema.CodeApproximateType:   3,  // NUMERIC(10,2) stores numbers
		schema.CodeConstraintName:    11, // CONSTRAINT [PK_Album] PRIMARY KEY, and PK_PlaylistTrack
	},
}

// chinookFiles are the sample's SQL files, by dialect.
var chinookFiles = map[string]string{
	dialect.Postgres.Name(): "postgres.sql",
	dialect.MySQL.Name():    "mysql.sql",
	dialect.SQLite.Name():   "sqlite.sql",
}

// loadChinook loads the sample into a database of the test's own and
// returns its URL and an open handle.
func loadChinook(t *testing.T, d testdb.Dialect) (string, *runtime.DB) {
	t.Helper()
	url := testdb.Fresh(t, d)
	ctx := context.Background()
	db, err := runtime.Open(ctx, url, drivers...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	path := filepath.Join("../../testdata/sample/chinook", chinookFiles[d.Dialect])
	if p, ok := db.Dialect().(dialect.Profile); ok && p.Engine() == dialect.Vitess {
		path = withoutNationalStrings(t, path)
	}
	loadSQL(t, ctx, db, path, d.Dialect == dialect.MySQL.Name())
	return url, db
}

// withoutNationalStrings copies the SQL file at path with its N'…'
// literals written '…': vtgate's parser fails on them inside a multi-row
// INSERT ("syntax error … near ':vtg2'"), and in utf8mb4 they mean the
// same. The sample is loaded so, not ormc's SQL.
func withoutNationalStrings(t *testing.T, path string) string {
	t.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), filepath.Base(path))
	src = regexp.MustCompile(`([\s(,])N'`).ReplaceAll(src, []byte("$1'"))
	if err := os.WriteFile(out, src, 0o644); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestChinookPull pulls the sample on every database with ormc pull
// itself: the schema checks, is in canonical form, and every construct
// the language cannot say is reported, on stderr and in the file. Under
// -short it pulls and checks in the test, through pull.Write and the
// checker as ormc pull and ormc check call them, without building ormc,
// which takes seconds; testdata/scripts/pull.txtar runs ormc pull itself.
func TestChinookPull(t *testing.T) {
	var ormc string
	if !testing.Short() {
		ormc = buildOrmc(t)
	}
	for _, d := range testdb.Dialects {
		t.Run(d.Name, func(t *testing.T) {
			url, db := loadChinook(t, d)
			dir := t.TempDir()
			out := filepath.Join(dir, "chinook.orm")
			var stderr string
			if ormc != "" {
				stderr = run(t, dir, ormc, "pull", "-db", url, "-o", out)
			} else {
				stderr = pullInProcess(t, db, out)
			}
			src, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			counts := map[schema.Code]int{}
			for _, line := range strings.Split(strings.TrimSpace(stderr), "\n") {
				// file:line:col: code: message, and the same comment in the file.
				pos, rest, _ := strings.Cut(line, ": ")
				code, _, _ := strings.Cut(rest, ": ")
				counts[schema.Code(code)]++
				var n int
				fmt.Sscanf(strings.Split(pos, ":")[1], "%d", &n)
				if lines := strings.Split(string(src), "\n"); n < 1 || n > len(lines) || strings.TrimSpace(lines[n-1]) != "// "+rest {
					t.Errorf("warning %q is not at its comment in the file", line)
				}
			}
			if want := warningsOn(d); !mapsEqual(counts, want) {
				t.Errorf("warnings by code: %v, want %v\n%s", counts, want, stderr)
			}
			if ormc != "" {
				run(t, dir, ormc, "check", out)
			} else if f, err := schema.Parse(out, src); err != nil {
				t.Errorf("the pulled schema does not parse: %v", err)
			} else if _, diags := compiler.CheckWith([]compiler.NameCheck{gogen.CheckNames}, f); diags.Err() != nil {
				t.Errorf("the pulled schema does not check: %v", diags.Err())
			}
			if fmtd, err := schema.FormatSource(out, src); err != nil || !bytes.Equal(fmtd, src) {
				t.Errorf("ormc fmt changes the pulled schema (%v)", err)
			}
			for _, want := range []string{
				"model PlaylistTracksLink", // a join table: Playlist.tracks runs through it
				"tracks ManyToMany(Track, through: PlaylistTracksLink)",
				"reports_to ForeignKey(Employee) null",
				"album ForeignKey(Album) null",
				"pk(playlist, track)", // playlist_track's composite key
			} {
				if !strings.Contains(strings.Join(strings.Fields(string(src)), " "), want) {
					t.Errorf("the pulled schema has no %q:\n%s", want, src)
				}
			}
		})
	}
}

// warningsOn returns the warnings expected on d: its engine's where
// chinookWarnings has them, else its dialect's.
func warningsOn(d testdb.Dialect) map[schema.Code]int {
	if w, ok := chinookWarnings[d.Name]; ok {
		return w
	}
	return chinookWarnings[d.Dialect]
}

func mapsEqual(a, b map[schema.Code]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// pullInProcess does what ormc pull -db url -o out does, on db: it
// writes the schema to out and returns the warnings as ormc pull prints
// them on stderr, file:line:col: code: message.
func pullInProcess(t *testing.T, db *runtime.DB, out string) string {
	t.Helper()
	desc, err := inspect.Inspect(context.Background(), db, inspect.Options{})
	if err != nil {
		t.Fatal(err)
	}
	res, err := pull.Write(desc, pull.Options{File: out, Checks: []compiler.NameCheck{gogen.CheckNames}})
	if err != nil {
		t.Fatalf("the schema written does not check: %v\n%s", err, res.Source)
	}
	if err := os.WriteFile(out, res.Source, 0o644); err != nil {
		t.Fatal(err)
	}
	var stderr strings.Builder
	for _, w := range res.Warnings {
		fmt.Fprintf(&stderr, "%s: %s: %s\n", w.Pos, w.Code, w.Msg)
	}
	return stderr.String()
}

// buildOrmc builds the ormc command into the test's directory.
func buildOrmc(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "ormc")
	cmd := exec.Command("go", "build", "-o", bin, "github.com/ormc/ormc/cmd/ormc")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// run runs a command in dir and returns its stderr; it fails the test
// when the command fails.
func run(t *testing.T, dir, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s %s: %v\n%s%s", filepath.Base(name), strings.Join(args, " "), err, stdout.String(), stderr.String())
	}
	return stdout.String() + stderr.String()
}
