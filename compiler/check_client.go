package compiler

import (
	"github.com/ormc/ormc/compiler/ir"
	"github.com/ormc/ormc/schema"
)

// checkClientNames reports schema names that give two members of the
// generated Client the same name: managers, reverse relations and the
// Client's own methods.
func (c *checker) checkClientNames() {
	seen := map[string]ir.ClientMember{}
	for _, m := range ir.ClientMembers(c.out) {
		prev, dup := seen[m.Name]
		if !dup {
			seen[m.Name] = m
			continue
		}
		pos, end := c.memberPos(m)
		d := c.errorf(pos, end, schema.CodeGoNameCollision, "%s is named %q on the Client, which is also %s", m.What, m.Name, prev.What)
		if p, _ := c.memberPos(prev); p.IsValid() {
			d.Related = []schema.Related{{Pos: p, Msg: "other declaration"}}
		}
		if m.Field != "" {
			d.Hint = "set related_name on the relation"
		}
	}
}

func (c *checker) memberPos(m ir.ClientMember) (schema.Pos, schema.Pos) {
	ms := c.byName[m.Model]
	if ms == nil {
		return schema.Pos{}, schema.Pos{}
	}
	if fs := ms.fields[m.Field]; fs != nil {
		return fs.ast.Name.Pos, fs.ast.Name.EndPos
	}
	return ms.ast.Name.Pos, ms.ast.Name.EndPos
}
