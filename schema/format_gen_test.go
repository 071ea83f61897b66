package schema

import (
	"math/rand"
	"strings"
	"testing"
)

// TestFormatGenerated formats random valid schemas with comments, doc
// comments, blank lines, separators and argument lists spread over lines in
// every place the grammar allows, and checks what checkFormat checks: the
// output formats to itself, keeps every comment and keeps each doc comment
// on its declaration. The fuzzer rarely builds valid input this rich on its
// own.
func TestFormatGenerated(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	n := 2000
	if testing.Short() {
		n = 200
	}
	for range n {
		g := &schemaGen{r: r}
		g.file()
		src := []byte(g.b.String())
		if _, err := Parse("in.orm", src); err != nil {
			t.Fatalf("generated schema does not parse: %v\n%s", err, src)
		}
		checkFormat(t, src)
	}
}

// schemaGen writes a random valid schema.
type schemaGen struct {
	r *rand.Rand
	b strings.Builder
}

func (g *schemaGen) pick(s ...string) string { return s[g.r.Intn(len(s))] }

func (g *schemaGen) file() {
	g.b.WriteString(g.pick("", "/// top\n", "// top\n\n", "/// detached\n\n", "/// a\n// b\n"))
	for n := g.r.Intn(3) + 1; n > 0; n-- {
		g.model()
		g.b.WriteString(g.pick("\n", "\n\n", ";", " // after\n", "\n// between\n", " /// after\n", "\n/// doc\n", "\n/// detached\n\n"))
	}
}

func (g *schemaGen) model() {
	g.b.WriteString("model " + g.name() + g.pick("", ` "tbl"`) + " <" + g.pick(" ", " // header\n", "\n", " /// header\n", "\n/// doc\n", "\n/// detached\n\n"))
	for i, n := 0, g.r.Intn(5); i < n; i++ {
		if i > 0 {
			g.b.WriteString(g.pick(";", "\n", "\n\n", " // trailing\n", "\n// own line\n", "\n/// doc\n  ",
				" /// trailing\n", "\n/// a\n/// b\n", "\n// a\n/// b\n", "\n/// a\n// b\n", "\n/// detached\n\n", "\n/// doc\n  ;"))
		}
		g.member()
	}
	g.b.WriteString(g.pick(" ", "\n", "\n// before close\n", " // last\n", "\n/// before close\n", " /// last\n") +
		">" + g.pick("", " // close\n", " /// close\n"))
}

func (g *schemaGen) member() {
	if g.r.Intn(4) == 0 {
		g.b.WriteString(g.name())
		g.args()
		return
	}
	g.b.WriteString(g.name() + " " + g.name())
	if g.r.Intn(2) == 0 {
		g.args()
	}
	for n := g.r.Intn(3); n > 0; n-- {
		g.b.WriteString(" " + g.name())
		if g.r.Intn(2) == 0 {
			g.args()
		}
	}
}

func (g *schemaGen) args() {
	g.b.WriteString("(")
	for i, n := 0, g.r.Intn(4); i < n; i++ {
		g.b.WriteString(g.pick("", "", "\n"))
		if g.r.Intn(3) == 0 {
			g.b.WriteString(g.name() + ":" + g.pick("", " "))
		}
		g.b.WriteString(g.pick("1", `"s"`, "cascade", "-1.5e3"))
		if i < n-1 || g.r.Intn(2) == 0 {
			g.b.WriteString("," + g.pick("", " ", " // inside\n", " /// inside\n", "\n/// own line inside\n", " // a\n/// b\n"))
		}
	}
	g.b.WriteString(")")
}

func (g *schemaGen) name() string { return g.pick("a", "model", "Bb", "a_long_name", "x1", "index") }
