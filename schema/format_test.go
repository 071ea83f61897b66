package schema

import (
	"bytes"
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

// checkFormat formats src, checks that the result formats to itself and
// keeps every comment, and returns it.
func checkFormat(t *testing.T, src []byte) []byte {
	t.Helper()
	got, err := FormatSource("in.orm", src)
	if err != nil {
		t.Fatalf("FormatSource: %v", err)
	}
	again, err := FormatSource("in.orm", got)
	if err != nil {
		t.Fatalf("formatted output does not parse: %v\n%s", err, got)
	}
	if !bytes.Equal(again, got) {
		t.Fatalf("formatting is not idempotent\n--- once\n%s--- twice\n%s", got, again)
	}
	if in, out := commentTexts(t, src), commentTexts(t, got); !slices.Equal(in, out) {
		t.Fatalf("comments changed\n--- in\n%q\n--- out\n%q", in, out)
	}
	return got
}

func commentTexts(t *testing.T, src []byte) []string {
	t.Helper()
	f, err := Parse("in.orm", src)
	if err != nil {
		t.Fatal(err)
	}
	var texts []string
	for _, c := range f.Comments {
		texts = append(texts, strings.TrimRight(c.Text, " \t\r"))
	}
	return texts
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
