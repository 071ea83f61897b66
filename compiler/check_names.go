package compiler

import (
	"strings"

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
	// Each model's code goes to a file of its own; file systems that
	// ignore case would merge two names that differ only in case.
	files := map[string]*modelState{"client.go": nil}
	for _, ms := range c.models {
		name := ir.GoFileName(ms.ir.Name)
		key := strings.ToLower(name)
		prev, dup := files[key]
		if !dup {
			files[key] = ms
			continue
		}
		d := c.errorf(ms.ast.Name.Pos, ms.ast.Name.EndPos, "go-name-collision", "model %q maps to Go file %q, which is also the file of model %q", ms.ir.Name, name, prev.ir.Name)
		d.Related = []schema.Related{{Pos: prev.ast.Name.Pos, Msg: "other declaration"}}
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
			pos, end := ms.fields[f.Name].ast.Name.Pos, ms.fields[f.Name].ast.Name.EndPos
			g := ir.GoName(f.Name)
			if prev, dup := members[g]; dup {
				d := c.errorf(pos, end, "go-name-collision", "field %q of model %q maps to Go name %q, which is %s", f.Name, m.Name, g, prev.what)
				if prev.pos.IsValid() {
					d.Related = []schema.Related{{Pos: prev.pos, Msg: "other declaration"}}
				}
				reported[f.Name] = true
				continue
			}
			members[g] = origin{pos: pos, what: "also the Go name of field " + quote(f.Name)}
		}
		for _, id := range ir.GoIdents(m) {
			pos, end := ms.ast.Name.Pos, ms.ast.Name.EndPos
			if id.Field != "" {
				pos, end = ms.fields[id.Field].ast.Name.Pos, ms.fields[id.Field].ast.Name.EndPos
			}
			if prev, dup := pkg[id.Name]; dup {
				if reported[id.Field] {
					continue
				}
				reported[id.Field] = true
				d := c.errorf(pos, end, "go-name-collision", "%s maps to Go identifier %q, which is %s", id.What, id.Name, prev.what)
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
