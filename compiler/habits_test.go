package compiler

import (
	"strings"
	"testing"

	"github.com/ormc/ormc/schema"
)

// TestHabitTables checks the tables of type and option names from other
// languages: each key is as the lookup writes it (lower case, and for
// options without underscores), names no ormc type or option (those get
// no hint from the table), and each type maps to an ormc type.
func TestHabitTables(t *testing.T) {
	for name, h := range typeHabits {
		if name != lower(name) {
			t.Errorf("typeHabits[%q]: key not in lower case", name)
		}
		for ormc := range types {
			if lower(ormc) == name {
				t.Errorf("typeHabits[%q]: ormc has type %q", name, ormc)
			}
		}
		if _, ok := types[h.to]; !ok {
			t.Errorf("typeHabits[%q] = %q, which is no type", name, h.to)
		}
	}
	for name, hint := range optionHabits {
		if name != strings.ReplaceAll(lower(name), "_", "") {
			t.Errorf("optionHabits[%q]: key not in lower case without underscores", name)
		}
		if _, ok := attrs[name]; ok {
			t.Errorf("optionHabits[%q]: ormc has option %q", name, name)
		}
		if hint == "" {
			t.Errorf("optionHabits[%q]: no hint", name)
		}
	}
}

// TestAutoNowBoth checks that auto_now with auto_now_add is reported at
// the second of them, with the first as the related position.
func TestAutoNowBoth(t *testing.T) {
	src := "model A <\n  id Integer pk\n  t  DateTime auto_now_add index auto_now\n>\n"
	f, err := schema.Parse("a.orm", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	_, diags := Check(f)
	if len(diags) != 1 {
		t.Fatalf("got %v, want one diagnostic", diags)
	}
	d := diags[0]
	if d.Code != schema.CodeContradictoryOptions || d.Pos.String() != "a.orm:3:34" || d.End.String() != "a.orm:3:42" ||
		len(d.Related) != 1 || d.Related[0].Pos.String() != "a.orm:3:15" || d.Related[0].Msg != "auto_now_add given here" {
		t.Errorf("got %s [%s] ending %s, related %v", d, d.Code, d.End, d.Related)
	}
}
