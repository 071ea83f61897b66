package runtime

import (
	"fmt"
	"unicode/utf8"
)

// validate checks the given columns of row (all when cols is nil) against
// the table's metadata and returns a *ValidationError listing every failure.
func validate(t *Table, row any, cols []*Column) error {
	if cols == nil {
		cols = t.Columns
	}
	var errs []FieldError
	for _, c := range cols {
		v := t.Value(row, c.Index)
		if v == nil {
			if !c.Null {
				errs = append(errs, FieldError{Field: c.Field, Code: "required", Msg: "is required"})
			}
			continue
		}
		if n, ok := v.(nullable); ok {
			if n.IsNull() {
				if !c.Null {
					errs = append(errs, FieldError{Field: c.Field, Code: "null", Msg: "may not be null"})
				}
				continue
			}
			v = n.any()
		}
		if s, ok := v.(string); ok && (c.Kind == KindString || c.Kind == KindText) {
			if s == "" && !c.Blank {
				errs = append(errs, FieldError{Field: c.Field, Code: "blank", Msg: "may not be blank"})
				continue
			}
			if c.MaxLength > 0 {
				if n := utf8.RuneCountInString(s); n > c.MaxLength {
					errs = append(errs, FieldError{Field: c.Field, Code: "max_length",
						Msg: fmt.Sprintf("is %d characters long, more than the maximum %d", n, c.MaxLength)})
				}
			}
			if !utf8.ValidString(s) {
				errs = append(errs, FieldError{Field: c.Field, Code: "utf8", Msg: "is not valid UTF-8"})
			}
		}
	}
	if len(errs) > 0 {
		return &ValidationError{Model: t.Model, Fields: errs}
	}
	return nil
}
