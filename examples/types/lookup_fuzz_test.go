package types

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/netip"
	"os"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ormc/ormc/examples/types/db"
	"github.com/ormc/ormc/internal/testdb"
	"github.com/ormc/ormc/runtime"
)

// FuzzLookupValues feeds values of many Go types to every lookup of every
// field of Value (every type ormc has) and of the relations of ToUUID,
// ToDateTime, ToDecimal and ToEnum, on SQLite and on PostgreSQL and
// MariaDB when their DSNs are set. Each lookup must either fail with a
// *runtime.LookupError before any statement is sent, on every database,
// or return the same rows on every database. Text with a NUL byte is left
// out: docs/reliability.md says what each database does with it.
func FuzzLookupValues(f *testing.F) {
	for _, s := range fuzzLiterals {
		for kind := range uint8(fuzzKinds) {
			f.Add(uint8(len(s)), uint8(kind), uint8(kind), s, int64(len(s))-2, 1.5)
		}
	}
	f.Add(uint8(0), uint8(9), uint8(0), "2abc", int64(2), 0.0)    // pk__lt "2abc"
	f.Add(uint8(6), uint8(0), uint8(4), "", int64(0), 1.9)        // small 1.9
	f.Add(uint8(8), uint8(9), uint8(4), "", int64(0), math.NaN()) // ratio__lt NaN
	f.Add(uint8(6), uint8(11), uint8(1), "", int64(1)<<40, 0.0)   // small__gt 1<<40

	ctx := context.Background()
	var sent atomic.Int64
	var clients []*db.Client
	for _, d := range testdb.Dialects {
		if d.Env != "" && os.Getenv(d.Env) == "" {
			continue // SQLite alone, or with the databases whose DSNs are set
		}
		client, err := db.Open(ctx, testdb.Fresh(f, d), runtime.WithHook(func(context.Context, runtime.QueryEvent) { sent.Add(1) }))
		if err != nil {
			f.Fatal(err)
		}
		f.Cleanup(func() { client.Close() })
		if err := client.CreateTables(ctx); err != nil {
			f.Fatal(err)
		}
		clients = append(clients, client)
	}
	fuzzRows(f, clients)

	f.Fuzz(func(t *testing.T, field, op, kind uint8, s string, n int64, x float64) {
		target := fuzzTargets[int(field)%len(fuzzTargets)]
		lookup := target.field
		if o := fuzzOps[int(op)%len(fuzzOps)]; o != "" {
			lookup += "__" + o
		}
		v := fuzzValue(kind, s, n, x)
		name := target.model + " " + lookup
		if strings.IndexByte(s, 0) >= 0 {
			return // see TestReliabilityNUL
		}
		var first []int64
		var firstErr error
		for i, c := range clients {
			sent.Store(0)
			got, err := target.query(ctx, c, lookup, v)
			var le *runtime.LookupError
			switch {
			case errors.As(err, &le):
				if le.Lookup != lookup {
					t.Fatalf("%s %#v: the *LookupError names %q", name, v, le.Lookup)
				}
				if n := sent.Load(); n != 0 {
					t.Fatalf("%s %#v: %d statements sent before the *LookupError", name, v, n)
				}
			case err != nil:
				t.Fatalf("%s %#v on %s: want rows or a *LookupError, got %v", name, v, c.DB().Dialect().Name(), err)
			}
			if i == 0 {
				first, firstErr = got, err
				continue
			}
			if (err == nil) != (firstErr == nil) || !slices.Equal(got, first) {
				t.Fatalf("%s %#v: %s gives %v (%v), %s gives %v (%v)", name, v,
					clients[0].DB().Dialect().Name(), first, firstErr, c.DB().Dialect().Name(), got, err)
			}
		}
	})
}

// fuzzKinds is the number of kinds of value fuzzValue makes.
const fuzzKinds = 27

