package runtime

import "sync"

// tableSQL holds the statements of one table that never change shape,
// built once per DB.
type tableSQL struct {
	selectFrom  string // SELECT every column FROM the table AS t0
	insert      string // every column
	insertNoKey string // every column but an auto-increment key
	updateAll   string // the updatable columns, by key
	delete      string // by key

	noKeyCols []*Column // the columns of insertNoKey
	nonKey    []*Column // the columns updateAll sets: updatable(t)

	scanners sync.Pool // *rowScanner of queries without JOINs
}

func (db *DB) tableSQL(t *Table) *tableSQL {
	if s, ok := db.cache.Load(t); ok {
		return s.(*tableSQL)
	}
	sel := query{db: db, t: t}
	b := newBuilder(db.dialect)
	b.alias = rootAlias
	b.write("SELECT ")
	sel.selectColumns(b)
	b.write(" FROM ")
	b.ident(t.Name)
	b.write(" AS t0")
	s := &tableSQL{selectFrom: b.String(), nonKey: updatable(t)}
	for _, c := range t.Columns {
		if c.Index != t.PK || !c.AutoIncrement {
			s.noKeyCols = append(s.noKeyCols, c)
		}
	}
	s.insert = db.insertSQL(t, t.Columns)
	s.insertNoKey = db.insertSQL(t, s.noKeyCols)
	s.updateAll = db.updateSQL(t, s.nonKey)
	s.delete = db.deleteSQL(t)
	actual, _ := db.cache.LoadOrStore(t, s)
	return actual.(*tableSQL)
}

// insertSQL inserts cols, bound in order.
func (db *DB) insertSQL(t *Table, cols []*Column) string {
	b := newBuilder(db.dialect)
	if len(cols) == 0 {
		// A table whose only column is its auto-increment key.
		b.write("INSERT INTO ")
		b.ident(t.Name)
		b.write(db.dialect.DefaultRow())
	} else {
		b.insertInto(t, cols)
		b.write(" VALUES (")
		b.placeholders(len(cols))
		b.write(")")
	}
	if db.dialect.Returning() && !t.composite() {
		// A composite key is never generated: nothing to read back.
		b.write(" RETURNING ")
		b.ident(t.PKColumn().Name)
	}
	return b.String()
}

// updatable returns the columns an update of every field writes: all but
// the key and the values fixed when the row was created (auto_now_add and
// default(uuid) fields), which only an update naming them changes.
func updatable(t *Table) []*Column {
	var cols []*Column
	for _, c := range t.Columns {
		if !t.isKey(c.Index) && !c.AutoNowAdd && !c.DefaultUUID {
			cols = append(cols, c)
		}
	}
	return cols
}

// updateSQL updates cols by key.
func (db *DB) updateSQL(t *Table, cols []*Column) string {
	b := newBuilder(db.dialect)
	b.write("UPDATE ")
	b.ident(t.Name)
	b.write(" SET ")
	n := 0
	writeList(b, cols, ", ", func(b *builder, c *Column) {
		n++
		b.assign(c)
		b.placeholder(n)
	})
	b.write(" WHERE ")
	b.whereKey(t, n+1)
	return b.String()
}

func (db *DB) deleteSQL(t *Table) string {
	b := newBuilder(db.dialect)
	b.write("DELETE FROM ")
	b.ident(t.Name)
	b.write(" WHERE ")
	b.whereKey(t, 1)
	return b.String()
}
