package types

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"testing"
	"time"

	"github.com/ormc/ormc/examples/types/db"
	"github.com/ormc/ormc/internal/testdb"
	"github.com/ormc/ormc/runtime"
)

// TestRelationKeyTypes: a relation to a model keyed by each type a key may
// have, required and nullable, ForeignKey and OneToOne, on every
// database: the referring rows are created and read back with their keys,
// filtered by the key field, through the relation and seed-style, fetched
// with SelectRelated, loaded in one batch, found from the other side, and
// deleted with each on_delete action.
func TestRelationKeyTypes(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		ctx := context.Background()
		client := openTypes(t, url)
		t.Run("Integer", func(t *testing.T) { runKeyKit(t, ctx, client, integerKit) })
		t.Run("BigInteger", func(t *testing.T) { runKeyKit(t, ctx, client, bigIntegerKit) })
		t.Run("String", func(t *testing.T) {
			runKeyKit(t, ctx, client, stringKit)
			// A text key's text lookups, through the relation: r0 refers
			// to "key-b", which is left.
			for what, q := range map[string]*runtime.Query[*db.ToString]{
				"to.id iexact":            client.ToStrings.Filter(db.ToStringTo.ID.IExact("KEY-B")),
				"to.id contains":          client.ToStrings.Filter(db.ToStringTo.ID.Contains("y-b")),
				`Where("to__id__iexact")`: client.ToStrings.Where("to__id__iexact", "KEY-B"),
			} {
				if n, err := q.Count(ctx); err != nil || n != 1 {
					t.Errorf("%s: %d rows, %v; want 1", what, n, err)
				}
			}
		})
		t.Run("Email", func(t *testing.T) { runKeyKit(t, ctx, client, emailKit) })
		t.Run("URL", func(t *testing.T) { runKeyKit(t, ctx, client, urlKit) })
		t.Run("UUID", func(t *testing.T) { runKeyKit(t, ctx, client, uuidKit) })
		t.Run("Decimal", func(t *testing.T) { runKeyKit(t, ctx, client, decimalKit) })
		t.Run("Date", func(t *testing.T) { runKeyKit(t, ctx, client, dateKit) })
		t.Run("DateTime", func(t *testing.T) { runKeyKit(t, ctx, client, dateTimeKit) })
		t.Run("IPAddress", func(t *testing.T) { runKeyKit(t, ctx, client, ipAddressKit) })
		t.Run("Enum", func(t *testing.T) { runKeyKit(t, ctx, client, enumKit) })
		t.Run("Relation", func(t *testing.T) { runKeyKit(t, ctx, client, relationKit) })
	})
}

// keyKit is what runKeyKit needs of one key type K: the model keyed by it
// (B, a *db.ByX), the model referring to it (T, a *db.ToX) and their
// generated code, as functions.
type keyKit[B, T any, K comparable] struct {
	keys [2]K
	// other is keys[0] written another way, which must find the same
	// rows: another time zone, other decimal digits; the zero K for none.
	other K
	// same reports whether two keys are the same key; == when nil.
	same func(a, b K) bool

	by    func(*db.Client) *runtime.Query[B]
	to    func(*db.Client) *runtime.Query[T]
	newBy func(ctx context.Context, c *db.Client, key K, name string) (B, error)
	ref   func(B) runtime.Ref[B, K] // ByXRef
	name  func(B) string
	newTo func() T
	// rels returns the four relations of a ToX row: to (ForeignKey,
	// cascade), maybe (ForeignKey null, set_null), only (OneToOne,
	// cascade), one (OneToOne null, restrict).
	rels func(T) [4]*runtime.Ref[B, K]

	// The typed fields: each relation's own key field's Eq, the first's
	// In, maybe's IsNull, the target's key and name through to, the four
	// relations for SelectRelated, and one's NULL, for Update.
	eq      [4]func(K) runtime.Pred[T]
	in      func(...K) runtime.Pred[T]
	isNull  func(bool) runtime.Pred[T]
	through func(K) runtime.Pred[T]
	byName  func(string) runtime.Pred[T]
	related [4]runtime.Relation[T]
	oneNull runtime.Assignment[T]
	// reverse is the client's reverse query of to (related_name: tos).
	reverse func(*db.Client, B) *runtime.Query[T]
}

