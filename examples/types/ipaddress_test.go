package types

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/ormc/ormc/examples/types/db"
	"github.com/ormc/ormc/internal/testdb"
	"github.com/ormc/ormc/runtime"
)

var (
	addr4      = netip.MustParseAddr("192.0.2.1")
	addr4In6   = netip.MustParseAddr("::ffff:192.0.2.1") // addr4 mapped into IPv6: the same host
	addr6      = netip.MustParseAddr("2001:db8::1")
	addr6Upper = "2001:DB8:0::1" // addr6 written otherwise
	addrZoned  = netip.MustParseAddr("fe80::1%eth0")
)

// server returns a Server at the i-th address of 10.0.0.0/8, its public
// address in 2001:db8::/32.
func server(i int) *db.Server {
	return &db.Server{
		Addr:   netip.AddrFrom4([4]byte{10, byte(i >> 16), byte(i >> 8), byte(i)}),
		Name:   fmt.Sprintf("s%d", i),
		Public: netip.MustParseAddr(fmt.Sprintf("2001:db8::%x:%x", i>>16, i&0xffff)),
	}
}

// TestIPAddress: IPAddress fields as a key, unique and nullable, written
// by Create, Update, UpdateAll and BulkCreate (COPY on PostgreSQL), read
// back in their canonical form, and found by exact and in, typed and
// seed-style, alike on every database. An IPv4-mapped address is the IPv4
// address; a zone is refused before any SQL.
func TestIPAddress(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		ctx := context.Background()
		var copies atomic.Int64
		client := openTypes(t, url, runtime.WithHook(func(_ context.Context, ev runtime.QueryEvent) {
			if strings.HasPrefix(ev.SQL, "COPY ") {
				copies.Add(1)
			}
		}))
		servers := client.Servers

		// Create and Get: the mapped address reads back as IPv4.
		a := &db.Server{Addr: addr4In6, Name: "a", Public: addr6, Backup: runtime.Some(addr4In6)}
		if _, err := servers.Create(ctx, a); err != nil {
			t.Fatal(err)
		}
		got, err := servers.Get(ctx, db.ServerAddr.Eq(addr4))
		if err != nil {
			t.Fatal(err)
		}
		if got.Addr != addr4 || got.Public != addr6 || got.Backup != runtime.Some(addr4) {
			t.Errorf("read back %v %v %v, want %v %v %v", got.Addr, got.Public, got.Backup, addr4, addr6, addr4)
		}
		b := &db.Server{Addr: addr6, Name: "b", Public: addr4}
		if _, err := servers.Create(ctx, b); err != nil {
			t.Fatal(err)
		}

		// exact, ne and in, typed and seed-style: each spelling of an
		// address finds its row.
		for what, q := range map[string]*runtime.Query[*db.Server]{
			"Eq mapped":            servers.Filter(db.ServerAddr.Eq(addr4In6)),
			"In":                   servers.Filter(db.ServerAddr.In(addr4, netip.MustParseAddr("10.9.9.9"))),
			"In mapped":            servers.Filter(db.ServerPublic.In(addr4In6)),
			"Ne":                   servers.Filter(db.ServerAddr.Ne(addr6)),
			"null Eq":              servers.Filter(db.ServerBackup.Eq(addr4)),
			"pk":                   servers.Where("pk", "192.0.2.1"),
			"exact mapped":         servers.Where("addr__exact", "::ffff:192.0.2.1"),
			"exact netip":          servers.Where("addr", addr4),
			"in strings":           servers.Where("addr__in", []string{"192.0.2.1", "::2"}),
			"public in upper case": servers.Where("public__in", []any{addr6Upper}),
			"backup isnull":        servers.Where("backup__isnull", false),
		} {
			rows, err := q.All(ctx)
			if err != nil || len(rows) != 1 {
				t.Errorf("%s: %d rows, %v; want 1", what, len(rows), err)
			}
		}

		// Validation: a zone and the zero address are refused, naming the
		// model and the field, before any SQL.
		for _, tc := range []struct {
			row  *db.Server
			want []string
		}{
			{&db.Server{Addr: addrZoned, Name: "z", Public: netip.MustParseAddr("::3")}, []string{"addr:ip_address"}},
			{&db.Server{Addr: netip.MustParseAddr("::4"), Name: "z", Backup: runtime.Some(addrZoned)}, []string{"public:required", "backup:ip_address"}},
			{&db.Server{Addr: netip.MustParseAddr("::5"), Name: "z", Public: addr6, Backup: runtime.Some(netip.Addr{})}, []string{"backup:ip_address"}},
		} {
			_, err := servers.Create(ctx, tc.row)
			var ve *runtime.ValidationError
			if !errors.As(err, &ve) || ve.Model != "Server" || !slices.Equal(codes(err), tc.want) {
				t.Errorf("create %+v: %v; want a *ValidationError of Server with %v", tc.row, err, tc.want)
			}
		}

		// Lookup values that are no address, or one with a zone, are
		// refused before any SQL.
		for _, v := range []any{"192.0.2.1/32", "not an address", "fe80::1%eth0", addrZoned, 42, []byte("192.0.2.1")} {
			_, err := servers.Where("addr", v).Count(ctx)
			var le *runtime.LookupError
			if !errors.As(err, &le) || !errors.Is(err, runtime.ErrLookupValue) || le.Model != "Server" {
				t.Errorf("Where(addr, %#v): want a *LookupError wrapping ErrLookupValue, got %v", v, err)
			}
		}
		if _, err := servers.Filter(db.ServerAddr.In(addr4, addrZoned)).Count(ctx); !errors.Is(err, runtime.ErrLookupValue) {
			t.Errorf("In with a zoned address: %v, want ErrLookupValue", err)
		}
		// No order: PostgreSQL sorts inet by number, the others text.
		if _, err := servers.Where("addr__lt", "10.0.0.1").Count(ctx); err == nil {
			t.Error("addr__lt: an IPAddress has no order, yet the lookup was accepted")
		}
		for what, q := range map[string]*runtime.Query[*db.Server]{
			"addr":   servers.OrderBy(db.ServerAddr.Asc()),
			"backup": servers.OrderBy(db.ServerName.Asc(), db.ServerBackup.Desc()),
		} {
			if _, err := q.All(ctx); !errors.Is(err, runtime.ErrInvalidQuery) {
				t.Errorf("ordered by %s: %v, want ErrInvalidQuery", what, err)
			}
		}
		if _, err := client.ToIPAddresses.OrderBy(db.ToIPAddressToID.Asc()).All(ctx); !errors.Is(err, runtime.ErrInvalidQuery) {
			t.Errorf("ordered by a relation to an IPAddress key: %v, want ErrInvalidQuery", err)
		}

		// Unique: the same host spelt otherwise is the same value.
		dup := &db.Server{Addr: netip.MustParseAddr("::6"), Name: "dup", Public: netip.MustParseAddr(addr6Upper)}
		_, err = servers.Create(ctx, dup)
		var ce *runtime.ConstraintError
		if !errors.As(err, &ce) || ce.Kind != runtime.UniqueViolation || ce.Constraint != "server_public_key" {
			t.Errorf("duplicate public address: %v, want the unique violation of server_public_key", err)
		}
		dup.Addr, dup.Public = addr4In6, netip.MustParseAddr("::7")
		if _, err = servers.Create(ctx, dup); !errors.As(err, &ce) || ce.Constraint != "server_pkey" {
			t.Errorf("duplicate key: %v, want the unique violation of server_pkey", err)
		}

		// Update and UpdateAll.
		got.Public, got.Backup = netip.MustParseAddr("::ffff:198.51.100.7"), runtime.Null[netip.Addr]{}
		if err := servers.Update(ctx, got); err != nil {
			t.Fatal(err)
		}
		if n, err := servers.Filter(db.ServerPublic.Eq(netip.MustParseAddr("198.51.100.7")), db.ServerBackup.IsNull(true)).Count(ctx); err != nil || n != 1 {
			t.Errorf("after Update: %d rows, %v", n, err)
		}
		if n, err := servers.Filter(db.ServerAddr.Eq(addr6)).UpdateAll(ctx, db.ServerBackup.Set(addr4In6)); err != nil || n != 1 {
			t.Errorf("UpdateAll: %d rows, %v", n, err)
		}
		if n, err := servers.Filter(db.ServerBackup.Eq(addr4)).Count(ctx); err != nil || n != 1 {
			t.Errorf("after UpdateAll: %d rows with backup %v, %v; want 1", n, addr4, err)
		}
		if _, err := servers.Filter(db.ServerAddr.Eq(addr6)).UpdateAll(ctx, db.ServerBackup.Set(addrZoned)); codes(err) == nil {
			t.Errorf("UpdateAll to a zoned address: %v, want a *ValidationError", err)
		}

		// Delete, by the key.
		if err := servers.Delete(ctx, b); err != nil {
			t.Errorf("delete: %v", err)
		}
		if n, err := servers.Count(ctx); err != nil || n != 1 {
			t.Errorf("after Delete: %d rows, %v; want 1", n, err)
		}

		// BulkCreate: 300 rows, through COPY on PostgreSQL, and a few
		// through one multi-row statement.
		for _, n := range []int{3, 300} {
			var rows []*db.Server
			for i := range n {
				s := server(1000*n + i)
				if i%2 == 0 {
					s.Backup = runtime.Some(netip.AddrFrom16(s.Addr.As16())) // mapped
				}
				rows = append(rows, s)
			}
			if err := servers.BulkCreate(ctx, rows); err != nil {
				t.Fatal(err)
			}
			for i, w := range rows {
				g, err := servers.Get(ctx, db.ServerAddr.Eq(w.Addr))
				if err != nil {
					t.Fatalf("bulk row %d of %d: %v", i, n, err)
				}
				if g.Public != w.Public || g.Backup.Valid != w.Backup.Valid || g.Backup.V != w.Backup.V.Unmap() {
					t.Errorf("bulk row %d of %d: read back %v %v, want %v %v", i, n, g.Public, g.Backup, w.Public, w.Backup)
				}
			}
		}
		if want := map[bool]int64{true: 1}[strings.HasPrefix(url, "postgres")]; copies.Load() != want {
			t.Errorf("%d COPY statements, want %d", copies.Load(), want)
		}
	})
}

