package compiler_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/ormc/ormc/compiler/ir"
	"github.com/ormc/ormc/schema"
	"github.com/rogpeppe/go-internal/txtar"
)

var update = flag.Bool("update", false, "rewrite the -- ir -- sections of testdata/ir/*.txtar")

// TestIRGolden checks the IR of each testdata/ir/*.txtar: its .orm
// sections (in.orm, or several files in name order) are one schema, and
// ir.Dump of the checked schema must equal the -- ir -- section. -update
// rewrites that section.
func TestIRGolden(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "ir", "*.txtar"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no testdata/ir/*.txtar: %v", err)
	}
	for _, path := range files {
		t.Run(strings.TrimSuffix(filepath.Base(path), ".txtar"), func(t *testing.T) {
			ar, err := txtar.ParseFile(path)
			if err != nil {
				t.Fatal(err)
			}
			var parsed []*schema.File
			var sections []txtar.File
			irIndex := -1
			for i, f := range ar.Files {
				switch {
				case f.Name == "ir":
					irIndex = i
				case strings.HasSuffix(f.Name, ".orm"):
					sections = append(sections, f)
				}
			}
			sort.Slice(sections, func(i, j int) bool { return sections[i].Name < sections[j].Name })
			for _, f := range sections {
				pf, err := schema.Parse(f.Name, f.Data)
				if err != nil {
					t.Fatalf("%s: %v", path, err)
				}
				parsed = append(parsed, pf)
			}
			s, diags := checkAll(parsed...)
			if diags.HasErrors() {
				t.Fatalf("%s: %v", path, diags)
			}
			var buf bytes.Buffer
			ir.Dump(&buf, s)
			got := buf.Bytes()
			if irIndex >= 0 && bytes.Equal(ar.Files[irIndex].Data, got) {
				return
			}
			if !*update {
				want := []byte(nil)
				if irIndex >= 0 {
					want = ar.Files[irIndex].Data
				}
				t.Fatalf("%s: the IR differs (run go test ./compiler -run TestIRGolden -update)\n--- got\n%s--- want\n%s", path, got, want)
			}
			if irIndex < 0 {
				ar.Files = append(ar.Files, txtar.File{Name: "ir"})
				irIndex = len(ar.Files) - 1
			}
			ar.Files[irIndex].Data = got
			if err := os.WriteFile(path, txtar.Format(ar), 0o666); err != nil {
				t.Fatal(err)
			}
		})
	}
}
