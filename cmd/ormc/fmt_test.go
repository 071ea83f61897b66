package main

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"

	"github.com/ormc/ormc/compiler"
	"github.com/ormc/ormc/compiler/ir"
	"github.com/ormc/ormc/schema"
)

// TestFormatRepository: every schema in the repository that parses (each
// .orm file, and each .orm section of a txtar file: the fmt, parse and IR
// goldens and the scripts) formats to a fixed point with the same meaning,
// and the examples are already in canonical form.
func TestFormatRepository(t *testing.T) {
	root := filepath.Join("..", "..")
	n := 0
	try := func(name string, src []byte) {
		once, err := schema.FormatSource(name, src)
		if err != nil {
			return // files with syntax errors on purpose
		}
		n++
		twice, err := schema.FormatSource(name, once)
		if err != nil || !bytes.Equal(once, twice) {
			t.Errorf("%s: formatting is not idempotent (%v)", name, err)
		}
		if strings.Contains(filepath.ToSlash(name), "/examples/") && !bytes.Equal(src, once) {
			t.Errorf("%s is not in canonical form: run ormc fmt -w", name)
		}
		checkSameMeaning(t, name, src, once)
	}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		switch {
		case strings.HasSuffix(path, ".orm"):
			src, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			try(path, src)
		case strings.HasSuffix(path, ".txtar"):
			ar, err := txtar.ParseFile(path)
			if err != nil {
				return err
			}
			for _, f := range ar.Files {
				if strings.HasSuffix(f.Name, ".orm") {
					try(path+":"+f.Name, f.Data)
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 50 {
		t.Fatalf("only %d schemas found", n)
	}
}

// checkSameMeaning checks that the formatted schema out means what src
// means: every declaration keeps its doc comments (directives have them
// too, though the IR does not keep them), the checker reports the same
// diagnostics, and when it reports no errors the IR, which the generated
// code and schema.json come from, is the same.
func checkSameMeaning(t *testing.T, name string, src, out []byte) {
	t.Helper()
	before, err := schema.Parse(name, src)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	after, err := schema.Parse(name, out)
	if err != nil {
		t.Errorf("%s: formatted output does not parse: %v", name, err)
		return
	}
	if b, a := docs(before), docs(after); !slices.Equal(b, a) {
		t.Errorf("%s: formatting changed the doc comments\n--- before\n%s\n--- after\n%s\n--- formatted\n%s",
			name, strings.Join(b, "\n"), strings.Join(a, "\n"), out)
	}
	irBefore, diagsBefore := compiler.Check(before)
	irAfter, diagsAfter := compiler.Check(after)
	if b, a := messages(diagsBefore), messages(diagsAfter); !slices.Equal(b, a) {
		t.Errorf("%s: formatting changed the diagnostics\n--- before\n%s\n--- after\n%s",
			name, strings.Join(b, "\n"), strings.Join(a, "\n"))
	}
	if diagsBefore.HasErrors() || diagsAfter.HasErrors() {
		return
	}
	jb, err := ir.MarshalSnapshot(irBefore)
	if err != nil {
		t.Fatal(err)
	}
	ja, err := ir.MarshalSnapshot(irAfter)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(jb, ja) {
		t.Errorf("%s: formatting changed the IR\n--- before\n%s--- after\n%s", name, jb, ja)
	}
}

// docs lists the doc comments of every declaration of f, named by model
// and member index.
func docs(f *schema.File) []string {
	var out []string
	add := func(decl string, doc []*schema.Comment) {
		for _, c := range doc {
			out = append(out, decl+": "+c.DocText())
		}
	}
	for _, m := range f.Models {
		add(m.Name.Name, m.Doc)
		for i, mem := range m.Members {
			switch mem := mem.(type) {
			case *schema.Field:
				add(fmt.Sprintf("%s.%d %s", m.Name.Name, i, mem.Name.Name), mem.Doc)
			case *schema.Directive:
				add(fmt.Sprintf("%s.%d %s()", m.Name.Name, i, mem.Name.Name), mem.Doc)
			}
		}
	}
	return out
}

// messages returns the diagnostics without their positions, which
// formatting moves, sorted.
func messages(l schema.List) []string {
	var out []string
	for _, d := range l {
		out = append(out, fmt.Sprintf("%v %s: %s", d.Severity, d.Code, d.Msg))
	}
	slices.Sort(out)
	return out
}
