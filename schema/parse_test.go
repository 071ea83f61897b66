package schema

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"
)

var update = flag.Bool("update", false, "rewrite the golden sections of testdata/*/*.txtar")

// TestParse parses the in.orm section of each testdata/parse/*.txtar and
// compares the AST dump and the errors with the ast and errors sections.
func TestParse(t *testing.T) {
	for _, file := range goldenFiles(t, "parse") {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txtar"), func(t *testing.T) {
			ar := readArchive(t, file)
			src := section(t, ar, "in.orm")
			f, err := Parse("in.orm", src)
			if f == nil {
				t.Fatal("Parse returned a nil *File")
			}
			var errs bytes.Buffer
			if err != nil {
				list, ok := err.(List)
				if !ok {
					t.Fatalf("error is a %T, want schema.List", err)
				}
				list.Print(&errs, 0)
			}
			checkSpans(t, src, f)
			var ast bytes.Buffer
			Dump(&ast, f)
			golden(t, file, ar, map[string][]byte{"ast": ast.Bytes(), "errors": errs.Bytes()})
		})
	}
}

func goldenFiles(t *testing.T, dir string) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", dir, "*.txtar"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no testdata/%s/*.txtar: %v", dir, err)
	}
	return files
}

func readArchive(t *testing.T, file string) *txtar.Archive {
	t.Helper()
	ar, err := txtar.ParseFile(file)
	if err != nil {
		t.Fatal(err)
	}
	return ar
}

// section returns the named file of ar, or fails the test.
func section(t *testing.T, ar *txtar.Archive, name string) []byte {
	t.Helper()
	for _, f := range ar.Files {
		if f.Name == name {
			return f.Data
		}
	}
	t.Fatalf("no section %q", name)
	return nil
}

// golden compares got with the sections of ar, or rewrites them under
// -update (sections are written in the order of got's keys as they appear
// in ar, new ones appended in sorted order).
func golden(t *testing.T, file string, ar *txtar.Archive, got map[string][]byte) {
	t.Helper()
	if *update {
		seen := map[string]bool{}
		for i, f := range ar.Files {
			if data, ok := got[f.Name]; ok {
				ar.Files[i].Data = data
				seen[f.Name] = true
			}
		}
		for _, name := range []string{"ast", "errors", "out.orm"} {
			if data, ok := got[name]; ok && !seen[name] {
				ar.Files = append(ar.Files, txtar.File{Name: name, Data: data})
			}
		}
		if err := os.WriteFile(file, txtar.Format(ar), 0o666); err != nil {
			t.Fatal(err)
		}
		return
	}
	for name, data := range got {
		want := section(t, ar, name)
		if !bytes.Equal(data, want) {
			t.Errorf("%s differs (run with -update to accept)\n--- got\n%s--- want\n%s", name, data, want)
		}
	}
}

// checkSpans checks that every position in f agrees with src: line and
// column match the offset, names and values are the text they span, and
// every node starts before it ends.
func checkSpans(t *testing.T, src []byte, f *File) {
	t.Helper()
	at := func(what string, pos Pos) {
		t.Helper()
		if pos.Offset < 0 || pos.Offset > len(src) {
			t.Fatalf("%s: offset %d out of range", what, pos.Offset)
		}
		line := 1 + bytes.Count(src[:pos.Offset], []byte("\n"))
		col := pos.Offset - (bytes.LastIndexByte(src[:pos.Offset], '\n') + 1) + 1
		if pos.Line != line || pos.Col != col || pos.File != "in.orm" && pos.File != f.Name {
			t.Fatalf("%s: position %v, want line %d col %d", what, pos, line, col)
		}
	}
	spans := func(what string, pos, end Pos, text string) {
		t.Helper()
		at(what, pos)
		at(what, end)
		if end.Offset < pos.Offset {
			t.Fatalf("%s: ends (%v) before it starts (%v)", what, end, pos)
		}
		if text != "" && string(src[pos.Offset:end.Offset]) != text {
			t.Fatalf("%s at %v spans %q, want %q", what, pos, src[pos.Offset:end.Offset], text)
		}
	}
	spans("file", f.Pos, f.EndPos, "")
	for _, c := range f.Comments {
		spans("comment", c.Pos, c.EndPos, c.Text)
	}
	ident := func(id *Ident) {
		t.Helper()
		if id == nil {
			t.Fatal("nil Ident")
		}
		spans("ident", id.Pos, id.EndPos, id.Name)
	}
	args := func(list []*Arg) {
		t.Helper()
		for _, a := range list {
			if a.Name != nil {
				ident(a.Name)
			}
			spans("value", a.Value.Pos, a.Value.EndPos, a.Value.Raw)
			spans("arg", a.Pos, a.EndPos, "")
		}
	}
	for _, m := range f.Models {
		spans("model", m.Pos, m.EndPos, "")
		ident(m.Name)
		if m.Table != nil {
			spans("table", m.Table.Pos, m.Table.EndPos, m.Table.Raw)
		}
		for _, mem := range m.Members {
			switch mem := mem.(type) {
			case *Field:
				spans("field", mem.Pos, mem.EndPos, "")
				ident(mem.Name)
				ident(mem.Type.Name)
				spans("type", mem.Type.Pos, mem.Type.EndPos, "")
				args(mem.Type.Args)
				for _, a := range mem.Attrs {
					ident(a.Name)
					spans("attr", a.Pos, a.EndPos, "")
					args(a.Args)
				}
			case *Directive:
				spans("directive", mem.Pos, mem.EndPos, "")
				ident(mem.Name)
				args(mem.Args)
			}
		}
	}
}
