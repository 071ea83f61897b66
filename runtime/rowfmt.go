package runtime

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/netip"
	"reflect"
	"strconv"
	"strings"
	"time"
)

// Rows print. A generated row's String method calls RowString and its
// GoString method RowGoString, with the row's *Table, so that every model
// prints alike without a printer of its own. Printing reads a row through
// the Table's accessors; it never writes to the row, never follows a
// reference into the row it refers to (a cycle of loaded rows prints as
// keys), and never panics: a Table accessor that panics on a row of the
// wrong type prints as such, as fmt prints a String method that panics.
//
// The schema has no notion of a secret field, so every value prints.

// RowString returns the text form of row, a row of t: its model and
// primary key, "Track(id=1)". A key the database or Create has yet to
// assign (an auto-increment or default(uuid) key still zero) prints as
// "Track(id=unset)", a nil row as "Track(nil)".
func RowString(t *Table, row any) (s string) {
	if t == nil {
		return "<nil *runtime.Table>"
	}
	defer catchPrint(t, &s)
	switch {
	case isNilRow(row):
		return t.Model + "(nil)"
	case !rowOfTable(t, row):
		return fmt.Sprintf("%s(<%T is no row of %s>)", t.Model, row, t.Model)
	}
	var b strings.Builder
	b.WriteString(t.Model)
	b.WriteByte('(')
	writeKey(&b, t, row)
	b.WriteByte(')')
	return b.String()
}

// RowGoString returns the debug form of row, a row of t: its Go type and
// every column's field and value in declaration order,
//
//	db.Track{ID: 1, Album: Album(id=3) (not loaded), Title: "x", Position: 2}
//
// Fields are named as in Go when row is a pointer to a struct whose
// fields t's accessors address, and by their schema names otherwise.
// Values print as Go literals where those are readable (numbers, quoted
// strings and enum values, true and false) and in their text form
// otherwise: a Decimal, Date, TimeOfDay or UUID by its String method, a
// DateTime in UTC as RFC 3339, an IPAddress as its address, a JSON
// document compacted, NULL as null. A relation prints the row it refers
// to by key, as RowString does, and says whether that row is loaded. A
// nil row prints as Go prints a nil pointer, "(*db.Track)(nil)".
func RowGoString(t *Table, row any) (s string) {
	if t == nil {
		return "<nil *runtime.Table>"
	}
	defer catchPrint(t, &s)
	typ := reflect.TypeOf(row)
	if typ == nil && t.New != nil {
		typ = reflect.TypeOf(t.New())
	}
	switch {
	case typ == nil:
		return t.Model + "(nil)"
	case isNilRow(row):
		return "(" + typ.String() + ")(nil)"
	case !rowOfTable(t, row):
		return fmt.Sprintf("%s(<%T is no row of %s>)", t.Model, row, t.Model)
	}
	if typ.Kind() == reflect.Pointer {
		typ = typ.Elem()
	}
	names := goNames(t, row)
	var b strings.Builder
	b.WriteString(typ.String())
	b.WriteByte('{')
	for i, c := range t.Columns {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(names[i])
		b.WriteString(": ")
		if c.Ref != nil {
			writeRef(&b, t, row, c)
			continue
		}
		writeValue(&b, c, columnValue(t, row, i))
	}
	b.WriteByte('}')
	return b.String()
}

// catchPrint turns a panic of one of t's accessors into the printed form,
// as fmt does for a String method that panics: printing is for logs and
// debuggers, which must not crash on a row they were handed.
func catchPrint(t *Table, s *string) {
	if r := recover(); r != nil {
		*s = fmt.Sprintf("%s(<PANIC=%v>)", t.Model, r)
	}
}

// isNilRow reports whether row is nil, or a nil pointer (the receiver of a
// generated method called on a nil *Track).
func isNilRow(row any) bool {
	if row == nil {
		return true
	}
	v := reflect.ValueOf(row)
	return v.Kind() == reflect.Pointer && v.IsNil()
}

// rowOfTable reports whether row has the Go type of t's rows, as far as t
// says: a Table without New takes any row.
func rowOfTable(t *Table, row any) bool {
	return t.New == nil || reflect.TypeOf(row) == reflect.TypeOf(t.New())
}

// writeKey writes "id=1", or "id=unset" for a key yet to be assigned,
// or "?" when t has no key it can read.
func writeKey(b *strings.Builder, t *Table, row any) {
	if t.Value == nil || t.PK < 0 || t.PK >= len(t.Columns) {
		b.WriteByte('?')
		return
	}
	if t.composite() {
		// PlaylistTrack(playlist=1, track=2): never generated, never unset.
		for i, k := range t.Key {
			if i > 0 {
				b.WriteString(", ")
			}
			c := t.Columns[k]
			b.WriteString(c.Field)
			b.WriteByte('=')
			writeValue(b, keyColumn(c), t.Value(row, k))
		}
		return
	}
	c := t.Columns[t.PK]
	v := t.Value(row, t.PK)
	b.WriteString(c.Field)
	b.WriteByte('=')
	if (c.AutoIncrement || c.DefaultUUID) && (v == nil || reflect.ValueOf(v).IsZero()) {
		b.WriteString("unset")
		return
	}
	writeValue(b, keyColumn(c), v)
}

