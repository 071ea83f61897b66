package compiler

import (
	"fmt"
	"slices"
	"strconv"

	"github.com/ormc/ormc/compiler/ir"
	"github.com/ormc/ormc/schema"
)

// Many-to-many relations: `tags ManyToMany(Tag)` links the rows of two
// models through the rows of a join model, which the checker declares
// (PostTagsLink, table post_tags) or the schema names with through:. A
// relation has no column of its own: the join model is an ordinary model
// (created, migrated, checked for drift), and generated code reads the
// relation through it.

// manyToMany is the type name of a many-to-many relation.
const manyToMany = "ManyToMany"

var manyToManySig = signature{
	positional: []param{{"to", pName}},
	named:      []param{{"through", pName}, {"related_name", pName}},
}

// m2mState is a many-to-many relation while it is being checked.
type m2mState struct {
	ast     *schema.Field
	ir      *ir.ManyToMany
	to      *schema.Arg // the linked model's name
	through *schema.Arg // through:'s argument, nil without one
}

// isManyToMany reports whether field f is declared a many-to-many relation.
func isManyToMany(f *schema.Field) bool {
	return f != nil && f.Type != nil && f.Type.Name != nil && f.Type.Name.Name == manyToMany
}

// checkManyToManyField checks the declaration of a many-to-many relation
// on its own and records it in ms; its models are resolved once every
// model is checked (resolveManyToMany).
func (c *checker) checkManyToManyField(ms *modelState, f *schema.Field) {
	c.checkFieldName(f)
	what := `type "ManyToMany"`
	args := c.bind(what, manyToManySig, f.Type.Args)
	st := &m2mState{ast: f, ir: &ir.ManyToMany{Name: f.Name.Name, Doc: docText(f.Doc), Pos: f.Name.Pos, End: f.Name.EndPos}}
	for _, a := range f.Attrs {
		if a == nil || a.Name == nil {
			continue
		}
		if a.Name.Name == "renamed" {
			// The relation's previous name, for the join model's: see
			// declareJoinModels.
			b := c.bind(`"renamed"`, attrs["renamed"], a.Args)
			if v := b.get("from"); v == nil || v.Value.Text == "" {
				if len(a.Args) == 0 || b.given("from") {
					c.errorf(a.Pos, a.EndPos, schema.CodeBadArgument, "renamed needs the relation's previous name, e.g. renamed(from: \"labels\")")
				}
			}
			continue
		}
		d := c.errorf(a.Name.Pos, a.Name.EndPos, schema.CodeOptionNotApplicable, "option %q does not apply to a ManyToMany relation, which has no column", a.Name.Name)
		d.Hint = "options of the join table's columns go on the fields of a model named with through:"
	}
	to := args.get("to")
	if to == nil {
		if !args.given("to") {
			c.errorf(f.Type.Pos, f.Type.EndPos, schema.CodeBadArgument, "a ManyToMany relation needs the model it links to, e.g. ManyToMany(Tag)")
		}
		return
	}
	st.to, st.ir.Model = to, to.Value.Text
	if a := args.get("through"); a != nil {
		st.through, st.ir.Through = a, a.Value.Text
	}
	if a := args.get("related_name"); a != nil {
		if !identRE.MatchString(a.Value.Text) {
			c.errorf(a.Value.Pos, a.Value.EndPos, schema.CodeBadArgument, "related_name must be an identifier, found %s", a.Value.Raw)
		} else {
			st.ir.RelatedName = a.Value.Text
		}
	}
	if j, ok := c.joins[f]; ok {
		st.ir.Through, st.ir.Source, st.ir.Target = j.model, j.source, j.target
	}
	ms.m2m = append(ms.m2m, st)
	ms.ir.ManyToMany = append(ms.ir.ManyToMany, st.ir)
}

// joinModel is the join model the checker declares for a many-to-many
// relation without through:.
type joinModel struct {
	model, source, target string
}

