package types

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/ormc/ormc/internal/testdb"
	"github.com/ormc/ormc/runtime"
)

// TestCheckSchema: the generated client's CheckSchema finds no drift in
// the tables its CreateTables made, on every database, and reports the
// differences that plain SQL then makes (a column and an index the schema
// does not have, a table dropped), each as data, naming the model.
func TestCheckSchema(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		ctx := context.Background()
		client := openTypes(t, url)
		if err := client.CheckSchema(ctx); err != nil {
			t.Fatalf("fresh database: %v", err)
		}
		q := string(client.DB().Dialect().AppendIdent(nil, "")[:1]) // the dialect's identifier quote
		for _, stmt := range []string{
			`ALTER TABLE ` + q + `event` + q + ` ADD COLUMN ` + q + `extra` + q + ` INTEGER`,
			`CREATE INDEX ` + q + `event_extra_idx` + q + ` ON ` + q + `event` + q + ` (` + q + `extra` + q + `)`,
		} {
			if _, err := client.DB().Exec(ctx, stmt); err != nil {
				t.Fatal(err)
			}
		}
		err := client.CheckSchema(ctx)
		var de *runtime.SchemaDriftError
		if !errors.As(err, &de) || !errors.Is(err, runtime.ErrSchemaDrift) {
			t.Fatalf("CheckSchema = %v, want a *runtime.SchemaDriftError", err)
		}
		var got []string
		for _, d := range de.Differences {
			got = append(got, string(d.Kind)+" "+d.Model+" "+d.Column+d.Name)
		}
		want := []string{"column-extra Event extra", "index-extra Event event_extra_idx"}
		if !slices.Equal(got, want) {
			t.Errorf("differences %q, want %q\n%v", got, want, err)
		}
		// The type is as the database writes it: INTEGER, integer, int(11).
		if msg := de.Differences[0].String(); !strings.HasPrefix(msg, "Event.extra: column not in the schema (") {
			t.Errorf("message %q", msg)
		}
	})
}
