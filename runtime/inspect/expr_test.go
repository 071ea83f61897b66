package inspect

import "testing"

// TestNormalExpr: what each database makes of an expression the DDL
// wrote compares equal to it, and expressions that differ in what
// matters do not.
func TestNormalExpr(t *testing.T) {
	for _, tc := range []struct {
		r          reader
		ddl, db    string
		equal      bool
		normalForm string // of ddl, when given
	}{
		{postgresReader{}, `"kind" IN ('a', 'b')`, `(kind)::text = ANY ((ARRAY['a'::character varying, 'b'::character varying])::text[])`, true, `kind in 'a' , 'b'`},
		{postgresReader{}, `"kind" IN ('a')`, `(kind)::text = 'a'::text`, true, `kind = 'a'`},
		{postgresReader{}, `"n" >= -5 AND "n" <= 10`, `(n >= '-5'::integer) AND (n <= 10)`, true, ""},
		{postgresReader{}, `"x" >= 1.50`, `(x >= (1.5)::double precision)`, true, ""},
		{postgresReader{}, `"x" >= 1.5e3`, `(x >= (1500)::double precision)`, true, ""},
		{postgresReader{}, `((CURRENT_TIMESTAMP AT TIME ZONE 'UTC')::date)`, `((CURRENT_TIMESTAMP AT TIME ZONE 'UTC'::text))::date`, true, `current_timestamp at time zone 'UTC'`},
		{postgresReader{}, `"Kind" IN ('a', 'b')`, `("Kind")::text = ANY (ARRAY['a'::text, 'b'::text])`, true, `"Kind" in 'a' , 'b'`},
		{postgresReader{}, `"kind" IN ('a', 'b')`, `(kind)::text = ANY ((ARRAY['a'::character varying, 'c'::character varying])::text[])`, false, ""},
		{postgresReader{}, `"n" >= 1`, `(n > 1)`, false, ""},
		{postgresReader{}, `"kind" NOT IN ('a', 'b')`, `(kind)::text <> ALL (ARRAY['a'::text, 'b'::text])`, true, ""},
		{mysqlReader{}, "`kind` IN ('a', 'b')", "`kind` in ('a','b')", true, ""},
		{mysqlReader{}, "`n` >= -5 AND `n` <= 10", "`n` >= -5 and `n` <= 10", true, ""},
		{mysqlReader{}, "(UTC_TIMESTAMP(6))", "utc_timestamp(6)", true, "utc_timestamp 6"},
		{mysqlReader{}, "(UTC_TIMESTAMP(6))", "utc_timestamp()", false, ""},
		{mysqlReader{}, "`s` = 'a\\\\b'", "`s` = _utf8mb4'a\\\\b'", true, ""},
		{mysqlReader{}, "`s` = 'it''s'", "`s` = 'it\\'s'", true, ""},
		{sqliteReader{}, `"id" <= 2147483647`, `"id" <= 2147483647`, true, ""},
		{sqliteReader{}, `CAST("d" AS REAL) >= 0`, `CAST("d" AS REAL) >= 0.0`, true, ""},
		{sqliteReader{}, `[a b] > 0`, `"a b" > 0`, true, `"a b" > 0`},
	} {
		a, b := tc.r.normalExpr(tc.ddl), tc.r.normalExpr(tc.db)
		if (a == b) != tc.equal {
			t.Errorf("%T: %s\n  ~ %s\n  normal forms %q and %q, want equal=%v", tc.r, tc.ddl, tc.db, a, b, tc.equal)
		}
		if tc.normalForm != "" && a != tc.normalForm {
			t.Errorf("normal form of %s = %q, want %q", tc.ddl, a, tc.normalForm)
		}
	}
}

