package types

import (
	"context"
	"errors"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/ormc/ormc/examples/types/db"
	"github.com/ormc/ormc/internal/testdb"
	"github.com/ormc/ormc/runtime"
)

// TestLiteralDefaults: a struct literal that leaves out the fields whose
// zero value says unset (Enum, Date, DateTime, UUID, IPAddress, JSON) gets
// their defaults from Create, BulkCreate and Upsert's insert, the values
// NewPreset sets; the fields whose zero value is a value (0, "", false,
// midnight, the zero Decimal) and the nullable ones keep what the literal
// holds; and an Enum left unset without a default is refused before any
// SQL, saying how to set it (lang/spec.md, "Defaults and struct literals").
func TestLiteralDefaults(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		ctx := context.Background()
		client := openTypes(t, url)

		// Account: plan Enum default(free), joined Date default(now), the
		// UUID key default(uuid), created and updated filled in.
		bare := func(handle string) *db.Account {
			return &db.Account{Handle: handle, Email: handle + "@example.com", Age: 20, Balance: db.MustDecimal("1"), Ratio: 1}
		}
		a := bare("bare")
		if _, err := client.Accounts.Create(ctx, a); err != nil {
			t.Fatal(err)
		}
		if a.Plan != db.AccountPlanFree || a.ID == (db.UUID{}) || a.Joined == (db.Date{}) || a.Created.IsZero() {
			t.Errorf("created from a literal: %#v", a)
		}
		got, err := client.Accounts.Get(ctx, db.AccountID.Eq(a.ID))
		if err != nil || got.Plan != db.AccountPlanFree || got.Joined != a.Joined {
			t.Errorf("stored from a literal: %#v, %v", got, err)
		}
		bulk := []*db.Account{bare("bulk_one"), bare("bulk_two")}
		if err := client.Accounts.BulkCreate(ctx, bulk); err != nil {
			t.Fatal(err)
		}
		up := bare("upserted")
		if err := client.Accounts.Upsert(ctx, up, []runtime.Selector[*db.Account]{db.AccountID}); err != nil {
			t.Fatal(err)
		}
		for _, h := range []string{"bulk_one", "bulk_two", "upserted"} {
			got, err := client.Accounts.Get(ctx, db.AccountHandle.Eq(h))
			if err != nil || got.Plan != db.AccountPlanFree || got.ID == (db.UUID{}) || got.Joined == (db.Date{}) {
				t.Errorf("%s: stored %#v, %v", h, got, err)
			}
		}

		// Preset: a literal default of every type.
		p := &db.Preset{Site: "https://example.com", Str: "x", Text: "y"}
		if _, err := client.Presets.Create(ctx, p); err != nil {
			t.Fatal(err)
		}
		gp, err := client.Presets.Get(ctx, db.PresetID.Eq(p.ID))
		if err != nil {
			t.Fatal(err)
		}
		n := db.NewPreset()
		// Zero values that say unset: the defaults.
		if gp.Kind != n.Kind || gp.Day != n.Day || !gp.Moment.Equal(n.Moment) || gp.UID != n.UID || gp.Addr != n.Addr || !jsonEqual(gp.Doc, n.Doc) {
			t.Errorf("defaults not applied: kind %q day %v moment %v uid %v addr %v doc %s", gp.Kind, gp.Day, gp.Moment, gp.UID, gp.Addr, gp.Doc)
		}
		if gp.Addr != netip.MustParseAddr("10.0.0.1") {
			t.Errorf("addr %v, want the default 10.0.0.1", gp.Addr)
		}
		// Zero values that are values: stored as they are.
		if gp.Str != "x" || gp.Text != "y" || gp.Small != 0 || gp.Big != 0 || gp.Ratio != 0 || gp.Flag || gp.Price.Sign() != 0 || gp.At != (db.TimeOfDay{}) {
			t.Errorf("values replaced by defaults: %#v", gp)
		}
		// NULL in a nullable field stays NULL, default or not.
		if gp.NStr.Valid || gp.NKind.Valid || gp.NDay.Valid || gp.NDoc.Valid || gp.NUID.Valid || gp.NAddr.Valid {
			t.Errorf("nullable fields given defaults: %#v", gp)
		}
		// The engine's own values: now and uuid.
		if gp.Today == (db.Date{}) || gp.Stamp.IsZero() || gp.Token == (db.UUID{}) || time.Since(gp.Added) > time.Hour {
			t.Errorf("engine values: today %v stamp %v token %v added %v", gp.Today, gp.Stamp, gp.Token, gp.Added)
		}

		// An Enum without a default, left unset: refused, with the fix.
		v := values()[0]
		v.Kind = ""
		_, err = client.Values.Create(ctx, v)
		var ve *db.ValidationError
		if !errors.As(err, &ve) {
			t.Fatalf("an Enum left unset without a default: %v", err)
		}
		found := false
		for _, f := range ve.Fields {
			if f.Field == "kind" {
				found = true
				if f.Code != "enum" || !strings.Contains(f.Msg, "set it: the schema gives kind no default") {
					t.Errorf("kind: %s %q", f.Code, f.Msg)
				}
			}
		}
		if !found {
			t.Errorf("no error for kind: %v", err)
		}
	})
}
