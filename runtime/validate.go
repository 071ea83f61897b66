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

// validate checks the given columns of row (all when cols is nil) against
// the table's metadata and returns a *ValidationError listing every failure.
func validate(t *Table, row any, cols []*Column) error {
	if cols == nil {
		cols = t.Columns
	}
	var errs []FieldError
	add := func(c *Column, code, format string, args ...any) {
		errs = append(errs, FieldError{Field: c.Field, Code: code, Msg: fmt.Sprintf(format, args...)})
	}
	for _, c := range cols {
		checkValue(c, t.Value(row, c.Index), add)
	}
	if len(errs) > 0 {
		return &ValidationError{Model: t.Model, Fields: errs}
	}
	return nil
}

// checkValue validates one value bound for column c.
func checkValue(c *Column, v any, add func(c *Column, code, format string, args ...any)) {
	if n, ok := v.(nullable); ok {
		if n.IsNull() {
			v = nil
		} else {
			v = n.any()
		}
	}
	if v == nil {
		if !c.Null {
			add(c, "required", "is required")
		}
		return
	}
	switch x := v.(type) {
	case string:
		validateText(c, x, add)
	case int64:
		if c.Kind == KindInteger && (x < math.MinInt32 || x > math.MaxInt32) {
			add(c, "out_of_range", "%d does not fit a 32-bit Integer", x)
		}
		checkBounds(c, new(big.Rat).SetInt64(x), add)
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			add(c, "not_finite", "must be a finite number")
			return
		}
		checkBounds(c, new(big.Rat).SetFloat64(x), add)
	case Decimal:
		checkBounds(c, x.Rat(), add)
	}
}

// validateValues checks the values of an update by query.
func validateValues(t *Table, sets []Assignment) error {
	var errs []FieldError
	add := func(c *Column, code, format string, args ...any) {
		errs = append(errs, FieldError{Field: c.Field, Code: code, Msg: fmt.Sprintf(format, args...)})
	}
	for _, a := range sets {
		checkValue(a.Ref.Col, a.Value, add)
	}
	if len(errs) > 0 {
		return &ValidationError{Model: t.Model, Fields: errs}
	}
	return nil
}

func validateText(c *Column, s string, add func(c *Column, code, format string, args ...any)) {
	if !utf8.ValidString(s) {
		add(c, "utf8", "is not valid UTF-8")
		return
	}
	if len(c.Values) > 0 {
		if !slices.Contains(c.Values, s) {
			add(c, "enum", "%q is not one of %q", s, c.Values)
		}
		return
	}
	if s == "" && !c.Blank {
		add(c, "blank", "may not be blank")
		return
	}
	n := utf8.RuneCountInString(s)
	if c.MaxLength > 0 && n > c.MaxLength {
		add(c, "max_length", "is %d characters long, more than the maximum %d", n, c.MaxLength)
	}
	if c.MinLength > 0 && n < c.MinLength && !(s == "" && c.Blank) {
		add(c, "min_length", "is %d characters long, less than the minimum %d", n, c.MinLength)
	}
	if c.Pattern != nil && !c.Pattern.MatchString(s) && !(s == "" && c.Blank) {
		add(c, "pattern", "does not match the pattern %q", c.Pattern.String())
	}
	if s == "" {
		return
	}
	switch c.Format {
	case "email":
		if a, err := mail.ParseAddress(s); err != nil || a.Address != s {
			add(c, "email", "%q is not an email address", s)
		}
	case "url":
		if u, err := url.Parse(s); err != nil || u.Scheme == "" || u.Host == "" {
			add(c, "url", "%q is not an absolute URL", s)
		}
	}
}

func checkBounds(c *Column, r *big.Rat, add func(c *Column, code, format string, args ...any)) {
	if b := c.Min; b != nil {
		if cmp := r.Cmp(b.Value); cmp < 0 || cmp == 0 && b.Exclusive {
			add(c, "minimum", "%s is below the minimum %s", r.RatString(), boundText(b, ">"))
		}
	}
	if b := c.Max; b != nil {
		if cmp := r.Cmp(b.Value); cmp > 0 || cmp == 0 && b.Exclusive {
			add(c, "maximum", "%s is above the maximum %s", r.RatString(), boundText(b, "<"))
		}
	}
}

func boundText(b *Bound, op string) string {
	if b.Exclusive {
		return "(exclusive) " + b.Text
	}
	return b.Text
}
