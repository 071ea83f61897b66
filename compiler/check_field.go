package compiler

import (
	"fmt"
	"math"
	"math/big"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/ormc/ormc/compiler/ir"
	"github.com/ormc/ormc/internal/textcheck"
	"github.com/ormc/ormc/schema"
)

// identRE matches the names a related_name may take: it becomes part of a
// Go method name.
var identRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// typeInfo is what the checker knows about one field type.
type typeInfo struct {
	kind ir.Kind
	sig  signature
	what string // `type "String"`, for messages
}

var (
	lengthParams = []param{{"min_length", pInt}, {"max_length", pInt}, {"pattern", pString}}
	numberParams = []param{{"minimum", pNumber}, {"maximum", pNumber}, {"exclusive_minimum", pNumber}, {"exclusive_maximum", pNumber}}
	relParams    = []param{{"on_delete", pName}, {"related_name", pName}}
)

// boundParam holds the parameters that some types take and others do not,
// so that using one on the wrong type says so rather than "no parameter".
var boundParam = map[string]bool{}

// optionWhat names each option for messages: `option "pk"`.
var optionWhat = map[string]string{}

func init() {
	for name, ti := range types {
		ti.what = fmt.Sprintf("type %q", name)
		types[name] = ti
	}
	for name := range attrs {
		optionWhat[name] = fmt.Sprintf("option %q", name)
	}
	for _, ps := range [][]param{lengthParams, numberParams, relParams, {{"max_digits", pInt}, {"decimal_places", pInt}}} {
		for _, p := range ps {
			boundParam[p.name] = true
		}
	}
}

var types = map[string]typeInfo{
	"String":     {kind: ir.String, sig: signature{positional: []param{{"max_length", pInt}}, named: lengthParams[:1:1]}},
	"Email":      {kind: ir.Email, sig: signature{positional: []param{{"max_length", pInt}}, named: lengthParams[:1:1]}},
	"URL":        {kind: ir.URL, sig: signature{positional: []param{{"max_length", pInt}}, named: lengthParams[:1:1]}},
	"Text":       {kind: ir.Text, sig: signature{named: lengthParams}},
	"Boolean":    {kind: ir.Boolean, sig: signature{}},
	"Integer":    {kind: ir.Integer, sig: signature{named: numberParams}},
	"BigInteger": {kind: ir.BigInteger, sig: signature{named: numberParams}},
	"Float":      {kind: ir.Float, sig: signature{named: numberParams}},
	"Decimal":    {kind: ir.Decimal, sig: signature{positional: []param{{"max_digits", pInt}, {"decimal_places", pInt}}, named: numberParams}},
	"Date":       {kind: ir.Date, sig: signature{}},
	"Time":       {kind: ir.Time, sig: signature{}},
	"DateTime":   {kind: ir.DateTime, sig: signature{}},
	"JSON":       {kind: ir.JSON, sig: signature{}},
	"UUID":       {kind: ir.UUID, sig: signature{}},
	"Enum":       {kind: ir.Enum, sig: signature{variadic: &param{"value", pName}}},
	"ForeignKey": {kind: ir.ForeignKey, sig: signature{positional: []param{{"to", pName}}, named: relParams}},
	"OneToOne":   {kind: ir.OneToOne, sig: signature{positional: []param{{"to", pName}}, named: relParams}},
}

