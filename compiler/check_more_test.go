package compiler_test

import (
	"fmt"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/ormc/ormc/schema"
)

// TestTenMistakes checks that ten different mistakes give ten diagnostics
// in one run, sorted, each at the start of the offending token.
func TestTenMistakes(t *testing.T) {
	const src = `model Album "album" <
  id    Integer pk null
  name  Strin(100)
  title String
  year  Integer(minimum: 10, maximum: 1)
  kind  Enum(a, b) default(c)
  name  Text
  tag   String(10) uniqe
  maker ForeignKey(Artst)
  code  String(5, pattern: "[")
>

model Song <
  title String(10)
>
`
	// Each want names the token the diagnostic must start at.
	want := []struct {
		line  int
		token string
		code  string
	}{
		{2, "null", "nullable-primary-key"},
		{3, "Strin", "unknown-type"},
		{4, "String", "missing-max-length"},
		{5, "maximum", "contradictory-bounds"},
		{6, "c", "bad-default"},
		{7, "name", "duplicate-field"},
		{8, "uniqe", "unknown-option"},
		{9, "Artst", "unknown-model"},
		{10, `"["`, "invalid-pattern"},
		{13, "Song", "missing-primary-key"},
	}
	f, err := schema.Parse("ten.orm", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	_, diags := checkAll(f)
	lines := strings.Split(src, "\n")
	var got, exp []string
	for _, d := range diags {
		got = append(got, fmt.Sprintf("%d:%d %s", d.Pos.Line, d.Pos.Col, d.Code))
	}
	for _, w := range want {
		l := lines[w.line-1]
		// The last occurrence on the line: "name" on line 7 is the field,
		// the token after the type on the others.
		col := strings.LastIndex(l, w.token) + 1
		if w.token == "name" || w.token == "Song" || w.token == "String" {
			col = strings.Index(l, w.token) + 1
		}
		exp = append(exp, fmt.Sprintf("%d:%d %s", w.line, col, w.code))
	}
	if strings.Join(got, "\n") != strings.Join(exp, "\n") {
		t.Errorf("diagnostics:\n%s\nwant:\n%s\nfull:\n%v", strings.Join(got, "\n"), strings.Join(exp, "\n"), diags)
	}
	if len(diags) != 10 {
		t.Errorf("got %d diagnostics, want 10", len(diags))
	}
}

// TestRelated checks the secondary positions of conflicts, across files.
func TestRelated(t *testing.T) {
	dir := filepath.Join("testdata", "check", "across")
	_, diags := load(t, filepath.Join(dir, "a.orm"), filepath.Join(dir, "b.orm"))
	want := map[schema.Code]string{
		schema.CodeDuplicateModel:  "testdata/check/across/a.orm:2:7: previous declaration",
		schema.CodeDuplicateTable:  "testdata/check/across/a.orm:2:13: previous declaration",
		schema.CodeGoNameCollision: "testdata/check/across/a.orm:2:7: other declaration",
	}
	for _, d := range diags {
		w, ok := want[d.Code]
		if !ok {
			continue
		}
		delete(want, d.Code)
		if len(d.Related) != 1 {
			t.Errorf("%s: %d related positions, want 1", d, len(d.Related))
			continue
		}
		if got := d.Related[0].Pos.String() + ": " + d.Related[0].Msg; got != w {
			t.Errorf("%s: related %s, want %s", d, got, w)
		}
	}
	for code := range want {
		t.Errorf("no %s diagnostic", code)
	}
}

// TestCheckNil checks that nil files and an empty schema are fine.
func TestCheckNil(t *testing.T) {
	s, diags := checkAll(nil, &schema.File{Name: "empty.orm"})
	if len(diags) != 0 || s == nil || len(s.Models) != 0 {
		t.Errorf("Check(nil, empty) = %v, %v", s, diags)
	}
}

// TestCheckLarge checks a large schema full of unknown names and of
// primary keys that are relations to the next model: hints, the key cycle
// search and the MySQL key sizes must stay linear (they were quadratic,
// minutes for this, and the key sizes 10 s). It takes at most 20 times as
// long as a schema as large whose keys are no relations (about 4 times
// today, 60 when the key sizes walked each chain).
func TestCheckLarge(t *testing.T) {
	if testing.Short() {
		t.Skip("large input")
	}
	const n = 10000
	var b, plain strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "model M%d <\n  id OneToOne(M%d) pk\n  x ForeignKey(Q%d)\n  index(y%d)\n>\n", i, (i+1)%n, i, i)
		fmt.Fprintf(&plain, "model M%d <\n  id Integer pk\n  x ForeignKey(M%d)\n  index(y%d)\n>\n", i, (i+1)%n, i)
	}
	check := func(src string) (schema.List, time.Duration) {
		f, err := schema.Parse("large.orm", []byte(src))
		if err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		_, diags := checkAll(f)
		return diags, time.Since(start)
	}
	diags, took := check(b.String())
	// Every model: an unknown model, an unknown field, a key cycle.
	if len(diags) != 3*n {
		t.Errorf("got %d diagnostics, want %d", len(diags), 3*n)
	}
	_, base := check(plain.String())
	if took > 20*base {
		// Once more, in case the machine was busy.
		_, took = check(b.String())
		_, base = check(plain.String())
	}
	t.Logf("%s, against %s without relations for keys", took, base)
	if took > 20*base {
		t.Errorf("Check took %s, more than 20 times the %s of a schema as large without relations for keys", took, base)
	}
}

