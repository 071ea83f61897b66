package textcheck

import (
	"net/netip"
	"testing"
)

func TestRules(t *testing.T) {
	for _, tc := range []struct {
		s          string
		email, url bool
	}{
		{"a@b.example", true, false},
		{"notanemail", false, false},
		{"A <a@b.example>", false, false},
		{"https://example.com/x", false, true},
		{"mailto:a@b.example", false, false},
		{"foo", false, false},
		{"/relative/path", false, false},
	} {
		if got := Email(tc.s); got != tc.email {
			t.Errorf("Email(%q) = %v", tc.s, got)
		}
		if got := URL(tc.s); got != tc.url {
			t.Errorf("URL(%q) = %v", tc.s, got)
		}
	}
}

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
		if got := Email(tc.s); got != tc.want {
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
		if got := URL(tc.s); got != tc.want {
			t.Errorf("url %q: %v, want %v", tc.s, got, tc.want)
		}
	}
}

func TestHostAddr(t *testing.T) {
	for _, tc := range []struct {
		in, want, problem string
	}{
		{"192.0.2.1", "192.0.2.1", ""},
		{"::ffff:192.0.2.1", "192.0.2.1", ""},
		{"2001:DB8::0:1", "2001:db8::1", ""},
		{"::", "::", ""},
		{"fe80::1%eth0", "", "has a zone (%eth0), which an IPAddress field does not store"},
		{"10.0.0.1/8", "", "is not an IP address"},
		{"010.0.0.1", "", "is not an IP address"},
		{" 10.0.0.1", "", "is not an IP address"},
		{"", "", "is not an IP address"},
	} {
		a, problem := ParseHostAddr(tc.in)
		if problem != tc.problem || problem == "" && a.String() != tc.want {
			t.Errorf("ParseHostAddr(%q) = %v, %q; want %s, %q", tc.in, a, problem, tc.want, tc.problem)
		}
	}
	if _, problem := HostAddr(netip.Addr{}); problem == "" {
		t.Error("the zero Addr is stored")
	}
}
