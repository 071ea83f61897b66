package compiler

import (
	"strconv"

	"github.com/ormc/ormc/schema"
)

// Binding the arguments written in parentheses to parameter names.

// param describes one parameter a type, attribute or directive accepts.
type param struct {
	name string
	kind paramKind
}

type paramKind int

const (
	pInt    paramKind = iota + 1 // a whole number
	pNumber                      // any number
	pString                      // a string literal
	pName                        // an identifier or a string
	pAny                         // any value, checked by the caller
)

func (k paramKind) String() string {
	return [...]string{pInt: "a whole number", pNumber: "a number", pString: "a string", pName: "a name", pAny: "a value"}[k]
}

// signature is what a construct accepts: positional parameters in order,
// named ones, and optionally any number of extra positional values.
type signature struct {
	positional []param // may also be given by name
	named      []param // only by name
	variadic   *param  // extra positional values (Enum's values, an index's fields)
}

// boundArgs are the arguments of one construct, by parameter name. A
// construct has a handful of parameters, so they are kept in a slice: a
// map per type and option made maps the checker's largest cost.
type boundArgs struct {
	named []boundArg
	rest  []*schema.Arg // variadic values
}

// boundArg is one parameter that was written. Its arg is nil when the
// value had the wrong kind (already reported): the parameter was given,
// so a missing-parameter error is not reported on top of that one.
type boundArg struct {
	name string
	arg  *schema.Arg
}

func (b boundArgs) lookup(name string) (*boundArg, bool) {
	for i := range b.named {
		if b.named[i].name == name {
			return &b.named[i], true
		}
	}
	return nil, false
}

// get returns the argument of parameter name, or nil.
func (b boundArgs) get(name string) *schema.Arg {
	if ba, ok := b.lookup(name); ok {
		return ba.arg
	}
	return nil
}

// given reports whether parameter name was written, even with a value of
// the wrong kind.
func (b boundArgs) given(name string) bool {
	_, ok := b.lookup(name)
	return ok
}

// bind matches args to sig, reporting unknown, duplicate, surplus and
// ill-typed arguments. what names the construct in messages ("type
// \"String\"", "option \"default\"").
func (c *checker) bind(what string, sig signature, args []*schema.Arg) boundArgs {
	var b boundArgs
	pos := 0
	for _, a := range args {
		var p *param
		if a.Name == nil {
			switch {
			case pos < len(sig.positional):
				p = &sig.positional[pos]
				pos++
			case sig.variadic != nil:
				if c.checkArgKind(what, *sig.variadic, a) {
					b.rest = append(b.rest, a)
				}
				continue
			default:
				c.errorf(a.Pos, a.EndPos, schema.CodeBadArgument, "too many arguments to %s", what)
				continue
			}
		} else {
			p = sig.lookup(a.Name.Name)
			if p == nil && boundParam[a.Name.Name] {
				c.errorf(a.Name.Pos, a.Name.EndPos, schema.CodeOptionNotApplicable, "parameter %q does not apply to %s", a.Name.Name, what)
				continue
			}
			if p == nil {
				d := c.errorf(a.Name.Pos, a.Name.EndPos, schema.CodeUnknownParameter, "%s has no parameter %q", what, a.Name.Name)
				d.Hint = suggest(a.Name.Name, sig.names())
				continue
			}
		}
		if prev, dup := b.lookup(p.name); dup {
			d := c.errorf(a.Pos, a.EndPos, schema.CodeDuplicateArgument, "parameter %q of %s given twice", p.name, what)
			if prev.arg != nil {
				d.Related = []schema.Related{{Pos: prev.arg.Pos, Msg: "previous value"}}
			}
			continue
		}
		ba := boundArg{name: p.name}
		if c.checkArgKind(what, *p, a) {
			ba.arg = a
		}
		b.named = append(b.named, ba)
	}
	return b
}

func (s signature) lookup(name string) *param {
	for i := range s.positional {
		if s.positional[i].name == name {
			return &s.positional[i]
		}
	}
	for i := range s.named {
		if s.named[i].name == name {
			return &s.named[i]
		}
	}
	return nil
}

func (s signature) names() []string {
	var out []string
	for _, p := range s.positional {
		out = append(out, p.name)
	}
	for _, p := range s.named {
		out = append(out, p.name)
	}
	return out
}

func (c *checker) checkArgKind(what string, p param, a *schema.Arg) bool {
	v := a.Value
	ok := true
	switch p.kind {
	case pInt:
		_, err := strconv.ParseInt(v.Text, 10, 64)
		ok = v.Kind == schema.NumberValue && err == nil
		if err != nil && v.Kind == schema.NumberValue && isInteger(v.Text) {
			c.errorf(v.Pos, v.EndPos, schema.CodeBadArgument, "%s of %s is out of range, found %s", p.name, what, v.Raw)
			return false
		}
	case pNumber:
		ok = v.Kind == schema.NumberValue
	case pString:
		ok = v.Kind == schema.StringValue
	case pName:
		ok = v.Kind == schema.IdentValue || v.Kind == schema.StringValue
	}
	if !ok {
		c.errorf(v.Pos, v.EndPos, schema.CodeBadArgument, "%s of %s must be %s, found %s", p.name, what, p.kind, v.Raw)
	}
	return ok
}

// intArg returns the value of an integer argument, if given.
func intArg(a *schema.Arg) (int, bool) {
	if a == nil {
		return 0, false
	}
	n, err := strconv.Atoi(a.Value.Text)
	return n, err == nil
}
