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
	c.checkFileNames()
	// pkgName says what has a package-level name first: the idx-th of the
	// identifiers ir.GoIdents lists for model ms, or, with ms nil, the
	// package itself. It is small, as there is one for every identifier
	// of the schema; the rest is worked out for a message only.
	type pkgName struct {
		ms  *modelState
		idx int
	}
	pkg := make(map[string]pkgName, 8*len(c.models))
	for _, name := range ir.ReservedGoNames {
		pkg[name] = pkgName{}
	}
	for _, ms := range c.models {
		m := ms.ir
		// One collision per field and one per model is enough: a field
		// whose Go name clashes clashes as a typed field variable too.
		reported := c.checkFieldGoNames(ms)
		ids := ir.GoIdents(m)
		for i := range ids {
			id := &ids[i]
			prev, dup := pkg[id.Name]
			if !dup {
				pkg[id.Name] = pkgName{ms: ms, idx: i}
				continue
			}
			if reported[id.Field] {
				continue
			}
			reported[id.Field] = true
			pos, end := c.identPos(ms, id.Field)
			if prev.ms == nil {
				c.errorf(pos, end, schema.CodeGoNameCollision, "%s maps to Go identifier %q, which is declared by the generated package", id.What(), id.Name)
				continue
			}
			pid := ir.GoIdents(prev.ms.ir)[prev.idx]
			d := c.errorf(pos, end, schema.CodeGoNameCollision, "%s maps to Go identifier %q, which is also generated for %s", id.What(), id.Name, pid.What())
			p, _ := c.identPos(prev.ms, pid.Field)
			d.Related = []schema.Related{{Pos: p, Msg: "other declaration"}}
		}
	}
}

// identPos returns the span of the name that a Go identifier of model ms
// comes from: the field's, or the model's when field is "".
func (c *checker) identPos(ms *modelState, field string) (schema.Pos, schema.Pos) {
	if field != "" {
		n := ms.fields[field].ast.Name
		return n.Pos, n.EndPos
	}
	return ms.ast.Name.Pos, ms.ast.Name.EndPos
}

// checkFieldGoNames reports fields of ms whose Go names are the same, or
// those of a model's methods, and returns the fields it reported.
func (c *checker) checkFieldGoNames(ms *modelState) map[string]bool {
	m := ms.ir
	reported := map[string]bool{}
	members := map[string]string{"PK": "", "PKValue": ""} // Go name -> field
	for _, f := range m.Fields {
		g := ir.GoName(f.Name)
		prev, dup := members[g]
		if !dup {
			members[g] = f.Name
			continue
		}
		pos, end := c.identPos(ms, f.Name)
		what := "a method of every model"
		if prev != "" {
			what = "also the Go name of field " + quote(prev)
		}
		d := c.errorf(pos, end, schema.CodeGoNameCollision, "field %q of model %q maps to Go name %q, which is %s", f.Name, m.Name, g, what)
		if prev != "" {
			p, _ := c.identPos(ms, prev)
			d.Related = []schema.Related{{Pos: p, Msg: "other declaration"}}
		}
		reported[f.Name] = true
	}
	return reported
}

// checkFileNames reports models whose generated files have the same name,
// without regard to case: each model's code goes to a file of its own, and
// file systems that ignore case would merge two such names.
func (c *checker) checkFileNames() {
	files := make(map[string]*modelState, len(c.models)+1)
	files["client.go"] = nil
	for _, ms := range c.models {
		name := ir.GoFileName(ms.ir.Name)
		key := strings.ToLower(name)
		prev, dup := files[key]
		if !dup {
			files[key] = ms
			continue
		}
		d := c.errorf(ms.ast.Name.Pos, ms.ast.Name.EndPos, schema.CodeGoNameCollision, "model %q maps to Go file %q, which is also the file of model %q", ms.ir.Name, name, prev.ir.Name)
		d.Related = []schema.Related{{Pos: prev.ast.Name.Pos, Msg: "other declaration"}}
	}
}

func quote(s string) string { return `"` + s + `"` }
