package types

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/ormc/ormc/examples/types/db"
	"github.com/ormc/ormc/internal/testdb"
	"github.com/ormc/ormc/runtime"
)

// TestValidation: a write with many bad fields is refused before any SQL
// is sent, and the error lists every failing field with a stable code.
func TestValidation(t *testing.T) {
	ctx := context.Background()
	var statements int
	client, err := db.Open(ctx, "sqlite://:memory:", runtime.WithHook(func(context.Context, runtime.QueryEvent) { statements++ }))
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	bad := &db.Account{
		Handle:  "A!",                                  // too short, and does not match the pattern
		Email:   "not an address",                      // email
		Site:    runtime.Some("example.com/no-scheme"), // url
		Age:     150,                                   // exclusive maximum
		Balance: runtime.MustDecimal("-0.01"),          // minimum
		Ratio:   0,                                     // exclusive minimum
		Plan:    "gold",                                // enum
	}
	_, err = client.Accounts.Create(ctx, bad)
	var ve *runtime.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("want *ValidationError, got %v", err)
	}
	var codes []string
	for _, f := range ve.Fields {
		codes = append(codes, f.Field+":"+f.Code)
	}
	want := []string{"handle:min_length", "handle:pattern", "email:email", "site:url", "age:maximum", "balance:minimum", "ratio:minimum", "plan:enum"}
	if !slices.Equal(codes, want) {
		t.Errorf("got %v\nwant %v", codes, want)
	}
	if statements != 0 {
		t.Errorf("%d statements sent for an invalid row", statements)
	}
}

// TestFilledValues: uuid and now defaults, auto_now_add and auto_now, on
// every dialect.
func TestFilledValues(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		ctx := context.Background()
		client, err := db.Open(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		defer client.Close()
		if err := client.CreateTables(ctx); err != nil {
			t.Fatal(err)
		}
		before := time.Now().UTC().Add(-time.Second)
		a := db.NewAccount()
		a.Handle, a.Email, a.Age, a.Balance, a.Ratio = "ann_1", "ann@example.com", 30, runtime.MustDecimal("10.50"), 0.5
		if _, err := client.Accounts.Create(ctx, a); err != nil {
			t.Fatal(err)
		}
		if a.ID == (runtime.UUID{}) || a.Plan != "free" || a.Joined == (runtime.Date{}) ||
			a.Created.Before(before) || !a.Updated.Equal(a.Created) {
			t.Fatalf("filled values: %+v", a)
		}
		got, err := client.Accounts.Get(ctx, db.AccountID.Eq(a.ID))
		if err != nil {
			t.Fatal(err)
		}
		if got.Created != a.Created || got.Joined != a.Joined || got.Plan != "free" {
			t.Errorf("stored %+v, created %+v", got, a)
		}
		time.Sleep(5 * time.Millisecond)
		if err := client.Accounts.Update(ctx, got, db.AccountAge.Set(31)); err != nil {
			t.Fatal(err)
		}
		again, err := client.Accounts.Get(ctx, db.AccountID.Eq(a.ID))
		if err != nil {
			t.Fatal(err)
		}
		if again.Age != 31 || !again.Updated.After(a.Updated) || again.Created != a.Created {
			t.Errorf("after update: %+v", again)
		}
	})
}
