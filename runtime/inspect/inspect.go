package inspect

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/ormc/ormc/runtime"
	"github.com/ormc/ormc/runtime/dialect"
)

// reader is what one dialect's file implements: its catalog queries and
// its normalisations of what the database reports.
type reader interface {
	// read returns the tables (and findings) of the database db is
	// connected to that opts takes, in any order: Inspect sorts them.
	read(ctx context.Context, db *runtime.DB, opts Options) (*Schema, error)
	// parseType parses a column type as the database reports it, or as
	// the DDL writes it.
	parseType(raw string) Type
	// parseDefault parses a default of a column of type t, as the
	// database reports it or the DDL writes it; nil for none and NULL.
	parseDefault(raw string, t Type) *Default
	// normalExpr returns a CHECK condition in the normal form the
	// comparison uses (see normalExpr in expr.go).
	normalExpr(expr string) string
	// action returns a referential action as the database reports it or
	// the DDL writes it, in the form the database reports it.
	action(raw string) Action
}

// byDialect holds the reader of every dialect of dialect.All, by name.
var byDialect = map[string]reader{
	dialect.Postgres.Name(): postgresReader{},
	dialect.MySQL.Name():    mysqlReader{},
	dialect.SQLite.Name():   sqliteReader{},
}

// readerOf returns d's reader, or an error wrapping runtime.ErrUnsupported.
func readerOf(d dialect.Dialect) (reader, error) {
	r, ok := byDialect[d.Name()]
	if !ok {
		return nil, fmt.Errorf("%w: no schema inspector for dialect %q", runtime.ErrUnsupported, d.Name())
	}
	return r, nil
}

// Inspect reads the schema of the database db is connected to: its
// tables with their columns, keys, constraints and indexes, and what ormc
// cannot express as findings. It reads the catalog only and changes
// nothing. Inside a transaction it reads what the transaction sees.
func Inspect(ctx context.Context, db *runtime.DB, opts Options) (*Schema, error) {
	r, err := readerOf(db.Dialect())
	if err != nil {
		return nil, err
	}
	s, err := r.read(ctx, db, opts)
	if err != nil {
		return nil, fmt.Errorf("ormc: inspect: %w", err)
	}
	s.Dialect = db.Dialect().Name()
	sortSchema(s)
	return s, nil
}

// sortSchema puts s in the description's order.
func sortSchema(s *Schema) {
	slices.SortFunc(s.Tables, func(a, b *Table) int { return strings.Compare(a.Name, b.Name) })
	for _, t := range s.Tables {
		slices.SortStableFunc(t.Uniques, func(a, b *Unique) int { return strings.Compare(a.Name, b.Name) })
		slices.SortStableFunc(t.Indexes, func(a, b *Index) int { return strings.Compare(a.Name, b.Name) })
		slices.SortStableFunc(t.ForeignKeys, func(a, b *ForeignKey) int {
			if c := strings.Compare(a.Name, b.Name); c != 0 {
				return c
			}
			return slices.Compare(a.Columns, b.Columns)
		})
		slices.SortStableFunc(t.Checks, func(a, b *Check) int {
			if c := strings.Compare(a.Name, b.Name); c != 0 {
				return c
			}
			return strings.Compare(a.Expr, b.Expr)
		})
	}
	slices.SortFunc(s.Unsupported, func(a, b Finding) int {
		if c := strings.Compare(a.Table, b.Table); c != 0 {
			return c
		}
		if c := strings.Compare(string(a.Code), string(b.Code)); c != 0 {
			return c
		}
		if c := strings.Compare(a.Object, b.Object); c != 0 {
			return c
		}
		return strings.Compare(a.Detail, b.Detail)
	})
}
