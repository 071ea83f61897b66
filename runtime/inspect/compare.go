package inspect

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/ormc/ormc/runtime"
	"github.com/ormc/ormc/runtime/dialect"
)

// Normalize completes a description written as the DDL writes it, as
// compiler/ddl's Describe does: it parses every column's DBType and
// default with the rules of s.Dialect, spells referential actions as that
// database reports them, and sorts the description. Both sides of a
// comparison then went through the same rules, which is what makes a
// database created by the DDL compare equal to the description.
func Normalize(s *Schema) error {
	r, ok := byDialect[s.Dialect]
	if !ok {
		return fmt.Errorf("%w: no schema inspector for dialect %q", runtime.ErrUnsupported, s.Dialect)
	}
	for _, t := range s.Tables {
		for _, c := range t.Columns {
			c.Type = r.parseType(c.DBType)
			if c.Default != nil {
				c.Default = r.parseDefault(c.Default.Raw, c.Type)
			}
		}
		for _, fk := range t.ForeignKeys {
			fk.OnDelete, fk.OnUpdate = r.action(string(fk.OnDelete)), r.action(string(fk.OnUpdate))
		}
	}
	sortSchema(s)
	return nil
}

// Descriptions holds a generated client's schema as its DDL makes it on
// each dialect the client was generated for: the JSON of a normalised
// Schema, by dialect name.
type Descriptions map[string]string

// Check reads the tables of the schema from the database db is connected
// to and compares them with the schema's description for db's dialect.
// It returns nil when they agree, a *runtime.SchemaDriftError listing
// every difference when they do not, and an error wrapping
// runtime.ErrUnsupported on a dialect the client was not generated for.
// Tables the schema does not have are not read.
func (d Descriptions) Check(ctx context.Context, db *runtime.DB) error {
	name := db.Dialect().Name()
	text, ok := d[name]
	if !ok {
		have := make([]string, 0, len(d))
		for n := range d {
			have = append(have, n)
		}
		slices.Sort(have)
		return fmt.Errorf("%w: the client was generated for %s, not for %q (ormc build -dialects)",
			runtime.ErrUnsupported, strings.Join(have, ", "), name)
	}
	want := &Schema{}
	if err := json.Unmarshal([]byte(text), want); err != nil {
		return fmt.Errorf("ormc: the client's schema description: %w", err)
	}
	// Parsed again with this runtime's rules, which may read a database
	// better than those of the ormc that generated the client.
	want.Dialect = name
	if err := Normalize(want); err != nil {
		return err
	}
	return CheckAgainst(ctx, db, want)
}

// CheckAgainst reads the tables of want from the database db is
// connected to and compares them with want, as Descriptions.Check does.
func CheckAgainst(ctx context.Context, db *runtime.DB, want *Schema) error {
	names := make([]string, len(want.Tables))
	for i, t := range want.Tables {
		names[i] = t.Name
	}
	got, err := Inspect(ctx, db, Options{Tables: names})
	if err != nil {
		return err
	}
	want = OnEngine(want, db.Dialect())
	if diffs := Compare(want, got); len(diffs) > 0 {
		return &runtime.SchemaDriftError{Dialect: got.Dialect, Differences: diffs}
	}
	return nil
}

// OnEngine returns want, a description written as the DDL writes it, as
// the engine behind d holds what that DDL made: each column's default as
// dialect.AdaptDDL rewrites it there (TiDB's CURRENT_DATE for UTC_DATE();
// none where TiDB has no expression for it). CheckAgainst compares with
// it; a caller of Compare with a database's description does the same.
// want itself is not changed.
func OnEngine(want *Schema, d dialect.Dialect) *Schema {
	if _, ok := d.(dialect.Profile); !ok {
		return want
	}
	r := byDialect[want.Dialect]
	out := *want
	out.Tables = make([]*Table, len(want.Tables))
	for i, t := range want.Tables {
		nt := *t
		nt.Columns = make([]*Column, len(t.Columns))
		for j, c := range t.Columns {
			nc := *c
			if c.Default != nil {
				const kw = " DEFAULT "
				raw, ok := strings.CutPrefix(dialect.AdaptDDL(d, kw+c.Default.Raw), kw)
				switch {
				case !ok:
					nc.Default = nil
				case raw != c.Default.Raw:
					nc.Default = r.parseDefault(raw, c.Type)
				}
			}
			nt.Columns[j] = &nc
		}
		out.Tables[i] = &nt
	}
	return &out
}

// Compare returns the differences between want, the description of a
// schema, and got, the description of a database, in want's table
// order, then got's tables that want does not have. Names compare
// exactly; types, defaults and CHECK conditions compare in the normal
// forms of want's dialect, so that what a database makes of the DDL (its
// aliases and spelling) is no difference.
func Compare(want, got *Schema) []runtime.SchemaDifference {
	c := comparison{r: byDialect[want.Dialect]}
	for _, wt := range want.Tables {
		gt := got.Table(wt.Name)
		if gt == nil {
			c.add(wt, nil, runtime.SchemaDifference{Kind: runtime.DriftTableMissing})
			continue
		}
		c.table(wt, gt)
	}
	for _, gt := range got.Tables {
		if want.Table(gt.Name) == nil {
			c.diffs = append(c.diffs, runtime.SchemaDifference{Kind: runtime.DriftTableExtra, Table: gt.Name})
		}
	}
	return c.diffs
}

