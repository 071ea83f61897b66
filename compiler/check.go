package compiler

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/ormc/ormc/compiler/ir"
	"github.com/ormc/ormc/schema"
)

// Check checks the files of one schema together (models may refer to each
// other across files, in any order) and returns the IR, or the
// diagnostics sorted by position. The IR is nil whenever the list holds an
// error or a file is Partial.
//
// The files may be the partial trees that schema.Parse returns with syntax
// errors. A member marked Bad is not checked, and a model marked Bad is
// not checked for what the syntax error may have hidden: its primary key
// and the fields its declarations name. So every diagnostic Check gives
// for a partial tree is one it would give once the syntax is fixed.
func Check(files ...*schema.File) (*ir.Schema, schema.List) {
	return CheckWith(nil, files...)
}

// A NameCheck reports the names a generator would derive from a schema
// that clash in its output, at the schema names they come from, as
// gogen.CheckNames does for Go identifiers. It must take an IR the
// checker built only in part, beside other errors.
type NameCheck func(*ir.Schema) schema.List

// CheckWith is Check with the name checks of the generators that will
// read the IR. They run on the IR as far as the checker built it, even
// when it found errors, and their diagnostics are sorted in with its
// own, so one run reports every error.
func CheckWith(checks []NameCheck, files ...*schema.File) (*ir.Schema, schema.List) {
	n := 0 // models, to size the maps: growing large maps is costly
	for _, f := range files {
		if f != nil {
			n += len(f.Models)
		}
	}
	c := &checker{byName: make(map[string]*modelState, n), indexNames: make(map[string]nameOwner, 4*n), joins: map[*schema.Field]joinModel{}}
	c.run(files)
	for _, check := range checks {
		c.diags = append(c.diags, check(c.out)...)
	}
	c.diags.Sort()
	if c.diags.HasErrors() || slices.ContainsFunc(files, func(f *schema.File) bool { return f != nil && f.Partial }) {
		return nil, c.diags
	}
	return c.out, c.diags
}

// maxIdentLen is the longest table or column name: PostgreSQL cuts longer
// ones to 63 bytes, silently, and MySQL rejects more than 64.
const maxIdentLen = 63

type checker struct {
	diags  schema.List
	out    *ir.Schema
	models []*modelState
	byName map[string]*modelState
	// hintWork counts the candidates compared for hints (suggestAmong).
	hintWork int
	// pkCycles holds, for each model whose primary key leads back to it
	// through relations, the chain of model names (see findKeyCycles).
	pkCycles map[*modelState]string
	// keyTypes holds the column type of each model's primary key that
	// keyType has found, once every key is known.
	keyTypes map[string]keyResult
	// indexNames holds the SQL names of tables, indexes and constraints,
	// lower-cased, with what has each: PostgreSQL keeps tables and
	// indexes (unique constraints are indexes) in one namespace per
	// schema, and constraint names are unique per table; MySQL keeps
	// foreign key and CHECK names in one namespace per database.
	indexNames map[string]nameOwner
	// joins holds the join model declared for each many-to-many relation
	// without through: (declareJoinModels).
	joins map[*schema.Field]joinModel
}

// nameOwner is what has a name in the namespace of indexes and
// constraints.
type nameOwner struct {
	pos   schema.Pos
	table string // the model whose table has the name, or "" for an index or constraint
	what  string // what has the name when it is not written in the schema, for messages
}

// modelState is a model while it is being checked.
type modelState struct {
	ast    *schema.Model
	ir     *ir.Model
	fields map[string]*fieldState
	// directives holds the declaration of each of the model's indexes.
	directives map[*ir.Index]*schema.Directive
	// dupTable is set when the model's table is another's, as reported.
	dupTable bool
	// pkWritten is set when some field is marked pk, even one whose type
	// is unknown or does not take the option: the model then does not
	// lack a primary key, it has a wrong one, which is reported.
	pkWritten bool
	// keyDecl is the pk(…) declaration of a composite key; nil otherwise.
	keyDecl *schema.Directive
	// m2m are the model's many-to-many relations.
	m2m []*m2mState
}

