package dialect

import (
	"slices"
	"testing"
)

// caps is every capability a dialect states by value.
type caps struct {
	returning        bool
	keyStep          string
	upsert           UpsertSyntax
	bulk             BulkSyntax
	limitAll         string
	textEndsAtNUL    bool
	transactionalDDL bool
	advisoryLocks    bool
	nullsSortLast    bool
	maxParams        int
	arrays           bool
}

func capsOf(d Dialect) caps {
	return caps{
		returning:        d.Returning(),
		keyStep:          d.KeyStepSQL(),
		upsert:           d.Upsert(),
		bulk:             d.BulkInsert(),
		limitAll:         d.LimitAll(),
		textEndsAtNUL:    d.TextEndsAtNUL(),
		transactionalDDL: d.TransactionalDDL(),
		advisoryLocks:    d.AdvisoryLocks(),
		nullsSortLast:    d.NullsSortLast(),
		maxParams:        d.MaxParams(),
		arrays:           d.ArrayElemType(Integer) != "",
	}
}

// TestCapabilities states every dialect's capabilities, so that a new
// dialect must state its own and a change to one shows here.
func TestCapabilities(t *testing.T) {
	want := map[string]caps{
		"postgres": {
			returning: true, upsert: OnConflict, bulk: UnnestArrays,
			transactionalDDL: true, advisoryLocks: true, nullsSortLast: true, maxParams: 65535, arrays: true,
		},
		"mysql": {
			keyStep: "SELECT @@SESSION.auto_increment_increment", upsert: OnDuplicateKey, bulk: MultiRowValues,
			limitAll: "18446744073709551615", advisoryLocks: true, maxParams: 65535,
		},
		"sqlite": {
			returning: true, upsert: OnConflict, bulk: MultiRowValues, limitAll: "-1",
			textEndsAtNUL: true, transactionalDDL: true, maxParams: 32766,
		},
	}
	for _, d := range All {
		w, ok := want[d.Name()]
		if !ok {
			t.Errorf("dialect %q: no capabilities stated in this test", d.Name())
			continue
		}
		if got := capsOf(d); got != w {
			t.Errorf("dialect %q:\n got %+v\nwant %+v", d.Name(), got, w)
		}
		// A dialect is one of the syntaxes it names.
		if (d.BulkInsert() == UnnestArrays) != (d.ArrayElemType(Integer) != "") {
			t.Errorf("dialect %q: unnest bulk inserts need array element types, and only they", d.Name())
		}
		if !d.Returning() && d.KeyStepSQL() == "" {
			t.Errorf("dialect %q reads keys neither by RETURNING nor by a key step", d.Name())
		}
	}
	if len(want) != len(All) {
		t.Errorf("the test states %d dialects, the registry holds %d", len(want), len(All))
	}
	if got := capsOf(MySQLFoldingUnder("utf8mb4_uca1400_as_cs")); got != capsOf(MySQL) {
		t.Errorf("MySQL folding under a collation changed its capabilities: %+v", got)
	}
}

func TestRegistry(t *testing.T) {
	if !slices.Equal(Names, []string{"postgres", "mysql", "sqlite"}) {
		t.Errorf("Names = %q", Names)
	}
	for i, d := range All {
		if Names[i] != d.Name() {
			t.Errorf("Names[%d] = %q, All[%d] is %q", i, Names[i], i, d.Name())
		}
		if ByName(d.Name()) != d {
			t.Errorf("ByName(%q) is not All[%d]", d.Name(), i)
		}
	}
	for _, name := range []string{"", "oracle", "Postgres", "postgresql", "sqlite3"} {
		if d := ByName(name); d != nil {
			t.Errorf("ByName(%q) = %v, want nil", name, d.Name())
		}
	}
}