// fuzzValue makes a lookup value of one of many Go types from the
// fuzzer's inputs.
func fuzzValue(kind uint8, s string, n int64, x float64) any {
	switch kind % fuzzKinds {
	case 0:
		return s
	case 1:
		return n
	case 2:
		return int32(n)
	case 3:
		return uint64(n)
	case 4:
		return x
	case 5:
		return float32(x)
	case 6:
		return n%2 == 0
	case 7:
		return nil
	case 8:
		return []string{s, s + "0"}
	case 9:
		return []int64{n, n >> 8}
	case 10:
		return []any{s, n, x, nil}
	case 11:
		return time.Unix(n%(400*366*86400), n%1e9).In(time.FixedZone("", int(n%50400)))
	case 12:
		return runtime.Date{Year: int(n % 10001), Month: time.Month(n >> 16 % 13), Day: int(n >> 24 % 32)}
	case 13:
		return runtime.TimeOfDay{Hour: int(n % 25), Minute: int(n >> 8 % 61), Second: int(n >> 16 % 61), Microsecond: int(n >> 24 % 1000001)}
	case 14:
		var u runtime.UUID
		copy(u[:], s)
		return u
	case 15:
		d, err := runtime.ParseDecimal(s)
		if err != nil {
			return runtime.MustDecimal(fmt.Sprint(n))
		}
		return d
	case 16:
		return json.Number(s)
	case 17:
		return []byte(s)
	case 18:
		return (*db.Value)(nil)
	case 19:
		return &db.Value{ID: n}
	case 20:
		return runtime.Some(n)
	case 21:
		return runtime.Null[string]{}
	case 22:
		return []float64{x, math.NaN(), math.Inf(int(n % 2))}[n&3%3]
	case 23:
		return fuzzLiterals[uint64(n)%uint64(len(fuzzLiterals))]
	case 24:
		return []string{fuzzLiterals[uint64(n)%uint64(len(fuzzLiterals))], s}
	case 25:
		var b [16]byte
		copy(b[:], s)
		return netip.AddrFrom16(b).Unmap().WithZone(map[bool]string{true: "eth0"}[n%5 == 0])
	}
	return db.ValueKindEnum(s)
}

// fuzzLiterals are literals of the rows' values in the forms the lookups
// convert, and near misses, for the fuzzer to start from.
var fuzzLiterals = []string{
	"1", "2", "2abc", " 2", "-2147483648", "2147483648", "9223372036854775807", "1.5", "1e3", "NaN",
	"0.0000000001", "-0.0000000001", "12345678901234567890.0123456789", "1969-07-20", "0001-01-01",
	"23:59:58.999999", "00:00:00", "1960-02-29T12:34:56.123456-09:30", "2024-12-31T23:59:59.999999Z",
	"0B9F3C1E-8F6A-4C2D-9E7B-1A2B3C4D5E6F", "0b9f3c1e-8f6a-4c2d-9e7b-1a2b3c4d5e6f", "gift card", "single",
	"Single", "sad", "true", "false", "plain", "éé", "É", "%", "_", "a@example.com", "",
	"2001:db8:85a3::8a2e:370:7334", "2001:DB8:85A3:0::8A2E:370:7334", "0.0.0.0", "::ffff:192.0.2.255",
	"192.0.2.255", "fe80::1%eth0", "192.0.2.255/32",
}

// fuzzOps are the lookups tried on every field; "" is the bare field.
var fuzzOps = []string{"", "exact", "iexact", "contains", "icontains", "startswith", "istartswith",
	"endswith", "iendswith", "lt", "lte", "gt", "gte", "in", "isnull", "ne"}

// fuzzTarget is one field of a model and how to query the model,
// returning the keys of the rows found in order.
type fuzzTarget struct {
	model, field string
	query        func(ctx context.Context, c *db.Client, lookup string, v any) ([]int64, error)
}

var fuzzTargets = func() []fuzzTarget {
	var out []fuzzTarget
	for _, f := range []string{"pk", "id", "str", "blank_str", "text", "flag", "small", "big", "ratio", "price",
		"day", "at", "moment", "doc", "uid", "addr", "kind", "email", "site", "maybe", "when", "mood", "host"} {
		out = append(out, fuzzTarget{"Value", f, func(ctx context.Context, c *db.Client, lookup string, v any) ([]int64, error) {
			return keys(c.Values.Where(lookup, v).OrderBy(db.ValueID.Asc()).All(ctx))
		}})
	}
	for _, f := range []string{"to", "maybe", "one", "to__id", "maybe__name"} {
		out = append(out,
			fuzzTarget{"ToUUID", f, func(ctx context.Context, c *db.Client, lookup string, v any) ([]int64, error) {
				return keys(c.ToUUIDs.Where(lookup, v).OrderBy(db.ToUUIDID.Asc()).All(ctx))
			}},
			fuzzTarget{"ToDateTime", f, func(ctx context.Context, c *db.Client, lookup string, v any) ([]int64, error) {
				return keys(c.ToDateTimes.Where(lookup, v).OrderBy(db.ToDateTimeID.Asc()).All(ctx))
			}},
			fuzzTarget{"ToDecimal", f, func(ctx context.Context, c *db.Client, lookup string, v any) ([]int64, error) {
				return keys(c.ToDecimals.Where(lookup, v).OrderBy(db.ToDecimalID.Asc()).All(ctx))
			}},
			fuzzTarget{"ToEnum", f, func(ctx context.Context, c *db.Client, lookup string, v any) ([]int64, error) {
				return keys(c.ToEnums.Where(lookup, v).OrderBy(db.ToEnumID.Asc()).All(ctx))
			}},
		)
	}
	return out
}()

