package ir

import (
	"fmt"
	"io"
	"strconv"
	"strings"
)

// Dump writes a compact, deterministic listing of s for golden tests and
// debugging: one line per model, field and index, in declaration order,
// each ending with its position. The format may change; do not parse it.
//
//	model Track table "track" pk=id pkey "track_pkey" sequence "track_id_seq" @a.orm:6:7
//	  field album column "album" foreignkey(Album) on_delete=cascade null fkey_name="track_album_fkey" @a.orm:8:3
//	  index "track_album_position_idx" (album, position) @a.orm:12:3
func Dump(w io.Writer, s *Schema) {
	for _, m := range s.Models {
		pk := "none"
		if m.PrimaryKey >= 0 && m.PrimaryKey < len(m.Fields) {
			pk = m.PK().Name
		}
		if m.Composite() {
			var names []string
			for _, f := range m.KeyFields() {
				names = append(names, f.Name)
			}
			pk = "(" + strings.Join(names, ", ") + ")"
		}
		seq := ""
		if m.SequenceName != "" {
			seq = fmt.Sprintf(" sequence %q", m.SequenceName)
		}
		if m.RenamedFrom != "" {
			seq += fmt.Sprintf(" renamed_from %q", m.RenamedFrom)
		}
		if m.JoinFor != "" {
			seq += fmt.Sprintf(" join_for %s", m.JoinFor)
		}
		fmt.Fprintf(w, "model %s table %q pk=%s pkey %q%s @%s\n", m.Name, m.Table, pk, m.PrimaryKeyName, seq, m.Pos)
		for _, d := range m.Doc {
			fmt.Fprintf(w, "  doc %q\n", d)
		}
		for _, f := range m.Fields {
			fmt.Fprintf(w, "  field %s\n", dumpField(f))
			for _, d := range f.Doc {
				fmt.Fprintf(w, "    doc %q\n", d)
			}
		}
		for _, ix := range m.Indexes {
			kind := "index"
			if ix.Unique {
				kind = "unique"
			}
			fmt.Fprintf(w, "  %s %q (%s) @%s\n", kind, ix.Name, strings.Join(ix.Fields, ", "), ix.Pos)
		}
		for _, r := range m.ManyToMany {
			related := ""
			if r.RelatedName != "" {
				related = " related_name=" + r.RelatedName
			}
			fmt.Fprintf(w, "  many_to_many %s (%s) through %s (%s -> %s)%s @%s\n", r.Name, r.Model, r.Through, r.Source, r.Target, related, r.Pos)
		}
	}
}

func dumpField(f *Field) string {
	parts := []string{f.Name, "column", strconv.Quote(f.Column), dumpType(f.Type)}
	add := func(cond bool, s string) {
		if cond {
			parts = append(parts, s)
		}
	}
	if r := f.Relation; r != nil {
		parts[3] = string(f.Type.Kind) + "(" + r.Model + ")"
		add(true, "on_delete="+string(r.OnDelete))
		add(r.RelatedName != "", "related_name="+r.RelatedName)
	}
	add(f.RenamedFrom != "", "renamed_from="+strconv.Quote(f.RenamedFrom))
	for _, r := range f.RenamedValues {
		add(true, "renamed_value="+strconv.Quote(r.From)+"->"+strconv.Quote(r.To))
	}
	add(f.PrimaryKey, "pk")
	add(f.AutoIncrement, "auto_increment")
	add(f.Null, "null")
	add(f.Blank, "blank")
	add(f.Unique, "unique")
	add(f.Index, "index")
	add(f.AutoNow, "auto_now")
	add(f.AutoNowAdd, "auto_now_add")
	if d := f.Default; d != nil {
		if d.Kind == DefaultLiteral {
			add(true, "default="+strconv.Quote(d.Value))
		} else {
			add(true, "default="+string(d.Kind))
		}
	}
	add(f.UniqueName != "", "unique_name="+strconv.Quote(f.UniqueName))
	add(f.IndexName != "", "index_name="+strconv.Quote(f.IndexName))
	add(f.ForeignKeyName != "", "fkey_name="+strconv.Quote(f.ForeignKeyName))
	add(f.CheckName != "", "check_name="+strconv.Quote(f.CheckName))
	b := f.Bounds
	add(b.MinLength != nil, fmt.Sprintf("min_length=%d", deref(b.MinLength)))
	add(b.MaxLength != nil, fmt.Sprintf("max_length=%d", deref(b.MaxLength)))
	add(b.Pattern != "", "pattern="+strconv.Quote(b.Pattern))
	add(b.Minimum != "" && !b.ExclusiveMinimum, "minimum="+b.Minimum)
	add(b.Minimum != "" && b.ExclusiveMinimum, "exclusive_minimum="+b.Minimum)
	add(b.Maximum != "" && !b.ExclusiveMaximum, "maximum="+b.Maximum)
	add(b.Maximum != "" && b.ExclusiveMaximum, "exclusive_maximum="+b.Maximum)
	return strings.Join(parts, " ") + " @" + f.Pos.String()
}

func dumpType(t Type) string {
	switch {
	case t.MaxLength > 0:
		return fmt.Sprintf("%s(%d)", t.Kind, t.MaxLength)
	case t.Kind == Decimal:
		return fmt.Sprintf("%s(%d, %d)", t.Kind, t.MaxDigits, t.DecimalPlaces)
	case len(t.Values) > 0:
		q := make([]string, len(t.Values))
		for i, v := range t.Values {
			q[i] = strconv.Quote(v)
		}
		return fmt.Sprintf("%s(%s)", t.Kind, strings.Join(q, ", "))
	}
	return string(t.Kind)
}

func deref(p *int) int {
	if p == nil {
		return 0
	}
	return *p
}