var integerKit = keyKit[*db.ByInteger, *db.ToInteger, int64]{
	keys: [2]int64{7, -3},
	by:   func(c *db.Client) *runtime.Query[*db.ByInteger] { return c.ByIntegers },
	to:   func(c *db.Client) *runtime.Query[*db.ToInteger] { return c.ToIntegers },
	newBy: func(ctx context.Context, c *db.Client, k int64, name string) (*db.ByInteger, error) {
		return c.ByIntegers.Create(ctx, &db.ByInteger{ID: k, Name: name})
	},
	ref:   db.ByIntegerRef,
	name:  func(b *db.ByInteger) string { return b.Name },
	newTo: func() *db.ToInteger { return new(db.ToInteger) },
	rels: func(r *db.ToInteger) [4]*runtime.Ref[*db.ByInteger, int64] {
		return [4]*runtime.Ref[*db.ByInteger, int64]{&r.To, &r.Maybe, &r.Only, &r.One}
	},
	eq:      [4]func(int64) runtime.Pred[*db.ToInteger]{db.ToIntegerToID.Eq, db.ToIntegerMaybeID.Eq, db.ToIntegerOnlyID.Eq, db.ToIntegerOneID.Eq},
	in:      db.ToIntegerToID.In,
	isNull:  db.ToIntegerMaybeID.IsNull,
	through: db.ToIntegerTo.ID.Eq,
	byName:  db.ToIntegerTo.Name.Eq,
	related: [4]runtime.Relation[*db.ToInteger]{db.ToIntegerTo, db.ToIntegerMaybe, db.ToIntegerOnly, db.ToIntegerOne},
	oneNull: db.ToIntegerOneID.SetNull(),
	reverse: (*db.Client).ByIntegerTos,
}

var bigIntegerKit = keyKit[*db.ByBigInteger, *db.ToBigInteger, int64]{
	keys: [2]int64{1 << 40, 5},
	by:   func(c *db.Client) *runtime.Query[*db.ByBigInteger] { return c.ByBigIntegers },
	to:   func(c *db.Client) *runtime.Query[*db.ToBigInteger] { return c.ToBigIntegers },
	newBy: func(ctx context.Context, c *db.Client, k int64, name string) (*db.ByBigInteger, error) {
		return c.ByBigIntegers.Create(ctx, &db.ByBigInteger{ID: k, Name: name})
	},
	ref:   db.ByBigIntegerRef,
	name:  func(b *db.ByBigInteger) string { return b.Name },
	newTo: func() *db.ToBigInteger { return new(db.ToBigInteger) },
	rels: func(r *db.ToBigInteger) [4]*runtime.Ref[*db.ByBigInteger, int64] {
		return [4]*runtime.Ref[*db.ByBigInteger, int64]{&r.To, &r.Maybe, &r.Only, &r.One}
	},
	eq:      [4]func(int64) runtime.Pred[*db.ToBigInteger]{db.ToBigIntegerToID.Eq, db.ToBigIntegerMaybeID.Eq, db.ToBigIntegerOnlyID.Eq, db.ToBigIntegerOneID.Eq},
	in:      db.ToBigIntegerToID.In,
	isNull:  db.ToBigIntegerMaybeID.IsNull,
	through: db.ToBigIntegerTo.ID.Eq,
	byName:  db.ToBigIntegerTo.Name.Eq,
	related: [4]runtime.Relation[*db.ToBigInteger]{db.ToBigIntegerTo, db.ToBigIntegerMaybe, db.ToBigIntegerOnly, db.ToBigIntegerOne},
	oneNull: db.ToBigIntegerOneID.SetNull(),
	reverse: (*db.Client).ByBigIntegerTos,
}

var stringKit = keyKit[*db.ByString, *db.ToString, string]{
	keys: [2]string{"key-b", "Key-A"},
	by:   func(c *db.Client) *runtime.Query[*db.ByString] { return c.ByStrings },
	to:   func(c *db.Client) *runtime.Query[*db.ToString] { return c.ToStrings },
	newBy: func(ctx context.Context, c *db.Client, k string, name string) (*db.ByString, error) {
		return c.ByStrings.Create(ctx, &db.ByString{ID: k, Name: name})
	},
	ref:   db.ByStringRef,
	name:  func(b *db.ByString) string { return b.Name },
	newTo: func() *db.ToString { return new(db.ToString) },
	rels: func(r *db.ToString) [4]*runtime.Ref[*db.ByString, string] {
		return [4]*runtime.Ref[*db.ByString, string]{&r.To, &r.Maybe, &r.Only, &r.One}
	},
	eq:      [4]func(string) runtime.Pred[*db.ToString]{db.ToStringToID.Eq, db.ToStringMaybeID.Eq, db.ToStringOnlyID.Eq, db.ToStringOneID.Eq},
	in:      db.ToStringToID.In,
	isNull:  db.ToStringMaybeID.IsNull,
	through: db.ToStringTo.ID.Eq,
	byName:  db.ToStringTo.Name.Eq,
	related: [4]runtime.Relation[*db.ToString]{db.ToStringTo, db.ToStringMaybe, db.ToStringOnly, db.ToStringOne},
	oneNull: db.ToStringOneID.SetNull(),
	reverse: (*db.Client).ByStringTos,
}

