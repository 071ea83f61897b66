package ir

import (
	"fmt"
	"hash/fnv"
	"strings"
)

// maxIdentLen is the longest identifier every dialect accepts
// (PostgreSQL's 63 bytes; MySQL allows 64).
const maxIdentLen = 63

// ConstraintName is the stable name of an index or constraint on table
// over cols: "table_col1_col2_suffix", shortened with a hash of the full
// name when it would exceed 63 bytes.
func ConstraintName(table string, cols []string, suffix string) string {
	name := table + "_" + strings.Join(cols, "_") + "_" + suffix
	if len(name) <= maxIdentLen {
		return name
	}
	h := fnv.New32a()
	h.Write([]byte(name))
	tail := fmt.Sprintf("_%08x_%s", h.Sum32(), suffix)
	return name[:maxIdentLen-len(tail)] + tail
}

// initialisms are written in upper case in Go names, as golint expects.
var initialisms = map[string]bool{
	"id": true, "url": true, "uri": true, "uuid": true, "json": true, "http": true, "https": true,
	"api": true, "sql": true, "html": true, "ip": true, "tcp": true, "udp": true, "xml": true,
	"ascii": true, "cpu": true, "css": true, "dns": true, "eof": true, "guid": true, "tls": true,
	"ttl": true, "ui": true, "uid": true, "utf8": true, "vm": true,
}

// GoName returns the exported Go identifier for a schema name:
// "completed" → "Completed", "album_id" → "AlbumID", "userName" →
// "UserName". Names that would not start with a letter get an "X" prefix.
func GoName(name string) string {
	var b strings.Builder
	for _, word := range splitWords(name) {
		lw := strings.ToLower(word)
		if initialisms[lw] {
			b.WriteString(strings.ToUpper(lw))
			continue
		}
		b.WriteString(strings.ToUpper(word[:1]))
		b.WriteString(word[1:])
	}
	s := b.String()
	if s == "" || !(s[0] >= 'A' && s[0] <= 'Z') {
		s = "X" + s
	}
	return s
}

// splitWords splits at underscores and at lower-to-upper case changes.
func splitWords(name string) []string {
	var words []string
	for _, part := range strings.Split(name, "_") {
		start := 0
		for i := 1; i < len(part); i++ {
			if part[i] >= 'A' && part[i] <= 'Z' && part[i-1] >= 'a' && part[i-1] <= 'z' {
				words = append(words, part[start:i])
				start = i
			}
		}
		if start < len(part) {
			words = append(words, part[start:])
		}
	}
	return words
}

// Plural returns the English plural of a Go name, used for the client's
// managers: "Note" → "Notes", "Category" → "Categories", "Box" → "Boxes".
func Plural(name string) string {
	lower := strings.ToLower(name)
	switch {
	case strings.HasSuffix(lower, "s"), strings.HasSuffix(lower, "x"), strings.HasSuffix(lower, "z"),
		strings.HasSuffix(lower, "ch"), strings.HasSuffix(lower, "sh"):
		return name + "es"
	case len(lower) > 1 && strings.HasSuffix(lower, "y") && !strings.ContainsRune("aeiou", rune(lower[len(lower)-2])):
		return name[:len(name)-1] + "ies"
	}
	return name + "s"
}

// SnakeName returns the snake_case form of a schema name, the default
// table name of a model: "TrackArtist" → "track_artist".
func SnakeName(name string) string {
	words := splitWords(name)
	for i, w := range words {
		words[i] = strings.ToLower(w)
	}
	return strings.Join(words, "_")
}

// GoFileName returns the name of the generated Go file that holds model's
// code: its snake_case name followed by "_model.go", "track_artist_model.go".
// The suffix keeps Go's file name rules from applying to the model's name:
// a model Spec_test or Thing_windows would otherwise give spec_test.go (a
// test file) or thing_windows.go (built on Windows only), since "model" is
// no GOOS, GOARCH or "test". A name that does not start with a letter or a
// digit gets "model" in front, as go build ignores files starting with "_".
// Two models may map to the same file name (ABC and Abc), which the
// checker reports.
func GoFileName(model string) string {
	base := SnakeName(model)
	if base == "" || base[0] == '_' {
		base = "model" + base
	}
	return base + "_model.go"
}