// fuzzRows writes the same rows to every database: the edge values of
// values() and, for each kind of relation key, two keys and two rows
// referring to them.
func fuzzRows(f *testing.F, clients []*db.Client) {
	ctx := context.Background()
	rows := values()
	rows[1].UID = runtime.UUID{0xff, 0xfe, 0, 1}
	u1, u2 := rows[0].UID, runtime.UUID{0x0b, 0x9f}
	t1, t2 := rows[0].Moment.UTC(), time.Date(2024, 2, 29, 0, 0, 0, 1000, time.UTC)
	d1, d2 := runtime.MustDecimal("12345678.90"), runtime.MustDecimal("-0.01")
	for _, c := range clients {
		for _, r := range rows {
			if _, err := c.Values.Create(ctx, r); err != nil {
				f.Fatal(err)
			}
		}
		byU := []*db.ByUUID{{ID: u1, Name: "one"}, {ID: u2, Name: "two"}}
		byT := []*db.ByDateTime{{ID: t1, Name: "one"}, {ID: t2, Name: "two"}}
		byD := []*db.ByDecimal{{ID: d1, Name: "one"}, {ID: d2, Name: "two"}}
		byE := []*db.ByEnum{{ID: "red", Name: "one"}, {ID: "dark blue", Name: "two"}}
		err := errors.Join(c.ByUUIDs.BulkCreate(ctx, byU), c.ByDateTimes.BulkCreate(ctx, byT),
			c.ByDecimals.BulkCreate(ctx, byD), c.ByEnums.BulkCreate(ctx, byE))
		if err == nil {
			err = c.ToUUIDs.BulkCreate(ctx, []*db.ToUUID{
				{ID: 1, To: db.ByUUIDRef(byU[0]), Only: db.ByUUIDRef(byU[0])},
				{ID: 2, To: db.ByUUIDRef(byU[1]), Maybe: db.ByUUIDRef(byU[0]), Only: db.ByUUIDRef(byU[1]), One: db.ByUUIDRef(byU[0])},
			})
		}
		if err == nil {
			err = c.ToDateTimes.BulkCreate(ctx, []*db.ToDateTime{
				{ID: 1, To: db.ByDateTimeRef(byT[0]), Only: db.ByDateTimeRef(byT[0])},
				{ID: 2, To: db.ByDateTimeRef(byT[1]), Maybe: db.ByDateTimeRef(byT[0]), Only: db.ByDateTimeRef(byT[1]), One: db.ByDateTimeRef(byT[0])},
			})
		}
		if err == nil {
			err = c.ToDecimals.BulkCreate(ctx, []*db.ToDecimal{
				{ID: 1, To: db.ByDecimalRef(byD[0]), Only: db.ByDecimalRef(byD[0])},
				{ID: 2, To: db.ByDecimalRef(byD[1]), Maybe: db.ByDecimalRef(byD[0]), Only: db.ByDecimalRef(byD[1]), One: db.ByDecimalRef(byD[0])},
			})
		}
		if err == nil {
			err = c.ToEnums.BulkCreate(ctx, []*db.ToEnum{
				{ID: 1, To: db.ByEnumRef(byE[0]), Only: db.ByEnumRef(byE[0])},
				{ID: 2, To: db.ByEnumRef(byE[1]), Maybe: db.ByEnumRef(byE[0]), Only: db.ByEnumRef(byE[1]), One: db.ByEnumRef(byE[0])},
			})
		}
		if err != nil {
			f.Fatal(err)
		}
	}
}

// keys returns the primary keys of rows.
func keys[P interface{ PKValue() any }](rows []P, err error) ([]int64, error) {
	if err != nil {
		return nil, err
	}
	out := make([]int64, len(rows))
	for i, r := range rows {
		out[i], _ = r.PKValue().(int64)
	}
	return out, nil
}
