package pull_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ormc/ormc/compiler"
	"github.com/ormc/ormc/internal/testdb"
	"github.com/ormc/ormc/runtime"
	"github.com/ormc/ormc/runtime/dialect"
	"github.com/ormc/ormc/schema"
)

// chinookMain runs queries through the client ormc builds from the pulled
// sample and prints their answers, one per line; TestChinookClient
// compares them with plain SQL. The pulled names are alike on every
// database (album_id and AlbumId both give the field album_id), so one
// program serves all three.
const chinookMain = `package main

import (
	"context"
	"fmt"
	"os"
	"strings"

	"example.com/chinook/db"
)

func main() {
	ctx := context.Background()
	client, err := db.Open(ctx, os.Args[1])
	if err != nil {
		panic(err)
	}
	defer client.Close()
	check := func(err error) {
		if err != nil {
			panic(err)
		}
	}

	n, err := client.Tracks.Count(ctx)
	check(err)
	fmt.Println("tracks", n)

	tracks, err := client.Tracks.Filter(db.TrackAlbum.Title.Eq("Restless and Wild")).OrderBy(db.TrackTrackID.Asc()).All(ctx)
	check(err)
	for _, t := range tracks {
		fmt.Println("album3", t.TrackID, t.Name, t.Milliseconds, fmt.Sprint(t.UnitPrice))
	}

	// Two relations away, the album's artist: Rel.Match filters by it,
	// Rel.Order orders by it, and SelectRelated loads both levels.
	tracks, err = client.Tracks.SelectRelated(db.TrackAlbum.Artist).
		Filter(db.TrackAlbum.Artist.Match(db.ArtistName.Eq("Accept"))).
		OrderBy(db.TrackAlbum.Title.Asc(), db.TrackTrackID.Asc()).All(ctx)
	check(err)
	for _, t := range tracks {
		album, err := t.Album.Value()
		check(err)
		artist, err := album.Artist.Value()
		check(err)
		fmt.Println("accept", t.TrackID, album.Title, artist.Name.V)
	}
	tracks, err = client.Tracks.Filter(db.TrackGenre.Name.Eq("Jazz")).
		OrderBy(db.TrackAlbum.Artist.Order(db.ArtistName.Desc()), db.TrackTrackID.Asc()).Limit(10).All(ctx)
	check(err)
	for _, t := range tracks {
		fmt.Println("jazz", t.TrackID, t.Name)
	}

	n, err = client.Tracks.Filter(db.TrackGenre.Name.Eq("Rock")).Count(ctx)
	check(err)
	fmt.Println("rock", n)

	n, err = client.Tracks.Filter(db.TrackName.IContains("love")).Count(ctx)
	check(err)
	fmt.Println("love", n)

	emps, err := client.Employees.Filter(db.EmployeeReportsToID.Eq(2)).OrderBy(db.EmployeeEmployeeID.Asc()).All(ctx)
	check(err)
	for _, e := range emps {
		fmt.Println("reports_to_2", e.EmployeeID, e.LastName, e.HireDate.V.UTC().Format("2006-01-02"))
	}
	emps, err = client.Employees.Filter(db.EmployeeReportsToID.IsNull(true)).All(ctx)
	check(err)
	for _, e := range emps {
		fmt.Println("no_manager", e.EmployeeID, e.Title.V)
	}

	// PlaylistTrack holds nothing but the two relations: pull declares
	// Playlist.tracks through it, renamed PlaylistTracksLink.
	playlist, err := client.Playlists.Get(ctx, db.PlaylistPlaylistID.Eq(1))
	check(err)
	n, err = client.PlaylistTracks(playlist).Count(ctx)
	check(err)
	fmt.Println("playlist1", n)
	pts, err := client.PlaylistTracksLinks.Filter(db.PlaylistTracksLinkTrack.Name.StartsWith("Let")).OrderBy(db.PlaylistTracksLinkPlaylistID.Asc(), db.PlaylistTracksLinkTrackID.Asc()).All(ctx)
	check(err)
	for _, pt := range pts {
		fmt.Println("let", pt.Playlist.PK(), pt.Track.PK())
	}

	invs, err := client.Invoices.Filter(db.InvoiceCustomerID.Eq(2)).OrderBy(db.InvoiceInvoiceID.Asc()).All(ctx)
	check(err)
	for _, inv := range invs {
		fmt.Println("customer2", inv.InvoiceID, inv.InvoiceDate.UTC().Format("2006-01-02"), fmt.Sprint(inv.Total), inv.BillingCity.V)
	}

	custs, err := client.Customers.SelectRelated(db.CustomerSupportRep).Filter(db.CustomerCountry.Eq("Brazil")).OrderBy(db.CustomerCustomerID.Asc()).All(ctx)
	check(err)
	for _, c := range custs {
		rep, err := c.SupportRep.Value()
		check(err)
		fmt.Println("brazil", c.CustomerID, strings.TrimSpace(c.Email), rep.LastName)
	}
}
`

