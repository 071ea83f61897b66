package pull

import (
	"slices"
	"strings"

	"github.com/ormc/ormc/compiler/ir"
	"github.com/ormc/ormc/runtime/inspect"
	"github.com/ormc/ormc/schema"
)

// Many-to-many relations: a table whose rows link the rows of two tables
// (its only foreign keys, two, not null, their pair its key or unique,
// as ormc's, Django's and most join tables are) stays a model of its own,
// and the first table's model gets a ManyToMany through it, so that the
// client reads and writes the links (client.PostTags(post).Add, Prefetch,
// filters across it). Nothing of the database changes.

// linkDecl is a many-to-many relation pull declares on a model.
type linkDecl struct {
	name    string     // the field
	target  string     // the linked model
	through *modelDecl // the join model
	renamed bool       // through is renamed after the relation (see settleLinks)
}

// findLinks declares a ManyToMany on the first linked model of every
// join-shaped table.
func (p *puller) findLinks() {
	for _, j := range p.order {
		if j.left || len(j.table.ForeignKeys) != 2 {
			continue
		}
		t := j.table
		fks := slices.Clone(t.ForeignKeys)
		pos := func(fk *inspect.ForeignKey) int {
			return slices.IndexFunc(t.Columns, func(c *inspect.Column) bool { return len(fk.Columns) == 1 && c.Name == fk.Columns[0] })
		}
		if pos(fks[0]) < 0 || pos(fks[1]) < 0 {
			continue // a foreign key over several columns
		}
		// In field order: when a model is linked to itself, the checker
		// reads the first relation as from, the second as to.
		if pos(fks[0]) > pos(fks[1]) {
			fks[0], fks[1] = fks[1], fks[0]
		}
		f1, f2 := j.fieldOf(fks[0].Columns[0]), j.fieldOf(fks[1].Columns[0])
		src, dst := p.models[fks[0].RefTable], p.models[fks[1].RefTable]
		switch {
		case f1 == nil || f2 == nil || f1.left || f2.left || !f1.kind.IsRelation() || !f2.kind.IsRelation():
			continue
		case f1.col.Nullable || f2.col.Nullable || !pairUnique(t, f1.col.Name, f2.col.Name):
			continue
		case src == nil || dst == nil || src.left || dst.left || src == j || dst == j:
			continue
		case len(src.table.PrimaryKey.Columns) != 1 || len(dst.table.PrimaryKey.Columns) != 1:
			continue
		}
		name := linkName(j.table.Name, src, dst)
		if name == "" || src.has(name) {
			continue
		}
		src.links = append(src.links, &linkDecl{name: name, target: dst.name, through: j})
	}
}

// pairUnique reports whether t's primary key or a unique constraint or
// index is exactly the columns a and b, in either order.
func pairUnique(t *inspect.Table, a, b string) bool {
	pair := func(cols []string) bool {
		return len(cols) == 2 && (cols[0] == a && cols[1] == b || cols[0] == b && cols[1] == a)
	}
	if pair(t.PrimaryKey.Columns) {
		return true
	}
	for _, u := range t.Uniques {
		if pair(u.Columns) {
			return true
		}
	}
	for _, ix := range t.Indexes {
		if ix.Unique && ix.Where == "" && pair(ix.Columns) {
			return true
		}
	}
	return false
}

// taken reports whether a model is called name, without regard to case.
func (p *puller) taken(name string) bool {
	return slices.ContainsFunc(p.order, func(m *modelDecl) bool { return strings.EqualFold(m.name, name) })
}

// linkName names the relation of src through join table table: what the
// table's name adds to src's ("post_tags" of "post": tags, as ormc and
// Django name join tables), else the linked model's name in snake case
// and plural; "" when neither is a field name.
func linkName(table string, src, dst *modelDecl) string {
	if rest, ok := strings.CutPrefix(table, src.table.Name+"_"); ok && isFieldIdent(rest) && validField(rest) &&
		rest != dst.table.Name && rest != ir.SnakeName(dst.name) {
		return rest
	}
	name := ir.SnakeName(dst.name)
	if !strings.HasSuffix(name, "s") {
		name += "s"
	}
	if isFieldIdent(name) && validField(name) {
		return name
	}
	return ""
}

// has reports whether m has a field or a relation called name, compared
// without regard to case as Go names would clash.
func (m *modelDecl) has(name string) bool {
	for _, f := range m.fields {
		if strings.EqualFold(f.name, name) {
			return true
		}
	}
	return slices.ContainsFunc(m.links, func(l *linkDecl) bool { return strings.EqualFold(l.name, name) })
}

// settleLinks resolves the clashes of the Go names of the relations
// findLinks declared, which the checker reported in diags of src, the
// schema rendered with them: a join model named after its table may
// share its Go names with its relation's (AlbumTags, the model of
// album_tags, and the relation Album.tags, AlbumTags; PlaylistTrack's
// manager PlaylistTracks and Playlist.tracks's method). Such a join
// model, unless its table's comment names it, is renamed as ormc names
// the join models it declares (AlbumTagsLink) when it holds nothing but
// the two relations: code rarely names such a model, where it names one
// with fields of its own (a position), which keeps its name. A relation
// that still clashes, or whose join model keeps its name, is left out. It
// reports whether it changed anything.
func (p *puller) settleLinks(src []byte, diags schema.List) bool {
	// The line of each relation, and of each join model's name.
	at := map[int][]*linkDecl{}
	byModel := map[string][]*linkDecl{}
	for _, m := range p.order {
		for _, l := range m.links {
			byModel[m.name+"."+l.name] = append(byModel[m.name+"."+l.name], l)
			byModel[l.through.name] = append(byModel[l.through.name], l)
		}
	}
	model := ""
	for i, line := range strings.Split(string(src), "\n") {
		fields := strings.Fields(line)
		switch {
		case len(fields) >= 2 && fields[0] == "model":
			model = fields[1]
			at[i+1] = append(at[i+1], byModel[model]...)
		case len(fields) >= 2 && strings.HasPrefix(fields[1], "ManyToMany("):
			at[i+1] = append(at[i+1], byModel[model+"."+fields[0]]...)
		}
	}
	clashed := map[*linkDecl]bool{}
	for _, d := range diags {
		if d.Severity != schema.Error {
			continue
		}
		for _, l := range at[d.Pos.Line] {
			clashed[l] = true
		}
		for _, r := range d.Related {
			for _, l := range at[r.Pos.Line] {
				clashed[l] = true
			}
		}
	}
	changed := false
	for _, m := range p.order {
		kept := m.links[:0]
		for _, l := range m.links {
			if !clashed[l] {
				kept = append(kept, l)
				continue
			}
			changed = true
			j := l.through
			if n := ir.JoinModelName(m.name, l.name); !l.renamed && !j.commented && len(j.table.Columns) == 2 && !p.taken(n) {
				j.name, j.tableName, l.renamed = n, j.table.Name, true
				if ir.SnakeName(n) == j.table.Name {
					j.tableName = ""
				}
				kept = append(kept, l)
			}
		}
		m.links = kept
	}
	return changed
}

// dropLinks forgets the many-to-many relations findLinks declared, and
// reports whether there were any.
func (p *puller) dropLinks() bool {
	dropped := false
	for _, m := range p.order {
		dropped = dropped || len(m.links) > 0
		m.links = nil
	}
	return dropped
}
