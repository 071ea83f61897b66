package types

import (
	"context"
	"errors"
	"testing"

	"github.com/ormc/ormc/examples/types/db"
	"github.com/ormc/ormc/runtime"
)

// codes returns "field:code" for every field of a *ValidationError in
// err, or nil when err is not one.
func codes(err error) []string {
	var ve *runtime.ValidationError
	if !errors.As(err, &ve) {
		return nil
	}
	var out []string
	for _, f := range ve.Fields {
		out = append(out, f.Field+":"+f.Code)
	}
	return out
}

func openTypes(t *testing.T, url string, opts ...runtime.Option) *db.Client {
	t.Helper()
	ctx := context.Background()
	client, err := db.Open(ctx, url, opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { client.Close() })
	if err := client.CreateTables(ctx); err != nil {
		t.Fatal(err)
	}
	return client
}

func account(handle string) *db.Account {
	a := db.NewAccount()
	a.Handle, a.Email, a.Age, a.Balance, a.Ratio = handle, handle+"@example.com", 30, runtime.MustDecimal("10.50"), 0.5
	return a
}

func create(ctx context.Context, client *db.Client, v *db.Value) error {
	_, err := client.Values.Create(ctx, v)
	return err
}