type fieldState struct {
	ast *schema.Field
	ir  *ir.Field
	// relTo is the referenced model's name node, for relation fields.
	relTo *schema.Arg
	// defaultArg is the argument of the default option, if any.
	defaultArg *schema.Arg
	// attrs holds the field's options by name ("pk" for primary_key too).
	attrs attrSet
	// onDelete is the on_delete argument of a relation, if any.
	onDelete *schema.Arg
	// column is the name argument of the column option, if any.
	column *schema.Arg
}

// attrSet is a field's options by name. A field has a few, so a slice
// costs less than a map.
type attrSet []namedAttr

type namedAttr struct {
	name string
	attr *schema.Attr
}

func (s attrSet) get(name string) *schema.Attr {
	for _, a := range s {
		if a.name == name {
			return a.attr
		}
	}
	return nil
}

func (s *attrSet) add(name string, a *schema.Attr) { *s = append(*s, namedAttr{name, a}) }

func (c *checker) errorf(pos, end schema.Pos, code schema.Code, format string, args ...any) *schema.Diagnostic {
	return c.diags.Errorf(pos, end, code, format, args...)
}

func (c *checker) run(files []*schema.File) {
	c.out = &ir.Schema{Version: ir.Version}
	tables := make(map[string]*schema.Value, len(c.byName))
	tableOwner := make(map[string]*schema.Ident, len(c.byName))
	declare := func(m *schema.Model) {
		if prev, dup := c.byName[m.Name.Name]; dup {
			d := c.errorf(m.Name.Pos, m.Name.EndPos, schema.CodeDuplicateModel, "model %q redeclared", m.Name.Name)
			d.Related = []schema.Related{{Pos: prev.ast.Name.Pos, Msg: "previous declaration"}}
			return
		}
		im := &ir.Model{Name: m.Name.Name, Table: ir.SnakeName(m.Name.Name), Doc: docText(m.Doc), Pos: m.Name.Pos, End: m.Name.EndPos, PrimaryKey: -1}
		tablePos, tableEnd := m.Name.Pos, m.Name.EndPos
		if m.Table != nil {
			if m.Table.Kind != schema.StringValue || m.Table.Text == "" {
				c.errorf(m.Table.Pos, m.Table.EndPos, schema.CodeBadTableName, "table name must be a non-empty string, found %s", m.Table.Raw)
			} else if p := textProblem(m.Table.Text); p != "" {
				c.errorf(m.Table.Pos, m.Table.EndPos, schema.CodeBadTableName, "table name %s", p)
			} else {
				im.Table = m.Table.Text
				tablePos, tableEnd = m.Table.Pos, m.Table.EndPos
			}
		}
		switch {
		case im.Table == "":
			c.errorf(m.Name.Pos, m.Name.EndPos, schema.CodeBadTableName, "model %q needs a table name: its name gives none", m.Name.Name).
				Hint = fmt.Sprintf("write one after the name, e.g. model %s \"items\"", m.Name.Name)
		case len(im.Table) > maxIdentLen:
			c.errorf(tablePos, tableEnd, schema.CodeNameTooLong, "table name %q is longer than %d bytes", im.Table, maxIdentLen)
		default:
			c.reportSQLName(tableName, im.Table, tablePos, tableEnd)
		}
		// SQLite, and MySQL on some systems, compare table names
		// without regard to case, even quoted.
		key := strings.ToLower(im.Table)
		prev, dupTable := tables[key]
		if dupTable {
			d := c.errorf(tablePos, tableEnd, schema.CodeDuplicateTable, "table %q of model %q is also the table of model %q", im.Table, m.Name.Name, tableOwner[key].Name)
			d.Related = []schema.Related{{Pos: prev.Pos, Msg: "previous declaration"}}
		} else {
			tables[key] = &schema.Value{Pos: tablePos}
			tableOwner[key] = m.Name
		}
		ms := &modelState{ast: m, ir: im, fields: map[string]*fieldState{}, directives: map[*ir.Index]*schema.Directive{}, dupTable: dupTable}
		c.models = append(c.models, ms)
		c.byName[m.Name.Name] = ms
		c.out.Models = append(c.out.Models, im)
	}
	for _, f := range files {
		if f == nil {
			continue
		}
		for _, m := range f.Models {
			if m != nil && m.Name != nil {
				declare(m)
			}
		}
	}
	// The join models of many-to-many relations come after the schema's
	// own, as if declared at the end of the last file.
	for _, ms := range slices.Clone(c.models) {
		c.declareJoinModels(ms.ast, declare)
	}
	for _, ms := range c.models {
		c.checkFields(ms)
	}
	// Every primary key is known before relations are resolved: a relation
	// is stored as its target's key.
	for _, ms := range c.models {
		c.checkPrimaryKey(ms)
	}
	c.findKeyCycles()
	for _, ms := range c.models {
		if ms.ir.Table != "" {
			c.indexNames[strings.ToLower(ms.ir.Table)] = nameOwner{pos: ms.ast.Name.Pos, table: ms.ir.Name}
		}
	}
	for _, ms := range c.models {
		nameKeys(ms.ir)
		c.claimKeyNames(ms)
	}
	for _, ms := range c.models {
		c.checkRelations(ms)
		c.checkDirectives(ms)
	}
	for _, ms := range c.models {
		c.resolveManyToMany(ms)
	}
	for _, ms := range c.models {
		c.checkMySQL(ms)
	}
}