type comparison struct {
	r     reader // nil for a dialect without one: expressions compare as written
	diffs []runtime.SchemaDifference
}

// add records d about table t and column col (nil for none).
func (c *comparison) add(t *Table, col *Column, d runtime.SchemaDifference) {
	d.Table, d.Model = t.Name, t.Model
	if col != nil {
		d.Column, d.Field = col.Name, col.Field
	}
	c.diffs = append(c.diffs, d)
}

func (c *comparison) table(wt, gt *Table) {
	for _, wc := range wt.Columns {
		gc := gt.Column(wc.Name)
		if gc == nil {
			c.add(wt, wc, runtime.SchemaDifference{Kind: runtime.DriftColumnMissing, Schema: wc.DBType})
			continue
		}
		c.column(wt, wc, gc)
	}
	for _, gc := range gt.Columns {
		if wt.Column(gc.Name) == nil {
			c.add(wt, nil, runtime.SchemaDifference{Kind: runtime.DriftColumnExtra, Column: gc.Name, Database: gc.DBType})
		}
	}
	if wt.Collation != "" && wt.Collation != gt.Collation {
		c.add(wt, nil, runtime.SchemaDifference{Kind: runtime.DriftTableCollation, Schema: wt.Collation, Database: gt.Collation})
	}
	if pk, gpk := keyText(wt.PrimaryKey), keyText(gt.PrimaryKey); pk != gpk {
		c.add(wt, nil, runtime.SchemaDifference{Kind: runtime.DriftPrimaryKey, Schema: pk, Database: gpk})
	}
	c.uniques(wt, gt)
	c.indexes(wt, gt)
	c.foreignKeys(wt, gt)
	c.checks(wt, gt)
}

func (c *comparison) column(t *Table, wc, gc *Column) {
	if !sameType(wc, gc) {
		c.add(t, wc, runtime.SchemaDifference{Kind: runtime.DriftColumnType, Schema: wc.DBType, Database: gc.DBType})
	}
	if wc.Nullable != gc.Nullable {
		c.add(t, wc, runtime.SchemaDifference{Kind: runtime.DriftColumnNull, Schema: nullText(wc.Nullable), Database: nullText(gc.Nullable)})
	}
	if !sameDefault(wc.Default, gc.Default) {
		c.add(t, wc, runtime.SchemaDifference{Kind: runtime.DriftColumnDefault, Schema: defaultText(wc.Default), Database: defaultText(gc.Default)})
	}
	if wc.AutoIncrement != gc.AutoIncrement || wc.Sequence != "" && gc.Sequence != "" && wc.Sequence != gc.Sequence {
		c.add(t, wc, runtime.SchemaDifference{Kind: runtime.DriftColumnAuto, Schema: autoText(wc), Database: autoText(gc)})
	}
	if wc.Collation != gc.Collation {
		c.add(t, wc, runtime.SchemaDifference{Kind: runtime.DriftColumnCollation, Schema: wc.Collation, Database: gc.Collation})
	}
	if wc.Comment != "" && wc.Comment != gc.Comment {
		c.add(t, wc, runtime.SchemaDifference{Kind: runtime.DriftColumnComment, Schema: wc.Comment, Database: gc.Comment})
	}
}

// sameType compares parsed types, or the types as written where either
// has no base in the vocabulary.
func sameType(a, b *Column) bool {
	if a.Type.Base == BaseUnknown || b.Type.Base == BaseUnknown {
		return strings.EqualFold(strings.Join(strings.Fields(a.DBType), " "), strings.Join(strings.Fields(b.DBType), " "))
	}
	return a.Type == b.Type
}

func sameDefault(a, b *Default) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.Kind == b.Kind && a.Value == b.Value
}

func nullText(null bool) string {
	if null {
		return "NULL"
	}
	return "NOT NULL"
}

func defaultText(d *Default) string {
	if d == nil {
		return ""
	}
	return "DEFAULT " + d.Raw
}

func autoText(c *Column) string {
	switch {
	case !c.AutoIncrement:
		return "not auto-increment"
	case c.Sequence != "":
		return "auto-increment (sequence " + c.Sequence + ")"
	}
	return "auto-increment"
}

func keyText(pk *PrimaryKey) string {
	if pk == nil {
		return ""
	}
	s := "(" + strings.Join(pk.Columns, ", ") + ")"
	if pk.Name != "" {
		s = pk.Name + " " + s
	}
	return s
}

func columnsText(cols []string) string { return "(" + strings.Join(cols, ", ") + ")" }