var emailKit = keyKit[*db.ByEmail, *db.ToEmail, string]{
	keys: [2]string{"b@example.com", "a@example.com"},
	by:   func(c *db.Client) *runtime.Query[*db.ByEmail] { return c.ByEmails },
	to:   func(c *db.Client) *runtime.Query[*db.ToEmail] { return c.ToEmails },
	newBy: func(ctx context.Context, c *db.Client, k string, name string) (*db.ByEmail, error) {
		return c.ByEmails.Create(ctx, &db.ByEmail{ID: k, Name: name})
	},
	ref:   db.ByEmailRef,
	name:  func(b *db.ByEmail) string { return b.Name },
	newTo: func() *db.ToEmail { return new(db.ToEmail) },
	rels: func(r *db.ToEmail) [4]*runtime.Ref[*db.ByEmail, string] {
		return [4]*runtime.Ref[*db.ByEmail, string]{&r.To, &r.Maybe, &r.Only, &r.One}
	},
	eq:      [4]func(string) runtime.Pred[*db.ToEmail]{db.ToEmailToID.Eq, db.ToEmailMaybeID.Eq, db.ToEmailOnlyID.Eq, db.ToEmailOneID.Eq},
	in:      db.ToEmailToID.In,
	isNull:  db.ToEmailMaybeID.IsNull,
	through: db.ToEmailTo.ID.Eq,
	byName:  db.ToEmailTo.Name.Eq,
	related: [4]runtime.Relation[*db.ToEmail]{db.ToEmailTo, db.ToEmailMaybe, db.ToEmailOnly, db.ToEmailOne},
	oneNull: db.ToEmailOneID.SetNull(),
	reverse: (*db.Client).ByEmailTos,
}

var urlKit = keyKit[*db.ByURL, *db.ToURL, string]{
	keys: [2]string{"https://example.com/b", "https://example.com/a?q=1"},
	by:   func(c *db.Client) *runtime.Query[*db.ByURL] { return c.ByURLs },
	to:   func(c *db.Client) *runtime.Query[*db.ToURL] { return c.ToURLs },
	newBy: func(ctx context.Context, c *db.Client, k string, name string) (*db.ByURL, error) {
		return c.ByURLs.Create(ctx, &db.ByURL{ID: k, Name: name})
	},
	ref:   db.ByURLRef,
	name:  func(b *db.ByURL) string { return b.Name },
	newTo: func() *db.ToURL { return new(db.ToURL) },
	rels: func(r *db.ToURL) [4]*runtime.Ref[*db.ByURL, string] {
		return [4]*runtime.Ref[*db.ByURL, string]{&r.To, &r.Maybe, &r.Only, &r.One}
	},
	eq:      [4]func(string) runtime.Pred[*db.ToURL]{db.ToURLToID.Eq, db.ToURLMaybeID.Eq, db.ToURLOnlyID.Eq, db.ToURLOneID.Eq},
	in:      db.ToURLToID.In,
	isNull:  db.ToURLMaybeID.IsNull,
	through: db.ToURLTo.ID.Eq,
	byName:  db.ToURLTo.Name.Eq,
	related: [4]runtime.Relation[*db.ToURL]{db.ToURLTo, db.ToURLMaybe, db.ToURLOnly, db.ToURLOne},
	oneNull: db.ToURLOneID.SetNull(),
	reverse: (*db.Client).ByURLTos,
}

