package migrate

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/ormc/ormc/compiler/ir"
	"github.com/ormc/ormc/schema"
)

// Lint: each change's verdict, a diagnostic with a stable code at the
// .orm position that caused it. Destructive and data-dependent codes
// stop a plan unless allowed; data-dependent ones also get a pre-check
// query (see precheck.go) that the applier runs before any DDL.

// blocking reports whether a code stops a plan unless it is allowed:
// the destructive and data-dependent families.
func blocking(c schema.Code) bool {
	switch c {
	case schema.CodeDropModel, schema.CodeDropField, schema.CodeNarrowType, schema.CodeAddNotNull,
		schema.CodeAddUnique, schema.CodeTightenCheck, schema.CodeAddForeignKey:
		return true
	}
	return false
}

// finding is one lint verdict on a change.
type finding struct {
	code schema.Code
	msg  string
}

// lint returns the verdicts on c that hold on every dialect.
func lint(old, new *ir.Schema, c *Change) []finding {
	var out []finding
	add := func(code schema.Code, format string, args ...any) {
		out = append(out, finding{code, fmt.Sprintf(format, args...)})
	}
	switch c.Kind {
	case DropModel:
		add(schema.CodeDropModel, "model %q is gone: its table %q and every row of it are dropped", c.Old.Name, c.Old.Table)
	case DropField:
		add(schema.CodeDropField, "field %q of model %q is gone: column %q and its data are dropped", c.OldField.Name, c.Old.Name, c.OldField.Column)
	case RenameModel:
		add(schema.CodeRename, "model %q renamed from %q: table %q becomes %q, which clients built before it do not read", c.New.Name, c.Old.Name, c.Old.Table, c.New.Table)
	case RenameField:
		add(schema.CodeRename, "field %q renamed from %q: column %q becomes %q, which clients built before it do not read", c.NewField.Name, c.OldField.Name, c.OldField.Column, c.NewField.Column)
	case RenameValues:
		add(schema.CodeRename, "values of field %q renamed (%s): clients built before it write the old values, which the new CHECK refuses", c.NewField.Name, valueList(c.Values))
	case AddField:
		if needsRows(c.NewField) {
			add(schema.CodeAddNotNull, "field %q is added NOT NULL without a default: the table must be empty", c.NewField.Name)
		}
	case AlterField:
		if c.Type && !convertible(old.ColumnType(c.OldField), new.ColumnType(c.NewField)) {
			add(schema.CodeNarrowType, "field %q changes from %s to %s, which no database converts alike and no query can check: %s",
				c.NewField.Name, typeText(old.ColumnType(c.OldField)), typeText(new.ColumnType(c.NewField)), unplannable)
		} else if c.Type && narrows(old.ColumnType(c.OldField), new.ColumnType(c.NewField)) && !valuesFit(c.OldField, c.NewField) {
			add(schema.CodeNarrowType, "field %q narrows from %s to %s: rows whose values do not fit stop the migration",
				c.NewField.Name, typeText(old.ColumnType(c.OldField)), typeText(new.ColumnType(c.NewField)))
		}
		if c.Null && !c.NewField.Null && backfill(c.NewField) == nil {
			add(schema.CodeAddNotNull, "field %q becomes NOT NULL without a default to fill NULLs with: rows holding NULL stop the migration", c.NewField.Name)
		}
	case AddUnique:
		if !c.Replaces {
			add(schema.CodeAddUnique, "UNIQUE %q on %v is added: duplicate rows stop the migration", c.Name, c.Columns)
		}
	case AddCheck:
		if !c.Replaces && !(c.OldField != nil && c.OldField.CheckName != "" && looser(c.OldField, c.NewField)) {
			add(schema.CodeTightenCheck, "CHECK %q of field %q is added or tightened (Enum values, bounds): rows outside it stop the migration", c.Name, c.NewField.Name)
		}
	case AddForeignKey:
		if !c.Replaces && c.OldField != nil && !sameTarget(old, new, c.OldField, c.NewField) {
			add(schema.CodeAddForeignKey, "foreign key %q of field %q is added to an existing column: rows without a target stop the migration", c.Name, c.NewField.Name)
		}
	}
	return out
}

// unplannable ends the message of a change the planner refuses even
// when its code is allowed.
const unplannable = "add a field of the new type, copy the data in a migration of your own, then drop the old field"

// convertible reports whether the planner changes a column of type a to
// type b itself: the same kind, Integer and BigInteger, String and Text.
func convertible(a, b ir.Type) bool {
	pair := func(x, y ir.Kind) bool { return a.Kind == x && b.Kind == y || a.Kind == y && b.Kind == x }
	return a.Kind == b.Kind || pair(ir.Integer, ir.BigInteger) || pair(ir.String, ir.Text)
}

