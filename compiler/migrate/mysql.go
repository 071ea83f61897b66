package migrate

import (
	"fmt"
	"slices"
	"strings"

	"github.com/ormc/ormc/compiler/ddl"
	"github.com/ormc/ormc/compiler/ir"
	"github.com/ormc/ormc/runtime/dialect"
)

// mysqlWriter plans for MySQL and MariaDB, whose DDL commits each
// statement: one change a step, so the applier records each as it
// commits and resumes after the last. Each ALTER names the algorithm it
// expects, so that the server refuses rather than silently copying a big
// table: INSTANT for metadata changes, INPLACE with LOCK=NONE for
// indexes, and COPY only where nothing else can do it, which lint
// reports (table-rewrite).
type mysqlWriter struct{}

const (
	instant = ", ALGORITHM=INSTANT"
	inplace = ", ALGORITHM=INPLACE, LOCK=NONE"
	copying = ", ALGORITHM=COPY"
)

func (mysqlWriter) length(col string) string  { return "CHAR_LENGTH(" + col + ")" }
func (mysqlWriter) decimal(col string) string { return col }

func (w mysqlWriter) steps(p *Plan) []Step {
	d := dialect.MySQL
	var steps []Step
	for _, c := range p.Changes {
		steps = append(steps, w.change(p, d, c)...)
	}
	return steps
}

func (w mysqlWriter) change(p *Plan, d dialect.Dialect, c *Change) []Step {
	desc := describe(c)
	one := func(format string, args ...any) []Step {
		return []Step{{SQL: fmt.Sprintf(format, args...), Desc: desc}}
	}
	switch c.Kind {
	case AddModel:
		return stepsOf(ddl.CreateTable(p.New, d, c.New, "", deferred(d, c)), desc)
	case DropModel:
		return one("DROP TABLE %s", q(d, c.Old.Table))
	case RenameModel:
		return one("RENAME TABLE %s TO %s", q(d, c.Old.Table), q(d, c.New.Table))
	case AddField:
		if perRow(c.NewField) {
			return w.addPerRow(p, d, c)
		}
		algo := instant
		if !constantDefault(p, d, c.NewField) {
			algo = copying
		}
		return one("ALTER TABLE %s ADD COLUMN %s%s", q(d, c.New.Table), ddl.ColumnDef(p.New, d, c.NewField), algo)
	case DropField:
		return one("ALTER TABLE %s DROP COLUMN %s%s", q(d, c.New.Table), q(d, c.OldField.Column), instant)
	case RenameField:
		return one("ALTER TABLE %s RENAME COLUMN %s TO %s%s", q(d, c.New.Table), q(d, c.OldField.Column), q(d, c.NewField.Column), instant)
	case AlterField:
		var steps []Step
		t, col := q(d, c.New.Table), q(d, c.NewField.Column)
		if c.Null && !c.NewField.Null && backfill(c.NewField) != nil {
			steps = append(steps, Step{Desc: desc + ": fill NULLs with the default",
				SQL: fmt.Sprintf("UPDATE %s SET %s = %s WHERE %s IS NULL", t, col, ddl.DefaultSQL(p.New, d, c.NewField), col)})
		}
		return append(steps, one("ALTER TABLE %s MODIFY COLUMN %s%s", t, ddl.ModifyColumnDef(p.New, d, c.NewField), w.alterAlgorithm(p, c))...)
	case RenameValues:
		// An UPDATE commits as one statement; run again it changes nothing.
		return []Step{valueUpdate(d, c)}
	case RenameObject:
		t := q(d, c.New.Table)
		switch c.Object {
		case AddIndex, AddUnique:
			return one("ALTER TABLE %s RENAME INDEX %s TO %s%s", t, q(d, c.OldName), q(d, c.Name), inplace)
		case AddCheck:
			return slices.Concat(one("ALTER TABLE %s DROP CONSTRAINT %s", t, q(d, c.OldName)),
				one("ALTER TABLE %s ADD CONSTRAINT %s CHECK (%s)%s", t, q(d, c.Name), ddl.CheckExpr(p.New, d, c.NewField), copying))
		}
		// A foreign key cannot be renamed: dropped (with the index InnoDB
		// made for it) and added again.
		steps := one("ALTER TABLE %s DROP FOREIGN KEY %s", t, q(d, c.OldName))
		steps = append(steps, dropOwnIndex(d, t, c.Old, c.OldField, c.OldName, desc)...)
		return append(steps, one("ALTER TABLE %s ADD %s%s", t, ddl.ForeignKey(p.New, d, c.New, c.NewField), copying)...)
	case AddIndex:
		return append(one("ALTER TABLE %s ADD INDEX %s (%s)%s", q(d, c.New.Table), q(d, c.Name), ddl.QuoteList(d, c.Columns), inplace),
			ownIndexGoes(d, c, desc)...)
	case DropIndex, DropUnique:
		return append(ownIndexComes(d, c, desc), one("ALTER TABLE %s DROP INDEX %s%s", q(d, dropTable(c)), q(d, c.Name), inplace)...)
	case AddUnique:
		return append(one("ALTER TABLE %s ADD %s%s", q(d, c.New.Table), ddl.UniqueClause(d, c.Name, c.Columns), inplace),
			ownIndexGoes(d, c, desc)...)
	case DropForeignKey:
		steps := one("ALTER TABLE %s DROP FOREIGN KEY %s", q(d, dropTable(c)), q(d, c.Name))
		return append(steps, dropOwnIndex(d, q(d, dropTable(c)), c.Old, c.OldField, c.Name, desc)...)
	case AddForeignKey:
		// With foreign_key_checks on, MySQL adds a key by copying.
		return one("ALTER TABLE %s ADD %s%s", q(d, c.New.Table), ddl.ForeignKey(p.New, d, c.New, c.NewField), copying)
	case DropCheck:
		return one("ALTER TABLE %s DROP CONSTRAINT %s", q(d, dropTable(c)), q(d, c.Name))
	case AddCheck:
		return one("ALTER TABLE %s ADD CONSTRAINT %s CHECK (%s)%s", q(d, c.New.Table), q(d, c.Name), ddl.CheckExpr(p.New, d, c.NewField), copying)
	}
	return nil
}