// TestChinookClient pulls the sample, builds the client from the pulled
// schema, and checks the answers of queries through it against plain SQL
// on the same database.
func TestChinookClient(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a client for each database")
	}
	ormc := buildOrmc(t)
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range testdb.Dialects {
		t.Run(d.Name, func(t *testing.T) {
			url, sqlDB := loadChinook(t, d)
			dir := t.TempDir()
			run(t, dir, ormc, "pull", "-db", url, "-o", "chinook.orm")
			run(t, dir, ormc, "build", "-o", "db", "-dialects", d.Name, "chinook.orm")
			files := map[string]string{
				"go.mod":  "module example.com/chinook\n\ngo 1.26\n\nrequire github.com/ormc/ormc v0.0.0\n\nreplace github.com/ormc/ormc => " + root + "\n",
				"main.go": chinookMain,
			}
			for name, text := range files {
				if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			run(t, dir, "go", "mod", "tidy")
			got := run(t, dir, "go", "run", ".", url)
			want := chinookSQL(t, sqlDB, filepath.Join(dir, "chinook.orm"))
			if got != want {
				t.Errorf("the client's answers differ from SQL's:\n--- client\n%s--- SQL\n%s", got, want)
			}
			if strings.Count(want, "\n") < 25 {
				t.Errorf("the queries found too little: %d lines", strings.Count(want, "\n"))
			}
		})
	}
}

