package inspect

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strconv"
	"strings"

	"github.com/ormc/ormc/runtime"
	"github.com/ormc/ormc/runtime/dialect"
)

// mysqlReader reads the connection's database from information_schema,
// one query per kind of object. It reads MariaDB's spelling of defaults
// (10.2.7 and later: strings quoted, expressions as written), the server
// ormc is tested on; MySQL 8 writes string defaults unquoted.
type mysqlReader struct{}

// mysqlTypes maps MySQL's type names, as COLUMN_TYPE writes them
// (int(11), varchar(100), decimal(10,2) unsigned) and as DDL may write
// them (INT, BOOLEAN, DOUBLE PRECISION). Text and blob types carry their
// limit in bytes as Length. A display width (int(11)) means nothing and
// is dropped; tinyint(1) is how BOOLEAN is stored.
var mysqlTypes = map[string]baseRule{
	"varchar": {base: BaseVarchar, args: "length"}, "char": {base: BaseChar, args: "length"},
	"tinytext": {base: BaseText, length: 255}, "text": {base: BaseText, length: 65535},
	"mediumtext": {base: BaseText, length: 16777215}, "longtext": {base: BaseText, length: 4294967295},
	"boolean": {base: BaseBoolean}, "bool": {base: BaseBoolean},
	"tinyint": {base: BaseTinyInt}, "smallint": {base: BaseSmallInt}, "mediumint": {base: BaseMediumInt},
	"int": {base: BaseInteger}, "integer": {base: BaseInteger}, "bigint": {base: BaseBigInt},
	"float": {base: BaseReal}, "double": {base: BaseDouble}, "double precision": {base: BaseDouble}, "real": {base: BaseDouble},
	"decimal": {base: BaseDecimal, args: "decimal"}, "numeric": {base: BaseDecimal, args: "decimal"},
	"date": {base: BaseDate}, "time": {base: BaseTime, args: "precision"},
	"datetime": {base: BaseTimestamp, args: "precision"}, "timestamp": {base: BaseTimestampTZ, args: "precision"},
	"json": {base: BaseJSON}, "uuid": {base: BaseUUID},
	"binary": {base: BaseBinary, args: "length"}, "varbinary": {base: BaseVarbinary, args: "length"},
	"tinyblob": {base: BaseBlob, length: 255}, "blob": {base: BaseBlob, length: 65535},
	"mediumblob": {base: BaseBlob, length: 16777215}, "longblob": {base: BaseBlob, length: 4294967295},
	"enum": {base: BaseEnum},
}

func (mysqlReader) parseType(raw string) Type {
	if tn := splitType(raw); tn.name == "tinyint" && len(tn.args) == 1 && tn.args[0] == 1 && !tn.unsigned {
		return Type{Base: BaseBoolean}
	}
	return parseWith(mysqlTypes, raw)
}

func (mysqlReader) parseDefault(raw string, t Type) *Default { return parseDefault(raw, t, true) }

func (mysqlReader) normalExpr(expr string) string { return normalExpr(expr, true) }

// action reads NO ACTION as RESTRICT: InnoDB checks both at once, and
// MariaDB reports a foreign key declared without an action as RESTRICT.
func (mysqlReader) action(raw string) Action {
	a := Action(strings.ToUpper(raw))
	if a == NoAction || a == "" {
		return Restrict
	}
	return a
}