// perRow reports whether f's default differs from row to row (UUID()),
// which TiDB refuses to give the rows of ADD COLUMN (1674, "unsafe").
func perRow(f *ir.Field) bool {
	return f.Default != nil && f.Default.Kind == ir.DefaultUUID
}

// addPerRow adds a column whose default differs from row to row in three
// steps that MariaDB and TiDB both take: the column without its default
// and NULL allowed, the rows' values by an UPDATE, then the column as
// declared. Each commits on its own, and the applier resumes after the
// last that did.
func (mysqlWriter) addPerRow(p *Plan, d dialect.Dialect, c *Change) []Step {
	desc, t, col := describe(c), q(d, c.New.Table), q(d, c.NewField.Column)
	bare := *c.NewField
	bare.Null, bare.Default = true, nil
	algo := instant
	if !c.NewField.Null {
		algo = inplace
	}
	return []Step{
		{Desc: desc, SQL: fmt.Sprintf("ALTER TABLE %s ADD COLUMN %s%s", t, ddl.ColumnDef(p.New, d, &bare), instant)},
		{Desc: desc + ": fill the rows", SQL: fmt.Sprintf("UPDATE %s SET %s = %s WHERE %s IS NULL", t, col, ddl.DefaultSQL(p.New, d, c.NewField), col)},
		{Desc: desc + ": its default", SQL: fmt.Sprintf("ALTER TABLE %s MODIFY COLUMN %s%s", t, ddl.ModifyColumnDef(p.New, d, c.NewField), algo)},
	}
}

// constantDefault reports whether f's default is a constant, which
// INSTANT ADD COLUMN takes (an expression such as UUID() is not).
func constantDefault(p *Plan, d dialect.Dialect, f *ir.Field) bool {
	def := ddl.DefaultSQL(p.New, d, f)
	return !strings.HasPrefix(def, "(")
}

// alterAlgorithm is the algorithm MODIFY COLUMN asks for: INSTANT for a
// default, a comment or a VARCHAR grown within its length prefix,
// INPLACE for nullability, COPY for other type changes.
func (mysqlWriter) alterAlgorithm(p *Plan, c *Change) string {
	if c.Type {
		a, b := p.Old.ColumnType(c.OldField), p.New.ColumnType(c.NewField)
		if widensOnly(a, b) && samePrefix(a.MaxLength, b.MaxLength) && !c.Null {
			return instant
		}
		return copying
	}
	if c.Null {
		return inplace
	}
	return instant
}

// samePrefix reports whether VARCHARs of n and m characters (utf8mb4, 4
// bytes each) have length prefixes of the same size, one byte up to 255
// bytes: only then is growing one a metadata change.
func samePrefix(n, m int) bool { return (n*4 <= 255) == (m*4 <= 255) }

// ownIndex reports whether InnoDB made an index of its own for f's
// foreign key: when no index of m starts with f's column, the primary
// key included (a composite key's first field, as a join table's).
func ownIndex(m *ir.Model, f *ir.Field) bool {
	if f == nil || f.UniqueName != "" || f.IndexName != "" || f.PrimaryKey {
		return false
	}
	if m.Composite() && m.KeyFields()[0] == f {
		return false
	}
	for _, ix := range m.Indexes {
		if len(ix.Fields) > 0 && ix.Fields[0] == f.Name {
			return false
		}
	}
	return true
}

