package inspect

import (
	"context"
	"database/sql"
	"strings"

	"github.com/ormc/ormc/runtime"
)

// sqliteReader reads SQLite's main database with its pragmas, joined over
// sqlite_schema as table-valued functions so that each kind of object
// takes one query however many tables there are, and reads the table's
// own CREATE text for what the pragmas do not say: the names of
// constraints, CHECK conditions, collations and generated columns.
type sqliteReader struct{}

// sqliteTypes maps SQLite's declared type names. SQLite keeps the text
// verbatim and takes any name; these are the ones that mean something.
var sqliteTypes = map[string]baseRule{
	"integer": {base: BaseInteger}, "int": {base: BaseInteger}, "bigint": {base: BaseBigInt},
	"smallint": {base: BaseSmallInt}, "tinyint": {base: BaseTinyInt}, "mediumint": {base: BaseMediumInt},
	"varchar": {base: BaseVarchar, args: "length"}, "character varying": {base: BaseVarchar, args: "length"},
	"nvarchar": {base: BaseVarchar, args: "length"}, "varying character": {base: BaseVarchar, args: "length"},
	"char": {base: BaseChar, args: "length"}, "character": {base: BaseChar, args: "length"}, "nchar": {base: BaseChar, args: "length"},
	"text": {base: BaseText}, "clob": {base: BaseText},
	"boolean": {base: BaseBoolean}, "bool": {base: BaseBoolean},
	"real": {base: BaseDouble}, "double": {base: BaseDouble}, "double precision": {base: BaseDouble}, "float": {base: BaseDouble},
	"numeric": {base: BaseDecimal, args: "decimal"}, "decimal": {base: BaseDecimal, args: "decimal"},
	"date": {base: BaseDate}, "time": {base: BaseTime}, "datetime": {base: BaseTimestamp}, "timestamp": {base: BaseTimestamp},
	"json": {base: BaseJSON}, "uuid": {base: BaseUUID}, "blob": {base: BaseBlob},
}

func (sqliteReader) parseType(raw string) Type { return parseWith(sqliteTypes, raw) }

func (sqliteReader) parseDefault(raw string, t Type) *Default { return parseDefault(raw, t, false) }

func (sqliteReader) normalExpr(expr string) string { return normalExpr(expr, false) }

func (sqliteReader) action(raw string) Action { return Action(strings.ToUpper(raw)) }

