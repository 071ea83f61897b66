package runtime

import (
	"fmt"
	"net/netip"
	"reflect"
	"strings"

	"github.com/ormc/ormc/internal/textcheck"
)

// IPAddress fields hold a netip.Addr: a host's address, stored in one
// canonical form (textcheck.HostAddr) so that equality and in agree on
// every database: an inet on PostgreSQL, text elsewhere. Generated code
// scans them through these pointer types, as no driver returns a
// netip.Addr: PostgreSQL gives an inet's text with its netmask
// ("192.0.2.1/32"), the others the text stored.

// HostAddr is a *netip.Addr as a scan destination.
type HostAddr netip.Addr

// Scan implements sql.Scanner.
func (a *HostAddr) Scan(src any) error {
	if src == nil {
		return fmt.Errorf("ormc: cannot scan NULL into a netip.Addr")
	}
	x, err := scanAddr(src)
	*a = HostAddr(x)
	return err
}

// NullHostAddr is a *Null[netip.Addr] as a scan destination.
type NullHostAddr Null[netip.Addr]

// Scan implements sql.Scanner.
func (a *NullHostAddr) Scan(src any) error {
	if src == nil {
		*a = NullHostAddr{}
		return nil
	}
	x, err := scanAddr(src)
	*a = NullHostAddr{V: x, Valid: err == nil}
	return err
}

// scanAddr reads an address as a driver returns it. A PostgreSQL inet
// that holds a network rather than one host ("10.0.0.0/8", written by
// other SQL) is refused: it is not a netip.Addr.
func scanAddr(src any) (netip.Addr, error) {
	var s string
	switch x := src.(type) {
	case string:
		s = x
	case []byte:
		s = string(x)
	default:
		return netip.Addr{}, fmt.Errorf("ormc: cannot scan %T into a netip.Addr", src)
	}
	if strings.Contains(s, "/") {
		p, err := netip.ParsePrefix(s)
		if err != nil || p.Bits() != p.Addr().BitLen() {
			return netip.Addr{}, fmt.Errorf("ormc: %q is a network, not an IP address", s)
		}
		return p.Addr(), nil
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Addr{}, fmt.Errorf("ormc: %q is not an IP address", s)
	}
	return a, nil
}

// BindAddr returns the value to bind for an IPAddress: its canonical text
// (textcheck.HostAddr), which every database compares as the same value;
// or a itself when it has none (the zero Addr, a zone), which validation
// refuses before any SQL.
func BindAddr(a netip.Addr) any {
	if h, problem := textcheck.HostAddr(a); problem == "" {
		return h.String()
	}
	return a
}

// BindNullAddr returns the value to bind for a nullable IPAddress.
func BindNullAddr(a Null[netip.Addr]) any {
	if !a.Valid {
		return nil
	}
	return BindAddr(a.V)
}

// convertAddr converts a seed-style lookup value: a netip.Addr, or a
// string that parses as one.
func convertAddr(v any, rv reflect.Value) (any, bool) {
	if a, ok := v.(netip.Addr); ok {
		return a, true
	}
	if s, ok := stringOf(v, rv); ok {
		a, err := netip.ParseAddr(s)
		return a, err == nil
	}
	return nil, false
}

func fitAddr(_ *Column, a netip.Addr) bool {
	_, problem := textcheck.HostAddr(a)
	return problem == ""
}

func (k checker) hostAddr(c *Column, a netip.Addr) checker {
	_, problem := textcheck.HostAddr(a)
	switch {
	case problem == "":
	case !a.IsValid() && !c.Null:
		// The zero Addr is no address: a field left unset.
		k.add(c, "required", "is required")
	case !a.IsValid():
		k.add(c, "ip_address", "%s", problem)
	default:
		k.add(c, "ip_address", "%s %s", a, problem)
	}
	return k
}