func (c *checker) modelNames() []string {
	names := make([]string, len(c.models))
	for i, m := range c.models {
		names[i] = m.ast.Name.Name
	}
	return names
}

// checkFields checks each field's declaration on its own.
func (c *checker) checkFields(ms *modelState) {
	columns := map[string]*schema.Field{}
	declared := map[string]*schema.Field{} // also the fields whose type is unknown
	for _, f := range ms.ast.Fields() {
		if f == nil || f.Name == nil {
			continue
		}
		name := f.Name.Name
		for _, a := range f.Attrs {
			if a != nil && a.Name != nil && (a.Name.Name == "pk" || a.Name.Name == "primary_key") {
				ms.pkWritten = true
			}
		}
		if f.Bad {
			declared[name] = f
			continue
		}
		if prev, dup := declared[name]; dup {
			d := c.errorf(f.Name.Pos, f.Name.EndPos, schema.CodeDuplicateField, "field %q redeclared in model %q", name, ms.ir.Name)
			d.Related = []schema.Related{{Pos: prev.Name.Pos, Msg: "previous declaration"}}
			continue
		}
		declared[name] = f
		if isManyToMany(f) {
			c.checkManyToManyField(ms, f)
			continue
		}
		fs := c.checkField(ms, f)
		if fs == nil {
			continue
		}
		ms.fields[name] = fs
		if len(fs.ir.Column) > maxIdentLen {
			c.errorf(f.Name.Pos, f.Name.EndPos, schema.CodeNameTooLong, "column name %q is longer than %d bytes", fs.ir.Column, maxIdentLen)
		} else if fs.column != nil {
			c.reportSQLName(columnName, fs.ir.Column, fs.column.Value.Pos, fs.column.Value.EndPos)
		} else {
			c.reportSQLName(columnName, fs.ir.Column, f.Name.Pos, f.Name.EndPos)
		}
		// Column names are compared without regard to case, as SQLite and
		// MySQL do.
		if prev, dup := columns[strings.ToLower(fs.ir.Column)]; dup {
			d := c.errorf(f.Name.Pos, f.Name.EndPos, schema.CodeDuplicateColumn, "column %q of field %q is also the column of field %q", fs.ir.Column, name, prev.Name.Name)
			d.Related = []schema.Related{{Pos: prev.Name.Pos, Msg: "previous declaration"}}
		} else {
			columns[strings.ToLower(fs.ir.Column)] = f
		}
		ms.ir.Fields = append(ms.ir.Fields, fs.ir)
	}
}

