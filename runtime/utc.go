package runtime

import (
	"database/sql"
	"time"
)

// DateTime fields hold instants in UTC whatever the driver returns (pgx
// returns local time, SQLite keeps the offset it was given). Generated
// code scans them through these pointer types and binds them with
// BindUTC, so a value round-trips as the same instant and reads back in UTC.

// UTCTime is a *time.Time as a scan destination that stores UTC.
type UTCTime time.Time

// Scan implements sql.Scanner.
func (t *UTCTime) Scan(src any) error {
	var n sql.Null[time.Time]
	if err := n.Scan(src); err != nil {
		return err
	}
	*t = UTCTime(n.V.UTC())
	return nil
}

// plainTimes replaces the *UTCTime destinations in dest with the
// *time.Time each is, for a driver that scans instants in UTC itself
// (driver.Driver.TimesInUTC): its native path is faster than Scan's.
func plainTimes(dest []any) {
	for i, d := range dest {
		if t, ok := d.(*UTCTime); ok {
			dest[i] = (*time.Time)(t)
		}
	}
}

// NullUTCTime is a *Null[time.Time] as a scan destination that stores UTC.
type NullUTCTime Null[time.Time]

// Scan implements sql.Scanner.
func (t *NullUTCTime) Scan(src any) error {
	var n sql.Null[time.Time]
	if err := n.Scan(src); err != nil {
		return err
	}
	*t = NullUTCTime{V: n.V.UTC(), Valid: n.Valid}
	return nil
}

// BindUTC returns the value to bind for a DateTime: the instant in UTC,
// truncated to the microsecond. PostgreSQL and MySQL keep microseconds;
// truncating before SQLite sees the value makes it keep what they keep.
func BindUTC(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

// BindNullUTC returns the value to bind for a nullable DateTime.
func BindNullUTC(t Null[time.Time]) any {
	if !t.Valid {
		return nil
	}
	return BindUTC(t.V)
}
