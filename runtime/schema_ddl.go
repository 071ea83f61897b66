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
	// Drop runs in one transaction. DropBefore runs on the same
	// connection before it begins (session settings, which SQLite takes
	// only outside a transaction), and DropAfter once it has ended,
	// committed or not, to restore them.
	Drop, DropBefore, DropAfter []string
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
// for, and inside a transaction where the schema's relations form a cycle
// on a database whose DDL is transactional (SQLite): the session setting
// the drops need there must be made before a transaction begins.
func (s SchemaDDL) DropTables(ctx context.Context, db *DB) error {
	ddl, err := s.forDialect(db)
	if err != nil {
		return err
	}
	drop := func(tx *DB) error { return ExecAll(ctx, tx, ddl.Drop) }
	if len(ddl.DropBefore) == 0 && len(ddl.DropAfter) == 0 {
		if db.InTx() {
			return drop(db)
		}
		return db.Tx(ctx, drop)
	}
	if db.InTx() {
		if db.Dialect().TransactionalDDL() {
			return fmt.Errorf("%w: DropTables inside a transaction on %s: the tables' foreign keys form a cycle, "+
				"and the session setting that lets them go must be made before the transaction begins (call it outside one)",
				ErrUnsupported, db.Dialect().Name())
		}
		// Each DROP commits the caller's transaction anyway (MySQL), and
		// the session's settings hold in one: set, drop, restore.
		return withSession(ctx, db, ddl, drop)
	}
	return db.Session(ctx, func(sess *DB) error {
		return withSession(ctx, sess, ddl, func(sess *DB) error { return sess.Tx(ctx, drop) })
	})
}

// withSession runs drop on sess between ddl's DropBefore and DropAfter,
// running DropAfter whatever drop did, so that no setting is left behind
// on a pooled connection.
func withSession(ctx context.Context, sess *DB, ddl DialectDDL, drop func(*DB) error) error {
	err := ExecAll(ctx, sess, ddl.DropBefore)
	if err == nil {
		err = drop(sess)
	}
	if rerr := ExecAll(context.WithoutCancel(ctx), sess, ddl.DropAfter); rerr != nil && err == nil {
		err = rerr
	}
	return err
}
