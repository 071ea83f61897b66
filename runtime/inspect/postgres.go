package inspect

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"github.com/ormc/ormc/runtime"
)

// postgresReader reads one PostgreSQL schema from pg_catalog, one query
// per kind of object for the whole schema, so that the time taken grows
// with the size of the schema and not with round trips per table.
type postgresReader struct{}

// postgresTypes maps PostgreSQL's type names: format_type's spelling
// (character varying(100), timestamp with time zone) and the aliases DDL
// may write (VARCHAR(100), TIMESTAMPTZ, int4).
var postgresTypes = map[string]baseRule{
	"character varying": {base: BaseVarchar, args: "length"}, "varchar": {base: BaseVarchar, args: "length"},
	"character": {base: BaseChar, args: "length"}, "char": {base: BaseChar, args: "length"}, "bpchar": {base: BaseChar, args: "length"},
	"text": {base: BaseText}, "boolean": {base: BaseBoolean}, "bool": {base: BaseBoolean},
	"smallint": {base: BaseSmallInt}, "int2": {base: BaseSmallInt},
	"integer": {base: BaseInteger}, "int": {base: BaseInteger}, "int4": {base: BaseInteger},
	"bigint": {base: BaseBigInt}, "int8": {base: BaseBigInt},
	"real": {base: BaseReal}, "float4": {base: BaseReal},
	"double precision": {base: BaseDouble}, "float8": {base: BaseDouble},
	"numeric": {base: BaseDecimal, args: "decimal"}, "decimal": {base: BaseDecimal, args: "decimal"},
	"date": {base: BaseDate},
	"time": {base: BaseTime, args: "precision"}, "time without time zone": {base: BaseTime, args: "precision"},
	"timestamp": {base: BaseTimestamp, args: "precision"}, "timestamp without time zone": {base: BaseTimestamp, args: "precision"},
	"timestamptz": {base: BaseTimestampTZ, args: "precision"}, "timestamp with time zone": {base: BaseTimestampTZ, args: "precision"},
	"json": {base: BaseJSON}, "jsonb": {base: BaseJSONB}, "uuid": {base: BaseUUID}, "bytea": {base: BaseBlob},
	"inet": {base: BaseInet},
}

func (postgresReader) parseType(raw string) Type { return parseWith(postgresTypes, raw) }

func (postgresReader) parseDefault(raw string, t Type) *Default {
	return parseDefault(raw, t, false)
}

func (postgresReader) normalExpr(expr string) string { return normalExpr(expr, false) }

func (postgresReader) action(raw string) Action { return Action(strings.ToUpper(raw)) }

// pgActions are pg_constraint's action codes.
var pgActions = map[string]Action{"a": NoAction, "r": Restrict, "c": Cascade, "n": SetNull, "d": SetDefault}

// read reads in a read-only REPEATABLE READ transaction of its own, so
// that every query sees one snapshot of the catalog, without parallel
// workers: on a server whose pg_class has grown (tests that make and drop
// schemas), the planner starts one for these small queries, which costs
// more than they do. Inside the caller's transaction it reads in that.
func (r postgresReader) read(ctx context.Context, db *runtime.DB, opts Options) (*Schema, error) {
	if db.InTx() {
		return r.readIn(ctx, db, opts)
	}
	var s *Schema
	err := db.Tx(ctx, func(tx *runtime.DB) error {
		if _, err := tx.Exec(ctx, "SET LOCAL max_parallel_workers_per_gather = 0"); err != nil {
			return err
		}
		var err error
		s, err = r.readIn(ctx, tx, opts)
		return err
	}, runtime.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true})
	return s, err
}

