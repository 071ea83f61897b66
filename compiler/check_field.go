package compiler

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/ormc/ormc/compiler/ir"
	"github.com/ormc/ormc/schema"
)

// identRE matches the names a related_name may take: it becomes part of a
// Go method name.
var identRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// boundParam holds the parameters that some types take and others do not,
// so that using one on the wrong type says so rather than "no parameter".
var boundParam = map[string]bool{}

// optionWhat names each option for messages: `option "pk"`.
var optionWhat = map[string]string{}

func init() {
	for name := range attrs {
		optionWhat[name] = fmt.Sprintf("option %q", name)
	}
	for _, ps := range [][]param{lengthParams, numberParams, relParams, {{"max_digits", pInt}, {"decimal_places", pInt}}} {
		for _, p := range ps {
			boundParam[p.name] = true
		}
	}
}

func typeNames() []string {
	var out []string
	for n := range types {
		out = append(out, n)
	}
	sort.Strings(out) // ties in suggest go to the first: keep hints stable
	return out
}

// checkField checks one field declaration and returns its IR, or nil when
// the type is unknown.
func (c *checker) checkField(ms *modelState, f *schema.Field) *fieldState {
	name := f.Name.Name
	c.checkFieldName(f)
	if f.Type == nil || f.Type.Name == nil {
		return nil
	}
	ti, ok := types[f.Type.Name.Name]
	if !ok {
		d := c.errorf(f.Type.Name.Pos, f.Type.Name.EndPos, schema.CodeUnknownType, "unknown type %q", f.Type.Name.Name)
		d.Hint = typeHint(f.Type)
		if _, isModel := c.byName[f.Type.Name.Name]; isModel {
			d.Hint = fmt.Sprintf("to refer to model %q, write ForeignKey(%s)", f.Type.Name.Name, f.Type.Name.Name)
		}
		return nil
	}
	fs := &fieldState{ast: f, ir: &ir.Field{Name: name, Column: name, Doc: docText(f.Doc), Pos: f.Name.Pos, End: f.Name.EndPos, Type: ir.Type{Kind: ti.kind}}}
	what := ti.what
	args := c.bind(what, ti.sig, f.Type.Args)
	c.typeParams(fs, what, args)
	c.attributes(ms, fs)
	c.checkDefault(fs)
	return fs
}

// checkFieldName reports a field name that lookups could not tell apart.
func (c *checker) checkFieldName(f *schema.Field) {
	name := f.Name.Name
	if strings.Contains(name, "__") {
		c.errorf(f.Name.Pos, f.Name.EndPos, schema.CodeBadFieldName, "field name %q may not contain \"__\", which separates lookup segments", name)
	}
	if name == "pk" {
		c.errorf(f.Name.Pos, f.Name.EndPos, schema.CodeBadFieldName, "field name \"pk\" is reserved: it always means the primary key")
	}
}

