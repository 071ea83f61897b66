package pull

// Column types and defaults: from the database's type to an ormc type,
// and from its default to default(…).

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/ormc/ormc/compiler/ir"
	"github.com/ormc/ormc/runtime/inspect"
)

// colType is an ormc type before its bounds: the kind and the arguments
// it is written with.
type colType struct {
	kind ir.Kind
	args []string
	// approx, when set, says how the ormc type differs from the
	// database's (an approximate-type warning).
	approx string
}

// maxVarchar is the longest String MySQL holds in utf8mb4 (mysql-limit).
const maxVarchar = 16383

// mapType returns the ormc type of a column, or ok false for a type the
// language has none for.
func (r pullRules) mapType(c *inspect.Column) (ct colType, ok bool) {
	t := c.Type
	db := c.DBType
	switch t.Base {
	case inspect.BaseVarchar:
		switch {
		case t.Length == 0:
			return colType{kind: ir.Text}, true
		case t.Length > maxVarchar:
			return colType{kind: ir.Text, approx: fmt.Sprintf("%s is longer than a String holds on MySQL; read as Text", db)}, true
		}
		return colType{kind: ir.String, args: []string{strconv.Itoa(t.Length)}}, true
	case inspect.BaseChar:
		if r.uuidChar36 && t.Length == 36 {
			return colType{kind: ir.UUID}, true
		}
		n := max(t.Length, 1)
		return colType{kind: ir.String, args: []string{strconv.Itoa(n)},
			approx: fmt.Sprintf("%s pads its values with spaces; read as String(%d), a VARCHAR", db, n)}, true
	case inspect.BaseText:
		ct := colType{kind: ir.Text}
		if r.longText > 0 && t.Length > 0 && t.Length != r.longText {
			ct.approx = fmt.Sprintf("%s holds at most %d bytes; ormc's Text is LONGTEXT", db, t.Length)
		}
		return ct, true
	case inspect.BaseBoolean:
		return colType{kind: ir.Boolean}, true
	case inspect.BaseTinyInt:
		if t.Length == 1 && !t.Unsigned {
			return colType{kind: ir.Boolean}, true // MySQL's BOOLEAN is TINYINT(1)
		}
		fallthrough
	case inspect.BaseSmallInt, inspect.BaseMediumInt:
		return colType{kind: ir.Integer, approx: fmt.Sprintf("%s holds fewer values than Integer (32 bits); a larger value fails when written", db)}, true
	case inspect.BaseInteger:
		if t.Unsigned {
			return colType{kind: ir.BigInteger, approx: fmt.Sprintf("%s is unsigned; read as BigInteger, which allows negative values", db)}, true
		}
		return colType{kind: ir.Integer}, true
	case inspect.BaseBigInt:
		ct := colType{kind: ir.BigInteger}
		if t.Unsigned {
			ct.approx = fmt.Sprintf("%s is unsigned; BigInteger holds values up to 2^63-1 and allows negative ones", db)
		}
		return ct, true
	case inspect.BaseReal:
		return colType{kind: ir.Float, approx: fmt.Sprintf("%s is a 32-bit float; Float is 64-bit", db)}, true
	case inspect.BaseDouble:
		return colType{kind: ir.Float}, true
	case inspect.BaseDecimal:
		if t.Precision < 1 || t.Precision > 65 || t.Scale > 30 || t.Scale > t.Precision {
			return colType{kind: ir.Decimal, args: []string{"65", "30"},
				approx: fmt.Sprintf("%s has no precision ormc can state; read as Decimal(65, 30)", db)}, true
		}
		if r.textDecimal {
			return colType{kind: ir.Float, approx: fmt.Sprintf("%s stores its values as floating-point numbers, which ormc's Decimal (exact text) does not read; read as Float", db)}, true
		}
		return colType{kind: ir.Decimal, args: []string{strconv.Itoa(t.Precision), strconv.Itoa(t.Scale)}}, true
	case inspect.BaseDate:
		return colType{kind: ir.Date}, true
	case inspect.BaseTime:
		ct := colType{kind: ir.Time}
		if r.timePrecision > 0 && t.Precision != r.timePrecision {
			ct.approx = fmt.Sprintf("%s keeps %d fractional digits; ormc's Time keeps %d", db, t.Precision, r.timePrecision)
		}
		return ct, true
	case inspect.BaseTimestamp:
		ct := colType{kind: ir.DateTime}
		switch {
		case r.zonedTimestamp:
			ct.approx = fmt.Sprintf("%s has no time zone; ormc reads and writes it as UTC", db)
		case r.timePrecision > 0 && t.Precision != r.timePrecision:
			ct.approx = fmt.Sprintf("%s keeps %d fractional digits; ormc's DateTime keeps %d", db, t.Precision, r.timePrecision)
		}
		return ct, true
	case inspect.BaseTimestampTZ:
		ct := colType{kind: ir.DateTime}
		if !r.zonedTimestamp {
			ct.approx = fmt.Sprintf("%s is converted to and from the session's time zone and holds 1970 to 2038; ormc's DateTime is a DATETIME in UTC", db)
		}
		return ct, true
	case inspect.BaseJSONB:
		return colType{kind: ir.JSON}, true
	case inspect.BaseJSON:
		ct := colType{kind: ir.JSON}
		if r.zonedTimestamp { // PostgreSQL, where ormc's JSON is jsonb
			ct.approx = fmt.Sprintf("%s keeps the text as written; ormc's JSON is jsonb", db)
		}
		return ct, true
	case inspect.BaseUUID:
		return colType{kind: ir.UUID}, true
	case inspect.BaseEnum:
		vals, err := enumValues(db, r.backslash)
		if err != nil || len(vals) == 0 {
			return colType{}, false
		}
		args := make([]string, len(vals))
		for i, v := range vals {
			args[i] = strconv.Quote(v)
		}
		return colType{kind: ir.Enum, args: args, approx: fmt.Sprintf("%s is a type of its own; ormc's Enum is a VARCHAR with a CHECK", db)}, true
	case inspect.BaseInet:
		return colType{kind: ir.IPAddress}, true // PostgreSQL's inet, which ormc's IPAddress is
	}
	return colType{}, false
}

