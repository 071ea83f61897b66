package runtime

import (
	"fmt"
	"math"
	"math/big"
	"net/mail"
	"net/url"
	"slices"
	"unicode/utf8"
)

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
// read from the row once.
func validateArgs(t *Table, cols []*Column, vals []any) error {
	var k checker
	for i, c := range cols {
		k.check(c, vals[i])
	}
	return k.err(t.Model)
}

// validateValues checks the values of an update by query.
func validateValues(t *Table, sets []Assignment) error {
	var k checker
	for _, a := range sets {
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
	switch x := v.(type) {
	case string:
		k.text(c, x)
	case int64:
		if c.Kind == KindInteger && (x < math.MinInt32 || x > math.MaxInt32) {
			k.add(c, "out_of_range", "%d does not fit a 32-bit Integer", x)
		}
		if c.Min != nil || c.Max != nil {
			k.bounds(c, new(big.Rat).SetInt64(x))
		}
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			k.add(c, "not_finite", "must be a finite number")
			return
		}
		if c.Min != nil || c.Max != nil {
			k.bounds(c, new(big.Rat).SetFloat64(x))
		}
	case Decimal:
		if c.Min != nil || c.Max != nil {
			k.bounds(c, x.Rat())
		}
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
		if a, err := mail.ParseAddress(s); err != nil || a.Address != s {
			k.add(c, "email", "%q is not an email address", s)
		}
	case "url":
		if u, err := url.Parse(s); err != nil || u.Scheme == "" || u.Host == "" {
			k.add(c, "url", "%q is not an absolute URL", s)
		}
	}
}

func (k *checker) bounds(c *Column, r *big.Rat) {
	if b := c.Min; b != nil {
		if cmp := r.Cmp(b.Value); cmp < 0 || cmp == 0 && b.Exclusive {
			k.add(c, "minimum", "%s is below the minimum %s", r.RatString(), boundText(b, ">"))
		}
	}
	if b := c.Max; b != nil {
		if cmp := r.Cmp(b.Value); cmp > 0 || cmp == 0 && b.Exclusive {
			k.add(c, "maximum", "%s is above the maximum %s", r.RatString(), boundText(b, "<"))
		}
	}
}

func boundText(b *Bound, op string) string {
	if b.Exclusive {
		return "(exclusive) " + b.Text
	}
	return b.Text
}
