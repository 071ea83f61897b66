package lang_test

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"strings"
	"testing"

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
// "orm ! syntax" must have a syntax error; every other orm block (including
// "orm ! check", which the checker must reject) must parse, and one tagged
// "orm fmt" must also be in canonical form.
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
