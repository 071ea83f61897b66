package migrate

import (
	"fmt"
	"reflect"
	"slices"
	"strings"

	"github.com/ormc/ormc/compiler/ddl"
	"github.com/ormc/ormc/compiler/ir"
	"github.com/ormc/ormc/runtime/dialect"
	"github.com/ormc/ormc/schema"
)

// Kind names what a Change does.
type Kind string

const (
	AddModel       Kind = "add-model"
	DropModel      Kind = "drop-model"
	RenameModel    Kind = "rename-model"
	AddField       Kind = "add-field"
	DropField      Kind = "drop-field"
	RenameField    Kind = "rename-field"
	AlterField     Kind = "alter-field" // type, nullability, default or comment
	AddIndex       Kind = "add-index"
	DropIndex      Kind = "drop-index"
	AddUnique      Kind = "add-unique"
	DropUnique     Kind = "drop-unique"
	AddForeignKey  Kind = "add-foreign-key"
	DropForeignKey Kind = "drop-foreign-key"
	AddCheck       Kind = "add-check"
	DropCheck      Kind = "drop-check"
	// RenameObject renames a constraint or index (of kind Object) that
	// enforces what it did under another name: one whose name follows a
	// renamed table or column.
	RenameObject Kind = "rename-object"
	// RenameValues updates the rows holding an Enum's renamed values
	// (Values) to their new names, between the drop of the old values'
	// CHECK and the addition of the new one, so neither refuses a row.
	RenameValues Kind = "rename-values"
)

// Change is one difference between two snapshots. Old and New are the
// model before and after (Old nil for AddModel, New nil for DropModel);
// OldField and NewField likewise for the field a change is about.
type Change struct {
	Kind               Kind
	Old, New           *ir.Model
	OldField, NewField *ir.Field

	// Name is the constraint's or index's SQL name, and Columns its
	// columns (new names for an addition, old ones for a drop).
	Name    string
	Columns []string
	// OldName and Object are RenameObject's previous name and the kind
	// of what it renames (AddIndex, AddUnique, AddForeignKey, AddCheck).
	OldName string
	Object  Kind
	// Replaces is set on the addition of a constraint or index that
	// replaces an equal one under another name or on renamed columns:
	// it can hold no row the old one did not, so it is not linted.
	Replaces bool

	// Values are RenameValues' renames.
	Values []ir.ValueRename

	// What AlterField changes.
	Type, Null, Default, Comment bool

	// Deferred are the relation fields of an added model whose tables do
	// not exist yet when it is created (a cycle of new models): where the
	// dialect adds such keys apart, an AddForeignKey change follows.
	Deferred map[*ir.Field]bool
}

// Table is the SQL name of the table the change is about, after it.
func (c *Change) Table() string {
	if c.New != nil {
		return c.New.Table
	}
	return c.Old.Table
}

// Diff compares two snapshots, old (the database as the last migration
// left it; an empty Schema for none) and new, and returns the changes
// that turn the one into the other, in the order they must run, and the
// diagnostics of renames (a hint that matches nothing, a drop and add
// that look like an undeclared rename). Models and fields are matched by
// schema name, or by their renamed(from:) hint; constraints and indexes
// by the SQL names the checker stored in the IR.
func Diff(old, new *ir.Schema, allowDrop bool) ([]*Change, schema.List) {
	d := differ{old: old, new: new, allowDrop: allowDrop, renamedModel: map[string]string{}}
	d.matchModels()
	return d.ordered(), d.diags
}

type differ struct {
	old, new  *ir.Schema
	allowDrop bool
	diags     schema.List

	// renamedModel maps an old model's name to its new name.
	renamedModel map[string]string

	// Enum values are renamed before the alters when the column
	// narrows, after them otherwise: the column holds old and new.
	dropFKs, dropOthers, renames, adds, valuesNarrowing, alters, values, dropFields, dropModels, addOthers, addFKs []*Change
}

func (d *differ) ordered() []*Change {
	var out []*Change
	for _, l := range [][]*Change{d.dropFKs, d.dropOthers, d.renames, d.adds, d.valuesNarrowing, d.alters, d.values, d.dropFields, d.dropModels, d.addOthers, d.addFKs} {
		out = append(out, l...)
	}
	return out
}

