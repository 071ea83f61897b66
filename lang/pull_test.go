package lang_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/ormc/ormc/schema"
)

// TestSpecPullCodes checks that the table of ormc pull's warnings lists
// every code of schema.PullCodes, in its order, and no other.
func TestSpecPullCodes(t *testing.T) {
	doc := readSpec(t)
	i := strings.Index(doc, "\n## Pulling a schema from a database\n")
	if i < 0 {
		t.Fatalf("%s has no section on ormc pull", specFile)
	}
	section := doc[i+1:]
	if j := strings.Index(section, "\n## "); j >= 0 {
		section = section[:j]
	}
	var rows []schema.Code
	inTable := false
	for _, line := range strings.Split(section, "\n") {
		if strings.HasPrefix(line, "| code | what is not in the schema |") {
			inTable = true
			continue
		}
		if !inTable {
			continue
		}
		if !strings.HasPrefix(line, "|") {
			break
		}
		if rest, ok := strings.CutPrefix(line, "| `"); ok {
			if code, _, ok := strings.Cut(rest, "` |"); ok {
				rows = append(rows, schema.Code(code))
			}
		}
	}
	if want := schema.PullCodes(); !slices.Equal(rows, want) {
		t.Errorf("%s: the table of ormc pull's warnings lists\n\t%v\nwant schema.PullCodes():\n\t%v", specFile, rows, want)
	}
}