// typeParams fills the type and the bounds from the type's arguments.
func (c *checker) typeParams(fs *fieldState, what string, args boundArgs) {
	f, t := fs.ir, &fs.ir.Type
	tr := fs.ast.Type
	switch t.Kind {
	case ir.String, ir.Email, ir.URL:
		n, ok := intArg(args.get("max_length"))
		if !ok && args.given("max_length") {
			break
		} else if !ok {
			c.errorf(tr.Pos, tr.EndPos, schema.CodeMissingMaxLength, "%s needs a max_length, e.g. %s(100)", what, tr.Name.Name)
		} else if n < 1 {
			a := args.get("max_length")
			c.errorf(a.Pos, a.EndPos, schema.CodeBadArgument, "max_length must be at least 1, found %d", n)
		} else if n > mysqlMaxVarchar {
			a := args.get("max_length")
			c.errorf(a.Pos, a.EndPos, schema.CodeMySQLLimit, "max_length %d is more than MySQL's VARCHAR holds in utf8mb4, %d characters", n, mysqlMaxVarchar).
				Hint = fmt.Sprintf("use Text(max_length: %d)", n)
		} else {
			t.MaxLength = n
		}
	case ir.Decimal:
		digits, ok1 := intArg(args.get("max_digits"))
		places, ok2 := intArg(args.get("decimal_places"))
		switch {
		case args.given("max_digits") && !ok1, args.given("decimal_places") && !ok2:
			// already reported
		case !ok1 || !ok2:
			c.errorf(tr.Pos, tr.EndPos, schema.CodeMissingPrecision, "%s needs max_digits and decimal_places, e.g. Decimal(10, 2)", what)
		case digits < 1 || digits > 65:
			a := args.get("max_digits")
			c.errorf(a.Pos, a.EndPos, schema.CodeBadArgument, "max_digits must be between 1 and 65, found %d", digits)
		case places < 0 || places > digits || places > 30:
			a := args.get("decimal_places")
			c.errorf(a.Pos, a.EndPos, schema.CodeBadArgument, "decimal_places must be between 0 and min(max_digits, 30), found %d", places)
		default:
			t.MaxDigits, t.DecimalPlaces = digits, places
		}
	case ir.Enum:
		if len(args.rest) == 0 {
			c.errorf(tr.Pos, tr.EndPos, schema.CodeBadArgument, "%s needs at least one value", what)
		}
		seen := map[string]bool{}
		for _, a := range args.rest {
			v := a.Value.Text
			switch {
			case v == "":
				c.errorf(a.Pos, a.EndPos, schema.CodeBadArgument, "enum value may not be empty")
			case textProblem(v) != "":
				c.errorf(a.Pos, a.EndPos, schema.CodeBadArgument, "enum value %s", textProblem(v))
			case seen[v]:
				c.errorf(a.Pos, a.EndPos, schema.CodeDuplicateArgument, "enum value %q listed twice", v)
			default:
				seen[v] = true
				t.Values = append(t.Values, v)
			}
		}
	case ir.ForeignKey, ir.OneToOne:
		to := args.get("to")
		if to == nil && args.given("to") {
			break
		} else if to == nil {
			c.errorf(tr.Pos, tr.EndPos, schema.CodeBadArgument, "%s needs the model it refers to, e.g. %s(Album)", what, tr.Name.Name)
			break
		}
		f.Relation = &ir.Relation{Model: to.Value.Text, OnDelete: ir.Restrict}
		fs.relTo = to
		if a := args.get("on_delete"); a != nil {
			fs.onDelete = a
			switch od := ir.OnDelete(a.Value.Text); od {
			case ir.Cascade, ir.Restrict, ir.SetNull:
				f.Relation.OnDelete = od
			default:
				d := c.errorf(a.Value.Pos, a.Value.EndPos, schema.CodeBadArgument, "on_delete must be cascade, restrict or set_null, found %s", a.Value.Raw)
				d.Hint = suggest(a.Value.Text, []string{"cascade", "restrict", "set_null"})
			}
		}
		if a := args.get("related_name"); a != nil {
			if !identRE.MatchString(a.Value.Text) {
				c.errorf(a.Value.Pos, a.Value.EndPos, schema.CodeBadArgument, "related_name must be an identifier, found %s", a.Value.Raw)
			} else {
				f.Relation.RelatedName = a.Value.Text
			}
		}
		if t.Kind == ir.OneToOne {
			f.Unique = true
		}
	}
	c.lengthBounds(fs, args)
	c.numberBounds(fs, args)
}

// attrs says which attributes exist and what they take.
var attrs = map[string]signature{
	"pk": {}, "primary_key": {}, "null": {}, "blank": {}, "unique": {}, "index": {},
	"auto_now": {}, "auto_now_add": {},
	"default": {positional: []param{{"value", pAny}}},
	"column":  {positional: []param{{"name", pString}}},
	"renamed": {named: []param{{"from", pString}}},
	// renamed_value may be given once per renamed value.
	"renamed_value": {named: []param{{"from", pString}, {"to", pString}}},
}

