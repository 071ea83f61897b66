package schema

import (
	"bytes"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestFormat formats the in.orm section of each testdata/format/*.txtar and
// compares the result with out.orm; formatting that again must change
// nothing, and no comment may be lost.
func TestFormat(t *testing.T) {
	for _, file := range goldenFiles(t, "format") {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txtar"), func(t *testing.T) {
			ar := readArchive(t, file)
			src := section(t, ar, "in.orm")
			got := checkFormat(t, src)
			golden(t, file, ar, map[string][]byte{"out.orm": got})
		})
	}
}

// checkFormat formats src, checks that the result formats to itself, keeps
// every comment and every doc comment on its declaration, and returns it.
func checkFormat(t *testing.T, src []byte) []byte {
	t.Helper()
	in, err := Parse("in.orm", src)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	got, err := FormatSource("in.orm", src)
	if err != nil {
		t.Fatalf("FormatSource: %v", err)
	}
	out, err := Parse("out.orm", got)
	if err != nil {
		t.Fatalf("formatted output does not parse: %v\n%s", err, got)
	}
	again, err := FormatSource("out.orm", got)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(again, got) {
		t.Fatalf("formatting is not idempotent\n--- once\n%s--- twice\n%s", got, again)
	}
	if want, have := wantComments(in), commentTexts(out.Comments); !slices.Equal(want, have) {
		t.Fatalf("comments changed\n--- in\n%s--- want\n%q\n--- out\n%s", src, want, got)
	}
	if want, have := docComments(in), docComments(out); !slices.Equal(want, have) {
		t.Fatalf("doc comments changed\n--- in\n%s--- out\n%s--- docs before\n%s\n--- docs after\n%s",
			src, got, strings.Join(want, "\n"), strings.Join(have, "\n"))
	}
	return got
}

// wantComments returns the comments Format should print for f, in order,
// worked out from the spec rather than from the printer: a comment inside
// a member moves above the member's doc comments, or stays in sequence when
// the member has none, and a /// one turns into //.
func wantComments(f *File) []string {
	cs := slices.Clone(f.Comments)
	moved := map[*Comment]bool{}
	for _, m := range f.Models {
		for _, mem := range m.Members {
			start, end := memberSpan(mem)
			var inside []*Comment
			for _, c := range cs {
				if start.Offset < c.Pos.Offset && c.Pos.Offset < end.Offset {
					inside = append(inside, c)
					moved[c] = true
				}
			}
			doc := memberDoc(mem)
			if len(inside) == 0 || len(doc) == 0 {
				continue
			}
			cs = slices.DeleteFunc(cs, func(c *Comment) bool { return slices.Contains(inside, c) })
			at := slices.Index(cs, doc[0])
			cs = slices.Insert(cs, at, inside...)
		}
	}
	texts := commentTexts(cs)
	for i, c := range cs {
		if moved[c] && strings.HasPrefix(texts[i], "///") {
			texts[i] = "//" + strings.TrimLeft(texts[i], "/")
		}
	}
	return texts
}

func commentTexts(cs []*Comment) []string {
	var texts []string
	for _, c := range cs {
		texts = append(texts, strings.TrimRight(c.Text, " \t\r"))
	}
	return texts
}

// docComments lists every declaration of f that has doc comments, with
// them: "A: /// doc" for a model, "A.2 x: /// doc" for its third member.
// Formatting keeps the declarations and their order, so the lists of a
// file and of its formatted form must be equal.
func docComments(f *File) []string {
	var out []string
	add := func(decl string, doc []*Comment) {
		for _, c := range doc {
			out = append(out, decl+": "+strings.TrimRight(c.Text, " \t\r"))
		}
	}
	for _, m := range f.Models {
		add(m.Name.Name, m.Doc)
		for i, mem := range m.Members {
			decl := fmt.Sprintf("%s.%d", m.Name.Name, i)
			switch mem := mem.(type) {
			case *Field:
				decl += " " + mem.Name.Name
			case *Directive:
				decl += " " + mem.Name.Name + "()"
			}
			add(decl, memberDoc(mem))
		}
	}
	return out
}

func TestFormatSourceRefusesSyntaxErrors(t *testing.T) {
	out, err := FormatSource("bad.orm", []byte("model A <\n  id\n>\n"))
	if _, ok := err.(List); !ok || out != nil {
		t.Fatalf("FormatSource = %q, %v; want nil and a List", out, err)
	}
	if want := `bad.orm:2:5: expected field type, found newline`; err.Error() != want {
		t.Errorf("error = %q, want %q", err, want)
	}
}

func TestFormatEmpty(t *testing.T) {
	for _, src := range []string{"", "\n\n", " ;\n; \n"} {
		if got := checkFormat(t, []byte(src)); len(got) != 0 {
			t.Errorf("FormatSource(%q) = %q, want nothing", src, got)
		}
	}
}