// checkRelations resolves relation targets, now that every model is known.
func (c *checker) checkRelations(ms *modelState) {
	for _, f := range ms.ir.Fields {
		fs := ms.fields[f.Name]
		if f.Relation == nil || fs.relTo == nil {
			continue
		}
		target, ok := c.byName[f.Relation.Model]
		if !ok {
			v := fs.relTo.Value
			d := c.errorf(v.Pos, v.EndPos, schema.CodeUnknownModel, "unknown model %q in %s", f.Relation.Model, fs.ast.Type.Name.Name)
			d.Hint = c.suggestAmong(f.Relation.Model, len(c.models), c.modelNames)
			continue
		}
		if target.ir.Composite() {
			v := fs.relTo.Value
			d := c.errorf(v.Pos, v.EndPos, schema.CodeCompositeKeyRelation, "%s to model %q, whose primary key has more than one field", fs.ast.Type.Name.Name, f.Relation.Model)
			d.Related = []schema.Related{{Pos: target.ir.Pos, Msg: "model declared"}}
			d.Hint = "refer to a model with a single-field key; a ForeignKey stores one column"
			continue
		}
		if f.PrimaryKey && target != nil {
			if chain := c.pkCycles[ms]; chain != "" {
				c.errorf(fs.ast.Type.Pos, fs.ast.Type.EndPos, schema.CodeBadRelation, "primary key of model %q refers to itself: %s", ms.ir.Name, chain)
			}
		}
	}
}

// findKeyCycles finds the models whose primary key is a relation that
// leads back to the model, through the primary keys of others: such a key
// would be stored as itself and has no column type. Each model has at most
// one such successor, so one walk per model with colours is linear.
func (c *checker) findKeyCycles() {
	c.pkCycles = map[*modelState]string{}
	next := func(m *modelState) *modelState {
		if m.ir.PrimaryKey < 0 || m.ir.Composite() || m.ir.PK().Relation == nil {
			return nil
		}
		return c.byName[m.ir.PK().Relation.Model]
	}
	const (
		onPath = 1
		done   = 2
	)
	colour := map[*modelState]int{}
	for _, start := range c.models {
		var path []*modelState
		m := start
		for m != nil && colour[m] == 0 {
			colour[m] = onPath
			path = append(path, m)
			m = next(m)
		}
		if m != nil && colour[m] == onPath {
			// m starts a cycle: the rest of the path from m.
			i := slices.Index(path, m)
			cycle := path[i:]
			for j, cm := range cycle {
				c.pkCycles[cm] = cycleChain(cycle, j)
			}
		}
		for _, p := range path {
			colour[p] = done
		}
	}
}

// cycleChain names the models of cycle from the j-th round to itself: "A ->
// B -> A". A long cycle is shortened, so that messages stay small.
func cycleChain(cycle []*modelState, j int) string {
	const show = 4
	var names []string
	for k := range min(len(cycle), show) {
		names = append(names, cycle[(j+k)%len(cycle)].ir.Name)
	}
	if len(cycle) > show {
		names = append(names, fmt.Sprintf("… (%d models)", len(cycle)))
	}
	names = append(names, cycle[j].ir.Name)
	return strings.Join(names, " -> ")
}