func (r postgresReader) readIn(ctx context.Context, db *runtime.DB, opts Options) (*Schema, error) {
	nsp := opts.Schema
	if nsp == "" {
		var cur sql.NullString
		if err := each(ctx, db, "SELECT current_schema()", nil, func(scan func(...any) error) error {
			return scan(&cur)
		}); err != nil {
			return nil, err
		}
		if !cur.Valid {
			return nil, errors.New("no current schema: the search_path names no schema that exists")
		}
		nsp = cur.String
	}
	s := &Schema{Name: nsp}
	tables := map[string]*Table{}
	ownedSeqs := map[string]bool{}
	var seqs []string
	// The queries after this one select by the oids it reads, through the
	// catalogs' indexes: pg_class has none by schema, and its sequential
	// scan is the largest part of a query where tables come and go.
	var tableOIDs []uint32
	// With Options.Tables, only those are read (sequences are read only
	// to report those no column owns, which needs every table).
	var only []string
	if len(opts.Tables) > 0 {
		only = opts.Tables
	}
	// Relations: tables (r), partitioned tables (p), views (v, m), sequences (S).
	err := each(ctx, db, `SELECT c.oid, c.relname, c.relkind::text, COALESCE(obj_description(c.oid, 'pg_class'), ''),
			c.relispartition, EXISTS (SELECT 1 FROM pg_inherits i WHERE i.inhrelid = c.oid),
			CASE WHEN c.relkind IN ('v', 'm') THEN pg_get_viewdef(c.oid) ELSE '' END
		FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE n.nspname = $1 AND c.relkind IN ('r', 'p', 'v', 'm', 'S') AND ($2::text[] IS NULL OR c.relname = ANY($2::text[]))
		ORDER BY c.relname`, []any{nsp, only},
		func(scan func(...any) error) error {
			var oid uint32
			var name, kind, comment, view string
			var partition, inherits bool
			if err := scan(&oid, &name, &kind, &comment, &partition, &inherits, &view); err != nil {
				return err
			}
			switch kind {
			case "r", "p":
				if !opts.wants(name) {
					return nil
				}
				t := &Table{Name: name, Comment: comment}
				tables[name] = t
				tableOIDs = append(tableOIDs, oid)
				s.Tables = append(s.Tables, t)
				switch {
				case kind == "p":
					s.Unsupported = append(s.Unsupported, Finding{Code: CodeTableOption, Table: name, Object: name, Detail: "PARTITION BY"})
				case partition:
					s.Unsupported = append(s.Unsupported, Finding{Code: CodeTableOption, Table: name, Object: name, Detail: "PARTITION OF"})
				case inherits:
					s.Unsupported = append(s.Unsupported, Finding{Code: CodeTableOption, Table: name, Object: name, Detail: "INHERITS"})
				}
			case "v", "m":
				if len(opts.Tables) == 0 && opts.wants(name) {
					s.Unsupported = append(s.Unsupported, Finding{Code: CodeView, Object: name, Detail: strings.TrimSpace(view)})
				}
			case "S":
				seqs = append(seqs, name)
			}
			return nil
		})
	if err != nil {
		return nil, err
	}
	// The sequences that identity and serial columns own, by table and
	// column. (Joined into the next query, they made PostgreSQL 15 plan
	// a nested loop that took half its time.)
	owned := map[[2]string]string{}
	err = each(ctx, db, `SELECT c.relname, a.attname, s.relname
		FROM pg_class s
		JOIN pg_depend dep ON dep.classid = 'pg_class'::regclass AND dep.objid = s.oid
			AND dep.refclassid = 'pg_class'::regclass AND dep.deptype IN ('a', 'i')
		JOIN pg_class c ON c.oid = dep.refobjid
		JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = dep.refobjsubid
		WHERE dep.refobjid = ANY($1::oid[]) AND s.relkind = 'S'`, []any{tableOIDs},
		func(scan func(...any) error) error {
			var table, col, seq string
			if err := scan(&table, &col, &seq); err != nil {
				return err
			}
			owned[[2]string{table, col}] = seq
			return nil
		})
	if err != nil {
		return nil, err
	}
	// Columns.
	err = each(ctx, db, `SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,
			COALESCE(pg_get_expr(d.adbin, d.adrelid), ''), d.adbin IS NOT NULL, a.attidentity::text, a.attgenerated::text,
			COALESCE(CASE WHEN a.attcollation <> t.typcollation THEN co.collname END, ''),
			COALESCE(ds.description, ''), t.typtype::text
		FROM pg_attribute a
		JOIN pg_class c ON c.oid = a.attrelid
		JOIN pg_type t ON t.oid = a.atttypid
		LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
		LEFT JOIN pg_collation co ON co.oid = a.attcollation
		LEFT JOIN pg_description ds ON ds.classoid = 'pg_class'::regclass AND ds.objoid = c.oid AND ds.objsubid = a.attnum
		WHERE a.attrelid = ANY($1::oid[]) AND a.attnum > 0 AND NOT a.attisdropped
		ORDER BY c.relname, a.attnum`, []any{tableOIDs},
		func(scan func(...any) error) error {
			var table, name, typ, def, identity, generated, collation, comment, typtype string
			var notNull, hasDef bool
			if err := scan(&table, &name, &typ, &notNull, &def, &hasDef, &identity, &generated, &collation, &comment, &typtype); err != nil {
				return err
			}
			seq := owned[[2]string{table, name}]
			t := tables[table]
			if t == nil {
				return nil
			}
			c := &Column{Name: name, DBType: typ, Type: r.parseType(typ), Nullable: !notNull, Collation: collation, Comment: comment}
			if typtype == "e" {
				c.Type = Type{Base: BaseEnum}
			}
			switch {
			case generated != "":
				c.Generated = def
				s.Unsupported = append(s.Unsupported, Finding{Code: CodeGeneratedColumn, Table: table, Object: name, Detail: def})
			case identity != "" || seq != "" && strings.HasPrefix(def, "nextval("):
				c.AutoIncrement = true
				c.Sequence = seq
				ownedSeqs[seq] = true
			case hasDef:
				c.Default = r.parseDefault(def, c.Type)
			}
			if seq != "" {
				ownedSeqs[seq] = true
			}
			if c.Type.Base == BaseUnknown {
				s.Unsupported = append(s.Unsupported, Finding{Code: CodeUnknownType, Table: table, Object: name, Detail: typ})
			}
			t.Columns = append(t.Columns, c)
			return nil
		})
	if err != nil {
		return nil, err
	}
	if len(opts.Tables) == 0 && opts.Filter == nil {
		for _, seq := range seqs {
			if !ownedSeqs[seq] {
				s.Unsupported = append(s.Unsupported, Finding{Code: CodeSequence, Object: seq})
			}
		}
	}
	if err := r.readConstraints(ctx, db, tableOIDs, s, tables); err != nil {
		return nil, err
	}
	if err := r.readIndexes(ctx, db, tableOIDs, s, tables); err != nil {
		return nil, err
	}
	err = each(ctx, db, `SELECT c.relname, t.tgname, pg_get_triggerdef(t.oid)
		FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
		WHERE t.tgrelid = ANY($1::oid[]) AND NOT t.tgisinternal`, []any{tableOIDs},
		func(scan func(...any) error) error {
			var table, name, def string
			if err := scan(&table, &name, &def); err != nil {
				return err
			}
			if tables[table] != nil {
				s.Unsupported = append(s.Unsupported, Finding{Code: CodeTrigger, Table: table, Object: name, Detail: def})
			}
			return nil
		})
	if err != nil {
		return nil, err
	}
	for _, t := range s.Tables {
		if t.PrimaryKey == nil {
			s.Unsupported = append(s.Unsupported, Finding{Code: CodeNoPrimaryKey, Table: t.Name, Object: t.Name})
		}
	}
	return s, nil
}

