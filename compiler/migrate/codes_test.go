package migrate

import (
	"os"
	"strings"
	"testing"

	"github.com/ormc/ormc/runtime/dialect"
	"github.com/ormc/ormc/schema"
)

// TestMigrateCodesInSpec fails when a code of schema.MigrateCodes has no
// row in the table of lang/spec.md's "Migrations", or the rows are not
// in MigrateCodes' order.
func TestMigrateCodesInSpec(t *testing.T) {
	src, err := os.ReadFile("../../lang/spec.md")
	if err != nil {
		t.Fatal(err)
	}
	spec := string(src)
	_, section, ok := strings.Cut(spec, "\n## Migrations\n")
	if !ok {
		t.Fatal(`lang/spec.md has no section "Migrations"`)
	}
	section, _, _ = strings.Cut(section, "\n## ")
	last := -1
	for _, c := range schema.MigrateCodes() {
		i := strings.Index(section, "\n| `"+string(c)+"` |")
		if i < 0 {
			t.Errorf("code %q has no row in the spec's Migrations table", c)
			continue
		}
		if i < last {
			t.Errorf("code %q is out of MigrateCodes' order in the spec", c)
		}
		last = i
	}
}

// TestWriterForEveryDialect fails when a dialect of the registry has no
// migration writer.
func TestWriterForEveryDialect(t *testing.T) {
	for _, d := range dialect.All {
		if _, ok := byDialect[d.Name()]; !ok {
			t.Errorf("dialect %q has no migration writer in compiler/migrate", d.Name())
		}
	}
}

// TestBlockingCodes: the destructive and data-dependent codes block,
// the others warn.
func TestBlockingCodes(t *testing.T) {
	want := map[schema.Code]bool{
		schema.CodeDropModel: true, schema.CodeDropField: true, schema.CodeNarrowType: true, schema.CodeAddNotNull: true,
		schema.CodeAddUnique: true, schema.CodeTightenCheck: true, schema.CodeAddForeignKey: true,
	}
	for _, c := range schema.MigrateCodes() {
		if blocking(c) != want[c] {
			t.Errorf("blocking(%q) = %v, want %v", c, blocking(c), want[c])
		}
	}
}
