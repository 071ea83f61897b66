package runtime

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestDecimalDigitsCheck counts digits as PostgreSQL's NUMERIC(p, s)
// does: leading zeros of the whole part and trailing zeros of the
// fraction do not count.
func TestDecimalDigitsCheck(t *testing.T) {
	c := &Column{Field: "d", Kind: KindDecimal, MaxDigits: 5, DecimalPlaces: 2}
	for _, tc := range []struct {
		s     string
		codes string
	}{
		{"999.99", ""},
		{"-999.99", ""},
		{"000999.990000", ""},
		{"0.01", ""},
		{"0", ""},
		{"1.234", "decimal_places"},
		{"1000", "max_digits"},
		{"-1000.001", "decimal_places max_digits"},
	} {
		var k checker
		k.check(c, MustDecimal(tc.s))
		got := ""
		for i, f := range k.errs {
			if i > 0 {
				got += " "
			}
			got += f.Code
		}
		if got != tc.codes {
			t.Errorf("%s in Decimal(5, 2): %q, want %q", tc.s, got, tc.codes)
		}
	}
}

// TestCheckJSON: a document in any Go form a JSON column may be given is
// refused when it is not JSON, not UTF-8, or holds what PostgreSQL or
// MariaDB refuses; the limits themselves pass. (examples/types'
// TestJSONValidation runs the same through every write on every
// database.)
func TestCheckJSON(t *testing.T) {
	c := &Column{Field: "doc", Kind: KindJSON, Null: true}
	deep := func(n int) string { return strings.Repeat("[", n) + strings.Repeat("]", n) }
	for _, tc := range []struct {
		doc  string
		code string
	}{
		{`{"a": [1, "x", null]}`, ""},
		{`"\\u0000"`, ""},
		{`"\\\\\u0041"`, ""},
		{`"\ud83d\ude00"`, ""},
		{`"\uDBFF\uDFFF"`, ""},
		{`"\ud800\\udc00"`, "json_unsupported"},
		{`"\ud800"`, "json_unsupported"},
		{`"\udfff"`, "json_unsupported"},
		{`"\ud800\ud800"`, "json_unsupported"},
		{`"x\u0000"`, "json_unsupported"},
		{deep(31), ""},
		{deep(32), "json_unsupported"},
		{`[[1], [2], [3]]` + strings.Repeat(" ", 3), ""},
		{`1e131071`, ""},
		{`9.99e131071`, ""},
		{`0.1e131072`, ""},
		{`-1e131072`, "json_unsupported"},
		{`1e-16383`, ""},
		{`1e-16384`, "json_unsupported"},
		{`0.00000000000000000000e-16363`, ""},
		{`0.000000000000000000000e-16363`, "json_unsupported"},
		{`0e1073741822`, ""},
		{`0e-1073741823`, "json_unsupported"},
		{`1e99999999999999999999`, "json_unsupported"},
		{`{`, "json"},
		{``, "json"},
		{"\"\xc3\x28\"", "utf8"},
	} {
		for _, v := range []any{JSON(tc.doc), []byte(tc.doc), tc.doc, json.RawMessage(tc.doc), Some(JSON(tc.doc))} {
			switch v.(type) {
			case JSON, Null[JSON]:
				if tc.doc == "" {
					continue // the empty JSON binds as null
				}
			}
			var k checker
			k.check(c, v)
			got := ""
			if len(k.errs) > 0 {
				got = k.errs[0].Code
			}
			if got != tc.code || len(k.errs) > 1 {
				t.Errorf("%.40q as %T: %v, want %q", tc.doc, v, k.errs, tc.code)
			}
		}
	}
	var k checker
	k.check(c, JSON(nil))
	k.check(c, Null[JSON]{})
	if len(k.errs) > 0 {
		t.Errorf("empty and NULL documents: %v", k.errs)
	}
}
