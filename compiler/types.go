package compiler

import (
	"fmt"
	"math"
	"math/big"
	"regexp"
	"strconv"
	"unicode/utf8"

	"github.com/ormc/ormc/compiler/ir"
	"github.com/ormc/ormc/internal/textcheck"
	"github.com/ormc/ormc/runtime/dialect"
	"github.com/ormc/ormc/schema"
)

// The schema's field types. A column kind's name, its schema name and
// which options apply to it are its descriptor in dialect.Kinds; what
// only the checker knows (the parameters a type takes, how its default
// literal is checked and put in canonical form) is its entry in
// kindTypes. The other types (Email, URL, Enum and the relations) are
// the checker's own and are stored as a column kind (ir.Schema.ColumnType).

// typeInfo is what the checker knows about one field type.
type typeInfo struct {
	kind ir.Kind
	sig  signature
	// key says whether the type may be a primary key; index whether it
	// may be unique or indexed.
	key, index bool
	// checkDefault checks the literal v of the option default of field
	// f, whose type is written tname, and puts it in canonical form in
	// f.Default; it reports a problem with bad, or reports it itself
	// and clears f.Default. nil for a type that takes no default but
	// null.
	checkDefault defaultCheck
	what         string // `type "String"`, for messages
}

type defaultCheck func(c *checker, f *ir.Field, tname string, v *schema.Value, bad func(format string, args ...any))

var (
	lengthParams = []param{{"min_length", pInt}, {"max_length", pInt}, {"pattern", pString}}
	numberParams = []param{{"minimum", pNumber}, {"maximum", pNumber}, {"exclusive_minimum", pNumber}, {"exclusive_maximum", pNumber}}
	relParams    = []param{{"on_delete", pName}, {"related_name", pName}}
	// String-like types take their max_length positionally.
	stringSig = signature{positional: []param{{"max_length", pInt}}, named: []param{{"min_length", pInt}, {"pattern", pString}}}
)

// kindTypes holds the checker's part of every column kind's type.
var kindTypes = map[dialect.Kind]typeInfo{
	dialect.String:     {sig: stringSig, checkDefault: textDefault},
	dialect.Text:       {sig: signature{named: lengthParams}, checkDefault: textDefault},
	dialect.Boolean:    {checkDefault: boolDefault},
	dialect.Integer:    {sig: signature{named: numberParams}, checkDefault: numberDefault},
	dialect.BigInteger: {sig: signature{named: numberParams}, checkDefault: numberDefault},
	dialect.Float:      {sig: signature{named: numberParams}, checkDefault: numberDefault},
	dialect.Decimal:    {sig: signature{positional: []param{{"max_digits", pInt}, {"decimal_places", pInt}}, named: numberParams}, checkDefault: numberDefault},
	dialect.Date:       {checkDefault: temporalDefault},
	dialect.Time:       {checkDefault: temporalDefault},
	dialect.DateTime:   {checkDefault: temporalDefault},
	dialect.JSON:       {checkDefault: jsonDefault},
	dialect.UUID:       {checkDefault: uuidDefault},
	dialect.IPAddress:  {checkDefault: addrDefault},
}

// types holds every field type by its schema name.
var types = schemaTypes()

func schemaTypes() map[string]typeInfo {
	types := map[string]typeInfo{
		"Email":      {kind: ir.Email, sig: stringSig, key: true, index: true, checkDefault: textDefault},
		"URL":        {kind: ir.URL, sig: stringSig, key: true, index: true, checkDefault: textDefault},
		"Enum":       {kind: ir.Enum, sig: signature{variadic: &param{"value", pName}}, key: true, index: true, checkDefault: enumDefault},
		"ForeignKey": {kind: ir.ForeignKey, sig: signature{positional: []param{{"to", pName}}, named: relParams}, key: true, index: true, checkDefault: relationDefault},
		"OneToOne":   {kind: ir.OneToOne, sig: signature{positional: []param{{"to", pName}}, named: relParams}, key: true, index: true, checkDefault: relationDefault},
	}
	for _, k := range dialect.ColumnKinds() {
		d := k.Info()
		ti := kindTypes[k]
		ti.kind, ti.key, ti.index = ir.Kind(d.Name), d.Key, d.Index
		types[d.Type] = ti
	}
	for name, ti := range types {
		ti.what = fmt.Sprintf("type %q", name)
		types[name] = ti
	}
	return types
}

