package lang_test

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/ormc/ormc/compiler"
	"github.com/ormc/ormc/compiler/gogen"
	"github.com/ormc/ormc/internal/diagtest"
	"github.com/ormc/ormc/schema"
)

var update = flag.Bool("update", false, "rewrite the ebnf block of spec.md from schema.Grammar()")

const specFile = "spec.md"

// block is a fenced code block of spec.md.
type block struct {
	info  string // the text after the opening ```
	line  int    // line of the first line of the body, 1-based
	start int    // byte offsets of the body in the file
	end   int
	body  string
}

// blocks returns the fenced code blocks of a Markdown document.
func blocks(t *testing.T, doc string) []block {
	t.Helper()
	var (
		out  []block
		cur  *block
		off  int
		line int
	)
	for _, l := range strings.SplitAfter(doc, "\n") {
		line++
		trimmed := strings.TrimSpace(l)
		switch {
		case cur == nil && strings.HasPrefix(trimmed, "```"):
			cur = &block{info: strings.TrimSpace(trimmed[3:]), line: line + 1, start: off + len(l)}
		case cur != nil && trimmed == "```":
			cur.end = off
			cur.body = doc[cur.start:cur.end]
			out = append(out, *cur)
			cur = nil
		}
		off += len(l)
	}
	if cur != nil {
		t.Fatalf("%s:%d: code block not closed", specFile, cur.line-1)
	}
	return out
}

func readSpec(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile(specFile)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// TestSpecGrammar checks that the ebnf block of spec.md is exactly what the
// parser prints; -update rewrites the block.
func TestSpecGrammar(t *testing.T) {
	doc := readSpec(t)
	var found []block
	for _, b := range blocks(t, doc) {
		if b.info == "ebnf" {
			found = append(found, b)
		}
	}
	if len(found) != 1 {
		t.Fatalf("%s has %d ebnf blocks, want 1", specFile, len(found))
	}
	b, want := found[0], schema.Grammar()+"\n"
	if b.body == want {
		return
	}
	if *update {
		doc = doc[:b.start] + want + doc[b.end:]
		if err := os.WriteFile(specFile, []byte(doc), 0o666); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("%s:%d: the ebnf block differs from schema.Grammar() (run go test ./lang -update)\n--- spec\n%s--- parser\n%s",
		specFile, b.line, b.body, want)
}

// TestSpecSyntaxExamples parses every orm block of spec.md. A block tagged
// "orm ! syntax" must have a syntax error; every other orm block but those
// tagged "orm ! check" (see TestSpecCheckExamples) must parse, and one
// tagged "orm fmt" must also be in canonical form.
func TestSpecSyntaxExamples(t *testing.T) {
	n := 0
	for _, b := range blocks(t, readSpec(t)) {
		tags := strings.Fields(b.info)
		if len(tags) == 0 || tags[0] != "orm" {
			continue
		}
		n++
		name := fmt.Sprintf("%s:%d", specFile, b.line)
		t.Run(name, func(t *testing.T) {
			f, err := schema.Parse(name, []byte(b.body))
			wantErr := strings.Contains(b.info, "! syntax")
			if strings.Contains(b.info, "! check") {
				return // may have syntax errors too: TestSpecCheckExamples says which
			}
			switch {
			case wantErr && err == nil:
				t.Fatalf("%s: want a syntax error, the example parses", name)
			case !wantErr && err != nil:
				t.Fatalf("%s: the example does not parse: %v", name, err)
			}
			if len(tags) > 1 && tags[1] == "fmt" {
				if out := schema.Format(f); !bytes.Equal(out, []byte(b.body)) {
					t.Errorf("%s: the example is not in canonical form; ormc fmt prints\n%s", name, out)
				}
			}
		})
	}
	if n == 0 {
		t.Fatalf("%s has no orm examples", specFile)
	}
}

// TestSpecCheckExamples runs the checker on the orm blocks of spec.md. A
// plain "orm" or "orm fmt" block must check cleanly. An "orm ! check" or
// "orm ! syntax" block must give exactly the diagnostics its `// ERROR
// "regexp"` comments expect: on that line, at the token before the comment
// (or the one at= or col= names, see internal/diagtest), with a message
// (and hint, in parentheses) that matches. Together the examples must
// produce every code the checker has.
func TestSpecCheckExamples(t *testing.T) {
	produced := map[schema.Code]bool{}
	for _, b := range blocks(t, readSpec(t)) {
		tags := strings.Fields(b.info)
		if len(tags) == 0 || tags[0] != "orm" {
			continue
		}
		name := fmt.Sprintf("%s:%d", specFile, b.line)
		wantErrs := strings.Contains(b.info, "! check") || strings.Contains(b.info, "! syntax")
		want, err := diagtest.Parse(name, []byte(b.body))
		if err != nil {
			t.Fatal(err)
		}
		t.Run(name, func(t *testing.T) {
			if wantErrs && len(want) == 0 {
				t.Fatalf("%s: an orm ! check or orm ! syntax example needs // ERROR \"regexp\" comments", name)
			}
			if !wantErrs && len(want) > 0 {
				t.Fatalf("%s: // ERROR comments in an example not tagged orm ! check or orm ! syntax", name)
			}
			f, err := schema.Parse(name, []byte(b.body))
			var diags schema.List
			if err != nil {
				diags = append(diags, err.(schema.List)...)
			}
			_, more := compiler.CheckWith([]compiler.NameCheck{gogen.CheckNames}, f)
			diags = append(diags, more...)
			diags.Sort()
			for _, d := range diags {
				if !d.Code.Known() {
					t.Errorf("%s: code %q, which schema.Codes does not list", d, d.Code)
				}
				produced[d.Code] = true
			}
			for _, msg := range diagtest.Match(want, diags, b.line-1) {
				t.Error(strings.Replace(msg, name, specFile, 1))
			}
		})
	}
	if f := flag.Lookup("test.run"); f != nil && f.Value.String() != "" {
		return
	}
	for _, code := range schema.Codes() {
		if !produced[code] {
			t.Errorf("no orm ! check example in %s produces diagnostic code %q", specFile, code)
		}
	}
}

// TestSpecCodesListed checks that the Diagnostics section has a table row
// and a ### heading for every code of schema.Codes, in its order, and for
// no other.
func TestSpecCodesListed(t *testing.T) {
	doc := readSpec(t)
	i := strings.Index(doc, "\n## Diagnostics\n")
	if i < 0 {
		t.Fatalf("%s has no Diagnostics section", specFile)
	}
	var rows, headings []schema.Code
	for _, line := range strings.Split(doc[i:], "\n") {
		if rest, ok := strings.CutPrefix(line, "| `"); ok {
			if code, _, ok := strings.Cut(rest, "` |"); ok {
				rows = append(rows, schema.Code(code))
			}
		}
		if code, ok := strings.CutPrefix(line, "### "); ok {
			headings = append(headings, schema.Code(code))
		}
	}
	want := schema.Codes()
	if !slices.Equal(rows, want) {
		t.Errorf("%s: the Diagnostics table lists the codes\n\t%v\nwant schema.Codes():\n\t%v", specFile, rows, want)
	}
	if !slices.Equal(headings, want) {
		t.Errorf("%s: the Diagnostics section has ### headings\n\t%v\nwant schema.Codes():\n\t%v", specFile, headings, want)
	}
}