// writeRef writes the value of relation column c: null, or the referenced
// row by key, "Album(id=3)", and whether that row is loaded.
func writeRef(b *strings.Builder, t *Table, row any, c *Column) {
	v := columnValue(t, row, c.Index)
	if v == nil {
		b.WriteString("null")
		return
	}
	b.WriteString(c.Ref.Model)
	b.WriteByte('(')
	b.WriteString(c.Ref.PKColumn().Field)
	b.WriteByte('=')
	writeValue(b, keyColumn(c), v)
	b.WriteByte(')')
	if t.Link == nil {
		return
	}
	if l, ok := t.Link(row, c.Index).(loadable); ok {
		if _, sparse := l.loadKey(); sparse {
			b.WriteString(" (not loaded)")
		} else {
			b.WriteString(" (loaded)")
		}
	}
}

// columnValue returns the value of column i of row, nil when t cannot read
// it.
func columnValue(t *Table, row any, i int) any {
	if t.Value == nil {
		return nil
	}
	return t.Value(row, i)
}

// writeValue writes v, a value of column c as Table.Value returns it.
func writeValue(b *strings.Builder, c *Column, v any) {
	if n, ok := v.(nullable); ok {
		if n.IsNull() {
			v = nil
		} else {
			v = n.any()
		}
	}
	switch v := v.(type) {
	case nil:
		b.WriteString("null")
	case string:
		if c.Kind == KindIPAddress {
			b.WriteString(v) // the canonical text BindAddr binds
		} else {
			b.WriteString(strconv.Quote(v))
		}
	case Enum:
		b.WriteString(strconv.Quote(v.EnumValue()))
	case bool:
		b.WriteString(strconv.FormatBool(v))
	case int64:
		b.WriteString(strconv.FormatInt(v, 10))
	case float64:
		b.WriteString(strconv.FormatFloat(v, 'g', -1, 64))
	case Decimal:
		b.WriteString(v.String())
	case Date:
		b.WriteString(v.String())
	case TimeOfDay:
		b.WriteString(v.String())
	case time.Time:
		b.WriteString(v.UTC().Format(time.RFC3339Nano))
	case UUID:
		b.WriteString(v.String())
	case netip.Addr:
		if v.IsValid() {
			b.WriteString(v.String())
		} else {
			b.WriteString("netip.Addr{}")
		}
	case JSON:
		writeJSON(b, v)
	default:
		fmt.Fprintf(b, "%#v", v)
	}
}

// writeJSON writes a JSON document on one line; the empty JSON is the
// document null, as it binds. Bytes that are no JSON print quoted.
func writeJSON(b *strings.Builder, j JSON) {
	if len(j) == 0 {
		b.WriteString("null")
		return
	}
	var buf bytes.Buffer
	if err := json.Compact(&buf, j); err != nil {
		fmt.Fprintf(b, "runtime.JSON(%q)", []byte(j))
		return
	}
	b.Write(buf.Bytes())
}

// goNames returns the names to print t's columns by: the Go names of the
// struct fields that back them in row, found by address (Ptr, which only
// takes addresses, for a column; Link for a relation, as Ptr on a
// relation marks its reference set), and schema field names where row is
// no pointer to a struct or a field is not found.
func goNames(t *Table, row any) []string {
	names := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		names[i] = c.Field
	}
	rv := reflect.ValueOf(row)
	if rv.Kind() != reflect.Pointer || rv.Elem().Kind() != reflect.Struct {
		return names
	}
	sv := rv.Elem()
	byAddr := make(map[uintptr]string, sv.NumField())
	for j := range sv.NumField() {
		if f := sv.Type().Field(j); f.Type.Size() > 0 {
			byAddr[sv.Field(j).Addr().Pointer()] = f.Name
		}
	}
	for i, c := range t.Columns {
		var p any
		switch {
		case c.Ref != nil && t.Link != nil:
			p = t.Link(row, i)
		case c.Ref == nil && t.Ptr != nil:
			p = t.Ptr(row, i)
		}
		if pv := reflect.ValueOf(p); pv.Kind() == reflect.Pointer && !pv.IsNil() {
			if name, ok := byAddr[pv.Pointer()]; ok {
				names[i] = name
			}
		}
	}
	return names
}
