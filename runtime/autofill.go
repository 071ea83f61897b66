package runtime

import "time"

// fillAuto sets the values the engine owns before a write: auto_now
// fields on every write, auto_now_add fields on create. It returns the
// auto_now columns, which an update of named fields writes too.
//
// On create it also applies the `now` and `uuid` defaults of the fields
// that are not nullable and hold their type's zero value, which no one
// means to store: the zero UUID, the zero time.Time (January 1 of year 1)
// and the zero Date (no date at all). Every other default, literal or
// not, is the generated constructor's (NewX) to apply: a nullable field
// may be NULL on purpose and midnight is a fine TimeOfDay, so the engine
// never replaces them.
func fillAuto(t *Table, row any, create bool, now time.Time) []*Column {
	var touched []*Column
	for _, c := range t.Columns {
		switch {
		case c.AutoNow:
			setNow(t.Ptr(row, c.Index), now)
			touched = append(touched, c)
		case create && c.AutoNowAdd:
			setNow(t.Ptr(row, c.Index), now)
		case create && c.DefaultNow && !c.Null:
			switch p := t.Ptr(row, c.Index).(type) {
			case *UTCTime:
				if time.Time(*p).IsZero() {
					*p = UTCTime(NowUTC(now))
				}
			case *time.Time:
				if p.IsZero() {
					*p = NowUTC(now)
				}
			case *Date:
				if *p == (Date{}) {
					*p = DateOf(NowUTC(now))
				}
			}
		case create && c.DefaultUUID && !c.Null:
			if p, ok := t.Ptr(row, c.Index).(*UUID); ok && *p == (UUID{}) {
				*p = NewUUID()
			}
		}
	}
	return touched
}

// NowUTC returns t as the engine stores the current time: in UTC, to the
// microsecond, which is what every database keeps. Generated constructors
// use it for `now` defaults, so that they agree with the engine.
func NowUTC(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

// TimeOfDayOf returns the time of day of t in t's location, to the
// microsecond.
func TimeOfDayOf(t time.Time) TimeOfDay {
	return TimeOfDay{t.Hour(), t.Minute(), t.Second(), t.Nanosecond() / 1000}
}

// setNow stores now in a date, time or datetime field, as the field's type
// wants it: DateTime in UTC with microseconds (what every database keeps),
// Date and Time in UTC.
func setNow(ptr any, now time.Time) {
	now = NowUTC(now)
	switch p := ptr.(type) {
	case *time.Time:
		*p = now
	case *UTCTime:
		*p = UTCTime(now)
	case *NullUTCTime:
		*p = NullUTCTime{V: now, Valid: true}
	case *Null[time.Time]:
		*p = Some(now)
	case *Date:
		*p = DateOf(now)
	case *Null[Date]:
		*p = Some(DateOf(now))
	case *TimeOfDay:
		*p = TimeOfDayOf(now)
	case *Null[TimeOfDay]:
		*p = Some(TimeOfDayOf(now))
	}
}