var uuidKit = keyKit[*db.ByUUID, *db.ToUUID, runtime.UUID]{
	keys: [2]runtime.UUID{mustUUID("6ba7b810-9dad-11d1-80b4-00c04fd430c8"), mustUUID("00000000-0000-0000-0000-000000000001")},
	by:   func(c *db.Client) *runtime.Query[*db.ByUUID] { return c.ByUUIDs },
	to:   func(c *db.Client) *runtime.Query[*db.ToUUID] { return c.ToUUIDs },
	newBy: func(ctx context.Context, c *db.Client, k runtime.UUID, name string) (*db.ByUUID, error) {
		return c.ByUUIDs.Create(ctx, &db.ByUUID{ID: k, Name: name})
	},
	ref:   db.ByUUIDRef,
	name:  func(b *db.ByUUID) string { return b.Name },
	newTo: func() *db.ToUUID { return new(db.ToUUID) },
	rels: func(r *db.ToUUID) [4]*runtime.Ref[*db.ByUUID, runtime.UUID] {
		return [4]*runtime.Ref[*db.ByUUID, runtime.UUID]{&r.To, &r.Maybe, &r.Only, &r.One}
	},
	eq:      [4]func(runtime.UUID) runtime.Pred[*db.ToUUID]{db.ToUUIDToID.Eq, db.ToUUIDMaybeID.Eq, db.ToUUIDOnlyID.Eq, db.ToUUIDOneID.Eq},
	in:      db.ToUUIDToID.In,
	isNull:  db.ToUUIDMaybeID.IsNull,
	through: db.ToUUIDTo.ID.Eq,
	byName:  db.ToUUIDTo.Name.Eq,
	related: [4]runtime.Relation[*db.ToUUID]{db.ToUUIDTo, db.ToUUIDMaybe, db.ToUUIDOnly, db.ToUUIDOne},
	oneNull: db.ToUUIDOneID.SetNull(),
	reverse: (*db.Client).ByUUIDTos,
}

var ipAddressKit = keyKit[*db.ByIPAddress, *db.ToIPAddress, netip.Addr]{
	keys:  [2]netip.Addr{netip.MustParseAddr("192.0.2.1"), netip.MustParseAddr("2001:db8::1")},
	other: netip.MustParseAddr("::ffff:192.0.2.1"),
	same:  func(a, b netip.Addr) bool { return a.Unmap() == b.Unmap() },
	by:    func(c *db.Client) *runtime.Query[*db.ByIPAddress] { return c.ByIPAddresses },
	to:    func(c *db.Client) *runtime.Query[*db.ToIPAddress] { return c.ToIPAddresses },
	newBy: func(ctx context.Context, c *db.Client, k netip.Addr, name string) (*db.ByIPAddress, error) {
		return c.ByIPAddresses.Create(ctx, &db.ByIPAddress{ID: k, Name: name})
	},
	ref:   db.ByIPAddressRef,
	name:  func(b *db.ByIPAddress) string { return b.Name },
	newTo: func() *db.ToIPAddress { return new(db.ToIPAddress) },
	rels: func(r *db.ToIPAddress) [4]*runtime.Ref[*db.ByIPAddress, netip.Addr] {
		return [4]*runtime.Ref[*db.ByIPAddress, netip.Addr]{&r.To, &r.Maybe, &r.Only, &r.One}
	},
	eq:      [4]func(netip.Addr) runtime.Pred[*db.ToIPAddress]{db.ToIPAddressToID.Eq, db.ToIPAddressMaybeID.Eq, db.ToIPAddressOnlyID.Eq, db.ToIPAddressOneID.Eq},
	in:      db.ToIPAddressToID.In,
	isNull:  db.ToIPAddressMaybeID.IsNull,
	through: db.ToIPAddressTo.ID.Eq,
	byName:  db.ToIPAddressTo.Name.Eq,
	related: [4]runtime.Relation[*db.ToIPAddress]{db.ToIPAddressTo, db.ToIPAddressMaybe, db.ToIPAddressOnly, db.ToIPAddressOne},
	oneNull: db.ToIPAddressOneID.SetNull(),
	reverse: (*db.Client).ByIPAddressTos,
}

