package schema

import (
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/alecthomas/participle/v2"
	"github.com/alecthomas/participle/v2/lexer"
	"github.com/rogpeppe/go-internal/txtar"
)

// probes are one token of each kind, as text to append to a source: the
// kinds of token the grammar can expect.
var probes = []struct{ class, text string }{
	{"ident", " x"}, {"model", " model"}, {"string", ` "s"`}, {"number", " 1"},
	{`"<"`, " <"}, {`">"`, " >"}, {`";"`, " ;"}, {`"("`, " ("}, {`")"`, " )"},
	{`","`, " ,"}, {`":"`, " :"}, {"newline", "\n"},
}

// expectClasses says, for each "expected X" that expectation words, the
// token kinds X names (each must be one the grammar accepts there) and the
// kinds the grammar may accept there as well without X naming them: a
// separator after a separator or a newline inside parentheses (the parser
// never sees them), "(" after a member's name (a directive) or after a type
// that has none, ">" after a member,
// ":" after an identifier argument, a name that happens to be "model",
// and "<" after `model Type` (a field named model), where the chunker
// starts a model named Type.
var expectClasses = map[string]struct{ named, unnamed []string }{
	`"model"`:                   {[]string{"model"}, []string{`";"`, "newline"}},
	"model name":                {[]string{"ident"}, []string{"model"}},
	`table name or "<"`:         {[]string{"string", `"<"`}, nil},
	`"<"`:                       {[]string{`"<"`}, nil},
	`field or ">"`:              {[]string{"ident", `">"`}, []string{"model", `";"`, "newline"}},
	"field type":                {[]string{"ident"}, []string{"model", `"("`}},
	`attribute, ";" or newline`: {[]string{"ident", `";"`, "newline"}, []string{"model", `"("`, `">"`, `"<"`}},
	`";" or newline`:            {[]string{`";"`, "newline"}, []string{`">"`}},
	`argument or ")"`:           {[]string{"ident", "string", "number", `")"`}, []string{"model", "newline"}},
	`"," or ")"`:                {[]string{`","`, `")"`}, []string{`":"`, "newline"}},
	"argument value":            {[]string{"ident", "string", "number"}, []string{"model", "newline"}},
}

// TestExpectationsFollowGrammar keeps the "expected X" state machine of
// syntax_error.go in step with the grammar: at every token of valid
// schemas, it asks the participle parser which kinds of token may come
// there (by appending one of each and seeing whether it gets past it) and
// compares them with what expectation says, through expectClasses. A
// change to the grammar that the state machine does not follow fails here.
func TestExpectationsFollowGrammar(t *testing.T) {
	srcs := []string{
		"model A \"a\" < id Integer pk; t String(10, min_length: 1,) null\nindex(t, name: \"x\") >\nmodel B < model ForeignKey(A) >",
	}
	files, _ := filepath.Glob("testdata/*/*.txtar")
	if testing.Short() {
		files = nil // the source above reaches every state
	}
	for _, file := range files {
		ar, err := txtar.ParseFile(file)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range ar.Files {
			if f.Name == "in.orm" || f.Name == "out.orm" {
				if _, err := Parse("in.orm", f.Data); err == nil {
					srcs = append(srcs, string(f.Data))
				}
			}
		}
	}
	seen := map[string]bool{}
	for _, src := range srcs {
		s := newScanner("in.orm", []byte(src))
		s.scan()
		cuts := []int{len(src)}
		for _, tok := range s.toks {
			cuts = append(cuts, tok.Off())
		}
		for _, cut := range cuts {
			if line := src[strings.LastIndexByte(src[:cut], '\n')+1 : cut]; strings.Contains(line, "//") {
				continue // a probe would be part of the comment
			}
			want := machineExpects(src[:cut])
			classes, ok := expectClasses[want]
			if !ok {
				t.Fatalf("%q: expectation says %q, which expectClasses lacks", src[:cut], want)
			}
			seen[want] = true
			var accepted []string
			for _, p := range probes {
				if grammarAccepts(t, src[:cut], p.text) {
					accepted = append(accepted, p.class)
				}
			}
			for _, c := range classes.named {
				if !slices.Contains(accepted, c) {
					t.Errorf("after %q: the message says expected %s, but the grammar refuses %s there", tail(src[:cut]), want, c)
				}
			}
			for _, c := range accepted {
				if !slices.Contains(classes.named, c) && !slices.Contains(classes.unnamed, c) {
					t.Errorf("after %q: the grammar accepts %s, but the message says only expected %s", tail(src[:cut]), c, want)
				}
			}
		}
	}
	for want := range expectClasses {
		if !seen[want] {
			t.Errorf("no input reaches the state worded %q", want)
		}
	}
}

// machineExpects returns what expectation says may follow src.
func machineExpects(src string) string {
	s := newScanner("in.orm", []byte(src))
	s.scan()
	chunks := s.split()
	lx := &tokenLexer{s: s, c: chunks[len(chunks)-1]}
	var toks []lexer.Token
	for {
		tok, _ := lx.Next()
		if tok.EOF() {
			break
		}
		toks = append(toks, tok)
	}
	return expectation(toks, len(toks)).want
}

// grammarAccepts reports whether the parser gets past probe appended to
// src, parsed as Parse parses the last model of a file.
func grammarAccepts(t *testing.T, src, probe string) bool {
	t.Helper()
	full := src + probe
	s := newScanner("in.orm", []byte(full))
	s.scan()
	chunks := s.split()
	pl, err := lexer.Upgrade(&tokenLexer{s: s, c: chunks[len(chunks)-1]})
	if err != nil {
		t.Fatal(err)
	}
	_, err = parser.ParseFromLexer(pl)
	if err == nil {
		return true
	}
	var perr participle.Error
	if !errors.As(err, &perr) {
		t.Fatalf("%q: %v", full, err)
	}
	return perr.Position().Offset >= len(full)
}

// tail returns the last line of src, for messages.
func tail(src string) string {
	if i := strings.LastIndexByte(strings.TrimRight(src, "\n"), '\n'); i >= 0 {
		return src[i+1:]
	}
	return src
}