func (c *checker) checkPrimaryKey(ms *modelState) {
	var pks []*fieldState
	for i, f := range ms.ir.Fields {
		if f.PrimaryKey {
			pks = append(pks, ms.fields[f.Name])
			if ms.ir.PrimaryKey < 0 {
				ms.ir.PrimaryKey = i
			}
		}
	}
	var decls []*schema.Directive
	for _, d := range ms.ast.Directives() {
		if d != nil && d.Name != nil && d.Name.Name == "pk" {
			decls = append(decls, d)
		}
	}
	if len(decls) > 0 {
		c.checkCompositeKey(ms, pks, decls)
		return
	}
	switch {
	case len(pks) == 0 && (ms.ast.Bad || ms.pkWritten):
		// The key may be among the members that did not parse, or its
		// field has an error of its own.
	case len(pks) == 0:
		c.errorf(ms.ast.Name.Pos, ms.ast.Name.EndPos, schema.CodeMissingPrimaryKey, "model %q has no primary key", ms.ir.Name).
			Hint = "mark one field pk, e.g. `id Integer pk`"
	case len(pks) > 1:
		for _, fs := range pks[1:] {
			d := c.errorf(fs.ast.Name.Pos, fs.ast.Name.EndPos, schema.CodeMultiplePrimaryKeys, "model %q has more than one primary key", ms.ir.Name)
			d.Related = []schema.Related{{Pos: pks[0].ast.Name.Pos, Msg: "first primary key"}}
		}
	}
}

// checkCompositeKey checks a model's pk(…) declarations: exactly one, of
// two or more of the model's own fields, none nullable and none of a type
// MySQL cannot index, and no field marked pk beside it. The key's fields
// are stored in Model.Key, and Model.PrimaryKey is the first of them.
func (c *checker) checkCompositeKey(ms *modelState, pks []*fieldState, decls []*schema.Directive) {
	first := decls[0]
	for _, d := range decls[1:] {
		diag := c.errorf(d.Name.Pos, d.Name.EndPos, schema.CodeMultiplePrimaryKeys, "model %q has more than one primary key", ms.ir.Name)
		diag.Related = []schema.Related{{Pos: first.Name.Pos, Msg: "first primary key"}}
	}
	for _, fs := range pks {
		diag := c.errorf(fs.ast.Name.Pos, fs.ast.Name.EndPos, schema.CodeMultiplePrimaryKeys, "model %q has more than one primary key: field %q is marked pk beside pk(…)", ms.ir.Name, fs.ir.Name)
		diag.Related = []schema.Related{{Pos: first.Name.Pos, Msg: "composite primary key"}}
		diag.Hint = "list every field of the key in pk(…), and mark none pk"
	}
	if first.Bad {
		return
	}
	b := c.bind(`"pk"`, signature{variadic: &param{"field", pName}}, first.Args)
	var key []int
	seen := map[string]bool{}
	ok := true
	for _, a := range b.rest {
		name := a.Value.Text
		fs, found := ms.fields[name]
		if !found {
			ok = false
			if !ms.ast.Bad {
				diag := c.errorf(a.Pos, a.EndPos, schema.CodeUnknownField, "model %q has no field %q", ms.ir.Name, name)
				diag.Hint = c.suggestAmong(name, len(ms.ir.Fields), func() []string { return fieldNames(ms) })
			}
			continue
		}
		if seen[name] {
			c.errorf(a.Pos, a.EndPos, schema.CodeDuplicateArgument, "field %q listed twice in pk", name)
			ok = false
			continue
		}
		seen[name] = true
		switch {
		case !typeOf(fs.ir.Type.Kind).key:
			c.errorf(a.Pos, a.EndPos, schema.CodeOptionNotApplicable, "field %q of type %s may not be in pk", name, fs.ast.Type.Name.Name)
			ok = false
			continue
		case fs.ir.Null:
			diag := c.errorf(a.Pos, a.EndPos, schema.CodeNullablePrimaryKey, "primary key field %q may not be null", name)
			diag.Related = []schema.Related{{Pos: fs.ast.Name.Pos, Msg: "field declared"}}
			ok = false
			continue
		}
		key = append(key, slices.Index(ms.ir.Fields, fs.ir))
	}
	if len(b.rest) < 2 && len(pks) == 0 && !slices.ContainsFunc(first.Args, func(a *schema.Arg) bool { return a.Name != nil }) {
		diag := c.errorf(first.Pos, first.EndPos, schema.CodeBadArgument, "pk needs two or more fields, found %d", len(b.rest))
		diag.Hint = "mark a single key field pk, e.g. `id Integer pk`"
		return
	}
	if !ok || len(key) < 2 || len(pks) > 0 {
		ms.pkWritten = true
		return
	}
	ms.ir.Key = key
	ms.ir.PrimaryKey = key[0]
	ms.keyDecl = first
}