// enumValues reads the values of MySQL's ENUM('a', 'b').
func enumValues(db string, backslash bool) ([]string, error) {
	toks, err := lexCheck(db, backslash)
	if err != nil {
		return nil, err
	}
	var vals []string
	for _, t := range toks {
		if t.kind == tokString {
			vals = append(vals, t.text)
		}
	}
	return vals, nil
}

// defaultAttr returns the default(…) attribute of a column of kind k, or
// ok false with the reason when the language cannot say its default.
func defaultAttr(d *inspect.Default, k ir.Kind) (attr string, ok bool) {
	if d.Kind == inspect.DefaultExpression {
		v := strings.ToLower(d.Value)
		switch {
		case (k == ir.Date || k == ir.Time || k == ir.DateTime) && isNowExpr(v):
			return "default(now)", true
		case k == ir.UUID && isUUIDExpr(v):
			return "default(uuid)", true
		}
		return "", false
	}
	v := d.Value
	switch k {
	case ir.Boolean:
		if v == "true" || v == "false" {
			return "default(" + v + ")", true
		}
		return "", false
	case ir.Integer, ir.BigInteger, ir.Float, ir.Decimal:
		if _, err := strconv.ParseFloat(v, 64); err != nil {
			return "", false
		}
		return "default(" + v + ")", true
	case ir.DateTime:
		for _, layout := range []string{"2006-01-02 15:04:05.999999999", time.RFC3339Nano} {
			if t, err := time.Parse(layout, v); err == nil {
				return "default(" + strconv.Quote(t.UTC().Format(time.RFC3339Nano)) + ")", true
			}
		}
		return "", false
	}
	return "default(" + strconv.Quote(v) + ")", true
}

// isNowExpr reports whether a default expression, in the inspector's
// normal form, is the current date or time, however the database spells
// it (ormc's own defaults among them, spec "SQL mapping").
func isNowExpr(v string) bool {
	for _, w := range []string{"current_timestamp", "now", "utc_timestamp", "utc_date", "utc_time",
		"current_date", "current_time", "localtimestamp", "strftime"} {
		if strings.Contains(v, w) {
			return true
		}
	}
	return false
}

// isUUIDExpr reports whether a default expression makes a new UUID:
// PostgreSQL's gen_random_uuid(), MySQL's UUID(), or SQLite's text of
// randomblob() that ormc writes.
func isUUIDExpr(v string) bool {
	v = strings.ToLower(v)
	return strings.Contains(v, "uuid") || strings.Contains(v, "randomblob")
}
