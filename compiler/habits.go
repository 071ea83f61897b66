package compiler

// Habits from other schema languages: the type and option names of SQL
// and of other ORMs, which the checker reports as unknown with a hint that
// names ormc's spelling. The parser does the same for habits of syntax
// (schema/habits.go); lang/spec.md lists both under "Habits from other
// languages".

import (
	"fmt"
	"strings"

	"github.com/ormc/ormc/schema"
)

// typeHabit is ormc's type for a type name of another language.
type typeHabit struct {
	to string // the ormc type
	// params is how the hint writes the type's parameters when the field
	// gives none, or "" when the type takes none. When the field gives
	// some, the hint repeats them: Varchar(255) is String(255).
	params string
}

// typeHabits maps type names of SQL and of other ORMs, in lower case, to
// ormc's. A name that differs from an ormc type only in case (datetime,
// integer) is left to suggest.
var typeHabits = map[string]typeHabit{
	"varchar":     {"String", "max_length: N"},
	"nvarchar":    {"String", "max_length: N"},
	"char":        {"String", "max_length: N"},
	"character":   {"String", "max_length: N"},
	"int":         {"Integer", ""},
	"int2":        {"Integer", ""},
	"int4":        {"Integer", ""},
	"int32":       {"Integer", ""},
	"smallint":    {"Integer", ""},
	"mediumint":   {"Integer", ""},
	"bigint":      {"BigInteger", ""},
	"int8":        {"BigInteger", ""},
	"int64":       {"BigInteger", ""},
	"long":        {"BigInteger", ""},
	"bool":        {"Boolean", ""},
	"timestamp":   {"DateTime", ""},
	"timestamptz": {"DateTime", ""},
	"double":      {"Float", ""},
	"real":        {"Float", ""},
	"float32":     {"Float", ""},
	"float64":     {"Float", ""},
	"numeric":     {"Decimal", "max_digits, decimal_places"},
	"jsonb":       {"JSON", ""},
}

// typeHint returns the hint for an unknown type: ormc's spelling of a
// type of another language, or the closest ormc type.
func typeHint(tr *schema.TypeRef) string {
	h, ok := typeHabits[lower(tr.Name.Name)]
	if !ok {
		return suggest(tr.Name.Name, typeNames())
	}
	spelled := h.to
	switch {
	case h.params != "" && len(tr.Args) > 0:
		args := make([]string, len(tr.Args))
		for i, a := range tr.Args {
			args[i] = a.Value.Raw
			if a.Name != nil {
				args[i] = a.Name.Name + ": " + args[i]
			}
		}
		spelled += "(" + strings.Join(args, ", ") + ")"
	case h.params != "":
		spelled += "(" + h.params + ")"
	}
	return fmt.Sprintf("did you mean %q?", spelled)
}

// optionHabits maps option names of other languages, in lower case and
// without underscores, to a hint naming ormc's spelling.
var optionHabits = map[string]string{
	"nullable":      `did you mean "null"?`,
	"optional":      `did you mean "null"?`,
	"autoincrement": "an Integer or BigInteger pk without a default is auto-incremented: write pk",
	"id":            `did you mean "pk"?`,
	"primary":       `did you mean "pk"?`,
	"now":           `did you mean "default(now)" or "auto_now_add"?`,
}

// optionHint returns the hint for an unknown option: ormc's spelling of an
// option of another language, or the closest ormc option.
func optionHint(name string) string {
	if h, ok := optionHabits[strings.ReplaceAll(lower(name), "_", "")]; ok {
		return h
	}
	return suggest(name, attrNames())
}