func (w mysqlWriter) rewrites(p *Plan, c *Change) string {
	var algo string
	switch c.Kind {
	case AlterField:
		algo = w.alterAlgorithm(p, c)
	case AddForeignKey, AddCheck:
		if c.Old != nil { // a table created in this migration is empty
			algo = copying
		}
	case RenameObject:
		if c.Object == AddForeignKey || c.Object == AddCheck {
			algo = copying
		}
	case AddField:
		if !constantDefault(p, dialect.MySQL, c.NewField) && !perRow(c.NewField) {
			algo = copying
		}
	}
	if algo != copying {
		return ""
	}
	return fmt.Sprintf("%s copies table %s (ALGORITHM=COPY), blocking writes while it runs", describe(c), c.Table())
}

// InnoDB gives a foreign key an index of its own, named after it, when
// no index starts with its column, refuses to drop the last index one
// uses, and drops its own index when another that serves the key comes.
// TiDB makes the key's own index too, but keeps it when another comes
// (CreateTables makes indexes after their tables' keys), and refuses to
// drop an index the key uses even in the ALTER that adds another. So the
// key's own index is added and dropped in steps of its own, after the
// index that replaces it and before the one it replaces, by IF EXISTS and
// IF NOT EXISTS where the engines differ in having it.

// keptKey returns the field of m0 (before) whose column is col and
// whose foreign key m1 (after) keeps, and its field in m1.
func keptKey(m0, m1 *ir.Model, col string) (*ir.Field, *ir.Field) {
	if m0 == nil || m1 == nil {
		return nil, nil
	}
	for _, f := range m0.Fields {
		if f.Column != col || f.Relation == nil {
			continue
		}
		for _, g := range m1.Fields {
			if g.Relation != nil && g.ForeignKeyName == f.ForeignKeyName {
				return f, g
			}
		}
	}
	return nil, nil
}

// ownIndexGoes drops the own index of a foreign key on the first column
// of index c, added, which makes it redundant: it is there on TiDB, and
// on MariaDB where it was made explicitly (ownIndexComes).
func ownIndexGoes(d dialect.Dialect, c *Change, desc string) []Step {
	if len(c.Columns) == 0 {
		return nil
	}
	// The column's name before the migration: added indexes come after
	// renames, but the key's own index is as the old model had it.
	col := c.Columns[0]
	for _, f := range c.New.Fields {
		if f.Column == col {
			if of := c.Old.Field(f.Name); of != nil {
				col = of.Column
			} else if of := c.Old.Field(f.RenamedFrom); f.RenamedFrom != "" && of != nil {
				col = of.Column
			}
		}
	}
	of, _ := keptKey(c.Old, c.New, col)
	if of == nil || !ownIndex(c.Old, of) {
		return nil
	}
	return []Step{{Desc: desc, SQL: fmt.Sprintf("ALTER TABLE %s DROP INDEX IF EXISTS %s%s", q(d, c.New.Table), q(d, of.ForeignKeyName), inplace)}}
}

// ownIndexComes adds the own index of a foreign key on the first column
// of index c, dropped, where the model keeps the key with no other index:
// TiDB may have it already.
func ownIndexComes(d dialect.Dialect, c *Change, desc string) []Step {
	if len(c.Columns) == 0 {
		return nil
	}
	_, nf := keptKey(c.Old, c.New, c.Columns[0])
	if nf == nil || !ownIndex(c.New, nf) {
		return nil
	}
	return []Step{{Desc: desc, SQL: fmt.Sprintf("ALTER TABLE %s ADD INDEX IF NOT EXISTS %s (%s)%s",
		q(d, dropTable(c)), q(d, nf.ForeignKeyName), q(d, c.Columns[0]), inplace)}}
}

// dropOwnIndex drops, after foreign key name of f in m is dropped, the
// index made for it, which stays: InnoDB's where ownIndex says, and one
// TiDB may have kept where only a plain index serves the key.
func dropOwnIndex(d dialect.Dialect, table string, m *ir.Model, f *ir.Field, name, desc string) []Step {
	switch {
	case ownIndex(m, f):
		return []Step{{Desc: desc, SQL: fmt.Sprintf("ALTER TABLE %s DROP INDEX %s%s", table, q(d, name), inplace)}}
	case f != nil && servedByIndexOnly(m, f):
		return []Step{{Desc: desc, SQL: fmt.Sprintf("ALTER TABLE %s DROP INDEX IF EXISTS %s%s", table, q(d, name), inplace)}}
	}
	return nil
}

// servedByIndexOnly reports whether only a plain index of m serves f's
// foreign key: neither the primary key nor a unique constraint starts
// with f's column, which CreateTables writes in the table itself.
func servedByIndexOnly(m *ir.Model, f *ir.Field) bool {
	if f.UniqueName != "" || f.PrimaryKey || m.Composite() && m.KeyFields()[0] == f {
		return false
	}
	for _, ix := range m.Indexes {
		if ix.Unique && len(ix.Fields) > 0 && ix.Fields[0] == f.Name {
			return false
		}
	}
	return true
}
