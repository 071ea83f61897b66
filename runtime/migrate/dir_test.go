package migrate

import (
	"errors"
	"reflect"
	"testing"

	"github.com/ormc/ormc/runtime/dialect"
)

func TestEveryDialect(t *testing.T) {
	for _, d := range dialect.All {
		ss, ok := sessions[d.Name()]
		if !ok {
			t.Errorf("dialect %s has no entry in sessions", d.Name())
		}
		if d.AdvisoryLocks() != (ss.tryLock != "") || (ss.tryLock == "") != (ss.unlock == "") {
			t.Errorf("dialect %s: AdvisoryLocks is %v, but its lock SQL is %q/%q", d.Name(), d.AdvisoryLocks(), ss.tryLock, ss.unlock)
		}
	}
}

func TestParseFile(t *testing.T) {
	for _, c := range []struct {
		name, src string
		want      []Step
		err       string
	}{
		{"empty", "", nil, ""},
		{"header only", "-- ormc:allow DD001\n-- a comment\n\n", nil, ""},
		{"steps", "-- ormc:allow DD001\n-- ormc:step check -- no NULL -- in title\nSELECT id FROM t WHERE title IS NULL\n\n-- ormc:step notx\r\nCREATE INDEX CONCURRENTLY i ON t (a)\n-- a comment inside\n-- ormc:step\n  ALTER TABLE t ADD b INT  \n", []Step{
			{Number: 1, Check: true, Description: "no NULL -- in title", SQL: "SELECT id FROM t WHERE title IS NULL"},
			{Number: 2, NoTx: true, SQL: "CREATE INDEX CONCURRENTLY i ON t (a)\n-- a comment inside"},
			{Number: 3, SQL: "ALTER TABLE t ADD b INT"},
		}, ""},
		{"sql before steps", "CREATE TABLE t (a INT)\n-- ormc:step\nSELECT 1\n", nil, "f.sql:1: SQL before the first -- ormc:step"},
		{"unknown flag", "-- ormc:step tx\nSELECT 1\n", nil, `f.sql:1: unknown step flag "tx" (want notx, check)`},
		{"empty step", "-- ormc:step\n-- ormc:step\nSELECT 1\n", nil, "f.sql: step 1 has no SQL"},
		{"not a directive", "-- ormc:stepx\n", nil, ""},
	} {
		got, err := ParseFile("f.sql", []byte(c.src))
		if c.err != "" {
			if !errors.Is(err, ErrFormat) || err.Error() != ErrFormat.Error()+": "+c.err {
				t.Errorf("%s: error %v, want %q", c.name, err, c.err)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: %#v, %v\nwant %#v", c.name, got, err, c.want)
		}
	}
}

func TestFrame(t *testing.T) {
	steps := func(notx ...bool) *Migration {
		m := &Migration{Version: "0001", Name: "x", File: "0001_x.sqlite.sql"}
		for i, n := range notx {
			m.Steps = append(m.Steps, Step{Number: i + 1, NoTx: n, SQL: "S"})
		}
		return m
	}
	lead, body, trail, err := frame(steps(true, false, false, true))
	if err != nil || len(lead) != 1 || len(body) != 2 || len(trail) != 1 {
		t.Errorf("frame: %d %d %d %v", len(lead), len(body), len(trail), err)
	}
	if _, _, _, err := frame(steps(false, true, false)); !errors.Is(err, ErrFormat) {
		t.Errorf("a notx step inside: %v", err)
	}
}
