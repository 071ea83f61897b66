package ddl

import (
	"testing"

	"github.com/ormc/ormc/runtime/dialect"
)

// TestRulesForEveryDialect: every dialect of the registry has DDL rules,
// and no rules are left for a dialect that is not in it.
func TestRulesForEveryDialect(t *testing.T) {
	for _, d := range dialect.All {
		if _, ok := byDialect[d.Name()]; !ok {
			t.Errorf("dialect %q has no DDL rules", d.Name())
		}
	}
	if len(byDialect) != len(dialect.All) {
		t.Errorf("%d dialects have DDL rules, the registry holds %d", len(byDialect), len(dialect.All))
	}
}
