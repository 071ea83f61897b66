package compiler

import (
	"encoding/json"
	"regexp"
	"time"

	"github.com/ormc/ormc/compiler/ir"
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