var decimalKit = keyKit[*db.ByDecimal, *db.ToDecimal, runtime.Decimal]{
	keys:  [2]runtime.Decimal{runtime.MustDecimal("9.50"), runtime.MustDecimal("-12.25")},
	other: runtime.MustDecimal("9.5"),
	same:  func(a, b runtime.Decimal) bool { return a.Rat().Cmp(b.Rat()) == 0 },
	by:    func(c *db.Client) *runtime.Query[*db.ByDecimal] { return c.ByDecimals },
	to:    func(c *db.Client) *runtime.Query[*db.ToDecimal] { return c.ToDecimals },
	newBy: func(ctx context.Context, c *db.Client, k runtime.Decimal, name string) (*db.ByDecimal, error) {
		return c.ByDecimals.Create(ctx, &db.ByDecimal{ID: k, Name: name})
	},
	ref:   db.ByDecimalRef,
	name:  func(b *db.ByDecimal) string { return b.Name },
	newTo: func() *db.ToDecimal { return new(db.ToDecimal) },
	rels: func(r *db.ToDecimal) [4]*runtime.Ref[*db.ByDecimal, runtime.Decimal] {
		return [4]*runtime.Ref[*db.ByDecimal, runtime.Decimal]{&r.To, &r.Maybe, &r.Only, &r.One}
	},
	eq:      [4]func(runtime.Decimal) runtime.Pred[*db.ToDecimal]{db.ToDecimalToID.Eq, db.ToDecimalMaybeID.Eq, db.ToDecimalOnlyID.Eq, db.ToDecimalOneID.Eq},
	in:      db.ToDecimalToID.In,
	isNull:  db.ToDecimalMaybeID.IsNull,
	through: db.ToDecimalTo.ID.Eq,
	byName:  db.ToDecimalTo.Name.Eq,
	related: [4]runtime.Relation[*db.ToDecimal]{db.ToDecimalTo, db.ToDecimalMaybe, db.ToDecimalOnly, db.ToDecimalOne},
	oneNull: db.ToDecimalOneID.SetNull(),
	reverse: (*db.Client).ByDecimalTos,
}

var dateKit = keyKit[*db.ByDate, *db.ToDate, runtime.Date]{
	keys: [2]runtime.Date{{Year: 2024, Month: 2, Day: 29}, {Year: 1999, Month: 12, Day: 31}},
	by:   func(c *db.Client) *runtime.Query[*db.ByDate] { return c.ByDates },
	to:   func(c *db.Client) *runtime.Query[*db.ToDate] { return c.ToDates },
	newBy: func(ctx context.Context, c *db.Client, k runtime.Date, name string) (*db.ByDate, error) {
		return c.ByDates.Create(ctx, &db.ByDate{ID: k, Name: name})
	},
	ref:   db.ByDateRef,
	name:  func(b *db.ByDate) string { return b.Name },
	newTo: func() *db.ToDate { return new(db.ToDate) },
	rels: func(r *db.ToDate) [4]*runtime.Ref[*db.ByDate, runtime.Date] {
		return [4]*runtime.Ref[*db.ByDate, runtime.Date]{&r.To, &r.Maybe, &r.Only, &r.One}
	},
	eq:      [4]func(runtime.Date) runtime.Pred[*db.ToDate]{db.ToDateToID.Eq, db.ToDateMaybeID.Eq, db.ToDateOnlyID.Eq, db.ToDateOneID.Eq},
	in:      db.ToDateToID.In,
	isNull:  db.ToDateMaybeID.IsNull,
	through: db.ToDateTo.ID.Eq,
	byName:  db.ToDateTo.Name.Eq,
	related: [4]runtime.Relation[*db.ToDate]{db.ToDateTo, db.ToDateMaybe, db.ToDateOnly, db.ToDateOne},
	oneNull: db.ToDateOneID.SetNull(),
	reverse: (*db.Client).ByDateTos,
}

// The instants of the DateTime keys: written in a zone of their own, with
// digits below the microsecond that no database keeps.
var (
	instant0 = time.Date(2024, 1, 2, 3, 4, 5, 6000, time.FixedZone("+01", 3600))
	instant1 = time.Date(1999, 12, 31, 23, 59, 59, 999999000, time.UTC)
	// instant0 in another zone, a nanosecond later.
	instant0b = instant0.In(time.FixedZone("-05", -5*3600)).Add(time.Nanosecond)
)

func sameInstant(a, b time.Time) bool { return a.Equal(b) }

