package runtime_test

import (
	"testing"
	"time"

	"github.com/ormc/ormc/runtime"
)

type color string

func (c color) EnumValue() string { return string(c) }

// TestRefKeys: a reference binds its key as a column of the key's type
// binds it, and scans a DateTime key in UTC, as a DateTime column does.
func TestRefKeys(t *testing.T) {
	zone := time.FixedZone("+01", 3600)
	at := time.Date(2024, 1, 2, 3, 4, 5, 6007, zone)
	want := time.Date(2024, 1, 2, 2, 4, 5, 6000, time.UTC)

	tr := runtime.KeyRef[*struct{}](at)
	if got := tr.KeyValue(); got != any(want) {
		t.Errorf("DateTime key binds as %#v, want %#v", got, want)
	}
	var scanned runtime.Ref[*struct{}, time.Time]
	if err := scanned.Scan(at); err != nil || scanned.IsNull() || scanned.PK().Location() != time.UTC || !scanned.PK().Equal(at) {
		t.Errorf("DateTime key scans as %v (null %v), %v; want %v in UTC", scanned.PK(), scanned.IsNull(), err, at)
	}
	if err := scanned.Scan(nil); err != nil || !scanned.IsNull() || scanned.KeyValue() != nil {
		t.Errorf("NULL scans as %v, %v", scanned.KeyValue(), err)
	}

	er := runtime.KeyRef[*struct{}](color("dark blue"))
	if got := er.KeyValue(); got != any("dark blue") {
		t.Errorf("enum key binds as %#v, want a plain string", got)
	}
	var es runtime.Ref[*struct{}, color]
	if err := es.Scan([]byte("red")); err != nil || es.PK() != "red" {
		t.Errorf("enum key scans as %q, %v", es.PK(), err)
	}

	ir := runtime.KeyRef[*struct{}](int64(7))
	if got := ir.KeyValue(); got != any(int64(7)) {
		t.Errorf("Integer key binds as %#v", got)
	}
}