// declareJoinModels declares, for each many-to-many relation of model m
// without through: whose models exist, have a single-field key and so can
// be linked, its join model: as if the schema had
//
//	model PostTagsLink "post_tags" <
//	  post ForeignKey(Post, on_delete: cascade)
//	  tag  ForeignKey(Tag, on_delete: cascade) index
//	  pk(post, tag)
//	>
//
// with every position that of the relation's type, so that any problem
// with its names (a table taken, a name too long or reserved, a key too
// wide for MySQL) is reported there. Relations that cannot be linked are
// reported by resolveManyToMany.
func (c *checker) declareJoinModels(m *schema.Model, declare func(*schema.Model)) {
	seen := map[string]bool{}
	for _, f := range m.Fields() {
		if f == nil || f.Name == nil || seen[f.Name.Name] {
			continue // a field redeclared is reported as such
		}
		seen[f.Name.Name] = true
		if !isManyToMany(f) || f.Bad {
			continue
		}
		var to string
		through := false
		for _, a := range f.Type.Args {
			switch {
			case a == nil || a.Value == nil:
			case a.Name == nil && to == "":
				to = a.Value.Text
			case a.Name != nil && a.Name.Name == "through":
				through = true
			}
		}
		target, ok := c.byName[to]
		if through || !ok || hasKeyDecl(m) || hasKeyDecl(target.ast) {
			continue
		}
		source := ir.SnakeName(m.Name.Name)
		dest := ir.SnakeName(to)
		if source == dest {
			source, dest = "from_"+source, "to_"+dest
		}
		name := ir.JoinModelName(m.Name.Name, f.Name.Name)
		table := fitName(ir.SnakeName(m.Name.Name)+"_"+ir.SnakeName(f.Name.Name), "")
		if m.Table != nil && m.Table.Kind == schema.StringValue && m.Table.Text != "" {
			table = fitName(m.Table.Text+"_"+ir.SnakeName(f.Name.Name), "")
		}
		pos, end := f.Type.Pos, f.Type.EndPos
		ident := func(s string) *schema.Ident { return &schema.Ident{Pos: pos, EndPos: end, Name: s} }
		value := func(s string) *schema.Value {
			return &schema.Value{Pos: pos, EndPos: end, Kind: schema.IdentValue, Text: s, Raw: s}
		}
		arg := func(name, v string) *schema.Arg {
			a := &schema.Arg{Pos: pos, EndPos: end, Value: value(v)}
			if name != "" {
				a.Name = ident(name)
			}
			return a
		}
		relation := func(field, model string, attrs ...*schema.Attr) *schema.Field {
			return &schema.Field{Pos: pos, EndPos: end, Name: ident(field), Attrs: attrs,
				Type: &schema.TypeRef{Pos: pos, EndPos: end, Name: ident("ForeignKey"), Parens: true,
					Args: []*schema.Arg{arg("", model), arg("on_delete", "cascade")}}}
		}
		// The key (source, target) serves lookups by source; an index
		// serves those from the other side, by target.
		index := &schema.Attr{Pos: pos, EndPos: end, Name: ident("index")}
		members := []schema.Member{
			relation(source, m.Name.Name),
			relation(dest, to, index),
			&schema.Directive{Pos: pos, EndPos: end, Name: ident("pk"), Args: []*schema.Arg{arg("", source), arg("", dest)}},
		}
		// A relation renamed(from: "labels") renames its join model from
		// the one the old name gave, keeping the links: the migration
		// planner renames the table.
		if from := renamedFrom(f); from != "" {
			old := ir.JoinModelName(m.Name.Name, from)
			members = append(members, &schema.Directive{Pos: pos, EndPos: end, Name: ident("renamed"),
				Args: []*schema.Arg{{Pos: pos, EndPos: end, Name: ident("from"),
					Value: &schema.Value{Pos: pos, EndPos: end, Kind: schema.StringValue, Text: old, Raw: strconv.Quote(old)}}}})
		}
		declare(&schema.Model{Pos: pos, EndPos: end, Name: ident(name),
			Table:   &schema.Value{Pos: pos, EndPos: end, Kind: schema.StringValue, Text: table, Raw: strconv.Quote(table)},
			Members: members})
		if ms := c.byName[name]; ms != nil && ms.ast.Pos == pos {
			ms.ir.JoinFor = m.Name.Name + "." + f.Name.Name
			ms.ir.Doc = []string{fmt.Sprintf("%s holds the links of the many-to-many relation %s: a join model ormc declares.", name, ms.ir.JoinFor)}
			c.joins[f] = joinModel{model: name, source: source, target: dest}
		}
	}
}

// renamedFrom returns the from: of field f's renamed option, or "".
func renamedFrom(f *schema.Field) string {
	for _, a := range f.Attrs {
		if a == nil || a.Name == nil || a.Name.Name != "renamed" {
			continue
		}
		for _, arg := range a.Args {
			if arg != nil && arg.Name != nil && arg.Name.Name == "from" && arg.Value != nil && arg.Value.Kind == schema.StringValue {
				return arg.Value.Text
			}
		}
	}
	return ""
}

// hasKeyDecl reports whether model m declares a composite key, pk(…).
func hasKeyDecl(m *schema.Model) bool {
	return slices.ContainsFunc(m.Directives(), func(d *schema.Directive) bool {
		return d != nil && d.Name != nil && d.Name.Name == "pk"
	})
}

