package migrate_test

import (
	"slices"
	"testing"

	"github.com/ormc/ormc/compiler/migrate"
	"github.com/ormc/ormc/schema"
)

// TestRenameHints: what the planner makes of renamed(from:) hints, and of
// drops and adds that look like renames.
func TestRenameHints(t *testing.T) {
	for _, tc := range []struct {
		name          string
		before, after string
		allowDrop     bool
		kinds         []migrate.Kind
		codes         []schema.Code
		errors        bool
	}{
		{"field hint", post(""), author + "model Post \"post\" <\n id Integer pk\n t2 String(40) renamed(from: \"title\")\n author ForeignKey(Author)\n>\n",
			false, []migrate.Kind{migrate.RenameField}, codes("rename"), false},
		{"field hint planned already", post("note String(9) null"), post(`note String(9) null renamed(from: "old")`),
			false, nil, nil, false},
		{"field hint naming nothing", post(""), post(`note String(9) null renamed(from: "nothing")`),
			false, []migrate.Kind{migrate.AddField}, codes("stale-rename"), false},
		{"model hint naming nothing", post(""), post("") + "model Tag <\n renamed(from: \"Label\")\n id Integer pk\n>\n",
			false, []migrate.Kind{migrate.AddModel}, codes("stale-rename"), false},
		{"field hint naming a field that stays", post("a String(9) null"), post(`a String(9) null
  b String(9) null renamed(from: "a")`),
			false, []migrate.Kind{migrate.AddField}, codes("stale-rename"), false},
		{"value hint", post("kind Enum(a, b)"), post(`kind Enum(a, bee) renamed_value(from: "b", to: "bee")`),
			false, []migrate.Kind{migrate.DropCheck, migrate.AlterField, migrate.RenameValues, migrate.AddCheck}, codes("rename"), false},
		{"value hint to a shorter value", post("kind Enum(a, bee)"), post(`kind Enum(a, b) renamed_value(from: "bee", to: "b")`),
			false, []migrate.Kind{migrate.DropCheck, migrate.RenameValues, migrate.AlterField, migrate.AddCheck}, codes("rename"), false},
		{"value hint planned already", post("kind Enum(a, bee)"), post(`kind Enum(a, bee) renamed_value(from: "b", to: "bee")`),
			false, nil, nil, false},
		{"value hint naming nothing", post("kind Enum(a, b)"), post(`kind Enum(a, b, c) renamed_value(from: "x", to: "c")`),
			false, []migrate.Kind{migrate.DropCheck, migrate.AddCheck}, codes("stale-rename"), false},
		{"value hint with a value removed", post("kind Enum(a, b, c)"), post(`kind Enum(a, cee) renamed_value(from: "c", to: "cee")`),
			false, []migrate.Kind{migrate.DropCheck, migrate.AlterField, migrate.RenameValues, migrate.AddCheck}, codes("rename", "tighten-check"), true},
		{"undeclared rename", post("a String(9) null"), post("b String(9) null"),
			false, []migrate.Kind{migrate.AddField, migrate.DropField}, codes("drop-field", "undeclared-rename"), true},
		{"undeclared rename allowed", post("a String(9) null"), post("b String(9) null"),
			true, []migrate.Kind{migrate.AddField, migrate.DropField}, codes("drop-field"), false},
		{"another kind is no rename", post("a String(9) null"), post("b Integer null"),
			false, []migrate.Kind{migrate.AddField, migrate.DropField}, codes("drop-field"), true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := migrate.New(compile(t, tc.before), compile(t, tc.after), migrate.Options{AllowDrop: tc.allowDrop})
			var kinds []migrate.Kind
			for _, c := range p.Changes {
				kinds = append(kinds, c.Kind)
			}
			if !slices.Equal(kinds, tc.kinds) {
				t.Errorf("changes %v, want %v", kinds, tc.kinds)
			}
			var got []schema.Code
			for _, d := range p.Diagnostics {
				if d.Code != schema.CodeTableRewrite && !slices.Contains(got, d.Code) {
					got = append(got, d.Code)
				}
			}
			slices.Sort(got)
			if !slices.Equal(got, tc.codes) {
				t.Errorf("codes %v, want %v: %v", got, tc.codes, p.Diagnostics)
			}
			if p.Diagnostics.HasErrors() != tc.errors {
				t.Errorf("errors = %v, want %v: %v", p.Diagnostics.HasErrors(), tc.errors, p.Diagnostics)
			}
		})
	}
}
