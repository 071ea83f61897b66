package gogen

import (
	"strings"

	"github.com/ormc/ormc/compiler/ir"
	"github.com/ormc/ormc/schema"
)

// CheckNames reports the schema names that map to the same name in the
// generated package: the same package-level identifier, the same member
// of a model's struct or of the Client, or Go files whose names differ
// only in case. Each is reported at the name it comes from, with the
// other as a related position.
//
// s may be an IR the checker built only in part, beside other errors:
// CheckNames reads names, relations' target names and Enum values, which
// every field in the IR has.
func CheckNames(s *ir.Schema) schema.List {
	n := &nameCheck{s: s, models: make(map[string]*ir.Model, len(s.Models))}
	for _, m := range s.Models {
		n.models[m.Name] = m
	}
	n.checkFileNames()
	n.checkIdents()
	n.checkClient()
	return n.diags
}

type nameCheck struct {
	s      *ir.Schema
	models map[string]*ir.Model
	diags  schema.List
}

// pos returns the span of the name that a Go name of model m comes from:
// field's, or the model's when field is "".
func (n *nameCheck) pos(m *ir.Model, field string) (schema.Pos, schema.Pos) {
	if f := m.Field(field); field != "" && f != nil {
		return f.Pos, f.End
	}
	for _, r := range m.ManyToMany {
		if field != "" && r.Name == field {
			return r.Pos, r.End
		}
	}
	return m.Pos, m.End
}

// checkIdents reports schema names that map to the same package-level
// identifier (goIdents).
func (n *nameCheck) checkIdents() {
	// pkgName says what has a package-level name first: the idx-th of the
	// identifiers goIdents lists for model m, or, with m nil, the package
	// itself. It is small, as there is one for every identifier of the
	// schema; the rest is worked out for a message only.
	type pkgName struct {
		m   *ir.Model
		idx int
	}
	pkg := make(map[string]pkgName, 8*len(n.s.Models))
	for _, name := range reservedGoNames {
		pkg[name] = pkgName{}
	}
	for _, m := range n.s.Models {
		// One collision per field and one per model is enough: a field
		// whose Go name clashes clashes as a typed field variable too.
		reported := n.checkFieldNames(m)
		ids := goIdents(m)
		for i := range ids {
			id := &ids[i]
			prev, dup := pkg[id.Name]
			if !dup {
				pkg[id.Name] = pkgName{m: m, idx: i}
				continue
			}
			if reported[id.Field] {
				continue
			}
			reported[id.Field] = true
			pos, end := n.pos(m, id.Field)
			if prev.m == nil {
				n.diags.Errorf(pos, end, schema.CodeGoNameCollision, "%s maps to Go identifier %q, which is declared by the generated package", id.what(), id.Name)
				continue
			}
			pid := goIdents(prev.m)[prev.idx]
			d := n.diags.Errorf(pos, end, schema.CodeGoNameCollision, "%s maps to Go identifier %q, which is also generated for %s", id.what(), id.Name, pid.what())
			p, _ := n.pos(prev.m, pid.Field)
			d.Related = []schema.Related{{Pos: p, Msg: "other declaration"}}
		}
	}
}

// checkFieldNames reports fields of m whose Go names are the same, or
// those of a model's methods, and returns the fields it reported.
func (n *nameCheck) checkFieldNames(m *ir.Model) map[string]bool {
	reported := map[string]bool{}
	// Go name -> field; "" for the names of the generated methods (PK,
	// PKValue, String, GoString), the relation Fields' embedded Rel and the
	// rows' Edges.
	members := map[string]string{"PK": "", "PKValue": "", "String": "", "GoString": "", "Rel": "", "Edges": ""}
	for _, f := range m.Fields {
		g := goName(f.Name)
		prev, dup := members[g]
		if !dup {
			members[g] = f.Name
			continue
		}
		what := "a name the generated code gives every model"
		if prev != "" {
			what = `also the Go name of field "` + prev + `"`
		}
		d := n.diags.Errorf(f.Pos, f.End, schema.CodeGoNameCollision, "field %q of model %q maps to Go name %q, which is %s", f.Name, m.Name, g, what)
		if prev != "" {
			p, _ := n.pos(m, prev)
			d.Related = []schema.Related{{Pos: p, Msg: "other declaration"}}
		}
		reported[f.Name] = true
	}
	return reported
}

// checkFileNames reports models whose generated files have the same name,
// without regard to case: each model's code goes to a file of its own, and
// file systems that ignore case would merge two such names.
func (n *nameCheck) checkFileNames() {
	files := make(map[string]*ir.Model, len(n.s.Models)+1)
	files["client.go"] = nil
	files["exports.go"] = nil
	for _, m := range n.s.Models {
		name := goFileName(m.Name)
		key := strings.ToLower(name)
		prev, dup := files[key]
		if !dup {
			files[key] = m
			continue
		}
		d := n.diags.Errorf(m.Pos, m.End, schema.CodeGoNameCollision, "model %q maps to Go file %q, which is also the file of model %q", m.Name, name, prev.Name)
		d.Related = []schema.Related{{Pos: prev.Pos, Msg: "other declaration"}}
	}
}

// checkClient reports schema names that give two members of the
// generated Client the same name: managers, reverse relations and the
// Client's own methods.
func (n *nameCheck) checkClient() {
	seen := map[string]clientMember{}
	for _, c := range clientMembers(n.s) {
		prev, dup := seen[c.Name]
		if !dup {
			seen[c.Name] = c
			continue
		}
		pos, end := n.memberPos(c)
		d := n.diags.Errorf(pos, end, schema.CodeGoNameCollision, "%s is named %q on the Client, which is also %s", c.What, c.Name, prev.What)
		if p, _ := n.memberPos(prev); p.IsValid() {
			d.Related = []schema.Related{{Pos: p, Msg: "other declaration"}}
		}
		switch {
		case c.Hint != "":
			d.Hint = c.Hint
		case c.Field != "":
			d.Hint = "set related_name on the relation"
		}
	}
}

func (n *nameCheck) memberPos(c clientMember) (schema.Pos, schema.Pos) {
	m := n.models[c.Model]
	if m == nil {
		return schema.Pos{}, schema.Pos{}
	}
	return n.pos(m, c.Field)
}