// String-like types also take pattern and min_length.
func init() {
	for _, name := range []string{"String", "Email", "URL"} {
		ti := types[name]
		ti.sig.named = []param{{"min_length", pInt}, {"pattern", pString}}
		types[name] = ti
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
	if strings.Contains(name, "__") {
		c.errorf(f.Name.Pos, f.Name.EndPos, schema.CodeBadFieldName, "field name %q may not contain \"__\", which separates lookup segments", name)
	}
	if name == "pk" {
		c.errorf(f.Name.Pos, f.Name.EndPos, schema.CodeBadFieldName, "field name \"pk\" is reserved: it always means the primary key")
	}
	if f.Type == nil || f.Type.Name == nil {
		return nil
	}
	ti, ok := types[f.Type.Name.Name]
	if !ok {
		d := c.errorf(f.Type.Name.Pos, f.Type.Name.EndPos, schema.CodeUnknownType, "unknown type %q", f.Type.Name.Name)
		d.Hint = suggest(f.Type.Name.Name, typeNames())
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
			d.Hint = suggest(a.Name.Name, attrNames())
			continue
		}
		if prev := seen.get(name); prev != nil {
			d := c.errorf(a.Name.Pos, a.Name.EndPos, schema.CodeDuplicateOption, "option %q given twice", name)
			d.Related = []schema.Related{{Pos: prev.Pos, Msg: "previous"}}
			continue
		}
		seen.add(name, a)
		what := optionWhat[name]
		var args boundArgs
		if len(sig.positional) == 0 && (a.Parens || len(a.Args) > 0) {
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
			switch kind {
			case ir.Integer, ir.BigInteger, ir.String, ir.UUID, ir.Date, ir.DateTime, ir.Decimal, ir.Enum, ir.Email, ir.URL, ir.ForeignKey, ir.OneToOne:
				f.PrimaryKey = true
				f.AutoIncrement = kind == ir.Integer || kind == ir.BigInteger
			default:
				notFor()
			}
		case "null":
			f.Null = true
		case "blank":
			if !kind.IsString() {
				notFor()
			}
			f.Blank = true
		case "unique":
			if kind == ir.JSON || kind == ir.Text {
				notFor() // MySQL indexes no TEXT or JSON column
			}
			f.Unique = true
		case "index":
			if kind == ir.JSON || kind == ir.Text {
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
	kind := f.Type.Kind
	tname := fs.ast.Type.Name.Name // the type as written, for messages
	switch kind {
	case ir.Boolean:
		if v.Kind != schema.IdentValue || (v.Text != "true" && v.Text != "false") {
			bad("default of Boolean field %q must be true or false, found %s", f.Name, v.Raw)
		}
	case ir.Integer, ir.BigInteger, ir.Float, ir.Decimal:
		if v.Kind != schema.NumberValue {
			bad("default of %s field %q must be a number, found %s", tname, f.Name, v.Raw)
			return
		}
		r, ok := new(big.Rat).SetString(v.Text)
		if !ok {
			bad("default of field %q is not a number: %s", f.Name, v.Raw)
			return
		}
		if kind == ir.Integer || kind == ir.BigInteger {
			if !isInteger(v.Text) {
				bad("default of %s field %q must be a whole number, found %s", tname, f.Name, v.Raw)
				return
			}
			lo, hi := int64(math.MinInt64), int64(math.MaxInt64)
			if kind == ir.Integer {
				lo, hi = math.MinInt32, math.MaxInt32
			}
			if r.Cmp(new(big.Rat).SetInt64(lo)) < 0 || r.Cmp(new(big.Rat).SetInt64(hi)) > 0 {
				bad("default %s is out of range for %s", v.Text, tname)
				return
			}
			// Canonical: "08" would be an invalid octal literal in Go
			// and "010" a different number.
			f.Default.Value = r.RatString()
		}
		if kind == ir.Decimal && f.Type.MaxDigits > 0 && !fitsDecimal(v.Text, r, f.Type.MaxDigits, f.Type.DecimalPlaces) {
			bad("default %s does not fit %s(%d, %d)", v.Text, tname, f.Type.MaxDigits, f.Type.DecimalPlaces)
			return
		}
		if kind == ir.Float {
			if _, err := strconv.ParseFloat(v.Text, 64); err != nil {
				bad("default %s is out of range for %s", v.Text, tname)
				return
			}
		}
		if msg := outOfBounds(r, f.Bounds); msg != "" {
			bad("default %s is %s", v.Text, msg)
		}
	case ir.String, ir.Text, ir.Email, ir.URL:
		if v.Kind != schema.StringValue {
			bad("default of %s field %q must be a string, found %s", tname, f.Name, v.Raw)
			return
		}
		n := utf8.RuneCountInString(v.Text)
		max := f.Type.MaxLength
		if f.Bounds.MaxLength != nil {
			max = *f.Bounds.MaxLength
		}
		switch {
		case max > 0 && n > max:
			bad("default is %d characters long, more than max_length %d", n, max)
		case f.Bounds.MinLength != nil && n < *f.Bounds.MinLength:
			bad("default is %d characters long, less than min_length %d", n, *f.Bounds.MinLength)
		case v.Text == "" && !f.Blank:
			bad("default is blank but field %q does not allow blank", f.Name)
		case f.Bounds.Pattern != "" && !regexp.MustCompile(f.Bounds.Pattern).MatchString(v.Text):
			bad("default %q does not match pattern %q", v.Text, f.Bounds.Pattern)
		case v.Text == "":
			// blank, and allowed: not checked as an address
		case kind == ir.Email && !textcheck.Email(v.Text):
			bad("default %q is not an email address", v.Text)
		case kind == ir.URL && !textcheck.URL(v.Text):
			bad("default %q is not an absolute URL", v.Text)
		}
	case ir.Enum:
		found := false
		for _, e := range f.Type.Values {
			found = found || e == v.Text
		}
		if !found || v.Kind == schema.NumberValue {
			d := c.errorf(v.Pos, v.EndPos, schema.CodeBadDefault, "default %s is not one of the values of enum %q", v.Raw, f.Name)
			d.Hint = suggest(v.Text, f.Type.Values)
			f.Default = nil
		}
	case ir.Date, ir.DateTime, ir.Time:
		if v.Kind == schema.IdentValue && v.Text == "now" {
			f.Default = &ir.Default{Kind: ir.DefaultNow}
			return
		}
		if v.Kind != schema.StringValue || !validTemporal(kind, v.Text) {
			bad("default of %s field %q must be now or a string like %s, found %s", tname, f.Name, temporalExample[kind], v.Raw)
		}
	case ir.UUID:
		if v.Kind == schema.IdentValue && v.Text == "uuid" {
			f.Default = &ir.Default{Kind: ir.DefaultUUID}
			return
		}
		if v.Kind != schema.StringValue || !validUUID(v.Text) {
			bad("default of UUID field %q must be uuid (a new random UUID) or a UUID string, found %s", f.Name, v.Raw)
		}
	case ir.JSON:
		if v.Kind != schema.StringValue || !validJSON(v.Text) {
			bad("default of JSON field %q must be a string holding JSON, found %s", f.Name, v.Raw)
		} else if _, msg := textcheck.JSON([]byte(v.Text)); msg != "" {
			bad("default of JSON field %q %s", f.Name, msg) // what the client refuses to write
		}
	case ir.ForeignKey, ir.OneToOne:
		bad("a relation field may not have a default other than null")
	}
}