func (d *differ) warnf(pos, end schema.Pos, code schema.Code, format string, args ...any) {
	d.diags.Errorf(pos, end, code, format, args...).Severity = schema.Warning
}

func (d *differ) matchModels() {
	matched := map[*ir.Model]bool{}
	type pair struct{ o, n *ir.Model }
	var pairs []pair
	for _, nm := range d.new.Models {
		om := d.old.Model(nm.Name)
		if nm.RenamedFrom != "" {
			switch prev := d.old.Model(nm.RenamedFrom); {
			case om == nil && prev != nil && d.new.Model(nm.RenamedFrom) == nil:
				om = prev
				d.renamedModel[prev.Name] = nm.Name
			case om != nil:
				// Planned already: the hint may stay or go.
			case prev != nil:
				d.warnf(nm.Pos, nm.End, schema.CodeStaleRename,
					"renamed(from: %q): the schema still has a model %q, so %q is added", nm.RenamedFrom, nm.RenamedFrom, nm.Name)
			default:
				d.warnf(nm.Pos, nm.End, schema.CodeStaleRename,
					"renamed(from: %q): no model %q in the previous snapshot", nm.RenamedFrom, nm.RenamedFrom)
			}
		}
		if om != nil {
			matched[om] = true
			pairs = append(pairs, pair{om, nm})
		}
	}
	created := map[string]bool{} // models whose tables exist when the next is created
	for _, p := range pairs {
		created[p.n.Name] = true
	}
	for _, nm := range ddlOrder(d.new) {
		if created[nm.Name] {
			continue
		}
		c := &Change{Kind: AddModel, New: nm, Deferred: map[*ir.Field]bool{}}
		for _, f := range nm.Fields {
			if f.Relation != nil && f.Relation.Model != nm.Name && !created[f.Relation.Model] {
				c.Deferred[f] = true
				d.addFKs = append(d.addFKs, &Change{Kind: AddForeignKey, New: nm, NewField: f, Name: f.ForeignKeyName, Columns: []string{f.Column}})
			}
		}
		created[nm.Name] = true
		d.adds = append(d.adds, c)
	}
	for _, om := range slices.Backward(ddlOrder(d.old)) {
		if !matched[om] {
			// Its constraints and indexes go with it; tables referring to
			// it drop their keys (or go too) first. Its keys to other
			// tables that go are dropped before any table, so that tables
			// in a cycle can go (SQLite, whose DROP TABLE takes a cycle,
			// writes none of these).
			d.dropModels = append(d.dropModels, &Change{Kind: DropModel, Old: om})
			for _, f := range om.Fields {
				if t := f.Relation; t != nil && t.Model != om.Name && !slices.ContainsFunc(d.new.Models, func(m *ir.Model) bool { return m.Name == t.Model || m.RenamedFrom == t.Model }) {
					d.dropFKs = append(d.dropFKs, &Change{Kind: DropForeignKey, Old: om, OldField: f, Name: f.ForeignKeyName, Columns: []string{f.Column}})
				}
			}
		}
	}
	for _, p := range pairs {
		d.model(p.o, p.n)
	}
}

// dropObjects records the drop of constraints and indexes of om, a
// table that stays (as nm).
func (d *differ) dropObjects(om *ir.Model, objs []object, nm *ir.Model) {
	for _, o := range objs {
		c := &Change{Old: om, New: nm, OldField: o.field, Name: o.name, Columns: o.oldColumns}
		switch o.kind {
		case AddForeignKey:
			c.Kind = DropForeignKey
			d.dropFKs = append(d.dropFKs, c)
			continue
		case AddIndex:
			c.Kind = DropIndex
		case AddUnique:
			c.Kind = DropUnique
		case AddCheck:
			c.Kind = DropCheck
		}
		d.dropOthers = append(d.dropOthers, c)
	}
}

