package runtime

import (
	"encoding/json"

	"github.com/ormc/ormc/internal/textcheck"
)

// checkJSON validates a document bound for JSON column c by the rule the
// checker holds defaults to (textcheck.JSON). The empty JSON binds as
// null; an empty string or []byte is no document.
func (k *checker) checkJSON(c *Column, v any) {
	var doc []byte
	switch x := v.(type) {
	case JSON:
		if len(x) == 0 {
			return
		}
		doc = x
	case json.RawMessage:
		doc = x
	case []byte:
		doc = x
	case string:
		doc = []byte(x)
	default:
		return
	}
	if code, msg := textcheck.JSON(doc); code != "" {
		k.add(c, code, "%s", msg)
	}
}
