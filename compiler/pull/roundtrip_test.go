package pull_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/txtar"

	"github.com/ormc/ormc/compiler"
	"github.com/ormc/ormc/compiler/ddl"
	"github.com/ormc/ormc/compiler/gogen"
	"github.com/ormc/ormc/compiler/ir"
	"github.com/ormc/ormc/compiler/pull"
	"github.com/ormc/ormc/internal/testdb"
	"github.com/ormc/ormc/runtime"
	"github.com/ormc/ormc/runtime/dialect"
	"github.com/ormc/ormc/runtime/driver/mysql"
	"github.com/ormc/ormc/runtime/driver/postgres"
	"github.com/ormc/ormc/runtime/driver/sqlite"
	"github.com/ormc/ormc/runtime/inspect"
	"github.com/ormc/ormc/schema"
)

func TestMain(m *testing.M) { testdb.Main(m) }

var drivers = []*runtime.Driver{postgres.Driver, mysql.Driver, sqlite.Driver}

// repoSchemas returns every schema of the repository that checks
// cleanly, by name: the examples, the benchmark's, and those of the
// checker's tests.
func repoSchemas(t *testing.T) map[string]*ir.Schema {
	t.Helper()
	sources := map[string][][2]string{} // name → files (name, text)
	add := func(name, file string, src []byte) {
		sources[name] = append(sources[name], [2]string{file, string(src)})
	}
	for _, pattern := range []string{"../../examples/*.orm", "../../bench/*.orm", "../testdata/check/valid_all.orm", "../testdata/check/cycle/*.orm"} {
		paths, _ := filepath.Glob(pattern)
		for _, p := range paths {
			src, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			name := strings.TrimPrefix(p, "../")
			if strings.Contains(p, "/cycle/") {
				name = "testdata/check/cycle"
			}
			add(name, p, src)
		}
	}
	archives, _ := filepath.Glob("../testdata/ir/*.txtar")
	for _, p := range archives {
		a, err := txtar.ParseFile(p)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range a.Files {
			if strings.HasSuffix(f.Name, ".orm") {
				add(strings.TrimPrefix(p, "../"), f.Name, f.Data)
			}
		}
	}
	out := map[string]*ir.Schema{}
	for name, files := range sources {
		var parsed []*schema.File
		for _, f := range files {
			pf, err := schema.Parse(f[0], []byte(f[1]))
			if err != nil {
				t.Fatalf("%s: %v", f[0], err)
			}
			parsed = append(parsed, pf)
		}
		s, diags := compiler.CheckWith([]compiler.NameCheck{gogen.CheckNames}, parsed...)
		if diags.HasErrors() {
			t.Logf("%s does not check, not a round trip: %v", name, diags.Err())
			continue
		}
		out[name] = s
	}
	if len(out) < 8 {
		t.Fatalf("only %d schemas found", len(out))
	}
	return out
}

// TestRoundTrip creates the tables of every repository schema on every
// database, pulls them, and compares the pulled schema's IR with the
// original's: equal in everything the database records (lossy below,
// the list lang/spec.md gives), and with no warning.
func TestRoundTrip(t *testing.T) {
	schemas := repoSchemas(t)
	names := make([]string, 0, len(schemas))
	for n := range schemas {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, d := range testdb.Dialects {
		t.Run(d.Name, func(t *testing.T) {
			for _, name := range names {
				t.Run(strings.ReplaceAll(name, "/", "_"), func(t *testing.T) {
					if testing.Short() && strings.Contains(name, "bench") {
						t.Skip("the benchmark's schema is large")
					}
					roundTrip(t, testdb.Fresh(t, d), schemas[name])
				})
			}
		})
	}
}

func roundTrip(t *testing.T, url string, orig *ir.Schema) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	db, err := runtime.Open(ctx, url, drivers...)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := runtime.ExecAll(ctx, db, ddl.Create(orig, db.Dialect())); err != nil {
		t.Fatal(err)
	}
	desc, err := inspect.Inspect(ctx, db, inspect.Options{})
	if err != nil {
		t.Fatal(err)
	}
	res, err := pull.Write(desc, pull.Options{File: "pulled.orm", Checks: []compiler.NameCheck{gogen.CheckNames}})
	if err != nil {
		t.Fatalf("%v\n%s", err, res.Source)
	}
	for _, w := range res.Warnings {
		if !lostOn(db.Dialect(), orig, w) {
			t.Errorf("%s: %s: %s", w.Pos, w.Code, w.Msg)
		}
	}
	want := recorded(orig, db.Dialect())
	got := recorded(res.IR, db.Dialect())
	if diff := compareRecorded(want, got); diff != "" {
		t.Errorf("the pulled schema differs from the original:\n%s\npulled:\n%s", diff, res.Source)
	}
	// A second pull of the same database writes the same text.
	res2, err := pull.Write(desc, pull.Options{File: "pulled.orm", Checks: []compiler.NameCheck{gogen.CheckNames}})
	if err != nil || string(res2.Source) != string(res.Source) {
		t.Errorf("a second pull differs: %v", err)
	}
	fmtd, err := schema.FormatSource("pulled.orm", res.Source)
	if err != nil || string(fmtd) != string(res.Source) {
		t.Errorf("ormc fmt changes the pulled schema: %v", err)
	}
}

