package pull

// Names: a model from its table, a field from its column. ormc's own
// conventions are read backwards, so a table ormc made gives back the
// model without a "table" and a column without column("…"):
// SnakeName(modelName(t)) == t for every snake_case table, and a column
// that is already a field name stays one.

import (
	"strings"
	"unicode"

	"github.com/ormc/ormc/compiler/ir"
)

// modelName returns the model name for table (ir.ModelName, which the
// DDL's table comments are written against).
func modelName(table string) string { return ir.ModelName(table) }

// fieldName returns the field name for column: the column itself when it
// is an identifier that starts in lower case and a field may have
// ("title", "userName"), else its snake_case form ("AlbumId" →
// "album_id").
func fieldName(column string) string {
	if isFieldIdent(column) && validField(column) {
		return column
	}
	name := ir.SnakeName(identChars(column))
	for strings.Contains(name, "__") {
		name = strings.ReplaceAll(name, "__", "_")
	}
	name = strings.Trim(name, "_")
	if name == "" || !isLetter(name[0]) {
		name = "f_" + name
	}
	if !validField(name) {
		name += "_"
	}
	return name
}

// relationName returns the name of a relation stored in column: the
// field name without its "_id" ("artist_id" → "artist"), or the field
// name when that leaves nothing.
func relationName(column string) string {
	name := fieldName(column)
	if base, ok := strings.CutSuffix(name, "_id"); ok && base != "" && validField(base) {
		return base
	}
	return name
}

// validField reports whether name may be a field's name: not "pk", no
// "__" (bad-field-name).
func validField(name string) bool {
	return name != "pk" && name != "primary_key" && !strings.Contains(name, "__")
}

// identChars replaces every character that cannot be in an identifier
// with "_".
func identChars(s string) string {
	return strings.Map(func(r rune) rune {
		if r < unicode.MaxASCII && (isLetter(byte(r)) || r >= '0' && r <= '9' || r == '_') {
			return r
		}
		return '_'
	}, s)
}

func isLetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

// isFieldIdent reports whether s is an identifier that starts with a
// lower-case letter or "_".
func isFieldIdent(s string) bool {
	if s == "" || !(s[0] == '_' || 'a' <= s[0] && s[0] <= 'z') {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c == '_' || isLetter(c) || '0' <= c && c <= '9') {
			return false
		}
	}
	return true
}