// model diffs a model present in both snapshots.
func (d *differ) model(om, nm *ir.Model) {
	if om.Table != nm.Table {
		d.renames = append(d.renames, &Change{Kind: RenameModel, Old: om, New: nm})
	}
	fieldOf := map[*ir.Field]*ir.Field{} // new field → old field
	matched := map[*ir.Field]bool{}
	var added []*ir.Field
	for _, nf := range nm.Fields {
		of := om.Field(nf.Name)
		if nf.RenamedFrom != "" {
			switch prev := om.Field(nf.RenamedFrom); {
			case of == nil && prev != nil && nm.Field(nf.RenamedFrom) == nil:
				of = prev
			case of != nil:
				// Planned already: the hint may stay or go.
			case prev != nil:
				d.warnf(nf.Pos, nf.End, schema.CodeStaleRename,
					"renamed(from: %q): model %q still has a field %q, so %q is added", nf.RenamedFrom, nm.Name, nf.RenamedFrom, nf.Name)
			default:
				d.warnf(nf.Pos, nf.End, schema.CodeStaleRename,
					"renamed(from: %q): model %q had no field %q in the previous snapshot", nf.RenamedFrom, om.Name, nf.RenamedFrom)
			}
		}
		if of == nil {
			added = append(added, nf)
			continue
		}
		matched[of] = true
		fieldOf[nf] = of
		if of.Column != nf.Column {
			d.renames = append(d.renames, &Change{Kind: RenameField, Old: om, New: nm, OldField: of, NewField: nf})
		}
		c := &Change{Kind: AlterField, Old: om, New: nm, OldField: of, NewField: nf,
			Type:    !reflect.DeepEqual(d.old.ColumnType(of), d.new.ColumnType(nf)) || of.AutoIncrement != nf.AutoIncrement,
			Null:    of.Null != nf.Null,
			Default: !reflect.DeepEqual(of.Default, nf.Default) || of.AutoNow != nf.AutoNow || of.AutoNowAdd != nf.AutoNowAdd,
			Comment: comment(d.old, of) != comment(d.new, nf),
		}
		if c.Type || c.Null || c.Default || c.Comment {
			d.alters = append(d.alters, c)
		}
		d.renamedValues(om, nm, of, nf)
	}
	var dropped []*ir.Field
	for _, of := range om.Fields {
		if !matched[of] {
			dropped = append(dropped, of)
			d.dropFields = append(d.dropFields, &Change{Kind: DropField, Old: om, New: nm, OldField: of})
		}
	}
	for _, nf := range added {
		d.adds = append(d.adds, &Change{Kind: AddField, Old: om, New: nm, NewField: nf})
		if d.allowDrop {
			continue
		}
		for _, of := range dropped {
			if compatible(d.old.ColumnType(of), d.new.ColumnType(nf)) {
				d.diags.Errorf(nf.Pos, nf.End, schema.CodeUndeclaredRename,
					"model %q loses field %q and gains %q of a compatible type: a rename would keep the data, a drop and add loses it",
					nm.Name, of.Name, nf.Name).Hint = `declare renamed(from: "` + of.Name + `") or plan with -allow-drop`
				break
			}
		}
	}
	d.objects(om, nm, fieldOf)
	d.key(om, nm, fieldOf)
}

// key refuses a change of which fields are a table's primary key, one
// field or a composite key's: the planner does not drop and add a
// primary key, which every row and every foreign key to the table rest
// on. The key's fields may be renamed, or change type, as other fields.
func (d *differ) key(om, nm *ir.Model, fieldOf map[*ir.Field]*ir.Field) {
	if om.PrimaryKey < 0 || om.PrimaryKey >= len(om.Fields) || nm.PrimaryKey < 0 || nm.PrimaryKey >= len(nm.Fields) {
		return
	}
	ok, nk := om.KeyFields(), nm.KeyFields()
	same := len(ok) == len(nk)
	for i := 0; same && i < len(nk); i++ {
		same = fieldOf[nk[i]] == ok[i]
	}
	if same {
		return
	}
	names := func(fs []*ir.Field) string {
		var out []string
		for _, f := range fs {
			out = append(out, f.Name)
		}
		return "(" + strings.Join(out, ", ") + ")"
	}
	d.diags.Errorf(nm.Pos, nm.End, schema.CodeChangeKey, "the primary key of model %q changes from %s to %s, which ormc does not plan", nm.Name, names(ok), names(nk)).
		Hint = "create a model with the new key, copy the rows in a migration of your own, then drop the old model"
}