// recorded is what a database records of a schema, one line per fact,
// by table and column: the model and field names are not in it (a pulled
// schema names them after tables and columns), nor what lang/spec.md
// lists as lost on the dialect.
func recorded(s *ir.Schema, d dialect.Dialect) map[string]string {
	out := map[string]string{}
	sqlite := d.Name() == dialect.SQLite.Name()
	for _, m := range s.Models {
		out[m.Table] = fmt.Sprintf("pkey %s seq %s", m.PrimaryKeyName, m.SequenceName)
		if !sqlite { // in the table's comment
			out[m.Table] += fmt.Sprintf(" model %s doc %q", m.Name, m.Doc)
		}
		// A declaration over one field is the field's own index or unique
		// in the database: index(a) and a Integer index make one index.
		own := map[string]*ir.Index{}
		for _, ix := range m.Indexes {
			if len(ix.Fields) == 1 && own[ix.Fields[0]+fmt.Sprint(ix.Unique)] == nil {
				own[ix.Fields[0]+fmt.Sprint(ix.Unique)] = ix
				continue
			}
			cols := make([]string, len(ix.Fields))
			for i, f := range ix.Fields {
				cols[i] = m.Field(f).Column
			}
			out[m.Table+" index "+ix.Name] = fmt.Sprintf("unique %v (%s)", ix.Unique, strings.Join(cols, ", "))
		}
		for _, f := range m.Fields {
			unique, uniqueName, index, indexName := f.Unique, f.UniqueName, f.Index, f.IndexName
			if ix := own[f.Name+"true"]; ix != nil && !unique {
				unique, uniqueName = true, ix.Name
			}
			if ix := own[f.Name+"false"]; ix != nil && !index {
				index, indexName = true, ix.Name
			}
			t := f.Type
			switch {
			case (t.Kind == ir.Email || t.Kind == ir.URL) && sqlite:
				t.Kind = ir.String // a VARCHAR, and no comment to say more
			case t.Kind == "ipaddress" && sqlite:
				t = ir.Type{Kind: ir.Text} // TEXT
				if indexed(m, f) {
					t = ir.Type{Kind: ir.String, MaxLength: 255} // a TEXT key or indexed column
				}
			}
			if sqlite {
				switch t.Kind {
				case ir.Decimal, ir.JSON:
					t = ir.Type{Kind: ir.Text} // TEXT
					if indexed(m, f) {
						t = ir.Type{Kind: ir.String, MaxLength: 255} // a TEXT key or indexed column
					}
				case ir.UUID:
					switch {
					case f.Default != nil && f.Default.Kind == ir.DefaultUUID:
						// TEXT with ormc's UUID default
					case indexed(m, f):
						t = ir.Type{Kind: ir.String, MaxLength: 255} // a TEXT key or indexed column
					default:
						t = ir.Type{Kind: ir.Text}
					}
				case ir.BigInteger:
					if !f.PrimaryKey && fitsInt32(f) {
						t.Kind = ir.Integer // INTEGER
					}
				}
			}
			def := "none"
			switch {
			case (f.AutoNow || f.AutoNowAdd) && sqlite:
				def = "now" // DEFAULT of now, as default(now)
			case f.AutoNow:
				def = "auto_now" // in the column's comment
			case f.AutoNowAdd:
				def = "auto_now_add"
			case f.Default != nil && f.Default.Kind == ir.DefaultNull:
			case f.Default != nil && !engineKeeps(s, d, f):
				// none: the engine holds no such default
			case f.Default != nil && f.Default.Kind == ir.DefaultUUID && sqlite:
				// an expression of randomblob() on a TEXT column
			case f.Default != nil && f.Default.Kind == ir.DefaultLiteral:
				v := f.Default.Value
				if tm, err := time.Parse(time.RFC3339Nano, v); err == nil && f.Type.Kind == ir.DateTime {
					v = tm.UTC().Format(time.RFC3339Nano) // the same instant
				}
				if f.Type.Kind == ir.UUID {
					v = strings.ToLower(v) // stored in lower case
				}
				if a, err := netip.ParseAddr(v); err == nil && f.Type.Kind == "ipaddress" {
					v = a.Unmap().String() // stored as the client writes it
				}
				if t.Kind == ir.JSON {
					var buf bytes.Buffer
					if json.Compact(&buf, []byte(v)) == nil {
						v = buf.String() // the same document
					}
				}
				def = "literal " + number(v)
			case f.Default != nil:
				def = string(f.Default.Kind)
			}
			b := f.Bounds
			bounds := ""
			if t.Kind != ir.Text { // SQLite's Decimal, whose CHECK of CAST(… AS REAL) is on a TEXT column
				bounds = fmt.Sprintf("%s %v %s %v", number(b.Minimum), b.ExclusiveMinimum, number(b.Maximum), b.ExclusiveMaximum)
			}
			rel := ""
			if f.Relation != nil {
				rel = fmt.Sprintf("-> %s %s", s.Model(f.Relation.Model).Table, f.Relation.OnDelete)
			}
			// What only a column comment keeps (PostgreSQL, MySQL).
			kept := ""
			if !sqlite {
				kept = fmt.Sprintf(" doc=%q blank=%v min=%v pattern=%q", f.Doc, f.Blank, ptr(b.MinLength), b.Pattern)
				if f.Type.Kind == ir.Text {
					kept += fmt.Sprintf(" max=%v", ptr(b.MaxLength))
				}
				if f.Relation != nil && f.Relation.RelatedName != "" {
					kept += " related_name=" + f.Relation.RelatedName
				}
			}
			check := f.CheckName
			if sqlite && f.Type.Kind == ir.Decimal {
				check = ""
			}
			out[m.Table+"."+f.Column] = fmt.Sprintf("%s %d %d %d %q pk=%v auto=%v null=%v unique=%v/%s index=%v/%s fk=%s check=%s default=%s bounds=%s %s",
				t.Kind, t.MaxLength, t.MaxDigits, t.DecimalPlaces, t.Values, f.PrimaryKey, f.AutoIncrement, f.Null,
				unique, uniqueName, index, indexName, f.ForeignKeyName, check, def, bounds, rel) + kept
		}
	}
	return out
}