// TestIPAddressNetwork: a PostgreSQL inet written by other SQL may hold a
// network, which no netip.Addr holds: reading it is an error, not a
// truncated address.
func TestIPAddressNetwork(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		if !strings.HasPrefix(url, "postgres") {
			t.Skip("only PostgreSQL's inet holds a netmask")
		}
		ctx := context.Background()
		client := openTypes(t, url)
		if _, err := client.DB().Exec(ctx, `INSERT INTO "server" ("addr", "name", "public", "backup") VALUES ('10.0.0.1', 'n', '10.1.0.0/16', '10.2.0.0/16')`); err != nil {
			t.Fatal(err)
		}
		_, err := client.Servers.Get(ctx, db.ServerAddr.Eq(netip.MustParseAddr("10.0.0.1")))
		if err == nil || !strings.Contains(err.Error(), `"10.1.0.0/16" is a network, not an IP address`) {
			t.Errorf("reading a network: %v", err)
		}
		// A host's full netmask is the host.
		if _, err := client.DB().Exec(ctx, `UPDATE "server" SET "public" = '10.1.0.1/32', "backup" = '::1/128'`); err != nil {
			t.Fatal(err)
		}
		s, err := client.Servers.Get(ctx, db.ServerAddr.Eq(netip.MustParseAddr("10.0.0.1")))
		if err != nil || s.Public != netip.MustParseAddr("10.1.0.1") || s.Backup != runtime.Some(netip.IPv6Loopback()) {
			t.Errorf("reading hosts with their netmask: %+v, %v", s, err)
		}
	})
}