// renamedValues plans the renamed_value hints of field nf (of before):
// a hint whose old value the previous snapshot had updates the rows
// holding it; one planned already (the snapshot has the new value and
// not the old) may stay; any other names nothing and is warned about.
func (d *differ) renamedValues(om, nm *ir.Model, of, nf *ir.Field) {
	for _, r := range nf.RenamedValues {
		switch {
		case slices.Contains(of.Type.Values, r.From):
		case slices.Contains(of.Type.Values, r.To):
			// Planned already: the hint may stay or go.
		default:
			d.warnf(nf.Pos, nf.End, schema.CodeStaleRename,
				"renamed_value(from: %q): field %q of model %q had no value %q in the previous snapshot", r.From, of.Name, om.Name, r.From)
		}
	}
	active := activeRenames(of, nf)
	if len(active) == 0 {
		return
	}
	c := &Change{Kind: RenameValues, Old: om, New: nm, OldField: of, NewField: nf, Values: active}
	if d.new.ColumnType(nf).MaxLength < d.old.ColumnType(of).MaxLength {
		d.valuesNarrowing = append(d.valuesNarrowing, c)
	} else {
		d.values = append(d.values, c)
	}
}

// activeRenames returns nf's renamed_value hints whose old value of
// (the field before) had: those the migration carries out.
func activeRenames(of, nf *ir.Field) []ir.ValueRename {
	var out []ir.ValueRename
	for _, r := range nf.RenamedValues {
		if slices.Contains(of.Type.Values, r.From) {
			out = append(out, r)
		}
	}
	return out
}

// valueUpdate is the UPDATE that renames c's values in its column, after
// the column's rename if any.
func valueUpdate(d dialect.Dialect, c *Change) Step {
	col := q(d, c.NewField.Column)
	var olds []string
	for _, r := range c.Values {
		olds = append(olds, ddl.StringLiteral(d, r.From))
	}
	return Step{Desc: describe(c),
		SQL: fmt.Sprintf("UPDATE %s SET %s = %s WHERE %s IN (%s)", q(d, c.New.Table), col, valueUpdateExpr(d, col, c.Values), col, strings.Join(olds, ", "))}
}

// valueUpdateExpr is expr with the values of rs renamed.
func valueUpdateExpr(d dialect.Dialect, expr string, rs []ir.ValueRename) string {
	var b strings.Builder
	b.WriteString("CASE " + expr)
	for _, r := range rs {
		b.WriteString(" WHEN " + ddl.StringLiteral(d, r.From) + " THEN " + ddl.StringLiteral(d, r.To))
	}
	b.WriteString(" ELSE " + expr + " END")
	return b.String()
}

// compatible reports whether a column of type a could hold b's values
// as a rename would keep them: the same kind.
func compatible(a, b ir.Type) bool { return a.Kind == b.Kind }

func comment(s *ir.Schema, f *ir.Field) string { return columnComment(s, f) }

// object is a constraint or index of a table, as the diff compares them:
// by name, and by a signature of what it enforces written in the new
// snapshot's column and table names.
type object struct {
	kind       Kind // AddIndex, AddUnique, AddForeignKey, AddCheck
	name       string
	sig        string
	field      *ir.Field // the field of a single-field constraint
	oldColumns []string
	columns    []string
}

// objectsOf lists m's constraints and indexes. rename maps an old
// field's column to its new one (nil for the new snapshot's objects).
func objectsOf(s *ir.Schema, m *ir.Model, rename func(col string) string, tableRename ...func(string) string) []object {
	if rename == nil {
		rename = func(c string) string { return c }
	}
	tr := func(t string) string { return t }
	if len(tableRename) > 0 {
		tr = tableRename[0]
	}
	mapped := func(cols []string) []string {
		out := make([]string, len(cols))
		for i, c := range cols {
			out[i] = rename(c)
		}
		return out
	}
	var out []object
	for _, f := range m.Fields {
		cols := []string{f.Column}
		if f.UniqueName != "" {
			out = append(out, object{AddUnique, f.UniqueName, "u" + strings.Join(mapped(cols), ","), f, cols, mapped(cols)})
		}
		if f.IndexName != "" {
			out = append(out, object{AddIndex, f.IndexName, "i" + strings.Join(mapped(cols), ","), f, cols, mapped(cols)})
		}
		if f.CheckName != "" {
			ct := s.ColumnType(f)
			sig := "c" + rename(f.Column) + "|" + string(ct.Kind) + "|" + strings.Join(f.Type.Values, "\x00") + "|" + boundsSig(f.Bounds)
			out = append(out, object{AddCheck, f.CheckName, sig, f, cols, mapped(cols)})
		}
		if f.Relation != nil {
			target := s.Model(f.Relation.Model)
			// The key's column type is part of it: MySQL changes the type
			// of a referenced column only once the key is gone.
			sig := "f" + rename(f.Column) + "|" + tr(target.Table) + "|" + target.PK().Column + "|" + string(f.Relation.OnDelete) +
				"|" + string(s.ColumnType(f).Kind)
			out = append(out, object{AddForeignKey, f.ForeignKeyName, sig, f, cols, mapped(cols)})
		}
	}
	for _, ix := range m.Indexes {
		cols := columnsOf(m, ix.Fields)
		k, p := AddIndex, "i"
		if ix.Unique {
			k, p = AddUnique, "u"
		}
		out = append(out, object{k, ix.Name, p + strings.Join(mapped(cols), ","), nil, cols, mapped(cols)})
	}
	return out
}

