package schema

import (
	"fmt"
	"io"
	"sort"
	"strings"
)

// Severity says how bad a diagnostic is.
type Severity int

const (
	Error Severity = iota
	Warning
)

func (s Severity) String() string {
	if s == Warning {
		return "warning"
	}
	return "error"
}

// Related is a secondary position attached to a diagnostic, such as the
// previous declaration of a redeclared name.
type Related struct {
	Pos Pos
	Msg string // e.g. "previous declaration"
}

// Diagnostic is one problem found in a schema. Msg is lowercase with no final
// period; Hint, when set, is a suggestion such as `did you mean "Album"?`.
type Diagnostic struct {
	Pos      Pos
	End      Pos // end of the offending token; may be invalid
	Severity Severity
	Code     Code // stable machine-readable code, one of Codes()
	Msg      string
	Hint     string
	Related  []Related
}

// Error formats the diagnostic as "file:line:col: msg (hint)".
func (d *Diagnostic) Error() string {
	var b strings.Builder
	b.WriteString(d.Pos.String())
	b.WriteString(": ")
	b.WriteString(d.Msg)
	if d.Hint != "" {
		b.WriteString(" (")
		b.WriteString(d.Hint)
		b.WriteString(")")
	}
	return b.String()
}

// List is a list of diagnostics. The zero value is an empty list ready to use.
type List []*Diagnostic

// Add appends a diagnostic.
func (l *List) Add(d *Diagnostic) { *l = append(*l, d) }

// Errorf appends an error diagnostic at pos with the given code.
func (l *List) Errorf(pos, end Pos, code Code, format string, args ...any) *Diagnostic {
	d := &Diagnostic{Pos: pos, End: end, Code: code, Msg: fmt.Sprintf(format, args...)}
	l.Add(d)
	return d
}

// Len, Less and Swap implement sort.Interface: by file, line, column, then message.
func (l List) Len() int      { return len(l) }
func (l List) Swap(i, j int) { l[i], l[j] = l[j], l[i] }
func (l List) Less(i, j int) bool {
	a, b := l[i].Pos, l[j].Pos
	if a.File != b.File || a.Line != b.Line || a.Col != b.Col {
		return a.Before(b)
	}
	return l[i].Msg < l[j].Msg
}

// Sort sorts the list by position, then message.
func (l List) Sort() { sort.Stable(l) }

// RemoveMultiples sorts the list and keeps only the first diagnostic on each line.
func (l *List) RemoveMultiples() {
	l.Sort()
	out := (*l)[:0]
	var last Pos
	for i, d := range *l {
		if i > 0 && d.Pos.File == last.File && d.Pos.Line == last.Line {
			continue
		}
		last = d.Pos
		out = append(out, d)
	}
	*l = out
}

// HasErrors reports whether any diagnostic has Error severity.
func (l List) HasErrors() bool {
	for _, d := range l {
		if d.Severity == Error {
			return true
		}
	}
	return false
}

// Err returns the list as an error, or nil when it holds no errors.
func (l List) Err() error {
	if !l.HasErrors() {
		return nil
	}
	return l
}

// Error implements error: the first diagnostic and a count of the rest.
func (l List) Error() string {
	switch len(l) {
	case 0:
		return "no errors"
	case 1:
		return l[0].Error()
	}
	return fmt.Sprintf("%s (and %d more errors)", l[0].Error(), len(l)-1)
}

// Print writes one line per diagnostic, "file:line:col: msg", followed by
// indented lines for related positions. It prints at most max diagnostics
// (all when max <= 0) and then a line saying how many were left out.
func (l List) Print(w io.Writer, max int) {
	for i, d := range l {
		if max > 0 && i == max {
			fmt.Fprintf(w, "too many errors (%d more)\n", len(l)-max)
			return
		}
		fmt.Fprintln(w, d.Error())
		for _, r := range d.Related {
			fmt.Fprintf(w, "\t%s: %s\n", r.Pos, r.Msg)
		}
	}
}

// RelativeTo rewrites every position in l relative to dir (see Pos.RelativeTo).
func (l List) RelativeTo(dir string) {
	for _, d := range l {
		d.Pos = d.Pos.RelativeTo(dir)
		d.End = d.End.RelativeTo(dir)
		for i := range d.Related {
			d.Related[i].Pos = d.Related[i].Pos.RelativeTo(dir)
		}
	}
}
