package gogen

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ormc/ormc/runtime/dialect"
)

// TestDriverOfEveryDialect: the package the client imports for each
// dialect of the registry exists in this module.
func TestDriverOfEveryDialect(t *testing.T) {
	for _, d := range dialect.All {
		dv := driverOf(d.Name())
		dir := filepath.Join("..", "..", strings.TrimPrefix(dv.Import, "github.com/ormc/ormc/"))
		if _, err := os.Stat(filepath.Join(dir, d.Name()+".go")); err != nil {
			t.Errorf("dialect %q: no driver package at %s: %v", d.Name(), dv.Import, err)
		}
	}
}