// typeOf returns the type of kind k.
func typeOf(k ir.Kind) typeInfo {
	for _, ti := range types {
		if ti.kind == k {
			return ti
		}
	}
	return typeInfo{}
}

// ---------------------------------------------------------------------------
// Default literals

func boolDefault(_ *checker, f *ir.Field, _ string, v *schema.Value, bad func(string, ...any)) {
	if v.Kind != schema.IdentValue || (v.Text != "true" && v.Text != "false") {
		bad("default of Boolean field %q must be true or false, found %s", f.Name, v.Raw)
	}
}

func numberDefault(_ *checker, f *ir.Field, tname string, v *schema.Value, bad func(string, ...any)) {
	kind := f.Type.Kind
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
}

func textDefault(_ *checker, f *ir.Field, tname string, v *schema.Value, bad func(string, ...any)) {
	kind := f.Type.Kind
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
}

func enumDefault(c *checker, f *ir.Field, _ string, v *schema.Value, _ func(string, ...any)) {
	found := false
	for _, e := range f.Type.Values {
		found = found || e == v.Text
	}
	if !found || v.Kind == schema.NumberValue {
		d := c.errorf(v.Pos, v.EndPos, schema.CodeBadDefault, "default %s is not one of the values of enum %q", v.Raw, f.Name)
		d.Hint = suggest(v.Text, f.Type.Values)
		f.Default = nil
	}
}

func temporalDefault(_ *checker, f *ir.Field, tname string, v *schema.Value, bad func(string, ...any)) {
	if v.Kind == schema.IdentValue && v.Text == "now" {
		f.Default = &ir.Default{Kind: ir.DefaultNow}
		return
	}
	if v.Kind != schema.StringValue || !validTemporal(f.Type.Kind, v.Text) {
		bad("default of %s field %q must be now or a string like %s, found %s", tname, f.Name, temporalExample[f.Type.Kind], v.Raw)
	}
}

func uuidDefault(_ *checker, f *ir.Field, _ string, v *schema.Value, bad func(string, ...any)) {
	if v.Kind == schema.IdentValue && v.Text == "uuid" {
		f.Default = &ir.Default{Kind: ir.DefaultUUID}
		return
	}
	if v.Kind != schema.StringValue || !validUUID(v.Text) {
		bad("default of UUID field %q must be uuid (a new random UUID) or a UUID string, found %s", f.Name, v.Raw)
	}
}

func jsonDefault(_ *checker, f *ir.Field, _ string, v *schema.Value, bad func(string, ...any)) {
	if v.Kind != schema.StringValue || !validJSON(v.Text) {
		bad("default of JSON field %q must be a string holding JSON, found %s", f.Name, v.Raw)
	} else if _, msg := textcheck.JSON([]byte(v.Text)); msg != "" {
		bad("default of JSON field %q %s", f.Name, msg) // what the client refuses to write
	}
}

// addrDefault stores the address in the form the client binds it in, so
// that a row a plain INSERT fills in equals one the client writes.
func addrDefault(_ *checker, f *ir.Field, _ string, v *schema.Value, bad func(string, ...any)) {
	if v.Kind != schema.StringValue {
		bad("default of IPAddress field %q must be a string like \"192.0.2.1\", found %s", f.Name, v.Raw)
		return
	}
	a, problem := textcheck.ParseHostAddr(v.Text)
	if problem != "" {
		bad("default %q %s", v.Text, problem)
		return
	}
	f.Default.Value = a.String()
}

func relationDefault(_ *checker, _ *ir.Field, _ string, _ *schema.Value, bad func(string, ...any)) {
	bad("a relation field may not have a default other than null")
}
