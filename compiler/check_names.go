package compiler

import (
	"github.com/ormc/ormc/compiler/ir"
	"github.com/ormc/ormc/schema"
)

// checkGoNames reports schema names that map to the same identifier in the
// generated Go package. The identifiers come from ir.GoIdents, which the Go
// generator uses too.
func (c *checker) checkGoNames() {
	type origin struct {
		pos  schema.Pos
		what string
	}
	pkg := map[string]origin{}
	for _, name := range ir.ReservedGoNames {
		pkg[name] = origin{what: "declared by the generated package"}
	}
	for _, ms := range c.models {
		m := ms.ir
		members := map[string]origin{"PK": {what: "a method of every model"}, "PKValue": {what: "a method of every model"}}
		// One collision per field and one per model is enough: a field
		// whose Go name clashes clashes as a typed field variable too.
		reported := map[string]bool{}
		for _, f := range m.Fields {
			pos := ms.fields[f.Name].ast.Name.Pos
			g := ir.GoName(f.Name)
			if prev, dup := members[g]; dup {
				d := c.errorf(pos, pos, "go-name-collision", "field %q of model %q maps to Go name %q, which is %s", f.Name, m.Name, g, prev.what)
				if prev.pos.IsValid() {
					d.Related = []schema.Related{{Pos: prev.pos, Msg: "other declaration"}}
				}
				reported[f.Name] = true
				continue
			}
			members[g] = origin{pos: pos, what: "also the Go name of field " + quote(f.Name)}
		}
		for _, id := range ir.GoIdents(m) {
			pos := m.Pos
			if id.Field != "" {
				pos = ms.fields[id.Field].ast.Name.Pos
			}
			if prev, dup := pkg[id.Name]; dup {
				if reported[id.Field] {
					continue
				}
				reported[id.Field] = true
				d := c.errorf(pos, pos, "go-name-collision", "%s maps to Go identifier %q, which is %s", id.What, id.Name, prev.what)
				if prev.pos.IsValid() {
					d.Related = []schema.Related{{Pos: prev.pos, Msg: "other declaration"}}
				}
				continue
			}
			pkg[id.Name] = origin{pos: pos, what: "also generated for " + id.What}
		}
	}
}

func quote(s string) string { return `"` + s + `"` }