var dateTimeKit = keyKit[*db.ByDateTime, *db.ToDateTime, time.Time]{
	keys:  [2]time.Time{instant0, instant1},
	other: instant0b,
	same:  sameInstant,
	by:    func(c *db.Client) *runtime.Query[*db.ByDateTime] { return c.ByDateTimes },
	to:    func(c *db.Client) *runtime.Query[*db.ToDateTime] { return c.ToDateTimes },
	newBy: func(ctx context.Context, c *db.Client, k time.Time, name string) (*db.ByDateTime, error) {
		return c.ByDateTimes.Create(ctx, &db.ByDateTime{ID: k, Name: name})
	},
	ref:   db.ByDateTimeRef,
	name:  func(b *db.ByDateTime) string { return b.Name },
	newTo: func() *db.ToDateTime { return new(db.ToDateTime) },
	rels: func(r *db.ToDateTime) [4]*runtime.Ref[*db.ByDateTime, time.Time] {
		return [4]*runtime.Ref[*db.ByDateTime, time.Time]{&r.To, &r.Maybe, &r.Only, &r.One}
	},
	eq:      [4]func(time.Time) runtime.Pred[*db.ToDateTime]{db.ToDateTimeToID.Eq, db.ToDateTimeMaybeID.Eq, db.ToDateTimeOnlyID.Eq, db.ToDateTimeOneID.Eq},
	in:      db.ToDateTimeToID.In,
	isNull:  db.ToDateTimeMaybeID.IsNull,
	through: db.ToDateTimeTo.ID.Eq,
	byName:  db.ToDateTimeTo.Name.Eq,
	related: [4]runtime.Relation[*db.ToDateTime]{db.ToDateTimeTo, db.ToDateTimeMaybe, db.ToDateTimeOnly, db.ToDateTimeOne},
	oneNull: db.ToDateTimeOneID.SetNull(),
	reverse: (*db.Client).ByDateTimeTos,
}

var enumKit = keyKit[*db.ByEnum, *db.ToEnum, db.ByEnumIDEnum]{
	keys: [2]db.ByEnumIDEnum{db.ByEnumIDDarkBlue, db.ByEnumIDRed},
	by:   func(c *db.Client) *runtime.Query[*db.ByEnum] { return c.ByEnums },
	to:   func(c *db.Client) *runtime.Query[*db.ToEnum] { return c.ToEnums },
	newBy: func(ctx context.Context, c *db.Client, k db.ByEnumIDEnum, name string) (*db.ByEnum, error) {
		return c.ByEnums.Create(ctx, &db.ByEnum{ID: k, Name: name})
	},
	ref:   db.ByEnumRef,
	name:  func(b *db.ByEnum) string { return b.Name },
	newTo: func() *db.ToEnum { return new(db.ToEnum) },
	rels: func(r *db.ToEnum) [4]*runtime.Ref[*db.ByEnum, db.ByEnumIDEnum] {
		return [4]*runtime.Ref[*db.ByEnum, db.ByEnumIDEnum]{&r.To, &r.Maybe, &r.Only, &r.One}
	},
	eq:      [4]func(db.ByEnumIDEnum) runtime.Pred[*db.ToEnum]{db.ToEnumToID.Eq, db.ToEnumMaybeID.Eq, db.ToEnumOnlyID.Eq, db.ToEnumOneID.Eq},
	in:      db.ToEnumToID.In,
	isNull:  db.ToEnumMaybeID.IsNull,
	through: db.ToEnumTo.ID.Eq,
	byName:  db.ToEnumTo.Name.Eq,
	related: [4]runtime.Relation[*db.ToEnum]{db.ToEnumTo, db.ToEnumMaybe, db.ToEnumOnly, db.ToEnumOne},
	oneNull: db.ToEnumOneID.SetNull(),
	reverse: (*db.Client).ByEnumTos,
}