// EnumGoName returns the Go name of an Enum value, the suffix of its
// constant: "gift card" → "GiftCard", "2x" → "X2x".
func EnumGoName(value string) string {
	var b strings.Builder
	for _, r := range value {
		if r < 128 && (r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	return GoName(b.String())
}

// ReservedGoNames are the exported identifiers every generated package
// declares, besides those derived from models.
var ReservedGoNames = []string{"Client", "Open", "NewClient"}

// GoIdent is an exported package-level identifier generated for a model.
type GoIdent struct {
	Name  string
	What  string // for messages: `model "Track"`, `field "title" of model "Track"`
	Field string // the field it comes from, or ""
}

// GoIdents lists the package-level identifiers generated for m: its type,
// the manager field on the client, its reference type, and one typed field
// per field. The Go generator and the checker's collision test both use it.
func GoIdents(m *Model) []GoIdent {
	g := GoName(m.Name)
	what := `model "` + m.Name + `"`
	ids := []GoIdent{
		{Name: g, What: what},
		{Name: g + "Ref", What: what + " (its reference type)"},
		{Name: "New" + g, What: what + " (its constructor)"},
		{Name: g + "Fields", What: what + " (its fields reached through a relation)"},
		{Name: g + "NullFields", What: what + " (its fields reached through a nullable relation)"},
	}
	for _, f := range m.Fields {
		fg := g + GoName(f.Name)
		fw := `field "` + f.Name + `" of ` + what
		ids = append(ids, GoIdent{Name: fg, What: fw, Field: f.Name})
		if f.Type.Kind == Enum {
			ids = append(ids, GoIdent{Name: fg + "Enum", What: fw + " (its enum type)", Field: f.Name})
			for _, v := range f.Type.Values {
				ids = append(ids, GoIdent{Name: fg + EnumGoName(v), What: fw + ` (its value "` + v + `")`, Field: f.Name})
			}
		}
	}
	return ids
}

// ReverseName is the Go name of the reverse side of relation field f of
// model source: its related_name when set, else the plural of the source
// model ("Tracks" for Track.album), qualified by the field when the source
// has several relations to the same model ("MessagesBySender"). The
// client's method for it is the target's Go name followed by it:
// AlbumTracks.
func ReverseName(source *Model, f *Field) string {
	if f.Relation.RelatedName != "" {
		return GoName(f.Relation.RelatedName)
	}
	name := Plural(GoName(source.Name))
	n := 0
	for _, g := range source.Fields {
		if g.Relation != nil && g.Relation.Model == f.Relation.Model {
			n++
		}
	}
	if n > 1 {
		name += "By" + GoName(f.Name)
	}
	return name
}

// ClientMember is a field or method of the generated Client.
type ClientMember struct {
	Name  string
	What  string
	Model string // the model whose declaration it comes from
	Field string // the field it comes from, or ""
}

// ClientMembers lists the Client's members: the fixed methods, one
// manager per model, and one reverse-relation method per relation field.
func ClientMembers(s *Schema) []ClientMember {
	var out []ClientMember
	for _, name := range []string{"DB", "Close", "Tx", "CreateTables", "DropTables"} {
		out = append(out, ClientMember{Name: name, What: "a method of the generated Client"})
	}
	for _, m := range s.Models {
		out = append(out, ClientMember{Name: Plural(GoName(m.Name)), What: `the manager of model "` + m.Name + `"`, Model: m.Name})
	}
	for _, m := range s.Models {
		for _, f := range m.Fields {
			if f.Relation == nil {
				continue
			}
			out = append(out, ClientMember{
				Name:  GoName(f.Relation.Model) + ReverseName(m, f),
				What:  `the reverse side of field "` + f.Name + `" of model "` + m.Name + `"`,
				Model: m.Name, Field: f.Name,
			})
		}
	}
	return out
}