// TestParseDefault: a default as the DDL writes it and as each database
// reports it are the same default.
func TestParseDefault(t *testing.T) {
	for _, tc := range []struct {
		r       reader
		typ     string
		ddl, db string
		kind    DefaultKind
		value   string
	}{
		{postgresReader{}, "character varying(10)", `'x'`, `'x'::character varying`, DefaultLiteral, "x"},
		{postgresReader{}, "integer", `-5`, `'-5'::integer`, DefaultLiteral, "-5"},
		{postgresReader{}, "numeric(5,2)", `010.50`, `10.50`, DefaultLiteral, "10.5"},
		{postgresReader{}, "double precision", `-1.5e3`, `'-1500'::double precision`, DefaultLiteral, "-1500"},
		{postgresReader{}, "boolean", `TRUE`, `true`, DefaultLiteral, "true"},
		{postgresReader{}, "timestamp with time zone", `'2024-01-01 00:00:00+00'`, `'2024-01-01 01:00:00+01'::timestamp with time zone`, DefaultLiteral, "2024-01-01 00:00:00"},
		{postgresReader{}, "jsonb", `'{"b": 1, "a": [1, 2]}'`, `'{"a": [1, 2], "b": 1}'::jsonb`, DefaultLiteral, `{"a":[1,2],"b":1}`},
		{postgresReader{}, "uuid", `gen_random_uuid()`, `gen_random_uuid()`, DefaultExpression, "gen_random_uuid"},
		{mysqlReader{}, "tinyint(1)", `TRUE`, `1`, DefaultLiteral, "true"},
		{mysqlReader{}, "datetime(6)", `'2024-01-01 00:00:00'`, `'2024-01-01 00:00:00.000000'`, DefaultLiteral, "2024-01-01 00:00:00"},
		{mysqlReader{}, "time(6)", `'12:30:00'`, `'12:30:00.000000'`, DefaultLiteral, "12:30:00"},
		{mysqlReader{}, "longtext", `('a\\b')`, `'a\\b'`, DefaultLiteral, `a\b`},
		{mysqlReader{}, "date", `(UTC_DATE())`, `utc_date()`, DefaultExpression, "utc_date"},
		{sqliteReader{}, "TEXT", `'1.50'`, `'1.50'`, DefaultLiteral, "1.50"},
	} {
		typ := tc.r.parseType(tc.typ)
		a, b := tc.r.parseDefault(tc.ddl, typ), tc.r.parseDefault(tc.db, typ)
		if a == nil || b == nil || a.Kind != tc.kind || b.Kind != tc.kind || a.Value != tc.value || b.Value != tc.value {
			t.Errorf("%T %s: %s → %+v, %s → %+v; want %s %q", tc.r, tc.typ, tc.ddl, a, tc.db, b, tc.kind, tc.value)
		}
	}
	for _, null := range []string{"NULL", "null", "NULL::character varying", ""} {
		if d := (postgresReader{}).parseDefault(null, Type{Base: BaseVarchar}); d != nil {
			t.Errorf("default %q = %+v, want none", null, d)
		}
	}
}

// TestParseType: the aliases of each database are one type.
func TestParseType(t *testing.T) {
	for _, tc := range []struct {
		r     reader
		names []string
		want  Type
	}{
		{postgresReader{}, []string{"integer", "INTEGER", "int4", "int"}, Type{Base: BaseInteger}},
		{postgresReader{}, []string{"character varying(100)", "VARCHAR(100)", "varchar( 100 )"}, Type{Base: BaseVarchar, Length: 100}},
		{postgresReader{}, []string{"numeric(10,2)", "NUMERIC(10, 2)", "decimal(10,2)"}, Type{Base: BaseDecimal, Precision: 10, Scale: 2}},
		{postgresReader{}, []string{"timestamp with time zone", "TIMESTAMPTZ"}, Type{Base: BaseTimestampTZ}},
		{postgresReader{}, []string{"time(3) without time zone", "TIME(3)"}, Type{Base: BaseTime, Precision: 3}},
		{postgresReader{}, []string{"double precision", "DOUBLE PRECISION", "float8"}, Type{Base: BaseDouble}},
		{mysqlReader{}, []string{"int(11)", "INT", "integer"}, Type{Base: BaseInteger}},
		{mysqlReader{}, []string{"int(10) unsigned", "INT UNSIGNED"}, Type{Base: BaseInteger, Unsigned: true}},
		{mysqlReader{}, []string{"tinyint(1)", "BOOLEAN", "bool"}, Type{Base: BaseBoolean}},
		{mysqlReader{}, []string{"datetime(6)", "DATETIME(6)"}, Type{Base: BaseTimestamp, Precision: 6}},
		{mysqlReader{}, []string{"longtext", "LONGTEXT"}, Type{Base: BaseText, Length: 4294967295}},
		{mysqlReader{}, []string{"char(36)", "CHAR(36)"}, Type{Base: BaseChar, Length: 36}},
		{sqliteReader{}, []string{"INTEGER", "integer", "INT"}, Type{Base: BaseInteger}},
		{sqliteReader{}, []string{"VARCHAR(100)", "varchar(100)"}, Type{Base: BaseVarchar, Length: 100}},
		{sqliteReader{}, []string{"weird_type", ""}, Type{}},
	} {
		for _, n := range tc.names {
			if got := tc.r.parseType(n); got != tc.want {
				t.Errorf("%T: %q = %+v, want %+v", tc.r, n, got, tc.want)
			}
		}
	}
	if got := (mysqlReader{}).parseType("tinyint(4)"); got.Base != BaseTinyInt {
		t.Errorf("tinyint(4) = %+v", got)
	}
}