// TestSyntaxErrorsKept checks that the checker adds nothing to a syntax
// error that cuts a model short, however large the input: the model is
// Bad, so it is not reported for a missing primary key.
func TestSyntaxErrorsKept(t *testing.T) {
	for name, src := range map[string]string{
		"nested parens": "model A < id Integer pk; a B" + strings.Repeat("(", 1<<19) + "\n>\n",
		"nested first":  "model A < a B" + strings.Repeat("(", 1<<19) + "\n>\n",
		"header":        "model Album \"a\" 5 <\n  id Integer pk\n>\n",
		"newline":       "model A\n< id Integer pk >\n",
		"trailing":      "model A < id Integer pk >\nmodel B\n",
		"member":        "model A <\n  id Integer pk\n  l Integer default 5\n>\n",
	} {
		t.Run(name, func(t *testing.T) {
			f, err := schema.Parse("a.orm", []byte(src))
			syntax, _ := err.(schema.List)
			if len(syntax) != 1 {
				t.Fatalf("got %d syntax errors, want 1: %v", len(syntax), err)
			}
			s, diags := checkAll(f)
			if len(diags) != 0 || s != nil {
				t.Errorf("Check of the partial tree gave %v (IR %v), want nothing", diags, s != nil)
			}
		})
	}
}

// TestCheckBudget checks the allocations of Check on a large valid schema,
// per model, instead of a time limit, which would depend on the machine.
// The budget is about 1.5 times what Check needs today: 93 allocations and
// 7.8 KB for a model of five fields (with defaults and an Enum) and an
// index, the IR included.
func TestCheckBudget(t *testing.T) {
	if testing.Short() {
		t.Skip("large input")
	}
	const n = 5000 // 0.85 MB: a file may be at most 1 MiB
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "/// A model.\nmodel M%d <\n  id    Integer pk\n  name  String(100, min_length: 1)\n"+
			"  price Decimal(10, 2) default(-1.5)\n  kind  Enum(a, b) default(a)\n  index(name, price)\n>\n", i)
	}
	f, err := schema.Parse("large.orm", []byte(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	s, diags := checkAll(f)
	runtime.ReadMemStats(&after)
	if s == nil || len(diags) > 0 {
		t.Fatalf("Check: %v", diags)
	}
	allocs := float64(after.Mallocs-before.Mallocs) / n
	bytes := float64(after.TotalAlloc-before.TotalAlloc) / n
	t.Logf("%.0f allocations and %.0f bytes a model", allocs, bytes)
	if allocs > 140 || bytes > 12000 {
		t.Errorf("Check: %.0f allocations and %.0f bytes a model, want at most 140 and 12000", allocs, bytes)
	}
}