func (r sqliteReader) read(ctx context.Context, db *runtime.DB, opts Options) (*Schema, error) {
	s := &Schema{}
	tables := map[string]*Table{}
	created := map[string]*createTable{}
	// The objects, with their CREATE text.
	in, args := opts.sqlIn("tbl_name")
	err := each(ctx, db, `SELECT type, name, tbl_name, COALESCE(sql, '') FROM sqlite_master
		WHERE name NOT LIKE 'sqlite\_%' ESCAPE '\'`+in+` ORDER BY name`, args,
		func(scan func(...any) error) error {
			var typ, name, table, text string
			if err := scan(&typ, &name, &table, &text); err != nil {
				return err
			}
			switch typ {
			case "table":
				if opts.wants(name) {
					tables[name] = &Table{Name: name}
					created[name] = parseCreateTable(text)
					s.Tables = append(s.Tables, tables[name])
				}
			case "view":
				if len(opts.Tables) == 0 && opts.wants(name) {
					s.Unsupported = append(s.Unsupported, Finding{Code: CodeView, Object: name, Detail: text})
				}
			case "trigger":
				if opts.wants(table) {
					s.Unsupported = append(s.Unsupported, Finding{Code: CodeTrigger, Table: table, Object: name, Detail: text})
				}
			}
			return nil
		})
	if err != nil {
		return nil, err
	}
	// Columns, with hidden ones: 2 and 3 are generated.
	in, args = opts.sqlIn("m.name")
	err = each(ctx, db, `SELECT m.name, p.name, p.type, p."notnull", p.dflt_value, p.pk, p.hidden
		FROM sqlite_master m, pragma_table_xinfo(m.name) p
		WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\_%' ESCAPE '\'`+in+` ORDER BY m.name, p.cid`, args,
		func(scan func(...any) error) error {
			var table, name, typ string
			var notNull, pk, hidden int64
			var def sql.NullString
			if err := scan(&table, &name, &typ, &notNull, &def, &pk, &hidden); err != nil {
				return err
			}
			t := tables[table]
			if t == nil {
				return nil
			}
			c := &Column{Name: name, DBType: typ, Type: r.parseType(typ), Nullable: notNull == 0}
			if def.Valid {
				c.Default = r.parseDefault(def.String, c.Type)
			}
			if pk > 0 {
				if t.PrimaryKey == nil {
					t.PrimaryKey = &PrimaryKey{}
				}
				for len(t.PrimaryKey.Columns) < int(pk) {
					t.PrimaryKey.Columns = append(t.PrimaryKey.Columns, "")
				}
				t.PrimaryKey.Columns[pk-1] = name
			}
			ct := created[table]
			if cd := ct.column(name); cd != nil {
				c.Collation = cd.collation
				if hidden == 2 || hidden == 3 {
					c.Generated = cd.generated
				}
			}
			if hidden == 2 || hidden == 3 {
				s.Unsupported = append(s.Unsupported, Finding{Code: CodeGeneratedColumn, Table: table, Object: name, Detail: c.Generated})
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
	for _, t := range s.Tables {
		ct := created[t.Name]
		if t.PrimaryKey != nil {
			t.PrimaryKey.Name = ct.pkName
			// A single INTEGER PRIMARY KEY of a rowid table is the rowid:
			// never NULL, and assigned by SQLite when left out. It is
			// read as auto-increment when declared without NOT NULL, as
			// ormc declares its auto-increment keys (and only those).
			if pkc := t.Column(t.PrimaryKey.Columns[0]); len(t.PrimaryKey.Columns) == 1 && !ct.withoutRowID &&
				strings.EqualFold(strings.TrimSpace(pkc.DBType), "integer") && !ct.pkDesc {
				pkc.AutoIncrement = pkc.Nullable
				pkc.Nullable = false
			}
		} else {
			s.Unsupported = append(s.Unsupported, Finding{Code: CodeNoPrimaryKey, Table: t.Name, Object: t.Name})
		}
		for _, ch := range ct.checks {
			t.Checks = append(t.Checks, &Check{Name: ch.name, Expr: ch.expr})
		}
		if ct.withoutRowID {
			s.Unsupported = append(s.Unsupported, Finding{Code: CodeTableOption, Table: t.Name, Object: t.Name, Detail: "WITHOUT ROWID"})
		}
		if ct.strict {
			s.Unsupported = append(s.Unsupported, Finding{Code: CodeTableOption, Table: t.Name, Object: t.Name, Detail: "STRICT"})
		}
	}
	if err := r.readIndexes(ctx, db, in, args, s, tables, created); err != nil {
		return nil, err
	}
	if err := r.readForeignKeys(ctx, db, in, args, s, tables, created); err != nil {
		return nil, err
	}
	return s, nil
}

// readIndexes reads every index: those of UNIQUE constraints (origin u)
// become Uniques named as CREATE TABLE named them, those of CREATE INDEX
// (origin c) Indexes; the primary key's (origin pk) is the key.
// in and args keep the tables asked for (Options.sqlIn on m.name).
func (sqliteReader) readIndexes(ctx context.Context, db *runtime.DB, in string, args []any, s *Schema, tables map[string]*Table, created map[string]*createTable) error {
	type index struct {
		table, origin string
		unique        bool
		partial       bool
		cols          []string
		expr          bool
	}
	var order []string
	byName := map[string]*index{}
	err := each(ctx, db, `SELECT m.name, il.name, il."unique", il.origin, il.partial, ii.cid, COALESCE(ii.name, '')
		FROM sqlite_master m, pragma_index_list(m.name) il, pragma_index_xinfo(il.name) ii
		WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\_%' ESCAPE '\' AND ii.key = 1`+in+`
		ORDER BY m.name, il.name, ii.seqno`, args,
		func(scan func(...any) error) error {
			var table, name, origin, col string
			var unique, partial, cid int64
			if err := scan(&table, &name, &unique, &origin, &partial, &cid, &col); err != nil {
				return err
			}
			if tables[table] == nil {
				return nil
			}
			ix := byName[name]
			if ix == nil {
				ix = &index{table: table, origin: origin, unique: unique == 1, partial: partial == 1}
				byName[name] = ix
				order = append(order, name)
			}
			if cid == -2 {
				ix.expr = true
				col = ""
			}
			ix.cols = append(ix.cols, col)
			return nil
		})
	if err != nil {
		return err
	}
	var defs map[string]string
	for _, name := range order {
		ix := byName[name]
		t := tables[ix.table]
		switch ix.origin {
		case "pk":
		case "u":
			t.Uniques = append(t.Uniques, &Unique{Name: created[ix.table].uniqueName(ix.cols), Columns: ix.cols})
		default:
			in := &Index{Name: name, Columns: ix.cols, Unique: ix.unique, Expressions: ix.expr}
			if ix.partial || ix.expr {
				if defs == nil {
					if defs, err = indexDefs(ctx, db); err != nil {
						return err
					}
				}
				in.Definition = defs[name]
				if ix.partial {
					in.Where = whereOf(in.Definition)
					s.Unsupported = append(s.Unsupported, Finding{Code: CodePartialIndex, Table: ix.table, Object: name, Detail: in.Definition})
				}
				if ix.expr {
					s.Unsupported = append(s.Unsupported, Finding{Code: CodeExpressionIndex, Table: ix.table, Object: name, Detail: in.Definition})
				}
			}
			t.Indexes = append(t.Indexes, in)
		}
	}
	return nil
}

// indexDefs returns the CREATE INDEX text of every index, by name.
func indexDefs(ctx context.Context, db *runtime.DB) (map[string]string, error) {
	defs := map[string]string{}
	err := each(ctx, db, `SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL`, nil,
		func(scan func(...any) error) error {
			var name, text string
			if err := scan(&name, &text); err != nil {
				return err
			}
			defs[name] = text
			return nil
		})
	return defs, err
}

// whereOf returns the condition after the top-level WHERE of a CREATE
// INDEX text.
func whereOf(def string) string {
	depth := 0
	for _, t := range scanExpr(def, false) {
		switch {
		case t.text == "(":
			depth++
		case t.text == ")":
			depth--
		case depth == 0 && t.kind == tokWord && t.text == "where":
			return strings.TrimSpace(def[t.end:])
		}
	}
	return ""
}

// readForeignKeys reads every foreign key; a reference without columns
// refers to the other table's primary key.
func (r sqliteReader) readForeignKeys(ctx context.Context, db *runtime.DB, in string, args []any, s *Schema, tables map[string]*Table, created map[string]*createTable) error {
	type key struct {
		table string
		id    int64
	}
	var order []key
	fks := map[key]*ForeignKey{}
	err := each(ctx, db, `SELECT m.name, f.id, f."table", f."from", f."to", f.on_update, f.on_delete
		FROM sqlite_master m, pragma_foreign_key_list(m.name) f
		WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\_%' ESCAPE '\'`+in+` ORDER BY m.name, f.id, f.seq`, args,
		func(scan func(...any) error) error {
			var table, ref, from, onUpdate, onDelete string
			var to sql.NullString
			var id int64
			if err := scan(&table, &id, &ref, &from, &to, &onUpdate, &onDelete); err != nil {
				return err
			}
			if tables[table] == nil {
				return nil
			}
			k := key{table, id}
			fk := fks[k]
			if fk == nil {
				fk = &ForeignKey{RefTable: ref, OnDelete: r.action(onDelete), OnUpdate: r.action(onUpdate)}
				fks[k] = fk
				order = append(order, k)
			}
			fk.Columns = append(fk.Columns, from)
			fk.RefColumns = append(fk.RefColumns, to.String)
			return nil
		})
	if err != nil {
		return err
	}
	for _, k := range order {
		fk := fks[k]
		if refPK := s.Table(fk.RefTable); refPK != nil && refPK.PrimaryKey != nil {
			for i, c := range fk.RefColumns {
				if c == "" && i < len(refPK.PrimaryKey.Columns) {
					fk.RefColumns[i] = refPK.PrimaryKey.Columns[i]
				}
			}
		}
		fk.Name = created[k.table].foreignKeyName(fk.Columns, fk.RefTable)
		t := tables[k.table]
		t.ForeignKeys = append(t.ForeignKeys, fk)
		if len(fk.Columns) > 1 {
			s.Unsupported = append(s.Unsupported, Finding{Code: CodeCompositeForeignKey, Table: t.Name, Object: fk.Name,
				Detail: "(" + strings.Join(fk.Columns, ", ") + ") REFERENCES " + fk.RefTable})
		}
	}
	return nil
}

// each runs a query and calls row for each row, with the function that
// scans it.
func each(ctx context.Context, db *runtime.DB, query string, args []any, row func(scan func(...any) error) error) error {
	rows, err := db.Query(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := row(rows.Scan); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	return rows.Close()
}