// claimIndexName records the SQL name of an index or constraint, and
// reports it when another one of the schema has it already.
//
// The claimant is described, for the message only, by whatFormat with
// the argument whatArg: "the index of field %q", "title".
func (c *checker) claimIndexName(name string, pos, end schema.Pos, whatFormat, whatArg string) bool {
	key := strings.ToLower(name)
	if prev, dup := c.indexNames[key]; dup {
		like := "another index or constraint of the schema"
		switch {
		case prev.table != "":
			like = fmt.Sprintf("the table of model %q", prev.table)
		case prev.what != "":
			like = prev.what
		}
		d := c.errorf(pos, end, schema.CodeDuplicateIndex, "%s is named %q, like %s", fmt.Sprintf(whatFormat, whatArg), name, like)
		d.Related = []schema.Related{{Pos: prev.pos, Msg: "other declaration"}}
		return false
	}
	c.indexNames[key] = nameOwner{pos: pos}
	return true
}

// claimKeyNames claims the names PostgreSQL gives the primary key of a
// model's table and the sequence of an identity key. They share the
// namespace of tables and indexes: a table or index of the same name
// created later fails, and one created before makes PostgreSQL choose
// another name than the one the client reports.
func (c *checker) claimKeyNames(ms *modelState) {
	m := ms.ir
	if m.Table == "" || m.PrimaryKey < 0 || ms.dupTable {
		return
	}
	pos, end := ms.ast.Name.Pos, ms.ast.Name.EndPos
	claim := func(name, what string) {
		if c.claimIndexName(name, pos, end, "%s", what) {
			c.indexNames[strings.ToLower(name)] = nameOwner{pos: pos, what: what}
		}
	}
	claim(m.PrimaryKeyName, fmt.Sprintf("the primary key of model %q", m.Name))
	if m.SequenceName != "" {
		claim(m.SequenceName, fmt.Sprintf("the sequence of the key of model %q", m.Name))
	}
}