// readConstraints reads primary keys, uniques, foreign keys, checks and
// exclusion constraints, with their columns in key order.
func (r postgresReader) readConstraints(ctx context.Context, db *runtime.DB, oids []uint32, s *Schema, tables map[string]*Table) error {
	return each(ctx, db, `SELECT c.relname, con.conname, con.contype::text,
			ARRAY(SELECT a.attname::text FROM unnest(con.conkey) WITH ORDINALITY k(num, ord)
				JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.num ORDER BY k.ord),
			COALESCE(fc.relname, ''),
			ARRAY(SELECT a.attname::text FROM unnest(con.confkey) WITH ORDINALITY k(num, ord)
				JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.num ORDER BY k.ord),
			con.confdeltype::text, con.confupdtype::text,
			CASE WHEN con.contype = 'c' THEN pg_get_expr(con.conbin, con.conrelid) ELSE pg_get_constraintdef(con.oid) END
		FROM pg_constraint con
		JOIN pg_class c ON c.oid = con.conrelid
		LEFT JOIN pg_class fc ON fc.oid = con.confrelid
		WHERE con.conrelid = ANY($1::oid[]) AND con.contype IN ('p', 'u', 'f', 'c', 'x')
		ORDER BY c.relname, con.conname`, []any{oids},
		func(scan func(...any) error) error {
			var table, name, kind, ref, onDelete, onUpdate, def string
			var cols, refCols []string
			if err := scan(&table, &name, &kind, &cols, &ref, &refCols, &onDelete, &onUpdate, &def); err != nil {
				return err
			}
			t := tables[table]
			if t == nil {
				return nil
			}
			switch kind {
			case "p":
				t.PrimaryKey = &PrimaryKey{Name: name, Columns: cols}
			case "u":
				t.Uniques = append(t.Uniques, &Unique{Name: name, Columns: cols})
			case "f":
				t.ForeignKeys = append(t.ForeignKeys, &ForeignKey{Name: name, Columns: cols, RefTable: ref, RefColumns: refCols,
					OnDelete: pgActions[onDelete], OnUpdate: pgActions[onUpdate]})
				if len(cols) > 1 {
					s.Unsupported = append(s.Unsupported, Finding{Code: CodeCompositeForeignKey, Table: table, Object: name, Detail: def})
				}
			case "c":
				t.Checks = append(t.Checks, &Check{Name: name, Expr: unwrapParens(def)})
			case "x":
				s.Unsupported = append(s.Unsupported, Finding{Code: CodeExclusionConstraint, Table: table, Object: name, Detail: def})
			}
			return nil
		})
}

