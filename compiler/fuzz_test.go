package compiler_test

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/ormc/ormc/compiler/ddl"
	"github.com/ormc/ormc/compiler/gogen"
	"github.com/ormc/ormc/compiler/ir"
	"github.com/ormc/ormc/runtime/dialect"
	"github.com/ormc/ormc/schema"
	"github.com/rogpeppe/go-internal/txtar"
)

// FuzzCheck parses and checks arbitrary input, as one file and as two
// files (split at the first NUL byte, if any), and requires that nothing
// panics or hangs; that diagnostics are sorted and well formed; that the
// IR is returned exactly when there is no error; and that a valid IR can
// be dumped, snapshotted, and turned into DDL and Go code.
//
// Run it longer with: go test ./compiler -run '^$' -fuzz FuzzCheck -fuzztime 60s
func FuzzCheck(f *testing.F) {
	seeds, _ := filepath.Glob(filepath.Join("testdata", "check", "*.orm"))
	more, _ := filepath.Glob(filepath.Join("testdata", "check", "*", "*.orm"))
	for _, p := range append(seeds, more...) {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		// One seed per model: small inputs keep minimization, at a few
		// milliseconds per run, from eating the fuzzing time.
		for _, part := range bytes.Split(data, []byte("\n\n")) {
			f.Add(part)
		}
	}
	goldens, _ := filepath.Glob(filepath.Join("testdata", "ir", "*.txtar"))
	for _, p := range goldens {
		ar, err := txtar.ParseFile(p)
		if err != nil {
			f.Fatal(err)
		}
		var parts [][]byte
		for _, s := range ar.Files {
			if strings.HasSuffix(s.Name, ".orm") {
				parts = append(parts, s.Data)
			}
		}
		f.Add(bytes.Join(parts, []byte{0}))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		var files []*schema.File
		for i, part := range bytes.SplitN(src, []byte{0}, 2) {
			name := [...]string{"a.orm", "b.orm"}[i]
			file, _ := schema.Parse(name, part)
			files = append(files, file)
		}
		s, diags := checkAll(files...)
		checkDiags(t, diags)
		switch {
		case diags.HasErrors() && s != nil:
			t.Fatal("Check returned an IR and errors")
		case !diags.HasErrors() && s == nil && !slices.ContainsFunc(files, func(f *schema.File) bool { return f.Partial }):
			t.Fatal("Check returned neither an IR nor errors for files that parsed")
		case s == nil:
			return
		}
		var buf bytes.Buffer
		ir.Dump(&buf, s)
		if _, err := ir.MarshalSnapshot(s); err != nil {
			t.Fatalf("MarshalSnapshot: %v", err)
		}
		for _, m := range s.Models {
			for _, fld := range m.Fields {
				s.ColumnType(fld)
			}
		}
		for _, d := range []string{"postgres", "mysql", "sqlite"} {
			ddl.Create(s, dialect.ByName(d))
			ddl.Drop(s, dialect.ByName(d))
		}
		if _, err := gogen.Generate(s, gogen.Options{Package: "db"}); err != nil {
			t.Fatalf("gogen.Generate of a checked schema: %v", err)
		}
	})
}

// checkDiags checks the shape of every diagnostic: sorted, with a code
// schema.Codes lists and a valid position, a lowercase message without a
// final period.
func checkDiags(t *testing.T, diags schema.List) {
	t.Helper()
	for i, d := range diags {
		if !d.Code.Known() || !d.Pos.IsValid() || d.Msg == "" {
			t.Fatalf("malformed diagnostic %+v", d)
		}
		if r := []rune(d.Msg)[0]; unicode.IsUpper(r) || strings.HasSuffix(d.Msg, ".") {
			t.Fatalf("message not in style: %q", d.Msg)
		}
		if i > 0 && diags.Less(i, i-1) {
			t.Fatalf("diagnostics not sorted: %s before %s", diags[i-1], d)
		}
	}
}
