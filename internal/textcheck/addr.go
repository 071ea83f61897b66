package textcheck

import "net/netip"

// HostAddr returns a, an IP address to store in an IPAddress field, in
// the one form every database stores it in, or why it cannot be stored:
// the zero netip.Addr is no address, and PostgreSQL's inet has no place
// for a zone ("fe80::1%eth0"). An IPv4 address mapped into IPv6
// ("::ffff:192.0.2.1") is stored as the IPv4 address, so that the two
// spellings of one host are one value, equal on every database (as text
// on MySQL and SQLite, where inet would tell them apart on PostgreSQL).
func HostAddr(a netip.Addr) (netip.Addr, string) {
	switch {
	case !a.IsValid():
		return a, "is not an IP address"
	case a.Zone() != "":
		return a, "has a zone (%" + a.Zone() + "), which an IPAddress field does not store"
	}
	return a.Unmap(), ""
}

// ParseHostAddr parses an IP address written as text ("192.0.2.1",
// "2001:db8::1") and returns it as HostAddr does; a problem when s is not
// one.
func ParseHostAddr(s string) (netip.Addr, string) {
	a, err := netip.ParseAddr(s)
	if err != nil {
		return a, "is not an IP address"
	}
	return HostAddr(a)
}
