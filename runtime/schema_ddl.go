package runtime

import (
	"context"
	"fmt"
	"slices"
	"strings"
)

// SchemaDDL is a generated client's schema as statements, by dialect name
// ("postgres", "mysql", "sqlite"): only the dialects the client was
// generated for.
type SchemaDDL map[string]DialectDDL

// DialectDDL is one dialect's statements of a schema, as compiler/ddl
// writes them.
type DialectDDL struct {
	Create []string
	// Drop runs in one transaction; DropReset undoes its session settings
	// when one of its statements fails.
	Drop, DropReset []string
}

// forDialect returns the statements for db's dialect, or an error wrapping
// ErrUnsupported naming the dialects the client has.
func (s SchemaDDL) forDialect(db *DB) (DialectDDL, error) {
	name := db.Dialect().Name()
	ddl, ok := s[name]
	if !ok {
		have := make([]string, 0, len(s))
		for d := range s {
			have = append(have, d)
		}
		slices.Sort(have)
		return DialectDDL{}, fmt.Errorf("%w: the client was generated for %s, not for %q (ormc build -dialects)",
			ErrUnsupported, strings.Join(have, ", "), name)
	}
	return ddl, nil
}

// CreateTables creates every table, index and constraint of the schema on
// db. It fails if a table already exists, and with ErrUnsupported on a
// dialect the client was not generated for.
func (s SchemaDDL) CreateTables(ctx context.Context, db *DB) error {
	ddl, err := s.forDialect(db)
	if err != nil {
		return err
	}
	return ExecAll(ctx, db, ddl.Create)
}

// DropTables drops every table of the schema that exists on db, whatever
// rows they hold, in one transaction (MySQL commits each DROP of its own).
// It fails with ErrUnsupported on a dialect the client was not generated
// for.
func (s SchemaDDL) DropTables(ctx context.Context, db *DB) error {
	ddl, err := s.forDialect(db)
	if err != nil {
		return err
	}
	drop := func(tx *DB) error {
		err := ExecAll(ctx, tx, ddl.Drop)
		if err != nil && len(ddl.DropReset) > 0 {
			// Leave no session setting behind on a pooled connection.
			_ = ExecAll(context.WithoutCancel(ctx), tx, ddl.DropReset)
		}
		return err
	}
	if db.InTx() {
		return drop(db)
	}
	return db.Tx(ctx, drop)
}