// relationKit's keys are those of the DateTime rows each ByRelation
// extends, one hour on.
var relationKit = keyKit[*db.ByRelation, *db.ToRelation, time.Time]{
	keys:  [2]time.Time{instant0.Add(time.Hour), instant1.Add(time.Hour)},
	other: instant0b.Add(time.Hour),
	same:  sameInstant,
	by:    func(c *db.Client) *runtime.Query[*db.ByRelation] { return c.ByRelations },
	to:    func(c *db.Client) *runtime.Query[*db.ToRelation] { return c.ToRelations },
	newBy: func(ctx context.Context, c *db.Client, k time.Time, name string) (*db.ByRelation, error) {
		moment, err := c.ByDateTimes.Create(ctx, &db.ByDateTime{ID: k, Name: name})
		if err != nil {
			return nil, err
		}
		return c.ByRelations.Create(ctx, &db.ByRelation{Moment: db.ByDateTimeRef(moment), Name: name})
	},
	ref:   db.ByRelationRef,
	name:  func(b *db.ByRelation) string { return b.Name },
	newTo: func() *db.ToRelation { return new(db.ToRelation) },
	rels: func(r *db.ToRelation) [4]*runtime.Ref[*db.ByRelation, time.Time] {
		return [4]*runtime.Ref[*db.ByRelation, time.Time]{&r.To, &r.Maybe, &r.Only, &r.One}
	},
	eq:      [4]func(time.Time) runtime.Pred[*db.ToRelation]{db.ToRelationToID.Eq, db.ToRelationMaybeID.Eq, db.ToRelationOnlyID.Eq, db.ToRelationOneID.Eq},
	in:      db.ToRelationToID.In,
	isNull:  db.ToRelationMaybeID.IsNull,
	through: db.ToRelationTo.MomentID.Eq,
	byName:  db.ToRelationTo.Name.Eq,
	related: [4]runtime.Relation[*db.ToRelation]{db.ToRelationTo, db.ToRelationMaybe, db.ToRelationOnly, db.ToRelationOne},
	oneNull: db.ToRelationOneID.SetNull(),
	reverse: (*db.Client).ByRelationTos,
}

func mustUUID(s string) runtime.UUID {
	u, err := runtime.ParseUUID(s)
	if err != nil {
		panic(err)
	}
	return u
}