func (r mysqlReader) read(ctx context.Context, db *runtime.DB, opts Options) (*Schema, error) {
	var dbName sql.NullString
	if err := each(ctx, db, "SELECT DATABASE()", nil, func(scan func(...any) error) error { return scan(&dbName) }); err != nil {
		return nil, err
	}
	if !dbName.Valid {
		// information_schema would answer that there are no tables.
		return nil, errors.New("no database selected: the URL names none")
	}
	s := &Schema{Name: dbName.String}
	tables := map[string]*Table{}
	// Collations by the names of compiler/ddl (TiDB's utf8mb4_0900_bin is
	// MariaDB's utf8mb4_nopad_bin).
	canonical := func(c string) string { return c }
	// MySQL 8 and TiDB write a literal default unquoted (MariaDB quotes
	// it, and tells it from an expression so).
	quoteDefault := func(def, _ string) string { return def }
	if p, ok := db.Dialect().(dialect.Profile); ok {
		canonical = p.CanonicalCollation
		if !p.DefaultsQuoted() {
			quoteDefault = quoteLiteralDefault
		}
	}
	in, args := opts.sqlIn("TABLE_NAME")
	err := each(ctx, db, `SELECT TABLE_NAME, TABLE_TYPE, COALESCE(TABLE_COLLATION, ''), COALESCE(TABLE_COMMENT, '')
		FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()`+in, args,
		func(scan func(...any) error) error {
			var name, kind, collation, comment string
			if err := scan(&name, &kind, &collation, &comment); err != nil {
				return err
			}
			switch kind {
			case "BASE TABLE", "SYSTEM VERSIONED":
				if !opts.wants(name) {
					return nil
				}
				t := &Table{Name: name, Collation: canonical(collation), Comment: comment}
				tables[name] = t
				s.Tables = append(s.Tables, t)
				if kind == "SYSTEM VERSIONED" {
					s.Unsupported = append(s.Unsupported, Finding{Code: CodeTableOption, Table: name, Object: name, Detail: "WITH SYSTEM VERSIONING"})
				}
			case "VIEW":
				if len(opts.Tables) == 0 && opts.wants(name) {
					s.Unsupported = append(s.Unsupported, Finding{Code: CodeView, Object: name})
				}
			case "SEQUENCE":
				if len(opts.Tables) == 0 && opts.Filter == nil {
					s.Unsupported = append(s.Unsupported, Finding{Code: CodeSequence, Object: name})
				}
			}
			return nil
		})
	if err != nil {
		return nil, err
	}
	err = each(ctx, db, `SELECT TABLE_NAME, COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE, COLUMN_DEFAULT, EXTRA,
			COALESCE(COLLATION_NAME, ''), COLUMN_COMMENT, COALESCE(GENERATION_EXPRESSION, '')
		FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE()`+in+`
		ORDER BY TABLE_NAME, ORDINAL_POSITION`, args,
		func(scan func(...any) error) error {
			var table, name, typ, nullable, extra, collation, comment, generated string
			var def sql.NullString
			if err := scan(&table, &name, &typ, &nullable, &def, &extra, &collation, &comment, &generated); err != nil {
				return err
			}
			t := tables[table]
			if t == nil {
				return nil
			}
			c := &Column{Name: name, DBType: typ, Type: r.parseType(typ), Nullable: nullable == "YES", Comment: comment}
			if collation = canonical(collation); collation != t.Collation {
				c.Collation = collation
			}
			extra = strings.ToLower(extra)
			switch {
			case strings.Contains(strings.ReplaceAll(extra, "default_generated", ""), "generated"):
				// VIRTUAL or STORED GENERATED; MySQL 8 and TiDB mark an
				// expression default DEFAULT_GENERATED.
				c.Generated = generated
				s.Unsupported = append(s.Unsupported, Finding{Code: CodeGeneratedColumn, Table: table, Object: name, Detail: generated})
			case def.Valid:
				c.Default = r.parseDefault(quoteDefault(def.String, extra), c.Type)
			}
			if strings.Contains(extra, "auto_increment") {
				c.AutoIncrement = true
			}
			if i := strings.Index(extra, "on update "); i >= 0 {
				s.Unsupported = append(s.Unsupported, Finding{Code: CodeOnUpdate, Table: table, Object: name, Detail: extra[i:]})
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
	if err := r.readKeys(ctx, db, opts, s, tables); err != nil {
		return nil, err
	}
	if err := r.readChecks(ctx, db, opts, tables); err != nil {
		return nil, err
	}
	in, args = opts.sqlIn("EVENT_OBJECT_TABLE")
	err = each(ctx, db, `SELECT EVENT_OBJECT_TABLE, TRIGGER_NAME,
			CONCAT(ACTION_TIMING, ' ', EVENT_MANIPULATION, ' ', ACTION_STATEMENT)
		FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE()`+in, args,
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
	if err := r.readAutoRandom(ctx, db, tables); err != nil {
		return nil, err
	}
	for _, t := range s.Tables {
		if t.PrimaryKey == nil {
			s.Unsupported = append(s.Unsupported, Finding{Code: CodeNoPrimaryKey, Table: t.Name, Object: t.Name})
		}
	}
	return s, nil
}

// readAutoRandom marks the key of a TiDB table whose key TiDB makes with
// AUTO_RANDOM as made by the database, as AUTO_INCREMENT is:
// information_schema.COLUMNS says nothing of it.
func (r mysqlReader) readAutoRandom(ctx context.Context, db *runtime.DB, tables map[string]*Table) error {
	p, ok := db.Dialect().(dialect.Profile)
	if !ok || p.AutoRandomTablesSQL() == "" {
		return nil
	}
	return each(ctx, db, p.AutoRandomTablesSQL(), nil, func(scan func(...any) error) error {
		var name string
		if err := scan(&name); err != nil {
			return err
		}
		if t := tables[name]; t != nil && t.PrimaryKey != nil && len(t.PrimaryKey.Columns) == 1 {
			if c := t.Column(t.PrimaryKey.Columns[0]); c != nil {
				c.AutoIncrement = true
			}
		}
		return nil
	})
}

// readKeys reads indexes (the primary key, unique ones as Uniques, the
// others as Indexes) and foreign keys. The index InnoDB makes for a
// foreign key that has none to use, named after the constraint, is part
// of the foreign key and left out.
func (r mysqlReader) readKeys(ctx context.Context, db *runtime.DB, opts Options, s *Schema, tables map[string]*Table) error {
	in, args := opts.sqlIn("TABLE_NAME")
	type index struct {
		table   string
		name    string
		unique  bool
		cols    []string
		partial []string // column(prefix length) of prefix parts
	}
	var order []*index
	byKey := map[[2]string]*index{}
	err := each(ctx, db, `SELECT TABLE_NAME, INDEX_NAME, NON_UNIQUE, COLUMN_NAME, COALESCE(SUB_PART, 0)
		FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE()`+in+`
		ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX`, args,
		func(scan func(...any) error) error {
			var table, name, col string
			var nonUnique, sub int64
			if err := scan(&table, &name, &nonUnique, &col, &sub); err != nil {
				return err
			}
			if tables[table] == nil {
				return nil
			}
			k := [2]string{table, name}
			ix := byKey[k]
			if ix == nil {
				ix = &index{table: table, name: name, unique: nonUnique == 0}
				byKey[k] = ix
				order = append(order, ix)
			}
			ix.cols = append(ix.cols, col)
			if sub > 0 {
				ix.partial = append(ix.partial, col+"("+strconv.FormatInt(sub, 10)+")")
			}
			return nil
		})
	if err != nil {
		return err
	}
	// Foreign keys: their columns, then their actions. (Joined in one
	// query, the two views took MariaDB 30 ms for 50 tables.)
	type fkKey struct{ table, name string }
	var fkOrder []fkKey
	fks := map[fkKey]*ForeignKey{}
	err = each(ctx, db, `SELECT TABLE_NAME, CONSTRAINT_NAME, COLUMN_NAME, REFERENCED_TABLE_NAME, REFERENCED_COLUMN_NAME
		FROM information_schema.KEY_COLUMN_USAGE
		WHERE TABLE_SCHEMA = DATABASE() AND REFERENCED_TABLE_NAME IS NOT NULL`+in+`
		ORDER BY TABLE_NAME, CONSTRAINT_NAME, ORDINAL_POSITION`, args,
		func(scan func(...any) error) error {
			var table, name, col, ref, refCol string
			if err := scan(&table, &name, &col, &ref, &refCol); err != nil {
				return err
			}
			if tables[table] == nil {
				return nil
			}
			k := fkKey{table, name}
			fk := fks[k]
			if fk == nil {
				fk = &ForeignKey{Name: name, RefTable: ref}
				fks[k] = fk
				fkOrder = append(fkOrder, k)
			}
			fk.Columns = append(fk.Columns, col)
			fk.RefColumns = append(fk.RefColumns, refCol)
			return nil
		})
	if err != nil {
		return err
	}
	err = each(ctx, db, `SELECT TABLE_NAME, CONSTRAINT_NAME, DELETE_RULE, UPDATE_RULE
		FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = DATABASE()`+in, args,
		func(scan func(...any) error) error {
			var table, name, onDelete, onUpdate string
			if err := scan(&table, &name, &onDelete, &onUpdate); err != nil {
				return err
			}
			if fk := fks[fkKey{table, name}]; fk != nil {
				fk.OnDelete, fk.OnUpdate = r.action(onDelete), r.action(onUpdate)
			}
			return nil
		})
	if err != nil {
		return err
	}
	for _, k := range fkOrder {
		fk := fks[k]
		t := tables[k.table]
		t.ForeignKeys = append(t.ForeignKeys, fk)
		if len(fk.Columns) > 1 {
			s.Unsupported = append(s.Unsupported, Finding{Code: CodeCompositeForeignKey, Table: t.Name, Object: fk.Name,
				Detail: "(" + strings.Join(fk.Columns, ", ") + ") REFERENCES " + fk.RefTable})
		}
	}
	for _, ix := range order {
		t := tables[ix.table]
		switch {
		case ix.name == "PRIMARY":
			t.PrimaryKey = &PrimaryKey{Name: ix.name, Columns: ix.cols}
		case ix.unique && len(ix.partial) == 0:
			t.Uniques = append(t.Uniques, &Unique{Name: ix.name, Columns: ix.cols})
		default:
			if fk := fks[fkKey{ix.table, ix.name}]; fk != nil && !ix.unique && slices.Equal(fk.Columns, ix.cols) {
				continue // the foreign key's own index
			}
			in := &Index{Name: ix.name, Columns: ix.cols, Unique: ix.unique}
			if len(ix.partial) > 0 {
				in.Expressions = true
				in.Definition = "(" + strings.Join(ix.partial, ", ") + ")"
				s.Unsupported = append(s.Unsupported, Finding{Code: CodeExpressionIndex, Table: ix.table, Object: ix.name,
					Detail: "prefix index " + in.Definition})
			}
			t.Indexes = append(t.Indexes, in)
		}
	}
	return nil
}

// quoteLiteralDefault writes a default as MySQL 8 and TiDB report it in
// information_schema.COLUMNS as MariaDB does: a literal quoted. Theirs is
// an expression where EXTRA says DEFAULT_GENERATED (lower-cased here), or
// the CURRENT_TIMESTAMP family, which they write bare; any other default
// is a literal, written unquoted.
func quoteLiteralDefault(def, extra string) string {
	upper := strings.ToUpper(def)
	if strings.Contains(extra, "default_generated") || strings.HasPrefix(upper, "CURRENT_") ||
		strings.HasPrefix(upper, "NOW(") || upper == "NULL" {
		return def
	}
	return "'" + strings.ReplaceAll(strings.ReplaceAll(def, `\`, `\\`), "'", "''") + "'"
}

// readChecks reads CHECK constraints. MariaDB stores a JSON column as
// LONGTEXT in utf8mb4_bin with a CHECK (json_valid(column)) named after
// it: that is read back as a JSON column, as the DDL wrote it.
func (r mysqlReader) readChecks(ctx context.Context, db *runtime.DB, opts Options, tables map[string]*Table) error {
	in, args := opts.sqlIn("TABLE_NAME")
	checks := "CHECK_CONSTRAINTS"
	if p, ok := db.Dialect().(dialect.Profile); ok {
		checks = p.ChecksWithTables()
	}
	query := `SELECT TABLE_NAME, CONSTRAINT_NAME, CHECK_CLAUSE
		FROM information_schema.` + checks + ` WHERE CONSTRAINT_SCHEMA = DATABASE()` + in + `
		ORDER BY TABLE_NAME, CONSTRAINT_NAME`
	if checks == "" {
		// The table is TABLE_CONSTRAINTS's. Behind vtgate the shards may
		// be MariaDB, whose CHECK names repeat across tables (a JSON
		// column's json_valid is named after the column): such a name
		// then comes back once per table that has it, for each table.
		// The seen set below keeps one of alike clauses (json_valid of
		// the same column); a table whose CHECK shares its name with
		// another table's different one is read with both, there only.
		in, args = opts.sqlIn("tc.TABLE_NAME")
		query = `SELECT tc.TABLE_NAME, cc.CONSTRAINT_NAME, cc.CHECK_CLAUSE
		FROM information_schema.TABLE_CONSTRAINTS tc
		JOIN information_schema.CHECK_CONSTRAINTS cc
		  ON cc.CONSTRAINT_SCHEMA = tc.CONSTRAINT_SCHEMA AND cc.CONSTRAINT_NAME = tc.CONSTRAINT_NAME
		WHERE tc.CONSTRAINT_SCHEMA = DATABASE() AND tc.CONSTRAINT_TYPE = 'CHECK'` + in + `
		ORDER BY tc.TABLE_NAME, cc.CONSTRAINT_NAME, cc.CHECK_CLAUSE`
	}
	seen := map[[3]string]bool{}
	return each(ctx, db, query, args,
		func(scan func(...any) error) error {
			var table, name, clause string
			if err := scan(&table, &name, &clause); err != nil {
				return err
			}
			t := tables[table]
			if t == nil || seen[[3]string{table, name, clause}] {
				return nil
			}
			seen[[3]string{table, name, clause}] = true
			if c := t.Column(name); c != nil && c.Type.Base == BaseText &&
				r.normalExpr(clause) == r.normalExpr("json_valid(`"+strings.ReplaceAll(name, "`", "``")+"`)") {
				c.Type = Type{Base: BaseJSON}
				c.Collation = "" // utf8mb4_bin, which JSON implies
				if c.Default != nil {
					c.Default = r.parseDefault(c.Default.Raw, c.Type)
				}
				return nil
			}
			t.Checks = append(t.Checks, &Check{Name: name, Expr: clause})
			return nil
		})
}