// needsRows reports whether adding f fails on a table with rows: NOT NULL
// and nothing to fill the column with.
func needsRows(f *ir.Field) bool {
	return !f.Null && f.Default == nil && !f.AutoNow && !f.AutoNowAdd && !f.AutoIncrement
}

// backfill returns the default that fills the NULLs of a field made NOT
// NULL, or nil where it has none.
func backfill(f *ir.Field) *ir.Default {
	switch {
	case f.Default != nil && f.Default.Kind != ir.DefaultNull:
		return f.Default
	case f.AutoNow || f.AutoNowAdd:
		return &ir.Default{Kind: ir.DefaultNow}
	}
	return nil
}

// narrows reports whether a column of type b may not hold every value of
// type a.
func narrows(a, b ir.Type) bool {
	switch {
	case a.Kind == b.Kind && a.Kind == ir.String:
		return b.MaxLength < a.MaxLength
	case a.Kind == b.Kind && a.Kind == ir.Decimal:
		return b.DecimalPlaces < a.DecimalPlaces || b.MaxDigits-b.DecimalPlaces < a.MaxDigits-a.DecimalPlaces
	case a.Kind == ir.Integer && b.Kind == ir.BigInteger:
		return false
	case a.Kind == ir.String && b.Kind == ir.Text:
		return false
	}
	return a.Kind != b.Kind
}

// widensOnly reports whether b is a's type with a larger length only.
func widensOnly(a, b ir.Type) bool {
	return a.Kind == ir.String && b.Kind == ir.String && b.MaxLength >= a.MaxLength
}

// looser reports whether new's CHECK lets through every value old's
// did: every Enum value kept and no bound tighter.
func looser(old, new *ir.Field) bool {
	for _, v := range old.Type.Values {
		if !slices.Contains(new.Type.Values, renamedValue(activeRenames(old, new), v)) {
			return false
		}
	}
	if len(new.Type.Values) > 0 && len(old.Type.Values) == 0 {
		return false
	}
	return !tighter(old.Bounds.Minimum, new.Bounds.Minimum, old.Bounds.ExclusiveMinimum, new.Bounds.ExclusiveMinimum, 1) &&
		!tighter(old.Bounds.Maximum, new.Bounds.Maximum, old.Bounds.ExclusiveMaximum, new.Bounds.ExclusiveMaximum, -1)
}

// valuesFit reports whether every Enum value of old, renamed as new's
// hints say, is a value of new: a shorter column still holds them all.
func valuesFit(old, new *ir.Field) bool {
	if len(old.Type.Values) == 0 || len(new.Type.Values) == 0 {
		return false
	}
	for _, v := range old.Type.Values {
		if !slices.Contains(new.Type.Values, renamedValue(activeRenames(old, new), v)) {
			return false
		}
	}
	return true
}

// renamedValue maps an Enum value before the migration to its value after.
func renamedValue(rs []ir.ValueRename, v string) string {
	for _, r := range rs {
		if r.From == v {
			return r.To
		}
	}
	return v
}

func valueList(rs []ir.ValueRename) string {
	var out []string
	for _, r := range rs {
		out = append(out, strconv.Quote(r.From)+" to "+strconv.Quote(r.To))
	}
	return strings.Join(out, ", ")
}

// tighter reports whether bound b is tighter than a; sign is 1 for a
// minimum, -1 for a maximum.
func tighter(a, b string, aEx, bEx bool, sign float64) bool {
	switch {
	case b == "":
		return false
	case a == "":
		return true
	}
	x, err1 := strconv.ParseFloat(a, 64)
	y, err2 := strconv.ParseFloat(b, 64)
	if err1 != nil || err2 != nil {
		return a != b || aEx != bEx
	}
	return sign*(y-x) > 0 || y == x && bEx && !aEx
}

func typeText(t ir.Type) string {
	switch t.Kind {
	case ir.String:
		return "String(" + strconv.Itoa(t.MaxLength) + ")"
	case ir.Decimal:
		return "Decimal(" + strconv.Itoa(t.MaxDigits) + ", " + strconv.Itoa(t.DecimalPlaces) + ")"
	}
	return string(t.Kind)
}

// position returns where a diagnostic about c points: the new field, the
// new model, or nothing for a dropped model (whose declaration is gone).
func position(c *Change) (schema.Pos, schema.Pos) {
	switch {
	case c.NewField != nil && c.NewField.Pos.IsValid():
		return c.NewField.Pos, c.NewField.End
	case c.New != nil:
		return c.New.Pos, c.New.End
	}
	return schema.Pos{}, schema.Pos{}
}

// sameTarget reports whether relation fields a (old) and b (new) refer to
// the same table: a changed ON DELETE finds no row without a target.
func sameTarget(old, new *ir.Schema, a, b *ir.Field) bool {
	if a.Relation == nil || b.Relation == nil {
		return false
	}
	ta, tb := old.Model(a.Relation.Model), new.Model(b.Relation.Model)
	return ta != nil && tb != nil && ta.Table == tb.Table
}
