package gogen_test

import (
	"bytes"
	"fmt"
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
	if !bytes.HasPrefix(snap, fmt.Appendf(nil, "{\n  \"version\": %d,", ir.Version)) {
		t.Errorf("snapshot does not start with its version:\n%s", snap[:40])
	}
}

// TestImports: each generated file imports exactly the packages its code
// names: time where a relation's key is a DateTime though the model has
// no DateTime field of its own, and not where nothing names it.
func TestImports(t *testing.T) {
	const keyed = `
model A < id DateTime pk >
model B < id Integer pk; a ForeignKey(A) >
model C < id Integer pk; a ForeignKey(A) null >
model D < id Integer pk; n Integer >
model E < b OneToOne(A) pk >
model F < id Integer pk; e ForeignKey(E) null >
`
	f, err := schema.Parse("keyed.orm", []byte(keyed))
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
	all := map[string]map[string][]byte{"keyed.orm": files}
	for _, ex := range examples {
		all[ex] = generate(t, ex)
	}
	for ex, files := range all {
		parsed := map[string]*ast.File{}
		declared := map[string]bool{} // the package's own top-level names
		for name, src := range files {
			if !strings.HasSuffix(name, ".go") {
				continue
			}
			f, err := parser.ParseFile(token.NewFileSet(), name, src, 0)
			if err != nil {
				t.Fatalf("%s/%s: %v", ex, name, err)
			}
			parsed[name] = f
			for obj := range f.Scope.Objects {
				declared[obj] = true
			}
		}
		for name, f := range parsed {
			imported := map[string]bool{}
			for _, imp := range f.Imports {
				path := strings.Trim(imp.Path.Value, `"`)
				imported[path[strings.LastIndex(path, "/")+1:]] = true
			}
			// A package is used where a selector's operand is a name
			// declared neither in the function nor in the package.
			used := map[string]bool{}
			ast.Inspect(f, func(n ast.Node) bool {
				if sel, ok := n.(*ast.SelectorExpr); ok {
					if id, ok := sel.X.(*ast.Ident); ok && id.Obj == nil && !declared[id.Name] {
						used[id.Name] = true
					}
				}
				return true
			})
			for pkg := range imported {
				if !used[pkg] {
					t.Errorf("%s/%s imports %s but does not use it", ex, name, pkg)
				}
			}
			for pkg := range used {
				if !imported[pkg] {
					t.Errorf("%s/%s uses %s but does not import it", ex, name, pkg)
				}
			}
		}
	}
}
