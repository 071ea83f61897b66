package pull

import (
	"errors"
	"fmt"
	"strings"

	"github.com/ormc/ormc/compiler"
	"github.com/ormc/ormc/compiler/ir"
	"github.com/ormc/ormc/runtime/inspect"
	"github.com/ormc/ormc/schema"
)

// Options are what Write needs besides the description.
type Options struct {
	// File is the name of the file the schema is written to, for the
	// positions of warnings.
	File string
	// Checks are the generators' name checks the schema must pass, as
	// ormc check runs them (gogen.CheckNames).
	Checks []compiler.NameCheck
}

// Result is a pulled schema.
type Result struct {
	// Source is the schema, in canonical layout.
	Source []byte
	// Warnings has one warning (Severity schema.Warning, a code of
	// schema.PullCodes) for each thing of the database the schema does
	// not say, at its comment in Source, in the order of Source.
	Warnings schema.List
	// IR is the checked schema.
	IR *ir.Schema
}

// Write turns the description of a database into a schema that ormc
// check accepts and ormc fmt leaves unchanged. The error is a
// schema.List when the schema it made does not check, which is a bug of
// pull's; Result.Source then holds that schema.
func Write(s *inspect.Schema, opts Options) (*Result, error) {
	p, err := newPuller(s)
	if err != nil {
		return nil, err
	}
	if opts.File == "" {
		opts.File = "schema.orm"
	}
	// First without names: the checker then says which names ormc's
	// conventions give, and only the names that differ are written.
	res, err := p.check(opts)
	for range 2 {
		var diags schema.List
		if err == nil || !errors.As(err, &diags) || !p.settleLinks(res.Source, diags) {
			break
		}
		res, err = p.check(opts)
	}
	if err != nil && p.dropLinks() {
		// Still a clash: the join tables stay models without a relation.
		res, err = p.check(opts)
	}
	if err != nil {
		return res, err
	}
	p.settleNames(res.IR)
	return p.check(opts)
}

// check renders, formats, parses and checks the schema.
func (p *puller) check(opts Options) (*Result, error) {
	src, err := schema.FormatSource(opts.File, []byte(p.render()))
	if err != nil {
		return &Result{Source: []byte(p.render())}, err
	}
	f, err := schema.Parse(opts.File, src)
	if err != nil {
		return &Result{Source: src}, err
	}
	res := &Result{Source: src, Warnings: p.warnings(f)}
	irs, diags := compiler.CheckWith(opts.Checks, f)
	if len(diags) > 0 {
		return res, diags
	}
	res.IR = irs
	return res, nil
}

// warnings places each note at its comment in f.
func (p *puller) warnings(f *schema.File) schema.List {
	var notes []note
	notes = append(notes, p.top...)
	for _, m := range p.order {
		notes = append(notes, m.notes...)
		for _, fd := range m.fields {
			notes = append(notes, fd.notes...)
		}
	}
	var list schema.List
	i := 0
	for _, c := range f.Comments {
		if i < len(notes) && c.Text == noteText(notes[i]) {
			list.Add(&schema.Diagnostic{Pos: c.Pos, End: c.EndPos, Severity: schema.Warning, Code: notes[i].code, Msg: oneLine(notes[i].msg)})
			i++
		}
	}
	return list
}

// settleNames compares the names the checker gave each unique
// constraint, index, foreign key and CHECK with the database's: a
// declaration whose name differs gets name:, a field's own unique or
// index becomes a declaration so that it can have one, and a name the
// language cannot state (a key's, a foreign key's, a CHECK's) is a
// warning.
func (p *puller) settleNames(s *ir.Schema) {
	for _, m := range p.order {
		if m.left {
			continue
		}
		im := s.Model(m.name)
		if im == nil {
			continue
		}
		if pk := m.table.PrimaryKey; pk != nil && pk.Name != "" && !strings.EqualFold(pk.Name, "PRIMARY") &&
			pk.Name != im.PrimaryKeyName {
			p.report(m, nil, schema.CodeConstraintName, pk.Name,
				fmt.Sprintf("the primary key of %q is named %q; ormc names it %q", m.table.Name, pk.Name, im.PrimaryKeyName))
		}
		for _, f := range m.fields {
			irf := im.Field(f.name)
			if f.left || irf == nil {
				continue
			}
			if f.hasUnq && named(f.unique) && f.unique != irf.UniqueName {
				f.hasUnq = false
				m.dirs = append(m.dirs, &dirDecl{unique: true, fields: []string{f.name}, dbName: f.unique, named: true})
			}
			if f.hasIdx && named(f.index) && f.index != irf.IndexName {
				f.hasIdx = false
				m.dirs = append(m.dirs, &dirDecl{fields: []string{f.name}, dbName: f.index, named: true})
			}
			if named(f.fkName) && f.fkName != irf.ForeignKeyName {
				p.report(m, f, schema.CodeConstraintName, f.fkName,
					fmt.Sprintf("foreign key %q of %q: ormc names it %q", f.fkName, f.name, irf.ForeignKeyName))
			}
			if named(f.checkName) && f.checkName != irf.CheckName {
				p.report(m, f, schema.CodeConstraintName, f.checkName,
					fmt.Sprintf("CHECK %q of %q: ormc names it %q", f.checkName, f.name, irf.CheckName))
			}
			if irf.Relation != nil && irf.Type.Kind == ir.OneToOne && f.col != nil {
				for _, u := range m.table.Uniques {
					if len(u.Columns) == 1 && u.Columns[0] == f.col.Name && named(u.Name) && u.Name != irf.UniqueName {
						p.report(m, f, schema.CodeConstraintName, u.Name,
							fmt.Sprintf("unique constraint %q of %q: ormc names it %q", u.Name, f.name, irf.UniqueName))
					}
				}
			}
		}
		for _, d := range m.dirs {
			if d.named || !named(d.dbName) {
				continue
			}
			for _, ix := range im.Indexes {
				if ix.Unique == d.unique && equal(ix.Fields, d.fields) {
					d.named = ix.Name != d.dbName
					break
				}
			}
		}
	}
}

// named reports whether a database's name of a constraint is one a
// schema could have given: SQLite names the constraints CREATE TABLE
// leaves unnamed sqlite_autoindex_….
func named(name string) bool {
	return name != "" && !strings.HasPrefix(strings.ToLower(name), "sqlite_autoindex_")
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