// engineKeeps reports whether the engine behind d holds f's default as
// ormc's DDL writes it, rather than dropping it as dialect.AdaptDDL does
// where it has no such default (TiDB's TEXT and JSON literals and Time's
// now: lang/spec.md, distributed engines).
func engineKeeps(s *ir.Schema, d dialect.Dialect, f *ir.Field) bool {
	const kw = " DEFAULT "
	def := ddl.DefaultSQL(s, d, f)
	return def == "" || strings.HasPrefix(dialect.AdaptDDL(d, kw+def), kw)
}

// indexed reports whether f is the key of m, or in a unique constraint
// or an index.
func indexed(m *ir.Model, f *ir.Field) bool {
	if f.PrimaryKey || f.Unique || f.Index {
		return true
	}
	for _, ix := range m.Indexes {
		if slices.Contains(ix.Fields, f.Name) {
			return true
		}
	}
	return false
}

func ptr(p *int) string {
	if p == nil {
		return "-"
	}
	return fmt.Sprint(*p)
}

// fitsInt32 reports whether the default and bounds of an integer field
// are within 32 bits.
func fitsInt32(f *ir.Field) bool {
	for _, v := range []string{f.Bounds.Minimum, f.Bounds.Maximum} {
		if n, ok := new(big.Int).SetString(v, 10); ok && !n.IsInt64() || ok && (n.Int64() < math.MinInt32 || n.Int64() > math.MaxInt32) {
			return false
		}
	}
	if f.Default != nil && f.Default.Kind == ir.DefaultLiteral {
		if n, ok := new(big.Int).SetString(f.Default.Value, 10); ok && (!n.IsInt64() || n.Int64() < math.MinInt32 || n.Int64() > math.MaxInt32) {
			return false
		}
	}
	return true
}

// number writes a decimal number in one form, so that 1.5e3 and 1500
// compare equal; other text is left alone.
func number(s string) string {
	r, ok := new(big.Rat).SetString(s)
	if !ok || s == "" {
		return s
	}
	return r.RatString()
}

func compareRecorded(want, got map[string]string) string {
	var keys []string
	for k := range want {
		keys = append(keys, k)
	}
	for k := range got {
		if _, ok := want[k]; !ok {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	var b strings.Builder
	for _, k := range keys {
		if want[k] != got[k] {
			fmt.Fprintf(&b, "%s:\n\twant %s\n\tgot  %s\n", k, want[k], got[k])
		}
	}
	return b.String()
}

// lostOn reports whether a warning of a round trip is about what
// lang/spec.md lists as lost on dialect d: on SQLite, the bounds of a
// Decimal (a CHECK on a TEXT column) and a UUID key without a default
// (a TEXT key, read as String(255)).
func lostOn(d dialect.Dialect, s *ir.Schema, w *schema.Diagnostic) bool {
	if d.Name() != dialect.SQLite.Name() {
		return false
	}
	for _, m := range s.Models {
		for _, f := range m.Fields {
			quoted := fmt.Sprintf("%q", f.Column)
			switch {
			case f.Type.Kind == ir.Decimal && f.HasCheck() && w.Code == schema.CodeCheckConstraint && strings.Contains(w.Msg, quoted):
				return true
			case indexed(m, f) && w.Code == schema.CodeApproximateType && strings.Contains(w.Msg, quoted) && strings.Contains(w.Msg, "String(255)"):
				return true
			}
		}
	}
	return false
}
