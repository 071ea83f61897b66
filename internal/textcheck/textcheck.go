// Package textcheck holds the rules for text formats that both the checker
// (for a field's default) and the runtime (for every value written) apply,
// so that a default the checker accepts is one the runtime accepts. It
// imports only the standard library.
package textcheck

import (
	"net"
	"net/mail"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode"
)

// Email reports whether s is one email address, written bare (what
// net/mail parses as an address equal to s: "a@b.example", not "A
// <a@b.example>"), whose domain is a host name or a bracketed IP address.
func Email(s string) bool { return validEmail(s) }

// URL reports whether s is an absolute http, https, ftp or ftps URL with a
// host.
func URL(s string) bool { return validURL(s) }

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
