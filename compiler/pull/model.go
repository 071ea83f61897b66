package pull

// From tables to models: keys, relations, constraints and indexes, with a
// note for everything the language cannot say.

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/ormc/ormc/compiler/ir"
	"github.com/ormc/ormc/runtime/dialect"
	"github.com/ormc/ormc/runtime/inspect"
	"github.com/ormc/ormc/schema"
)

// findingCodes are the warning codes of the inspector's findings.
var findingCodes = map[inspect.Code]schema.Code{
	inspect.CodeView:                schema.CodeView,
	inspect.CodeTrigger:             schema.CodeTrigger,
	inspect.CodeGeneratedColumn:     schema.CodeGeneratedColumn,
	inspect.CodePartialIndex:        schema.CodePartialIndex,
	inspect.CodeExpressionIndex:     schema.CodeExpressionIndex,
	inspect.CodeUnknownType:         schema.CodeUnsupportedType,
	inspect.CodeExclusionConstraint: schema.CodeExclusionConstraint,
	inspect.CodeNoPrimaryKey:        schema.CodeNoPrimaryKey,
	inspect.CodeCompositeForeignKey: schema.CodeCompositeForeignKey,
	inspect.CodeTableOption:         schema.CodeTableOption,
	inspect.CodeSequence:            schema.CodeSequence,
}

type puller struct {
	s      *inspect.Schema
	rules  pullRules
	models map[string]*modelDecl // by table
	order  []*modelDecl
	top    []note // notes about no table: views, sequences
	// found holds the objects the inspector reported, by table, code and
	// object, so that pull does not report them twice.
	found map[[3]string]bool
}

func newPuller(s *inspect.Schema) (*puller, error) {
	r, ok := byDialect[s.Dialect]
	if !ok {
		return nil, fmt.Errorf("ormc pull: no rules for dialect %q", s.Dialect)
	}
	p := &puller{s: s, rules: r, models: map[string]*modelDecl{}, found: map[[3]string]bool{}}
	taken := map[string]bool{}
	for _, t := range s.Tables {
		doc, name := fromTableComment(t.Comment)
		commented := name != ""
		if !commented {
			name = modelName(t.Name)
		}
		m := &modelDecl{table: t, name: freeName(name, taken), doc: doc, commented: commented}
		if ir.SnakeName(m.name) != t.Name {
			m.tableName = t.Name
		}
		p.models[t.Name] = m
		p.order = append(p.order, m)
	}
	for _, f := range s.Unsupported {
		code, ok := findingCodes[f.Code]
		if !ok {
			code = schema.CodeTableOption // a finding of a code pull does not know yet
		}
		p.found[[3]string{f.Table, string(code), f.Object}] = true
		n := note{code, findingMsg(f)}
		if m := p.models[f.Table]; m != nil {
			m.notes = append(m.notes, n)
		} else {
			p.top = append(p.top, n)
		}
	}
	for _, m := range p.order {
		if m.table.PrimaryKey == nil || len(m.table.PrimaryKey.Columns) == 0 {
			m.left = true
			p.report(m, nil, schema.CodeNoPrimaryKey, m.table.Name,
				fmt.Sprintf("table %q has no primary key, which a model needs; it is left out", m.table.Name))
		}
	}
	for _, m := range p.order {
		if !m.left {
			p.model(m)
		}
	}
	p.findLinks()
	return p, nil
}

