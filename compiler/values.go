package compiler

import (
	"encoding/json"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/ormc/ormc/compiler/ir"
	"github.com/ormc/ormc/schema"
)

var temporalExample = map[ir.Kind]string{
	ir.Date:     `"2024-01-31"`,
	ir.Time:     `"13:45:00"`,
	ir.DateTime: `"2024-01-31T13:45:00Z"`,
}

func validTemporal(k ir.Kind, s string) bool {
	layout := map[ir.Kind]string{ir.Date: time.DateOnly, ir.Time: "15:04:05.999999", ir.DateTime: time.RFC3339Nano}[k]
	_, err := time.Parse(layout, s)
	return err == nil
}

var uuidRE = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

func validUUID(s string) bool { return uuidRE.MatchString(s) }

func validJSON(s string) bool { return json.Valid([]byte(s)) }

// textProblem says why s cannot be a name or a text value in SQL, or ""
// when it can: no database stores a NUL byte in text (PostgreSQL refuses
// it, MySQL and SQLite cut the string or the statement there), and all
// three refuse text that is not valid UTF-8 in a utf8mb4 or UTF8 column.
func textProblem(s string) string {
	switch {
	case strings.IndexByte(s, 0) >= 0:
		return "contains a NUL byte, which no database stores in text"
	case !utf8.ValidString(s):
		return "is not valid UTF-8"
	}
	return ""
}

// docText returns the text of doc comments, made safe for a Go comment:
// Go source is valid UTF-8 without NUL bytes.
func docText(cs []*schema.Comment) []string {
	var out []string
	for _, cm := range cs {
		t := strings.ToValidUTF8(cm.DocText(), "\uFFFD")
		out = append(out, strings.ReplaceAll(t, "\x00", "\uFFFD"))
	}
	return out
}
