package types

import (
	"encoding/json"
	"reflect"

	"github.com/ormc/ormc/runtime"
)

// jsonEqual compares documents by meaning: databases may reformat them.
func jsonEqual(a, b runtime.JSON) bool {
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return false
	}
	return reflect.DeepEqual(x, y)
}