// findingMsg is the warning of an inspector's finding.
func findingMsg(f inspect.Finding) string {
	what := map[inspect.Code]string{
		inspect.CodeView:                "view %q",
		inspect.CodeTrigger:             "trigger %q",
		inspect.CodeGeneratedColumn:     "generated column %q",
		inspect.CodePartialIndex:        "partial index %q",
		inspect.CodeExpressionIndex:     "expression index %q",
		inspect.CodeUnknownType:         "column %q of a type ormc has none for",
		inspect.CodeExclusionConstraint: "exclusion constraint %q",
		inspect.CodeNoPrimaryKey:        "table %q without a primary key",
		inspect.CodeCompositeForeignKey: "foreign key %q over several columns",
		inspect.CodeTableOption:         "option of %q",
		inspect.CodeSequence:            "sequence %q",
	}[f.Code]
	if what == "" {
		what = string(f.Code) + " %q"
	}
	msg := fmt.Sprintf(what, f.Object)
	if f.Table != "" && f.Code != inspect.CodeNoPrimaryKey {
		msg += fmt.Sprintf(" of table %q", f.Table)
	}
	msg += " is not in the schema"
	if f.Detail != "" {
		msg += ": " + f.Detail
	}
	return msg
}

// report adds a note to m, or to f when f is not nil, unless the
// inspector reported the object already.
func (p *puller) report(m *modelDecl, f *fieldDecl, code schema.Code, object, msg string) {
	if p.found[[3]string{m.table.Name, string(code), object}] {
		return
	}
	p.found[[3]string{m.table.Name, string(code), object}] = true
	if f != nil {
		f.notes = append(f.notes, note{code, msg})
	} else {
		m.notes = append(m.notes, note{code, msg})
	}
}

// freeName returns name, or name with a number after it, not yet in
// taken (compared without regard to case, as tables and Go files are),
// and takes it.
func freeName(name string, taken map[string]bool) string {
	n := name
	for i := 2; taken[strings.ToLower(n)]; i++ {
		n = name + strconv.Itoa(i)
	}
	taken[strings.ToLower(n)] = true
	return n
}

