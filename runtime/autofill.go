package runtime

import (
	"net/netip"
	"time"
)

// fillAuto sets the values the engine owns before a write: auto_now
// fields on every write, auto_now_add fields on create. It returns the
// auto_now columns, which an update of named fields writes too.
//
// On create it also applies the default of every field that holds a
// value saying it was left unset (Column.unset): a struct literal that
// leaves such a field out gets the value NewX would have given it. Those
// values are the zero values that are no value of their type (an Enum's
// "", the zero Date, netip.Addr and JSON) or that no one means to store
// (the zero time.Time and UUID); which kinds have one is their
// descriptors' Zero. Any other value, a nullable field's NULL, 0, "",
// false and midnight included, is stored as it is: only the generated
// constructor gives such a field its default.
func fillAuto(t *Table, row any, create bool, now time.Time) []*Column {
	var touched []*Column
	for _, c := range t.Columns {
		switch {
		case c.AutoNow:
			setNow(t.Ptr(row, c.Index), now)
			touched = append(touched, c)
		case create && c.AutoNowAdd:
			setNow(t.Ptr(row, c.Index), now)
		case create && c.hasDefault() && c.unset(t.Value(row, c.Index)):
			setDefault(t.Ptr(row, c.Index), c.defaultValue(now))
		}
	}
	return touched
}

// hasDefault reports whether column c has a default the engine can apply.
func (c *Column) hasDefault() bool { return c.Default != nil || c.DefaultNow || c.DefaultUUID }

// defaultValue returns the value of c's default for a row created now.
func (c *Column) defaultValue(now time.Time) any {
	switch {
	case c.Default != nil:
		return c.Default
	case c.DefaultUUID:
		return NewUUID()
	case c.Kind == KindDate:
		return DateOf(NowUTC(now))
	}
	return NowUTC(now)
}

// setDefault stores d, a default of the field's Go type, through ptr, the
// field's scan destination (Table.Ptr). A pair of types that does not go
// together changes nothing, and validation then refuses the value left.
func setDefault(ptr, d any) {
	switch p := ptr.(type) {
	case *string: // an Enum's, which generated code scans as a string
		switch x := d.(type) {
		case Enum:
			*p = x.EnumValue()
		case string:
			*p = x
		}
	case *UTCTime:
		if x, ok := d.(time.Time); ok {
			*p = UTCTime(x)
		}
	case *time.Time:
		if x, ok := d.(time.Time); ok {
			*p = x
		}
	case *Date:
		if x, ok := d.(Date); ok {
			*p = x
		}
	case *UUID:
		if x, ok := d.(UUID); ok {
			*p = x
		}
	case *JSON:
		if x, ok := d.(JSON); ok {
			*p = x
		}
	case *HostAddr:
		if x, ok := d.(netip.Addr); ok {
			*p = HostAddr(x)
		}
	case *netip.Addr:
		if x, ok := d.(netip.Addr); ok {
			*p = x
		}
	}
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