func attrNames() []string {
	var out []string
	for n := range attrs {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

func (c *checker) attributes(ms *modelState, fs *fieldState) {
	f := fs.ir
	kind := f.Type.Kind
	seen := &fs.attrs
	for _, a := range fs.ast.Attrs {
		if a == nil || a.Name == nil {
			continue
		}
		name := a.Name.Name
		if name == "primary_key" {
			name = "pk"
		}
		sig, ok := attrs[name]
		if !ok {
			d := c.errorf(a.Name.Pos, a.Name.EndPos, schema.CodeUnknownOption, "unknown option %q", a.Name.Name)
			d.Hint = optionHint(a.Name.Name)
			continue
		}
		if prev := seen.get(name); prev != nil && name != "renamed_value" {
			d := c.errorf(a.Name.Pos, a.Name.EndPos, schema.CodeDuplicateOption, "option %q given twice", name)
			d.Related = []schema.Related{{Pos: prev.Pos, Msg: "previous"}}
			continue
		}
		seen.add(name, a)
		what := optionWhat[name]
		var args boundArgs
		if len(sig.positional) == 0 && len(sig.named) == 0 && (a.Parens || len(a.Args) > 0) {
			// The option is still applied: leaving it out would give
			// errors of its own, such as "has no primary key".
			c.errorf(a.Name.Pos, a.Name.EndPos, schema.CodeBadArgument, "%s takes no arguments", what)
		} else {
			args = c.bind(what, sig, a.Args)
		}
		notFor := func() {
			c.errorf(a.Name.Pos, a.Name.EndPos, schema.CodeOptionNotApplicable, "option %q does not apply to type %s", name, fs.ast.Type.Name.Name)
		}
		switch name {
		case "pk":
			if !typeOf(kind).key {
				notFor()
				break
			}
			f.PrimaryKey = true
			f.AutoIncrement = kind == ir.Integer || kind == ir.BigInteger
		case "null":
			f.Null = true
		case "blank":
			if !kind.IsString() {
				notFor()
			}
			f.Blank = true
		case "unique":
			if !typeOf(kind).index {
				notFor() // MySQL indexes no TEXT or JSON column
			}
			f.Unique = true
		case "index":
			if !typeOf(kind).index {
				notFor()
			}
			f.Index = true
		case "auto_now", "auto_now_add":
			if kind != ir.Date && kind != ir.DateTime {
				notFor()
				break
			}
			f.AutoNow = f.AutoNow || name == "auto_now"
			f.AutoNowAdd = f.AutoNowAdd || name == "auto_now_add"
		case "column":
			if v := args.get("name"); v != nil {
				if v.Value.Text == "" {
					c.errorf(v.Pos, v.EndPos, schema.CodeBadArgument, "column name may not be empty")
				} else if p := textProblem(v.Value.Text); p != "" {
					c.errorf(v.Pos, v.EndPos, schema.CodeBadArgument, "column name %s", p)
				} else {
					f.Column = v.Value.Text
					fs.column = v
				}
			} else if !args.given("name") {
				c.errorf(a.Pos, a.EndPos, schema.CodeBadArgument, "option \"column\" needs a name, e.g. column(\"text\")")
			}
		case "renamed":
			if v := args.get("from"); v != nil && v.Value.Text != "" {
				f.RenamedFrom = v.Value.Text
			} else if len(a.Args) == 0 || args.given("from") {
				c.errorf(a.Pos, a.EndPos, schema.CodeBadArgument, "option \"renamed\" needs the field's previous name, e.g. renamed(from: \"title\")")
			}
		case "renamed_value":
			if kind != ir.Enum {
				notFor()
				break
			}
			c.renamedValue(f, a, args)
		case "default":
			if v := args.get("value"); v != nil {
				fs.ir.Default = &ir.Default{Kind: ir.DefaultLiteral, Value: v.Value.Text}
				fs.defaultArg = v
			} else {
				c.errorf(a.Pos, a.EndPos, schema.CodeBadArgument, "option \"default\" needs a value, e.g. default(0)")
			}
		}
	}
	if f.PrimaryKey && f.Null {
		a := seen.get("null")
		c.errorf(a.Name.Pos, a.Name.EndPos, schema.CodeNullablePrimaryKey, "primary key %q may not be null", f.Name)
	}
	if f.PrimaryKey && f.Default != nil {
		f.AutoIncrement = false
	}
	if f.Relation != nil && f.Relation.OnDelete == ir.SetNull && !f.Null {
		v := fs.onDelete.Value
		c.errorf(v.Pos, v.EndPos, schema.CodeSetNullNotNullable, "on_delete set_null needs a nullable field: add null to %q", f.Name)
	}
	if f.AutoNow && f.AutoNowAdd {
		first, second := seen.get("auto_now"), seen.get("auto_now_add")
		if second.Pos.Before(first.Pos) {
			first, second = second, first
		}
		d := c.errorf(second.Name.Pos, second.Name.EndPos, schema.CodeContradictoryOptions, "a field may not have both auto_now and auto_now_add")
		d.Hint = "auto_now sets it on every write, auto_now_add when the row is created: keep one"
		d.Related = []schema.Related{{Pos: first.Name.Pos, Msg: first.Name.Name + " given here"}}
	}
	if (f.AutoNow || f.AutoNowAdd) && f.Default != nil {
		a := seen.get("default")
		c.errorf(a.Name.Pos, a.Name.EndPos, schema.CodeContradictoryOptions, "a field with auto_now or auto_now_add may not have a default")
	}
}

// checkDefault checks that a default value fits the field's type and
// bounds, and records it in canonical form.
func (c *checker) checkDefault(fs *fieldState) {
	f := fs.ir
	if f.Default == nil || fs.defaultArg == nil {
		return
	}
	v := fs.defaultArg.Value
	bad := func(format string, args ...any) {
		c.errorf(v.Pos, v.EndPos, schema.CodeBadDefault, format, args...)
		f.Default = nil
	}
	if v.Kind == schema.IdentValue && v.Text == "null" {
		if !f.Null {
			bad("default null needs a nullable field: add null to %q", f.Name)
			return
		}
		f.Default = &ir.Default{Kind: ir.DefaultNull}
		return
	}
	if v.Kind == schema.StringValue {
		if p := textProblem(v.Text); p != "" {
			bad("default %s", p)
			return
		}
	}
	if check := typeOf(f.Type.Kind).checkDefault; check != nil {
		check(c, f, fs.ast.Type.Name.Name, v, bad)
	}
}

// renamedValue checks a renamed_value(from:, to:) hint: to is one of the
// Enum's values, from is not (a value still declared is not renamed).
func (c *checker) renamedValue(f *ir.Field, a *schema.Attr, args boundArgs) {
	from, to := args.get("from"), args.get("to")
	for _, x := range a.Args {
		if x.Name == nil || x.Name.Name != "from" && x.Name.Name != "to" {
			return // bind reported it
		}
	}
	if from == nil || to == nil || from.Value.Text == "" || to.Value.Text == "" {
		if len(a.Args) == 0 || args.given("from") || args.given("to") {
			c.errorf(a.Pos, a.EndPos, schema.CodeBadArgument, "option \"renamed_value\" needs the value's previous and new names, e.g. renamed_value(from: \"live\", to: \"published\")")
		}
		return
	}
	switch {
	case !slices.Contains(f.Type.Values, to.Value.Text):
		d := c.errorf(to.Value.Pos, to.Value.EndPos, schema.CodeBadArgument, "renamed_value to %q is not one of the values of enum %q", to.Value.Text, f.Name)
		d.Hint = suggest(to.Value.Text, f.Type.Values)
	case slices.Contains(f.Type.Values, from.Value.Text):
		c.errorf(from.Value.Pos, from.Value.EndPos, schema.CodeBadArgument, "renamed_value from %q is still a value of enum %q: a value renamed is no longer declared", from.Value.Text, f.Name)
	case slices.ContainsFunc(f.RenamedValues, func(r ir.ValueRename) bool { return r.From == from.Value.Text || r.To == to.Value.Text }):
		c.errorf(from.Value.Pos, from.Value.EndPos, schema.CodeDuplicateArgument, "enum %q renames value %q or to %q twice", f.Name, from.Value.Text, to.Value.Text)
	default:
		f.RenamedValues = append(f.RenamedValues, ir.ValueRename{From: from.Value.Text, To: to.Value.Text})
	}
}