func boundsSig(b ir.Bounds) string {
	return b.Minimum + "|" + b.Maximum + "|" + map[bool]string{true: "x"}[b.ExclusiveMinimum] + "|" + map[bool]string{true: "x"}[b.ExclusiveMaximum]
}

func columnsOf(m *ir.Model, fields []string) []string {
	cols := make([]string, len(fields))
	for i, name := range fields {
		cols[i] = name
		if f := m.Field(name); f != nil {
			cols[i] = f.Column
		}
	}
	return cols
}

// objects diffs the constraints and indexes of a model in both snapshots.
func (d *differ) objects(om, nm *ir.Model, fieldOf map[*ir.Field]*ir.Field) {
	colRename := map[string]string{}
	for nf, of := range fieldOf {
		colRename[of.Column] = nf.Column
	}
	rename := func(c string) string {
		if n, ok := colRename[c]; ok {
			return n
		}
		return "\x00dropped:" + c
	}
	tableRename := func(t string) string {
		for _, m := range d.old.Models {
			if m.Table == t {
				name := m.Name
				if n, ok := d.renamedModel[name]; ok {
					name = n
				}
				if nm := d.new.Model(name); nm != nil {
					return nm.Table
				}
			}
		}
		return "\x00dropped:" + t
	}
	olds := objectsOf(d.old, om, rename, tableRename)
	news := objectsOf(d.new, nm, nil)
	same := func(a, b object) bool { return a.kind == b.kind && a.name == b.name && a.sig == b.sig }
	var gone []object
	for _, o := range olds {
		if !slices.ContainsFunc(news, func(n object) bool { return same(o, n) }) {
			gone = append(gone, o)
		}
	}
	// What enforces the same under a new name is renamed, not dropped
	// and added again (which would build an index or validate a key anew).
	renamed := map[string]bool{}
	for _, n := range news {
		if slices.ContainsFunc(olds, func(o object) bool { return same(o, n) }) {
			continue
		}
		i := slices.IndexFunc(gone, func(o object) bool { return o.kind == n.kind && o.sig == n.sig })
		if i < 0 {
			continue
		}
		o := gone[i]
		gone = slices.Delete(gone, i, i+1)
		renamed[n.name] = true
		c := &Change{Kind: RenameObject, Object: n.kind, Old: om, New: nm, NewField: n.field, OldField: o.field,
			Name: n.name, OldName: o.name, Columns: n.columns}
		d.renames = append(d.renames, c)
	}
	d.dropObjects(om, gone, nm)
	for _, n := range news {
		if renamed[n.name] || slices.ContainsFunc(olds, func(o object) bool { return same(o, n) }) {
			continue
		}
		c := &Change{Old: om, New: nm, NewField: n.field, Name: n.name, Columns: n.columns, Kind: n.kind}
		if n.field != nil {
			c.OldField = fieldOf[n.field]
		}
		c.Replaces = slices.ContainsFunc(olds, func(o object) bool { return o.kind == n.kind && o.sig == n.sig })
		if n.kind == AddForeignKey {
			d.addFKs = append(d.addFKs, c)
		} else {
			d.addOthers = append(d.addOthers, c)
		}
	}
}