// checkDirectives checks model-level index and unique declarations, and
// that no two indexes or constraints of the schema have the same name.
func (c *checker) checkDirectives(ms *modelState) {
	for _, f := range ms.ir.Fields {
		fs := ms.fields[f.Name]
		pos, end := fs.ast.Name.Pos, fs.ast.Name.EndPos
		switch {
		case f.UniqueName != "":
			c.claimIndexName(f.UniqueName, pos, end, "the unique constraint of field %q", f.Name)
		case f.IndexName != "":
			c.claimIndexName(f.IndexName, pos, end, "the index of field %q", f.Name)
		}
		// MySQL keeps foreign key names in one namespace per database.
		if f.ForeignKeyName != "" {
			c.claimIndexName(f.ForeignKeyName, pos, end, "the foreign key of field %q", f.Name)
		}
		// The DDL enforces an Enum's values and a number's bounds with
		// a CHECK constraint named like the others.
		if f.CheckName != "" {
			c.claimIndexName(f.CheckName, pos, end, "the CHECK constraint of field %q", f.Name)
		}
	}
	for _, d := range ms.ast.Directives() {
		if d == nil || d.Name == nil || d.Bad {
			continue
		}
		kind := d.Name.Name
		if kind == "renamed" {
			// The model's previous name, for the migration planner.
			b := c.bind(`"renamed"`, signature{named: []param{{"from", pString}}}, d.Args)
			if v := b.get("from"); v != nil && v.Value.Text != "" {
				ms.ir.RenamedFrom = v.Value.Text
			} else if len(d.Args) == 0 || b.given("from") {
				c.errorf(d.Pos, d.EndPos, schema.CodeBadArgument, "renamed needs the model's previous name, e.g. renamed(from: \"Post\")")
			}
			continue
		}
		if kind == "pk" {
			continue // checkCompositeKey's
		}
		if kind != "index" && kind != "unique" {
			diag := c.errorf(d.Name.Pos, d.Name.EndPos, schema.CodeUnknownDirective, "unknown model declaration %q", kind)
			diag.Hint = suggest(kind, []string{"index", "pk", "renamed", "unique"})
			continue
		}
		what := fmt.Sprintf("%q", kind)
		b := c.bind(what, signature{named: []param{{"name", pString}}, variadic: &param{"field", pName}}, d.Args)
		if len(b.rest) == 0 {
			if !slices.ContainsFunc(d.Args, func(a *schema.Arg) bool { return a.Name == nil }) {
				c.errorf(d.Pos, d.EndPos, schema.CodeBadArgument, "%s needs at least one field", kind)
			}
			continue
		}
		ix := &ir.Index{Unique: kind == "unique", Pos: d.Pos}
		var cols []string
		seen := map[string]bool{}
		ok := true
		for _, a := range b.rest {
			fs, found := ms.fields[a.Value.Text]
			if !found && ms.ast.Bad {
				ok = false // the field may be among the members that did not parse
				continue
			}
			if !found {
				diag := c.errorf(a.Pos, a.EndPos, schema.CodeUnknownField, "model %q has no field %q", ms.ir.Name, a.Value.Text)
				diag.Hint = c.suggestAmong(a.Value.Text, len(ms.ir.Fields), func() []string { return fieldNames(ms) })
				ok = false
				continue
			}
			if seen[a.Value.Text] {
				c.errorf(a.Pos, a.EndPos, schema.CodeDuplicateArgument, "field %q listed twice in %s", a.Value.Text, kind)
				ok = false
				continue
			}
			seen[a.Value.Text] = true
			if !typeOf(fs.ir.Type.Kind).index {
				c.errorf(a.Pos, a.EndPos, schema.CodeOptionNotApplicable, "field %q of type %s may not be in %s: MySQL indexes no TEXT or JSON column", a.Value.Text, fs.ast.Type.Name.Name, kind)
				ok = false
				continue
			}
			ix.Fields = append(ix.Fields, fs.ir.Name)
			cols = append(cols, fs.ir.Column)
		}
		if !ok {
			continue
		}
		suffix := "idx"
		if ix.Unique {
			suffix = "key"
		}
		ix.Name = constraintName(ms.ir.Table, cols, suffix)
		pos, end := d.Pos, d.EndPos
		if a := b.get("name"); a != nil {
			if a.Value.Text == "" {
				c.errorf(a.Value.Pos, a.Value.EndPos, schema.CodeBadArgument, "the name of %s may not be empty", kind)
				continue
			}
			if p := textProblem(a.Value.Text); p != "" {
				c.errorf(a.Value.Pos, a.Value.EndPos, schema.CodeBadArgument, "the name of %s %s", kind, p)
				continue
			}
			if len(a.Value.Text) > maxIdentLen {
				c.errorf(a.Value.Pos, a.Value.EndPos, schema.CodeNameTooLong, "index name %q is longer than %d bytes", a.Value.Text, maxIdentLen)
				continue
			}
			if c.reportSQLName(indexName, a.Value.Text, a.Value.Pos, a.Value.EndPos) {
				continue
			}
			ix.Name = a.Value.Text
			pos, end = a.Value.Pos, a.Value.EndPos
		}
		if !c.claimIndexName(ix.Name, pos, end, kind+"(%s)", strings.Join(ix.Fields, ", ")) {
			continue
		}
		ms.ir.Indexes = append(ms.ir.Indexes, ix)
		ms.directives[ix] = d
	}
}

func fieldNames(ms *modelState) []string {
	var out []string
	for _, f := range ms.ir.Fields {
		out = append(out, f.Name)
	}
	sort.Strings(out)
	return out
}
