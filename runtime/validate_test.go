package runtime

import "testing"

// TestEmailAndURL pins what the email and url checks accept: addresses
// whose domain is a host name (or a bracketed IP), and absolute http,
// https, ftp and ftps URLs whose host is a host name or an IP address.
func TestEmailAndURL(t *testing.T) {
	for _, tc := range []struct {
		s    string
		want bool
	}{
		{"a@example.com", true},
		{"first.last+tag@sub.example.co.uk", true},
		{"ünï@exämple.com", true},
		{"a@localhost", true},
		{"a@[192.0.2.1]", true},
		{"a@-x.com", false},
		{"a@x-.com", false},
		{"a@x..com", false},
		{"a@intranet", false},
		{"a@", false},
		{"@example.com", false},
		{"A <a@example.com>", false},
		{"a@exa mple.com", false},
		{"a@ex_ample.com", false},
		{"a@[not an ip]", false},
	} {
		if got := validEmail(tc.s); got != tc.want {
			t.Errorf("email %q: %v, want %v", tc.s, got, tc.want)
		}
	}
	for _, tc := range []struct {
		s    string
		want bool
	}{
		{"https://example.com", true},
		{"http://example.com:8080/a/b?q=1#f", true},
		{"HTTPS://EXAMPLE.COM/", true},
		{"ftp://files.example.com/x", true},
		{"https://example.com/ü", true},
		{"http://192.0.2.1/", true},
		{"http://[2001:db8::1]:443/", true},
		{"http://localhost:3000", true},
		{"javascript://alert(1)", false},
		{"javascript:alert(1)", false},
		{"data:text/html,x", false},
		{"file:///etc/passwd", false},
		{"mailto:a@example.com", false},
		{"example.com/no-scheme", false},
		{"http://", false},
		{"http://-x.com", false},
		{"http://exa mple.com", false},
		{"http://example.com/a b", false},
		{"http://example.com:99999", false},
		{"http://example.com:", false},
		{"http://[not-ip]/", false},
	} {
		if got := validURL(tc.s); got != tc.want {
			t.Errorf("url %q: %v, want %v", tc.s, got, tc.want)
		}
	}
}

// TestDecimalDigitsCheck counts digits as PostgreSQL's NUMERIC(p, s)
// does: leading zeros of the whole part and trailing zeros of the
// fraction do not count.
func TestDecimalDigitsCheck(t *testing.T) {
	c := &Column{Field: "d", MaxDigits: 5, DecimalPlaces: 2}
	for _, tc := range []struct {
		s     string
		codes string
	}{
		{"999.99", ""},
		{"-999.99", ""},
		{"000999.990000", ""},
		{"0.01", ""},
		{"0", ""},
		{"1.234", "decimal_places"},
		{"1000", "max_digits"},
		{"-1000.001", "decimal_places max_digits"},
	} {
		var k checker
		k.check(c, MustDecimal(tc.s))
		got := ""
		for i, f := range k.errs {
			if i > 0 {
				got += " "
			}
			got += f.Code
		}
		if got != tc.codes {
			t.Errorf("%s in Decimal(5, 2): %q, want %q", tc.s, got, tc.codes)
		}
	}
}
