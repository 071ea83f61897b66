package dialect

import (
	"strings"
	"testing"
)

// TestKindsDescribed checks that every kind's descriptor says what every
// layer reads from it: a kind added without one of these would get a
// column of type "invalid", a Go type of "any" or no typed field.
func TestKindsDescribed(t *testing.T) {
	if len(ColumnKinds()) != len(Kinds)-1 {
		t.Fatalf("ColumnKinds lists %d kinds, Kinds has %d", len(ColumnKinds()), len(Kinds)-1)
	}
	names, types := map[string]Kind{}, map[string]Kind{}
	for _, k := range ColumnKinds() {
		d := k.Info()
		if d.Name == "" || d.Type == "" {
			t.Errorf("kind %d: no Name or Type", k)
			continue
		}
		if prev, ok := names[d.Name]; ok {
			t.Errorf("kinds %s and %s have the same Name", prev, k)
		}
		if prev, ok := types[d.Type]; ok {
			t.Errorf("kinds %s and %s have the same Type", prev, k)
		}
		names[d.Name], types[d.Type] = k, k
		if KindNamed(d.Name) != k || k.String() != d.Name {
			t.Errorf("%s: KindNamed(%q) = %s", k, d.Name, KindNamed(d.Name))
		}
		for _, dl := range All {
			typ := Type{Kind: k, MaxLength: 10, Precision: 10, Scale: 2}
			if c := dl.ColumnType(typ); c == "invalid" || c == "" || strings.Contains(c, "%") {
				t.Errorf("%s on %s: column type %q", k, dl.Name(), c)
			}
			if e := dl.ArrayElemType(k); strings.Contains(e, "%") || strings.Contains(e, "(") {
				t.Errorf("%s on %s: array element type %q", k, dl.Name(), e)
			}
		}
		if d.GoType == "" || d.Family == 0 {
			t.Errorf("%s: no Go type or typed field family", k)
		}
		if d.Index && d.MySQLBytes == 0 && !strings.Contains(d.MySQL, "%") {
			t.Errorf("%s: indexable, but its size in a MySQL key is unknown", k)
		}
		if d.Key && !d.Index {
			t.Errorf("%s: a key that cannot be indexed", k)
		}
		if (d.Scan == "") != (d.NullScan == "") || (d.Bind == "") != (d.NullBind == "") {
			t.Errorf("%s: scanned or bound through a function when not null only, or null only", k)
		}
		if d.Zero != ZeroIsValue && d.Zero != ZeroIsUnset {
			t.Errorf("%s: no decision whether its Go zero value is a value (Zero)", k)
		}
	}
	if s := Kind(len(Kinds)).String(); !strings.HasPrefix(s, "Kind(") {
		t.Errorf("an unknown kind is %q", s)
	}
	if c := Postgres.ColumnType(Type{Kind: Kind(len(Kinds))}); c != "invalid" {
		t.Errorf("an unknown kind's column type is %q", c)
	}
}
