package gogen_test

import (
	"bytes"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ormc/ormc/compiler"
	"github.com/ormc/ormc/compiler/gogen"
	"github.com/ormc/ormc/compiler/ir"
	"github.com/ormc/ormc/schema"
)

// generate returns the client generated for one of the example schemas.
func generate(t *testing.T, name string) map[string][]byte {
	t.Helper()
	path := filepath.Join("..", "..", "examples", name)
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	f, err := schema.Parse(path, src)
	if err != nil {
		t.Fatal(err)
	}
	s, diags := compiler.Check(f)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	files, err := gogen.Generate(s, gogen.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

var examples = []string{"notes.orm", "music.orm", "types.orm"}

// TestDocComments: every exported declaration of the generated code has a
// doc comment that starts with its name, as golint wants; a template
// whitespace slip that glues a comment to the previous line fails here.
func TestDocComments(t *testing.T) {
	for _, ex := range examples {
		for name, src := range generate(t, ex) {
			if !strings.HasSuffix(name, ".go") {
				continue
			}
			fset := token.NewFileSet()
			f, err := parser.ParseFile(fset, name, src, parser.ParseComments)
			if err != nil {
				t.Fatalf("%s/%s: %v", ex, name, err)
			}
			for _, d := range f.Decls {
				switch d := d.(type) {
				case *ast.FuncDecl:
					if d.Name.IsExported() && (d.Doc == nil || !strings.HasPrefix(d.Doc.Text(), d.Name.Name+" ")) {
						t.Errorf("%s/%s: func %s has no doc comment starting with its name", ex, name, d.Name.Name)
					}
				case *ast.GenDecl:
					if d.Tok != token.TYPE {
						continue
					}
					for _, spec := range d.Specs {
						ts := spec.(*ast.TypeSpec)
						doc := d.Doc
						if ts.Doc != nil {
							doc = ts.Doc
						}
						if ts.Name.IsExported() && (doc == nil || !strings.HasPrefix(doc.Text(), ts.Name.Name+" ")) {
							t.Errorf("%s/%s: type %s has no doc comment starting with its name", ex, name, ts.Name.Name)
						}
					}
				}
			}
		}
	}
}

// TestDeterministic: generating twice gives the same bytes.
func TestDeterministic(t *testing.T) {
	for _, ex := range examples {
		a, b := generate(t, ex), generate(t, ex)
		for name := range a {
			if !bytes.Equal(a[name], b[name]) {
				t.Errorf("%s/%s differs between two runs", ex, name)
			}
		}
	}
}

// TestSnapshot: the JSON snapshot is versioned and stable.
func TestSnapshot(t *testing.T) {
	path := filepath.Join("..", "..", "examples", "music.orm")
	src, _ := os.ReadFile(path)
	f, _ := schema.Parse(path, src)
	s, _ := compiler.Check(f)
	snap, err := ir.MarshalSnapshot(s)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(snap, []byte("{\n  \"version\": 1,")) {
		t.Errorf("snapshot does not start with its version:\n%s", snap[:40])
	}
}