// chinookSQL answers chinookMain's queries with plain SQL, naming tables
// and columns as the pulled schema says.
func chinookSQL(t *testing.T, db *runtime.DB, orm string) string {
	t.Helper()
	src, err := os.ReadFile(orm)
	if err != nil {
		t.Fatal(err)
	}
	f, err := schema.Parse(orm, src)
	if err != nil {
		t.Fatal(err)
	}
	s, diags := compiler.Check(f)
	if diags.HasErrors() {
		t.Fatal(diags.Err())
	}
	d := db.Dialect()
	tab := func(model string) string { return dialect.Quote(d, s.Model(model).Table) }
	col := func(model, field string) string {
		m := s.Model(model)
		fl := m.Field(field)
		if fl == nil {
			t.Fatalf("no field %s.%s", model, field)
		}
		return dialect.Quote(d, fl.Column)
	}
	// The date of a DATETIME or TIMESTAMP column as text, and a DECIMAL
	// as its exact text, by dialect.
	day := map[string]string{
		dialect.Postgres.Name(): "to_char(%s, 'YYYY-MM-DD')",
		dialect.MySQL.Name():    "DATE_FORMAT(%s, '%%Y-%%m-%%d')",
		dialect.SQLite.Name():   "substr(%s, 1, 10)",
	}[d.Name()]
	dec := map[string]string{
		dialect.Postgres.Name(): "CAST(%s AS TEXT)",
		dialect.MySQL.Name():    "CAST(%s AS CHAR)",
		dialect.SQLite.Name():   "CAST(%s AS TEXT)", // REAL: a Float, printed as Go prints it
	}[d.Name()]
	txt := map[string]string{dialect.Postgres.Name(): "TEXT", dialect.MySQL.Name(): "CHAR", dialect.SQLite.Name(): "TEXT"}[d.Name()]
	var b strings.Builder
	query := func(prefix string, ncols int, q string, args ...any) {
		rows, err := db.Query(context.Background(), q, args...)
		if err != nil {
			t.Fatalf("%v\n%s", err, q)
		}
		defer rows.Close()
		for rows.Next() {
			var vals []string
			var dest []any
			for range ncols {
				vals = append(vals, "")
			}
			for i := range vals {
				dest = append(dest, &vals[i])
			}
			if err := rows.Scan(dest...); err != nil {
				t.Fatalf("%v\n%s", err, q)
			}
			fmt.Fprintln(&b, prefix+" "+strings.Join(vals, " "))
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
	}
	ph := func(i int) string { return string(d.AppendPlaceholder(nil, i)) }
	tr, al, ge, em, pt, in, cu := "Track", "Album", "Genre", "Employee", "PlaylistTracksLink", "Invoice", "Customer"
	query("tracks", 1, "SELECT CAST(COUNT(*) AS "+txt+") FROM "+tab(tr))
	query("album3", 4, fmt.Sprintf("SELECT CAST(t.%s AS "+txt+"), t.%s, CAST(t.%s AS "+txt+"), "+dec+" FROM %s t JOIN %s a ON a.%s = t.%s WHERE a.%s = "+ph(1)+" ORDER BY t.%s",
		col(tr, "track_id"), col(tr, "name"), col(tr, "milliseconds"), "t."+col(tr, "unit_price"), tab(tr), tab(al), col(al, "album_id"), col(tr, "album"), col(al, "title"), col(tr, "track_id")), "Restless and Wild")
	ar := "Artist"
	query("accept", 3, fmt.Sprintf("SELECT CAST(t.%s AS "+txt+"), a.%s, r.%s FROM %s t JOIN %s a ON a.%s = t.%s JOIN %s r ON r.%s = a.%s WHERE r.%s = "+ph(1)+" ORDER BY a.%s, t.%s",
		col(tr, "track_id"), col(al, "title"), col(ar, "name"), tab(tr), tab(al), col(al, "album_id"), col(tr, "album"), tab(ar), col(ar, "artist_id"), col(al, "artist"),
		col(ar, "name"), col(al, "title"), col(tr, "track_id")), "Accept")
	// ormc sorts NULL last in descending order on every database.
	query("jazz", 2, fmt.Sprintf("SELECT CAST(t.%s AS "+txt+"), t.%s FROM %s t JOIN %s g ON g.%s = t.%s JOIN %s a ON a.%s = t.%s JOIN %s r ON r.%s = a.%s WHERE g.%s = "+ph(1)+
		" ORDER BY CASE WHEN r.%s IS NULL THEN 1 ELSE 0 END, r.%s DESC, t.%s LIMIT 10",
		col(tr, "track_id"), col(tr, "name"), tab(tr), tab(ge), col(ge, "genre_id"), col(tr, "genre"), tab(al), col(al, "album_id"), col(tr, "album"), tab(ar), col(ar, "artist_id"), col(al, "artist"),
		col(ge, "name"), col(ar, "name"), col(ar, "name"), col(tr, "track_id")), "Jazz")
	query("rock", 1, fmt.Sprintf("SELECT CAST(COUNT(*) AS "+txt+") FROM %s t JOIN %s g ON g.%s = t.%s WHERE g.%s = "+ph(1),
		tab(tr), tab(ge), col(ge, "genre_id"), col(tr, "genre"), col(ge, "name")), "Rock")
	query("love", 1, fmt.Sprintf("SELECT CAST(COUNT(*) AS "+txt+") FROM %s WHERE lower(%s) LIKE '%%love%%'", tab(tr), col(tr, "name")))
	query("reports_to_2", 3, fmt.Sprintf("SELECT CAST(x.%s AS "+txt+"), x.%s, "+day+" FROM %s x WHERE x.%s = 2 ORDER BY x.%s",
		col(em, "employee_id"), col(em, "last_name"), "x."+col(em, "hire_date"), tab(em), col(em, "reports_to"), col(em, "employee_id")))
	query("no_manager", 2, fmt.Sprintf("SELECT CAST(x.%s AS "+txt+"), x.%s FROM %s x WHERE x.%s IS NULL ORDER BY x.%s",
		col(em, "employee_id"), col(em, "title"), tab(em), col(em, "reports_to"), col(em, "employee_id")))
	query("playlist1", 1, fmt.Sprintf("SELECT CAST(COUNT(*) AS "+txt+") FROM %s WHERE %s = 1", tab(pt), col(pt, "playlist")))
	query("let", 2, fmt.Sprintf("SELECT CAST(p.%s AS "+txt+"), CAST(p.%s AS "+txt+") FROM %s p JOIN %s t ON t.%s = p.%s WHERE t.%s LIKE 'Let%%' ORDER BY p.%s, p.%s",
		col(pt, "playlist"), col(pt, "track"), tab(pt), tab(tr), col(tr, "track_id"), col(pt, "track"), col(tr, "name"), col(pt, "playlist"), col(pt, "track")))
	query("customer2", 4, fmt.Sprintf("SELECT CAST(x.%s AS "+txt+"), "+day+", "+dec+", x.%s FROM %s x WHERE x.%s = 2 ORDER BY x.%s",
		col(in, "invoice_id"), "x."+col(in, "invoice_date"), "x."+col(in, "total"), col(in, "billing_city"), tab(in), col(in, "customer"), col(in, "invoice_id")))
	query("brazil", 3, fmt.Sprintf("SELECT CAST(c.%s AS "+txt+"), c.%s, e.%s FROM %s c LEFT JOIN %s e ON e.%s = c.%s WHERE c.%s = 'Brazil' ORDER BY c.%s",
		col(cu, "customer_id"), col(cu, "email"), col(em, "last_name"), tab(cu), tab(em), col(em, "employee_id"), col(cu, "support_rep"), col(cu, "country"), col(cu, "customer_id")))
	return b.String()
}