// resolveManyToMany resolves the models of ms's many-to-many relations,
// once every model, key and declaration is checked: the linked model, and
// the join model's two relations.
func (c *checker) resolveManyToMany(ms *modelState) {
	for _, st := range ms.m2m {
		v := st.to.Value
		target, ok := c.byName[st.ir.Model]
		if !ok {
			d := c.errorf(v.Pos, v.EndPos, schema.CodeUnknownModel, "unknown model %q in ManyToMany", st.ir.Model)
			d.Hint = c.suggestAmong(st.ir.Model, len(c.models), c.modelNames)
			continue
		}
		for _, m := range []*modelState{ms, target} {
			if m.ir.Composite() {
				d := c.errorf(v.Pos, v.EndPos, schema.CodeCompositeKeyRelation, "many-to-many relation %q of model %q links model %q, whose primary key has more than one field", st.ir.Name, ms.ir.Name, m.ir.Name)
				d.Related = []schema.Related{{Pos: m.ir.Pos, Msg: "model declared"}}
				d.Hint = "a join table refers to each row by a single-field key"
				break
			}
		}
		if st.through == nil {
			continue // its join model is the checker's (declareJoinModels)
		}
		c.resolveThrough(ms, st, target)
	}
}

// resolveThrough finds the two relations of the join model named by
// through: that link ms to target: one to each, or, when a model is
// linked to itself, the first two to it, in field order, from and to.
// Each pair of rows may be linked once: the join model's primary key or
// a unique declaration holds the two fields, so that adding a link twice
// keeps one and no filter or prefetch sees a row twice.
func (c *checker) resolveThrough(ms *modelState, st *m2mState, target *modelState) {
	a := st.through
	jm, ok := c.byName[st.ir.Through]
	if !ok {
		d := c.errorf(a.Value.Pos, a.Value.EndPos, schema.CodeUnknownModel, "unknown model %q in through", st.ir.Through)
		d.Hint = c.suggestAmong(st.ir.Through, len(c.models), c.modelNames)
		return
	}
	var toSource, toTarget []*ir.Field
	for _, f := range jm.ir.Fields {
		if f.Relation == nil {
			continue
		}
		if f.Relation.Model == ms.ir.Name {
			toSource = append(toSource, f)
		}
		if f.Relation.Model == target.ir.Name && target != ms {
			toTarget = append(toTarget, f)
		}
	}
	var src, dst *ir.Field
	switch {
	case target == ms && len(toSource) == 2:
		src, dst = toSource[0], toSource[1]
	case target != ms && len(toSource) == 1 && len(toTarget) == 1:
		src, dst = toSource[0], toTarget[0]
	default:
		msg := fmt.Sprintf("through model %q needs one relation to %q and one to %q; it has %d and %d", jm.ir.Name, ms.ir.Name, target.ir.Name, len(toSource), len(toTarget))
		if target == ms {
			msg = fmt.Sprintf("through model %q needs two relations to %q, from and to, in that order; it has %d", jm.ir.Name, ms.ir.Name, len(toSource))
		}
		d := c.errorf(a.Value.Pos, a.Value.EndPos, schema.CodeBadRelation, "%s", msg)
		d.Related = []schema.Related{{Pos: jm.ir.Pos, Msg: "model declared"}}
		return
	}
	if !pairUnique(jm.ir, src, dst) {
		d := c.errorf(a.Value.Pos, a.Value.EndPos, schema.CodeBadRelation, "through model %q may hold the same pair of %s and %s twice", jm.ir.Name, src.Name, dst.Name)
		d.Related = []schema.Related{{Pos: jm.ir.Pos, Msg: "model declared"}}
		d.Hint = fmt.Sprintf("declare pk(%s, %s) or unique(%s, %s) in model %s", src.Name, dst.Name, src.Name, dst.Name, jm.ir.Name)
		return
	}
	st.ir.Source, st.ir.Target = src.Name, dst.Name
}

// pairUnique reports whether m's primary key or one of its unique
// declarations is exactly the fields a and b, in either order.
func pairUnique(m *ir.Model, a, b *ir.Field) bool {
	pair := func(names []string) bool {
		return len(names) == 2 && (names[0] == a.Name && names[1] == b.Name || names[0] == b.Name && names[1] == a.Name)
	}
	var key []string
	for _, f := range m.KeyFields() {
		key = append(key, f.Name)
	}
	if m.Composite() && pair(key) {
		return true
	}
	for _, ix := range m.Indexes {
		if ix.Unique && pair(ix.Fields) {
			return true
		}
	}
	return false
}
