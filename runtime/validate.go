package runtime

import (
	"fmt"
	"math/big"
	"reflect"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/ormc/ormc/internal/textcheck"
)

// Enum is implemented by the Go string types generated for Enum fields,
// so that validation sees their values as strings without reflection.
type Enum interface {
	EnumValue() string
}

// checker collects the failures of one row's validation. It is a value
// with methods rather than a closure, so that a row that passes costs no
// allocation.
type checker struct{ errs []FieldError }

func (k *checker) add(c *Column, code, format string, args ...any) {
	k.errs = append(k.errs, FieldError{Field: c.Field, Code: code, Msg: fmt.Sprintf(format, args...)})
}

// err returns the *ValidationError of model, or nil when nothing failed.
func (k *checker) err(model string) error {
	if len(k.errs) == 0 {
		return nil
	}
	return &ValidationError{Model: model, Fields: k.errs}
}

// validateArgs checks vals, the values bound for cols, against the
// table's metadata and returns a *ValidationError listing every failure.
// Writes validate the very values they bind, so each column's value is
// read from the row once; each is then put in the form it is bound in
// (bindValue), which for an IP address is text that no longer says
// whether it had a zone.
//
// A value refused because it says the field was left unset (Column.unset:
// an Enum's "", the zero Date or netip.Addr) is most likely a field a
// struct literal left out, so its message says how to set it.
func validateArgs(t *Table, cols []*Column, vals []any) error {
	var k checker
	for i, c := range cols {
		n := len(k.errs)
		k.check(c, vals[i])
		if len(k.errs) > n && c.unset(vals[i]) {
			hint := unsetHint(t, c)
			for j := n; j < len(k.errs); j++ {
				k.errs[j].Msg += hint
			}
		}
		vals[i] = bindValue(vals[i])
	}
	return k.err(t.Model)
}

// unsetHint says how to give column c of t a value: set it, or, when it
// has a default, create rows with the generated constructor. Create
// applies the default itself (fillAuto), so the constructor is the fix
// for the writes that do not, an update of every field.
func unsetHint(t *Table, c *Column) string {
	if !c.hasDefault() {
		return fmt.Sprintf(" (set it: the schema gives %s no default)", c.Field)
	}
	name := t.Model
	if t.New != nil {
		if rt := reflect.TypeOf(t.New()); rt != nil && rt.Kind() == reflect.Pointer {
			if goName := rt.Elem().Name(); goName != "" {
				name = goName // the Go name, which the constructor's is made of
			}
		}
	}
	return fmt.Sprintf(" (set it, or create rows with New%s() to get the schema's defaults)", name)
}

// validateValues checks the values of an update by query; of an Add, the
// number added (see addend).
func validateValues(t *Table, sets []assignment) error {
	var k checker
	for _, a := range sets {
		if x, ok := a.Value.(addExpr); ok {
			k.addend(a.Ref.Col, x.n)
			continue
		}
		k.check(a.Ref.Col, a.Value)
	}
	return k.err(t.Model)
}

// check validates one value bound for column c.
func (k *checker) check(c *Column, v any) {
	if n, ok := v.(nullable); ok {
		if n.IsNull() {
			v = nil
		} else {
			v = n.any()
		}
	}
	if v == nil {
		if !c.Null {
			k.add(c, "required", "is required")
		}
		return
	}
	if e, ok := v.(Enum); ok {
		v = e.EnumValue()
	}
	if validate := ruleOf(c.Kind).validate; validate != nil {
		*k = validate(*k, c, v)
	}
}

// digits checks a Decimal against its column's precision and scale, which
// PostgreSQL and MySQL would otherwise round to or refuse with an error of
// their own (SQLite, storing the text, would keep it).
func (k *checker) digits(c *Column, d Decimal) {
	intPart, frac, _ := strings.Cut(strings.TrimPrefix(d.String(), "-"), ".")
	frac = strings.TrimRight(frac, "0")
	intPart = strings.TrimLeft(intPart, "0")
	if len(frac) > c.DecimalPlaces {
		k.add(c, "decimal_places", "%s has %d decimal places, more than the %d of Decimal(%d, %d)",
			d, len(frac), c.DecimalPlaces, c.MaxDigits, c.DecimalPlaces)
	}
	if whole := c.MaxDigits - c.DecimalPlaces; len(intPart) > whole {
		k.add(c, "max_digits", "%s has %d digits before the decimal point, more than the %d of Decimal(%d, %d)",
			d, len(intPart), whole, c.MaxDigits, c.DecimalPlaces)
	}
}

func (k *checker) text(c *Column, s string) {
	if !utf8.ValidString(s) {
		k.add(c, "utf8", "is not valid UTF-8")
		return
	}
	if len(c.Values) > 0 {
		if !slices.Contains(c.Values, s) {
			k.add(c, "enum", "%q is not one of %q", s, c.Values)
		}
		return
	}
	if s == "" && !c.Blank {
		k.add(c, "blank", "may not be blank")
		return
	}
	n := utf8.RuneCountInString(s)
	if c.MaxLength > 0 && n > c.MaxLength {
		k.add(c, "max_length", "is %d characters long, more than the maximum %d", n, c.MaxLength)
	}
	if c.MinLength > 0 && n < c.MinLength && !(s == "" && c.Blank) {
		k.add(c, "min_length", "is %d characters long, less than the minimum %d", n, c.MinLength)
	}
	if c.Pattern != nil && !c.Pattern.MatchString(s) && !(s == "" && c.Blank) {
		k.add(c, "pattern", "does not match the pattern %q", c.Pattern.String())
	}
	if s == "" {
		return
	}
	switch c.Format {
	case "email":
		if !textcheck.Email(s) {
			k.add(c, "email", "%q is not an email address", s)
		}
	case "url":
		if !textcheck.URL(s) {
			k.add(c, "url", "%q is not an absolute http, https, ftp or ftps URL", s)
		}
	}
}

// bounds checks r, written text, against c's numeric bounds.
func (k *checker) bounds(c *Column, r *big.Rat, text string) {
	if b := c.Min; b != nil {
		if cmp := r.Cmp(b.Value); cmp < 0 || cmp == 0 && b.Exclusive {
			k.add(c, "minimum", "%s is below the minimum %s", text, boundText(b, ">"))
		}
	}
	if b := c.Max; b != nil {
		if cmp := r.Cmp(b.Value); cmp > 0 || cmp == 0 && b.Exclusive {
			k.add(c, "maximum", "%s is above the maximum %s", text, boundText(b, "<"))
		}
	}
}

func boundText(b *Bound, op string) string {
	if b.Exclusive {
		return "(exclusive) " + b.Text
	}
	return b.Text
}