// readIndexes reads the indexes that back no constraint.
func (postgresReader) readIndexes(ctx context.Context, db *runtime.DB, oids []uint32, s *Schema, tables map[string]*Table) error {
	return each(ctx, db, `SELECT c.relname, i.relname, ix.indisunique,
			ARRAY(SELECT COALESCE(a.attname::text, '') FROM unnest(ix.indkey::int2[]) WITH ORDINALITY k(num, ord)
				LEFT JOIN pg_attribute a ON a.attrelid = ix.indrelid AND a.attnum = k.num
				WHERE k.ord <= ix.indnkeyatts ORDER BY k.ord),
			COALESCE(pg_get_expr(ix.indpred, ix.indrelid), ''), ix.indexprs IS NOT NULL,
			CASE WHEN ix.indpred IS NOT NULL OR ix.indexprs IS NOT NULL THEN pg_get_indexdef(ix.indexrelid) ELSE '' END
		FROM pg_index ix
		JOIN pg_class i ON i.oid = ix.indexrelid
		JOIN pg_class c ON c.oid = ix.indrelid
		WHERE ix.indrelid = ANY($1::oid[])
			AND NOT EXISTS (SELECT 1 FROM pg_constraint con WHERE con.conindid = ix.indexrelid AND con.conrelid = ix.indrelid
				AND con.contype IN ('p', 'u', 'x'))
		ORDER BY c.relname, i.relname`, []any{oids},
		func(scan func(...any) error) error {
			var table, name, where, def string
			var unique, expr bool
			var cols []string
			if err := scan(&table, &name, &unique, &cols, &where, &expr, &def); err != nil {
				return err
			}
			t := tables[table]
			if t == nil {
				return nil
			}
			ix := &Index{Name: name, Columns: cols, Unique: unique, Where: where, Expressions: expr}
			if where != "" || expr {
				ix.Definition = def
			}
			if where != "" {
				s.Unsupported = append(s.Unsupported, Finding{Code: CodePartialIndex, Table: table, Object: name, Detail: def})
			}
			if expr {
				s.Unsupported = append(s.Unsupported, Finding{Code: CodeExpressionIndex, Table: table, Object: name, Detail: def})
			}
			t.Indexes = append(t.Indexes, ix)
			return nil
		})
}

// unwrapParens removes parentheses around the whole of s.
func unwrapParens(s string) string {
	s = strings.TrimSpace(s)
	for len(s) >= 2 && s[0] == '(' && closingParen(s) == len(s)-1 {
		s = strings.TrimSpace(s[1 : len(s)-1])
	}
	return s
}
