package runtime

import (
	"testing"
	"time"
)

// TestPlainTimes checks that a driver with TimesInUTC is handed each
// DateTime destination as the *time.Time it is, and every other
// destination unchanged.
func TestPlainTimes(t *testing.T) {
	var (
		at   UTCTime
		null NullUTCTime
		n    int64
		tm   time.Time
	)
	dest := []any{&at, &null, &n, &tm}
	plainTimes(dest)
	if p, ok := dest[0].(*time.Time); !ok || p != (*time.Time)(&at) {
		t.Errorf("dest[0] = %T %p, want the *time.Time of the UTCTime at %p", dest[0], dest[0], &at)
	}
	for i, want := range []any{&null, &n, &tm} {
		if dest[i+1] != want {
			t.Errorf("dest[%d] = %T, want %T unchanged", i+1, dest[i+1], want)
		}
	}
}
