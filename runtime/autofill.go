package runtime

import "time"

// fillAuto sets the values the engine owns before a write: auto_now
// fields on every write, auto_now_add fields and now/uuid defaults on
// create (defaults only where the field is still zero). It returns the
// auto_now columns, which an update of named fields writes too.
func fillAuto(t *Table, row any, create bool, now time.Time) []*Column {
	var touched []*Column
	for _, c := range t.Columns {
		switch {
		case c.AutoNow:
			setNow(t.Ptr(row, c.Index), now)
			touched = append(touched, c)
		case create && c.AutoNowAdd:
			setNow(t.Ptr(row, c.Index), now)
		case create && c.DefaultNow && isZeroValue(t.Value(row, c.Index)):
			setNow(t.Ptr(row, c.Index), now)
		case create && c.DefaultUUID && isZeroValue(t.Value(row, c.Index)):
			switch p := t.Ptr(row, c.Index).(type) {
			case *UUID:
				*p = NewUUID()
			case *Null[UUID]:
				*p = Some(NewUUID())
			}
		}
	}
	return touched
}

// setNow stores now in a date, time or datetime field, as the field's type
// wants it: DateTime in UTC with microseconds (what every database keeps),
// Date and Time in UTC.
func setNow(ptr any, now time.Time) {
	now = now.UTC().Truncate(time.Microsecond)
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
		*p = TimeOfDay{now.Hour(), now.Minute(), now.Second(), now.Nanosecond() / 1000}
	case *Null[TimeOfDay]:
		*p = Some(TimeOfDay{now.Hour(), now.Minute(), now.Second(), now.Nanosecond() / 1000})
	}
}

// isZeroValue reports whether a bound value is unset: NULL or its type's
// zero value.
func isZeroValue(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case time.Time:
		return x.IsZero()
	case Date:
		return x == Date{}
	case TimeOfDay:
		return x == TimeOfDay{}
	case UUID:
		return x == UUID{}
	case nullable:
		return x.IsNull()
	}
	return false
}