func (c *comparison) uniques(wt, gt *Table) {
	match := func(w *Unique, g *Unique) bool {
		return w.Name == g.Name || g.Name == "" && slices.Equal(w.Columns, g.Columns)
	}
	matched := map[*Unique]bool{}
	for _, w := range wt.Uniques {
		i := slices.IndexFunc(gt.Uniques, func(g *Unique) bool { return !matched[g] && match(w, g) })
		if i < 0 {
			c.add(wt, nil, runtime.SchemaDifference{Kind: runtime.DriftUniqueMissing, Name: w.Name, Schema: columnsText(w.Columns)})
			continue
		}
		g := gt.Uniques[i]
		matched[g] = true
		if !slices.Equal(w.Columns, g.Columns) {
			c.add(wt, nil, runtime.SchemaDifference{Kind: runtime.DriftUniqueChanged, Name: w.Name,
				Schema: columnsText(w.Columns), Database: columnsText(g.Columns)})
		}
	}
	for _, g := range gt.Uniques {
		if !matched[g] {
			c.add(wt, nil, runtime.SchemaDifference{Kind: runtime.DriftUniqueExtra, Name: g.Name, Database: columnsText(g.Columns)})
		}
	}
}

func indexText(ix *Index) string {
	s := columnsText(ix.Columns)
	if ix.Unique {
		s = "UNIQUE " + s
	}
	if ix.Definition != "" {
		s = ix.Definition
	}
	return s
}

func (c *comparison) indexes(wt, gt *Table) {
	matched := map[*Index]bool{}
	for _, w := range wt.Indexes {
		i := slices.IndexFunc(gt.Indexes, func(g *Index) bool { return !matched[g] && g.Name == w.Name })
		if i < 0 {
			c.add(wt, nil, runtime.SchemaDifference{Kind: runtime.DriftIndexMissing, Name: w.Name, Schema: indexText(w)})
			continue
		}
		g := gt.Indexes[i]
		matched[g] = true
		if !slices.Equal(w.Columns, g.Columns) || w.Unique != g.Unique || w.Expressions != g.Expressions ||
			c.expr(w.Where) != c.expr(g.Where) {
			c.add(wt, nil, runtime.SchemaDifference{Kind: runtime.DriftIndexChanged, Name: w.Name, Schema: indexText(w), Database: indexText(g)})
		}
	}
	for _, g := range gt.Indexes {
		if !matched[g] {
			c.add(wt, nil, runtime.SchemaDifference{Kind: runtime.DriftIndexExtra, Name: g.Name, Database: indexText(g)})
		}
	}
}

func fkText(fk *ForeignKey) string {
	return columnsText(fk.Columns) + " REFERENCES " + fk.RefTable + " " + columnsText(fk.RefColumns) +
		" ON DELETE " + string(fk.OnDelete) + " ON UPDATE " + string(fk.OnUpdate)
}

func (c *comparison) foreignKeys(wt, gt *Table) {
	matched := map[*ForeignKey]bool{}
	for _, w := range wt.ForeignKeys {
		i := slices.IndexFunc(gt.ForeignKeys, func(g *ForeignKey) bool {
			return !matched[g] && (g.Name == w.Name || g.Name == "" && slices.Equal(g.Columns, w.Columns) && g.RefTable == w.RefTable)
		})
		if i < 0 {
			c.add(wt, nil, runtime.SchemaDifference{Kind: runtime.DriftForeignKeyMissing, Name: w.Name, Schema: fkText(w)})
			continue
		}
		g := gt.ForeignKeys[i]
		matched[g] = true
		if fkText(w) != fkText(g) {
			c.add(wt, nil, runtime.SchemaDifference{Kind: runtime.DriftForeignKeyChanged, Name: w.Name, Schema: fkText(w), Database: fkText(g)})
		}
	}
	for _, g := range gt.ForeignKeys {
		if !matched[g] {
			c.add(wt, nil, runtime.SchemaDifference{Kind: runtime.DriftForeignKeyExtra, Name: g.Name, Database: fkText(g)})
		}
	}
}

// expr is a condition in the normal form of the dialect compared.
func (c *comparison) expr(s string) string {
	if s == "" || c.r == nil {
		return s
	}
	return c.r.normalExpr(s)
}

func (c *comparison) checks(wt, gt *Table) {
	matched := map[*Check]bool{}
	for _, w := range wt.Checks {
		i := slices.IndexFunc(gt.Checks, func(g *Check) bool {
			return !matched[g] && (g.Name == w.Name || g.Name == "" && c.expr(g.Expr) == c.expr(w.Expr))
		})
		if i < 0 {
			c.add(wt, nil, runtime.SchemaDifference{Kind: runtime.DriftCheckMissing, Name: w.Name, Schema: w.Expr})
			continue
		}
		g := gt.Checks[i]
		matched[g] = true
		if c.expr(w.Expr) != c.expr(g.Expr) {
			c.add(wt, nil, runtime.SchemaDifference{Kind: runtime.DriftCheckChanged, Name: w.Name, Schema: w.Expr, Database: g.Expr})
		}
	}
	for _, g := range gt.Checks {
		if !matched[g] {
			c.add(wt, nil, runtime.SchemaDifference{Kind: runtime.DriftCheckExtra, Name: g.Name, Database: g.Expr})
		}
	}
}