// runKeyKit runs the checks of TestRelationKeyTypes for one key type.
func runKeyKit[B interface{ PKValue() any }, T interface{ PKValue() any }, K comparable](
	t *testing.T, ctx context.Context, c *db.Client, k keyKit[B, T, K]) {
	same := k.same
	if same == nil {
		same = func(a, b K) bool { return a == b }
	}
	by, to := k.by(c), k.to(c)
	names := [2]string{"k0", "k1"}
	var targets [2]B
	for i, key := range k.keys {
		b, err := k.newBy(ctx, c, key, names[i])
		if err != nil {
			t.Fatal(err)
		}
		targets[i] = b
	}

	// r0 refers to k0 by to and only, to k1 by maybe and one; r1 to k1 by
	// to and only, and to nothing by the nullable relations.
	r0, r1 := k.newTo(), k.newTo()
	rel0, rel1 := k.rels(r0), k.rels(r1)
	*rel0[0], *rel0[1], *rel0[2], *rel0[3] = k.ref(targets[0]), k.ref(targets[1]), k.ref(targets[0]), k.ref(targets[1])
	*rel1[0], *rel1[2] = k.ref(targets[1]), k.ref(targets[1])
	for _, r := range []T{r0, r1} {
		if _, err := to.Create(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	want := [2][4]int{{0, 1, 0, 1}, {1, -1, 1, -1}} // the key of each relation, -1 for NULL

	// Read back: sparse references holding the keys, a DateTime in UTC.
	for i, r := range []T{r0, r1} {
		got, err := to.Where("pk", r.PKValue()).Get(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for j, ref := range k.rels(got) {
			switch w := want[i][j]; {
			case w < 0 && !ref.IsNull():
				t.Errorf("row %d relation %d: %v, want NULL", i, j, ref.PK())
			case w >= 0 && (ref.IsNull() || !same(ref.PK(), k.keys[w])):
				t.Errorf("row %d relation %d: %v (null %v), want %v", i, j, ref.PK(), ref.IsNull(), k.keys[w])
			case w >= 0 && ref.Loaded():
				t.Errorf("row %d relation %d: loaded, want sparse", i, j)
			}
			if tm, ok := any(ref.PK()).(time.Time); ok && !ref.IsNull() && tm.Location() != time.UTC {
				t.Errorf("row %d relation %d: key %v, want UTC", i, j, tm)
			}
		}
	}

	// Filters: by each key field, through the relation (from the column,
	// and with a JOIN), seed-style.
	count := func(what string, q *runtime.Query[T], want int64) {
		t.Helper()
		if n, err := q.Count(ctx); err != nil || n != want {
			t.Errorf("%s: %d rows, %v; want %d", what, n, err, want)
		}
	}
	for j, eq := range k.eq {
		count(fmt.Sprintf("key field %d eq k1", j), to.Filter(eq(k.keys[1])), 1)
	}
	count("to eq k0", to.Filter(k.eq[0](k.keys[0])), 1)
	count("to in k0 k1", to.Filter(k.in(k.keys[0], k.keys[1])), 2)
	count("to in nothing", to.Filter(k.in()), 0)
	count("maybe isnull", to.Filter(k.isNull(true)), 1)
	count("to.key eq k1", to.Filter(k.through(k.keys[1])), 1)
	count("to.name eq k0", to.Filter(k.byName("k0")), 1)
	count(`Where("to", k0 row)`, to.Where("to", targets[0]), 1)
	count(`Where("to__name", "k1")`, to.Where("to__name", "k1"), 1)
	count(`Where("maybe__isnull", false)`, to.Where("maybe__isnull", false), 1)
	count(`Where("one__pk", k1)`, to.Where("one__pk", k.keys[1]), 1)
	var zero K
	if k.other != zero {
		count("to eq k0 written otherwise", to.Filter(k.eq[0](k.other)), 1)
	}

	// SelectRelated: every relation in one query.
	got, err := to.SelectRelated(k.related[:]...).Where("pk", r0.PKValue()).Get(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for j, ref := range k.rels(got) {
		if v, err := ref.Value(); err != nil || k.name(v) != names[want[0][j]] {
			t.Errorf("SelectRelated relation %d: %v, %v", j, v, err)
		}
	}
	got, err = to.SelectRelated(k.related[:]...).Where("pk", r1.PKValue()).Get(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if v, err := k.rels(got)[1].Value(); err != nil || any(v) != any(*new(B)) {
		t.Errorf("SelectRelated of a NULL relation: %v, %v", v, err)
	}

	// Load: each relation of both rows in one batch, and a reference made
	// from a key written otherwise.
	rows, err := to.All(ctx)
	if err != nil || len(rows) != 2 {
		t.Fatal(len(rows), err)
	}
	if rows[0].PKValue() != r0.PKValue() {
		rows[0], rows[1] = rows[1], rows[0]
	}
	for j := range 4 {
		refs := runtime.RefsOf(rows, func(r T) runtime.Loadable[B] { return k.rels(r)[j] })
		if err := by.Load(ctx, refs...); err != nil {
			t.Errorf("Load relation %d: %v", j, err)
			continue
		}
		for i, r := range rows {
			v, err := k.rels(r)[j].Value()
			switch w := want[i][j]; {
			case err != nil:
				t.Errorf("row %d relation %d: %v", i, j, err)
			case w < 0 && any(v) != any(*new(B)):
				t.Errorf("row %d relation %d: loaded %v from NULL", i, j, v)
			case w >= 0 && k.name(v) != names[w]:
				t.Errorf("row %d relation %d: loaded %v, want %s", i, j, k.name(v), names[w])
			}
		}
	}
	if k.other != zero {
		ref := runtime.KeyRef[B](k.other)
		if err := by.Load(ctx, &ref); err != nil {
			t.Errorf("Load by k0 written otherwise: %v", err)
		} else if v, _ := ref.Value(); k.name(v) != "k0" {
			t.Errorf("Load by k0 written otherwise: %s", k.name(v))
		}
	}

	// The reverse query.
	count("reverse of k0", k.reverse(c, targets[0]), 1)
	count("reverse of k1", k.reverse(c, targets[1]), 1)

	// Delete: one (restrict) keeps k1; once r0 lets go of it, deleting k1
	// deletes r1 (to and only cascade) and clears r0's maybe (set_null).
	err = by.Delete(ctx, targets[1])
	var ce *runtime.ConstraintError
	if !errors.As(err, &ce) || ce.Kind != runtime.ForeignKeyViolation {
		t.Fatalf("delete k1 while one refers to it (restrict): %v", err)
	}
	if err := to.Update(ctx, r0, k.oneNull); err != nil {
		t.Fatal(err)
	}
	if !rel0[3].IsNull() {
		t.Errorf("one after Update with its NULL: %v", rel0[3].KeyValue())
	}
	if err := by.Delete(ctx, targets[1]); err != nil {
		t.Fatal(err)
	}
	rows, err = to.All(ctx)
	if err != nil || len(rows) != 1 || rows[0].PKValue() != r0.PKValue() {
		t.Fatalf("after deleting k1: %d rows, %v; want r0 alone", len(rows), err)
	}
	if rel := k.rels(rows[0]); !rel[1].IsNull() || !rel[3].IsNull() || !same(rel[0].PK(), k.keys[0]) {
		t.Errorf("after deleting k1: maybe %v, one %v, to %v", rel[1].KeyValue(), rel[3].KeyValue(), rel[0].PK())
	}
}
