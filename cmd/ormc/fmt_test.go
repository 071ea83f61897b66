package main

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ormc/ormc/schema"
)

// TestFormatRepository: every .orm file in the repository that parses
// formats to a fixed point, and the examples are already in canonical form.
func TestFormatRepository(t *testing.T) {
	root := filepath.Join("..", "..")
	n := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".orm") {
			return err
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		once, err := schema.FormatSource(path, src)
		if err != nil {
			return nil // files with syntax errors on purpose
		}
		n++
		twice, err := schema.FormatSource(path, once)
		if err != nil || !bytes.Equal(once, twice) {
			t.Errorf("%s: formatting is not idempotent (%v)", path, err)
		}
		if strings.Contains(filepath.ToSlash(path), "/examples/") && !bytes.Equal(src, once) {
			t.Errorf("%s is not in canonical form: run ormc fmt -w", path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 5 {
		t.Fatalf("only %d .orm files found", n)
	}
}
