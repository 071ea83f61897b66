package pull

import (
	"strconv"
	"strings"
)

// render writes the models as .orm text, not yet in canonical layout:
// Write formats it. Each note is a comment, "// code: message", above
// the model or the field it concerns (where the field would be when it is
// left out); notes about no table come first.
func (p *puller) render() string {
	var b strings.Builder
	for _, n := range p.top {
		writeNote(&b, "", n)
	}
	if len(p.top) > 0 {
		b.WriteString("\n")
	}
	for _, m := range p.order {
		for _, n := range m.notes {
			writeNote(&b, "", n)
		}
		if m.left {
			b.WriteString("\n")
			continue
		}
		for _, d := range m.doc {
			b.WriteString("/// " + oneLine(d) + "\n")
		}
		b.WriteString("model " + m.name)
		if m.tableName != "" {
			b.WriteString(" " + strconv.Quote(m.tableName))
		}
		b.WriteString(" <\n")
		for _, f := range m.fields {
			for _, n := range f.notes {
				writeNote(&b, "  ", n)
			}
			if f.left {
				continue
			}
			for _, d := range f.doc {
				b.WriteString("  /// " + oneLine(d) + "\n")
			}
			b.WriteString("  " + f.name + " " + f.typ)
			for _, a := range f.attrs {
				b.WriteString(" " + a)
			}
			if f.hasUnq {
				b.WriteString(" unique")
			}
			if f.hasIdx {
				b.WriteString(" index")
			}
			if f.column != "" {
				b.WriteString(" column(" + strconv.Quote(f.column) + ")")
			}
			b.WriteString("\n")
		}
		for _, l := range m.links {
			b.WriteString("  " + l.name + " ManyToMany(" + l.target + ", through: " + l.through.name + ")\n")
		}
		if len(m.dirs) > 0 {
			b.WriteString("\n")
		}
		for _, d := range m.dirs {
			kw := "index"
			switch {
			case d.key:
				kw = "pk"
			case d.unique:
				kw = "unique"
			}
			b.WriteString("  " + kw + "(" + strings.Join(d.fields, ", "))
			if d.named {
				b.WriteString(", name: " + strconv.Quote(d.dbName))
			}
			b.WriteString(")\n")
		}
		b.WriteString(">\n\n")
	}
	return b.String()
}

// noteText is a note's comment text.
func noteText(n note) string { return "// " + string(n.code) + ": " + oneLine(n.msg) }

func writeNote(b *strings.Builder, indent string, n note) {
	b.WriteString(indent + noteText(n) + "\n")
}