// model fills in m's fields and declarations.
func (p *puller) model(m *modelDecl) {
	t := m.table
	pkCols := t.PrimaryKey.Columns

	// Every constraint and index, by the column it is on alone.
	uniq := map[string]string{} // column → constraint name
	index := map[string]string{}
	for _, u := range t.Uniques {
		if len(pkCols) > 1 && slices.Equal(u.Columns, pkCols) {
			continue // the composite key's own index (SQLite's sqlite_autoindex_…)
		}
		if len(u.Columns) == 1 && uniq[u.Columns[0]] == "" && !(len(pkCols) == 1 && pkCols[0] == u.Columns[0]) {
			uniq[u.Columns[0]] = u.Name
			continue
		}
		m.dirs = append(m.dirs, &dirDecl{unique: true, fields: u.Columns, dbName: u.Name})
	}
	fks := map[string]*inspect.ForeignKey{}
	for _, fk := range t.ForeignKeys {
		if len(fk.Columns) != 1 {
			p.report(m, nil, schema.CodeCompositeForeignKey, fk.Name,
				fmt.Sprintf("foreign key %q over (%s) is left out: a relation is one column", fk.Name, strings.Join(fk.Columns, ", ")))
			continue
		}
		fks[fk.Columns[0]] = fk
	}
	for _, ix := range t.Indexes {
		switch {
		case ix.Where != "":
			p.report(m, nil, schema.CodePartialIndex, ix.Name, fmt.Sprintf("partial index %q is left out: %s", ix.Name, ix.Definition))
			continue
		case ix.Expressions || slices.Contains(ix.Columns, ""):
			p.report(m, nil, schema.CodeExpressionIndex, ix.Name, fmt.Sprintf("expression index %q is left out: %s", ix.Name, ix.Definition))
			continue
		case len(ix.Columns) == 1 && fks[ix.Columns[0]] != nil && fks[ix.Columns[0]].Name == ix.Name:
			continue // the index MySQL makes for a foreign key
		case ix.Unique && len(pkCols) > 1 && slices.Equal(ix.Columns, pkCols):
			continue // the composite key's own index
		}
		if len(ix.Columns) == 1 {
			c := ix.Columns[0]
			if ix.Unique && uniq[c] == "" && !(len(pkCols) == 1 && pkCols[0] == c) {
				uniq[c] = ix.Name
				continue
			}
			if !ix.Unique && index[c] == "" {
				index[c] = ix.Name
				continue
			}
		}
		m.dirs = append(m.dirs, &dirDecl{unique: ix.Unique, fields: ix.Columns, dbName: ix.Name})
	}
	checks := map[string][]*checkRule{}
	checkNames := map[string]string{}
	keyRange := false
	for _, ck := range t.Checks {
		if ck.Name == dialect.KeyRangeCheck {
			keyRange = true
			continue
		}
		r, err := parseCheck(ck.Expr, p.rules.backslash)
		if err != nil || t.Column(r.Column) == nil {
			if isJSONValid(ck.Expr) {
				continue // MariaDB's own CHECK of a JSON column
			}
			p.report(m, nil, schema.CodeCheckConstraint, ck.Name, fmt.Sprintf("CHECK %q is left out: %s", ck.Name, oneLine(ck.Expr)))
			continue
		}
		checks[r.Column] = append(checks[r.Column], r)
		if checkNames[r.Column] == "" {
			checkNames[r.Column] = ck.Name
		}
	}
	if len(pkCols) > 1 {
		m.dirs = append([]*dirDecl{{key: true, fields: pkCols}}, m.dirs...)
	}

	// Field names: a relation's after its column without "_id", every
	// other the column's; each once.
	taken := map[string]bool{}
	names := map[string]string{} // column → field
	docs := map[string][]string{}
	decls := map[string]*schema.Field{}
	for _, c := range t.Columns {
		docs[c.Name], decls[c.Name] = fromComment(c.Comment)
		switch d := decls[c.Name]; {
		case d != nil && validField(d.Name.Name):
			names[c.Name] = d.Name.Name // as the schema that made it had it
		case fks[c.Name] != nil:
			names[c.Name] = relationName(c.Name)
		default:
			names[c.Name] = fieldName(c.Name)
		}
	}
	for _, c := range t.Columns { // plain names first, so relations give way
		if fks[c.Name] == nil {
			names[c.Name] = freeName(names[c.Name], taken)
		}
	}
	for _, c := range t.Columns {
		if fks[c.Name] != nil {
			if taken[strings.ToLower(names[c.Name])] {
				names[c.Name] = fieldName(c.Name)
			}
			names[c.Name] = freeName(names[c.Name], taken)
		}
	}
	for _, d := range m.dirs {
		fs := make([]string, len(d.fields))
		for i, c := range d.fields {
			fs[i] = names[c]
		}
		d.fields = fs
	}

	for _, c := range t.Columns {
		f := &fieldDecl{col: c, name: names[c.Name]}
		if f.name != c.Name {
			f.column = c.Name
		}
		f.doc, f.decl = docs[c.Name], decls[c.Name]
		f.indexed = uniq[c.Name] != "" || index[c.Name] != "" || slices.ContainsFunc(m.dirs, func(d *dirDecl) bool {
			return slices.Contains(d.fields, names[c.Name])
		})
		m.fields = append(m.fields, f)
		p.field(m, f, c, pkCols, fks[c.Name], uniq[c.Name], index[c.Name], checks[c.Name], checkNames[c.Name], keyRange)
	}
	if len(pkCols) > 1 {
		// A composite key is pk(a, b); a column of it that the model
		// leaves out leaves the table out.
		for _, c := range pkCols {
			if f := m.fieldOf(c); f == nil || f.left {
				m.left = true
				p.report(m, nil, schema.CodeCompositePrimaryKey, t.PrimaryKey.Name,
					fmt.Sprintf("the primary key of %q is (%s), and its column %q is not in the model; the table is left out", t.Name, strings.Join(pkCols, ", "), c))
				break
			}
		}
	}
	p.relatedNames(m)
}

func (m *modelDecl) fieldOf(column string) *fieldDecl {
	for _, f := range m.fields {
		if f.col.Name == column {
			return f
		}
	}
	return nil
}

