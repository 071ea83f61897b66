package pull

// The pulled schema before it is text: one modelDecl per table, one
// fieldDecl per column, in the database's order. render writes them as
// .orm text; names are settled against the checker in between.

import (
	"github.com/ormc/ormc/compiler/ir"
	"github.com/ormc/ormc/runtime/inspect"
	"github.com/ormc/ormc/schema"
)

// note is a warning: a comment in the file and a diagnostic at it.
type note struct {
	code schema.Code
	msg  string
}

type modelDecl struct {
	table     *inspect.Table
	name      string
	tableName string // "" when the model's name gives the table
	// commented says the name is the one the table's comment gives
	// (ormc's), not one made from the table's.
	commented bool
	doc       []string
	notes     []note
	fields    []*fieldDecl
	dirs      []*dirDecl
	// left says the table is no model (no primary key): only its notes
	// are written.
	left bool
	// links are the many-to-many relations through join tables that
	// pull declares on the model (findLinks).
	links []*linkDecl
}

type fieldDecl struct {
	col    *inspect.Column
	name   string
	column string // "" when the field's name is the column's
	kind   ir.Kind
	typ    string   // the type as written: String(100), ForeignKey(Artist, on_delete: cascade)
	attrs  []string // null, pk, default(…), in this order
	unique string   // the database's name of the column's own unique constraint; "" for none
	index  string   // the database's name of the column's own index
	hasUnq bool
	hasIdx bool
	doc    []string
	notes  []note
	// left says the column is not in the model: only its notes are
	// written, where it would be.
	left bool
	// indexed says the column is in a key, unique constraint or index.
	indexed bool
	// decl is the declaration ormc wrote in the column's comment, or nil.
	decl *schema.Field
	// fkName, checkName are the database's names of the column's
	// foreign key and CHECK, compared with the checker's.
	fkName, checkName string
}

type dirDecl struct {
	key    bool // pk(…), a composite primary key
	unique bool
	fields []string // field names
	dbName string   // the name in the database
	named  bool     // write name: dbName
}
