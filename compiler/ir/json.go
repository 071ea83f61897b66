package ir

import (
	"bytes"
	"encoding/json"
)

// MarshalSnapshot returns the schema's JSON snapshot: indented, with a
// trailing newline, byte-for-byte the same for the same schema.
func MarshalSnapshot(s *Schema) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	c := *s
	c.Version = Version
	if err := enc.Encode(&c); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