// field fills in f, the field of column c.
func (p *puller) field(m *modelDecl, f *fieldDecl, c *inspect.Column, pkCols []string, fk *inspect.ForeignKey,
	uniqName, indexName string, checks []*checkRule, checkName string, keyRange bool) {
	t := m.table
	if c.Generated != "" {
		f.left = true
		p.report(m, f, schema.CodeGeneratedColumn, c.Name, fmt.Sprintf("generated column %q is left out: it is computed as %s", c.Name, oneLine(c.Generated)))
		return
	}
	ct, ok := p.rules.mapType(c)
	if !ok {
		f.left = true
		msg := fmt.Sprintf("column %q is left out: ormc has no type for %s", c.Name, c.DBType)
		if !c.Nullable && c.Default == nil {
			msg += "; it is NOT NULL without a default, so rows cannot be created through the client"
		}
		p.report(m, f, schema.CodeUnsupportedType, c.Name, msg)
		return
	}
	single := len(pkCols) == 1
	isKey := single && pkCols[0] == c.Name
	// A column of a composite key is NOT NULL in the model, as in
	// PostgreSQL and MySQL (SQLite lets one be NULL).
	inKey := slices.Contains(pkCols, c.Name)
	// A key with a default is not drawn by the database, even where it is
	// SQLite's rowid.
	auto := c.AutoIncrement && c.Default == nil
	if ct.kind == ir.Text && c.Default != nil && c.Default.Kind == inspect.DefaultExpression && isUUIDExpr(c.Default.Value) {
		ct.kind = ir.UUID // text filled with new UUIDs: ormc's UUID where it is TEXT (SQLite)
	}
	if ct.kind == ir.Text && (isKey || f.indexed) {
		ct = colType{kind: ir.String, args: []string{"255"},
			approx: fmt.Sprintf("%s may not be a key or indexed in ormc; read as String(255)", c.DBType)}
	}
	ct = commentType(f.decl, ct)
	if ct.approx != "" {
		p.report(m, f, schema.CodeApproximateType, c.Name, fmt.Sprintf("column %q: %s", c.Name, ct.approx))
	}
	if isKey && p.rules.wideInteger && ct.kind == ir.Integer && auto && !keyRange {
		ct.kind = ir.BigInteger // SQLite's rowid, without ormc's Integer range
	}
	f.kind = ct.kind
	args := ct.args

	// A relation: one column referring to the key of a model.
	fkObject := ""
	if fk != nil {
		fkObject = fk.Name
		if fkObject == "" {
			fkObject = "foreign key of " + c.Name // SQLite's unnamed ones
		}
		target := p.models[fk.RefTable]
		switch {
		case target == nil || target.left:
			p.report(m, f, schema.CodeForeignKeyTarget, fkObject,
				fmt.Sprintf("foreign key %s is left out: table %q is not a model of the schema", fkText(fk), fk.RefTable))
			fk = nil
		case len(fk.RefColumns) != 1 || len(target.table.PrimaryKey.Columns) != 1 || target.table.PrimaryKey.Columns[0] != fk.RefColumns[0]:
			p.report(m, f, schema.CodeForeignKeyTarget, fkObject,
				fmt.Sprintf("foreign key %s is left out: it refers to %s (%s), which is not the key of a model; a relation refers to a key", fkText(fk), fk.RefTable, strings.Join(fk.RefColumns, ", ")))
			fk = nil
		}
	}
	if fk != nil {
		target := p.models[fk.RefTable]
		kind, typ := ir.ForeignKey, "ForeignKey"
		if uniqName != "" || isKey && single {
			kind, typ = ir.OneToOne, "OneToOne"
		}
		f.kind = kind
		args = []string{target.name}
		switch fk.OnDelete {
		case inspect.Cascade:
			args = append(args, "on_delete: cascade")
		case inspect.SetNull:
			args = append(args, "on_delete: set_null")
		case inspect.Restrict:
		default:
			p.report(m, f, schema.CodeReferentialAction, fkObject,
				fmt.Sprintf("foreign key %s is ON DELETE %s, read as restrict", fkText(fk), fk.OnDelete))
		}
		if fk.OnUpdate != "" && fk.OnUpdate != inspect.NoAction && fk.OnUpdate != inspect.Restrict {
			p.report(m, f, schema.CodeReferentialAction, fkObject+" on update",
				fmt.Sprintf("foreign key %s is ON UPDATE %s, which ormc does not declare", fkText(fk), fk.OnUpdate))
		}
		f.fkName = fk.Name
		typ += "(" + strings.Join(args, ", ")
		f.typ = typ // closed by relatedNames
		if kind == ir.OneToOne {
			uniqName = ""
		}
	} else {
		bargs := p.bounds(m, f, ct.kind, checks)
		args = append(args, bargs...)
		if f.kind == ir.Enum && ct.kind != ir.Enum || len(bargs) > 0 {
			f.checkName = checkName
		}
		if f.kind == ir.Integer && p.rules.wideInteger && !fitsInt32(c.Default, bargs) {
			f.kind = ir.BigInteger // INTEGER holds 64 bits, and this one needs them
		}
		if f.kind == ir.Enum && ct.kind != ir.Enum { // values from a CHECK
			args = f.enumArgs(checks)
		}
		f.typ = f.kind.TypeName()
		if len(args) > 0 {
			f.typ += "(" + strings.Join(args, ", ") + ")"
		}
	}
	if fk != nil && len(checks) > 0 {
		p.report(m, f, schema.CodeCheckConstraint, checkName, fmt.Sprintf("CHECK %q on relation %q is left out", checkName, f.name))
	}

	if isKey {
		f.attrs = append(f.attrs, "pk")
		if (f.kind == ir.Integer || f.kind == ir.BigInteger) && !auto && c.Default == nil {
			p.report(m, f, schema.CodeKeyNotGenerated, c.Name,
				fmt.Sprintf("key %q is not assigned by the database, but ormc has the database assign an Integer key; create rows with explicit keys", c.Name))
		}
	} else if c.Nullable && !inKey {
		f.attrs = append(f.attrs, "null")
	}
	if c.Default != nil && !(isKey && auto) {
		attr, ok := defaultAttr(c.Default, f.kind)
		switch {
		case fk != nil:
			ok = false
		case ok:
			f.attrs = append(f.attrs, attr)
			if attr == `default("")` {
				f.attrs = append(f.attrs, "blank") // a blank default allows blank values
			}
		}
		if !ok {
			p.report(m, f, schema.CodeColumnDefault, c.Name, fmt.Sprintf("the default of %q is left out: %s", c.Name, oneLine(c.Default.Raw)))
		}
	}
	for _, a := range commentAttrs(f.decl) {
		if a == "auto_now" || a == "auto_now_add" {
			f.attrs = slices.DeleteFunc(f.attrs, func(s string) bool { return s == "default(now)" })
		}
		if !slices.Contains(f.attrs, a) {
			f.attrs = append(f.attrs, a)
		}
	}
	if c.AutoIncrement && !isKey {
		p.report(m, f, schema.CodeColumnDefault, c.Name, fmt.Sprintf("column %q is filled in by the database, which ormc does only for a key", c.Name))
	}
	if c.Collation != "" {
		p.report(m, f, schema.CodeCollation, c.Name, fmt.Sprintf("column %q has collation %s, which ormc does not declare", c.Name, c.Collation))
	}
	if uniqName != "" && !(isKey && single) {
		f.hasUnq, f.unique = true, uniqName
	}
	if indexName != "" && !(isKey && single) {
		f.hasIdx, f.index = true, indexName
	}
	if m.table.Collation != "" && p.rules.collation != "" && m.table.Collation != p.rules.collation {
		p.report(m, nil, schema.CodeCollation, "",
			fmt.Sprintf("table %q has collation %s; ormc creates tables with %s, so comparisons and order may differ", t.Name, m.table.Collation, p.rules.collation))
	}
}

