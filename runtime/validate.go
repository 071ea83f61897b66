package runtime

import (
	"fmt"
	"math"
	"math/big"
	"net"
	"net/mail"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
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
	if e, ok := v.(Enum); ok {
		v = e.EnumValue()
	}
	switch x := v.(type) {
	case string:
		k.text(c, x)
	case int64:
		if c.Kind == KindInteger && (x < math.MinInt32 || x > math.MaxInt32) {
			k.add(c, "out_of_range", "%d does not fit a 32-bit Integer", x)
		}
		if c.Min != nil || c.Max != nil {
			k.bounds(c, new(big.Rat).SetInt64(x), strconv.FormatInt(x, 10))
		}
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			k.add(c, "not_finite", "must be a finite number")
			return
		}
		if c.Min != nil || c.Max != nil {
			k.bounds(c, new(big.Rat).SetFloat64(x), strconv.FormatFloat(x, 'g', -1, 64))
		}
	case Decimal:
		if c.MaxDigits > 0 {
			k.digits(c, x)
		}
		if c.Min != nil || c.Max != nil {
			k.bounds(c, x.Rat(), x.String())
		}
	case Date:
		switch {
		case x == Date{} && !c.Null:
			// The zero Date is no date: a field left unset.
			k.add(c, "required", "is required")
		case !x.valid():
			k.add(c, "invalid_date", "%s is not a date between 0001-01-01 and 9999-12-31", x)
		}
	case TimeOfDay:
		if !x.valid() {
			k.add(c, "invalid_time", "%02d:%02d:%02d.%06d is not a time of day between 00:00:00 and 23:59:59.999999", x.Hour, x.Minute, x.Second, x.Microsecond)
		}
	case time.Time:
		if y := x.UTC().Year(); y < 1 || y > 9999 {
			k.add(c, "out_of_range", "%s is not between years 1 and 9999", x.UTC().Format(time.RFC3339Nano))
		}
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
		if !validEmail(s) {
			k.add(c, "email", "%q is not an email address", s)
		}
	case "url":
		if !validURL(s) {
			k.add(c, "url", "%q is not an absolute http, https, ftp or ftps URL", s)
		}
	}
}

// validEmail accepts a bare address (no display name, no comments) whose
// domain is a host name or a bracketed IP address.
func validEmail(s string) bool {
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || len(s) > 254 {
		return false
	}
	domain := s[strings.LastIndexByte(s, '@')+1:]
	if ip, ok := strings.CutPrefix(domain, "["); ok {
		ip, ok = strings.CutSuffix(ip, "]")
		return ok && net.ParseIP(strings.TrimPrefix(ip, "IPv6:")) != nil
	}
	return validHostname(domain) && (strings.Contains(domain, ".") || strings.EqualFold(domain, "localhost"))
}

// urlSchemes are the schemes a URL field accepts, as Django's
// URLValidator does: never javascript:, data: or file:.
var urlSchemes = []string{"http", "https", "ftp", "ftps"}

// validURL accepts an absolute URL with one of urlSchemes, a host that is
// a host name or an IP address, an optional numeric port, and no
// white space.
func validURL(s string) bool {
	if strings.IndexFunc(s, unicode.IsSpace) >= 0 {
		return false
	}
	u, err := url.Parse(s)
	if err != nil || !slices.Contains(urlSchemes, strings.ToLower(u.Scheme)) || u.Opaque != "" || u.Host == "" {
		return false
	}
	if p := u.Port(); p != "" {
		if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
			return false
		}
	} else if strings.HasSuffix(u.Host, ":") {
		return false
	}
	host := u.Hostname()
	if net.ParseIP(host) != nil {
		return true
	}
	return !strings.HasPrefix(u.Host, "[") && validHostname(host)
}

// validHostname accepts dot-separated labels of 1 to 63 letters (in any
// script), digits and hyphens, neither starting nor ending with a hyphen,
// with an optional final dot.
func validHostname(h string) bool {
	h = strings.TrimSuffix(h, ".")
	if h == "" || len(h) > 253 {
		return false
	}
	for _, label := range strings.Split(h, ".") {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for _, r := range label {
			if r != '-' && !unicode.IsLetter(r) && !unicode.IsDigit(r) {
				return false
			}
		}
	}
	return true
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
