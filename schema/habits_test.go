package schema

import (
	"errors"
	"fmt"
	"testing"
)

// TestHabits checks the diagnostic each habit from another language gets:
// where it starts and ends, its message and its hint naming ormc's
// spelling. Each source has exactly one diagnostic. (testdata/parse/
// err_habits.txtar shows them together, with the tree.)
func TestHabits(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		at, end   string // line:col of the diagnostic's start and end
		msg, hint string
	}{
		{"brace", "model A {\n  id Integer pk\n>",
			"1:9", "1:10", `expected "<", found "{"`, `a model's members go between "<" and ">"`},
		{"brace table", "model A \"a\" { id Integer pk >",
			"1:13", "1:14", `expected "<", found "{"`, `a model's members go between "<" and ">"`},
		{"closing brace", "model A < id Integer pk\n} >",
			"2:1", "2:2", `unexpected character "}"`, ""},
		{"brace in body", "model A < id Integer pk; { >",
			"1:26", "1:27", `unexpected character "{"`, ""},
		{"single quotes", "model A < id Integer pk; s String(9) default('x y') >",
			"1:46", "1:51", "string literal in single quotes", `write strings in double quotes: "x y"`},
		{"single quotes escaped", `model A < id Integer pk; s String(9) default('it\'s') >`,
			"1:46", "1:53", "string literal in single quotes", `write strings in double quotes: "it's"`},
		{"single quotes doubled", "model A < id Integer pk; s String(9) default('it''s') >",
			"1:46", "1:53", "string literal in single quotes", `write strings in double quotes: "it's"`},
		{"single quotes with double quote", `model A < id Integer pk; s String(9) default('a"b\"c') >`,
			"1:46", "1:54", "string literal in single quotes", `write strings in double quotes: "a\"b\"c"`},
		{"single quotes long", "model A < id Integer pk; s Text default('" + fmt.Sprintf("%050d", 0) + "') >",
			"1:41", "1:93", "string literal in single quotes", "write strings in double quotes"},
		{"single quote unterminated", "model A < id Integer pk; s Text default('x) >",
			"1:41", "1:42", `unexpected character "'"`, "strings are written in double quotes"},
		{"at id", "model A < id Integer @id >",
			"1:22", "1:25", `unexpected character "@"`, `options are written without "@": did you mean "pk"?`},
		{"at unique", "model A < id Integer pk @unique >",
			"1:25", "1:32", `unexpected character "@"`, `options are written without "@": did you mean "unique"?`},
		{"at default", "model A < id Integer pk @default(1) >",
			"1:25", "1:33", `unexpected character "@"`, `options are written without "@": did you mean "default(value)"?`},
		{"at other", "model A < id Integer pk @db >",
			"1:25", "1:28", `unexpected character "@"`, `options are written without "@"`},
		{"at alone", "model A < id Integer pk @ >",
			"1:25", "1:26", `unexpected character "@"`, ""},
		{"at at index", "model A < id Integer pk\n  @@index(id) >",
			"2:3", "2:10", `unexpected character "@"`, `model declarations are written without "@@": did you mean "index(field, ...)"?`},
		{"optional type", "model A < id Integer pk; s String(9)? >",
			"1:37", "1:38", `unexpected character "?"`, `a field that may be NULL has the option null: did you mean "null"?`},
		{"optional type name", "model A < id Integer pk; s Text?\n>",
			"1:32", "1:33", `unexpected character "?"`, `a field that may be NULL has the option null: did you mean "null"?`},
		{"question mark", "model A < id Integer pk; s Text null; ? >",
			"1:39", "1:40", `unexpected character "?"`, ""},
		{"now call", "model A < id Integer pk; t DateTime default(now()) >",
			"1:48", "1:49", `expected "," or ")", found "("`, "write now without parentheses: default(now), or use the option auto_now_add"},
		{"uuid call", "model A < id UUID pk default(uuid()) >",
			"1:34", "1:35", `expected "," or ")", found "("`, "write uuid without parentheses: default(uuid)"},
		{"autoincrement call", "model A < id Integer pk default(autoincrement()) >",
			"1:46", "1:47", `expected "," or ")", found "("`, "an Integer or BigInteger pk without a default is auto-incremented: drop the default"},
		{"other call", "model A < id Integer pk; a ForeignKey(A, on_delete: cascade()) >",
			"1:60", "1:61", `expected "," or ")", found "("`, "a value is a string, a number or a name: there are no function calls"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, err := Parse("in.orm", []byte(tc.src))
			var list List
			if !errors.As(err, &list) || len(list) != 1 {
				t.Fatalf("Parse(%q) = %v, want one diagnostic", tc.src, err)
			}
			if f == nil {
				t.Fatal("Parse returned a nil *File")
			}
			d := list[0]
			at := fmt.Sprintf("%d:%d", d.Pos.Line, d.Pos.Col)
			end := fmt.Sprintf("%d:%d", d.End.Line, d.End.Col)
			if at != tc.at || end != tc.end || d.Msg != tc.msg || d.Hint != tc.hint || d.Code != CodeSyntax {
				t.Errorf("got %s-%s %s: %s (hint %q)\nwant %s-%s syntax: %s (hint %q)", at, end, d.Code, d.Msg, d.Hint, tc.at, tc.end, tc.msg, tc.hint)
			}
		})
	}
}

// TestBracesParse checks that a model written with "{" and "}" parses as
// it would with "<" and ">": the same models and members, marked Bad.
func TestBracesParse(t *testing.T) {
	braces, err := Parse("in.orm", []byte("model A \"a\" {\n  id Integer pk\n  data JSON default(\"{}\")\n  index(id)\n}\nmodel B { id Integer pk }\n"))
	if err == nil {
		t.Fatal("no error for braces")
	}
	angles, err := Parse("in.orm", []byte("model A \"a\" <\n  id Integer pk\n  data JSON default(\"{}\")\n  index(id)\n>\nmodel B < id Integer pk >\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(braces.Models) != len(angles.Models) {
		t.Fatalf("braces give %d models, angles %d", len(braces.Models), len(angles.Models))
	}
	for i, m := range braces.Models {
		want := angles.Models[i]
		if !m.Bad || m.Name.Name != want.Name.Name || len(m.Members) != len(want.Members) || m.EndPos != want.EndPos {
			t.Errorf("model %d: %s bad=%v, %d members, ends %v; want %s bad, %d members, ends %v",
				i, m.Name.Name, m.Bad, len(m.Members), m.EndPos, want.Name.Name, len(want.Members), want.EndPos)
		}
	}
}

// TestBracesMixed checks that a model opened with "{" and closed with ">"
// does not keep the next model's "{" from being read as "<".
func TestBracesMixed(t *testing.T) {
	f, err := Parse("in.orm", []byte("model A { id Integer pk >\nmodel B { id Integer pk }\n"))
	var list List
	if !errors.As(err, &list) {
		t.Fatalf("Parse = %v, want errors", err)
	}
	var got []string
	for _, d := range list {
		got = append(got, fmt.Sprintf("%d:%d %s", d.Pos.Line, d.Pos.Col, d.Msg))
	}
	want := []string{`1:9 expected "<", found "{"`, `2:9 expected "<", found "{"`, `2:25 expected ">", found "}"`}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("got %q\nwant %q", got, want)
	}
	if len(f.Models) != 2 || len(f.Models[0].Members) != 1 || len(f.Models[1].Members) != 1 {
		t.Errorf("got %d models, want 2 of one member each", len(f.Models))
	}
}