// bounds turns the CHECKs of a column of kind k into type arguments:
// an Enum's values, or minimum and maximum.
func (p *puller) bounds(m *modelDecl, f *fieldDecl, k ir.Kind, checks []*checkRule) []string {
	var args []string
	for _, r := range checks {
		switch {
		case r.Values != nil && (k == ir.String || k == ir.Text) && r.Min == "" && r.Max == "":
			if len(r.Values) == 0 || slices.Contains(r.Values, "") {
				return nil
			}
			f.kind = ir.Enum
			n := 1
			for _, v := range r.Values {
				n = max(n, len([]rune(v)))
			}
			if f.col.Type.Length != n && k == ir.String {
				p.report(m, f, schema.CodeApproximateType, f.col.Name,
					fmt.Sprintf("column %q: %s with a CHECK of its values is an Enum, which ormc stores as VARCHAR(%d)", f.col.Name, f.col.DBType, n))
			}
		case r.Values == nil && (k == ir.Integer || k == ir.BigInteger || k == ir.Float || k == ir.Decimal):
			if r.Min != "" {
				if r.MinEx {
					args = append(args, "exclusive_minimum: "+r.Min)
				} else {
					args = append(args, "minimum: "+r.Min)
				}
			}
			if r.Max != "" {
				if r.MaxEx {
					args = append(args, "exclusive_maximum: "+r.Max)
				} else {
					args = append(args, "maximum: "+r.Max)
				}
			}
		default:
			p.report(m, f, schema.CodeCheckConstraint, f.col.Name+" check",
				fmt.Sprintf("a CHECK on %q is left out: ormc states values only on text and bounds only on numbers", f.col.Name))
		}
	}
	return args
}

// enumArgs are the values of the Enum a CHECK made of a text column.
func (f *fieldDecl) enumArgs(checks []*checkRule) []string {
	for _, r := range checks {
		if r.Values != nil {
			args := make([]string, len(r.Values))
			for i, v := range r.Values {
				args[i] = strconv.Quote(v)
			}
			return args
		}
	}
	return nil
}

// relatedNames closes each relation's type, with a related_name where
// the model has several relations to one model.
func (p *puller) relatedNames(m *modelDecl) {
	count := map[string]int{}
	for _, f := range m.fields {
		if f.kind.IsRelation() && !f.left {
			count[p.targetOf(f)]++
		}
	}
	for _, f := range m.fields {
		if !f.kind.IsRelation() || f.left {
			continue
		}
		switch rn := commentArg(f.decl, "related_name"); {
		case rn != "":
			f.typ += ", related_name: " + rn
		case f.decl != nil:
			// as the schema that made it had it: no related_name
		case count[p.targetOf(f)] > 1:
			f.typ += ", related_name: " + ir.SnakeName(m.name) + "_by_" + f.name
		}
		f.typ += ")"
	}
}

// targetOf returns the model a relation field refers to.
func (p *puller) targetOf(f *fieldDecl) string {
	name, _, _ := strings.Cut(strings.TrimPrefix(strings.TrimPrefix(f.typ, "ForeignKey("), "OneToOne("), ",")
	return name
}

// fkText names a foreign key in a message: by its name, or by its column
// where it has none.
func fkText(fk *inspect.ForeignKey) string {
	if fk.Name != "" {
		return strconv.Quote(fk.Name)
	}
	return "on " + strconv.Quote(fk.Columns[0])
}

func isJSONValid(expr string) bool {
	return strings.HasPrefix(strings.ToLower(strings.TrimLeft(expr, "( ")), "json_valid(")
}

// oneLine puts text from the database on one line, for a comment.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// fitsInt32 reports whether a column's literal default and bounds are
// all within an Integer's 32 bits.
func fitsInt32(d *inspect.Default, bounds []string) bool {
	vals := slices.Clone(bounds)
	if d != nil && d.Kind == inspect.DefaultLiteral {
		vals = append(vals, d.Value)
	}
	for _, v := range vals {
		if i := strings.LastIndex(v, " "); i >= 0 {
			v = v[i+1:]
		}
		n, err := strconv.ParseInt(v, 10, 64)
		if err == nil && (n < math.MinInt32 || n > math.MaxInt32) {
			return false
		}
	}
	return true
}
